/**
 * Per node stream (one spec, one node): the next sequence number, the side
 * table from sequence number to log line (4 bytes for the line, 2 for the
 * file, 4 for the event's ordinal in the replay's processing order, per
 * event), the node's instances by key, and the holes found in its lines
 * (unmapped lines, gaps in the log's own sequence numbers).
 *
 * With a shard (`vigil replay --workers n`), every worker numbers every
 * event of the node (so `#n` and the line table are the same in every
 * worker) but steps only its own keys; the events it feeds the collector
 * are numbered contiguously apart (the collector sees a gap as a hole), and
 * {@link NodeStream.seqOfFed} turns those numbers back.
 *
 * @module
 */
import type { TickColumns } from "./tick_columns.ts";
import type { ReplaySpec } from "./replay_spec.ts";
import type { PartitionCursor } from "./ordered_feed.ts";
import type { StreamState } from "../engine/stream_state.ts";

/** Recent steps kept per instance for local counterexamples. */
export const RECENT = 8;

/** One (node, key) instance of the compiled spec. */
export interface Instance {
  readonly key: string;
  /** The compiled spec's instance index. */
  readonly index: number;
  /** The sequence numbers of its last {@link RECENT} steps (a ring). */
  readonly recent: Int32Array;
  /** Steps taken. */
  steps: number;
  /** Open local liveness deadlines per item (`-Infinity`: none), allocated on first obligation. */
  deadlines: Float64Array | null;
  /** The step that opened each obligation. */
  openedBy: Int32Array | null;
  violations: number;
  /** Its partition's place in the ordered feed (`ordered_feed.ts`), once fed. */
  cursor: PartitionCursor | null;
  /** Its node's participant index in the collector's partition, once known (-1 before). */
  member: number;
}

function grown<T extends Uint32Array | Uint16Array>(a: T, size: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  return b;
}

/** A node's stream of steps for one spec. */
export class NodeStream {
  readonly spec: ReplaySpec;
  readonly node: string;
  readonly instances = new Map<string, Instance>();
  /** Events of the current collector tick, as the collector's columns (made on first use). */
  tick: TickColumns | null = null;
  /** The collector engine's stream of this one, once a tick created it (`ordered_feed.ts`). */
  engineStream: StreamState | null = null;
  /** True once an event of this stream (fed here or by another shard) came in the current tick. */
  inTick = false;
  /** Holes not attributable to one key (log sequence gaps, unmapped lines without a key). */
  holes = 0;
  /** Unmapped lines by key. */
  readonly keyHoles = new Map<string, number>();
  /** Numbers missing from the log's own sequence numbers. */
  sequenceGaps = 0;
  #next = 0;
  #lines = new Uint32Array(1024);
  #files = new Uint16Array(1024);
  #ordinals = new Uint32Array(1024);
  #logSeq = -1;
  /** Events fed to the collector (its sequence numbers). */
  #fed = 0;
  /** Sequence number of each fed event, when not every event is fed (a shard); null: the same. */
  #fedSeqs: Uint32Array | null = null;

  /**
   * Creates an empty stream.
   *
   * @example Record a step and find its line
   * ```ts ignore
   * const st = new NodeStream(spec, "api-1");
   * const seq = st.record(0, 17, st.instance("lock:1"), 0);
   * st.lineOf(seq); // { file: 0, line: 17 }
   * ```
   */
  constructor(spec: ReplaySpec, node: string) {
    this.spec = spec;
    this.node = node;
  }

  /** Steps recorded (the next sequence number). */
  get size(): number {
    return this.#next;
  }

  /**
   * The instance of a key, created (initial state) on first use. The key
   * is kept as given: pass a string of its own (an interned key, never a
   * slice of a chunk of log text, which would keep the whole chunk alive).
   */
  instance(key: string): Instance {
    let i = this.instances.get(key);
    if (i === undefined) {
      i = {
        key,
        index: this.spec.compiled.create(1),
        recent: new Int32Array(RECENT).fill(-1),
        steps: 0,
        deadlines: null,
        openedBy: null,
        violations: 0,
        cursor: null,
        member: -1,
      };
      this.instances.set(key, i);
    }
    return i;
  }

  /**
   * Assigns the next sequence number to a step at a file line, the
   * `ordinal`-th event the replay processed; `inst` (null: a key another
   * shard steps) remembers it among its recent steps.
   */
  record(file: number, line: number, inst: Instance | null, ordinal: number): number {
    return this.recordAt(this.#next, file, line, inst, ordinal);
  }

  /**
   * {@link record} with the sequence number given (at least the next one):
   * a worker of `vigil replay --workers n` gets its steps numbered by the
   * reader, which numbers every step of the node, so the numbers it sees
   * skip the other workers' steps.
   */
  recordAt(
    seq: number,
    file: number,
    line: number,
    inst: Instance | null,
    ordinal: number,
  ): number {
    if (seq < this.#next) {
      throw new RangeError(`Step number '${seq}' of node '${this.node}' was already recorded`);
    }
    this.#next = seq + 1;
    if (seq >= this.#lines.length) {
      const size = Math.max(seq + 1, this.#lines.length * 2);
      this.#lines = grown(this.#lines, size);
      this.#files = grown(this.#files, size);
      this.#ordinals = grown(this.#ordinals, size);
    }
    this.#lines[seq] = line;
    this.#files[seq] = file;
    this.#ordinals[seq] = ordinal;
    if (inst !== null) inst.recent[inst.steps++ % RECENT] = seq;
    return seq;
  }

  /**
   * The collector's sequence number for step `seq`, fed now. Contiguous:
   * in a shard, where other shards feed the node's other keys, it differs
   * from `seq` and is remembered.
   */
  feed(seq: number): number {
    const fed = this.#fed++;
    if (fed !== seq && this.#fedSeqs === null) {
      this.#fedSeqs = new Uint32Array(Math.max(1024, fed * 2));
      for (let i = 0; i < fed; i++) this.#fedSeqs[i] = i;
    }
    if (this.#fedSeqs !== null) {
      if (fed === this.#fedSeqs.length) this.#fedSeqs = grown(this.#fedSeqs, fed * 2);
      this.#fedSeqs[fed] = seq;
    }
    return fed;
  }

  /** The step (`seq`) of a collector sequence number (see {@link feed}). */
  seqOfFed(fed: number): number {
    const t = this.#fedSeqs;
    return t === null || !(fed >= 0 && fed < this.#fed) ? fed : t[fed]!;
  }

  /** The event ordinal of a step (its place in the replay's processing order), or -1. */
  ordinalOf(seq: number): number {
    return seq >= 0 && seq < this.#next ? this.#ordinals[seq]! : -1;
  }

  /** The file index and line of a step, or undefined. */
  lineOf(seq: number): { readonly file: number; readonly line: number } | undefined {
    if (!(seq >= 0 && seq < this.#next)) return undefined;
    return { file: this.#files[seq]!, line: this.#lines[seq]! };
  }

  /** The sequence numbers of an instance's recent steps, oldest first. */
  recentOf(inst: Instance): number[] {
    const n = Math.min(inst.steps, RECENT);
    const out: number[] = [];
    for (let i = inst.steps - n; i < inst.steps; i++) out.push(inst.recent[i % RECENT]!);
    return out;
  }

  /** Tracks the log's own sequence number: a jump is a hole of the whole node. */
  logSequence(s: number, _key: string): void {
    if (this.#logSeq >= 0 && s > this.#logSeq + 1) {
      this.sequenceGaps += s - this.#logSeq - 1;
      this.holes++;
    }
    if (s > this.#logSeq) this.#logSeq = s;
  }

  /** Adds holes of the whole node (unmapped lines of its file without a node). */
  addHoles(count: number): void {
    this.holes += count;
  }

  /** Counts an unmapped line of this node (of one key when known). */
  hole(key: string | undefined): void {
    if (key === undefined) this.holes++;
    else this.keyHoles.set(JSON.parse(JSON.stringify(key)), (this.keyHoles.get(key) ?? 0) + 1);
  }

  /** True when some line of this node for `key` (or not attributable to a key) is missing. */
  hasHole(key: string): boolean {
    return this.holes > 0 || this.keyHoles.has(key);
  }
}
