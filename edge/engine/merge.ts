/**
 * Merge order and the per-partition reorder buffer. Merge order is HLC
 * wall, then HLC logical, then node id, then boot id, then sequence number,
 * so it is total and the same on every collector whatever the arrival
 * order. Buffered events are slots of an {@link EventStore}.
 *
 * @module
 */
import type { EventStore } from "./event_store.ts";

/** A position in merge order. */
export interface MergePos {
  readonly wall: number;
  readonly logical: number;
  readonly node: string;
  readonly boot: string;
  readonly seq: number;
}

/**
 * Compares two merge positions: negative when `a` is applied first.
 *
 * @example Node id breaks HLC ties
 * ```ts
 * import assert from "node:assert/strict";
 * import { compareMerge } from "./merge.ts";
 * const a = { wall: 5, logical: 0, node: "a", boot: "x", seq: 9 };
 * const b = { wall: 5, logical: 0, node: "b", boot: "x", seq: 1 };
 * assert.ok(compareMerge(a, b) < 0);
 * ```
 */
export function compareMerge(a: MergePos, b: MergePos): number {
  if (a.wall !== b.wall) return a.wall < b.wall ? -1 : 1;
  if (a.logical !== b.logical) return a.logical < b.logical ? -1 : 1;
  if (a.node !== b.node) return a.node < b.node ? -1 : 1;
  if (a.boot !== b.boot) return a.boot < b.boot ? -1 : 1;
  return a.seq - b.seq;
}

/**
 * Compares two stored events in merge order (as {@link compareMerge}).
 *
 * @example Order two slots
 * ```ts
 * import assert from "node:assert/strict";
 * import { EventStore } from "./event_store.ts";
 * import { compareSlots } from "./merge.ts";
 * const s = new EventStore(8);
 * s.nodes.push("a");
 * s.boots.push("x");
 * const put = (wall: number) => {
 *   const slot = s.alloc();
 *   s.setHlc(slot, wall, 0, wall); s.place(slot, 0, 0, false);
 *   return slot;
 * };
 * const a = put(2);
 * const b = put(1);
 * assert.ok(compareSlots(s, a, b) > 0);
 * ```
 */
export function compareSlots(s: EventStore, a: number, b: number): number {
  const wa = s.wallOf(a);
  const wb = s.wallOf(b);
  if (wa !== wb) return wa < wb ? -1 : 1;
  const la = s.logicalOf(a);
  const lb = s.logicalOf(b);
  if (la !== lb) return la < lb ? -1 : 1;
  return tie(s, s.streamOf(a), s.streamOf(b), s.seqOf(a) - s.seqOf(b));
}

/** Node, then boot, then `seqDiff` (for equal HLCs). */
function tie(s: EventStore, sa: number, sb: number, seqDiff: number): number {
  if (sa !== sb) {
    const na = s.nodes[sa]!;
    const nb = s.nodes[sb]!;
    if (na !== nb) return na < nb ? -1 : 1;
    const ba = s.boots[sa]!;
    const bb = s.boots[sb]!;
    if (ba !== bb) return ba < bb ? -1 : 1;
  }
  return seqDiff;
}

/** Compares a stored event with a merge position (as {@link compareMerge}). */
export function compareSlotPos(s: EventStore, a: number, b: MergePos): number {
  const wa = s.wallOf(a);
  if (wa !== b.wall) return wa < b.wall ? -1 : 1;
  const la = s.logicalOf(a);
  if (la !== b.logical) return la < b.logical ? -1 : 1;
  const na = s.nodes[s.streamOf(a)]!;
  if (na !== b.node) return na < b.node ? -1 : 1;
  const ba = s.boots[s.streamOf(a)]!;
  if (ba !== b.boot) return ba < b.boot ? -1 : 1;
  return s.seqOf(a) - b.seq;
}

/**
 * One stream's buffered events in a partition, in merge order: a ring,
 * event `k` (`head <= k < tail`) at `items[k & mask]`, so taking the first
 * event never moves the others. A lane exists while its stream has events
 * buffered in the partition; emptied, it goes back to its {@link LanePool}
 * with its array, whose length is its capacity (freeing the storage and
 * allocating it again for the next event would cost more).
 */
interface Lane {
  /** The stream's collector-wide index. */
  stream: number;
  /** The ring's storage, a power of two long. */
  items: number[];
  /** `items.length - 1`. */
  mask: number;
  head: number;
  tail: number;
  /** Position in the heap, -1 when not in it (empty). */
  pos: number;
  /**
   * HLC of the first event (wall, logical) while the lane has events: the
   * heap compares these and reads the store only on a tie.
   */
  headWall: number;
  headLogical: number;
}

/** Lanes searched in a list up to this many; past it, a Map indexes them by stream. */
const LANE_INDEX_AFTER = 8;

/** Room of a new lane (a power of two); it doubles when full. */
const LANE_ROOM = 16;

/** A lane's counters are brought back below this (by a multiple of its room) as they pass it, so they stay small integers. */
const COUNTER_LIMIT = 0x4000_0000;

/** The first event of a lane that has one. */
function firstOf(lane: Lane): number {
  return lane.items[lane.head & lane.mask]!;
}

/** Makes room for one more event in a full lane: a ring twice as large, events from index 0. */
function widen(lane: Lane): void {
  const old = lane.items;
  const n = lane.tail - lane.head;
  const items = new Array<number>(2 * old.length).fill(-1);
  for (let k = 0; k < n; k++) items[k] = old[(lane.head + k) & lane.mask]!;
  lane.items = items;
  lane.mask = items.length - 1;
  lane.head = 0;
  lane.tail = n;
}

/** Takes the first event of a lane that has one. */
function shiftLane(lane: Lane): number {
  const slot = lane.items[lane.head & lane.mask]!;
  if (++lane.head === COUNTER_LIMIT) {
    const base = lane.head - (lane.head & lane.mask);
    lane.head -= base;
    lane.tail -= base;
  }
  return slot;
}

/** Emptied lanes and heap arrays a pool keeps for reuse, at most. */
const POOL_KEEPS = 4096;

/**
 * Lanes and heap arrays of emptied reorder buffers, for reuse by the
 * buffers sharing the pool (a collector's partitions of one spec). An idle
 * partition then holds no lane storage, and steady traffic allocates none.
 *
 * @example Share a pool
 * ```ts
 * import assert from "node:assert/strict";
 * import { LanePool, ReorderBuffer } from "./merge.ts";
 * const pool = new LanePool();
 * const a = new ReorderBuffer(pool);
 * const b = new ReorderBuffer(pool);
 * assert.equal(a.size + b.size + pool.size, 0);
 * ```
 */
export class LanePool {
  // Stacks with their own counts, not `pop`/`push`: V8 shrinks an array's
  // backing store as it is popped and copies it into a new one as it grows
  // again, so a pool drained and refilled by turns allocated ~3 bytes per
  // event of a warm ingest. Entries above a count are stale (never read).
  readonly #lanes: Lane[] = [];
  #laneCount = 0;
  readonly #heaps: Lane[][] = [];
  #heapCount = 0;

  /** Lanes and heap arrays kept. */
  get size(): number {
    return this.#laneCount + this.#heapCount;
  }

  /** An empty lane for `stream`. */
  lane(stream: number): Lane {
    if (this.#laneCount === 0) {
      const items = new Array<number>(LANE_ROOM).fill(-1);
      return {
        stream,
        items,
        mask: LANE_ROOM - 1,
        head: 0,
        tail: 0,
        pos: -1,
        headWall: 0.5,
        headLogical: 0.5,
      };
    }
    const lane = this.#lanes[--this.#laneCount]!;
    lane.stream = stream;
    return lane;
  }

  /** Takes back an emptied lane. */
  releaseLane(lane: Lane): void {
    lane.head = lane.tail = 0;
    lane.pos = -1;
    if (this.#laneCount < POOL_KEEPS) this.#lanes[this.#laneCount++] = lane;
  }

  /** An array for a heap of lanes (its old entries are overwritten before being read). */
  heap(): Lane[] {
    return this.#heapCount === 0 ? [] : this.#heaps[--this.#heapCount]!;
  }

  /** Takes back the heap array of an emptied buffer. */
  releaseHeap(heap: Lane[]): void {
    if (this.#heapCount < POOL_KEEPS) this.#heaps[this.#heapCount++] = heap;
  }
}

/**
 * A partition's buffered events in merge order. Events that arrive in merge
 * order (each after every event already in the run) are appended to one
 * sorted run: a push and a pop then cost one comparison. An event that
 * arrives out of order goes to a lane of its stream (a node's events arrive
 * in its own order, so appending is the common case; an out-of-order
 * arrival is inserted in place), and a binary min-heap of the lanes by
 * their first event costs O(log streams) comparisons per push or pop
 * rather than O(log events). A pop takes the smaller of the run's and the
 * heap's first event. A lane is found by its stream (the last one used,
 * the heap's few lanes, or past {@link LANE_INDEX_AFTER} lanes a Map). An
 * empty buffer holds no lane and no heap array: they return to the
 * {@link LanePool}.
 */
export class ReorderBuffer {
  readonly #pool: LanePool;
  /** The lanes with events, `#heap[0 .. #heapSize)`, a min-heap by first event; null when empty. */
  #heap: Lane[] | null = null;
  /** Number of lanes in the heap. */
  #heapSize = 0;
  /** Lanes by stream, while more than {@link LANE_INDEX_AFTER} were in the heap at once. */
  #byStream: Map<number, Lane> | null = null;
  /** The lane pushed to last (when still in the heap). */
  #last: Lane | null = null;
  /** The in-order run (events pushed after every event in it), null when empty. */
  #run: Lane | null = null;
  #size = 0;

  /** Creates an empty buffer drawing lanes from `pool` (default: a pool of its own). */
  constructor(pool: LanePool = new LanePool()) {
    this.#pool = pool;
  }

  /** Number of buffered events. */
  get size(): number {
    return this.#size;
  }

  /** The first slot in merge order, -1 when empty. */
  peek(s: EventStore): number {
    const run = this.#run;
    if (this.#heapSize === 0) return run === null ? -1 : firstOf(run);
    const top = firstOf(this.#heap![0]!);
    if (run === null) return top;
    const first = firstOf(run);
    return compareSlots(s, first, top) < 0 ? first : top;
  }

  /**
   * Adds a stored event.
   *
   * @example Events come out in merge order
   * ```ts
   * import assert from "node:assert/strict";
   * import { EventStore } from "./event_store.ts";
   * import { ReorderBuffer } from "./merge.ts";
   * const s = new EventStore(8);
   * s.nodes.push("n");
   * s.boots.push("b");
   * const buf = new ReorderBuffer();
   * for (const w of [3, 1, 2]) {
   *   const slot = s.alloc();
   *   s.setHlc(slot, w, 0, w); s.place(slot, 0, 0, false);
   *   buf.push(s, slot);
   * }
   * assert.deepEqual([1, 2, 3].map(() => s.wallOf(buf.pop(s))), [1, 2, 3]);
   * assert.equal(buf.pop(s), -1);
   * ```
   */
  push(s: EventStore, slot: number): void {
    const run = this.#run;
    if (run === null) {
      const fresh = this.#run = this.#pool.lane(-1);
      this.#append(fresh, slot);
      return;
    }
    if (compareSlots(s, run.items[(run.tail - 1) & run.mask]!, slot) < 0) {
      this.#append(run, slot);
      return;
    }
    this.#pushLane(s, slot);
  }

  /**
   * {@link ReorderBuffer.push} of `slot`, known to order after `prev` (a
   * slot pushed before it): appended without a comparison when `prev` is
   * the in-order run's last event.
   */
  pushAfter(s: EventStore, slot: number, prev: number): void {
    const run = this.#run;
    if (run !== null && run.items[(run.tail - 1) & run.mask] === prev) this.#append(run, slot);
    else this.push(s, slot);
  }

  /** Appends `slot` to the run `run` (it orders after the run's last event). */
  #append(run: Lane, slot: number): void {
    if (run.tail - run.head === run.items.length) widen(run);
    run.items[run.tail & run.mask] = slot;
    run.tail++;
    this.#size++;
  }

  /** Adds an event that arrived out of order to its stream's lane. */
  #pushLane(s: EventStore, slot: number): void {
    const lane = this.#lane(s.streamOf(slot));
    if (lane.tail - lane.head === lane.items.length) widen(lane);
    const items = lane.items;
    const mask = lane.mask;
    const tail = lane.tail;
    let i = tail;
    while (i > lane.head && compareSlots(s, items[(i - 1) & mask]!, slot) > 0) i--;
    for (let j = tail; j > i; j--) items[j & mask] = items[(j - 1) & mask]!;
    items[i & mask] = slot;
    lane.tail = tail + 1;
    this.#size++;
    if (i === lane.head) {
      lane.headWall = s.wallOf(slot);
      lane.headLogical = s.logicalOf(slot);
    }
    if (lane.pos < 0) {
      const heap = this.#heap ??= this.#pool.heap();
      lane.pos = this.#heapSize++;
      if (lane.pos === heap.length) heap.push(lane);
      else heap[lane.pos] = lane;
      if (this.#byStream !== null) this.#byStream.set(lane.stream, lane);
      else if (this.#heapSize > LANE_INDEX_AFTER) this.#index(heap);
      this.#up(s, lane.pos);
    } else if (i === lane.head) {
      this.#up(s, lane.pos);
    }
  }

  /** Removes and returns the first slot in merge order, -1 when empty. */
  pop(s: EventStore): number {
    const run = this.#run;
    if (run !== null) {
      const first = firstOf(run);
      if (this.#heapSize === 0 || compareSlots(s, first, this.#peekLanes()) < 0) {
        this.#size--;
        shiftLane(run);
        if (run.head === run.tail) {
          this.#run = null;
          this.#pool.releaseLane(run);
        }
        return first;
      }
    } else if (this.#heapSize === 0) return -1;
    return this.#popLane(s);
  }

  /**
   * Removes and returns the first slot in merge order when it is `through`
   * or orders before it; -1 otherwise (or when empty).
   *
   * @example Release up to an event
   * ```ts
   * import assert from "node:assert/strict";
   * import { EventStore } from "./event_store.ts";
   * import { ReorderBuffer } from "./merge.ts";
   * const s = new EventStore(8);
   * s.nodes.push("n");
   * s.boots.push("b");
   * const buf = new ReorderBuffer();
   * const slots = [2, 1, 3].map((w) => {
   *   const slot = s.alloc();
   *   s.setHlc(slot, w, 0, w); s.place(slot, 0, 0, false);
   *   buf.push(s, slot);
   *   return slot;
   * });
   * const out: number[] = [];
   * for (let x = buf.popThrough(s, slots[0]!); x >= 0; x = buf.popThrough(s, slots[0]!)) {
   *   out.push(s.wallOf(x));
   *   if (x === slots[0]) break;
   * }
   * assert.deepEqual(out, [1, 2]);
   * assert.equal(buf.size, 1);
   * ```
   */
  popThrough(s: EventStore, through: number): number {
    const run = this.#run;
    let first: number;
    let fromRun: boolean;
    if (run === null) {
      if (this.#heapSize === 0) return -1;
      first = this.#peekLanes();
      fromRun = false;
    } else {
      first = firstOf(run);
      fromRun = true;
      if (this.#heapSize > 0) {
        const top = this.#peekLanes();
        if (compareSlots(s, top, first) < 0) {
          first = top;
          fromRun = false;
        }
      }
    }
    if (first !== through && compareSlots(s, first, through) > 0) return -1;
    if (!fromRun) return this.#popLane(s);
    this.#size--;
    shiftLane(run!);
    if (run!.head === run!.tail) {
      this.#run = null;
      this.#pool.releaseLane(run!);
    }
    return first;
  }

  /** The first event of the heap's first lane (the heap is not empty). */
  #peekLanes(): number {
    return firstOf(this.#heap![0]!);
  }

  /** Removes and returns the first event of the lanes (the heap is not empty). */
  #popLane(s: EventStore): number {
    const heap = this.#heap!;
    const lane = heap[0]!;
    const slot = shiftLane(lane);
    this.#size--;
    if (lane.head < lane.tail) {
      const next = firstOf(lane);
      lane.headWall = s.wallOf(next);
      lane.headLogical = s.logicalOf(next);
      if (this.#heapSize > 1) this.#down(s, 0);
      return slot;
    }
    const last = heap[--this.#heapSize]!;
    if (last !== lane) {
      heap[0] = last;
      last.pos = 0;
      this.#down(s, 0);
    }
    this.#retire(lane);
    return slot;
  }

  /** An emptied lane leaves the buffer; an emptied buffer gives back its heap array. */
  #retire(lane: Lane): void {
    if (this.#byStream !== null) this.#byStream.delete(lane.stream);
    if (this.#last === lane) this.#last = null;
    this.#pool.releaseLane(lane);
    if (this.#heapSize === 0) {
      this.#pool.releaseHeap(this.#heap!);
      this.#heap = null;
      this.#byStream = null;
    }
  }

  #index(heap: Lane[]): void {
    const m = new Map<number, Lane>();
    for (let i = 0; i < this.#heapSize; i++) m.set(heap[i]!.stream, heap[i]!);
    this.#byStream = m;
  }

  /** The lane of a stream (a fresh one, not yet in the heap, when it has no events here). */
  #lane(stream: number): Lane {
    const last = this.#last;
    if (last !== null && last.stream === stream) return last;
    let lane: Lane | undefined;
    if (this.#byStream !== null) lane = this.#byStream.get(stream);
    else if (this.#heap !== null) {
      const heap = this.#heap;
      for (let i = 0; i < this.#heapSize; i++) {
        if (heap[i]!.stream === stream) {
          lane = heap[i];
          break;
        }
      }
    }
    return this.#last = lane ?? this.#pool.lane(stream);
  }

  #less(s: EventStore, a: Lane, b: Lane): boolean {
    if (a.headWall !== b.headWall) return a.headWall < b.headWall;
    if (a.headLogical !== b.headLogical) return a.headLogical < b.headLogical;
    return compareSlots(s, firstOf(a), firstOf(b)) < 0;
  }

  #up(s: EventStore, i: number): void {
    const h = this.#heap!;
    const x = h[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = h[parent]!;
      if (!this.#less(s, x, p)) break;
      h[i] = p;
      p.pos = i;
      i = parent;
    }
    h[i] = x;
    x.pos = i;
  }

  #down(s: EventStore, i: number): void {
    const h = this.#heap!;
    const n = this.#heapSize;
    const x = h[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.#less(s, h[r]!, h[l]!) ? r : l;
      const child = h[c]!;
      if (!this.#less(s, child, x)) break;
      h[i] = child;
      child.pos = i;
      i = c;
    }
    h[i] = x;
    x.pos = i;
  }
}
