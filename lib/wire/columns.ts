/**
 * The fast half of the wire decoder: reads a batch in the form the SDK's
 * writer produces straight from the bytes into reusable columns (typed
 * arrays of offsets and numbers, no object per event), for the collector's
 * hot path.
 *
 * It accepts only what the reference decoder (msgpackr plus validation,
 * `decodeReference` in `decode.ts`) accepts, with identical values, and declines
 * everything else: any msgpack type the writer does not use where it does
 * not use it (64-bit integers of 2^53 or more, float 32, nil, booleans, extensions), a map
 * key missing, repeated or unknown, a string that is not valid UTF-8, a
 * value the reference decoder would refuse, truncated input or trailing
 * bytes. A declined batch goes to the reference decoder, which decodes it
 * or throws the exact `WireFormatError`.
 *
 * Claimed counts are checked against the bytes left before anything is
 * reserved (an event takes at least `MIN_EVENT_BYTES`, an argument one
 * byte, a dropped range `MIN_DROP_BYTES`, a map entry two; string and bin
 * lengths must fit), so the columns grow only as far as a batch's bytes
 * can really fill them, never to what a lying header claims.
 *
 * This module holds the columns; the batch grammar (`decodeColumns`) is in
 * `batch_grammar.ts`, the msgpack reader in `msgpack_reader.ts`, and the
 * one entry point that always yields columns (`decodeToColumns`, the
 * fallback included) in `decode.ts`.
 *
 * @module
 */
import {
  type DecodedBatch,
  type DecodedEvent,
  type EventDependency,
  utf8Length,
  WIRE_VERSION,
} from "./event.ts";
import type { SeqRange } from "./seq_ranges.ts";
import { ascii, Interner } from "./msgpack_reader.ts";

function grow<T extends Float64Array | Int32Array>(a: T, n: number, make: (n: number) => T): T {
  if (a.length >= n) return a;
  const b = make(Math.max(n, 2 * a.length));
  b.set(a);
  return b;
}

const i32 = (k: number) => new Int32Array(k);
const f64 = (k: number) => new Float64Array(k);

/**
 * Events (and arguments) the columns hold room for from the start: the
 * SDK batcher's default batch (`DEFAULT_MAX_EVENTS`, 1024 events). A
 * collector's first full batches then fit, so the decoder compiled while
 * small batches arrived is not thrown away and compiled again (a growth
 * branch it never took) when the first full one comes. About 60 KB per
 * instance; a process holds a handful.
 */
const INITIAL_EVENTS = 1024;

/**
 * Keys of at most this many bytes (a msgpack fixstr) may be left out of
 * `WireColumns.longestKey`: the decoder's fast path reads them without
 * measuring (no work per event), so a bound below it checks every
 * `keyLen`.
 *
 * @example A fixstr holds 31 bytes
 * ```ts
 * import assert from "node:assert/strict";
 * import { SHORT_KEY_BYTES } from "./columns.ts";
 * assert.equal(SHORT_KEY_BYTES, 0x1f);
 * ```
 */
export const SHORT_KEY_BYTES = 31;

/**
 * One decoded batch as columns, reused from batch to batch. Event `i` has
 * sequence number `firstSeq + i`; its key, arguments and state are ranges
 * of `bytes` (state and key as byte offsets, arguments in `args`).
 *
 * @example Decode a batch into columns and read its events
 * ```ts
 * import assert from "node:assert/strict";
 * import { WireColumns } from "./columns.ts";
 * import { decodeToColumns } from "./decode.ts";
 * import { encodeBatch } from "./encode.ts";
 * const header = { spec: "ab", specName: "Lease", node: "n1", boot: "b1", firstSeq: 4, dropped: [] };
 * const body = { key: "k", wall: 1, logical: 0, action: 1, args: [7], state: new Uint8Array(4), verdict: 0 };
 * const columns = new WireColumns();
 * decodeToColumns(encodeBatch(header, [body, { ...body, wall: 2 }]), columns);
 * assert.equal(columns.count, 2);
 * assert.equal(columns.node, "n1");
 * assert.deepEqual([columns.wall[0], columns.wall[1]], [1, 2]);
 * assert.deepEqual(columns.argsOf(1), [7]);
 * ```
 */
export class WireColumns {
  /** Wire format version of the batch. */
  version: number = WIRE_VERSION;
  /**
   * Header strings decoded so far (spec hash, name, node and boot ids): the
   * decoder hands out the same string object for the same bytes, batch
   * after batch.
   */
  readonly strings: Interner = new Interner();
  /** Spec content hash. */
  spec = "";
  /** The spec's name, e.g. `Lease`. */
  specName = "";
  /** Node id of the sending stream. */
  node = "";
  /** Boot id of the sending stream. */
  boot = "";
  /** Sequence number of event 0. */
  firstSeq = 0;
  /** Sequence numbers the batch declares dropped, as inclusive ranges. */
  dropped: SeqRange[] = [];
  /** Number of events. */
  count = 0;
  /** The batch's bytes (state and key offsets point into them). */
  bytes: Uint8Array = new Uint8Array(0);
  /** A `DataView` of `bytes`. */
  view: DataView = new DataView(new ArrayBuffer(0));
  /** Byte offset of event `i`'s instance key in `bytes`. */
  keyOff: Int32Array = new Int32Array(INITIAL_EVENTS);
  /** Byte length of event `i`'s instance key. */
  keyLen: Int32Array = new Int32Array(INITIAL_EVENTS);
  /**
   * The longest `keyLen` of the batch, for a bound on keys checked once per
   * batch; a decoded batch's keys of at most {@link SHORT_KEY_BYTES} may go
   * unmeasured (0 when all are that short).
   */
  longestKey = 0;
  /** The longest node id a dependency of the batch names, in UTF-8 bytes (0 without dependencies). */
  longestDepNode = 0;
  /** Key strings decoded so far (non-ASCII keys are decoded while reading). */
  keyStr: (string | undefined)[] = [];
  /** HLC wall part of event `i`'s stamp, ms. */
  wall: Float64Array = new Float64Array(INITIAL_EVENTS);
  /** HLC logical part of event `i`'s stamp. */
  logical: Float64Array = new Float64Array(INITIAL_EVENTS);
  /** Action index of event `i`. */
  action: Float64Array = new Float64Array(INITIAL_EVENTS);
  /** Local verdict code of event `i`. */
  verdict: Float64Array = new Float64Array(INITIAL_EVENTS);
  /** Byte offset of event `i`'s state block in `bytes`. */
  stateOff: Int32Array = new Int32Array(INITIAL_EVENTS);
  /** Byte length of event `i`'s state block. */
  stateLen: Int32Array = new Int32Array(INITIAL_EVENTS);
  /** First argument of event `i` in `args`; event `i`'s arguments end at `argOff[i + 1]`. */
  argOff: Int32Array = new Int32Array(INITIAL_EVENTS + 1);
  /** Every event's arguments, one after the other (see `argOff`). */
  args: Float64Array = new Float64Array(INITIAL_EVENTS);
  /**
   * Number of dependencies in the batch (version 2; most events carry
   * none). Dependency `d` belongs to event `depEvent[d]`; an event's
   * dependencies are consecutive, in event order.
   */
  depCount = 0;
  /** Event index of dependency `d`. */
  depEvent: Int32Array = new Int32Array(8);
  /** Sending node of dependency `d`. */
  depNode: string[] = [];
  /** HLC wall part of dependency `d` (absolute, ms). */
  depWall: Float64Array = new Float64Array(8);
  /** HLC logical part of dependency `d`. */
  depLogical: Float64Array = new Float64Array(8);

  /**
   * The dependencies of event `i` as fresh objects (empty when it has none).
   *
   * @example Read the dependency of the second event
   * ```ts
   * import assert from "node:assert/strict";
   * import { WireColumns } from "./columns.ts";
   * import { decodeToColumns } from "./decode.ts";
   * import { encodeBatch } from "./encode.ts";
   * const header = { spec: "ab", specName: "Lease", node: "n2", boot: "b1", firstSeq: 0, dropped: [] };
   * const body = { key: "k", wall: 10, logical: 0, action: 0, args: [], state: new Uint8Array(4), verdict: 0 };
   * const cols = new WireColumns();
   * decodeToColumns(encodeBatch(header, [body, { ...body, wall: 12, deps: [{ node: "n1", wall: 11, logical: 0 }] }]), cols);
   * assert.equal(cols.depCount, 1);
   * assert.deepEqual(cols.depsOf(0), []);
   * assert.deepEqual(cols.depsOf(1), [{ node: "n1", wall: 11, logical: 0 }]);
   * ```
   */
  depsOf(i: number): EventDependency[] {
    const out: EventDependency[] = [];
    for (let d = 0; d < this.depCount; d++) {
      if (this.depEvent[d] === i) {
        out.push({ node: this.depNode[d]!, wall: this.depWall[d]!, logical: this.depLogical[d]! });
      }
    }
    return out;
  }

  /**
   * Lays out the dependencies of `events` (event `i` of the batch is
   * `events[i]`) into the dependency columns, replacing what they held:
   * for columns filled from objects rather than decoded.
   *
   * @example Dependencies of objects
   * ```ts
   * import assert from "node:assert/strict";
   * import { WireColumns } from "./columns.ts";
   * const cols = new WireColumns();
   * cols.depsFrom([{}, { deps: [{ node: "n1", wall: 5, logical: 0 }] }]);
   * assert.ok(cols.depCount === 1 && cols.depEvent[0] === 1 && cols.depNode[0] === "n1");
   * ```
   */
  depsFrom(events: ArrayLike<{ readonly deps?: readonly EventDependency[] }>): void {
    this.depCount = 0;
    this.longestDepNode = 0;
    for (let i = 0; i < events.length; i++) {
      const deps = events[i]!.deps;
      if (deps !== undefined) this.addDeps(i, deps);
    }
  }

  /**
   * Appends event `i`'s dependencies after those already held (`depCount` grows).
   *
   * @example Two events' dependencies, in event order
   * ```ts
   * import assert from "node:assert/strict";
   * import { WireColumns } from "./columns.ts";
   * const cols = new WireColumns();
   * cols.addDeps(0, [{ node: "a", wall: 1, logical: 0 }]);
   * cols.addDeps(1, [{ node: "b", wall: 2, logical: 3 }]);
   * assert.deepEqual([...cols.depEvent.subarray(0, cols.depCount)], [0, 1]);
   * ```
   */
  addDeps(i: number, deps: readonly EventDependency[]): void {
    let at = this.depCount;
    this.reserveDeps(at + deps.length);
    for (const d of deps) {
      const len = utf8Length(d.node);
      if (len > this.longestDepNode) this.longestDepNode = len;
      this.depEvent[at] = i;
      this.depNode[at] = d.node;
      this.depWall[at] = d.wall;
      this.depLogical[at] = d.logical;
      at++;
    }
    this.depCount = at;
  }

  /** Room for `n` dependencies (the dependency columns grow on their own, at least doubling). */
  reserveDeps(n: number): void {
    if (this.depEvent.length < n) this.depEvent = grow(this.depEvent, n, i32);
    if (this.depWall.length < n) this.depWall = grow(this.depWall, n, f64);
    if (this.depLogical.length < n) this.depLogical = grow(this.depLogical, n, f64);
  }

  /**
   * The key of event `i` as a string.
   *
   * @example Read the keys of a batch
   * ```ts
   * import assert from "node:assert/strict";
   * import { WireColumns } from "./columns.ts";
   * import { decodeColumns } from "./batch_grammar.ts";
   * import { encodeBatch } from "./encode.ts";
   * const bytes = encodeBatch(
   *   { spec: "ab", specName: "Lease", node: "n1", boot: "b1", firstSeq: 0, dropped: [] },
   *   [{ key: "k", wall: 1, logical: 0, action: 0, args: [], state: new Uint8Array(4), verdict: 0 }],
   * );
   * const cols = new WireColumns();
   * assert.equal(decodeColumns(bytes, cols), true);
   * assert.equal(cols.key(0), "k");
   * ```
   */
  key(i: number): string {
    let s = this.keyStr[i];
    if (s === undefined) this.keyStr[i] = s = ascii(this.bytes, this.keyOff[i]!, this.keyLen[i]!);
    return s;
  }

  /** The arguments of event `i` as a fresh array. */
  argsOf(i: number): number[] {
    const a = this.argOff[i]!;
    const n = this.argOff[i + 1]! - a;
    const out = new Array<number>(n);
    for (let j = 0; j < n; j++) out[j] = this.args[a + j]!;
    return out;
  }

  /** The state block of event `i` as a view of `bytes`. */
  stateOf(i: number): Uint8Array {
    const b = this.bytes;
    return new Uint8Array(b.buffer, b.byteOffset + this.stateOff[i]!, this.stateLen[i]!);
  }

  /**
   * The batch as objects (a fresh object per event; keys, arguments and
   * states copied out or viewed as `argsOf`, `key` and `stateOf` give them).
   *
   * @example Columns as a batch
   * ```ts
   * import assert from "node:assert/strict";
   * import { WireColumns } from "./columns.ts";
   * import { decodeToColumns } from "./decode.ts";
   * import { encodeBatch } from "./encode.ts";
   * const event = { key: "k", wall: 9, logical: 1, action: 0, args: [2], state: new Uint8Array(4), verdict: 0 };
   * const cols = new WireColumns();
   * decodeToColumns(encodeBatch({ spec: "ab", specName: "L", node: "n", boot: "b", firstSeq: 5, dropped: [] }, [event]), cols);
   * const batch = cols.toBatch();
   * assert.ok(batch.events[0]!.seq === 5 && batch.events[0]!.wall === 9 && batch.events[0]!.args[0] === 2);
   * ```
   */
  toBatch(): DecodedBatch {
    const events: DecodedEvent[] = new Array(this.count);
    for (let i = 0; i < this.count; i++) {
      const deps = this.depCount === 0 ? [] : this.depsOf(i);
      events[i] = {
        ...(deps.length === 0 ? {} : { deps }),
        seq: this.firstSeq + i,
        key: this.key(i),
        wall: this.wall[i]!,
        logical: this.logical[i]!,
        action: this.action[i]!,
        args: this.argsOf(i),
        state: this.stateOf(i),
        verdict: this.verdict[i]!,
      };
    }
    return {
      version: this.version,
      spec: this.spec,
      specName: this.specName,
      node: this.node,
      boot: this.boot,
      firstSeq: this.firstSeq,
      dropped: this.dropped,
      events,
    };
  }

  /**
   * Room for `n` events and `a` arguments: every column grows on its own
   * to what it needs (`argOff` to `n + 1`), at least doubling, so a
   * column never lags behind the others whatever sizes came before.
   * Callers check `n` and `a` against the bytes of the batch first
   * (`decodeColumns` does), so capacity stays bounded by the largest
   * batch actually read.
   *
   * @example Grow for a batch of 200 events after one of 129
   * ```ts
   * import assert from "node:assert/strict";
   * import { WireColumns } from "./columns.ts";
   * const cols = new WireColumns();
   * cols.reserve(129, 0);
   * cols.reserve(200, 300);
   * assert.ok(cols.keyOff.length >= 200 && cols.argOff.length >= 201 && cols.args.length >= 300);
   * ```
   */
  reserve(n: number, a: number): void {
    if (this.keyOff.length < n) this.keyOff = grow(this.keyOff, n, i32);
    if (this.keyLen.length < n) this.keyLen = grow(this.keyLen, n, i32);
    if (this.wall.length < n) this.wall = grow(this.wall, n, f64);
    if (this.logical.length < n) this.logical = grow(this.logical, n, f64);
    if (this.action.length < n) this.action = grow(this.action, n, f64);
    if (this.verdict.length < n) this.verdict = grow(this.verdict, n, f64);
    if (this.stateOff.length < n) this.stateOff = grow(this.stateOff, n, i32);
    if (this.stateLen.length < n) this.stateLen = grow(this.stateLen, n, i32);
    if (this.argOff.length < n + 1) this.argOff = grow(this.argOff, n + 1, i32);
    if (this.args.length < a) this.args = grow(this.args, a, f64);
  }
}
