/**
 * Exactly-once alert routing across a partition's owners: before a
 * violation is routed (webhooks, the NATS alert subject), its id is
 * recorded by compare-and-set in the partition's ledger, the key
 * `routed.<cluster>.<p>` of the state bucket, as `pending:<owner>`; once
 * its deliveries ended (after their retries) it is marked `done`. A new
 * owner re-raises, from redelivered events, every violation its restored
 * state does not hold (raised after the previous owner's last save): an
 * id the ledger holds as `done` is not routed again (it still counts and
 * is listed: it happened), only counted as suppressed.
 *
 * Where exactly-once gives way to at-least-once (never to a lost alert):
 * - an id left `pending` by another owner (it died or lost its lease while
 *   delivering), or by an earlier ledger of the same member id (a member
 *   restarted with the same `--instance` after dying mid-delivery, or one
 *   that lost the partition and took it back), is routed again, counted as
 *   `resent`: only this ledger's own pending ids are skipped;
 * - a ledger write lost to a concurrent one (nats-server 2.9.10 lets both
 *   compare-and-sets on one revision succeed, `partition_store.ts`) only
 *   drops marks or trims: an id is skipped only when marked `done`, which
 *   is written after its routing ended, so a lost write can make an alert
 *   go twice, never not at all;
 * - when the ledger cannot be written (NATS out of reach, the write timed
 *   out), the alert is routed anyway, counted as `unrecorded` and logged;
 *   a later owner may then route it again.
 *
 * While the partition's lease is uncertain (`lease_deadline.ts`: raised at
 * or after the deadline, the last successful renewal's send plus the TTL),
 * a violation is held, not routed: routed once a renewal shows the lease
 * held when it was raised, dropped here when the lease is lost. A dropped
 * one came from events whose save cannot count (a save covering them waits
 * for the same renewal), so they are not acknowledged and go to the next
 * owner, which normally raises it again; a verdict that depended on when
 * events arrived may not come again, so a dropped alert is handed over: it
 * is written for the partition's next owner, one KV key per alert
 * (`handover_store.ts`), which the next owner reads and routes what it did
 * not raise itself (`alert_handover.ts`). One that cannot be written (past
 * a bound, or NATS out of reach) is said whole in the log (for the
 * operator).
 * Held, dropped, handed-over and unhanded alerts are counted and each
 * stretch is logged once.
 *
 * The ledger holds only what a saved state does not: after each save the
 * ids raised before its snapshot are removed ({@link AlertLedger.mark},
 * {@link AlertLedger.trim}), since a state that holds a violation is never
 * made to raise it again. Operations run one at a time in their order, so
 * a trim never removes an id whose routing has not ended.
 *
 * @module
 */
import type { KV } from "@nats-io/kv";
import type { AlertRouter } from "../server/alerts.ts";
import type { Violation } from "../engine/types.ts";
import { checkId } from "./leases.ts";
import {
  type HandoverBucket,
  handoverKeys,
  kvHandoverBucket,
  writeHandover,
} from "./handover_store.ts";
import { removeEntries, updateJson } from "./kv_json.ts";
import { leaseClock } from "./lease_deadline.ts";
import type { SaveDeadline } from "./partition_store.ts";

/**
 * What a ledger did so far.
 *
 * @example Counters of a fresh ledger
 * ```ts
 * import assert from "node:assert/strict";
 * import type { AlertLedgerCounts } from "./alert_ledger.ts";
 * const c: AlertLedgerCounts = {
 *   routed: 0, suppressed: 0, resent: 0, unrecorded: 0, held: 0, dropped: 0, handedOver: 0,
 *   unhanded: 0,
 * };
 * assert.equal(c.suppressed, 0);
 * ```
 */
export interface AlertLedgerCounts {
  /** Violations routed after being recorded (first routing). */
  readonly routed: number;
  /** Re-raised violations another owner had routed: not routed again. */
  readonly suppressed: number;
  /** Violations another owner left pending (mid-delivery when it went), routed again. */
  readonly resent: number;
  /** Violations routed without a record (the ledger could not be written). */
  readonly unrecorded: number;
  /** Violations raised while the lease was uncertain, held until it was certain or lost. */
  readonly held: number;
  /** Of {@link held}, those dropped here because the lease was lost. */
  readonly dropped: number;
  /** Of {@link dropped}, those written for the next owner (`handover_store.ts`). */
  readonly handedOver: number;
  /** Of {@link dropped}, those that could not be written there: said whole in the log. */
  readonly unhanded: number;
}

/**
 * A partition's ledger.
 *
 * @example Route, then trim after a save
 * ```ts ignore
 * ledger.send(violation);
 * const mark = ledger.mark();
 * await store.save(snapshot);
 * ledger.trim(mark);
 * ```
 */
export interface AlertLedger {
  /**
   * Routes `v` unless the ledger says another owner already did; raised while the lease is
   * uncertain, it is held until the lease is certain (then routed) or lost (then dropped).
   */
  send(v: Violation): void;
  /** Position of the next send: a later {@link trim} removes the ids sent before it. */
  mark(): number;
  /** A save covering everything sent before `mark` succeeded: drop those ids from the ledger. */
  trim(mark: number): void;
  /** Waits until every held violation was routed or dropped and every queued operation ended. */
  drain(): Promise<void>;
  /** What it did. */
  counts(): AlertLedgerCounts;
}

/**
 * Options of {@link createAlertLedger}.
 *
 * @example Partition 3 of cluster `vigil`, owned by `c1`
 * ```ts
 * import assert from "node:assert/strict";
 * import type { AlertLedgerOptions } from "./alert_ledger.ts";
 * const o: AlertLedgerOptions = { cluster: "vigil", owner: "c1", partition: 3 };
 * assert.equal(o.partition, 3);
 * ```
 */
export interface AlertLedgerOptions {
  /** Cluster id. */
  readonly cluster: string;
  /** This owner's member id. */
  readonly owner: string;
  /** The partition. */
  readonly partition: number;
  /** Failures, one line each. Default `console.error`. */
  readonly log?: (line: string) => void;
  /** How long one ledger read or write may take, ms. Default 5 000. */
  readonly timeoutMs?: number;
  /**
   * The partition's lease deadline (a `LeaseDeadline`, `lease_deadline.ts`): a violation raised
   * at or after it is held until a renewal moves it past the raise, dropped once the lease is
   * lost. Without it every violation is routed at once (a ledger without a lease: tests, tools).
   */
  readonly lease?: SaveDeadline;
  /** The clock the lease's deadline is on. Default `leaseClock`. */
  readonly clock?: () => number;
  /**
   * Where dropped held alerts are written for the next owner (`handover_store.ts`). Default the
   * ledger's KV itself (`kvHandoverBucket`).
   */
  readonly handover?: HandoverBucket;
  /**
   * Called once per violation held, once per held violation dropped, and once per dropped one
   * handed over or not (`unhanded`).
   */
  readonly onHeld?: (outcome: HeldOutcome) => void;
}

/**
 * What became of a held violation: `held` when it is held, then `dropped` when the lease is lost,
 * then `handedOver` or `unhanded`.
 *
 * @example Counting outcomes
 * ```ts
 * import assert from "node:assert/strict";
 * import type { HeldOutcome } from "./alert_ledger.ts";
 * const seen: HeldOutcome[] = ["held", "dropped", "handedOver"];
 * assert.equal(seen.length, 3);
 * ```
 */
export type HeldOutcome = "held" | "dropped" | "handedOver" | "unhanded";

/** The ledger's value: id -> `done` or `pending:<owner>`. */
type Entries = Record<string, string>;

/**
 * Creates the ledger of one partition in `kv` (the state bucket), routing through `router`.
 *
 * @example Exactly once over two owners
 * ```ts ignore
 * const ledger = createAlertLedger(kv, router, { cluster: "vigil", owner: "c1", partition: 3 });
 * ledger.send(v);
 * await ledger.drain();
 * ```
 */
export function createAlertLedger(
  kv: KV,
  router: AlertRouter<Violation>,
  options: AlertLedgerOptions,
): AlertLedger {
  checkId(options.cluster, "cluster id");
  checkId(options.owner, "member id");
  const p = options.partition;
  const key = `routed.${options.cluster}.${p}`;
  const me = options.owner;
  const log = options.log ?? ((line: string) => console.error(line));
  const timeoutMs = options.timeoutMs ?? 5_000;
  const handover = options.handover ?? kvHandoverBucket(kv);
  let routed = 0;
  let suppressed = 0;
  let resent = 0;
  let unrecorded = 0;
  let heldCount = 0;
  let droppedCount = 0;
  let handedOverCount = 0;
  let unhandedCount = 0;
  /** Dropped held violations to hand over (written in one record update). */
  const toHandOver: Violation[] = [];
  let handOverQueued = false;
  const lease = options.lease;
  const clock = options.clock ?? leaseClock;
  /** Violations held while the lease is uncertain, each until it is certain or lost. */
  const holding = new Set<Promise<void>>();
  /** Dropped in the current stretch of held violations (logged when it ends). */
  let droppedNow = 0;
  /** Ids sent, by position (trimmed ones removed). */
  const sentIds = new Map<number, string>();
  let next = 0;
  let queue: Promise<void> = Promise.resolve();
  const pending: Violation[] = [];
  let batchQueued = false;
  /** Ids this ledger recorded as pending (its own routing, not a previous life's of the member). */
  const mine = new Set<string>();
  /** Ids whose trim failed: trimmed with the next. */
  const trimLater = new Set<string>();

  /** Read-modify-write by compare-and-set; `change` returns false to skip the write. */
  const update = (change: (entries: Entries) => boolean): Promise<void> =>
    updateJson<Entries>(kv, key, change, timeoutMs);

  /** A held violation that cannot reach the next owner: said whole, for the operator. */
  function unhanded(v: Violation, why: string): void {
    unhandedCount++;
    options.onHeld?.("unhanded");
    log(
      `vigil cluster: partition ${p} could not hand held alert ${v.id} over to the next owner ` +
        `(${why}); the next owner raises it only if its own judgement does: ${v.message} ` +
        JSON.stringify(v),
    );
  }

  async function handOverBatch(): Promise<void> {
    handOverQueued = false;
    const batch = toHandOver.splice(0);
    let result: Awaited<ReturnType<typeof writeHandover>>;
    try {
      result = await writeHandover(handover, me, batch, {
        cluster: options.cluster,
        partition: p,
        timeoutMs,
      });
    } catch (e) {
      for (const v of batch) unhanded(v, (e as Error).message);
      return;
    }
    const { written, left } = result;
    handedOverCount += written;
    for (let i = 0; i < written; i++) options.onHeld?.("handedOver");
    for (const { violation, why } of left) unhanded(violation, why);
    if (written > 0) {
      log(
        `vigil cluster: partition ${p} handed ${written} held alert(s) over to the next owner ` +
          `(${handoverKeys(options.cluster, p)}), which raises those it does not raise itself`,
      );
    }
  }

  async function routeBatch(): Promise<void> {
    batchQueued = false;
    const batch = pending.splice(0);
    const toSend: Violation[] = [];
    const resentNow = new Set<Violation>();
    try {
      await update((entries) => {
        toSend.length = 0;
        resentNow.clear();
        let changed = false;
        for (const v of batch) {
          const was = entries[v.id];
          // Pending by this very ledger: its routing is under way here. Pending by this member id
          // but not by this ledger (a previous life of the member, killed mid-delivery, or an
          // earlier ownership of the partition) may never have been delivered: routed again.
          if (was === "done" || (was === `pending:${me}` && mine.has(v.id))) continue;
          if (was !== undefined) resentNow.add(v);
          toSend.push(v);
          entries[v.id] = `pending:${me}`;
          mine.add(v.id);
          changed = true;
        }
        return changed;
      });
      const chosen = new Set(toSend);
      for (const v of batch) if (!chosen.has(v)) suppressed++;
    } catch (e) {
      // Never lose an alert: route without the record (a later owner may route it again).
      unrecorded += batch.length;
      log(
        `vigil cluster: partition ${p} could not record ${batch.length} alert(s) before routing ` +
          `(${(e as Error).message}); routed anyway, a later owner may route them again`,
      );
      for (const v of batch) router.send(v);
      await router.drain();
      return;
    }
    if (toSend.length === 0) return;
    for (const v of toSend) router.send(v);
    await router.drain();
    resent += resentNow.size;
    routed += toSend.length - resentNow.size;
    try {
      await update((entries) => {
        for (const v of toSend) entries[v.id] = "done";
        return true;
      });
    } catch (e) {
      log(
        `vigil cluster: partition ${p} could not mark ${toSend.length} routed alert(s) done ` +
          `(${(e as Error).message}); a later owner may route them again`,
      );
    }
  }

  const enqueue = (work: () => Promise<void>) => {
    queue = queue.then(work).catch((e) =>
      log(`vigil cluster: partition ${p} alert ledger failed: ${(e as Error).message}`)
    );
  };

  function route(v: Violation): void {
    sentIds.set(next++, v.id);
    pending.push(v);
    if (batchQueued) return;
    batchQueued = true;
    enqueue(routeBatch);
  }

  /** Raised at `at`, at or after the lease's deadline: routed once certain, dropped once lost. */
  function hold(v: Violation, at: number): void {
    if (holding.size === 0) {
      log(
        `vigil cluster: partition ${p} holds its alerts: raised after its lease's deadline, ` +
          `routed once a renewal shows the lease held, dropped if it is lost (the next owner ` +
          `raises them again from the unacknowledged events)`,
      );
    }
    heldCount++;
    options.onHeld?.("held");
    const waiting: Promise<void> = lease!.counts(at).then((ok) => {
      holding.delete(waiting);
      if (ok) route(v);
      else {
        droppedCount++;
        droppedNow++;
        options.onHeld?.("dropped");
        toHandOver.push(v);
        if (!handOverQueued) {
          handOverQueued = true;
          enqueue(handOverBatch);
        }
      }
      if (holding.size === 0 && droppedNow > 0) {
        log(
          `vigil cluster: partition ${p} dropped ${droppedNow} held alert(s): its lease was lost ` +
            `(handed over to the next owner)`,
        );
        droppedNow = 0;
      }
    });
    holding.add(waiting);
  }

  return {
    send(v) {
      if (lease === undefined) return route(v);
      const at = clock();
      if (lease.before(at)) route(v);
      else hold(v, at);
    },
    mark: () => next,
    trim(mark) {
      const ids = new Set<string>(trimLater);
      trimLater.clear();
      for (const [at, id] of sentIds) {
        if (at >= mark) break;
        ids.add(id);
        sentIds.delete(at);
        mine.delete(id);
      }
      if (ids.size === 0) return;
      enqueue(() =>
        removeEntries(kv, key, ids, timeoutMs).catch((e) => {
          log(
            `vigil cluster: partition ${p} could not trim its alert ledger (${
              (e as Error).message
            }); trimmed after the next save`,
          );
          for (const id of ids) trimLater.add(id);
        })
      );
    },
    drain: async () => {
      for (;;) {
        await Promise.all(holding);
        const q = queue;
        await q;
        if (q === queue && holding.size === 0) return;
      }
    },
    counts: () => ({
      routed,
      suppressed,
      resent,
      unrecorded,
      held: heldCount,
      dropped: droppedCount,
      handedOver: handedOverCount,
      unhanded: unhandedCount,
    }),
  };
}
