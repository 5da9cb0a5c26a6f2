/**
 * The causal judge's state in a collector snapshot (`causal_judge.ts`):
 * what a restart would otherwise forget. Per partition, in its own
 * snapshot (`PartitionSnapshot.causal`, written again only when it
 * changed; older snapshots held every partition's in the shared part):
 * the intervals its lanes, queue and open episode still hold (start
 * event, end, state bytes base64), the lanes and the queue as lists of
 * those intervals, the horizon, and the open episode with its found cuts
 * as references to the intervals; for the collector: the dependency
 * entries kept and the partitions watched, in order. Vector clocks
 * and cut verdicts are caches, rebuilt after a restore. JSON-serializable:
 * an unbounded wall (an interval of unknown start, an open end, no
 * horizon yet) is saved as `null`.
 *
 * @module
 */
import type { Partition } from "../partition.ts";
import type { Hlc } from "../alerts.ts";
import { fromBase64, toBase64 } from "../../store/snapshot.ts";
import type { DependencyTable } from "./happened_before.ts";
import {
  type CausalPartition,
  compareStarts,
  contiguous,
  type Episode,
  type Found,
  Interval,
} from "./lanes.ts";

/**
 * One interval: `[lane, seq, action, wall, logical, endWall, endLogical,
 * flags, state, endSeq?, endAction?]`; `wall` null for an unknown start
 * (-Infinity), `endWall` null while open; flags: 1 queued, 2 dropped by
 * its lane, 4 behind the horizon; `state` the state block, base64;
 * `endSeq` and `endAction` the end event's, in a lane of P-intervals only
 * (absent: -1, unknown).
 *
 * @example An open interval of lane 0 from event 3, queued
 * ```ts
 * import assert from "node:assert/strict";
 * import type { IntervalRow } from "./causal_snapshot.ts";
 * const row: IntervalRow = [0, 3, 1, 1_700_000_000_000, 0, null, 0, 1, "AQ=="];
 * assert.equal(row[5], null);
 * ```
 */
export type IntervalRow = readonly [
  number,
  number,
  number,
  number | null,
  number,
  number | null,
  number,
  number,
  string,
  number?,
  number?,
];

/**
 * A found cut of an open episode: its intervals and its smallest failing
 * subset (indices into the partition's intervals), its verdict code, and
 * whether it is the merge order's cut.
 *
 * @example Intervals 4 and 9 fail together, in the merge order's cut
 * ```ts
 * import assert from "node:assert/strict";
 * import type { FoundSnapshot } from "./causal_snapshot.ts";
 * const f: FoundSnapshot = { cut: [4, 9, 11], failing: [4, 9], code: 1, base: true };
 * assert.ok(f.failing.every((i) => f.cut.includes(i)));
 * ```
 */
export interface FoundSnapshot {
  /** The cut's intervals (indices into the partition's intervals). */
  readonly cut: readonly number[];
  /** Its smallest failing subset (indices into the partition's intervals). */
  readonly failing: readonly number[];
  /** The failing global invariant's verdict code. */
  readonly code: number;
  /** True for the merge order's cut (every other node at its newest interval). */
  readonly base: boolean;
  /**
   * Where it was found: the judged interval's HLC and the collector clock
   * (absent in snapshots of earlier versions: the episode's start is used).
   */
  readonly detected?: { readonly wall: number; readonly logical: number; readonly now: number };
}

/**
 * A partition's open causal episode.
 *
 * @example Detected, not raised yet
 * ```ts
 * import assert from "node:assert/strict";
 * import type { EpisodeSnapshot } from "./causal_snapshot.ts";
 * const e: EpisodeSnapshot = {
 *   code: 1, at: { wall: 1_000, logical: 0 }, detectWall: 1_000, detectedAt: 2_250,
 *   lastWall: 1_000, raised: false, found: [{ cut: [0, 1], failing: [0, 1], code: 1, base: true }],
 * };
 * assert.equal(e.raised, false);
 * ```
 */
export interface EpisodeSnapshot {
  /** The verdict code of the invariant that opened it. */
  readonly code: number;
  /** The HLC of the interval whose judgement opened it. */
  readonly at: Hlc;
  /** The HLC wall of that detection (the raise point is measured from it). */
  readonly detectWall: number;
  /** The collector clock at the detection, ms. */
  readonly detectedAt: number;
  /** The HLC wall of its last failing cut. */
  readonly lastWall: number;
  /**
   * The latest HLC wall at which cuts past the 64 kept were found (absent
   * when none was; in snapshots whose found cuts lack `detected`, from
   * earlier versions, `lastWall` stands for it, so a recheck never lowers
   * `lastWall`).
   */
  readonly skippedWall?: number;
  /** True once its alert was raised. */
  readonly raised: boolean;
  /** The failing cuts found so far (at most 64). */
  readonly found: readonly FoundSnapshot[];
}

/**
 * What the judge keeps of one partition.
 *
 * @example An empty partition's causal side
 * ```ts
 * import assert from "node:assert/strict";
 * import type { CausalPartitionSnapshot } from "./causal_snapshot.ts";
 * const s: CausalPartitionSnapshot = {
 *   spec: "h", key: "lock:a", intervals: [], lanes: [[]], queue: [], horizon: null, open: false, episode: null,
 * };
 * assert.equal(s.lanes.length, 1);
 * ```
 */
export interface CausalPartitionSnapshot {
  /** Spec content hash of the partition. */
  readonly spec: string;
  /** Instance key of the partition. */
  readonly key: string;
  /** Every interval the lanes, the queue or the episode refer to. */
  readonly intervals: readonly IntervalRow[];
  /** Per participant (by index): its lane's intervals, oldest first. */
  readonly lanes: readonly (readonly number[])[];
  /** Intervals not judged yet, in canonical order. */
  readonly queue: readonly number[];
  /** The horizon judgement last reached; null for none yet. */
  readonly horizon: number | null;
  /** True while the judge watches the partition (queue or episode open, or not yet seen quiet). */
  readonly open: boolean;
  /** The open episode, null when none. */
  readonly episode: EpisodeSnapshot | null;
  /**
   * True when the lanes hold the intervals in P only (an exclusion spec's,
   * `CausalPartition.sparse`); absent in snapshots of full lanes (older
   * ones too), which a judge of P-intervals converts as it loads them.
   */
  readonly sparse?: boolean;
  /**
   * Lanes of P-intervals only: per lane, its state while outside P
   * (`CausalPartition.gapBlockOf`, base64; null while in P or not known), so
   * a restored judge shows a lane's stretch outside P in a found cut as an
   * uninterrupted one does. Absent when no lane has one, and in snapshots
   * written before it was saved (their lanes' states outside P are not
   * known until their next change).
   */
  readonly gaps?: readonly (string | null)[];
}

/**
 * A partition's causal side as its own snapshot carries it
 * (`PartitionSnapshot.causal`, written again only when it changed): a
 * {@link CausalPartitionSnapshot} without the spec hash and key, which the
 * partition snapshot holds.
 *
 * @example An empty partition's causal side
 * ```ts
 * import assert from "node:assert/strict";
 * import type { CausalPartitionPart } from "./causal_snapshot.ts";
 * const part: CausalPartitionPart = {
 *   intervals: [], lanes: [[]], queue: [], horizon: null, open: false, episode: null,
 * };
 * assert.equal(part.queue.length, 0);
 * ```
 */
export type CausalPartitionPart = Omit<CausalPartitionSnapshot, "spec" | "key">;

/**
 * The causal judge's state in a collector snapshot.
 *
 * @example Nothing known yet
 * ```ts
 * import assert from "node:assert/strict";
 * import type { CausalSnapshot } from "./causal_snapshot.ts";
 * const s: CausalSnapshot = { nodes: [], deps: [], maxWall: null, applied: 0, partitions: [] };
 * assert.equal(s.deps.length % 6, 0);
 * ```
 */
export interface CausalSnapshot {
  /** Node names of the dependency table, by number ("" for a number a retired node left). */
  readonly nodes: readonly string[];
  /** Nodes retired and not back since (`DependencyTable.retire`; absent in older snapshots). */
  readonly retired?: readonly string[];
  /** Dependency entries, six numbers each: node, HLC of the event carrying it, sender, sender's HLC. */
  readonly deps: readonly number[];
  /** The latest HLC wall applied; null for none. */
  readonly maxWall: number | null;
  /** Events the judge has seen applied (paces the dependency pruning). */
  readonly applied: number;
  /**
   * Partitions with causal state, in snapshots written before each
   * partition's snapshot carried its own (`PartitionSnapshot.causal`);
   * empty in newer ones.
   */
  readonly partitions: readonly CausalPartitionSnapshot[];
  /**
   * The partitions the judge watched (an episode or intervals pending), in
   * the order it watched them: spec hash and key (absent in older
   * snapshots, whose `partitions` come in that order). What is due at one
   * tick raises in this order after a restore too.
   */
  readonly watched?: readonly (readonly [string, string])[];
  /**
   * The skew bound S (ms) the state was judged with (absent in snapshots
   * written before it was recorded): a judge restored with another one
   * refuses it, since its horizons, raise points and pruned intervals
   * assumed this one.
   */
  readonly maxSkewMs?: number;
  /** The reorder window (ms) the state was judged with (absent in older snapshots). */
  readonly windowMs?: number;
}

const QUEUED = 1;
const DROPPED = 2;
const BEHIND = 4;

function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function decode(text: string, where: string): Uint8Array {
  try {
    return fromBase64(text);
  } catch {
    throw new TypeError(`Causal snapshot: state of ${where} is not base64`);
  }
}

/**
 * Saves a partition's causal side `cp` (`open`: the judge watches it);
 * null when it holds nothing. Closed intervals ending before `dropBefore`
 * are left out (see below).
 *
 * @example Called by the judge
 * ```ts ignore
 * const saved = savePartition(cp, { open: open.has(p), dropBefore: p.last.wall - 2_250 });
 * ```
 */
export function savePartition(
  cp: CausalPartition,
  options: {
    readonly open: boolean;
    readonly dropBefore?: number;
    /** Intervals judged on arrival that the horizon has not passed (`judgedEarly` of `arrival_judgement.ts`): saved as queued. */
    readonly early?: readonly Interval[];
  },
): CausalPartitionPart | null {
  const { open, dropBefore = -Infinity, early = [] } = options;
  // Judged early ones with the queued, in canonical order (they start before every queued one, as
  // `ArrivalJudgement.judge` judges only with an empty queue; sorted all the same, so a queue saved out
  // of order cannot be). A restored judge judges them again (its chain starts again), as the horizon
  // passes them.
  const queue = early.length === 0
    ? cp.queue.toArray()
    : [...early, ...cp.queue.toArray()].sort(compareStarts);
  const again = new Set(early);
  if (cp.lanes.every((l) => l.length === 0) && queue.length === 0 && cp.episode === null) {
    return null;
  }
  const ids = new Map<Interval, number>();
  const rows: IntervalRow[] = [];
  /** A freed block's bytes are stale: a found cut's copy has the state then. */
  const copies = new Map<Interval, Uint8Array>();
  for (const f of cp.episode?.found ?? []) f.cut.forEach((i, k) => copies.set(i, f.states[k]!));
  const id = (i: Interval): number => {
    let n = ids.get(i);
    if (n === undefined) {
      n = rows.length;
      ids.set(i, n);
      const freed = i.dropped && !i.queued;
      const state = freed
        ? copies.get(i) ?? new Uint8Array(cp.arena.stride)
        : cp.arena.copy(i.block);
      const flags = (i.queued || again.has(i) ? QUEUED : 0) | (i.dropped ? DROPPED : 0) |
        (i.behind ? BEHIND : 0);
      const row: IntervalRow = [
        i.lane,
        i.seq,
        i.action,
        finite(i.wall),
        i.logical,
        finite(i.endWall),
        i.endLogical,
        flags,
        toBase64(state),
      ];
      rows.push(i.endSeq >= 0 ? [...row, i.endSeq, i.endAction] as unknown as IntervalRow : row);
    }
    return n;
  };
  // Closed intervals the lane's next event drops anyway (ending before `dropBefore`) are left out,
  // unless the queue or the episode holds them; a lane keeps its newest one.
  const held = new Set<Interval>(queue);
  for (const f of cp.episode?.found ?? []) for (const i of f.cut) held.add(i);
  const lanes = cp.lanes.map((l) =>
    l.filter((i, k) => k === l.length - 1 || !(i.endWall < dropBefore) || held.has(i)).map(id)
  );
  const ep = cp.episode;
  return {
    lanes,
    queue: queue.map(id),
    horizon: finite(cp.horizon),
    open,
    episode: ep === null ? null : {
      code: ep.code,
      at: { wall: ep.at.wall, logical: ep.at.logical },
      detectWall: ep.detectWall,
      detectedAt: ep.detectedAt,
      lastWall: ep.lastWall,
      ...(ep.skippedWall === -Infinity ? {} : { skippedWall: ep.skippedWall }),
      raised: ep.raised,
      found: ep.found.map((f) => ({
        cut: f.cut.map(id),
        failing: f.failing.map(id),
        code: f.code,
        base: f.base,
        ...(f.detected === undefined ? {} : {
          detected: { wall: f.detected.wall, logical: f.detected.logical, now: f.detected.now },
        }),
      })),
    },
    intervals: rows,
    ...(cp.sparse ? { sparse: true } : {}),
    ...gapsOf(cp),
  };
}

/** {@link CausalPartitionSnapshot.gaps} of `cp` (as a field to spread: none when no lane has a state outside P kept). */
function gapsOf(cp: CausalPartition): { gaps?: (string | null)[] } {
  if (!cp.sparse) return {};
  const n = cp.lanes.length;
  let any = false;
  const gaps: (string | null)[] = [];
  for (let z = 0; z < n; z++) {
    const block = cp.gapBlockOf(z);
    if (block >= 0) any = true;
    gaps.push(block < 0 ? null : toBase64(cp.arena.copy(block)));
  }
  return any ? { gaps } : {};
}

/**
 * How {@link loadPartition} reads what a saved side names.
 *
 * @example The judge's
 * ```ts ignore
 * const how: LoadPartitionOptions = { nid: (node) => deps.nodeId(node), relevant: (b) => search.relevant(p, cp, b) };
 * ```
 */
export interface LoadPartitionOptions {
  /** Numbers a node in the dependency table. */
  readonly nid: (node: string) => number;
  /**
   * For a side of P-intervals only (`cp.sparse`): true when the state
   * block at byte `block` of the arena is in P. A saved side of full lanes
   * keeps only those intervals.
   */
  readonly relevant: (block: number) => boolean;
}

/**
 * A side of full lanes loaded for a judge of P-intervals only: each lane
 * and the queue keep the intervals whose state is in P; each kept one
 * ends where its lane's next one began (its end event's number and action
 * are that one's). The others are dropped (and, left out of the queue,
 * never judged: a state outside P is in no failing pair).
 */
function keepRelevant(cp: CausalPartition, relevant: (block: number) => boolean): void {
  const gone = new Set<Interval>();
  for (let z = 0; z < cp.lanes.length; z++) {
    const lane = cp.lanes[z]!;
    const kept: Interval[] = [];
    for (let m = 0; m < lane.length; m++) {
      const i = lane[m]!;
      const next = lane[m + 1];
      if (next !== undefined && next.wall === i.endWall && next.logical === i.endLogical) {
        i.endSeq = next.seq;
        i.endAction = next.action;
      }
      if (relevant(i.block)) kept.push(i);
      else gone.add(i);
    }
    lane.length = 0;
    lane.push(...kept);
  }
  cp.queue.retain((i) => !gone.has(i));
  for (const i of gone) {
    // An interval an episode's cut holds keeps its state in the cut's copy (`Found.states`).
    const freed = i.dropped && !i.queued;
    i.queued = false;
    i.dropped = true;
    if (!freed) cp.arena.free(i.block);
  }
}

/**
 * Loads saved state `s` into partition `p`'s fresh causal side `cp`.
 * Throws a `TypeError` saying what is wrong when `s` does not fit `p`:
 * among others, a side of P-intervals only (`s.sparse`) for a judge of
 * full lanes (the spec is not of the exclusion shape for it). A side of
 * full lanes (an older snapshot's) loaded for a judge of P-intervals only
 * keeps the intervals in P, each ending where its lane's next one began.
 *
 * @example Called by the judge
 * ```ts ignore
 * loadPartition(p, cp, saved, { nid: (node) => deps.nodeId(node), relevant });
 * ```
 */
export function loadPartition(
  p: Partition,
  cp: CausalPartition,
  s: CausalPartitionPart,
  options: LoadPartitionOptions,
): void {
  const { nid } = options;
  const where = `partition '${p.key}'`;
  if (s.sparse === true && !cp.sparse) {
    throw new TypeError(
      `Causal snapshot: ${where} holds lanes of the intervals in P only (an exclusion spec's), which this collector judges with full lanes: restore it with the spec it was saved with, or start without this snapshot`,
    );
  }
  const arena = cp.arena;
  const intervals = s.intervals.map((r, n) => {
    const [lane, seq, action, wall, logical, endWall, endLogical, flags, state, endSeq, endAction] =
      r;
    const q = p.participants[lane];
    if (q === undefined) {
      throw new TypeError(
        `Causal snapshot: interval ${n} of ${where} names lane ${lane}, which has no participant`,
      );
    }
    const bytes = decode(state, `interval ${n} of ${where}`);
    if (bytes.length !== arena.stride) {
      throw new TypeError(
        `Causal snapshot: state of interval ${n} of ${where} has ${bytes.length} bytes, expected ${arena.stride}`,
      );
    }
    const block = arena.alloc();
    arena.bytes.set(bytes, block);
    const i = new Interval({ node: q.node, index: lane, boot: q.boot }, {
      nid: nid(q.node),
      seq,
      action,
      wall: wall ?? -Infinity,
      logical,
      block,
    });
    i.endWall = endWall ?? Infinity;
    i.endLogical = endLogical;
    i.endSeq = endSeq ?? -1;
    i.endAction = endAction ?? -1;
    i.queued = (flags & QUEUED) !== 0;
    i.dropped = (flags & DROPPED) !== 0;
    i.behind = (flags & BEHIND) !== 0;
    return i;
  });
  const at = (n: number): Interval => {
    const i = intervals[n];
    if (i === undefined) {
      throw new TypeError(
        `Causal snapshot: ${where} refers to interval ${n}, which it does not hold`,
      );
    }
    return i;
  };
  cp.lanes.length = 0;
  cp.untrack();
  for (const l of s.lanes) cp.lanes.push(l.map(at));
  cp.fit(cp.lanes.length);
  for (let z = 0; z < cp.lanes.length; z++) cp.floor(z, -Infinity); // nothing known of the restored lanes' oldest ends
  cp.gappy = !contiguous(cp.lanes);
  cp.queue.clear();
  for (const n of s.queue) cp.queue.push(at(n));
  if (cp.sparse) {
    cp.gappy = false; // a lane of P-intervals has stretches outside P between them
    cp.chain = false;
    cp.chainLast = null;
    // What the lanes' stretches outside P went through before the save is not known; their states
    // now are, when saved.
    cp.fit(cp.lanes.length);
    cp.gaps.lost.fill(1);
    const gaps = s.gaps ?? [];
    if (gaps.length > cp.lanes.length) {
      throw new TypeError(
        `Causal snapshot: ${where} keeps states outside P for ${gaps.length} lanes, it has ${cp.lanes.length}`,
      );
    }
    gaps.forEach((text, z) => {
      if (text === null) return;
      const bytes = decode(text, `the state outside P of lane ${z} of ${where}`);
      if (bytes.length !== arena.stride) {
        throw new TypeError(
          `Causal snapshot: the state outside P of lane ${z} of ${where} has ${bytes.length} bytes, expected ${arena.stride}`,
        );
      }
      const block = arena.alloc();
      arena.bytes.set(bytes, block);
      cp.setGapBlock(z, block);
    });
  }
  cp.horizon = s.horizon ?? -Infinity;
  const e = s.episode;
  cp.episode = e === null ? null : {
    code: e.code,
    at: { wall: e.at.wall, logical: e.at.logical },
    detectWall: e.detectWall,
    detectedAt: e.detectedAt,
    lastWall: e.lastWall,
    skippedWall: e.skippedWall ??
      (e.found.every((f) => f.detected !== undefined) ? -Infinity : e.lastWall),
    raised: e.raised,
    found: e.found.map((f): Found => {
      const cut = f.cut.map(at);
      return {
        cut,
        failing: f.failing.map(at),
        code: f.code,
        base: f.base,
        states: cut.map((i) => arena.copy(i.block)),
        detected: f.detected ?? { wall: e.at.wall, logical: e.at.logical, now: e.detectedAt },
      };
    }),
  } satisfies Episode;
  // Blocks a lane dropped and the queue let go of were free at the save.
  for (const i of intervals) if (i.dropped && !i.queued) arena.free(i.block);
  if (cp.sparse && s.sparse !== true) keepRelevant(cp, options.relevant);
  // Each lane's node, as its first interval would have set it (`CausalJudge`'s new intervals take
  // their node number from the lane's `NID` in `CausalPartition.row`, by name for a lane with none).
  cp.fit(cp.lanes.length);
  cp.lanes.forEach((lane, z) => {
    if (lane.length > 0 && cp.nidOf(z) < 0) cp.nodeOf(z, lane[0]!.nid);
  });
}

/**
 * Records the dependency entries of snapshot `s` (`CausalSnapshot.deps`,
 * six numbers each: node, wall, logical, then the node, wall and logical
 * it depends on; nodes by their number in `s.nodes`) in `deps`. Throws a
 * `TypeError` saying what does not fit.
 */
export function loadDependencies(deps: DependencyTable, s: CausalSnapshot): void {
  const d = s.deps;
  if (d.length % 6 !== 0) {
    throw new TypeError(
      `Causal snapshot: ${d.length} dependency numbers, expected a multiple of 6`,
    );
  }
  for (let k = 0; k < d.length; k += 6) {
    const node = s.nodes[d[k]!];
    const from = s.nodes[d[k + 3]!];
    if (node === undefined || from === undefined || node === "" || from === "") {
      throw new TypeError(
        `Causal snapshot: dependency entry ${k / 6} names node number '${d[k]}' or '${
          d[k + 3]
        }', not listed (or left by a retired node)`,
      );
    }
    deps.record(node, { wall: d[k + 1]!, logical: d[k + 2]! }, {
      node: from,
      wall: d[k + 4]!,
      logical: d[k + 5]!,
    });
  }
}
