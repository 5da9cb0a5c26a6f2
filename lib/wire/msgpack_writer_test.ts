import assert from "node:assert/strict";
import fc from "../../tools/dev_deps/fast_check.ts";
import { Packr } from "msgpackr/pack";
import { MsgpackWriter } from "./msgpack_writer.ts";

const reader = new Packr({ useRecords: false, int64AsType: "number" });

type Value = number | string | Uint8Array | Value[];

function write(w: MsgpackWriter, v: Value): void {
  if (typeof v === "number") w.number(v);
  else if (typeof v === "string") w.string(v);
  else if (v instanceof Uint8Array) w.bin(v);
  else {
    w.array(v.length);
    for (const x of v) write(w, x);
  }
}

function roundTrip(v: Value, capacity = 8): unknown {
  const w = new MsgpackWriter(capacity);
  w.reset();
  write(w, v);
  const out = reader.unpack(w.finish());
  return normalize(out);
}

function normalize(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalize);
  if (v instanceof Uint8Array) return new Uint8Array(v);
  return v;
}

Deno.test("MsgpackWriter writes integers at every family boundary", () => {
  const edges = [
    0,
    127,
    128,
    255,
    256,
    65535,
    65536,
    2 ** 32 - 1,
    2 ** 32,
    2 ** 53 - 1,
    -1,
    -32,
    -33,
    -128,
    -129,
  ];
  const more = [
    -32768,
    -32769,
    -(2 ** 31),
    -(2 ** 31) - 1,
    -(2 ** 53) + 1,
    0.5,
    -0,
    1e300,
    Infinity,
    NaN,
  ];
  for (const x of [...edges, ...more]) assert.ok(Object.is(roundTrip(x), x), String(x));
});

Deno.test("MsgpackWriter writes strings of every length class and script", () => {
  for (const n of [0, 1, 31, 32, 255, 256, 21845, 21846, 65535, 65536, 70000]) {
    for (const ch of ["a", "é", "ключ", "😀"]) {
      const s = ch.repeat(Math.ceil(n / ch.length));
      assert.equal(roundTrip(s), s, `${n} x ${ch}`);
    }
  }
});

Deno.test("MsgpackWriter round-trips nested arrays, bins and numbers", () => {
  const leaf = fc.oneof(
    fc.double(),
    fc.integer(),
    fc.maxSafeInteger(),
    fc.string({ unit: "grapheme", maxLength: 300 }),
    fc.uint8Array({ maxLength: 300 }),
  );
  const value = fc.letrec((tie) => ({
    v: fc.oneof({ depthSize: "small" }, leaf, fc.array(tie("v"), { maxLength: 20 })),
  })).v as fc.Arbitrary<Value>;
  fc.assert(fc.property(value, (v) => {
    assert.deepEqual(roundTrip(v), v);
  }));
});
