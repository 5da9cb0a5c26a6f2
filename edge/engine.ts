/**
 * The collector's engine: ingest, reorder, apply, checks and announcements.
 * Internal; `collector.ts` documents the semantics and wraps it as the
 * public `Collector`.
 *
 * @module
 */
import type { CompiledSpec } from "../lib/abi/compiled.ts";
import type { DecodedBatch, StreamId } from "../runtime/event.ts";
import { InvalidBatchError, UnknownSpecError } from "./errors.ts";
import { DeadlineQueue } from "./liveness.ts";
import { type Buffered, compareBuffered, compareMerge } from "./merge.ts";
import { NodeStats } from "./node_stats.ts";
import { EXPIRED, Partition } from "./partition.ts";
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
  readonly #listeners = new Set<CollectorListener>();
  /** Buffered events in arrival order (readyAt ascending); `#head` is the first not released. */
  #fifo: Buffered[] = [];
  #head = 0;
  readonly #withHoles = new Set<StreamState>();
  readonly #deadlines = new DeadlineQueue();
  readonly #dirty = new Set<Partition>();
  readonly #applier: Applier;

  /** Creates an engine for validated options. */
  constructor(o: EngineOptions) {
    this.o = o;
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

  #rt(batch: DecodedBatch): SpecRuntime {
    const rt = this.rts.get(batch.spec);
    if (rt === undefined) {
      this.counters.batchesRejected++;
      throw new UnknownSpecError(batch.spec, batch.specName);
    }
    try {
      for (let i = 0; i < batch.events.length; i++) rt.validate(batch.events[i]!, i);
    } catch (e) {
      if (e instanceof InvalidBatchError) this.counters.batchesRejected++;
      throw e;
    }
    return rt;
  }

  /** Ingests one batch (see `Collector.ingest`). */
  ingest(batch: DecodedBatch): IngestResult {
    const rt = this.#rt(batch);
    const now = this.now();
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
    let accepted = 0;
    let duplicates = 0;
    let late = 0;
    const readyAt = now + this.o.windowMs;
    let prevKey: string | null = null;
    let prev: Partition | null = null;
    for (const ev of batch.events) {
      if (ev.seq > stream.next) this.#gap(stream, stream.reach(ev.seq, now)!);
      const r = stream.receive(ev.seq, now);
      if (r === -1) {
        duplicates++;
        continue;
      }
      if (r === 1) this.emit({ type: "gap_filled", stream: stream.id, seq: ev.seq });
      accepted++;
      node.seen(ev.wall, ev.logical);
      if (ev.key !== prevKey || prev === null) prev = this.#partition(rt, prevKey = ev.key);
      const b: Buffered = {
        node: stream.id.node,
        boot: stream.id.boot,
        seq: ev.seq,
        wall: ev.wall,
        logical: ev.logical,
        action: ev.action,
        args: ev.args,
        verdict: ev.verdict,
        late: false,
        state: ev.state,
        stream,
        partition: prev,
        readyAt,
        done: false,
      };
      const last = prev.last;
      if (last !== null && compareMerge(b, last) < 0) {
        late++;
        b.late = true;
        this.#applier.apply(b);
      } else {
        b.partition.buffer.push(b);
        stream.track(b);
        this.#fifo.push(b);
      }
    }
    node.events += accepted;
    node.duplicates += duplicates;
    node.late += late;
    this.counters.events += accepted;
    this.counters.duplicates += duplicates;
    this.counters.late += late;
    this.#syncHoles(stream);
    this.#release(now);
    this.#announce();
    return { accepted, duplicates, late, dropped };
  }

  #stream(batch: DecodedBatch, now: number): StreamState {
    const key = streamKey(batch);
    let s = this.streams.get(key);
    if (s === undefined) {
      const id: StreamId = {
        spec: batch.spec,
        specName: batch.specName,
        node: batch.node,
        boot: batch.boot,
      };
      s = new StreamState(id, now);
      s.index = this.streams.size;
      this.streams.set(key, s);
      this.node(batch.node).boot = batch.boot;
      this.emit({ type: "boot", stream: id });
    }
    return s;
  }

  #partition(rt: SpecRuntime, key: string): Partition {
    let p = rt.partitions.get(key);
    if (p === undefined) {
      p = new Partition(rt, key, this.o);
      rt.partitions.set(key, p);
      this.partitions.set(`${rt.hash}\u0000${key}`, p);
      this.#dirty.add(p);
    }
    return p;
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
        this.#applier.expire(p, Math.max(p.last?.wall ?? -Infinity, now - this.o.windowMs), null);
      }
    }
    this.#announce();
  }

  /** Applies the buffered events due at `now` (and, first, everything ordered before them). */
  #release(now: number): void {
    const fifo = this.#fifo;
    while (this.#head < fifo.length && fifo[this.#head]!.readyAt <= now) {
      const b = fifo[this.#head++]!;
      if (!b.done) this.#releaseThrough(b);
    }
    if (this.#head > 1024 && this.#head * 2 > fifo.length) {
      this.#fifo = fifo.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Applies everything buffered, in order. */
  flush(): void {
    for (let i = this.#head; i < this.#fifo.length; i++) {
      const b = this.#fifo[i]!;
      if (b.done) continue;
      const buf = b.partition.buffer;
      for (let x = buf.pop(); x !== undefined; x = buf.pop()) this.#applier.apply(x);
    }
    this.#fifo = [];
    this.#head = 0;
    this.#announce();
  }

  #releaseThrough(b: Buffered): void {
    const buf = b.partition.buffer;
    for (
      let top = buf.peek();
      top !== undefined && compareBuffered(top, b) <= 0;
      top = buf.peek()
    ) {
      buf.pop();
      this.#applier.apply(top);
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

  /** Buffered events not yet applied. */
  bufferedEvents(): Buffered[] {
    return this.#fifo.slice(this.#head).filter((b) => !b.done);
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
