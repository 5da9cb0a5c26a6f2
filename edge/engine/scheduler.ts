/**
 * The collector engine's scheduling: the arrival queue of buffered events
 * and their release in merge order, flushing, liveness deadlines, hole
 * timeouts, and status announcements. Sits between `EngineState`
 * (`engine_state.ts`) and `CollectorEngine` (`engine.ts`, which adds
 * ingest); internal.
 *
 * @module
 */
import { DeadlineQueue } from "./liveness.ts";
import { compareSlots } from "./merge.ts";
import type { Partition } from "./partition.ts";
import { SlotQueue } from "./slot_queue.ts";
import type { StreamState } from "./stream_state.ts";
import { Applier } from "./applier.ts";
import { closeHoles } from "./holes.ts";
import { type EngineOptions, EngineState } from "./engine_state.ts";

/**
 * Release, expiry and announcements of a collector engine.
 *
 * @example Apply what is due
 * ```ts ignore
 * // `Collector.advance()` releases what is due on the engine, a scheduler:
 * engine.advance(Date.now());
 * ```
 */
export class EngineScheduler extends EngineState {
  /** Buffered events in arrival order. */
  protected readonly arrivals = new SlotQueue();
  /** Events buffered and not yet applied (the applier counts them down). */
  bufferedCount = 0;
  readonly #withHoles = new Set<StreamState>();
  readonly #deadlines = new DeadlineQueue();
  /** Partitions whose status may have changed since the last announcement. */
  protected readonly dirty = new Set<Partition>();
  /** Applies events (shares `dirty` and the deadline queue). */
  protected readonly applier: Applier;

  /** Creates the scheduler of an engine for validated options. */
  constructor(o: EngineOptions) {
    super(o);
    this.applier = new Applier(this, this.dirty, this.#deadlines);
  }

  /**
   * Brings the node's per-spec hole count in line with the stream; when the
   * node starts or stops having holes, counts it in (or out of) its
   * partitions' `holed` and marks them dirty.
   */
  protected syncHoles(stream: StreamState): void {
    const n = stream.openHoles;
    if (n === stream.countedHoles) return;
    const node = this.node(stream.id.node);
    const spec = stream.id.spec;
    const before = node.holesFor(spec);
    const after = before + n - stream.countedHoles;
    stream.countedHoles = n;
    node.holes.set(spec, after);
    if (n > 0) this.#withHoles.add(stream);
    else this.#withHoles.delete(stream);
    if ((before === 0) !== (after === 0)) {
      const step = after > 0 ? 1 : -1;
      for (const p of node.partitionsFor(spec)) p.holed += step, this.dirty.add(p);
    }
  }

  /** Applies what is due at `now`, times out holes and deadlines, announces statuses. */
  advance(now: number): void {
    this.release(now);
    if (this.#withHoles.size > 0) this.#expireHoles(now - this.o.gapTimeoutMs);
    if (this.#deadlines.size > 0) {
      for (const p of this.#deadlines.popDue(now - this.o.windowMs)) {
        const time = Math.max(p.last?.wall ?? -Infinity, now - this.o.windowMs);
        this.applier.expire(p, time, false, 0, 0);
        this.#deadlines.requeue(p);
      }
    }
    this.announce();
  }

  /** Applies the buffered events due at `now` (and, first, everything ordered before them). */
  protected release(now: number): void {
    const q = this.arrivals;
    const s = this.store;
    while (q.headDue(now)) {
      const gen = q.headGen();
      const slot = q.shift();
      if (s.live(slot, gen)) this.#releaseThrough(slot);
    }
  }

  /** Applies everything buffered, in order. */
  flush(): void {
    const s = this.store;
    this.arrivals.forEachLive(s, (slot) => {
      if (s.size === 0) return;
      const p = this.partList[s.part[slot]!]!;
      for (let x = p.buffer.pop(s); x >= 0; x = p.buffer.pop(s)) this.applier.apply(x);
    });
    this.arrivals.clear();
    this.announce();
  }

  /** Applies the events of `slot`'s partition up to and including it, in merge order. */
  #releaseThrough(slot: number): void {
    const s = this.store;
    const buf = this.partList[s.part[slot]!]!.buffer;
    const gen = s.gen[slot]!;
    for (let top = buf.peek(); top >= 0; top = buf.peek()) {
      if (top !== slot && compareSlots(s, top, slot) > 0) break;
      buf.pop(s);
      this.applier.apply(top);
      if (top === slot || !s.live(slot, gen)) break;
    }
  }

  /**
   * Closes the holes opened at or before `deadline`, then those over each
   * stream's hole limit (left by fills or a restore); see `engine_holes.ts`
   * for what a closed hole counts (declared numbers are never lost).
   */
  #expireHoles(deadline: number): void {
    for (const s of [...this.#withHoles]) {
      const gone = s.expire(deadline);
      const over = s.closeOverLimit();
      if (gone.length === 0 && over.length === 0) continue;
      closeHoles(this, this.dirty, s, gone, "timeout");
      closeHoles(this, this.dirty, s, over, "limit");
      this.syncHoles(s);
    }
  }

  protected announce(): void {
    if (this.dirty.size === 0) return;
    for (const p of this.dirty) {
      const status = this.status(p);
      if (status === p.announced && p.incomplete === p.announcedIncomplete) continue;
      p.announced = status;
      p.announcedIncomplete = p.incomplete;
      this.emit({ type: "status", partition: p.ref, status, incomplete: p.incomplete });
    }
    this.dirty.clear();
  }

  /** Number of buffered events and the smallest time by which one must be applied. */
  buffered(): { readonly count: number; readonly oldestReadyAt: number } {
    return { count: this.bufferedCount, oldestReadyAt: this.arrivals.minLive(this.store) };
  }

  /** Registers restored state (streams' hole counts, deadlines). */
  adopt(): void {
    for (const s of this.streams.values()) this.syncHoles(s);
    for (const p of this.partitions.values()) {
      for (const d of p.deadlines) if (d >= 0) this.#deadlines.push(d, p);
      p.announced = this.status(p);
      p.announcedIncomplete = p.incomplete;
    }
    this.dirty.clear();
  }
}
