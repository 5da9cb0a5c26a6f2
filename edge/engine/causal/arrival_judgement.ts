/**
 * The causal judge's judgement on arrival (`CausalJudge` composes one;
 * `docs/causality.md`, "Judged on arrival"). A judgement in order does not
 * depend on when it is made, only on every interval before it in
 * canonical order having been judged first. So in a sparse partition
 * (lanes of P-intervals only, `exclusion_lanes.ts`) whose handoff chain
 * holds, a new P-interval the chain extends to is judged when it is
 * applied ({@link ArrivalJudgement.judge}), while its events are still in
 * the cache, not seconds later once the horizon passes it; in order, the
 * queue stays empty.
 *
 * An interval that turns up before intervals judged so (a concurrent hold
 * from a node whose clock is behind, or a late one) takes those judgements
 * back ({@link ArrivalJudgement.queueing}): every interval judged on
 * arrival whose start the horizon has not passed ({@link judgedEarly}) is
 * queued again and the chain starts again, as if they had waited in the
 * queue. The lane cap takes them back too before it drops one of them
 * (`lane_pruning.ts`), a snapshot saves them as queued
 * (`judge_snapshots.ts`), and the partition stays watched while any is
 * pending ({@link earlyPending}), so the horizon moves as it would have.
 *
 * The chain itself (`CausalPartition.chain`, `chainLast`) is the exclusion
 * lanes' (`ExclusionLanes.search` keeps it in order, on arrival or not):
 * this side reads it, and clears it when it takes judgements back. Once per
 * interval entering P: no argument object, one call to the exclusion lanes.
 *
 * @module
 */
import type { ExclusionLanes } from "./exclusion_lanes.ts";
import { type CausalPartition, compareStarts, type Interval } from "./lanes.ts";

/**
 * True when some interval of `cp` was judged before the horizon passed
 * its start (on arrival: the handoff chain extended to it,
 * {@link ArrivalJudgement.judge}) and the horizon has not passed it yet:
 * the chain's last then is one (the newest judged).
 *
 * @example The chain's last, judged on arrival, is pending until the horizon passes it
 * ```ts
 * import assert from "node:assert/strict";
 * import { earlyPending } from "./arrival_judgement.ts";
 * import { CausalPartition, Interval } from "./lanes.ts";
 * import { StateArena } from "./state_arena.ts";
 * import { CutVerdicts } from "./cut_verdicts.ts";
 * const cp = new CausalPartition(new StateArena(4), new CutVerdicts({ stride: 4, slots: [{ offset: 0, width: 4 }] }));
 * assert.equal(earlyPending(cp), false); // nothing judged yet
 * cp.chainLast = new Interval({ node: "A", index: 0, boot: "b" }, { nid: 0, seq: 0, action: 0, wall: 100, logical: 0, block: cp.arena.alloc() });
 * cp.horizon = 50;
 * assert.equal(earlyPending(cp), true);
 * cp.horizon = 150;
 * assert.equal(earlyPending(cp), false);
 * ```
 */
export function earlyPending(cp: CausalPartition): boolean {
  const last = cp.chainLast;
  return last !== null && last.wall >= cp.horizon;
}

/**
 * The intervals of the lanes of `cp` judged on arrival whose start the
 * horizon has not passed yet (see {@link earlyPending}), in canonical
 * order: those not queued with a start the horizon has not passed (an
 * interval judged once the horizon passed it starts before it). Empty
 * unless {@link earlyPending}.
 *
 * @example Of a lane, the intervals whose start the horizon has not passed
 * ```ts
 * import assert from "node:assert/strict";
 * import { judgedEarly } from "./arrival_judgement.ts";
 * import { CausalPartition, Interval } from "./lanes.ts";
 * import { StateArena } from "./state_arena.ts";
 * import { CutVerdicts } from "./cut_verdicts.ts";
 * const cp = new CausalPartition(new StateArena(4), new CutVerdicts({ stride: 4, slots: [{ offset: 0, width: 4 }] }));
 * const at = (seq: number, wall: number) =>
 *   new Interval({ node: "A", index: 0, boot: "b" }, { nid: 0, seq, action: 0, wall, logical: 0, block: cp.arena.alloc() });
 * const older = at(0, 40);
 * const hold = at(1, 100);
 * cp.lanes.push([older, hold]);
 * cp.chainLast = hold;
 * cp.horizon = 50; // passed `older` (judged once it did), not `hold` (judged on arrival)
 * assert.deepEqual(judgedEarly(cp), [hold]);
 * cp.horizon = 150;
 * assert.deepEqual(judgedEarly(cp), []);
 * ```
 */
export function judgedEarly(cp: CausalPartition): Interval[] {
  if (!earlyPending(cp)) return [];
  const out: Interval[] = [];
  for (const lane of cp.lanes) {
    for (let k = lane.length - 1; k >= 0; k--) {
      const i = lane[k]!;
      if (i.wall < cp.horizon) break;
      if (!i.queued && i.seq >= 0) out.push(i);
    }
  }
  return out.sort(compareStarts);
}

/** What {@link ArrivalJudgement} needs of its judge. */
export interface ArrivalJudgementOptions {
  /** The judge's exclusion lanes: whether the handoff chain extends to an interval (and extending it). */
  readonly exclusion: Pick<ExclusionLanes, "extends">;
  /** Judge on arrival at all (`CausalJudgeOptions.onArrival`; false: every interval waits for the horizon). */
  readonly enabled: boolean;
}

/**
 * Judges handoffs on arrival, and takes such judgements back (see the
 * module doc).
 *
 * @example A hold the chain extends to is judged on arrival, unless turned off
 * ```ts
 * import assert from "node:assert/strict";
 * import { ArrivalJudgement } from "./arrival_judgement.ts";
 * import { CausalPartition, Interval } from "./lanes.ts";
 * import { StateArena } from "./state_arena.ts";
 * import { CutVerdicts } from "./cut_verdicts.ts";
 * const cp = new CausalPartition(new StateArena(4), new CutVerdicts({ stride: 4, slots: [{ offset: 0, width: 4 }] }));
 * const at = (node: string, index: number, wall: number) =>
 *   new Interval({ node, index, boot: "b" }, { nid: index, seq: 0, action: 0, wall, logical: 0, block: cp.arena.alloc() });
 * const first = at("A", 0, 100);
 * cp.lanes.push([first], []);
 * cp.chain = true;
 * cp.chainLast = first;
 * const exclusion = { extends: (_: CausalPartition, i: Interval) => (cp.chainLast = i, true) };
 * assert.equal(new ArrivalJudgement({ exclusion, enabled: false }).judge(cp, at("B", 1, 200)), false);
 * const arrival = new ArrivalJudgement({ exclusion, enabled: true });
 * const second = at("B", 1, 200);
 * cp.lanes[1]!.push(second);
 * assert.equal(arrival.judge(cp, second), true);
 * // A hold of lane 1 that starts before it turns up: the judgements on arrival are taken back (queued again).
 * arrival.queueing(cp, at("B", 1, 150));
 * assert.equal(cp.chain, false);
 * assert.equal(cp.queue.length, 2);
 * ```
 */
export class ArrivalJudgement {
  readonly #exclusion: Pick<ExclusionLanes, "extends">;
  readonly #enabled: boolean;

  constructor(options: ArrivalJudgementOptions) {
    this.#exclusion = options.exclusion;
    this.#enabled = options.enabled;
  }

  /**
   * Judges P-interval `fresh` of sparse partition `cp` on arrival, not once
   * the horizon passes it, when the handoff chain extends to it
   * (`ExclusionLanes.extends`): first the queued intervals, in canonical
   * order, as long as the chain extends to each, then `fresh` if the queue
   * is empty then. A judgement is the same whenever it is made, as long as
   * every interval before it in canonical order was judged first: an
   * interval that turns up later before one judged early takes those
   * judgements back ({@link ArrivalJudgement.queueing}). Returns true when
   * `fresh` was judged. The caller checks that `fresh` is not late and
   * that no episode is open (whose raise point counts the intervals
   * judged). In order, a handoff is judged while its events are in the
   * cache, not seconds later, and the queue stays empty.
   */
  judge(cp: CausalPartition, fresh: Interval): boolean {
    if (!cp.chain || cp.chainLast === null || !this.#enabled) return false;
    const q = cp.queue;
    while (q.length > 0) {
      const head = q.at(0);
      if (!this.#exclusion.extends(cp, head)) return false;
      q.shift();
      head.queued = false;
      if (head.dropped) cp.arena.free(head.block);
    }
    return this.#exclusion.extends(cp, fresh);
  }

  /**
   * Interval `i` of `cp` is about to be queued: when it starts before the
   * chain's last while that was judged on arrival (the horizon has not
   * passed it), the judgements after `i` are taken back
   * ({@link ArrivalJudgement.takeBack}).
   */
  queueing(cp: CausalPartition, i: Interval): void {
    const last = cp.chainLast;
    if (last !== null && last.wall >= cp.horizon && compareStarts(i, last) < 0) this.takeBack(cp);
  }

  /**
   * Judgements made on arrival ({@link ArrivalJudgement.judge}) are taken
   * back: the intervals judged so whose start the horizon has not passed
   * ({@link judgedEarly}) are queued again, and the chain starts again at
   * the next one judged. Called when an interval before them in canonical
   * order turns up (it arrived after them), before the lane cap drops one,
   * and by nothing else: a judgement taken back is made again, the same,
   * once the horizon passes it.
   */
  takeBack(cp: CausalPartition): void {
    const early = judgedEarly(cp);
    cp.chain = false;
    cp.chainLast = null;
    for (const i of early) {
      i.queued = true;
      cp.queue.insert(i);
    }
  }
}
