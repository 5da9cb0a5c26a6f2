import assert from "node:assert/strict";
import fc from "../../tools/dev_deps/fast_check.ts";
import { Packr } from "msgpackr/pack";
import { decodeBatch, decodeReference, WireFormatError } from "./decode.ts";
import { encodeBatch, writeEvent, writeHeader } from "./encode.ts";
import { WireColumns } from "./columns.ts";
import { decodeColumns } from "./batch_grammar.ts";
import { MIN_DROP_BYTES, MIN_EVENT_BYTES } from "./batch_grammar.ts";
import { type BatchHeader, type EventBody, MAX_DROP_RANGES } from "./event.ts";
import type { SeqRange } from "./seq_ranges.ts";
import { MsgpackWriter } from "./msgpack_writer.ts";

const HEADER = { spec: "ab12", specName: "Lease", node: "n1", boot: "b1", firstSeq: 10 };
const ev = (i: number, key = "lock:a"): EventBody => ({
  key,
  wall: 1_700_000_000_000 + i,
  logical: i % 3,
  action: i % 2,
  args: i % 3 === 0 ? [] : [i, 0.5],
  state: new Uint8Array([i, 2, 3, 4]),
  verdict: 0,
});

/** The outcome of a decoder: the batch, or the error's class, where and message. */
function outcome(decode: (b: Uint8Array) => unknown, bytes: Uint8Array): unknown {
  try {
    return { ok: decode(bytes) };
  } catch (e) {
    assert.ok(e instanceof WireFormatError, String(e));
    return { error: e.where, message: e.message };
  }
}

const scratch = new WireColumns();
let fast = 0;

function same(bytes: Uint8Array): void {
  if (decodeColumns(bytes, scratch)) fast++;
  assert.deepEqual(outcome(decodeBatch, bytes), outcome(decodeReference, bytes));
}

Deno.test("The fast decoder reads the writer's batches exactly as the reference decoder", () => {
  const events = Array.from({ length: 40 }, (_, i) => ev(i, i % 5 === 0 ? "clé:ü" : `k${i % 4}`));
  const bytes = encodeBatch({ ...HEADER, dropped: [[0, 3], [5, 9]] }, events);
  const cols = new WireColumns();
  assert.ok(decodeColumns(bytes, cols));
  assert.equal(cols.count, 40);
  assert.equal(cols.key(5), "clé:ü");
  assert.deepEqual(decodeBatch(bytes), decodeReference(bytes));
});

const plain = new Packr({ useRecords: false });
const anyValue = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }),
  fc.string({ unit: "binary", maxLength: 8 }),
  fc.constantFrom(null, true, false, 1, 0, -1, 2 ** 40, -(2 ** 53), 2 ** 53),
  fc.uint8Array({ maxLength: 6 }),
  fc.array(fc.integer({ min: -300, max: 70000 }), { maxLength: 3 }),
);
const FIELDS = ["v", "spec", "name", "node", "boot", "seq", "drop", "t0", "ev", "extra"];

Deno.test("The fast decoder agrees with the reference decoder on mutated batches", () => {
  const base = encodeBatch({ ...HEADER, dropped: [[1, 2]] }, [ev(1), ev(2), ev(3)]);
  fc.assert(
    fc.property(
      fc.constantFrom(...FIELDS),
      anyValue,
      fc.nat(2),
      fc.nat(7),
      (field, value, at, slot) => {
        const m = plain.unpack(base) as Record<string, unknown>;
        if (field === "ev") (m.ev as unknown[][])[at]![slot] = value;
        else m[field] = value;
        same(plain.pack(m));
        const deleted = plain.unpack(base) as Record<string, unknown>;
        delete deleted[field];
        same(plain.pack(deleted));
      },
    ),
    { numRuns: 3000 },
  );
  assert.ok(fast > 10, `the fast path took only ${fast} batches`);
});

Deno.test("The fast decoder agrees with the reference decoder on corrupted bytes", () => {
  const base = encodeBatch({ ...HEADER, dropped: [] }, [ev(1), ev(2, "é")]);
  fc.assert(
    fc.property(fc.nat(base.length - 1), fc.nat(255), fc.nat(3), (at, byte, cut) => {
      const bytes = Uint8Array.from(base, (b, i) => (i === at ? byte : b));
      same(bytes);
      same(bytes.subarray(0, bytes.length - cut));
      same(Uint8Array.from([...base, byte]));
    }),
    { numRuns: 3000 },
  );
});

Deno.test("The fast decoder declines what the writer never produces, and the reference decodes it", () => {
  const m = plain.unpack(encodeBatch({ ...HEADER, dropped: [] }, [ev(1)])) as Record<
    string,
    unknown
  >;
  const cols = new WireColumns();
  const reordered = plain.pack({ ev: m.ev, t0: m.t0, ...m });
  assert.ok(decodeColumns(reordered, cols), "key order does not matter");
  const withExtra = plain.pack({ ...m, extra: 1 });
  assert.equal(decodeColumns(withExtra, cols), false);
  assert.equal(decodeBatch(withExtra).node, "n1");
});

Deno.test("The fast decoder agrees with the reference decoder on arbitrary written events", () => {
  const body = fc.record({
    key: fc.string({ unit: "binary", maxLength: 40 }),
    wall: fc.integer({ min: -(2 ** 50), max: 2 ** 50 }),
    logical: fc.nat(),
    action: fc.nat(2 ** 32 - 1),
    args: fc.array(fc.oneof(fc.double(), fc.integer(), fc.maxSafeInteger())),
    state: fc.uint8Array({ maxLength: 300 }),
    verdict: fc.nat(2 ** 32 - 1),
  });
  const header = fc.record({
    spec: fc.string({ unit: "binary" }),
    specName: fc.string(),
    node: fc.string({ unit: "grapheme" }),
    boot: fc.string(),
    firstSeq: fc.maxSafeNat(),
  });
  fc.assert(fc.property(header, fc.array(body, { maxLength: 20 }), (h, events) => {
    const bytes = encodeBatch({ ...h, dropped: h.firstSeq > 3 ? [[1, 2]] : [] }, events);
    same(bytes);
    const strings = [h.spec, h.specName, h.node, h.boot, ...events.map((e) => e.key)];
    // Well-formed strings are written as valid UTF-8, which the fast path always takes
    // (unless the last event's number passes 2^53 - 1, which both refuse).
    const safe = events.length <= Number.MAX_SAFE_INTEGER - h.firstSeq + 1;
    if (strings.every((x) => x.isWellFormed()) && safe) assert.ok(decodeColumns(bytes, scratch));
  }));
});

/** The columns of a fast decode, as the reference decoder's batch (every field). */
function asBatch(c: WireColumns): unknown {
  const events = Array.from({ length: c.count }, (_, i) => ({
    seq: c.firstSeq + i,
    key: c.key(i),
    wall: c.wall[i],
    logical: c.logical[i],
    action: c.action[i],
    args: c.argsOf(i),
    state: c.stateOf(i),
    verdict: c.verdict[i],
  }));
  const { spec, specName, node, boot, firstSeq, dropped } = c;
  return { version: c.version, spec, specName, node, boot, firstSeq, dropped, events };
}

Deno.test("One WireColumns decodes batches of 100, 129 and 200 events in a row like the reference", () => {
  const cols = new WireColumns();
  let seq = 0;
  for (const n of [100, 129, 200, 131, 257, 130]) {
    const events = Array.from({ length: n }, (_, i) => ev(seq + i, `k${i % 7}`));
    const bytes = encodeBatch({ ...HEADER, firstSeq: seq, dropped: [] }, events);
    seq += n;
    assert.ok(decodeColumns(bytes, cols), `batch of ${n}`);
    assert.deepEqual(asBatch(cols), decodeReference(bytes), `batch of ${n}`);
    assert.deepEqual(decodeBatch(bytes), decodeReference(bytes), `decodeBatch, batch of ${n}`);
  }
});

/** The per-event columns (`argOff` has one more entry, `args` is per argument). */
function eventColumns(c: WireColumns): (Int32Array | Float64Array)[] {
  return [c.keyOff, c.keyLen, c.wall, c.logical, c.action, c.verdict, c.stateOff, c.stateLen];
}

/** Every column's capacity, in events (or arguments for `args`). */
function capacities(c: WireColumns): number[] {
  return [...eventColumns(c), c.argOff, c.args].map((a) => a.length);
}

Deno.test("WireColumns.reserve grows every column to what is asked, whatever came before", () => {
  const cols = new WireColumns();
  for (const [n, a] of [[100, 0], [129, 10], [200, 0], [70, 5000], [1025, 0], [3, 3]]) {
    cols.reserve(n!, a!);
    for (const c of eventColumns(cols)) {
      assert.ok(c.length >= n!, `a column of ${c.length} after ${n}`);
    }
    assert.ok(cols.argOff.length >= n! + 1, `argOff ${cols.argOff.length} after ${n}`);
    assert.ok(cols.args.length >= a!, `args ${cols.args.length} after ${a}`);
  }
});

Deno.test("Fresh columns hold a batch of the batcher's default size (1024 events of one argument) without growing", () => {
  const cols = new WireColumns();
  const before = capacities(cols);
  const events = Array.from({ length: 1024 }, (_, i): EventBody => ({
    key: `k${i % 64}`,
    wall: 1_700_000_000_000 + i,
    logical: 0,
    action: i % 2,
    args: [1],
    state: new Uint8Array(40),
    verdict: 0,
  }));
  const header = {
    spec: "ab",
    specName: "Lease",
    node: "n1",
    boot: "b1",
    firstSeq: 0,
    dropped: [],
  };
  assert.equal(decodeColumns(encodeBatch(header, events), cols), true);
  assert.equal(cols.count, 1024);
  assert.deepEqual(capacities(cols), before, "no column grew");
});

/** A batch of `events` whose `ev` header claims `claim` events (a lie when they differ). */
function claiming(header: BatchHeader, events: readonly EventBody[], claim: number): Uint8Array {
  const w = new MsgpackWriter();
  const t0 = events[0]?.wall ?? 0;
  writeHeader(w, header, t0, claim);
  for (const e of events) writeEvent(w, t0, e);
  return w.finish();
}

const TINY: EventBody = {
  key: "",
  wall: 0,
  logical: 0,
  action: 0,
  args: [],
  state: new Uint8Array(0),
  verdict: 0,
};

Deno.test("An event takes at least MIN_EVENT_BYTES: a batch of such events is read, one more claimed declines", () => {
  const header = { ...HEADER, dropped: [] };
  const one = encodeBatch(header, [TINY]).length - encodeBatch(header, []).length;
  assert.equal(one, MIN_EVENT_BYTES, "the writer's smallest event");
  const cols = new WireColumns();
  const before = capacities(cols);
  for (const k of [1, 15, 16, 40]) {
    const events = Array.from({ length: k }, () => TINY);
    const exact = claiming(header, events, k);
    assert.ok(decodeColumns(exact, cols), `${k} minimal events`);
    assert.equal(cols.count, k);
    const lying = claiming(header, events, k + 1);
    assert.equal(decodeColumns(lying, cols), false);
    assertRefused(lying, "$");
  }
  assert.deepEqual(capacities(cols), before, "no batch here needs more than the initial room");
});

/** Both decoders refuse `bytes` with a `WireFormatError` at `where`. */
function assertRefused(bytes: Uint8Array, where: string, message?: RegExp): void {
  for (const decode of [decodeBatch, decodeReference]) {
    assert.throws(() => decode(bytes), (e: unknown) => {
      assert.ok(e instanceof WireFormatError, String(e));
      assert.equal(e.where, where, e.message);
      if (message !== undefined) assert.match(e.message, message);
      return true;
    });
  }
}

/** Bodies whose counts or lengths claim far more than they hold. */
function lyingBodies(): Uint8Array[] {
  const header = { ...HEADER, dropped: [] };
  const out: Uint8Array[] = [];
  for (const claim of [2 ** 16 - 1, 2 ** 20, 2 ** 24, 2 ** 25, 2 ** 32 - 1]) {
    // The event array claims `claim` events.
    out.push(claiming(header, [ev(1)], claim));
    // One event whose argument array claims `claim` arguments.
    const w = new MsgpackWriter();
    writeHeader(w, header, 0, 1);
    w.array(7);
    w.string("k");
    w.int(0);
    w.int(0);
    w.int(0);
    w.array(claim);
    w.int(1);
    out.push(w.finish());
    // The dropped ranges claim `claim` ranges.
    const d = new MsgpackWriter();
    d.map(9);
    for (const k of ["v", "spec", "name", "node", "boot"]) {
      d.string(k), k === "v" ? d.int(1) : d.string("x");
    }
    d.string("seq");
    d.int(10);
    d.string("drop");
    d.array(claim);
    d.array(2);
    d.int(1);
    d.int(2);
    out.push(d.finish());
    // A map, a key string and a state bin claiming `claim` entries or bytes.
    const view = (b: number[]) => new Uint8Array(b);
    const be32 = [claim >>> 24, (claim >>> 16) & 255, (claim >>> 8) & 255, claim & 255];
    out.push(view([0xdf, ...be32, 0xa1, 0x76, 0x01]));
    const body = claiming(header, [ev(1)], 1);
    const key = body.indexOf(0xa6); // "lock:a", the first event's key
    out.push(view([...body.subarray(0, key), 0xdb, ...be32, ...body.subarray(key + 1)]));
    const bin = body.indexOf(0xc4);
    out.push(view([...body.subarray(0, bin), 0xc6, ...be32, ...body.subarray(bin + 2)]));
  }
  return out;
}

Deno.test("Lying counts cost no room: 1,000 bodies are refused by both decoders and no column grows", () => {
  const bodies = lyingBodies();
  const cols = new WireColumns();
  const before = capacities(cols);
  const largest = Math.max(...bodies.map((b) => b.length));
  assert.ok(largest < 200, `bodies of at most ${largest} bytes`);
  for (let i = 0; i < 1000; i++) {
    const bytes = bodies[i % bodies.length]!;
    assert.equal(decodeColumns(bytes, cols), false, `body ${i % bodies.length} declined`);
    for (const decode of [decodeBatch, decodeReference]) {
      assert.throws(() => decode(bytes), WireFormatError, `body ${i % bodies.length} refused`);
    }
  }
  // A body of b bytes holds fewer than b / MIN_EVENT_BYTES events: these need no more than the initial room.
  assert.ok(largest / MIN_EVENT_BYTES < before[0]!);
  assert.deepEqual(capacities(cols), before);
});

Deno.test("A dropped range takes at least MIN_DROP_BYTES, and at most MAX_DROP_RANGES are read", () => {
  const cols = new WireColumns();
  const ranges = (n: number, step = 2): SeqRange[] =>
    Array.from({ length: n }, (_, i) => [step * i, step * i]);
  const small = encodeBatch({ ...HEADER, firstSeq: 127, dropped: ranges(40) }, []);
  const none = encodeBatch({ ...HEADER, firstSeq: 127, dropped: [] }, []);
  assert.equal(
    small.length - none.length,
    40 * MIN_DROP_BYTES + 2,
    "fixint ranges, array 16 header",
  );
  assert.ok(decodeColumns(small, cols));
  assert.deepEqual(cols.dropped, ranges(40));
  const firstSeq = 2 * MAX_DROP_RANGES + 10;
  const most = encodeBatch({ ...HEADER, firstSeq, dropped: ranges(MAX_DROP_RANGES) }, [ev(1)]);
  assert.ok(decodeColumns(most, cols));
  assert.equal(cols.dropped.length, MAX_DROP_RANGES);
  assert.deepEqual(decodeBatch(most), decodeReference(most));
  const over = encodeBatch({ ...HEADER, firstSeq, dropped: ranges(MAX_DROP_RANGES + 1) }, [ev(1)]);
  assert.equal(decodeColumns(over, cols), false);
  assertRefused(over, "drop", /Too many dropped ranges: '1025', at most '1024'/);
});

Deno.test("Sequence numbers past 2^53 - 1 are refused by both decoders, naming where", () => {
  const cols = new WireColumns();
  const max = Number.MAX_SAFE_INTEGER;
  const at = (firstSeq: number, n: number, dropped: SeqRange[] = []) =>
    encodeBatch({ ...HEADER, firstSeq, dropped }, Array.from({ length: n }, (_, i) => ev(i)));
  // The last event's number is 2^53 - 1: accepted.
  for (const [seq, n] of [[max, 1], [max - 1, 2], [max - 129, 130], [max, 0]]) {
    const bytes = at(seq!, n!);
    assert.ok(decodeColumns(bytes, cols), `seq ${seq} with ${n} events`);
    assert.deepEqual(decodeBatch(bytes), decodeReference(bytes));
    assert.equal(decodeBatch(bytes).events.at(-1)?.seq ?? max, max);
  }
  // One past: refused.
  for (const [seq, n] of [[max, 2], [max - 1, 3], [max - 129, 131]]) {
    const bytes = at(seq!, n!);
    assert.equal(decodeColumns(bytes, cols), false);
    assertRefused(bytes, "seq", /passes 2\^53 - 1 \(seq '\d+', '\d+' events\)/);
  }
  const m = plain.unpack(at(10, 1, [[1, 2]])) as Record<string, unknown>;
  const big = plain.pack({ ...m, seq: 2n ** 53n });
  assert.equal(decodeColumns(big, cols), false);
  assertRefused(big, "seq", /Sequence number '9007199254740992' passes 2\^53 - 1/);
  const lastDrop = plain.pack({ ...m, drop: [[1, 2n ** 64n - 1n]] });
  assert.equal(decodeColumns(lastDrop, cols), false);
  assertRefused(lastDrop, "drop[0][1]", /Sequence number '18446744073709552000' passes 2\^53 - 1/);
});

Deno.test("One WireColumns decodes headers of 3,000 nodes, boots and specs in turn as the reference, its string table cycling", () => {
  const cols = new WireColumns();
  for (let i = 0; i < 3000; i++) {
    const header = {
      spec: `${(i % 7).toString(16).repeat(64)}`,
      specName: i % 3 === 0 ? "Lease" : `Spec${i % 11}`,
      node: i % 5 === 0 ? `nœud-${i % 13}` : `node-${i}`,
      boot: `b${i % 2}`,
      firstSeq: i,
      dropped: [],
    };
    const bytes = encodeBatch(header, [ev(i)]);
    assert.ok(decodeColumns(bytes, cols), `batch ${i}`);
    assert.deepEqual(
      [cols.spec, cols.specName, cols.node, cols.boot],
      [header.spec, header.specName, header.node, header.boot],
      `batch ${i}`,
    );
  }
  // Header strings seen again come back as the strings kept; the table stays bounded.
  assert.ok(cols.strings.size > 0 && cols.strings.size <= 1024);
});
