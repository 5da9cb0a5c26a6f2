/**
 * Lane retirement in a causal judge (`causal_judge.ts`): a participant the
 * engine retires (`../retirement.ts`: at rest and silent long past its last
 * event) takes its lane with it. The lane's intervals are freed, its queued
 * ones leave the queue unjudged (the horizon passed them long ago), the
 * open episode's cuts leave the lane out (a cut whose failing intervals
 * include one of the lane's is dropped; an unraised episode left with no
 * cut closes, as a recheck that dissolves every cut does), and the
 * intervals the lanes no longer hold but the queue, the episode or the
 * handoff chain still name are renumbered as the lanes after it were
 * (`CausalPartition.removeLane`). The partition stays watched while
 * anything waits for its horizon: a queue, an episode, or handoffs judged
 * on arrival that the horizon has not passed (`earlyPending` of `arrival_judgement.ts`).
 *
 * @module
 */
import type { Partition } from "../partition.ts";
import type { CausalHost } from "./causal_host.ts";
import type { Episodes } from "./episodes.ts";
import type { CausalPartition, Interval } from "./lanes.ts";
import { earlyPending } from "./arrival_judgement.ts";

/**
 * What {@link LaneRetirement} needs of its judge.
 *
 * @example A judge's wiring
 * ```ts ignore
 * const retirement = new LaneRetirement({ host, episodes, unwatch: (p, cp) => open.delete(p) });
 * ```
 */
export interface LaneRetirementOptions {
  /** The judge's host: told of the partition's change and of an unraised episode that closed. */
  readonly host: Pick<CausalHost, "changed" | "episode">;
  /** The judge's episodes: what was confirmed of an episode's cuts lapses when they change. */
  readonly episodes: Pick<Episodes, "forget">;
  /** `p` has nothing queued and no episode left: the judge stops watching it. */
  unwatch(p: Partition, cp: CausalPartition): void;
}

/**
 * Retires lanes of a causal judge's partitions (see the module doc).
 *
 * @example Participant 1 of `p` retired
 * ```ts ignore
 * const freed = retirement.retire(p, cp, 1); // intervals its lane held
 * ```
 */
export class LaneRetirement {
  readonly #host: Pick<CausalHost, "changed" | "episode">;
  readonly #episodes: Pick<Episodes, "forget">;
  readonly #unwatch: (p: Partition, cp: CausalPartition) => void;

  constructor(options: LaneRetirementOptions) {
    this.#host = options.host;
    this.#episodes = options.episodes;
    this.#unwatch = options.unwatch;
  }

  /**
   * Lane `z` of `p` (causal side `cp`) is retired: frees it and returns how
   * many intervals it held. Afterwards nothing of `cp` refers to them.
   */
  retire(p: Partition, cp: CausalPartition, z: number): number {
    cp.changes++;
    this.#host.changed(p);
    const arena = cp.arena;
    // Queued intervals of the lane (in it, or dropped by it already) leave the queue.
    if (cp.queue.length > 0) {
      cp.queue.retain((i) => {
        if (i.lane !== z) return true;
        i.queued = false;
        if (i.dropped) arena.free(i.block);
        return false;
      });
    }
    if (cp.episode !== null) this.#leaveOut(p, cp, z);
    const lane = cp.removeLane(z);
    for (const i of lane) {
      i.dropped = true;
      if (!i.queued) arena.free(i.block);
    }
    // Intervals the lanes no longer hold but the queue, the episode or the chain still name: renumbered
    // once each as their lanes were (`CausalPartition.removeLane` renumbered the lanes' own).
    const seen = new Set<Interval>();
    const once = (i: Interval | null) => {
      if (i === null || seen.has(i)) return;
      seen.add(i);
      if (i.dropped && i.lane > z) i.lane--;
    };
    for (let k = 0; k < cp.queue.length; k++) once(cp.queue.at(k));
    for (const f of cp.episode?.found ?? []) for (const i of f.cut) once(i);
    for (const f of cp.episode?.found ?? []) for (const i of f.failing) once(i);
    once(cp.chainLast);
    for (const i of cp.tops) once(i);
    for (const i of cp.judged) once(i);
    // Watched on while handoffs judged on arrival wait for the horizon to pass them (`CausalJudge.advance`).
    if (cp.queue.length === 0 && cp.episode === null && !earlyPending(cp) && cp.watching) {
      this.#unwatch(p, cp);
    }
    return lane.length;
  }

  /** The open episode of `p` leaves lane `z` out of its cuts (see {@link LaneRetirement.retire}). */
  #leaveOut(p: Partition, cp: CausalPartition, z: number): void {
    const ep = cp.episode!;
    // The cuts move and change: what a recheck confirmed of the first ones is forgotten.
    this.#episodes.forget(ep);
    let kept = 0;
    for (const f of ep.found) {
      if (f.failing.some((i) => i.lane === z)) continue;
      const at = f.cut.findIndex((i) => i.lane === z);
      ep.found[kept++] = at < 0 ? f : {
        ...f,
        cut: f.cut.filter((_, k) => k !== at),
        states: f.states.filter((_, k) => k !== at),
      };
    }
    ep.found.length = kept;
    if (kept === 0 && !ep.raised) {
      cp.episode = null;
      this.#host.episode(p, 0, -ep.code, ep.at);
    }
  }
}
