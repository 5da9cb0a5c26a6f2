/**
 * Per-stream sequence tracking: de-duplication, holes (undeclared gaps and
 * declared drops), and what is applied versus still buffered.
 *
 * A stream is one `(spec hash, node, boot)` triple; its numbers start at 0
 * at boot and every number is accounted for once, as an event or a declared
 * drop (docs/wire-format.md). Per stream the tracker keeps:
 * - `received`: the numbers held as events (applied or buffered), as ranges;
 *   an event whose number is already there is a duplicate and changes
 *   nothing;
 * - `next`: the highest number accounted for (event or drop) plus one. A
 *   batch whose first number (or a declared drop) lies beyond `next` opens an
 *   undeclared hole over the numbers skipped;
 * - `holes`: open holes, each `[first, last, since, declared]`. A declared
 *   drop is a hole too (the numbers are gone, the partitions' verdicts cannot
 *   be certain until the hole closes). An event filling a number of a hole
 *   closes that number (the event wins over a declaration);
 * - `pending`: the received numbers still in a reorder buffer (tracked by
 *   their event store slot), so the app knows what it may acknowledge
 *   (`appliedThrough`).
 *
 * Invariant of `holes`: sorted by first number, disjoint, every number below
 * `next` and not received, and canonical: two holes that touch differ in
 * `since` or in `declared` (touching holes that agree are one hole). Every
 * operation keeps it; `restore` re-establishes it.
 *
 * Accounting (what the engine counts from the answers here): a number newly
 * declared is counted `dropped` once, when declared (`declareAll` returns the
 * count); a hole leaves by `expire` (older than the gap timeout) or by
 * `closeOverLimit`, and only its undeclared numbers are then counted `lost`.
 * A number is never both: declaring a number of an open undeclared hole moves
 * it to a declared hole before anything is counted lost, and a number whose
 * hole already closed is neither in a hole nor newly declared again.
 *
 * Limit: a stream holds at most `maxHoles` open holes (default
 * {@link MAX_HOLES_PER_STREAM}) after `closeOverLimit`, which closes the
 * lowest-numbered holes (the numbers the sender sent first; for a sender
 * that numbers in order, the oldest holes) and returns them so the engine
 * reports them as it reports timed-out holes. The engine calls it when a
 * batch opens (after its drops and its first number) and on every
 * `advance`; in between, only an event can add a hole (a number past `next`
 * opens a gap, a number strictly inside a hole splits it), so a stream never
 * holds more than `maxHoles` plus the events of one batch, and one more for
 * a batch off the wire (its numbers are consecutive from its first).
 *
 * Costs: an event in order is O(1); a duplicate check or a fill is a binary
 * search (plus, for a split, a splice of the hole list, about `maxHoles`
 * long); declaring a batch's k ranges is one merge pass, O(k + h) for h
 * open holes; `expire` is O(1) while no hole is due, else one O(h) pass;
 * nothing spreads an array into a call's arguments.
 *
 * A new boot id is a new stream starting at 0: a reboot resets the node's
 * numbering, and the old stream's holes time out on their own.
 *
 * @module
 */
import type { StreamId } from "../../lib/wire/event.ts";
import type { StreamSnapshot } from "./types.ts";
import {
  addToSet,
  checkDropRanges,
  hasInRanges,
  type Range,
  type RangeLike,
  searchRanges,
  subtractRanges,
} from "../../lib/wire/seq_ranges.ts";
import { type SlotLiveness, SlotQueue } from "./slot_queue.ts";
import type { VersionUpgrade } from "./version_upgrade.ts";

/** An open hole: `[first, last, since, declared]`. */
export type Hole = [first: number, last: number, since: number, declared: boolean];

/**
 * Open holes a stream keeps (after `closeOverLimit`) before closing the
 * lowest ones: far more than a sender loses within a gap timeout (each
 * undeclared hole is a lost batch), few enough that a node skipping a
 * number in every batch keeps a bounded hole list (a few hundred KB).
 *
 * @example The default limit
 * ```ts
 * import assert from "node:assert/strict";
 * import { MAX_HOLES_PER_STREAM, StreamState } from "./stream_state.ts";
 * import { EventStore } from "./event_store.ts";
 * const s = new StreamState({ spec: "ab", specName: "A", node: "n1", boot: "b1" }, 0, new EventStore(8));
 * for (let i = 0; i <= MAX_HOLES_PER_STREAM; i++) s.receive(2 * i + 1, 0);
 * assert.equal(s.closeOverLimit().length, 1);
 * assert.equal(s.openHoles, MAX_HOLES_PER_STREAM);
 * ```
 */
export const MAX_HOLES_PER_STREAM = 4096;

/** Options of a stream's tracker. */
export interface StreamOptions {
  /** Open holes kept by `closeOverLimit`, at least 1. Default {@link MAX_HOLES_PER_STREAM}. */
  readonly maxHoles?: number;
}

/** What declaring drops did. */
export interface Declared {
  /**
   * Holes opened at or above `next`, ascending: the undeclared gaps before
   * each range and the declared ranges themselves (descriptions, not the
   * stored holes, which may merge with their neighbours).
   */
  readonly holes: Hole[];
  /** Numbers newly declared: not received and not declared before. */
  readonly count: number;
}

/**
 * The key of a stream in maps.
 *
 * @example Key a stream
 * ```ts
 * import assert from "node:assert/strict";
 * import { streamKey } from "./stream_state.ts";
 * assert.equal(streamKey({ spec: "ab", specName: "A", node: "n1", boot: "b1" }), "ab\u0000n1\u0000b1");
 * ```
 */
export function streamKey(id: StreamId): string {
  return `${id.spec}\u0000${id.node}\u0000${id.boot}`;
}

/** What `expire` and `closeOverLimit` return when no hole leaves (nothing allocated). */
const NO_HOLES: readonly Hole[] = Object.freeze([]);

/** Appends `h` to ascending `holes`, merged into the last one when they touch and agree. */
function append(holes: Hole[], h: Hole): void {
  const last = holes[holes.length - 1];
  if (last !== undefined && last[1] + 1 === h[0] && last[2] === h[2] && last[3] === h[3]) {
    last[1] = h[1];
  } else {
    holes.push(h);
  }
}

/** One stream's sequence state. */
export class StreamState {
  readonly id: StreamId;
  readonly key: string;
  readonly received: Range[] = [];
  next = 0;
  /** Open holes: sorted by first number, disjoint, canonical (see the module doc). */
  #holes: Hole[] = [];
  /** A lower bound of the holes' `since` (Infinity when none): `expire` skips the scan below it. */
  #oldest = Infinity;
  readonly #maxHoles: number;
  /** Buffered events in arrival order (slot, generation, sequence number). */
  readonly #queue = new SlotQueue(16);
  readonly #live: SlotLiveness;
  #pending = 0;
  /** Open holes as last counted into the node's totals (the collector keeps them in sync). */
  countedHoles = 0;
  readonly firstSeenAt: number;
  /** A small collector-wide number (reorder buffers index their lanes by it). */
  index = 0;
  /** The stream's (node, boot, version) number in its spec's origins (histories refer to it). */
  origin = -1;
  /** The spec's name, from the served version of its hash (set when registered). */
  family = "";
  /** How its states reach the newest served version; null when it is the newest (set when registered). */
  upgrade: VersionUpgrade | null = null;

  /**
   * Creates an empty stream.
   *
   * @example A new stream
   * ```ts
   * import assert from "node:assert/strict";
   * import { StreamState } from "./stream_state.ts";
   * import { EventStore } from "./event_store.ts";
   * const id = { spec: "ab", specName: "A", node: "n1", boot: "b1" };
   * const s = new StreamState(id, 0, new EventStore(8));
   * assert.equal(s.appliedThrough(), -1);
   * assert.equal(s.receive(0, 0), 0);
   * assert.equal(s.receive(0, 0), -1, "a duplicate");
   * ```
   */
  constructor(id: StreamId, now: number, live: SlotLiveness, options: StreamOptions = {}) {
    const max = options.maxHoles ?? MAX_HOLES_PER_STREAM;
    if (!Number.isSafeInteger(max) || max < 1) {
      throw new RangeError(`Expected maxHoles to be a positive integer, got '${max}'`);
    }
    this.#maxHoles = max;
    this.#live = live;
    this.id = id;
    this.key = streamKey(id);
    this.firstSeenAt = now;
  }

  /**
   * Starts a new stream object where a retired one left off
   * (`retirement.ts`): numbers below `next` count as received (a late
   * duplicate is dropped), and the next expected number is `next` (no
   * hole). Only on a fresh stream.
   */
  resume(next: number): void {
    if (this.next !== 0 || this.received.length !== 0) {
      throw new RangeError(`Stream '${this.id.node}' resumed at ${next} after receiving events`);
    }
    if (next > 0) this.received.push([0, next - 1]);
    this.next = next;
  }

  /** Open holes, sorted by first number, disjoint (read-only view). */
  get holes(): readonly Hole[] {
    return this.#holes;
  }

  /** Number of open holes. */
  get openHoles(): number {
    return this.#holes.length;
  }

  /** Opens `h` above every hole (it starts at or above `next`). */
  #openHole(h: Hole): void {
    append(this.#holes, h);
    if (h[2] < this.#oldest) this.#oldest = h[2];
  }

  /**
   * Moves `next` to at least `seq` (a batch's first number), opening an
   * undeclared hole over skipped numbers. Returns the hole opened, if any.
   *
   * @example Skip numbers
   * ```ts
   * import assert from "node:assert/strict";
   * import { StreamState } from "./stream_state.ts";
   * import { EventStore } from "./event_store.ts";
   * const s = new StreamState({ spec: "ab", specName: "A", node: "n1", boot: "b1" }, 0, new EventStore(8));
   * assert.deepEqual(s.reach(3, 7), [0, 2, 7, false]);
   * assert.equal(s.reach(2, 8), null);
   * ```
   */
  reach(seq: number, now: number): Hole | null {
    if (seq <= this.next) return null;
    const first = this.next;
    this.#openHole([first, seq - 1, now, false]);
    this.next = seq;
    return [first, seq - 1, now, false];
  }

  /**
   * Declares `[first, last]` dropped: {@link declareAll} with one range.
   *
   * @example Declare one range
   * ```ts
   * import assert from "node:assert/strict";
   * import { StreamState } from "./stream_state.ts";
   * import { EventStore } from "./event_store.ts";
   * const s = new StreamState({ spec: "ab", specName: "A", node: "n1", boot: "b1" }, 0, new EventStore(8));
   * assert.equal(s.declare(2, 4, 10).count, 3);
   * assert.deepEqual(s.holes, [[0, 1, 10, false], [2, 4, 10, true]]);
   * ```
   */
  declare(first: number, last: number, now: number): Declared {
    return this.declareAll([[first, last]], now);
  }

  /**
   * Declares a batch's drop ranges (ascending, disjoint; a `RangeError`
   * otherwise, before anything changes). Numbers at or above `next` become
   * declared holes (with undeclared holes over the numbers skipped between
   * them); numbers below `next` that sit in undeclared holes become declared
   * (keeping their hole's `since`); received or already declared numbers,
   * and numbers whose hole already closed, are left alone. One merge pass:
   * O(k + h) for k ranges and h open holes. May leave more than `maxHoles`
   * holes: call {@link closeOverLimit} after.
   *
   * @example Declare a batch's drops
   * ```ts
   * import assert from "node:assert/strict";
   * import { StreamState } from "./stream_state.ts";
   * import { EventStore } from "./event_store.ts";
   * const s = new StreamState({ spec: "ab", specName: "A", node: "n1", boot: "b1" }, 0, new EventStore(8));
   * s.reach(6, 1); // numbers 0 to 5 missing
   * const r = s.declareAll([[1, 2], [4, 4], [8, 9]], 2);
   * assert.equal(r.count, 5);
   * assert.deepEqual(r.holes, [[6, 7, 2, false], [8, 9, 2, true]]);
   * assert.deepEqual(s.holes, [
   *   [0, 0, 1, false], [1, 2, 1, true], [3, 3, 1, false], [4, 4, 1, true], [5, 5, 1, false],
   *   [6, 7, 2, false], [8, 9, 2, true],
   * ]);
   * assert.equal(s.declareAll([[1, 2], [4, 4], [8, 9]], 3).count, 0, "a retry changes nothing");
   * ```
   */
  declareAll(ranges: readonly RangeLike[], now: number): Declared {
    const bad = checkDropRanges(ranges);
    if (bad !== null) {
      throw new RangeError(`Invalid drop range at index ${bad.index}: ${bad.problem}`);
    }
    const opened: Hole[] = [];
    const k = ranges.length;
    if (k === 0) return { holes: opened, count: 0 };
    const next = this.next;
    let split = 0;
    while (split < k && ranges[split]![0] < next) split++;
    let count = split > 0 ? this.#declareBelow(ranges, split) : 0;
    const straddles = split > 0 ? ranges[split - 1]![1] >= next : false;
    for (let i = straddles ? split - 1 : split; i < k; i++) {
      const r = ranges[i]!;
      const gap = this.reach(r[0], now);
      if (gap !== null) opened.push(gap);
      const from = Math.max(r[0], this.next);
      this.#openHole([from, r[1], now, true]);
      opened.push([from, r[1], now, true]);
      count += r[1] - from + 1;
      this.next = r[1] + 1;
    }
    return { holes: opened, count };
  }

  /**
   * Marks declared the undeclared hole numbers within the first `n` ranges
   * (every hole lies below `next`, so a range's part at or above it touches
   * none): one pass over the holes from the first one the ranges can touch,
   * merging pieces that touch and agree. Unchanged when nothing is declared.
   */
  #declareBelow(ranges: readonly RangeLike[], n: number): number {
    const holes = this.#holes;
    /** The new list, copied from `holes` at the first change (a retry copies nothing). */
    let out: Hole[] | null = null;
    let count = 0;
    let j = 0;
    let i = searchRanges(holes, ranges[0]![0]);
    for (; i < holes.length && j < n; i++) {
      const h = holes[i]!;
      if (!h[3]) {
        let a = h[0];
        const b = h[1];
        while (j < n && ranges[j]![1] < a) j++;
        while (j < n && ranges[j]![0] <= b) {
          const end = ranges[j]![1];
          const from = Math.max(ranges[j]![0], a);
          const to = Math.min(end, b);
          out ??= holes.slice(0, i);
          if (from > a) append(out, [a, from - 1, h[2], false]);
          append(out, [from, to, h[2], true]);
          count += to - from + 1;
          a = to + 1;
          if (end > b) break;
          j++;
        }
        if (a === h[0]) {
          if (out !== null) append(out, h);
        } else if (a <= b) {
          append(out!, [a, b, h[2], false]);
        }
      } else if (out !== null) {
        append(out, h);
      }
    }
    if (out === null) return 0;
    for (; i < holes.length; i++) append(out, holes[i]!);
    this.#holes = out;
    return count;
  }

  /**
   * Records an event number. Returns `-1` for a duplicate, `1` when it filled
   * a hole number, `0` otherwise. Call `track` when the event is buffered.
   */
  receive(seq: number, now: number): -1 | 0 | 1 {
    if (seq >= this.next) {
      if (seq > this.next) this.reach(seq, now);
      this.next = seq + 1;
      addToSet(this.received, seq);
      return 0;
    }
    if (hasInRanges(this.received, seq)) return -1;
    addToSet(this.received, seq);
    return this.#fill(seq) ? 1 : 0;
  }

  /**
   * Records the `count` numbers from `first` at once, for a batch that
   * follows on (`first` is `next`, so none is a duplicate or fills a hole):
   * {@link receive} of each, in one step.
   *
   * @example A batch that follows on
   * ```ts
   * import assert from "node:assert/strict";
   * import { StreamState } from "./stream_state.ts";
   * import { EventStore } from "./event_store.ts";
   * const s = new StreamState({ spec: "ab", specName: "A", node: "n1", boot: "b1" }, 0, new EventStore(8));
   * s.receiveRun(0, 4);
   * s.receiveRun(4, 2);
   * assert.deepEqual([s.next, s.received], [6, [[0, 5]]]);
   * assert.equal(s.receive(3, 0), -1, "a duplicate");
   * assert.throws(() => s.receiveRun(7, 1), RangeError);
   * ```
   */
  receiveRun(first: number, count: number): void {
    if (first !== this.next) {
      throw new RangeError(`A run must start at the next number '${this.next}', got '${first}'`);
    }
    if (count <= 0) return;
    const lastSeq = first + count - 1;
    const last = this.received[this.received.length - 1];
    if (last !== undefined && last[1] + 1 === first) last[1] = lastSeq;
    else this.received.push([first, lastSeq]);
    this.next = lastSeq + 1;
  }

  /** Removes `seq` from the hole holding it (binary search); false when in none. */
  #fill(seq: number): boolean {
    const holes = this.#holes;
    const i = searchRanges(holes, seq);
    const h = holes[i];
    if (h === undefined || h[0] > seq) return false;
    if (h[0] === h[1]) holes.splice(i, 1);
    else if (h[0] === seq) h[0]++;
    else if (h[1] === seq) h[1]--;
    else holes.splice(i + 1, 0, [seq + 1, h[1], h[2], h[3]]), h[1] = seq - 1;
    return true;
  }

  /** Number of received events still buffered. */
  get pendingCount(): number {
    return this.#pending;
  }

  /**
   * Tracks a buffered event (store slot and generation) until `applied` is
   * called for it. Entries of applied events are dropped from the front
   * before the queue would grow, so it stays about as long as the events
   * pending, whether or not anyone asks what is applied.
   */
  track(slot: number, gen: number, seq: number): void {
    if (this.#pending === 0) this.#queue.clear();
    else if (this.#queue.full) this.#queue.dropStale(this.#live);
    this.#queue.push(slot, gen, seq);
    this.#pending++;
  }

  /** Counts one tracked event applied (its slot retired). */
  applied(): void {
    this.#pending--;
  }

  /** Sequence numbers of the events still buffered, ascending. */
  pendingSeqs(): number[] {
    const out = this.#queue.liveValues(this.#live);
    return this.#queue.sorted ? out : out.sort((a, b) => a - b);
  }

  /** {@link StreamState.pendingSeqs} as ascending maximal runs `[first, last]` (no array per number). */
  pendingRanges(): Range[] {
    return this.#queue.liveRuns(this.#live);
  }

  /** The lowest buffered number, or Infinity. */
  #minPending(): number {
    if (this.#pending === 0) return Infinity;
    this.#queue.dropStale(this.#live);
    return this.#queue.minLive(this.#live);
  }

  /**
   * Removes the holes opened at or before `deadline` and returns them,
   * ascending. O(1) while none can be due, else one pass over the holes.
   *
   * @example Time out a hole
   * ```ts
   * import assert from "node:assert/strict";
   * import { StreamState } from "./stream_state.ts";
   * import { EventStore } from "./event_store.ts";
   * const s = new StreamState({ spec: "ab", specName: "A", node: "n1", boot: "b1" }, 0, new EventStore(8));
   * s.reach(2, 10);
   * s.declare(3, 3, 20);
   * assert.deepEqual(s.expire(9), []);
   * assert.deepEqual(s.expire(10), [[0, 1, 10, false]]);
   * assert.deepEqual(s.holes, [[2, 2, 20, false], [3, 3, 20, true]]);
   * ```
   */
  expire(deadline: number): readonly Hole[] {
    if (deadline < this.#oldest) return NO_HOLES;
    const gone: Hole[] = [];
    const holes = this.#holes;
    let kept = 0;
    let oldest = Infinity;
    for (let i = 0; i < holes.length; i++) {
      const h = holes[i]!;
      if (h[2] <= deadline) {
        gone.push(h);
      } else {
        holes[kept++] = h;
        if (h[2] < oldest) oldest = h[2];
      }
    }
    holes.length = kept;
    this.#oldest = oldest;
    return gone;
  }

  /**
   * Closes the lowest-numbered holes beyond `maxHoles` and returns them,
   * ascending (empty when within the limit). The caller reports them like
   * timed-out holes: their undeclared numbers are lost.
   *
   * @example Keep at most two holes
   * ```ts
   * import assert from "node:assert/strict";
   * import { StreamState } from "./stream_state.ts";
   * import { EventStore } from "./event_store.ts";
   * const id = { spec: "ab", specName: "A", node: "n1", boot: "b1" };
   * const s = new StreamState(id, 0, new EventStore(8), { maxHoles: 2 });
   * for (const seq of [1, 3, 5]) s.receive(seq, seq);
   * assert.deepEqual(s.closeOverLimit(), [[0, 0, 1, false]]);
   * assert.deepEqual(s.holes, [[2, 2, 3, false], [4, 4, 5, false]]);
   * assert.deepEqual(s.closeOverLimit(), []);
   * ```
   */
  closeOverLimit(): readonly Hole[] {
    const excess = this.#holes.length - this.#maxHoles;
    return excess > 0 ? this.#holes.splice(0, excess) : NO_HOLES;
  }

  /** Highest `s` such that every received number `<= s` is applied; `-1` when none. */
  appliedThrough(): number {
    return Math.min(this.#minPending(), this.next) - 1;
  }

  /** True when no number of `[first, first + count)` is buffered. */
  isApplied(first: number, count: number): boolean {
    const min = this.#minPending();
    if (min >= first + count) return true;
    if (min >= first) return false;
    return !this.#queue.anyLiveIn(this.#live, first, first + count);
  }

  /**
   * The applied part for a snapshot: received minus pending. Pending numbers
   * are listed as undeclared holes with `since` = -1 (they were buffered and
   * not acknowledged; their timeout restarts at restore, and redelivery
   * fills them). Linear in the ranges, holes and pending numbers.
   */
  snapshot(): StreamSnapshot {
    // Pending numbers as maximal runs: one hole per run, no array per number.
    const pending = this.pendingRanges();
    const holes: [number, number, number, boolean][] = [];
    for (const h of this.#holes) holes.push([h[0], h[1], h[2], h[3]]);
    for (const r of pending) holes.push([r[0], r[1], -1, false]);
    return {
      spec: this.id.spec,
      specName: this.id.specName,
      node: this.id.node,
      boot: this.id.boot,
      applied: subtractRanges(this.received, pending),
      next: this.next,
      holes,
      firstSeenAt: this.firstSeenAt,
    };
  }

  /**
   * Rebuilds a stream from a snapshot; holes with `since` -1 open at `now`.
   * Holes are sorted and merged where they touch and agree; overlapping holes
   * are a `TypeError`. More than `maxHoles` holes are kept until
   * `closeOverLimit`.
   */
  static restore(
    s: StreamSnapshot,
    now: number,
    live: SlotLiveness,
    options: StreamOptions = {},
  ): StreamState {
    const st = new StreamState(
      { spec: s.spec, specName: s.specName, node: s.node, boot: s.boot },
      s.firstSeenAt,
      live,
      options,
    );
    for (const r of s.applied) st.received.push([r[0], r[1]]);
    st.next = s.next;
    const holes: Hole[] = [];
    for (const h of s.holes) holes.push([h[0], h[1], h[2] === -1 ? now : h[2], h[3]]);
    holes.sort((a, b) => a[0] - b[0]);
    for (const h of holes) {
      const last = st.#holes[st.#holes.length - 1];
      if (last !== undefined && h[0] <= last[1]) {
        throw new TypeError(
          `Snapshot of stream '${st.key.replaceAll("\u0000", "/")}' has overlapping holes ` +
            `'${last[0]}..${last[1]}' and '${h[0]}..${h[1]}'`,
        );
      }
      st.#openHole(h);
    }
    return st;
  }
}
