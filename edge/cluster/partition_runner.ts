/**
 * One owned partition at work: a {@link CollectorService} (its own core,
 * timers and alert routes) whose store is the partition's KV state
 * (`partition_store.ts`), fed by one durable JetStream consumer filtered
 * on the partition's subject `vigil.events.*.<p>` (`edge/ingest/nats.ts`).
 * It is exactly the single collector's path, restricted to one partition:
 * events are acked only after a snapshot covering them is saved.
 *
 * - Start (the lease is held): claim the state (fencing any previous
 *   owner), restore it, then consume from the consumer's ack floor (a
 *   consumer left with unacked deliveries, by an owner that died, is
 *   recreated there, so they come again at once; the core drops what the
 *   state already holds by node, boot and sequence number).
 * - `stop()` (graceful hand-over): stop consuming, apply what is buffered,
 *   save, ack; the next owner restores that state.
 * - `abandon()` (the lease was lost): fence the store first, so nothing
 *   more is saved or acked, then stop; whatever was not acked is delivered
 *   to the next owner.
 *
 * With a ledger, alerts go through it (`alert_ledger.ts`: once across
 * owners; held while the lease is uncertain, handed over when it is lost),
 * and an intake (`alert_handover.ts`), started before consuming, takes the
 * alerts a previous owner handed over: discarded when this core raises the
 * same episode, routed otherwise.
 *
 * @module
 */
import { createCollector, restoreCollector } from "../engine/collector.ts";
import type { CollectorOptions } from "../engine/types.ts";
import { type NatsConnection, type NatsIngest, startNatsIngest } from "../ingest/nats.ts";
import {
  type CollectorService,
  type CollectorServiceOptions,
  createCollectorService,
} from "../server/service.ts";
import { createAlertRouter } from "../server/alerts.ts";
import type { Violation } from "../engine/types.ts";
import { partitionFilter } from "../../lib/wire/subjects.ts";
import type { KV } from "@nats-io/kv";
import type { PartitionStore, SaveDeadline } from "./partition_store.ts";
import {
  type AlertLedger,
  type AlertLedgerCounts,
  createAlertLedger,
  type HeldOutcome,
} from "./alert_ledger.ts";
import {
  type AlertIntake,
  type AlertIntakeCounts,
  type HandedOverViolation,
  handoverSettleMs,
  startAlertIntake,
} from "./alert_handover.ts";
import { type HandoverBucket, kvHandoverBucket } from "./handover_store.ts";

/**
 * What a partition's alert routing did: its ledger's counts and its intake's of the alerts a
 * previous owner handed over (`alert_handover.ts`).
 *
 * @example A partition that took one handed-over alert its core did not raise
 * ```ts
 * import assert from "node:assert/strict";
 * import type { PartitionAlertCounts } from "./partition_runner.ts";
 * const c: PartitionAlertCounts = {
 *   routed: 0, suppressed: 0, resent: 0, unrecorded: 0, held: 0, dropped: 0, handedOver: 0,
 *   unhanded: 0, reraised: 0, takenOver: 1,
 * };
 * assert.equal(c.takenOver, 1);
 * ```
 */
export type PartitionAlertCounts = AlertLedgerCounts & AlertIntakeCounts;

const NO_ALERTS: PartitionAlertCounts = {
  routed: 0,
  suppressed: 0,
  resent: 0,
  unrecorded: 0,
  held: 0,
  dropped: 0,
  handedOver: 0,
  unhanded: 0,
  reraised: 0,
  takenOver: 0,
};

/**
 * Options of {@link startPartitionRunner}.
 *
 * @example The core and the consumer's name
 * ```ts ignore
 * const options: PartitionRunnerOptions = { core: { specs: [lease] }, durablePrefix: "vigil-vigil" };
 * ```
 */
export interface PartitionRunnerOptions {
  /** The core's options (specs, window, limits). */
  readonly core: CollectorOptions;
  /** Durable consumer names are `<durablePrefix>-p<partition>`. */
  readonly durablePrefix: string;
  /** Event stream. Default `VIGIL_EVENTS`. */
  readonly stream?: string;
  /** The service's options (timers, alerts, logs); the store is the partition's. */
  readonly service?: Omit<CollectorServiceOptions, "store">;
  /**
   * The consumer's `ack_wait` when it is created, ms: how long a delivery
   * lost in transit (a NATS server stopped mid-delivery) or an ack lost the
   * same way waits before it is redelivered. Default 10 000 (acks follow
   * saves, normally well under a second apart; a loaded member whose
   * saves take longer gets deliveries again, which the core drops as
   * duplicates).
   */
  readonly ackWaitMs?: number;
  /** Called with the service before it starts (listeners on its core). */
  readonly onService?: (service: CollectorService) => void;
  /**
   * Routes alerts once across owners through the partition's ledger in
   * this bucket (`alert_ledger.ts`); without it, each violation the core
   * raises is routed (a new owner routes again what it re-raises).
   */
  readonly ledger?: {
    readonly kv: KV;
    /**
     * Where held alerts wait for the next owner (`handover_store.ts`). Default `kv` itself
     * (`kvHandoverBucket`).
     */
    readonly handoverBucket?: HandoverBucket;
    readonly cluster: string;
    readonly owner: string;
    /** Failures, one line each. Default `console.error`. */
    readonly log?: (line: string) => void;
    /**
     * The partition's lease deadline: violations raised at or after it are held until the lease
     * is certain, dropped when it is lost (`alert_ledger.ts`).
     */
    readonly lease?: SaveDeadline;
    /** Called once per violation held, dropped, handed over or not (`alert_ledger.ts`). */
    readonly onHeld?: (outcome: HeldOutcome) => void;
    /**
     * The intake of alerts a previous owner handed over (`alert_handover.ts`): how long one
     * waits at most, ms (default 60 000), and what became of each.
     */
    readonly handover?: {
      readonly maxWaitMs?: number;
      readonly onOutcome?: (outcome: "reraised" | "takenOver") => void;
    };
  };
  /** Called with each violation as it is routed (not with one suppressed as routed already). */
  readonly onRouted?: (violation: Violation) => void;
}

/**
 * A running partition.
 *
 * @example Hand a partition over
 * ```ts ignore
 * const runner = await startPartitionRunner(nc, store, options);
 * await runner.stop();
 * ```
 */
export interface PartitionRunner {
  /** The partition. */
  readonly partition: number;
  /** Its service (core, metrics, alert router). */
  readonly service: CollectorService;
  /** When it started consuming, ms (`Date.now`). */
  readonly startedAt: number;
  /** Events the restored state held. */
  readonly restoredApplied: number;
  /** What the alert ledger and the hand-over intake did (all zero without a ledger). */
  alertCounts(): PartitionAlertCounts;
  /**
   * Alerts a previous owner handed over and this one routed, not having raised them itself
   * (`alert_handover.ts`; the latest 256), oldest first.
   */
  handedOverCopies(): readonly HandedOverViolation[];
  /** When it first applied an event after starting, ms, or `null`. */
  readonly firstAppliedAt: number | null;
  /** Graceful: stop consuming, save, ack. */
  stop(): Promise<void>;
  /** The lease was lost: fence the store, stop without saving or acking. */
  abandon(): Promise<void>;
}

/**
 * Starts a partition (its lease held): claims and restores its state, then consumes.
 *
 * @example Start partition 3
 * ```ts ignore
 * import { startPartitionRunner } from "./partition_runner.ts";
 * const store = states.partition(3, { cluster: "vigil", owner: "c1" });
 * const runner = await startPartitionRunner(nc, store, { core: { specs: [lease] }, durablePrefix: "vigil-vigil" });
 * ```
 */
export async function startPartitionRunner(
  nc: NatsConnection,
  store: PartitionStore,
  options: PartitionRunnerOptions,
): Promise<PartitionRunner> {
  const p = store.partition;
  await store.claim();
  const saved = await store.load();
  const collector = saved === null
    ? createCollector(options.core)
    : restoreCollector(saved, options.core);
  const restoredApplied = collector.metrics().applied;
  // The service keeps its listeners (SSE); webhooks and NATS publishing go through the ledger.
  const { alerts: routes, ...serviceOptions } = options.service ?? {};
  let ledger: AlertLedger | null = null;
  let intake: AlertIntake | null = null;
  const saving = options.ledger === undefined ? store : {
    ...store,
    async save(snapshot: Parameters<PartitionStore["save"]>[0]) {
      const mark = ledger!.mark();
      await store.save(snapshot);
      ledger!.trim(mark);
    },
  };
  const service = createCollectorService(collector, {
    ...serviceOptions,
    ...(options.ledger === undefined ? { alerts: routes ?? {} } : {}),
    store: saving,
  });
  if (options.ledger !== undefined) {
    const router = createAlertRouter<Violation>({
      ...routes,
      onDelivery: (route, ok) => service.metrics.alertDelivered(route, ok),
      onError: (e) =>
        (options.ledger!.log ?? console.error)(
          `vigil cluster: partition ${p} alert routing failed: ${(e as Error)?.message ?? e}`,
        ),
    });
    if (options.onRouted !== undefined) router.listen(options.onRouted);
    const bucket = options.ledger.handoverBucket ?? kvHandoverBucket(options.ledger.kv);
    ledger = createAlertLedger(options.ledger.kv, router, {
      cluster: options.ledger.cluster,
      owner: options.ledger.owner,
      partition: p,
      handover: bucket,
      ...(options.ledger.log === undefined ? {} : { log: options.ledger.log }),
      ...(options.ledger.lease === undefined ? {} : { lease: options.ledger.lease }),
      ...(options.ledger.onHeld === undefined ? {} : { onHeld: options.ledger.onHeld }),
    });
    const l = ledger;
    collector.on((ev) => {
      if (ev.type === "violation") l.send(ev.violation);
    });
    // Before consuming: every violation the core raises is compared with what was handed over.
    const core = options.core;
    const handover = options.ledger.handover;
    intake = startAlertIntake(bucket, {
      cluster: options.ledger.cluster,
      partition: p,
      collector,
      send: (v) => l.send(v),
      drain: () => l.drain(),
      settleMs: handoverSettleMs(core),
      ...(handover?.maxWaitMs === undefined ? {} : { maxWaitMs: handover.maxWaitMs }),
      ...(options.ledger.log === undefined ? {} : { log: options.ledger.log }),
      ...(handover?.onOutcome === undefined ? {} : { onOutcome: handover.onOutcome }),
    });
  } else if (options.onRouted !== undefined) {
    service.alerts.listen(options.onRouted);
  }
  options.onService?.(service);
  service.start();
  let ingest: NatsIngest;
  try {
    ingest = await startNatsIngest(nc, service, {
      ...(options.stream === undefined ? {} : { stream: options.stream }),
      subject: partitionFilter(p),
      durable: `${options.durablePrefix}-p${p}`,
      infoMs: 0,
      ackWaitMs: options.ackWaitMs ?? 10_000,
      // A pull lost with a stopped NATS server is noticed in seconds, not after 30 s.
      expiresMs: 5_000,
    });
  } catch (e) {
    store.fence();
    await service.stop().catch(() => {});
    await intake?.stop();
    throw e;
  }
  const startedAt = Date.now();
  let firstAppliedAt: number | null = null;
  const watch = setInterval(() => {
    if (collector.metrics().applied > restoredApplied) {
      firstAppliedAt = Date.now();
      clearInterval(watch);
    }
  }, 25);
  let stopped: Promise<void> | null = null;
  const end = (save: boolean) => {
    stopped ??= (async () => {
      clearInterval(watch);
      if (!save) store.fence();
      await ingest.stop();
      await service.stop();
      await service.alerts.drain();
      await intake?.stop();
      await ledger?.drain();
      store.close();
    })();
    return stopped;
  };
  return {
    partition: p,
    service,
    startedAt,
    restoredApplied,
    alertCounts: () =>
      ledger === null || intake === null ? NO_ALERTS : { ...ledger.counts(), ...intake.counts() },
    handedOverCopies: () => intake?.copies() ?? [],
    get firstAppliedAt() {
      return firstAppliedAt;
    },
    stop: () => end(true),
    abandon: () => end(false),
  };
}
