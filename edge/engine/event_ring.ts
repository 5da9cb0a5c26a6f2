/**
 * Histories of applied events without an object per event: a ring of
 * numeric records (HLC, sequence number, action, verdict, origin with
 * argument count and late flag, up to two arguments inline: 64 bytes),
 * read back as
 * `EventSnapshot` objects only when a counterexample needs them; a
 * snapshot's packing reads them one by one into a reused
 * {@link EventCursor} ({@link EventRing.read}). An event's node and boot
 * are an index into its spec's {@link Origins} table.
 *
 * A ring holds nothing until its first event and grows by doubling up to
 * its capacity, then wraps: a partition or participant that saw one event
 * costs one record, not `capacity` of them. The records of a spec's rings
 * are ranges of a few large `Float64Array`s, its {@link RingArena}
 * (`ring_arena.ts`): each record one cache line, no array object per ring (a typed array per
 * ring is a separate off-heap allocation, about 200 bytes of bookkeeping
 * and several microseconds to create, measured; a plain array of doubles
 * per ring put each record across two lines and its headers on others).
 *
 * @module
 */
import type { EventStore } from "./event_store.ts";
import type { EventSnapshot } from "./types.ts";
import { RECORD, RingArena } from "./ring_arena.ts";

/** Record layout: field offsets within a record. */
const WALL = 0;
const LOGICAL = 1;
const SEQ = 2;
const ACTION = 3;
const VERDICT = 4;
/**
 * `origin * 8 + args * 2 + late`: the origin's number, the argument count
 * (0, 1, 2, or {@link LONG} / 2 for more, kept aside in `#long`) and 1 when
 * applied late; one number where three were (a record of 64 bytes, not 80:
 * a replay's histories are most of its working set).
 */
const META = 5;
const A0 = 6;
const A1 = 7;
const FIELDS = RECORD;
/** The low bits of `META` from which the arguments are kept aside (more than two). */
const LONG = 6;

/** `META` of an event from `origin` with `n` arguments, applied late or not. */
function meta(origin: number, n: number, late: boolean): number {
  return origin * 8 + (n > 2 ? LONG : 2 * n) + (late ? 1 : 0);
}

/**
 * The (node, boot, version) triples of a spec's events, numbered in order
 * of appearance. The version is the spec hash of an older served version
 * the events came from, empty for the spec's own.
 */
export class Origins {
  readonly nodes: string[] = [];
  readonly boots: string[] = [];
  /** Spec hash of the version, `""` for the spec's own. */
  readonly specs: string[] = [];
  readonly #index = new Map<string, number>();

  /**
   * The number of a (node, boot) pair, added when new.
   *
   * @example Number origins
   * ```ts
   * import assert from "node:assert/strict";
   * import { Origins } from "./event_ring.ts";
   * const o = new Origins();
   * assert.deepEqual([o.of("n1", "b1"), o.of("n2", "b1"), o.of("n1", "b1")], [0, 1, 0]);
   * ```
   */
  of(node: string, boot: string, options: { readonly spec?: string | undefined } = {}): number {
    const spec = options.spec ?? "";
    const key = `${node}\u0000${boot}\u0000${spec}`;
    let i = this.#index.get(key);
    if (i === undefined) {
      i = this.nodes.length;
      this.nodes.push(node);
      this.boots.push(boot);
      this.specs.push(spec);
      this.#index.set(key, i);
    }
    return i;
  }
}

/**
 * One event of a ring as {@link EventRing.read} gives it: the fields of an
 * `EventSnapshot`, overwritten by every read (copy what you keep), so that
 * reading a ring allocates nothing.
 *
 * @example Read the events of a ring without an object each
 * ```ts
 * import assert from "node:assert/strict";
 * import { EventCursor, EventRing, Origins } from "./event_ring.ts";
 * const r = new EventRing(4, new Origins());
 * const ev = (seq: number) => ({
 *   node: "n", boot: "b", seq, wall: seq, logical: 0, action: 0, args: [seq], verdict: 0, late: false,
 * });
 * for (const seq of [1, 2]) r.pushSnapshot(ev(seq));
 * const c = new EventCursor();
 * const seen: number[][] = [];
 * for (let k = 0; k < r.size; k++) seen.push([r.read(k, c).seq, ...c.args.slice(0, c.argc)]);
 * assert.deepEqual(seen, [[1, 1], [2, 2]]);
 * ```
 */
export class EventCursor {
  /** Node id that sent the event. */
  node = "";
  /** Boot id of the event's stream. */
  boot = "";
  /** Spec hash of the older version that produced the event; `""` for the spec's own. */
  spec = "";
  /** The event's sequence number in its stream. */
  seq = 0;
  /** HLC wall part of the event's stamp, ms. */
  wall = 0;
  /** HLC logical part of the event's stamp. */
  logical = 0;
  /** Action index in the spec. */
  action = 0;
  /** Verdict code of the node's local check. */
  verdict = 0;
  /** True when the event was applied late. */
  late = false;
  /** Number of arguments. */
  argc = 0;
  /**
   * Encoded arguments, in parameter order: the first {@link argc} entries
   * (an array of the cursor's, or the ring's own for more than two: read,
   * never write).
   */
  args: readonly number[] = [0, 0];
  /** The array {@link args} is for up to two arguments. */
  readonly pair: number[] = [0, 0];
}

/**
 * Capacity up to which a ring's second record gives it its whole room (a
 * participant's ring, 5 by default, grew 1, 2, 4, 5: three copies where one
 * does, for at most 256 bytes more held by a participant of 2 to 4 events).
 */
const SMALL_RING = 8;

/** The room of a ring holding nothing yet (never written: the first record takes room). */
const NO_ROOM = new Float64Array(0);

/** The newest `capacity` applied events of a partition or participant. */
export class EventRing {
  readonly #origins: Origins;
  readonly #cap: number;
  /** Where the ring takes its room from. */
  readonly #arena: RingArena;
  /** The arena's chunk holding the ring's room: record `i` at `#base + i * FIELDS`. */
  #f64: Float64Array = NO_ROOM;
  /** Offset of the ring's room in `#f64`, -1 before its first record. */
  #base = -1;
  /** Records of room (0 before the first record). */
  #room = 0;
  /** Argument lists longer than two, by record position (allocated when first needed). */
  #long: (readonly number[] | undefined)[] | null = null;
  #next = 0;
  #size = 0;
  /**
   * The ring this one reads its events from while it holds none itself
   * (see {@link EventRing.mirror}); null otherwise.
   */
  #mirror: EventRing | null = null;

  /**
   * Creates an empty ring.
   *
   * @example Keep the newest two
   * ```ts
   * import assert from "node:assert/strict";
   * import { EventRing, Origins } from "./event_ring.ts";
   * const r = new EventRing(2, new Origins());
   * const ev = (seq: number) => ({
   *   node: "n", boot: "b", seq, wall: seq, logical: 0, action: 0, args: [], verdict: 0, late: false,
   * });
   * for (const seq of [1, 2, 3]) r.pushSnapshot(ev(seq));
   * assert.deepEqual(r.toArray().map((e) => e.seq), [2, 3]);
   * ```
   */
  constructor(
    capacity: number,
    origins: Origins,
    options: { readonly arena?: RingArena | undefined } = {},
  ) {
    this.#origins = origins;
    this.#cap = Math.max(1, capacity);
    this.#arena = options.arena ?? new RingArena();
  }

  /** The most events kept. */
  get capacity(): number {
    return this.#cap;
  }

  /** Number of events held. */
  get size(): number {
    return this.#mirror === null ? this.#size : Math.min(this.#cap, this.#mirror.size);
  }

  /** True while this ring reads its events from another ({@link EventRing.mirror}). */
  get mirrored(): boolean {
    return this.#mirror !== null;
  }

  /**
   * Makes this empty ring hold the newest events of `source` (empty, at
   * least as large) without storing them: for a ring that would be pushed
   * every event `source` is pushed, as a partition's only participant's
   * events are its partition's history. It stores its own again
   * ({@link EventRing.detach}) when pushed to directly. Returns false, and
   * changes nothing, when either ring holds events or `source` is smaller.
   *
   * @example A sole participant's events
   * ```ts
   * import assert from "node:assert/strict";
   * import { EventRing, Origins } from "./event_ring.ts";
   * const origins = new Origins();
   * const history = new EventRing(4, origins);
   * const mine = new EventRing(2, origins);
   * assert.ok(mine.mirror(history));
   * const ev = (seq: number) => ({
   *   node: "n", boot: "b", seq, wall: seq, logical: 0, action: 0, args: [], verdict: 0, late: false,
   * });
   * for (const seq of [1, 2, 3]) history.pushSnapshot(ev(seq));
   * assert.deepEqual(mine.toArray().map((e) => e.seq), [2, 3]);
   * mine.detach(); // a second participant joined: from now on it keeps its own
   * history.pushSnapshot(ev(4));
   * assert.deepEqual(mine.toArray().map((e) => e.seq), [2, 3]);
   * ```
   */
  mirror(source: EventRing): boolean {
    if (this.size !== 0 || source.size !== 0 || source.#cap < this.#cap) return false;
    this.#mirror = source;
    return true;
  }

  /** Stops mirroring: the ring stores the events it held (nothing when it was not mirroring). */
  detach(): void {
    const source = this.#mirror;
    if (source === null) return;
    this.#mirror = null;
    const k = Math.min(this.#cap, source.#size);
    for (let j = 0; j < k; j++) {
      const from = (source.#next - k + j + source.#cap) % source.#cap;
      const i = this.#claim();
      const f = this.#f64;
      const g = source.#f64;
      const a = this.#base + i * FIELDS;
      const b = source.#base + from * FIELDS;
      for (let x = 0; x < FIELDS; x++) f[a + x] = g[b + x]!;
      const long = source.#long?.[from];
      if (g[b + META]! % 8 >= LONG) this.#setLong(i, long!);
      else if (this.#long !== null) this.#long[i] = undefined;
    }
  }

  /**
   * Gives the ring's room back to its arena (a retired participant's
   * ring): the ring holds nothing afterwards, and takes new room if pushed
   * to again.
   */
  release(): void {
    this.#mirror = null;
    if (this.#base >= 0) this.#arena.give(this.#f64, this.#base, this.#room);
    this.#f64 = NO_ROOM;
    this.#base = -1;
    this.#room = 0;
    this.#next = 0;
    this.#size = 0;
    this.#long = null;
  }

  /**
   * Reads the first number of the record the next push writes (of the
   * mirrored ring's, while mirroring), so that its line is in the caches:
   * see `Scheduler.release`. The number means nothing (0 before the first
   * record).
   */
  touch(): number {
    if (this.#mirror !== null) return this.#mirror.touch();
    const at = this.#base + this.#next * FIELDS;
    return at >= 0 && at < this.#f64.length ? this.#f64[at]! : 0;
  }

  /** Index of the record to write, advancing the ring (growing it while not full). */
  #claim(): number {
    const i = this.#next;
    if (i === this.#room) this.#grow();
    this.#next = i + 1 === this.#cap ? 0 : i + 1;
    if (this.#size < this.#cap) this.#size++;
    return i;
  }

  /**
   * Doubles the room (up to the capacity; a ring of at most
   * {@link SMALL_RING} goes from one record to its capacity); records keep
   * their positions (the ring has not wrapped yet).
   */
  #grow(): void {
    const held = this.#room;
    const records = held === 0
      ? 1
      : this.#cap <= SMALL_RING
      ? this.#cap
      : Math.min(this.#cap, 2 * held);
    const arena = this.#arena;
    const base = arena.take(records);
    const f = arena.taken;
    if (held > 0) {
      const old = this.#f64;
      const from = this.#base;
      for (let k = 0; k < held * FIELDS; k++) f[base + k] = old[from + k]!;
      arena.give(old, from, held);
    }
    this.#f64 = f;
    this.#base = base;
    this.#room = records;
  }

  /** Records the event in store slot `slot` (from `origin`, applied late or not). */
  pushSlot(s: EventStore, slot: number, origin: number, late: boolean): void {
    if (this.#mirror !== null) this.detach();
    const i = this.#claim();
    const f = this.#f64;
    const at = this.#base + i * FIELDS;
    f[at + WALL] = s.wallOf(slot);
    f[at + LOGICAL] = s.logicalOf(slot);
    f[at + SEQ] = s.seqOf(slot);
    f[at + ACTION] = s.actionOf(slot);
    f[at + VERDICT] = s.verdictOf(slot);
    const n = s.argcOf(slot);
    f[at + META] = meta(origin, n, late);
    if (n > 2) this.#setLong(i, s.argsOf(slot));
    else {
      if (this.#long !== null) this.#long[i] = undefined;
      const a = s.doubles;
      const from = s.argsAt(slot);
      if (n > 0) f[at + A0] = a[from]!;
      if (n > 1) f[at + A1] = a[from + 1]!;
    }
  }

  /**
   * {@link pushSlot} into this ring and into `also` (a partition's history
   * and the participant's last events): the slot's fields are read once.
   */
  pushSlotBoth(also: EventRing, s: EventStore, slot: number, origin: number, late: boolean): void {
    if (this.#mirror !== null) this.detach();
    if (also.#mirror !== null) also.detach();
    const i = this.#claim();
    const j = also.#claim();
    const f = this.#f64;
    const g = also.#f64;
    const a = this.#base + i * FIELDS;
    const b = also.#base + j * FIELDS;
    const wall = s.wallOf(slot);
    const logical = s.logicalOf(slot);
    const seq = s.seqOf(slot);
    const action = s.actionOf(slot);
    const verdict = s.verdictOf(slot);
    const n = s.argcOf(slot);
    const m = meta(origin, n, late);
    f[a + WALL] = wall;
    f[a + LOGICAL] = logical;
    f[a + SEQ] = seq;
    f[a + ACTION] = action;
    f[a + VERDICT] = verdict;
    f[a + META] = m;
    g[b + WALL] = wall;
    g[b + LOGICAL] = logical;
    g[b + SEQ] = seq;
    g[b + ACTION] = action;
    g[b + VERDICT] = verdict;
    g[b + META] = m;
    if (n > 2) {
      const args = s.argsOf(slot);
      this.#setLong(i, args);
      also.#setLong(j, args);
      return;
    }
    if (this.#long !== null) this.#long[i] = undefined;
    if (also.#long !== null) also.#long[j] = undefined;
    if (n === 0) return;
    const from = s.argsAt(slot);
    const a0 = s.doubles[from]!;
    f[a + A0] = a0;
    g[b + A0] = a0;
    if (n === 1) return;
    const a1 = s.doubles[from + 1]!;
    f[a + A1] = a1;
    g[b + A1] = a1;
  }

  /** Records an event given as a snapshot (restoring a saved history). */
  pushSnapshot(e: EventSnapshot): void {
    if (this.#mirror !== null) this.detach();
    const i = this.#claim();
    const f = this.#f64;
    const at = this.#base + i * FIELDS;
    f[at + WALL] = e.wall;
    f[at + LOGICAL] = e.logical;
    f[at + SEQ] = e.seq;
    f[at + ACTION] = e.action;
    f[at + VERDICT] = e.verdict;
    const n = e.args.length;
    f[at + META] = meta(this.#origins.of(e.node, e.boot, { spec: e.spec }), n, e.late);
    if (n > 2) this.#setLong(i, [...e.args]);
    else {
      if (this.#long !== null) this.#long[i] = undefined;
      if (n > 0) f[at + A0] = e.args[0]!;
      if (n > 1) f[at + A1] = e.args[1]!;
    }
  }

  #setLong(i: number, args: readonly number[]): void {
    (this.#long ??= new Array(this.#cap).fill(undefined))[i] = args;
  }

  /**
   * Reads the `k`-th oldest event held (`k` below {@link EventRing.size})
   * into `into`, and returns it.
   */
  read(k: number, into: EventCursor): EventCursor {
    const n = this.size;
    if (!(k >= 0 && k < n)) throw new RangeError(`Event '${k}' is not held (${n} held)`);
    const ring = this.#mirror ?? this;
    const i = (ring.#next - n + k + ring.#cap) % ring.#cap;
    const f = ring.#f64;
    const at = ring.#base + i * FIELDS;
    const m = f[at + META]!;
    const origin = Math.floor(m / 8);
    const low = m - 8 * origin;
    const origins = ring.#origins;
    into.node = origins.nodes[origin]!;
    into.boot = origins.boots[origin]!;
    into.spec = origins.specs[origin]!;
    into.seq = f[at + SEQ]!;
    into.wall = f[at + WALL]!;
    into.logical = f[at + LOGICAL]!;
    into.action = f[at + ACTION]!;
    into.verdict = f[at + VERDICT]!;
    into.late = (low & 1) === 1;
    if (low >= LONG) {
      const long = ring.#long![i]!;
      into.argc = long.length;
      into.args = long;
    } else {
      const argc = low >> 1;
      into.argc = argc;
      const pair = into.pair;
      if (argc > 0) pair[0] = f[at + A0]!;
      if (argc > 1) pair[1] = f[at + A1]!;
      into.args = pair;
    }
    return into;
  }

  /** The events, oldest first (fresh objects). */
  toArray(): EventSnapshot[] {
    if (this.#mirror !== null) return this.#mirror.#newest(this.size);
    return this.#newest(this.#size);
  }

  /** The newest `n` events held (`n` at most the size), oldest first. */
  #newest(n: number): EventSnapshot[] {
    const out: EventSnapshot[] = [];
    for (let k = 0; k < n; k++) out.push(this.#at((this.#next - n + k + this.#cap) % this.#cap));
    return out;
  }

  #at(i: number): EventSnapshot {
    const f = this.#f64;
    const at = this.#base + i * FIELDS;
    const m = f[at + META]!;
    const origin = Math.floor(m / 8);
    const low = m - 8 * origin;
    const n = low >> 1;
    const args = low >= LONG
      ? [...this.#long![i]!]
      : n === 2
      ? [f[at + A0]!, f[at + A1]!]
      : n === 1
      ? [f[at + A0]!]
      : [];
    const e: EventSnapshot = {
      node: this.#origins.nodes[origin]!,
      boot: this.#origins.boots[origin]!,
      seq: f[at + SEQ]!,
      wall: f[at + WALL]!,
      logical: f[at + LOGICAL]!,
      action: f[at + ACTION]!,
      args,
      verdict: f[at + VERDICT]!,
      late: (low & 1) === 1,
    };
    const spec = this.#origins.specs[origin]!;
    return spec === "" ? e : { ...e, spec };
  }
}
