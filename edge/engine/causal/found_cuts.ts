/**
 * A failing cut the cut search found (`cut_search.ts`), as an episode
 * keeps it (`lanes.ts`, `Found`): the intervals it shows, its smallest
 * failing subset (greedy, as the engine's `involved`), and copies of their
 * states (the arena reuses blocks). Built with no array per subset tried
 * and one buffer for the states' copies.
 *
 * @module
 */
import type { Partition } from "../partition.ts";
import type { CutVerdicts } from "./cut_verdicts.ts";
import { type CausalPartition, type Found, Interval } from "./lanes.ts";

/**
 * Options of {@link FoundCuts}.
 *
 * @example What the cut search passes
 * ```ts ignore
 * const options: FoundCutsOptions = { partOf: (p) => sides[p.index]!, checkIds: (p, memo, ids, n) => check(p, memo, ids, n) };
 * ```
 */
export interface FoundCutsOptions {
  /** The causal side of a partition (the judge's). */
  readonly partOf: (p: Partition) => CausalPartition;
  /** The global check on the states of projection ids `ids[0 .. n)`, remembered in `memo`. */
  readonly checkIds: (p: Partition, memo: CutVerdicts, ids: Int32Array, n: number) => number;
}

/**
 * Builds the failing cuts found ({@link FoundCuts.of}).
 *
 * @example How the cut search composes it
 * ```ts ignore
 * const cuts = new FoundCuts({ partOf, checkIds });
 * const found = cuts.of(p, cut, { code, base: true, shown: NONE_SHOWN });
 * ```
 */
export class FoundCuts {
  readonly #partOf: (p: Partition) => CausalPartition;
  readonly #checkIds: (p: Partition, memo: CutVerdicts, ids: Int32Array, n: number) => number;
  /** A cut's intervals left out of its failing subset, and the ids of a subset tested (reused). */
  #left = new Uint8Array(16);
  #subset = new Int32Array(16);
  /** The state blocks of a cut's shown intervals (reused). */
  #blocks = new Int32Array(16);

  /** The copies of the states of the intervals the cuts found in this search show (one per interval). */
  readonly #copies = new Map<Interval, Uint8Array>();

  constructor(options: FoundCutsOptions) {
    this.#partOf = options.partOf;
    this.#checkIds = options.checkIds;
  }

  /**
   * A search begins: the intervals' states may be copied anew (between
   * two searches a block may be freed and reused; within one, the lanes
   * and their blocks do not change, so the cuts found share the copy of
   * an interval's state).
   */
  begin(): void {
    if (this.#copies.size > 0) this.#copies.clear();
  }

  /**
   * Failing cut `cut` of `p` (a null entry leaves that node out; its
   * intervals with a state block interned), failing with `found.code`: it
   * shows those intervals, and each stretch outside P without a block that
   * `found.shown` holds with the block of its state, as its own copy (the
   * views keep theirs across searches, and the state one is shown with may
   * change before the next search: a snapshot keeps one state per
   * interval).
   */
  of(
    p: Partition,
    cut: readonly (Interval | null)[],
    found: {
      readonly code: number;
      readonly base: boolean;
      readonly shown: ReadonlyMap<Interval, number>;
    },
  ): Found {
    const { code, base, shown: gaps } = found;
    const cp = this.#partOf(p);
    const all: Interval[] = [];
    let shown = all;
    if (this.#blocks.length < cut.length) this.#blocks = new Int32Array(2 * cut.length);
    const blocks = this.#blocks;
    for (let z = 0; z < cut.length; z++) {
      const i = cut[z];
      if (i == null) continue;
      if (i.block >= 0) {
        blocks[shown.length] = i.block;
        all.push(i);
        if (shown !== all) shown.push(i);
      } else if (gaps.size > 0 && gaps.has(i)) {
        if (shown === all) shown = [...all];
        blocks[shown.length] = gaps.get(i)!;
        shown.push(copyOf(i));
      }
    }
    const keep = all.length <= 64 ? this.#failingSubset(p, cp.memo, all, code) : all;
    const states: Uint8Array[] = [];
    const copies = this.#copies;
    for (let k = 0; k < shown.length; k++) {
      const i = shown[k]!;
      // A shown stretch is a copy of its own (see above): its state is not shared.
      let state = i.block >= 0 ? copies.get(i) : undefined;
      if (state === undefined) {
        state = cp.arena.copy(blocks[k]!);
        if (i.block >= 0) copies.set(i, state);
      }
      states.push(state);
    }
    return { cut: shown, failing: keep, code, base, states };
  }

  /**
   * The smallest subset of `all` (their projection ids interned) failing
   * with `code`, greedy: each in turn is left out when the others still
   * fail so (as the engine's `involved`). `all` itself when none is.
   */
  #failingSubset(
    p: Partition,
    memo: CutVerdicts,
    all: readonly Interval[],
    code: number,
  ): readonly Interval[] {
    const n = all.length;
    if (this.#left.length < n) {
      this.#left = new Uint8Array(2 * n);
      this.#subset = new Int32Array(2 * n);
    }
    const left = this.#left;
    const ids = this.#subset;
    left.fill(0, 0, n);
    let out = 0;
    for (let x = 0; x < n; x++) {
      let count = 0;
      for (let y = 0; y < n; y++) if (y !== x && left[y] === 0) ids[count++] = all[y]!.pid;
      if (count === 0) continue;
      if (this.#checkIds(p, memo, ids, count) === code) {
        left[x] = 1;
        out++;
      }
    }
    if (out === 0) return all;
    const keep: Interval[] = [];
    for (let y = 0; y < n; y++) if (left[y] === 0) keep.push(all[y]!);
    return keep;
  }
}

/** A copy of stretch `s` (no state block, in no lane: `stretch_views.ts`). */
function copyOf(s: Interval): Interval {
  const c = new Interval({ node: s.node, index: s.lane, boot: s.boot }, {
    nid: s.nid,
    seq: s.seq,
    action: s.action,
    wall: s.wall,
    logical: s.logical,
    block: -1,
  });
  c.dropped = true;
  c.endWall = s.endWall;
  c.endLogical = s.endLogical;
  return c;
}
