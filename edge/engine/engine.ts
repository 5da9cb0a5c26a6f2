/**
 * The collector's engine: ingest, reorder, apply, checks and announcements.
 * Internal; `collector.ts` documents the semantics and wraps it as the
 * public `Collector`.
 *
 * Layers: `engine_state.ts` (state and lookups), `engine_schedule.ts`
 * (release, flush, expiry, announcements), `engine_apply.ts` (applying one
 * event), and this module, ingest (validation, admission against the
 * limits of `limits.ts` before anything changes, duplicates, gaps,
 * buffering).
 *
 * @module
 */
import type { BatchHeader, DecodedBatch, StreamId } from "../../lib/wire/event.ts";
import type { WireColumns } from "../../lib/wire/columns.ts";
import { InvalidBatchError, UnknownSpecError } from "./errors.ts";
import { compareSlotPos } from "./merge.ts";
import type { NodeStats } from "./node_stats.ts";
import { Partition } from "./partition.ts";
import type { SpecRuntime } from "./spec_runtime.ts";
import { checkDropRanges, type Hole, streamKey, StreamState } from "./stream_state.ts";
import { closeHoles } from "./holes.ts";
import type { IngestResult } from "./types.ts";
import { EngineScheduler } from "./scheduler.ts";

export type { EngineOptions } from "./engine_state.ts";

/** The mutable heart of a collector: ingest on top of the scheduler and the state. */
export class CollectorEngine extends EngineScheduler {
  #rt(spec: string, specName: string): SpecRuntime {
    const rt = this.rts.get(spec);
    if (rt === undefined) {
      this.counters.batchesRejected++;
      throw new UnknownSpecError(spec, specName);
    }
    return rt;
  }

  #rejectInvalid(e: unknown): never {
    if (e instanceof InvalidBatchError) this.counters.batchesRejected++;
    throw e;
  }

  /** Ingests one batch (see `Collector.ingest`). */
  ingest(batch: DecodedBatch): IngestResult {
    const rt = this.#rt(batch.spec, batch.specName);
    try {
      for (let i = 0; i < batch.events.length; i++) rt.validate(batch.events[i]!, i);
    } catch (e) {
      this.#rejectInvalid(e);
    }
    this.#checkDrops(batch);
    const now = this.now();
    this.admission.admitEvents(batch, rt, now);
    const stream = this.#open(batch, now);
    const s = this.store;
    const readyAt = now + this.o.windowMs;
    let prevKey: string | null = null;
    let prev: Partition | null = null;
    for (const ev of batch.events) {
      if (!this.#receive(stream, ev.seq, now)) continue;
      if (ev.key !== prevKey || prev === null) {
        prev = this.#member(this.#partition(rt, prevKey = ev.key), batch.node);
      }
      const slot = s.alloc();
      s.seq[slot] = ev.seq;
      s.wall[slot] = ev.wall;
      s.logical[slot] = ev.logical;
      s.action[slot] = ev.action;
      s.verdict[slot] = ev.verdict;
      s.setArgs(slot, ev.args);
      s.setState(slot, ev.state, 0, ev.state.length);
      s.readyAt[slot] = readyAt;
      this.#admit(slot, stream, prev);
    }
    return this.#close(stream, now);
  }

  /** Ingests one batch decoded as columns (see `Collector.ingestColumns`). */
  ingestColumns(c: WireColumns): IngestResult {
    const rt = this.#rt(c.spec, c.specName);
    try {
      rt.validateColumns(c);
    } catch (e) {
      this.#rejectInvalid(e);
    }
    this.#checkDrops(c);
    const now = this.now();
    this.admission.admitColumns(c, rt, now);
    const stream = this.#open(c, now);
    const s = this.store;
    const bytes = c.bytes;
    const readyAt = now + this.o.windowMs;
    let prev: Partition | null = null;
    let prevOff = 0;
    let prevLen = -1;
    for (let i = 0; i < c.count; i++) {
      const seq = c.firstSeq + i;
      if (!this.#receive(stream, seq, now)) continue;
      const off = c.keyOff[i]!;
      const len = c.keyLen[i]!;
      if (prev === null || !sameBytes(bytes, off, prevOff, len, prevLen)) {
        prev = this.#member(
          rt.cachedPartition(bytes, off, len) ?? this.#cachePartition(rt, c.key(i)),
          c.node,
        );
        prevOff = off;
        prevLen = len;
      }
      const slot = s.alloc();
      s.seq[slot] = seq;
      s.wall[slot] = c.wall[i]!;
      s.logical[slot] = c.logical[i]!;
      s.action[slot] = c.action[i]!;
      s.verdict[slot] = c.verdict[i]!;
      s.setArgsFrom(slot, c.args, c.argOff[i]!, c.argOff[i + 1]! - c.argOff[i]!);
      s.setStateFrom(slot, c.view, c.stateOff[i]!, c.stateLen[i]!);
      s.readyAt[slot] = readyAt;
      this.#admit(slot, stream, prev);
    }
    return this.#close(stream, now);
  }

  #accepted = 0;
  #duplicates = 0;
  #late = 0;
  #dropped = 0;

  /**
   * Refuses the batch, before anything changes (limits included), unless its
   * drops are ascending, disjoint and below its first number.
   */
  #checkDrops(batch: BatchHeader): void {
    const bad = checkDropRanges(batch.dropped, batch.firstSeq);
    if (bad !== null) {
      this.#rejectInvalid(new InvalidBatchError(`drop[${bad.index}]`, bad.problem));
    }
  }

  /**
   * The batch's stream (drops checked by `#checkDrops`), its drops and its
   * first number; closes the stream's holes over its limit; starts the
   * batch's counts.
   */
  #open(batch: BatchHeader, now: number): StreamState {
    this.counters.batches++;
    const stream = this.#stream(batch, now);
    const node = this.node(batch.node);
    node.lastSeenAt = now;
    const declared = stream.declareAll(batch.dropped, now);
    for (const h of declared.holes) this.#gap(stream, h);
    const dropped = declared.count;
    this.counters.dropped += dropped;
    node.droppedEvents += dropped;
    const hole = stream.reach(batch.firstSeq, now);
    if (hole !== null) this.#gap(stream, hole);
    closeHoles(this, this.dirty, stream, stream.closeOverLimit(), "limit");
    this.#accepted = 0;
    this.#duplicates = 0;
    this.#late = 0;
    this.#dropped = dropped;
    this.#node = node;
    return stream;
  }

  #node: NodeStats | null = null;

  /** Sequence bookkeeping of one event; false for a duplicate. */
  #receive(stream: StreamState, seq: number, now: number): boolean {
    if (seq > stream.next) this.#gap(stream, stream.reach(seq, now)!);
    const r = stream.receive(seq, now);
    if (r === -1) {
      this.#duplicates++;
      return false;
    }
    if (r === 1) this.emit({ type: "gap_filled", stream: stream.id, seq });
    this.#accepted++;
    return true;
  }

  /**
   * Buffers a filled slot (`readyAt` set), or applies it at once when late.
   * Its HLC is read from the store here (doubles passed to a function cost
   * an allocation each).
   */
  #admit(slot: number, stream: StreamState, p: Partition): void {
    const s = this.store;
    this.#node!.seen(s.wall, s.logical, slot);
    s.stream[slot] = stream.index;
    s.part[slot] = p.index;
    const last = p.last;
    if (last !== null && compareSlotPos(s, slot, last) < 0) {
      this.#late++;
      s.late[slot] = 1;
      this.applier.apply(slot);
    } else {
      s.late[slot] = 0;
      this.bufferedCount++;
      p.buffer.push(s, slot);
      const gen = s.gen[slot]!;
      stream.track(slot, gen, s.seq[slot]!);
      this.arrivals.pushFrom(slot, gen, s.readyAt);
    }
  }

  /** Ends a batch: counts, holes, releases what is due, announces. */
  #close(stream: StreamState, now: number): IngestResult {
    const node = this.#node!;
    this.#node = null;
    const accepted = this.#accepted;
    const duplicates = this.#duplicates;
    const late = this.#late;
    node.events += accepted;
    node.duplicates += duplicates;
    node.late += late;
    this.counters.events += accepted;
    this.counters.duplicates += duplicates;
    this.counters.late += late;
    this.syncHoles(stream);
    this.release(now);
    this.announce();
    return { accepted, duplicates, late, dropped: this.#dropped };
  }

  #stream(batch: BatchHeader, now: number): StreamState {
    const key = streamKey(batch);
    let s = this.streams.get(key);
    if (s === undefined) {
      const id: StreamId = {
        spec: batch.spec,
        specName: batch.specName,
        node: batch.node,
        boot: batch.boot,
      };
      s = new StreamState(id, now, this.store);
      this.addStream(s);
      this.node(batch.node).boot = batch.boot;
      this.emit({ type: "boot", stream: id });
    }
    return s;
  }

  #partition(rt: SpecRuntime, key: string): Partition {
    let p = rt.partitions.get(key);
    if (p === undefined) {
      p = new Partition(rt, key, this.o);
      this.addPartition(p);
      this.dirty.add(p);
    }
    return p;
  }

  /** Counts the batch's node a member of `p` (see `Partition.admit`); returns `p`. */
  #member(p: Partition, node: string): Partition {
    if (p.admit(node)) this.admission.noteMembers(p.members);
    return p;
  }

  #cachePartition(rt: SpecRuntime, key: string): Partition {
    const p = this.#partition(rt, key);
    rt.cachePartition(p);
    return p;
  }

  #gap(stream: StreamState, h: Hole): void {
    if (!h[3]) this.counters.gaps++;
    this.emit({ type: "gap", stream: stream.id, first: h[0], last: h[1], declared: h[3] });
  }
}

/** True when `b[x .. x + n)` equals `b[y .. y + m)`. */
function sameBytes(b: Uint8Array, x: number, y: number, n: number, m: number): boolean {
  if (n !== m) return false;
  for (let i = 0; i < n; i++) if (b[x + i] !== b[y + i]) return false;
  return true;
}
