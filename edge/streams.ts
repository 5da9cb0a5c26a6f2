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
 *   drop is a hole too (the numbers are lost, the partitions' verdicts cannot
 *   be certain). An event filling a number of a hole closes that number (the
 *   event wins over a declaration). A hole older than the gap timeout is
 *   removed and reported permanent (`lost`);
 * - `pending`: the received numbers still in a reorder buffer (tracked by
 *   their event store slot), so the app knows what it may acknowledge
 *   (`appliedThrough`).
 *
 * A new boot id is a new stream starting at 0: a reboot resets the node's
 * numbering, and the old stream's holes time out on their own.
 *
 * @module
 */
import type { StreamId } from "../runtime/event.ts";
import type { StreamSnapshot } from "./types.ts";
import { addToSet, hasInRanges, type Range, removeFromSet, searchRanges } from "./ranges.ts";
import { type SlotLiveness, SlotQueue } from "./slot_queue.ts";

export type { SlotLiveness };

/** An open hole: `[first, last, since, declared]`. */
export type Hole = [first: number, last: number, since: number, declared: boolean];

/** The key of a stream in maps. */
export function streamKey(id: StreamId): string {
  return `${id.spec}\u0000${id.node}\u0000${id.boot}`;
}

/** One stream's sequence state. */
export class StreamState {
  readonly id: StreamId;
  readonly key: string;
  readonly received: Range[] = [];
  next = 0;
  readonly holes: Hole[] = [];
  /** Buffered events in arrival order (slot, generation, sequence number). */
  readonly #queue = new SlotQueue();
  readonly #live: SlotLiveness;
  #pending = 0;
  /** Open holes as last counted into the node's totals (the collector keeps them in sync). */
  countedHoles = 0;
  readonly firstSeenAt: number;
  /** A small collector-wide number (reorder buffers index their lanes by it). */
  index = 0;
  /** The stream's (node, boot) number in its spec's origins (histories refer to it). */
  origin = -1;

  /**
   * Creates an empty stream.
   *
   * @example A new stream
   * ```ts
   * import { StreamState } from "./streams.ts";
   * import { EventStore } from "./event_store.ts";
   * const id = { spec: "ab", specName: "A", node: "n1", boot: "b1" };
   * const s = new StreamState(id, 0, new EventStore(8));
   * s.appliedThrough(); // -1
   * ```
   */
  constructor(id: StreamId, now: number, live: SlotLiveness) {
    this.#live = live;
    this.id = id;
    this.key = streamKey(id);
    this.firstSeenAt = now;
  }

  /** Number of open holes. */
  get openHoles(): number {
    return this.holes.length;
  }

  /**
   * Moves `next` to at least `seq` (a batch's first number), opening an
   * undeclared hole over skipped numbers. Returns the hole opened, if any.
   */
  reach(seq: number, now: number): Hole | null {
    if (seq <= this.next) return null;
    const hole: Hole = [this.next, seq - 1, now, false];
    this.holes.push(hole);
    this.next = seq;
    return hole;
  }

  /**
   * Declares `[first, last]` dropped: numbers not received become (or stay)
   * declared holes. Returns the new holes or newly declared pieces and the
   * count of numbers newly declared.
   */
  declare(first: number, last: number, now: number): { holes: Hole[]; count: number } {
    const opened: Hole[] = [];
    let count = 0;
    if (last >= this.next) {
      const gap = this.reach(first, now);
      if (gap !== null) opened.push(gap);
      const from = Math.max(first, this.next);
      const hole: Hole = [from, last, now, true];
      this.holes.push(hole);
      opened.push(hole);
      count += last - from + 1;
      this.next = last + 1;
      last = from - 1;
    }
    if (first <= last) count += this.#declareBelow(first, last);
    return { holes: opened, count };
  }

  /** Marks the undeclared parts of open holes within `[first, last]` declared. */
  #declareBelow(first: number, last: number): number {
    let count = 0;
    const out: Hole[] = [];
    for (const h of this.holes) {
      if (h[3] || h[1] < first || h[0] > last) {
        out.push(h);
        continue;
      }
      const a = Math.max(h[0], first);
      const b = Math.min(h[1], last);
      if (h[0] < a) out.push([h[0], a - 1, h[2], false]);
      out.push([a, b, h[2], true]);
      if (b < h[1]) out.push([b + 1, h[1], h[2], false]);
      count += b - a + 1;
    }
    this.holes.splice(0, this.holes.length, ...out);
    return count;
  }

  /**
   * Records an event number. Returns `-1` for a duplicate, `1` when it filled
   * a hole number, `0` otherwise. Call `track` when the event is buffered.
   */
  receive(seq: number, now: number): -1 | 0 | 1 {
    if (seq >= this.next) {
      this.reach(seq, now);
      this.next = seq + 1;
      addToSet(this.received, seq);
      return 0;
    }
    if (hasInRanges(this.received, seq)) return -1;
    addToSet(this.received, seq);
    return this.#fill(seq) ? 1 : 0;
  }

  #fill(seq: number): boolean {
    for (let i = 0; i < this.holes.length; i++) {
      const h = this.holes[i]!;
      if (seq < h[0] || seq > h[1]) continue;
      if (h[0] === h[1]) this.holes.splice(i, 1);
      else if (h[0] === seq) h[0]++;
      else if (h[1] === seq) h[1]--;
      else this.holes.splice(i + 1, 0, [seq + 1, h[1], h[2], h[3]]), h[1] = seq - 1;
      return true;
    }
    return false;
  }

  /** Number of received events still buffered. */
  get pendingCount(): number {
    return this.#pending;
  }

  /** Tracks a buffered event (store slot and generation) until `applied` is called for it. */
  track(slot: number, gen: number, seq: number): void {
    if (this.#pending === 0) this.#queue.clear();
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

  /** The lowest buffered number, or Infinity. */
  #minPending(): number {
    if (this.#pending === 0) return Infinity;
    this.#queue.dropStale(this.#live);
    return this.#queue.minLive(this.#live);
  }

  /** Removes holes opened at or before `deadline`; returns them. */
  expire(deadline: number): Hole[] {
    if (this.holes.length === 0) return [];
    const gone = this.holes.filter((h) => h[2] <= deadline);
    if (gone.length > 0) {
      const keep = this.holes.filter((h) => h[2] > deadline);
      this.holes.splice(0, this.holes.length, ...keep);
    }
    return gone;
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
   * fills them).
   */
  snapshot(): StreamSnapshot {
    const applied: Range[] = this.received.map((r) => [r[0], r[1]]);
    const holes: [number, number, number, boolean][] = this.holes.map((
      h,
    ) => [h[0], h[1], h[2], h[3]]);
    for (const s of this.pendingSeqs()) {
      removeFromSet(applied, s);
      const last = holes[holes.length - 1];
      if (last !== undefined && last[2] === -1 && last[1] === s - 1) last[1] = s;
      else holes.push([s, s, -1, false]);
    }
    return {
      spec: this.id.spec,
      specName: this.id.specName,
      node: this.id.node,
      boot: this.id.boot,
      applied,
      next: this.next,
      holes,
      firstSeenAt: this.firstSeenAt,
    };
  }

  /** Rebuilds a stream from a snapshot; holes with `since` -1 open at `now`. */
  static restore(s: StreamSnapshot, now: number, live: SlotLiveness): StreamState {
    const st = new StreamState(
      { spec: s.spec, specName: s.specName, node: s.node, boot: s.boot },
      s.firstSeenAt,
      live,
    );
    for (const r of s.applied) st.received.push([r[0], r[1]]);
    st.next = s.next;
    for (const h of s.holes) st.holes.push([h[0], h[1], h[2] === -1 ? now : h[2], h[3]]);
    st.holes.sort((a, b) => a[0] - b[0]);
    return st;
  }
}

/** Index of the first range whose last is `>= n` (re-exported for tests). */
export { searchRanges };
