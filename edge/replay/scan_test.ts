import assert from "node:assert/strict";
import fc from "../../tools/dev_deps/fast_check.ts";
import { scanFields } from "./scan.ts";

Deno.test("scanFields reads only the wanted top-level fields", () => {
  const line = '{"ts":1700000000123,"msg":"a {weird} [line]","ctx":{"lock":"nested"},' +
    '"lock":"l1","ok":true,"n":null,"args":{"c":2,"who":"x"},"list":[1,{"a":2}],"neg":-1.5e3}';
  const got = scanFields(line, ["ts", "lock", "ok", "n", "args", "list", "neg", "absent"]);
  assert.deepEqual(got, {
    ts: 1700000000123,
    lock: "l1",
    ok: true,
    n: null,
    args: { c: 2, who: "x" },
    list: [1, { a: 2 }],
    neg: -1500,
  });
});

Deno.test("scanFields defers to JSON.parse (null) on escapes and malformed lines", () => {
  for (
    const line of [
      '{"a":"x\\"y"}',
      '{"a":1',
      '{"a":1}x',
      '{"a" 1}',
      "[1,2]",
      '{"a":01x}',
      '{"a":tru}',
      '{"a":{"b":1}',
      "",
    ]
  ) {
    assert.equal(scanFields(line, ["a"]), null, line);
  }
});

Deno.test("scanFields agrees with JSON.parse on every field it returns", () => {
  const value = fc.oneof(
    fc.string(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.dictionary(fc.string({ maxLength: 4 }), fc.oneof(fc.string(), fc.integer())),
    fc.array(fc.integer(), { maxLength: 3 }),
  );
  fc.assert(
    fc.property(fc.dictionary(fc.string({ maxLength: 6 }), value), (obj) => {
      const line = JSON.stringify(obj);
      const keys = Object.keys(obj).filter((_, i) => i % 2 === 0).concat(["zz"]);
      const got = scanFields(line, keys);
      if (got === null) return;
      const parsed = JSON.parse(line) as Record<string, unknown>;
      for (const k of keys) {
        if (Object.hasOwn(parsed, k)) assert.deepEqual(got[k], parsed[k]);
        else assert.equal(Object.hasOwn(got, k), false);
      }
    }),
    { numRuns: 500 },
  );
});

Deno.test("scanFields refuses numbers JSON refuses", () => {
  for (const n of ["01", "-01", "1.", "+1", "0x1", "1e", "--1"]) {
    assert.equal(scanFields(`{"a":${n}}`, ["a"]), null, n);
  }
  assert.deepEqual(scanFields('{"a":0,"b":-0.5}', ["a", "b"]), { a: 0, b: -0.5 });
});
