import assert from "node:assert/strict";
import fc from "../../tools/dev_deps/fast_check.ts";
import { Packr } from "msgpackr/pack";
import { decodeReference, decodeToColumns, WireFormatError } from "./decode.ts";
import { encodeBatch } from "./encode.ts";
import { WireColumns } from "./columns.ts";
import { decodeColumns } from "./batch_grammar.ts";
import type { EventBody } from "./event.ts";

const HEADER = { spec: "ab12", specName: "Lease", node: "n1", boot: "b1", firstSeq: 10 };
const ev = (i: number): EventBody => ({
  key: i % 2 === 0 ? "lock:a" : "clé:ü",
  wall: 1_700_000_000_000 + i,
  logical: i % 3,
  action: i % 2,
  args: [i, 0.5, -0],
  state: new Uint8Array([i, 2, 3, 4]),
  verdict: i % 4,
});

/** Asserts the fast path declines `bytes` and `decodeToColumns` still yields the reference's batch. */
function assertFallbackExact(bytes: Uint8Array, cols: WireColumns): void {
  assert.equal(decodeColumns(bytes, new WireColumns()), false, "the fast path declines it");
  decodeToColumns(bytes, cols);
  assert.deepEqual(cols.toBatch(), decodeReference(bytes));
}

const plain = new Packr({ useRecords: false });
const float32 = new Packr({ useRecords: false, useFloat32: 1 });

Deno.test("decodeToColumns reads the writer's batches in place, with the reference decoder's values", () => {
  const bytes = encodeBatch({ ...HEADER, dropped: [[0, 3]] }, [ev(1), ev(2), ev(3)]);
  const cols = new WireColumns();
  decodeToColumns(bytes, cols);
  assert.equal(cols.bytes, bytes, "the columns point into the input");
  assert.deepEqual(cols.toBatch(), decodeReference(bytes));
});

Deno.test("decodeToColumns hands the engine a plain Uint8Array over the same memory when given a Buffer", async () => {
  const { Buffer } = await import("node:buffer");
  const bytes = encodeBatch({ ...HEADER, dropped: [] }, [ev(1), ev(2)]);
  // As the NATS client hands over a message read whole from one socket chunk: a Buffer inside a larger one.
  const chunk = Buffer.alloc(bytes.length + 16);
  chunk.set(bytes, 8);
  const message = chunk.subarray(8, 8 + bytes.length);
  assert.notEqual(Object.getPrototypeOf(message), Uint8Array.prototype);
  const cols = new WireColumns();
  decodeToColumns(message, cols);
  assert.equal(Object.getPrototypeOf(cols.bytes), Uint8Array.prototype, "a plain Uint8Array");
  assert.equal(cols.bytes.buffer, chunk.buffer, "no copy: the same memory");
  assert.equal(cols.bytes.byteOffset, message.byteOffset);
  assert.equal(cols.bytes.length, bytes.length);
  assert.deepEqual(cols.toBatch(), decodeReference(bytes));
});

Deno.test("decodeToColumns falls back for batches of another msgpack library and gives the reference's values", () => {
  const m = plain.unpack(encodeBatch({ ...HEADER, dropped: [[2, 4]] }, [ev(1), ev(2)])) as Record<
    string,
    unknown
  >;
  const cols = new WireColumns();
  // An unknown key (readers ignore it).
  assertFallbackExact(plain.pack({ ...m, extra: [1, 2] }), cols);
  // Float 32 arguments (0.5 is exact in float 32).
  assertFallbackExact(float32.pack({ ...m, extra: 0 }), cols);
  assert.equal(cols.argsOf(0)[1], 0.5);
  // Every integer as a 64-bit int (msgpackr packs a bigint so), a float 64 1.0 as the version.
  const wide = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(wide) : Number.isInteger(v) ? BigInt(v as number) : v;
  const events = (m.ev as unknown[][]).map((e) => e.map((x, j) => (j === 4 ? x : wide(x))));
  const bytes = plain.pack({
    ...m,
    v: 1.5,
    seq: wide(m.seq),
    t0: wide(m.t0),
    drop: wide(m.drop),
    ev: events,
  });
  const v = bytes.indexOf(0xcb); // v is the first key, 1.5 its float 64
  assert.equal(new DataView(bytes.buffer, bytes.byteOffset).getFloat64(v + 1), 1.5);
  new DataView(bytes.buffer, bytes.byteOffset).setFloat64(v + 1, 1);
  assert.ok(bytes.includes(0xcf) || bytes.includes(0xd3), "64-bit integers are written");
  assert.ok(
    decodeColumns(bytes, new WireColumns()),
    "the fast path reads wider families below 2^53",
  );
  decodeToColumns(bytes, cols);
  assert.deepEqual(cols.toBatch(), decodeReference(bytes));
  // The same with an unknown key: the fallback.
  const m2 = plain.unpack(bytes) as Record<string, unknown>;
  assertFallbackExact(plain.pack({ ...m2, extra: "x" }), cols);
  assert.equal(cols.count, 2);
});

Deno.test("decodeToColumns keeps wall times exact when t0 plus a delta passes 2^53", () => {
  const m = plain.unpack(encodeBatch({ ...HEADER, dropped: [] }, [ev(1), ev(2)])) as Record<
    string,
    unknown
  >;
  const big = 2 ** 53 - 1;
  const events = m.ev as unknown[][];
  events[0]![1] = big;
  events[1]![1] = 3;
  const cols = new WireColumns();
  assertFallbackExact(plain.pack({ ...m, t0: big, extra: true }), cols);
  assert.equal(cols.wall[0], big + big);
  assert.equal(cols.wall[1], big + 3);
});

Deno.test("decodeToColumns refuses what the reference decoder refuses, with its error and where", () => {
  const m = plain.unpack(encodeBatch({ ...HEADER, dropped: [] }, [ev(1)])) as Record<
    string,
    unknown
  >;
  const cases: Uint8Array[] = [
    new Uint8Array([0xc1]),
    new Uint8Array(0),
    plain.pack({ ...m, v: 3 }),
    plain.pack({ ...m, seq: -1 }),
    plain.pack({ ...m, ev: [["k", 0, 0, 0, ["x"], new Uint8Array(0), 0]] }),
    plain.pack({ ...m, drop: [[5, 20]] }),
    plain.pack({ ...m, node: null }),
  ];
  const cols = new WireColumns();
  for (const bytes of cases) {
    const reference = (() => {
      try {
        decodeReference(bytes);
      } catch (e) {
        return e;
      }
      assert.fail("the reference decoder accepts a refused case");
    })() as WireFormatError;
    assert.throws(
      () => decodeToColumns(bytes, cols),
      (e) =>
        e instanceof WireFormatError && e.where === reference.where &&
        e.message === reference.message,
    );
  }
});

Deno.test("decodeToColumns agrees with the reference decoder on batches of mutated fields", () => {
  const base = plain.unpack(
    encodeBatch({ ...HEADER, dropped: [[1, 2]] }, [ev(1), ev(2)]),
  ) as Record<
    string,
    unknown
  >;
  const value = fc.oneof(
    fc.integer(),
    fc.double(),
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }),
    fc.string({ maxLength: 6 }),
    fc.constantFrom(null, true, 1, 0, 2 ** 53, 1.0),
    fc.uint8Array({ maxLength: 4 }),
  );
  const cols = new WireColumns();
  let accepted = 0;
  fc.assert(
    fc.property(fc.nat(1), fc.nat(6), value, fc.boolean(), (at, slot, v, f32) => {
      const m = structuredClone(base);
      (m.ev as unknown[][])[at]![slot] = v;
      const bytes = (f32 ? float32 : plain).pack({ ...m, extra: 0 });
      let reference: unknown;
      try {
        reference = decodeReference(bytes);
      } catch (e) {
        assert.ok(e instanceof WireFormatError);
        assert.throws(() => decodeToColumns(bytes, cols), { message: e.message });
        return;
      }
      decodeToColumns(bytes, cols);
      assert.deepEqual(cols.toBatch(), reference);
      accepted++;
    }),
    { numRuns: 1000 },
  );
  assert.ok(accepted > 50, `only ${accepted} mutated batches were valid`);
});
