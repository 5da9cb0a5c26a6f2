import assert from "node:assert/strict";
import { arithFailure, foldArith, foldCompare, I64_MAX, I64_MIN } from "./fold.ts";

Deno.test("foldArith truncates division toward zero and keeps the dividend's sign for %", () => {
  assert.deepEqual(foldArith("/", -7n, 2n), { value: -3n });
  assert.deepEqual(foldArith("%", -7n, 2n), { value: -1n });
  assert.deepEqual(foldArith("%", 7n, -2n), { value: 1n });
  assert.deepEqual(foldArith("%", I64_MIN, -1n), { value: 0n });
});

Deno.test("foldArith reports i64 overflow and division by zero as faults", () => {
  assert.deepEqual(foldArith("+", I64_MAX, 1n), { fault: "overflow" });
  assert.deepEqual(foldArith("-", I64_MIN, 1n), { fault: "overflow" });
  assert.deepEqual(foldArith("*", I64_MAX, 2n), { fault: "overflow" });
  assert.deepEqual(foldArith("/", I64_MIN, -1n), { fault: "overflow" });
  assert.deepEqual(foldArith("/", 1n, 0n), { fault: "division by zero" });
  assert.deepEqual(foldArith("%", 1n, 0n), { fault: "division by zero" });
  assert.deepEqual(foldArith("+", I64_MAX - 1n, 1n), { value: I64_MAX });
});

Deno.test("foldCompare yields 0 or 1 and arithFailure names what can fail", () => {
  assert.deepEqual(
    (["==", "!=", "<", "<=", ">", ">="] as const).map((op) => foldCompare(op, 1n, 2n)),
    [0n, 1n, 1n, 1n, 0n, 0n],
  );
  assert.equal(arithFailure("+"), "overflow");
  assert.equal(arithFailure("/"), "overflow or division by zero");
  assert.equal(arithFailure("%"), "division by zero");
});
