import assert from "node:assert/strict";
import fc from "fast-check";
import { Packr } from "msgpackr";
import { decodeBatch, decodeReference, encodeBatch, WireFormatError } from "./codec.ts";
import { decodeColumns, WireColumns } from "./wire_columns.ts";
import type { EventBody } from "./event.ts";

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
    // Well-formed strings are written as valid UTF-8, which the fast path always takes.
    if (strings.every((x) => x.isWellFormed())) assert.ok(decodeColumns(bytes, scratch));
  }));
});
