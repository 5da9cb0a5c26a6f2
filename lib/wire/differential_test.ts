/**
 * Differential property test of the wire decoders: long random sequences of
 * batch sizes (0 to 2,048 events, biased toward the sizes where capacities
 * grow) go through one long-lived `WireColumns`, through young ones
 * replaced every few batches (so growth from the initial capacity happens
 * thousands of times), and through `decodeBatch` (whose module-level
 * columns live as long as the process); every batch is checked field by
 * field against the reference decoder (msgpackr, `decodeReference`).
 *
 * Batches are assembled the way the batcher does it: a header written for
 * the batch, then a window of events pre-encoded once into a pool, so the
 * run spends its time decoding. `VIGIL_WIRE_SEED` replays a run (the
 * seed is in every failure message), `VIGIL_WIRE_BATCHES` lengthens it
 * (100,000 batches at least).
 */
import assert from "node:assert/strict";
import { decodeBatch, decodeReference, WireFormatError } from "./decode.ts";
import { writeEvent, writeHeader } from "./encode.ts";
import {
  type BatchHeader,
  type DecodedBatch,
  type EventBody,
  type EventDependency,
  MAX_DROP_RANGES,
  WIRE_VERSION,
  WIRE_VERSION_DEPS,
} from "./event.ts";
import type { SeqRange } from "./seq_ranges.ts";
import { MsgpackWriter } from "./msgpack_writer.ts";
import { WireColumns } from "./columns.ts";
import { decodeColumns } from "./batch_grammar.ts";

const BATCHES = Math.max(100_000, Number(Deno.env.get("VIGIL_WIRE_BATCHES") ?? 0));
const SEED = Number(Deno.env.get("VIGIL_WIRE_SEED") ?? Math.floor(Math.random() * 2 ** 32));
const MAX_EVENTS = 2048;

/** A small deterministic generator (xorshift32) with the helpers the run needs. */
class Random {
  #state: number;
  constructor(seed: number) {
    this.#state = (seed >>> 0) || 0x9e3779b9;
  }
  /** Uniform in [0, 1). */
  next(): number {
    let x = this.#state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#state = x >>> 0;
    return this.#state / 4294967296;
  }
  /** Uniform integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.below(xs.length)]!;
  }
}

/** Keys of ordinary events, then awkward ones: empty, non-ASCII, 17 to 300 bytes, fixstr/str 8 edges. */
const PLAIN_KEYS = ["lock:orders", "lock:users", "k", "lock:1"];
const ODD_KEYS = [
  "",
  "clé:ü",
  "鍵:注文",
  "🔒:a",
  "x".repeat(17),
  "y".repeat(31),
  "z".repeat(32),
  "é".repeat(20),
  "w".repeat(300),
];
const DELTAS = [0, 1, -1, 127, -33, 255, 65_535, 2 ** 31, -(2 ** 31) - 1, 2 ** 40, -(2 ** 45)];
const COUNTERS = [0, 1, 15, 128, 2 ** 16, 2 ** 32, 2 ** 52];
const ACTIONS = [0, 1, 2, 3, 200, 2 ** 32 - 1];
/** Arguments: every integer family (64-bit too), floats, -0, NaN and the infinities. */
const NUMBERS = [
  0,
  1,
  -1,
  7,
  -32,
  -33,
  300,
  2 ** 32 + 5,
  -(2 ** 40),
  Number.MAX_SAFE_INTEGER,
  -Number.MAX_SAFE_INTEGER,
  0.5,
  -1.5,
  1e300,
  5e-324,
  -0,
  NaN,
  Infinity,
  -Infinity,
];
const STATE_SIZES = [0, 4, 24, 255, 256, 300];

/**
 * Dependencies' nodes: ordinary ids (two of one length that differ in their
 * last byte), then awkward ones (empty, non-ASCII, str 8).
 */
const DEP_NODES = ["api-1", "api-2", "node-07", "n", "", "nœud-ü", "n".repeat(40)];

/**
 * One in four events carries 1 to 3 dependencies (the eighth item of a
 * version-2 batch), an odd one's node, wall delta and counter drawn from
 * the awkward values.
 */
function randomDeps(r: Random, base: number, odd: boolean): EventDependency[] | undefined {
  if (r.below(4) !== 0) return undefined;
  return Array.from({ length: 1 + r.below(odd ? 3 : 1) }, () => ({
    node: odd ? r.pick(DEP_NODES) : r.pick(DEP_NODES.slice(0, 4)),
    wall: base + (odd ? r.pick(DELTAS) : r.below(1000) - 500),
    logical: odd ? r.pick(COUNTERS) : r.below(4),
  }));
}

/**
 * One event: most are ordinary (a short ASCII key, up to 4 arguments, a
 * 24-byte state); one in six draws every field from the awkward values
 * above, and one in forty of those has 16 to 40 arguments. One in four
 * carries dependencies ({@link randomDeps}).
 */
function randomEvent(r: Random, base: number): EventBody {
  const odd = r.below(6) === 0;
  const argc = odd && r.below(40) === 0 ? 16 + r.below(25) : r.below(5);
  const deps = randomDeps(r, base, odd);
  return {
    ...(deps === undefined ? {} : { deps }),
    key: odd ? r.pick(ODD_KEYS) : r.pick(PLAIN_KEYS),
    wall: base + (odd ? r.pick(DELTAS) : r.below(1000)),
    logical: odd ? r.pick(COUNTERS) : r.below(4),
    action: odd ? r.pick(ACTIONS) : r.below(4),
    args: Array.from({ length: argc }, () => odd ? r.pick(NUMBERS) : r.below(5)),
    state: Uint8Array.from({ length: odd ? r.pick(STATE_SIZES) : 24 }, () => r.below(256)),
    verdict: odd && r.below(4) === 0 ? r.pick(ACTIONS) : 0,
  };
}

/** Events encoded once, back to back: a batch of `n` is a window `[i, i + n)` of them. */
class EventPool {
  readonly size: number;
  readonly bytes: Uint8Array;
  /** `starts[i]`: offset of event `i` (`starts[size]`: the end of the last). */
  readonly starts: Int32Array;

  constructor(r: Random, size: number, base: number) {
    this.size = size;
    const w = new MsgpackWriter(1 << 20);
    this.starts = new Int32Array(size + 1);
    for (let i = 0; i < size; i++) {
      writeEvent(w, base, randomEvent(r, base));
      this.starts[i + 1] = w.length;
    }
    this.bytes = w.finish();
  }
}

/**
 * Sizes where a capacity doubles from the initial 64 (and the extremes),
 * in classes drawn with falling weights so the mean batch stays moderate.
 */
const BOUNDARY_CLASSES: readonly (readonly [weight: number, sizes: readonly number[]])[] = [
  [0.25, [0, 1]],
  [0.25, [63, 64, 65]],
  [0.2, [127, 128, 129, 130, 131]],
  [0.15, [255, 256, 257]],
  [0.1, [1023, 1024, 1025]],
  [0.05, [2047, 2048]],
];
const BOUNDARIES = BOUNDARY_CLASSES.flatMap(([, sizes]) => sizes);

/**
 * A batch size: 10% at a boundary, 1% uniform over [0, 2048], 89%
 * log-uniform over [0, 256] (mostly small, every size class reached);
 * about 80 events on average.
 */
function batchSize(r: Random): number {
  const u = r.next();
  if (u < 0.1) {
    let w = r.next();
    for (const [weight, sizes] of BOUNDARY_CLASSES) {
      if (w < weight) return r.pick(sizes);
      w -= weight;
    }
    return MAX_EVENTS;
  }
  if (u < 0.11) return r.below(MAX_EVENTS + 1);
  return Math.floor(Math.exp(r.next() * Math.log(257))) - 1;
}

const HEADERS = {
  spec: ["9f".repeat(32), "", "ab"],
  specName: ["Lease", "", "Verrouillé"],
  node: ["api-1", "nœud-ü", "n".repeat(40)],
  boot: ["b-1", "boot-💾"],
  t0: [0, 1_732_170_000_000, -5, 2 ** 50],
};

/** Drop ranges below `firstSeq`: usually none, sometimes a few, rarely more than a batch may hold. */
function randomDrops(r: Random, firstSeq: number): SeqRange[] {
  const u = r.below(100);
  const n = u < 85 ? 0 : u < 99 ? 1 + r.below(6) : MAX_DROP_RANGES - 1 + r.below(3);
  const out: SeqRange[] = [];
  let at = 0;
  for (let i = 0; i < n && at + 2 < firstSeq; i++) {
    const first = at + r.below(3);
    const last = Math.min(firstSeq - 1, first + r.below(4));
    out.push([first, last]);
    at = last + 2;
  }
  return out;
}

/** The first sequence number: small, 32-bit, near 2^53 - 1 (sometimes past it with the events). */
function randomSeq(r: Random, n: number): number {
  const u = r.below(50);
  if (u === 0) return Number.MAX_SAFE_INTEGER - n + 1 + r.below(3) - 1;
  if (u === 1) return 2 ** 32 - 1 - r.below(3);
  return r.below(u < 10 ? 2 ** 40 : 4096);
}

/** Writes a batch of pool events `[from, from + n)` at byte `shift` of a reused buffer. */
class BatchMaker {
  readonly #pool: EventPool;
  readonly #header = new MsgpackWriter(64 * 1024);
  #buffer = new Uint8Array(1 << 16);

  constructor(pool: EventPool) {
    this.#pool = pool;
  }

  make(header: BatchHeader, t0: number, from: number, n: number, shift: number): Uint8Array {
    const h = this.#header;
    h.reset();
    writeHeader(h, header, t0, n);
    const pool = this.#pool;
    const start = pool.starts[from]!;
    const end = pool.starts[from + n]!;
    const length = h.length + end - start;
    if (this.#buffer.length < shift + length) this.#buffer = new Uint8Array(2 * (shift + length));
    const out = this.#buffer.subarray(shift, shift + length);
    out.set(h.view(0, h.length));
    out.set(pool.bytes.subarray(start, end), h.length);
    return out;
  }
}

type Outcome = { ok: DecodedBatch } | { where: string; message: string };

function outcome(decode: (b: Uint8Array) => DecodedBatch, bytes: Uint8Array): Outcome {
  try {
    return { ok: decode(bytes) };
  } catch (e) {
    if (!(e instanceof WireFormatError)) throw e;
    return { where: e.where, message: e.message };
  }
}

/** Fails with the field that differs (messages are built only on failure). */
function differ(what: string, field: string, got: unknown, want: unknown): never {
  assert.fail(`${what}: ${field} is ${String(got)}, the reference decoder says ${String(want)}`);
}

function sameHeader(what: string, got: DecodedBatch | WireColumns, want: DecodedBatch): void {
  if (got.version !== want.version) differ(what, "version", got.version, want.version);
  if (got.spec !== want.spec) differ(what, "spec", got.spec, want.spec);
  if (got.specName !== want.specName) differ(what, "name", got.specName, want.specName);
  if (got.node !== want.node) differ(what, "node", got.node, want.node);
  if (got.boot !== want.boot) differ(what, "boot", got.boot, want.boot);
  if (got.firstSeq !== want.firstSeq) differ(what, "seq", got.firstSeq, want.firstSeq);
  const a = got.dropped;
  const b = want.dropped;
  if (a.length !== b.length) differ(what, "drop length", a.length, b.length);
  for (let k = 0; k < a.length; k++) {
    if (a[k]![0] !== b[k]![0] || a[k]![1] !== b[k]![1]) differ(what, `drop[${k}]`, a[k], b[k]);
  }
}

function sameState(what: string, got: Uint8Array, want: Uint8Array): void {
  if (got.length !== want.length) differ(what, "state length", got.length, want.length);
  // Both are views of the batch's bytes: the same view holds the same bytes.
  if (got.buffer === want.buffer && got.byteOffset === want.byteOffset) return;
  for (let j = 0; j < got.length; j++) {
    if (got[j] !== want[j]) differ(what, `state[${j}]`, got[j], want[j]);
  }
}

/** The columns hold exactly the reference decoder's batch. */
function sameColumns(what: string, c: WireColumns, want: DecodedBatch): void {
  sameHeader(what, c, want);
  const events = want.events;
  if (c.count !== events.length) differ(what, "event count", c.count, events.length);
  /** The next dependency of the columns to compare. */
  let d = 0;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (c.key(i) !== e.key) differ(what, `ev[${i}] key`, c.key(i), e.key);
    if (!Object.is(c.wall[i], e.wall)) differ(what, `ev[${i}] wall`, c.wall[i], e.wall);
    if (c.logical[i] !== e.logical) differ(what, `ev[${i}] logical`, c.logical[i], e.logical);
    if (c.action[i] !== e.action) differ(what, `ev[${i}] action`, c.action[i], e.action);
    if (c.verdict[i] !== e.verdict) differ(what, `ev[${i}] verdict`, c.verdict[i], e.verdict);
    const a = c.argOff[i]!;
    const argc = c.argOff[i + 1]! - a;
    if (argc !== e.args.length) differ(what, `ev[${i}] argument count`, argc, e.args.length);
    for (let j = 0; j < argc; j++) {
      if (!Object.is(c.args[a + j], e.args[j])) {
        differ(what, `ev[${i}] args[${j}]`, c.args[a + j], e.args[j]);
      }
    }
    const state = e.state;
    const len = c.stateLen[i]!;
    if (len !== state.length) differ(what, `ev[${i}] state length`, len, state.length);
    const off = c.bytes.byteOffset + c.stateOff[i]!;
    if (c.bytes.buffer !== state.buffer || off !== state.byteOffset) {
      sameState(`${what} ev[${i}]`, c.stateOf(i), state);
    }
    for (const want of e.deps ?? []) {
      const at = `${what}: ev[${i}] dependency ${d}`;
      if (d >= c.depCount) differ(at, "count", c.depCount, `more than ${d}`);
      if (c.depEvent[d] !== i) differ(at, "event", c.depEvent[d], i);
      if (c.depNode[d] !== want.node) differ(at, "node", c.depNode[d], want.node);
      if (c.depWall[d] !== want.wall) differ(at, "wall", c.depWall[d], want.wall);
      if (c.depLogical[d] !== want.logical) differ(at, "logical", c.depLogical[d], want.logical);
      d++;
    }
  }
  if (c.depCount !== d) differ(what, "dependency count", c.depCount, d);
}

/** `decodeBatch`'s batch is the reference decoder's, every event numbered `seq + i`. */
function sameBatch(what: string, got: DecodedBatch, want: DecodedBatch): void {
  sameHeader(what, got, want);
  if (got.events.length !== want.events.length) {
    differ(what, "event count", got.events.length, want.events.length);
  }
  for (let i = 0; i < want.events.length; i++) {
    const g = got.events[i]!;
    const e = want.events[i]!;
    if (g.seq !== e.seq || e.seq !== want.firstSeq + i) differ(what, `ev[${i}] seq`, g.seq, e.seq);
    if (g.key !== e.key) differ(what, `ev[${i}] key`, g.key, e.key);
    if (!Object.is(g.wall, e.wall)) differ(what, `ev[${i}] wall`, g.wall, e.wall);
    if (g.logical !== e.logical) differ(what, `ev[${i}] logical`, g.logical, e.logical);
    if (g.action !== e.action) differ(what, `ev[${i}] action`, g.action, e.action);
    if (g.verdict !== e.verdict) differ(what, `ev[${i}] verdict`, g.verdict, e.verdict);
    if (g.args.length !== e.args.length) {
      differ(what, `ev[${i}] argument count`, g.args.length, e.args.length);
    }
    for (let j = 0; j < e.args.length; j++) {
      if (!Object.is(g.args[j], e.args[j])) {
        differ(what, `ev[${i}] args[${j}]`, g.args[j], e.args[j]);
      }
    }
    sameState(`${what} ev[${i}]`, g.state, e.state);
    assert.deepEqual(g.deps, e.deps, `${what}: ev[${i}] dependencies`);
  }
}

/** Runs one batch through every decoder under test and checks each against the reference. */
function check(bytes: Uint8Array, what: string, decoders: readonly WireColumns[]): boolean {
  const ref = outcome(decodeReference, bytes);
  for (const [k, c] of decoders.entries()) {
    const took = decodeColumns(bytes, c);
    if ("ok" in ref) {
      if (!took) assert.fail(`${what}: decoder ${k} declined a batch the reference decodes`);
      sameColumns(`${what} (decoder ${k})`, c, ref.ok);
    } else if (took) {
      assert.fail(`${what}: decoder ${k} took a batch the reference refuses (${ref.message})`);
    }
  }
  const got = outcome(decodeBatch, bytes);
  if ("ok" in ref && "ok" in got) sameBatch(`${what} (decodeBatch)`, got.ok, ref.ok);
  else assert.deepEqual(got, ref, `${what} (decodeBatch)`);
  return "ok" in ref;
}

const BASE = 1_700_000_000_000;

Deno.test("Batches of 100, 129 and 200 events in a row decode like the reference, in every decoder", () => {
  // First in this file: decodeBatch's module-level columns start fresh here.
  const r = new Random(129);
  const pool = new EventPool(r, 512, BASE);
  const maker = new BatchMaker(pool);
  const decoders = [new WireColumns()];
  let seq = 0;
  for (const n of [100, 129, 200]) {
    const header = {
      version: WIRE_VERSION_DEPS,
      spec: "ab",
      specName: "Lease",
      node: "n1",
      boot: "b1",
      firstSeq: seq,
      dropped: [],
    };
    const bytes = maker.make(header, BASE, r.below(pool.size - n), n, 0);
    assert.ok(check(bytes, `the batch of ${n}`, decoders), `the batch of ${n} is valid`);
    seq += n;
  }
});

Deno.test("The fast decoders agree with the reference decoder over 100,000 batches of random sizes", () => {
  const r = new Random(SEED);
  const pool = new EventPool(r, 6 * 1024, BASE);
  const maker = new BatchMaker(pool);
  const longLived = new WireColumns();
  let young = new WireColumns();
  let youngLeft = 0;
  const sizes = new Map<number, number>();
  let refused = 0;
  let withDeps = 0;
  let events = 0;
  let seq = 0;
  for (let b = 0; b < BATCHES; b++) {
    if (youngLeft-- <= 0) young = new WireColumns(), youngLeft = 2 + r.below(15);
    const n = batchSize(r);
    sizes.set(n, (sizes.get(n) ?? 0) + 1);
    const firstSeq = r.below(4) === 0 ? randomSeq(r, n) : seq;
    const header: BatchHeader = {
      // Version 1 now and then: its events with dependencies are refused by every decoder.
      version: r.below(50) === 0 ? WIRE_VERSION : WIRE_VERSION_DEPS,
      spec: r.pick(HEADERS.spec),
      specName: r.pick(HEADERS.specName),
      node: r.pick(HEADERS.node),
      boot: r.pick(HEADERS.boot),
      firstSeq,
      dropped: randomDrops(r, firstSeq),
    };
    const bytes = maker.make(header, r.pick(HEADERS.t0), r.below(pool.size - n + 1), n, r.below(8));
    const what = `batch ${b} of ${n} events (seed ${SEED})`;
    if (check(bytes, what, [longLived, young])) {
      events += n;
      if (longLived.depCount > 0) withDeps++;
    } else refused++;
    seq = firstSeq + n;
    if (seq > 2 ** 40) seq = 0;
  }
  // The run reached what it is for: every boundary size, large batches, and refusals.
  for (const n of BOUNDARIES) assert.ok((sizes.get(n) ?? 0) > 0, `no batch of ${n} (seed ${SEED})`);
  assert.ok(refused > 0 && refused < BATCHES / 10, `${refused} refused (seed ${SEED})`);
  assert.ok(withDeps > BATCHES / 2, `${withDeps} batches with dependencies (seed ${SEED})`);
  assert.ok(events > BATCHES * 20, `${events} events decoded (seed ${SEED})`);
  assert.ok(longLived.keyOff.length >= MAX_EVENTS && longLived.argOff.length > MAX_EVENTS);
});
