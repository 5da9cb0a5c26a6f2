/**
 * Held alerts of a lost lease, handed to the partition's next owner.
 *
 * A violation raised at or after the partition lease's deadline is held
 * until a renewal shows the lease held (`alert_ledger.ts`); when the lease
 * is lost instead, the owner writes it for the next owner, one key of the
 * state bucket per alert (`handover_store.ts`: the member, when it gave the
 * alert up, and the violation), and does not route it. Its events
 * were not acknowledged, so the next owner applies them and normally raises
 * the same violation itself; but a verdict that depended on when events
 * arrived (a causal `possibly`, a liveness deadline passed late) may not
 * come again, and such an alert would be lost.
 *
 * The next owner's intake ({@link startAlertIntake}) reads the partition's
 * entries when it takes the partition and keeps reading them (every second
 * for the first `fastForMs`, the old owner may find its lease lost after the
 * new owner started; then every 10 s). Each entry waits until this owner has raised
 * the same episode ({@link sameEpisode}: same spec, key, kind, property
 * and violating event), then it is discarded
 * (counted `reraised`: one alert in all, the owner's own); or until the
 * held violation's last event is applied here and `settleMs` more passed
 * (the judgement that would raise it again had its time), or `maxWaitMs`
 * passed since the entry was seen (its events may never come), then it is
 * routed through the ledger as `<id>@<member>` with a `handedOver` field
 * (counted `takenOver`): once over the owners, like any alert. An entry is
 * removed after its routing ended, so an owner that dies in
 * between leaves it to the next (routed again: at least once).
 *
 * @module
 */
import type { Collector, Violation } from "../engine/types.ts";
import {
  type HandedOver,
  type HandoverBucket,
  type HandoverEntry,
  legacyHandoverKey,
  readHandover,
  removeHandover,
} from "./handover_store.ts";

export type { HandedOver } from "./handover_store.ts";

/**
 * A violation routed by the next owner, not raised by its own core: its id
 * is `<original id>@<member that raised it>`, and `handedOver` says so.
 *
 * @example The id of a handed-over alert
 * ```ts
 * import assert from "node:assert/strict";
 * import type { HandedOverViolation } from "./alert_handover.ts";
 * const v = { id: "abc:lock:1:3@c1", handedOver: { from: "c1", lostAt: 0 } } as HandedOverViolation;
 * assert.ok(v.id.endsWith(`@${v.handedOver.from}`));
 * ```
 */
export type HandedOverViolation = Violation & { readonly handedOver: HandedOver };

/**
 * What makes a violation's episode ({@link sameEpisode}): a violation has them all.
 *
 * @example The fields of a violation an intake keeps
 * ```ts
 * import assert from "node:assert/strict";
 * import type { EpisodeFields } from "./alert_handover.ts";
 * const e: EpisodeFields = {
 *   id: "abc:lock:1:3", spec: "abc", partition: "lock:1", kind: "invariant",
 *   property: { item: "global invariant", name: "OneHolder" }, at: { wall: 5, logical: 0 },
 * };
 * assert.equal(e.property.name, "OneHolder");
 * ```
 */
export interface EpisodeFields {
  /** `<spec>:<key>:<n>`. */
  readonly id: string;
  /** Spec content hash. */
  readonly spec: string;
  /** Instance key. */
  readonly partition: string;
  /** `invariant` or `liveness_timeout`. */
  readonly kind: Violation["kind"];
  /** The property's kind of item and name. */
  readonly property: Pick<Violation["property"], "item" | "name">;
  /** The violating event's stamp (or the merged time that passed a deadline). */
  readonly at: { readonly wall: number; readonly logical: number };
}

/**
 * Whether two violations of one partition are the same episode: same spec,
 * key, kind and property, and the same violating event (`at`), whatever
 * their numbers. The same number alone is not enough: the next owner
 * counts the key's violations from the same saved state, but a verdict
 * that depended on arrival may differ there, so its third violation may be
 * another episode than the old owner's third, and taking them for one
 * would discard a handed-over alert nobody raised (lost). The same episode
 * raised at another event is taken for two: its alert comes twice, never
 * zero times.
 *
 * @example The same failure raised by two owners
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Violation } from "../engine/types.ts";
 * import { sameEpisode } from "./alert_handover.ts";
 * const v = {
 *   id: "abc:lock:1:3", spec: "abc", partition: "lock:1", kind: "invariant",
 *   property: { item: "global invariant", name: "OneHolder" }, at: { wall: 5, logical: 0 },
 * } as unknown as Violation;
 * assert.equal(sameEpisode(v, { ...v }), true);
 * assert.equal(sameEpisode(v, { ...v, id: "abc:lock:1:2" }), true); // same event
 * assert.equal(sameEpisode(v, { ...v, at: { wall: 6, logical: 0 } }), false); // same number only
 * ```
 */
export function sameEpisode(a: EpisodeFields, b: EpisodeFields): boolean {
  if (
    a.spec !== b.spec || a.partition !== b.partition || a.kind !== b.kind ||
    a.property.item !== b.property.item || a.property.name !== b.property.name
  ) return false;
  return a.at.wall === b.at.wall && a.at.logical === b.at.logical;
}

/**
 * How long after a held alert's last event is applied the next owner waits for its own judgement
 * to raise the same episode, ms: 4 times the causal skew bound plus twice the reorder window plus
 * 1 s (a causal episode is raised 4S + 2W after its detection). A longest wait
 * (`AlertIntakeOptions.maxWaitMs`) shorter than this cuts that time short.
 *
 * @example The defaults: no skew bound, a 250 ms window; a 500 ms bound
 * ```ts
 * import assert from "node:assert/strict";
 * import { handoverSettleMs } from "./alert_handover.ts";
 * assert.equal(handoverSettleMs({}), 1_500);
 * assert.equal(handoverSettleMs({ maxSkewMs: 500, windowMs: 250 }), 3_500);
 * ```
 */
export function handoverSettleMs(
  core: { readonly maxSkewMs?: number; readonly windowMs?: number },
): number {
  return 4 * (core.maxSkewMs ?? 0) + 2 * (core.windowMs ?? 250) + 1_000;
}

/**
 * What an intake did with the alerts handed to it.
 *
 * @example Nothing yet
 * ```ts
 * import assert from "node:assert/strict";
 * import type { AlertIntakeCounts } from "./alert_handover.ts";
 * const c: AlertIntakeCounts = { reraised: 0, takenOver: 0 };
 * assert.equal(c.takenOver, 0);
 * ```
 */
export interface AlertIntakeCounts {
  /** Handed-over alerts this owner raised again itself: discarded (its own alert is the one). */
  readonly reraised: number;
  /** Handed-over alerts this owner did not raise again: routed as `<id>@<member>`. */
  readonly takenOver: number;
}

/**
 * Options of {@link startAlertIntake}.
 *
 * @example Partition 3, settling a second after the held alert's events
 * ```ts ignore
 * const intake = startAlertIntake(states.handover, {
 *   cluster: "vigil", partition: 3, collector, send: (v) => ledger.send(v),
 *   drain: () => ledger.drain(), settleMs: 1_000,
 * });
 * ```
 */
export interface AlertIntakeOptions {
  /** Cluster id. */
  readonly cluster: string;
  /** The partition. */
  readonly partition: number;
  /** This owner's core: its violations are compared, its applied events looked up. */
  readonly collector: Pick<Collector, "on" | "appliedThrough">;
  /** Routes a handed-over alert this owner did not raise again (the ledger's `send`). */
  readonly send: (v: HandedOverViolation) => void;
  /** Resolves once what was sent has been routed (the ledger's `drain`). */
  readonly drain: () => Promise<void>;
  /**
   * How long after a held alert's last event is applied here it waits for this owner to raise
   * the same episode, ms. The partition runner gives 4 times the causal skew bound plus twice
   * the reorder window plus 1 s (a causal episode is raised 4S + 2W after its detection).
   */
  readonly settleMs: number;
  /** How long an entry waits at most, from when it was read, ms. Default 60 000. */
  readonly maxWaitMs?: number;
  /** Read the record every second for this long after the start, ms. Default 15 000. */
  readonly fastForMs?: number;
  /** Then every this many ms. Default 10 000. */
  readonly slowPollMs?: number;
  /** One KV read or write at most, ms. Default 5 000. */
  readonly timeoutMs?: number;
  /** Failures, one line each. Default `console.error`. */
  readonly log?: (line: string) => void;
  /** Called once per handed-over alert decided. */
  readonly onOutcome?: (outcome: "reraised" | "takenOver") => void;
  /** Clock, ms. Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * A running intake.
 *
 * @example Stop with the partition
 * ```ts ignore
 * await intake.stop();
 * ```
 */
export interface AlertIntake {
  /** What it did. */
  counts(): AlertIntakeCounts;
  /** The copies it routed (the latest {@link COPIES_KEPT}), oldest first. */
  copies(): readonly HandedOverViolation[];
  /**
   * Stops reading; an entry not decided yet stays in the record for the next owner. Resolves
   * once a removal under way ended.
   */
  stop(): Promise<void>;
}

/** Own violations kept for comparison (the latest). */
const OWN_KEPT = 4_096;

/** Routed copies an intake lists (the latest). */
export const COPIES_KEPT = 256;

/**
 * Starts the intake of partition `options.partition`'s handed-over alerts from `bucket` (the state
 * bucket, `handover_store.ts`). Call it before the partition consumes, so every violation its core
 * raises is seen.
 *
 * @example Take a partition's handed-over alerts
 * ```ts ignore
 * const intake = startAlertIntake(states.handover, { cluster, partition: p, collector, send, drain, settleMs });
 * ```
 */
export function startAlertIntake(bucket: HandoverBucket, options: AlertIntakeOptions): AlertIntake {
  const { cluster, partition: p } = options;
  const now = options.now ?? Date.now;
  const log = options.log ?? ((line: string) => console.error(line));
  const timeoutMs = options.timeoutMs ?? 5_000;
  const maxWaitMs = options.maxWaitMs ?? 60_000;
  const fastForMs = options.fastForMs ?? 15_000;
  const slowPollMs = options.slowPollMs ?? 10_000;
  const startedAt = now();
  const legacy = legacyHandoverKey(cluster, p);
  /** This core's violations since the start, only what identifies their episodes. */
  const own: EpisodeFields[] = [];
  /** Entries read, not decided: when seen, and when their last event was first found applied. */
  const waiting = new Map<
    string,
    { entry: HandoverEntry; seenAt: number; appliedAt: number | null }
  >();
  /** Entries decided here (never decided twice, even when their removal failed). */
  const decided = new Set<string>();
  /** Where each entry id read is held (its own key, the old layout's record, or both). */
  const sources = new Map<string, Set<string>>();
  /** Per-alert keys read once (not read again: an entry's key is fixed by its id). */
  const seenKeys = new Set<string>();
  /** Decided entries to remove (after their routing ended). */
  const toRemove = new Set<string>();
  let reraised = 0;
  let takenOver = 0;
  const copies: HandedOverViolation[] = [];
  let stopped = false;
  let lastPoll = -Infinity;
  let polling: Promise<void> | null = null;
  let removing: Promise<void> | null = null;
  let readFailures = 0;
  let removeFailures = 0;

  const unlisten = options.collector.on((ev) => {
    if (ev.type !== "violation") return;
    const v = ev.violation;
    own.push({
      id: v.id,
      spec: v.spec,
      partition: v.partition,
      kind: v.kind,
      property: { item: v.property.item, name: v.property.name },
      at: { wall: v.at.wall, logical: v.at.logical },
    });
    if (own.length > OWN_KEPT) own.splice(0, own.length - OWN_KEPT);
    if (waiting.size > 0) decide();
  });

  const applied = (v: Violation): boolean => {
    const last = v.history.at(-1);
    if (last === undefined) return true;
    const stream = {
      spec: last.spec ?? v.spec,
      specName: v.specName,
      node: last.node,
      boot: last.boot,
    };
    return options.collector.appliedThrough(stream) >= last.seq;
  };

  function decide(): void {
    const t = now();
    for (const [id, w] of waiting) {
      const v = w.entry.violation;
      if (own.some((o) => sameEpisode(o, v))) {
        waiting.delete(id);
        decided.add(id);
        reraised++;
        options.onOutcome?.("reraised");
        toRemove.add(id);
        continue;
      }
      if (w.appliedAt === null && applied(v)) w.appliedAt = t;
      const settled = w.appliedAt !== null && t - w.appliedAt >= options.settleMs;
      if (!settled && t - w.seenAt < maxWaitMs) continue;
      waiting.delete(id);
      decided.add(id);
      takenOver++;
      options.onOutcome?.("takenOver");
      const { from, lostAt } = w.entry;
      log(
        `vigil cluster: partition ${p} raises alert ${id}, held by ${from} when it lost the ` +
          `partition's lease and not raised again here (${
            settled ? "its events applied" : `its events not applied within ${maxWaitMs} ms`
          }): ${v.message}`,
      );
      const copy: HandedOverViolation = { ...v, id, handedOver: { from, lostAt } };
      copies.push(copy);
      if (copies.length > COPIES_KEPT) copies.shift();
      options.send(copy);
      toRemove.add(id);
    }
    if (toRemove.size > 0) remove();
  }

  function remove(): void {
    if (removing !== null || toRemove.size === 0) return;
    removing = (async () => {
      // Routing ends before the entry is forgotten: an owner dying in between leaves it to the
      // next, which routes it again (at least once), never to none.
      await options.drain();
      const ids = [...toRemove];
      const items = ids.flatMap((id) =>
        [...(sources.get(id) ?? [])].map((source) => ({ id, source }))
      );
      await removeHandover(bucket, cluster, p, items, timeoutMs);
      if (removeFailures > 0) {
        log(
          `vigil cluster: partition ${p} removed its decided handed-over alerts after ` +
            `${removeFailures} failed tries`,
        );
        removeFailures = 0;
      }
      for (const id of ids) {
        toRemove.delete(id);
        // A key written again after this (a late retry of its write) is read and removed again.
        for (const source of sources.get(id) ?? []) seenKeys.delete(source);
        sources.delete(id);
      }
    })().catch((e) => {
      // Tried again at every tick: said once per stretch of failures, and when it ends.
      if (removeFailures++ === 0) {
        log(
          `vigil cluster: partition ${p} could not remove handed-over alerts ` +
            `(${(e as Error).message}); trying again`,
        );
      }
    }).finally(() => (removing = null));
  }

  /** Notes that `id` is held at `source`; true when the id is new (neither waiting nor decided). */
  function heldAt(id: string, source: string): boolean {
    let known = sources.get(id);
    const fresh = known === undefined && !decided.has(id);
    if (known === undefined) sources.set(id, known = new Set());
    known.add(source);
    // Decided already (the same id in both layouts, or written again after its removal): it goes.
    if (decided.has(id)) toRemove.add(id);
    return fresh;
  }

  function poll(): void {
    if (polling !== null) return;
    lastPoll = now();
    polling = readHandover(bucket, cluster, p, (k) => seenKeys.has(k), timeoutMs).then((read) => {
      readFailures = 0;
      const t = now();
      for (const { id, source } of read.malformed) {
        if (source !== legacy) seenKeys.add(source);
        if (!decided.has(id)) {
          log(`vigil cluster: partition ${p} ignores a malformed hand-over entry '${id}'`);
          // Removed like a decided one: else every later owner would say it again.
          decided.add(id);
        }
        heldAt(id, source);
      }
      for (const entry of read.entries) {
        if (entry.source !== legacy) seenKeys.add(entry.source);
        if (heldAt(entry.id, entry.source)) {
          waiting.set(entry.id, { entry, seenAt: t, appliedAt: null });
        }
      }
      if (waiting.size > 0) decide();
      else if (toRemove.size > 0) remove();
    }).catch((e) => {
      if (readFailures++ === 0) {
        log(
          `vigil cluster: partition ${p} could not read its handed-over alerts ` +
            `(${(e as Error).message}); trying again`,
        );
      }
    }).finally(() => (polling = null));
  }

  const timer = setInterval(() => {
    if (stopped) return;
    const t = now();
    const period = t - startedAt < fastForMs ? 1_000 : slowPollMs;
    if (t - lastPoll >= period) poll();
    if (waiting.size > 0) decide();
    else if (toRemove.size > 0) remove();
  }, 250);
  poll();

  return {
    counts: () => ({ reraised, takenOver }),
    copies: () => copies,
    async stop() {
      stopped = true;
      clearInterval(timer);
      unlisten();
      await polling;
      await removing;
      // One last removal of what was decided, so the next owner does not decide it again.
      remove();
      await removing;
    },
  };
}
