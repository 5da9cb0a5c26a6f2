/**
 * One collector of a partitioned deployment: registers itself, keeps the
 * partitions it should own (by rendezvous hashing over the live members,
 * `assignment.ts`) under KV leases (`leases.ts`), runs one
 * {@link PartitionRunner} per owned partition, and hands partitions over
 * when membership changes.
 *
 * Two timers:
 * - renewal, every quarter of the lease time-to-live (with jitter), by a
 *   {@link LeaseKeeper} (`lease_keeper/keeper.ts`): rewrites this member's
 *   registration and renews every held lease, each write on its own. With
 *   `leaseServers` the keeper runs in a thread of its own on a connection
 *   of its own, so renewals neither wait for this thread (busy with
 *   deliveries on a loaded machine) nor queue behind its NATS traffic. A
 *   renewal not answered within a quarter TTL gets a second write. A lease
 *   found lost (expired or taken) is abandoned at once (its store fenced,
 *   nothing more acked), and so is one no renewal of which succeeded within
 *   a time-to-live of the send of the last one that did (the servers may
 *   have expired it already), unless a renewal is still in flight: then the
 *   partition saves (and so acks) nothing until it answers (its save gate,
 *   `save_gate.ts`). Each loss is counted and logged once, with the round
 *   trip that caused it (`leaseStats`, `/metrics`).
 * - assignment, every `tickMs`: reads the live members and each
 *   partition's lease; hands over (save, ack, release) each held partition
 *   whose desired owner is another live member; acquires each free
 *   partition whose desired owner is this member, then restores and runs it.
 *
 * On SIGKILL nothing runs: the registration and leases expire after the
 * time-to-live, every member then computes the same new owners (each dead
 * member's partitions go to their standby), which acquire, restore from KV
 * and consume from the ack floor.
 *
 * @module
 */
import { jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import type { CollectorOptions, Violation } from "../engine/types.ts";
import type { CollectorService, CollectorServiceOptions } from "../server/service.ts";
import { ALL_EVENT_SUBJECTS, EVENT_STREAM, MAX_PARTITIONS } from "../../lib/wire/subjects.ts";
import { desiredAssignment } from "./assignment.ts";
import {
  checkId,
  type ClusterBucket,
  type MemberRecord,
  openClusterBucket,
  registerFirst,
} from "./leases.ts";
import { openStateBucket, type StateBucket } from "./partition_store.ts";
import {
  type PartitionAlertCounts,
  type PartitionRunner,
  startPartitionRunner,
} from "./partition_runner.ts";
import { type LeaseHistograms, type LeaseStats, LeaseStatsRecorder } from "./lease_keeper/stats.ts";
import { type Keeper, LeaseKeeper } from "./lease_keeper/keeper.ts";
import { startKeeperThread } from "./lease_keeper/thread.ts";
import { SaveGate } from "./save_gate.ts";
import { leaseClock, LeaseDeadline } from "./lease_deadline.ts";

/**
 * Options of {@link startClusterNode}.
 *
 * @example Sixteen partitions, three replicas
 * ```ts ignore
 * const options: ClusterNodeOptions = { cluster: "vigil", instance: "c1", partitions: 16, core: { specs: [lease] } };
 * ```
 */
export interface ClusterNodeOptions {
  /** Cluster id (KV key prefix and consumer names). */
  readonly cluster: string;
  /** This collector's member id, unique in the cluster. */
  readonly instance: string;
  /** Partition count: the senders' (`createPartitionedBatcher`'s `partitions`). */
  readonly partitions: number;
  /** The core's options of every partition. */
  readonly core: CollectorOptions;
  /**
   * NATS servers (comma-separated) to renew the leases and the registration
   * through from a thread of their own, on a connection of their own
   * (`lease_keeper/thread.ts`), so renewals are neither delayed by this
   * member's busy thread nor queued behind its deliveries, acks and saves.
   * Default: renewals in this thread, on `nc`.
   */
  readonly leaseServers?: string;
  /**
   * With `leaseServers`: the renewing thread stops renewing once this
   * member's thread has not answered it for this long (a hung member loses
   * its partitions), ms. Default the larger of 15 000 and 5 lease TTLs.
   */
  readonly maxStallMs?: number;
  /** Event stream. Default `VIGIL_EVENTS` (created with `replicas` when absent). */
  readonly stream?: string;
  /** Replicas of the stream and buckets when created. Default 3. */
  readonly replicas?: number;
  /** Lease time-to-live when the bucket is created, ms. Default 3000. */
  readonly ttlMs?: number;
  /** Assignment period, ms. Default 250. */
  readonly tickMs?: number;
  /** How long to retry setting up the stream and buckets while JetStream is not ready, ms. Default 30 000. */
  readonly setUpTimeoutMs?: number;
  /** A partition that does not start (restore, consumer) within this long is released, ms. Default 20 000. */
  readonly startTimeoutMs?: number;
  /** Each partition service's options (timers, alerts, logs). */
  readonly service?: Omit<CollectorServiceOptions, "store">;
  /** Called with each partition's service before it starts. */
  readonly onService?: (partition: number, service: CollectorService) => void;
  /** Called with each violation this member routes (once over the cluster's owners). */
  readonly onAlert?: (partition: number, violation: Violation) => void;
  /** Ownership changes and failures, one line each. Default `console.error`. */
  readonly log?: (line: string) => void;
  /**
   * How long an alert a previous owner handed over waits at most for this member to raise the
   * same episode before it routes it, ms (`alert_handover.ts`). Default 60 000. Shorter than
   * `handoverSettleMs(core)` cuts the time the member's judgement has to raise it short (the CLI's
   * `--handover-wait` refuses that).
   *
   * @throws {RangeError} From {@link startClusterNode} when not a positive number.
   */
  readonly handoverWaitMs?: number;
}

/** The lease figure each outcome of a held alert counts in. */
const HELD_STATS = {
  held: "heldAlerts",
  dropped: "droppedAlerts",
  handedOver: "handedOverAlerts",
  unhanded: "unhandedAlerts",
} as const;

/**
 * One partition in this member's view.
 *
 * @example Partition 3, owned here
 * ```ts
 * import assert from "node:assert/strict";
 * import type { OwnedPartition } from "./cluster_node.ts";
 * const p: OwnedPartition = {
 *   partition: 3, startedAt: 1, restoredApplied: 0, firstAppliedAt: null,
 *   applied: 0, violations: 0, duplicates: 0, late: 0, lost: 0, partitions: 0,
 *   alerts: {
 *     routed: 0, suppressed: 0, resent: 0, unrecorded: 0, held: 0, dropped: 0, handedOver: 0,
 *     unhanded: 0, reraised: 0, takenOver: 0,
 *   },
 * };
 * assert.equal(p.partition, 3);
 * ```
 */
export interface OwnedPartition {
  readonly partition: number;
  /** When this member started running it, ms. */
  readonly startedAt: number;
  /** Events held by the state it restored. */
  readonly restoredApplied: number;
  /** When it first applied an event after starting, ms. */
  readonly firstAppliedAt: number | null;
  /** Events applied (restored ones included). */
  readonly applied: number;
  /** Violations raised (restored ones included). */
  readonly violations: number;
  /** Events received again (redelivered after an owner change, or retried by a sender). */
  readonly duplicates: number;
  /** Events applied after their reorder window. */
  readonly late: number;
  /** Sequence numbers never received nor declared dropped. */
  readonly lost: number;
  /** Instance partitions (keys) known. */
  readonly partitions: number;
  /**
   * Alerts routed here, re-raised ones not routed again (`alert_ledger.ts`), and the alerts a
   * previous owner handed over (`alert_handover.ts`).
   */
  readonly alerts: PartitionAlertCounts;
}

/**
 * A running cluster member.
 *
 * @example Stop gracefully
 * ```ts ignore
 * const node = await startClusterNode(nc, options);
 * await node.stop();
 * ```
 */
export interface ClusterNode {
  /** Member id. */
  readonly id: string;
  /** Partition count. */
  readonly partitions: number;
  /** The leases and registrations. */
  readonly bucket: ClusterBucket;
  /** Partitions running here, by number. */
  readonly runners: ReadonlyMap<number, PartitionRunner>;
  /** Sets the URL peers reach this member's API at (and registers it at once). */
  setUrl(url: string): void;
  /** What runs here now. */
  owned(): OwnedPartition[];
  /** How long renewals took, and the partitions acquired, lost and handed over. */
  leaseStats(): LeaseStats;
  /** Renewal round trips and late saves' waits since start, as histograms (`/metrics`). */
  leaseHistograms(): LeaseHistograms;
  /** Hands every partition over (save, ack, release) and leaves the cluster. */
  stop(): Promise<void>;
}

/**
 * Joins the cluster: registers, then acquires and runs partitions.
 *
 * @example Join with sixteen partitions
 * ```ts ignore
 * import { startClusterNode } from "./cluster_node.ts";
 * const node = await startClusterNode(nc, { cluster: "vigil", instance: "c1", partitions: 16, core: { specs: [lease] } });
 * ```
 */
export async function startClusterNode(
  nc: NatsConnection,
  options: ClusterNodeOptions,
): Promise<ClusterNode> {
  checkId(options.instance, "instance id");
  checkId(options.cluster, "cluster id");
  const n = options.partitions;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PARTITIONS) {
    throw new RangeError(
      `Partition count must be an integer from 1 to ${MAX_PARTITIONS}, got '${n}'`,
    );
  }
  const wait = options.handoverWaitMs;
  if (wait !== undefined && !(Number.isFinite(wait) && wait > 0)) {
    throw new RangeError(`Hand-over wait must be a positive number of ms, got '${wait}'`);
  }
  const log = options.log ?? ((line: string) => console.error(line));
  const replicas = options.replicas ?? 3;
  const stream = options.stream ?? EVENT_STREAM;
  // Set-up, step by step, each retried until `setUpTimeoutMs` with a line saying what it waits for:
  // JetStream answers "not enabled" or times out while a cluster elects its leaders (servers just
  // started, or one just stopped), members starting together create the same streams at once
  // (some of those requests are never answered), and a stream just created by another member
  // refuses writes through a server that has not yet taken its assignment ("jetstream is not
  // enabled": no responders on its subjects) for up to a second or so.
  const setUpUntil = Date.now() + (options.setUpTimeoutMs ?? 30_000);
  const ready = async <T>(what: string, step: () => Promise<T>): Promise<T> => {
    for (let attempt = 0;; attempt++) {
      try {
        return await step();
      } catch (e) {
        const left = setUpUntil - Date.now();
        if (left <= 0) {
          throw new Error(`Gave up waiting for ${what}: ${(e as Error).message}`, { cause: e });
        }
        log(
          `vigil cluster: ${options.instance} waiting for ${what} (${(e as Error).message}), ` +
            `retrying for up to ${Math.ceil(left / 1000)} s`,
        );
        await new Promise((r) => setTimeout(r, Math.min(left, 250 * 2 ** Math.min(attempt, 3))));
      }
    }
  };
  const jsm = await ready("JetStream", () => jetstreamManager(nc));
  await ready(`the event stream '${stream}'`, async () => {
    try {
      await jsm.streams.info(stream);
    } catch (e) {
      if ((e as { code?: unknown }).code !== 10059) throw e;
      await jsm.streams.add({
        name: stream,
        subjects: [ALL_EVENT_SUBJECTS],
        num_replicas: replicas,
      });
    }
  });
  const bucket = await ready("the KV bucket 'VIGIL_CLUSTER'", () =>
    openClusterBucket(nc, {
      cluster: options.cluster,
      replicas,
      ...(options.ttlMs === undefined ? {} : { ttlMs: options.ttlMs }),
    }));
  const states: StateBucket = await ready(
    "the KV bucket 'VIGIL_STATE'",
    () => openStateBucket(nc, { replicas }),
  );
  const id = options.instance;
  const since = Date.now();
  let url = "";
  const runners = new Map<number, PartitionRunner>();
  /** Partitions whose lease this member holds (the keeper renews them). */
  const held = new Set<number>();
  /** Partitions being started or handed over (the assignment loop skips them). */
  const busy = new Set<number>();
  /** Each held partition's save gate, closed while its lease is uncertain (`save_gate.ts`). */
  const gates = new Map<number, SaveGate>();
  /** Each held partition's lease deadline, which its saves are judged by (`lease_deadline.ts`). */
  const deadlines = new Map<number, LeaseDeadline>();
  let stopping = false;
  const stats = new LeaseStatsRecorder();

  const record = (): MemberRecord => ({
    id,
    url,
    owned: [...runners.keys()].sort((a, b) => a - b),
    since,
  });

  async function drop(p: number, graceful: boolean, why: string): Promise<void> {
    const holding = held.delete(p);
    const runner = runners.get(p);
    runners.delete(p);
    const gate = gates.get(p);
    gates.delete(p);
    const deadline = deadlines.get(p);
    // Abandoned: a save answered after the deadline and waiting for a renewal fails as fenced. A
    // hand-over's last save may wait for the next renewal (the keeper renews until the release).
    if (!graceful) deadline?.lose();
    try {
      // Abandoning fences the store at once (before its first await): a save waiting at the gate
      // then fails. A hand-over's last save may pass: it counts only if answered before the
      // lease's deadline, or once a renewal shows the lease held (`lease_deadline.ts`).
      const ending = runner === undefined ? undefined : graceful ? runner.stop() : runner.abandon();
      gate?.open();
      if (ending !== undefined) await ending;
    } catch (e) {
      log(`vigil cluster: stopping partition ${p} failed: ${(e as Error).message}`);
    }
    if (deadlines.get(p) === deadline) deadlines.delete(p);
    if (graceful && holding) {
      // On its latest revision: the keeper waits for a renewal in flight.
      await keeper.release(p).catch((e) =>
        log(`vigil cluster: releasing partition ${p} failed: ${(e as Error).message}`)
      );
    } else keeper.forget(p);
    keeper.setRecord(record());
    if (graceful) {
      stats.count("handedOver");
      log(`vigil cluster: ${id} handed over partition ${p} (${why})`);
    }
  }

  /**
   * A lease the keeper found lost (expired or taken): counted and said once, and the partition
   * is abandoned at once.
   */
  function lost(p: number, why: string): void {
    // Whatever the member does next, a save waiting for the deadline to move fails as fenced.
    deadlines.get(p)?.lose();
    if (!held.has(p)) return;
    stats.count("lost");
    log(`vigil cluster: ${id} lost partition ${p} (${why})`);
    if (busy.has(p)) {
      // Starting (the start abandons it when it finds the lease gone) or being handed over.
      held.delete(p);
      if (!runners.has(p)) gates.get(p)?.open();
      return;
    }
    busy.add(p);
    void drop(p, false, why).finally(() => busy.delete(p));
  }
  /** Uncertain stretches not logged yet (one line at most every 10 s says them). */
  const unsure = { loggedAt: -Infinity, held: 0 };
  /**
   * The lease may have expired (its TTL since the last successful renewal's send ran out with a
   * renewal in flight): nothing is saved nor acked until that renewal answers.
   */
  function uncertain(p: number, why: string): void {
    if (!held.has(p)) return;
    stats.count("uncertain");
    gates.get(p)?.close();
    const now = Date.now();
    if (now - unsure.loggedAt < 10_000) {
      unsure.held++;
      return;
    }
    const more = unsure.held === 0 ? "" : ` (and ${unsure.held} more since the last such line)`;
    unsure.loggedAt = now;
    unsure.held = 0;
    log(
      `vigil cluster: ${id} is unsure it holds partition ${p}: saving nothing until its renewal ` +
        `answers, lost if it fails (${why})${more}`,
    );
  }
  /** The renewal in flight succeeded: the lease was held throughout. */
  function certain(p: number): void {
    gates.get(p)?.open();
  }
  const keeperOptions = {
    onLost: lost,
    onUncertain: uncertain,
    onCertain: certain,
    onRenewed: (ms: number) => stats.renewed(ms),
    onRetry: () => stats.count("retries"),
    onSlow: () => stats.count("slow"),
    onValid: (p: number, validFrom: number) => deadlines.get(p)?.renewed(validFrom),
    log,
  };
  let keeper: Keeper;
  if (options.leaseServers === undefined) {
    keeper = new LeaseKeeper(bucket, { id, ...keeperOptions });
  } else {
    try {
      keeper = await startKeeperThread({
        servers: options.leaseServers,
        cluster: options.cluster,
        id,
        replicas,
        ttlMs: bucket.ttlMs,
        maxStallMs: options.maxStallMs ?? Math.max(15_000, 5 * bucket.ttlMs),
        since,
        readyTimeoutMs: Math.max(5_000, setUpUntil - Date.now()),
      }, keeperOptions);
    } catch (e) {
      log(
        `vigil cluster: ${id} renews its leases in its main thread (${(e as Error).message})`,
      );
      keeper = new LeaseKeeper(bucket, { id, ...keeperOptions });
    }
  }

  async function acquire(p: number): Promise<void> {
    // The lease's age counts from the write's send at the latest (the servers age it from its store).
    const sentAt = leaseClock();
    const rev = await bucket.acquire(p, id, url);
    if (rev === null) return;
    held.add(p);
    const gate = new SaveGate();
    gates.set(p, gate);
    const deadline = new LeaseDeadline(sentAt, bucket.ttlMs);
    deadlines.set(p, deadline);
    keeper.hold(p, rev, sentAt);
    const startMs = options.startTimeoutMs ?? 20_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const store = states.partition(p, {
        cluster: options.cluster,
        owner: id,
        log,
        gate,
        lease: deadline,
        onLate: (outcome, waitedMs) => {
          if (outcome === "late") stats.count("lateSaves");
          else stats.lateSaveEnded(waitedMs, outcome === "fenced");
        },
      });
      const starting = startPartitionRunner(nc, store, {
        core: options.core,
        durablePrefix: `vigil-${options.cluster}`,
        stream,
        ...(options.service === undefined ? {} : { service: options.service }),
        onService: (s) => options.onService?.(p, s),
        ledger: {
          kv: states.kv,
          handoverBucket: states.handover,
          cluster: options.cluster,
          owner: id,
          log,
          lease: deadline,
          onHeld: (outcome) => stats.count(HELD_STATS[outcome]),
          handover: {
            ...(options.handoverWaitMs === undefined ? {} : { maxWaitMs: options.handoverWaitMs }),
            onOutcome: (outcome) =>
              stats.count(outcome === "reraised" ? "reraisedAlerts" : "takenOverAlerts"),
          },
        },
        ...(options.onAlert === undefined ? {} : { onRouted: (v) => options.onAlert!(p, v) }),
      });
      let late = false;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          late = true;
          reject(new Error(`not started within ${startMs} ms`));
        }, startMs);
      });
      // A start that never ends must not hold the lease (renewed while held) forever; one that
      // ends after its time is abandoned (its lease was released, nothing of it may be acked).
      void starting.then((r) => late ? r.abandon() : undefined, () => {});
      const runner = await Promise.race([starting, timedOut]);
      if (!held.has(p)) {
        // Lost while starting: nothing of it may be acked.
        const abandoning = runner.abandon();
        deadline.lose();
        if (deadlines.get(p) === deadline) deadlines.delete(p);
        gates.get(p)?.open();
        gates.delete(p);
        await abandoning;
        return;
      }
      runners.set(p, runner);
      keeper.setRecord(record());
      stats.count("acquired");
      log(
        `vigil cluster: ${id} owns partition ${p} (restored ${runner.restoredApplied} applied events)`,
      );
    } catch (e) {
      deadline.lose();
      if (deadlines.get(p) === deadline) deadlines.delete(p);
      gates.get(p)?.open();
      gates.delete(p);
      if (held.delete(p)) {
        await keeper.release(p).catch((e) =>
          log(`vigil cluster: releasing partition ${p} failed: ${(e as Error).message}`)
        );
      }
      log(`vigil cluster: ${id} could not start partition ${p}: ${(e as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
  }

  async function assign(): Promise<void> {
    const members = (await bucket.members()).map((m) => m.id);
    if (!members.includes(id)) members.push(id);
    const desired = desiredAssignment(members, n);
    // Each hand-over or start runs on its own (`busy` keeps one per partition), so one slow
    // partition never holds up the others.
    const run = (p: number, what: string, work: () => Promise<void>) => {
      busy.add(p);
      work().catch((e) => {
        if (!stopping) {
          log(`vigil cluster: ${what} of partition ${p} failed: ${(e as Error).message}`);
        }
      }).finally(() => busy.delete(p));
    };
    for (const d of desired) {
      const p = d.partition;
      if (busy.has(p) || stopping) continue;
      if (held.has(p) && runners.has(p) && d.owner !== id) {
        run(p, "hand-over", () => drop(p, true, `rebalanced to ${d.owner}`));
      } else if (!held.has(p) && d.owner === id) {
        run(p, "start", () => acquire(p));
      }
    }
  }

  const guard = (what: string, fn: () => Promise<void>) => {
    let running = false;
    return () => {
      if (running || stopping) return;
      running = true;
      fn().catch((e) => {
        if (!stopping) log(`vigil cluster: ${what} failed: ${(e as Error).message}`);
      })
        .finally(() => (running = false));
    };
  };
  // A compare-and-set like every later write: an attempt whose answer was lost and that lands
  // after the keeper's writes is refused instead of putting this older record back.
  await ready("writes to the KV bucket 'VIGIL_CLUSTER'", () => registerFirst(bucket, record()));
  keeper.start(record());
  const assignTimer = setInterval(guard("assignment", assign), options.tickMs ?? 250);

  return {
    id,
    partitions: n,
    bucket,
    runners,
    setUrl(u) {
      url = u;
      // The keeper writes a new URL at once, in order with its other registration writes (peers
      // reach this member's part of the view there).
      keeper.setRecord(record());
    },
    leaseStats: () => stats.stats(),
    leaseHistograms: () => stats.histograms(),
    owned() {
      return [...runners.values()].map((r) => {
        const m = r.service.collector.metrics();
        return {
          partition: r.partition,
          startedAt: r.startedAt,
          restoredApplied: r.restoredApplied,
          firstAppliedAt: r.firstAppliedAt,
          applied: m.applied,
          violations: m.violations,
          duplicates: m.duplicates,
          late: m.late,
          lost: m.lost,
          partitions: r.service.collector.partitions().length,
          alerts: r.alertCounts(),
        };
      }).sort((a, b) => a.partition - b.partition);
    },
    async stop() {
      stopping = true;
      clearInterval(assignTimer);
      // Wait for a start or hand-over in progress, then hand everything over.
      const deadline = Date.now() + 10_000;
      while (busy.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      await Promise.all([...held].map((p) => drop(p, true, "leaving")));
      await keeper.stop();
      await bucket.unregister(id).catch(() => {});
    },
  };
}
