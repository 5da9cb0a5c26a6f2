import assert from "node:assert/strict";
import { analyze } from "../frontend.ts";
import {
  argTuples,
  parseIntRange,
  TooManyArgumentsError,
  UnboundedParameterError,
} from "./domains.ts";

function action(source: string) {
  const { program, diagnostics } = analyze(source);
  assert.deepEqual(diagnostics.map((d) => d.message), []);
  return program!.actions[0]!;
}

Deno.test("argTuples enumerates enums, bools and ranges with the first parameter slowest", () => {
  const a = action(
    "spec S type C = enum { r, g } state x: bool = false action set(c: C, b: bool, n: -1..0) x := b",
  );
  const t = argTuples(a);
  assert.equal(t.count, 8);
  const rows = Array.from({ length: 8 }, (_, i) => [...t.values.subarray(i * 3, i * 3 + 3)]);
  assert.deepEqual(rows[0], [0, 0, -1]);
  assert.deepEqual(rows[1], [0, 0, 0]);
  assert.deepEqual(rows[2], [0, 1, -1]);
  assert.deepEqual(rows[7], [1, 1, 0]);
});

Deno.test("argTuples needs an int range for int parameters", () => {
  const a = action("spec S state x: int = 0 action put(v: int) x := v");
  assert.throws(() => argTuples(a), UnboundedParameterError);
  assert.deepEqual([...argTuples(a, { lo: -2n, hi: 1n }).values], [-2, -1, 0, 1]);
});

Deno.test("parseIntRange accepts negative bounds and refuses reversed ones", () => {
  assert.deepEqual(parseIntRange("-2..5"), { lo: -2n, hi: 5n });
  assert.throws(() => parseIntRange("5..1"), RangeError);
  assert.throws(() => parseIntRange("1-5"), RangeError);
  assert.throws(() => parseIntRange("0..9007199254740992"), RangeError);
});

Deno.test("argTuples refuses more tuples than its limit, naming the action", () => {
  const a = action("spec S state x: bool = false action set(n: 0..999, m: 0..999) x := true");
  assert.equal(argTuples(a, undefined, 1e6).count, 1e6);
  assert.throws(() => argTuples(a, undefined, 1e5), (e) => {
    assert.ok(e instanceof TooManyArgumentsError);
    assert.equal(e.action, "set");
    assert.equal(e.tuples, 1e6);
    return true;
  });
});
