/**
 * The collector engine's scheduling: the arrival queue of buffered events
 * and their release in merge order, flushing, liveness deadlines, hole
 * timeouts, and status announcements, over the engine's state it is given.
 * With causal verdicts on, the release reads the memory of the next few due
 * events in a row before applying them, so that their cache misses overlap
 * ({@link WARM_AHEAD}). Internal; `engine.ts` composes it.
 *
 * @module
 */
import type { EngineState } from "./engine_state.ts";
import type { EventStore } from "./event_store.ts";
import type { HoleTracker } from "./holes.ts";
import type { DeadlineQueue } from "./liveness.ts";
import type { Partition } from "./partition.ts";
import { SlotQueue } from "./slot_queue.ts";
import type { StreamState } from "./stream_state.ts";
import type { Applier } from "./applier.ts";

/** The most a store's room grows by in one step sized from the rate of arrival ({@link Scheduler.dueBy}). */
const GROWTH_LIMIT = 16;

/**
 * Slots a step sized from the rate of arrival adds beyond doubling, at
 * most: a burst early in the window (a backlog arriving at once) is not
 * taken for the rate of a whole window (about 7.7 MB at 118 bytes a slot).
 */
const GROWTH_STEP = 65_536;

/**
 * Arrival entries {@link Scheduler.release} reads the memory of at once,
 * before applying them, with causal verdicts on. The judge's work between
 * two events of a partition evicts what applying the next one reads (its
 * slot, written a window earlier; its partition's and participant's
 * objects and rings), and each such line costs a miss (~80 ns here, of
 * ~1.1 us per event); read in a row for several events the misses overlap.
 * Measured in one process (`bench/variant_ab.ts`, 16 nodes, 256 keys),
 * causal on: 0.91-0.92x CPU with a fresh collector per run, 0.89-0.94x
 * with a long-running one; 8 ahead did less (0.96-0.98x), 32 no better.
 * Off, where these lines are still cached, it cost 1.01-1.04x: not done.
 */
const WARM_AHEAD = 16;

/** The engine parts a scheduler works with. */
export interface SchedulerParts {
  readonly state: EngineState;
  /** Where buffered events live. */
  readonly store: EventStore;
  /** Applies one event. */
  readonly applier: Applier;
  /** Open holes (timed out by `advance`). */
  readonly holes: HoleTracker;
  /** Open liveness deadlines, shared with the applier (which opens them). */
  readonly deadlines: DeadlineQueue;
}

/** Release, expiry and announcements of a collector engine. */
export class Scheduler {
  readonly #state: EngineState;
  readonly #store: EventStore;
  readonly #applier: Applier;
  readonly #holes: HoleTracker;
  readonly #deadlines: DeadlineQueue;
  /** Buffered events in arrival order, by the time they are due. */
  readonly #arrivals = new SlotQueue();
  /** Events buffered and not yet applied. */
  #held = 0;
  /** The time by which the events of the batch being ingested are due ({@link Scheduler.dueBy}). */
  readonly #dueAt = new Float64Array(1);
  /** What the warm-up read, summed (kept so that the reads are not left out). */
  #warmed = 0;

  /**
   * Creates the scheduler of an engine.
   *
   * @example Apply what is due
   * ```ts ignore
   * // How the engine wires its scheduler, and `Collector.advance()` on it:
   * const scheduler = new Scheduler({ state, store, applier, holes, deadlines });
   * scheduler.advance(Date.now());
   * ```
   */
  constructor(parts: SchedulerParts) {
    this.#state = parts.state;
    this.#store = parts.store;
    this.#applier = parts.applier;
    this.#holes = parts.holes;
    this.#deadlines = parts.deadlines;
  }

  /**
   * Sets the time by which the events of the batch being ingested are due
   * (its arrival plus the reorder window): {@link Scheduler.due} queues
   * them by it. Once per batch: the store keeps no such time per event.
   * When the batch's `events` do not fit in the store, makes room for them
   * and, while the window fills, for the rest of the window at their rate
   * of arrival (the arrival queue too: one step each, see
   * {@link Scheduler.#expected}).
   */
  dueBy(readyAt: number, events = 0): void {
    this.#dueAt[0] = readyAt;
    const s = this.#store;
    if (s.size + events <= s.capacity) return;
    s.reserve(this.#expected(readyAt, s.size + events));
    this.#arrivals.reserve(s.capacity);
  }

  /**
   * Slots to make room for when `need` do not fit while the reorder window
   * fills (its oldest arrival less than a window old): the events held so
   * far, scaled up at their rate of arrival to a full window, plus a
   * sixteenth, at most {@link GROWTH_LIMIT} times the room and
   * {@link GROWTH_STEP} slots beyond twice the room (a burst does not
   * reserve for a window of bursts). One step where doubling from the
   * store's first room took eight at 64k events per window, each
   * allocating, zeroing and copying every block. `need` once the window
   * is full (or nothing is queued): the store then doubles.
   */
  #expected(readyAt: number, need: number): number {
    const window = this.#state.options.windowMs;
    const span = readyAt - this.#arrivals.headValue();
    const s = this.#store;
    if (!(span > 0 && span < window) || s.size === 0) return need;
    const rate = s.size / span;
    const full = need + rate * (window - span);
    const room = s.capacity;
    return Math.min(full + full / 16, GROWTH_LIMIT * room, 2 * room + GROWTH_STEP);
  }

  /**
   * Buffers a filled slot of `stream` in partition `p`'s reorder window.
   * It is released by its batch's due time once queued there ({@link Scheduler.due}),
   * or with an event of `p` that orders after it and is queued (releasing
   * an event releases every event ordered before it first): the engine
   * queues only the last of a batch's consecutive events in one partition
   * that follow each other in merge order.
   */
  hold(slot: number, stream: StreamState, p: Partition): void {
    const s = this.#store;
    this.#held++;
    p.buffer.push(s, slot);
    stream.track(slot, s.genOf(slot), s.seqOf(slot));
  }

  /**
   * {@link Scheduler.hold} of a slot known to order after `prev`, an event
   * of the same stream held in `p` just before it (so it is not late):
   * appended to `p`'s in-order run without a comparison when `prev` ends it.
   */
  holdAfter(slot: number, prev: number, stream: StreamState, p: Partition): void {
    const s = this.#store;
    this.#held++;
    p.buffer.pushAfter(s, slot, prev);
    stream.track(slot, s.genOf(slot), s.seqOf(slot));
  }

  /**
   * Queues a held slot of the batch being ingested to be released (with
   * what orders before it) by the batch's due time ({@link Scheduler.dueBy}).
   */
  due(slot: number): void {
    const s = this.#store;
    this.#arrivals.pushFrom(slot, s.genOf(slot), this.#dueAt, 0);
  }

  /** Applies what is due at `now`, times out holes and deadlines, announces statuses. */
  advance(now: number): void {
    const o = this.#state.options;
    this.release(now);
    this.#holes.expire(now - o.gapTimeoutMs);
    if (this.#deadlines.size > 0) {
      for (const p of this.#deadlines.popDue(now - o.windowMs)) {
        const time = Math.max(p.last?.wall ?? -Infinity, now - o.windowMs);
        this.#applier.expire(p, time, false, 0, 0);
        this.#deadlines.requeue(p);
      }
    }
    this.announce();
  }

  /** Applies the buffered events due at `now` (and, first, everything ordered before them). */
  release(now: number): void {
    const q = this.#arrivals;
    if (!q.headDue(now)) return;
    // Warmed up with causal verdicts on only ({@link WARM_AHEAD}), in a loop of its own: this one is off's, as it was.
    if (this.#applier.causal !== null) return this.#releaseWarm(now);
    const s = this.#store;
    while (q.headDue(now)) {
      const gen = q.headGen();
      const slot = q.shift();
      if (s.live(slot, gen)) this.#releaseThrough(slot);
    }
  }

  /** {@link Scheduler.release} warming up the next {@link WARM_AHEAD} due entries at a time. */
  #releaseWarm(now: number): void {
    const q = this.#arrivals;
    const s = this.#store;
    /** Entries warmed up ahead of the first (by {@link Scheduler.#warmUp}). */
    let ahead = 0;
    while (q.headDue(now)) {
      if (ahead-- === 0) ahead = this.#warmUp(q, now) - 1;
      const gen = q.headGen();
      const slot = q.shift();
      if (s.live(slot, gen)) this.#releaseThrough(slot);
    }
  }

  /**
   * Reads the memory applying the next {@link WARM_AHEAD} due arrival
   * entries reads first (see there): each live one's slot, its partition's
   * first buffered event (released first) and what `Applier.warm` reads.
   * Returns the entries it looked at (at least one: the head is due).
   */
  #warmUp(q: SlotQueue, now: number): number {
    const s = this.#store;
    const parts = this.#state.partList;
    const applier = this.#applier;
    let sum = 0;
    let k = 0;
    for (; k < WARM_AHEAD; k++) {
      const slot = q.dueAhead(k, now);
      if (slot < 0) break;
      if (!s.live(slot, q.genAhead(k))) continue;
      const p = parts[s.partOf(slot)]!;
      const first = p.buffer.peek(s);
      if (first >= 0 && first !== slot) sum += s.touch(first);
      sum += applier.warm(p, slot);
    }
    // The judge's lines of these events, read stage by stage over all of them (`lane_warming.ts`).
    const causal = applier.causal;
    if (causal !== null) sum += causal.warmQueued();
    this.#warmed += sum;
    return k;
  }

  /** Applies everything buffered, in order, and announces. */
  flush(): void {
    const s = this.#store;
    const parts = this.#state.partList;
    this.#arrivals.forEachLive(s, (slot) => {
      if (s.size === 0) return;
      const p = parts[s.partOf(slot)]!;
      for (let x = p.buffer.pop(s); x >= 0; x = p.buffer.pop(s)) this.#apply(x);
    });
    this.#arrivals.clear();
    this.announce();
  }

  /** Applies a buffered event. */
  #apply(slot: number): void {
    this.#held--;
    this.#applier.apply(slot);
  }

  /** Applies the events of `slot`'s partition up to and including it, in merge order. */
  #releaseThrough(slot: number): void {
    const s = this.#store;
    const buf = this.#state.partList[s.partOf(slot)]!.buffer;
    const gen = s.genOf(slot);
    for (let top = buf.popThrough(s, slot); top >= 0; top = buf.popThrough(s, slot)) {
      this.#apply(top);
      if (top === slot || !s.live(slot, gen)) break;
    }
  }

  /** Announces the status of each partition whose status (or completeness) changed. */
  announce(): void {
    const state = this.#state;
    const dirty = state.dirty;
    if (dirty.size === 0) return;
    for (const p of dirty) {
      state.changed.mark(p);
      const status = state.status(p);
      if (status === p.announced && p.incomplete === p.announcedIncomplete) continue;
      p.announced = status;
      p.announcedIncomplete = p.incomplete;
      state.emit({ type: "status", partition: p.ref, status, incomplete: p.incomplete });
    }
    dirty.clear();
  }

  /** Number of buffered events and the smallest time by which one must be applied. */
  buffered(): { readonly count: number; readonly oldestReadyAt: number } {
    return { count: this.#held, oldestReadyAt: this.#arrivals.minLive(this.#store) };
  }

  /** Takes over restored state: the streams' hole counts, open deadlines, statuses as announced. */
  adopt(): void {
    const state = this.#state;
    for (const s of state.streams.values()) this.#holes.sync(s);
    for (const p of state.partitions.values()) {
      this.#deadlines.requeue(p);
      p.announced = state.status(p);
      p.announcedIncomplete = p.incomplete;
    }
    state.dirty.clear();
  }
}
