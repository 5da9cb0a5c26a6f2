/**
 * The reader's side of `vigil replay --workers n`: merged events are
 * numbered here once, exactly as one {@link ReplayJudge} numbers them (its
 * place in the merged processing order, the node's step number, the log's
 * own sequence numbers and their gaps, the collector ticks and their
 * clock), and each is sent to the worker of its key's shard
 * (`shard.ts`) as a record (`shard_records.ts`); holes go to the worker of
 * their key, or to every worker when they are a whole node's. A worker
 * (`shard_checker.ts`) then steps and checks its keys' events with the
 * numbers given, so the merged report is the one of one worker, while
 * every line is read, scanned and mapped once.
 *
 * The interface both this dispatcher and the judge offer the reading
 * pipeline is {@link EventSink}.
 *
 * @module
 */
import type { ReplayEvent } from "./extract.ts";
import { TICK as TICK_EVENTS } from "./judge.ts";
import type { ReplaySpec } from "./replay_spec.ts";
import {
  DONE,
  EVENT,
  FINISH,
  HOLES,
  KEY,
  KEY_HOLE,
  RecordWriter,
  STREAM,
  TICK,
} from "./shard_records.ts";
import { shardOf } from "./shard.ts";

/**
 * A node stream as the reading pipeline uses it.
 *
 * @example Count a hole of one key
 * ```ts ignore
 * sink.stream(spec, "api-1").hole("lock:7");
 * ```
 */
export interface SinkStream {
  readonly node: string;
  readonly spec: ReplaySpec;
  /** Counts an unmapped line of this node (of one key when known). */
  hole(key: string | undefined): void;
  /** Adds holes of the whole node. */
  addHoles(count: number): void;
}

/**
 * Where the reading pipeline hands merged events: the judge
 * (`ReplayJudge`, checks them here), or the {@link ShardDispatcher} (numbers them and sends them to
 * the checking workers).
 *
 * @example The judge is a sink
 * ```ts ignore
 * const sink: EventSink = new ReplayJudge(options);
 * ```
 */
export interface EventSink<S extends SinkStream = SinkStream> {
  /** True when the counts of lines of `key` are this sink's. */
  owns(key: string): boolean;
  /** The stream of a node, created on first use. */
  stream(spec: ReplaySpec, node: string): S;
  /** Takes one merged event of a stream {@link stream} gave; returns null or the reason it cannot be used. */
  process(ev: ReplayEvent, st: S): string | null;
  /** Where the reason goes when an event checked later cannot be used. */
  onUnusable: ((ev: ReplayEvent, reason: string) => void) | null;
  /** No more events: `lastWall` is the logs' last time. */
  finish(lastWall: number): void;
}

/** Bytes of records gathered for a worker before they are sent. */
export const CHUNK_BYTES = 1 << 18;

/** A node stream on the reader's side: its step numbers and log sequence. */
export class DispatchStream implements SinkStream {
  readonly id: number;
  readonly spec: ReplaySpec;
  readonly node: string;
  /** The next step number. */
  next = 0;
  /** The log's last sequence number seen, or -1. */
  logSeq = -1;
  readonly #owner: ShardDispatcher;

  constructor(owner: ShardDispatcher, o: { id: number; spec: ReplaySpec; node: string }) {
    this.#owner = owner;
    this.id = o.id;
    this.spec = o.spec;
    this.node = o.node;
  }

  hole(key: string | undefined): void {
    this.#owner.hole(this, key);
  }

  addHoles(count: number): void {
    this.#owner.holes(this, count);
  }
}

/**
 * Options of {@link ShardDispatcher}.
 *
 * @example Two workers
 * ```ts ignore
 * const options: DispatcherOptions = { specs, workers: 2, globalChecks: true, send: (w, b) => post(w, b) };
 * ```
 */
export interface DispatcherOptions {
  readonly specs: readonly ReplaySpec[];
  /** How many workers (shards of the keys). */
  readonly workers: number;
  /** Whether specs with global items feed the collector (ticks are counted only then). */
  readonly globalChecks: boolean;
  /** Hands a buffer of records to a worker. */
  readonly send: (worker: number, records: ArrayBuffer) => void;
}

/**
 * Numbers merged events and sends them to the workers of their keys.
 *
 * @example Dispatch to two workers
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { ShardDispatcher } from "./dispatch.ts";
 * import { replaySpecs } from "./replay_spec.ts";
 * import { DONE, RecordReader } from "./shard_records.ts";
 * const lease = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const sent: ArrayBuffer[][] = [[], []];
 * const d = new ShardDispatcher({
 *   specs: replaySpecs([lease]),
 *   workers: 2,
 *   globalChecks: true,
 *   send: (w, b) => void sent[w]!.push(b),
 * });
 * d.finish(0);
 * d.done();
 * for (const buffers of sent) {
 *   const bytes = new Uint8Array(buffers.at(-1)!);
 *   assert.equal(bytes[bytes.length - 1], DONE);
 *   assert.ok(new RecordReader(buffers[0]!).more());
 * }
 * ```
 */
export class ShardDispatcher implements EventSink<DispatchStream> {
  onUnusable: ((ev: ReplayEvent, reason: string) => void) | null = null;
  /** Numbers missing from the logs' own sequence numbers (every node). */
  sequenceGaps = 0;
  readonly #send: (worker: number, records: ArrayBuffer) => void;
  readonly #writers: RecordWriter[];
  /** Per spec, its streams by node. */
  readonly #streams: Map<string, DispatchStream>[];
  #streamCount = 0;
  /** Key ids by key, and each id's worker (keys are defined to their worker only). */
  readonly #keys = new Map<string, number>();
  readonly #keyWorker: number[] = [];
  /** Per spec: whether its events feed the collector, and its initial slots. */
  readonly #global: boolean[];
  readonly #initial: (bigint[] | null)[];
  #ordinal = 0;
  #now = -Infinity;
  #tickStart = true;
  #pending = 0;

  /** A dispatcher to `options.workers` workers. */
  constructor(options: DispatcherOptions) {
    const n = options.workers;
    if (!Number.isInteger(n) || n < 1) {
      throw new RangeError(`Option 'workers' must be a positive integer, got '${n}'`);
    }
    this.#send = options.send;
    this.#writers = Array.from({ length: n }, () => new RecordWriter(CHUNK_BYTES + 4096));
    this.#streams = options.specs.map(() => new Map());
    this.#global = options.specs.map((s) => {
      const m = s.compiled.meta;
      return options.globalChecks && m.globalInvariants.length + m.globalLiveness.length > 0;
    });
    this.#initial = options.specs.map(() => null);
  }

  /** Every line's counts are the reader's. */
  owns(_key: string): boolean {
    return true;
  }

  /** The stream of a node, defined to every worker on first use. */
  stream(spec: ReplaySpec, node: string): DispatchStream {
    const streams = this.#streams[spec.index]!;
    let st = streams.get(node);
    if (st === undefined) {
      node = JSON.parse(JSON.stringify(node)) as string; // a copy, not a slice of a chunk
      st = new DispatchStream(this, { id: this.#streamCount++, spec, node });
      streams.set(node, st);
      for (const w of this.#writers) {
        w.u8(STREAM);
        w.u32(st.id);
        w.u8(spec.index);
        w.text(node);
      }
    }
    return st;
  }

  /**
   * Numbers an event and sends it to its key's worker; returns the reason
   * when its observed state cannot be read (then nothing is numbered but
   * its place in the order and its log sequence number, as in the judge).
   */
  process(ev: ReplayEvent, st: DispatchStream): string | null {
    const ordinal = this.#ordinal++;
    if (ev.logSeq >= 0) this.#logSequence(st, ev.logSeq);
    if (ev.observed !== null) {
      const c = ev.spec.compiled;
      try {
        c.slotsOf(ev.observed, this.#initial[ev.spec.index] ??= c.readSlots(c.create(1)));
      } catch (e) {
        return `observed state: ${(e as Error).message}`;
      }
    }
    const seq = st.next++;
    const key = this.#key(ev.key);
    const worker = this.#keyWorker[key]!;
    const w = this.#writers[worker]!;
    w.u8(EVENT);
    w.u32(st.id);
    w.u32(key);
    w.f64(ordinal);
    w.u32(seq);
    w.u32(ev.file);
    w.u32(ev.line);
    w.f64(ev.wall);
    w.f64(ev.logical);
    w.u16(ev.action);
    w.u8(ev.late ? 1 : 0);
    const args = ev.args;
    w.u8(args.length);
    for (let i = 0; i < args.length; i++) w.f64(args[i]!);
    w.text(ev.observed === null ? "" : JSON.stringify(ev.observed));
    if (this.#global[ev.spec.index]!) {
      if (this.#tickStart) {
        if (!ev.late || this.#now === -Infinity) this.#now = Math.max(this.#now, ev.wall);
        this.#tickStart = false;
      }
      if (++this.#pending >= TICK_EVENTS) {
        this.#broadcastTick();
      }
    }
    if (w.size >= CHUNK_BYTES) this.#send(worker, w.take());
    return null;
  }

  /** The end of the steps: the last tick's clock and the logs' last time. */
  finish(lastWall: number): void {
    for (const w of this.#writers) {
      w.u8(FINISH);
      w.f64(this.#now);
      w.f64(lastWall);
    }
  }

  /** Sends what is left, ending with `DONE`. */
  done(): void {
    this.#writers.forEach((w, i) => {
      w.u8(DONE);
      this.#send(i, w.take());
    });
  }

  /** A hole of one key (to its worker) or of the whole node (to every worker). */
  hole(st: DispatchStream, key: string | undefined): void {
    if (key === undefined) return this.holes(st, 1);
    const id = this.#key(key);
    const w = this.#writers[this.#keyWorker[id]!]!;
    w.u8(KEY_HOLE);
    w.u32(st.id);
    w.u32(id);
  }

  /** Holes of a whole node, to every worker. */
  holes(st: DispatchStream, count: number): void {
    for (const w of this.#writers) {
      w.u8(HOLES);
      w.u32(st.id);
      w.u32(count);
    }
  }

  #broadcastTick(): void {
    for (let i = 0; i < this.#writers.length; i++) {
      const w = this.#writers[i]!;
      w.u8(TICK);
      w.f64(this.#now);
      if (w.size >= CHUNK_BYTES) this.#send(i, w.take());
    }
    this.#pending = 0;
    this.#tickStart = true;
  }

  /** The key's id, defined to its worker on first use. */
  #key(key: string): number {
    let id = this.#keys.get(key);
    if (id === undefined) {
      key = JSON.parse(JSON.stringify(key)) as string; // a copy, not a slice of a chunk
      id = this.#keyWorker.length;
      const worker = shardOf(key, this.#writers.length);
      this.#keys.set(key, id);
      this.#keyWorker.push(worker);
      const w = this.#writers[worker]!;
      w.u8(KEY);
      w.u32(id);
      w.text(key);
    }
    return id;
  }

  /** Tracks the log's own sequence number as `NodeStream.logSequence` does. */
  #logSequence(st: DispatchStream, s: number): void {
    if (st.logSeq >= 0 && s > st.logSeq + 1) {
      this.sequenceGaps += s - st.logSeq - 1;
      this.holes(st, 1);
    }
    if (s > st.logSeq) st.logSeq = s;
  }
}
