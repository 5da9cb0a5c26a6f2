/**
 * The collector's engine: ingest, reorder, apply, checks and announcements.
 * Internal; `collector.ts` documents the semantics and wraps it as the
 * public `Collector`.
 *
 * @module
 */
import type { CompiledSpec } from "../lib/abi/compiled.ts";
import type { BatchHeader, DecodedBatch, StreamId } from "../runtime/event.ts";
import type { WireColumns } from "../runtime/wire_columns.ts";
import { InvalidBatchError, UnknownSpecError } from "./errors.ts";
import { EventStore } from "./event_store.ts";
import { DeadlineQueue } from "./liveness.ts";
import { compareSlotPos, compareSlots } from "./merge.ts";
import { NodeStats } from "./node_stats.ts";
import { EXPIRED, Partition } from "./partition.ts";
import { SlotQueue } from "./slot_queue.ts";
import { SpecRuntime } from "./spec_runtime.ts";
import { type Hole, streamKey, StreamState } from "./streams.ts";
import type {
  CollectorEvent,
  CollectorListener,
  IngestResult,
  PartitionStatus,
  Violation,
} from "./types.ts";
import { Applier } from "./engine_apply.ts";
import { Counters } from "./engine_counters.ts";

/** Validated options. */
export interface EngineOptions {
  readonly specs: readonly CompiledSpec[];
  readonly now: () => number;
  readonly windowMs: number;
  readonly gapTimeoutMs: number;
  readonly historySize: number;
  readonly cutEvents: number;
  readonly maxViolations: number;
  readonly initialParticipants: number;
}

/** The mutable heart of a collector. */
export class CollectorEngine {
  readonly now: () => number;
  readonly compiled = new Map<string, CompiledSpec>();
  readonly rts = new Map<string, SpecRuntime>();
  readonly streams = new Map<string, StreamState>();
  readonly partitions = new Map<string, Partition>();
  readonly nodes = new Map<string, NodeStats>();
  readonly violations: Violation[] = [];
  readonly counters = new Counters();
  readonly o: EngineOptions;
  /** Buffered events (and, briefly, a late one being applied). */
  readonly store: EventStore;
  /** Streams by collector-wide index (`StreamState.index`). */
  readonly streamList: StreamState[] = [];
  /** Partitions by collector-wide index (`Partition.index`). */
  readonly partList: Partition[] = [];
  readonly #listeners = new Set<CollectorListener>();
  /** Buffered events in arrival order. */
  readonly #arrivals = new SlotQueue();
  /** Events buffered and not yet applied (the applier counts them down). */
  bufferedCount = 0;
  readonly #withHoles = new Set<StreamState>();
  readonly #deadlines = new DeadlineQueue();
  readonly #dirty = new Set<Partition>();
  readonly #applier: Applier;

  /** Creates an engine for validated options. */
  constructor(o: EngineOptions) {
    this.o = o;
    this.store = new EventStore(Math.max(...o.specs.map((s) => s.meta.stride)));
    this.#applier = new Applier(this, this.#dirty, this.#deadlines);
    this.now = o.now;
    for (const spec of o.specs) {
      const rt = new SpecRuntime(spec);
      this.rts.set(rt.hash, rt);
      this.compiled.set(rt.hash, spec);
    }
  }

  /** Subscribes a listener. */
  on(listener: CollectorListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get listening(): boolean {
    return this.#listeners.size > 0;
  }

  emit(e: CollectorEvent): void {
    for (const l of this.#listeners) {
      try {
        l(e);
      } catch {
        this.counters.listenerErrors++;
      }
    }
  }

  /** The stream of an id, if known. */
  stream(id: StreamId): StreamState | undefined {
    return this.streams.get(streamKey(id));
  }

  /** A partition by spec hash (or name) and key. */
  findPartition(spec: string, key: string): Partition | undefined {
    const p = this.partitions.get(`${spec}\u0000${key}`);
    if (p !== undefined) return p;
    for (const rt of this.rts.values()) {
      if (rt.name === spec) return this.partitions.get(`${rt.hash}\u0000${key}`);
    }
    return undefined;
  }

  node(id: string): NodeStats {
    let n = this.nodes.get(id);
    if (n === undefined) this.nodes.set(id, n = new NodeStats(id));
    return n;
  }

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
    const now = this.now();
    const stream = this.#open(batch, now);
    const s = this.store;
    const readyAt = now + this.o.windowMs;
    let prevKey: string | null = null;
    let prev: Partition | null = null;
    for (const ev of batch.events) {
      if (!this.#receive(stream, ev.seq, now)) continue;
      if (ev.key !== prevKey || prev === null) prev = this.#partition(rt, prevKey = ev.key);
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
    const now = this.now();
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
        prev = rt.cachedPartition(bytes, off, len) ?? this.#cachePartition(rt, c.key(i));
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

  /** The batch's stream, its drops and its first number; starts the batch's counts. */
  #open(batch: BatchHeader, now: number): StreamState {
    this.counters.batches++;
    const stream = this.#stream(batch, now);
    const node = this.node(batch.node);
    node.lastSeenAt = now;
    let dropped = 0;
    for (const [a, b] of batch.dropped) {
      const r = stream.declare(a, b, now);
      dropped += r.count;
      for (const h of r.holes) this.#gap(stream, h);
    }
    this.counters.dropped += dropped;
    const hole = stream.reach(batch.firstSeq, now);
    if (hole !== null) this.#gap(stream, hole);
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
      this.#applier.apply(slot);
    } else {
      s.late[slot] = 0;
      this.bufferedCount++;
      p.buffer.push(s, slot);
      const gen = s.gen[slot]!;
      stream.track(slot, gen, s.seq[slot]!);
      this.#arrivals.pushFrom(slot, gen, s.readyAt);
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
    this.#syncHoles(stream);
    this.#release(now);
    this.#announce();
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

  /** Registers a new (or restored) stream. */
  addStream(s: StreamState): void {
    s.index = this.streamList.length;
    this.streamList.push(s);
    this.streams.set(s.key, s);
    this.store.nodes[s.index] = s.id.node;
    this.store.boots[s.index] = s.id.boot;
    s.origin = this.rts.get(s.id.spec)!.origins.of(s.id.node, s.id.boot);
  }

  #partition(rt: SpecRuntime, key: string): Partition {
    let p = rt.partitions.get(key);
    if (p === undefined) {
      p = new Partition(rt, key, this.o);
      this.addPartition(p);
      this.#dirty.add(p);
    }
    return p;
  }

  #cachePartition(rt: SpecRuntime, key: string): Partition {
    const p = this.#partition(rt, key);
    rt.cachePartition(p);
    return p;
  }

  /** Registers a new (or restored) partition. */
  addPartition(p: Partition): void {
    p.index = this.partList.length;
    this.partList.push(p);
    p.rt.partitions.set(p.key, p);
    this.partitions.set(`${p.rt.hash}\u0000${p.key}`, p);
  }

  #gap(stream: StreamState, h: Hole): void {
    if (!h[3]) this.counters.gaps++;
    this.emit({ type: "gap", stream: stream.id, first: h[0], last: h[1], declared: h[3] });
  }

  /** Brings the node's per-spec hole count in line with the stream; marks partitions dirty on change. */
  #syncHoles(stream: StreamState): void {
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
      for (const p of node.partitionsFor(spec)) this.#dirty.add(p);
    }
  }

  /** Applies what is due at `now`, times out holes and deadlines, announces statuses. */
  advance(now: number): void {
    this.#release(now);
    if (this.#withHoles.size > 0) this.#expireHoles(now - this.o.gapTimeoutMs);
    if (this.#deadlines.size > 0) {
      for (const p of this.#deadlines.popDue(now - this.o.windowMs)) {
        const time = Math.max(p.last?.wall ?? -Infinity, now - this.o.windowMs);
        this.#applier.expire(p, time, false, 0, 0);
        this.#deadlines.requeue(p);
      }
    }
    this.#announce();
  }

  /** Applies the buffered events due at `now` (and, first, everything ordered before them). */
  #release(now: number): void {
    const q = this.#arrivals;
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
    this.#arrivals.forEachLive(s, (slot) => {
      if (s.size === 0) return;
      const p = this.partList[s.part[slot]!]!;
      for (let x = p.buffer.pop(s); x >= 0; x = p.buffer.pop(s)) this.#applier.apply(x);
    });
    this.#arrivals.clear();
    this.#announce();
  }

  /** Applies the events of `slot`'s partition up to and including it, in merge order. */
  #releaseThrough(slot: number): void {
    const s = this.store;
    const buf = this.partList[s.part[slot]!]!.buffer;
    const gen = s.gen[slot]!;
    for (let top = buf.peek(); top >= 0; top = buf.peek()) {
      if (top !== slot && compareSlots(s, top, slot) > 0) break;
      buf.pop(s);
      this.#applier.apply(top);
      if (top === slot || !s.live(slot, gen)) break;
    }
  }

  #expireHoles(deadline: number): void {
    for (const s of [...this.#withHoles]) {
      const gone = s.expire(deadline);
      if (gone.length === 0) continue;
      const node = this.node(s.id.node);
      for (const h of gone) {
        const n = h[1] - h[0] + 1;
        this.counters.lost += n;
        node.lostEvents += n;
        this.emit({ type: "hole", stream: s.id, first: h[0], last: h[1] });
      }
      for (const p of node.partitionsFor(s.id.spec)) {
        p.incomplete = true;
        this.#dirty.add(p);
      }
      this.#syncHoles(s);
    }
  }

  /** The status of a partition. */
  status(p: Partition): PartitionStatus {
    if (p.episode !== 0 || p.deadlines.includes(EXPIRED)) return "violated";
    if (p.applied === 0) return "unknown";
    for (const q of p.participants) if (this.node(q.node).holesFor(p.spec) > 0) return "unknown";
    return "ok";
  }

  #announce(): void {
    if (this.#dirty.size === 0) return;
    for (const p of this.#dirty) {
      const status = this.status(p);
      if (status === p.announced && p.incomplete === p.announcedIncomplete) continue;
      p.announced = status;
      p.announcedIncomplete = p.incomplete;
      this.emit({ type: "status", partition: p.ref, status, incomplete: p.incomplete });
    }
    this.#dirty.clear();
  }

  /** Number of buffered events and the smallest time by which one must be applied. */
  buffered(): { readonly count: number; readonly oldestReadyAt: number } {
    return { count: this.bufferedCount, oldestReadyAt: this.#arrivals.minLive(this.store) };
  }

  /** Registers restored state (streams' hole counts, deadlines). */
  adopt(): void {
    for (const s of this.streams.values()) this.#syncHoles(s);
    for (const p of this.partitions.values()) {
      for (const d of p.deadlines) if (d >= 0) this.#deadlines.push(d, p);
      p.announced = this.status(p);
      p.announcedIncomplete = p.incomplete;
    }
    this.#dirty.clear();
  }
}

/** True when `b[x .. x + n)` equals `b[y .. y + m)`. */
function sameBytes(b: Uint8Array, x: number, y: number, n: number, m: number): boolean {
  if (n !== m) return false;
  for (let i = 0; i < n; i++) if (b[x + i] !== b[y + i]) return false;
  return true;
}
