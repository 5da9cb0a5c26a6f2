/**
 * Exhaustive edge cases of checked arithmetic: every operator on every pair
 * of edge values, with both operands dynamic and with a constant operand on
 * either side (the generator specialises constants), against the interpreter.
 */
import assert from "node:assert/strict";
import type { IExpr } from "../../ir.ts";
import * as interp from "../../interpreter/interpreter.ts";
import { type ActionSpec, E, program, Verdicts } from "../../ir_builder.ts";
import { callAction, instantiateProgram } from "./fixtures.ts";

const MIN = -(1n << 63n);
const MAX = (1n << 63n) - 1n;
const EDGES = [
  0n,
  1n,
  -1n,
  2n,
  -2n,
  3n,
  7n,
  -7n,
  MIN,
  MAX,
  MIN + 1n,
  MAX - 1n,
  1n << 32n,
  -(1n << 32n),
  (1n << 31n) - 1n,
  -(1n << 31n),
  3037000499n,
  3037000500n,
  -3037000500n,
  MIN / 2n,
  MAX / 2n + 1n,
];
const OPS = ["+", "-", "*", "/", "%"] as const;

Deno.test("checked arithmetic matches the interpreter on every pair of edge values", () => {
  const v = new Verdicts();
  const actions: ActionSpec[] = [];
  const a = E.slot(0), b = E.slot(1);
  const add = (name: string, value: IExpr) => actions.push({ name, assigns: [{ v: 2, value }] });
  for (const op of OPS) {
    add(`dyn${op}`, E.arith(op, a, b, v.code("arith_error", op, "dyn")));
    for (const c of EDGES) {
      add(`r${op}${c}`, E.arith(op, a, E.c(c), v.code("arith_error", op, "right")));
      add(`l${op}${c}`, E.arith(op, E.c(c), b, v.code("arith_error", op, "left")));
    }
  }
  add("neg", E.neg(a, v.code("arith_error", "neg", "neg")));
  const p = program({
    name: "Arith",
    vars: [
      { name: "a", type: { kind: "int" } },
      { name: "b", type: { kind: "int" } },
      { name: "r", type: { kind: "int" } },
    ],
    verdicts: v.entries,
    actions,
  });
  const { exports, meta } = instantiateProgram(p);
  exports.create(1);
  let failures = 0;
  for (const x of EDGES) {
    for (const y of EDGES) {
      assert.equal(exports["write-slot"](0, 0, x), 0);
      assert.equal(exports["write-slot"](0, 1, y), 0);
      exports["write-slot"](0, 2, 0n);
      p.actions.forEach((act, i) => {
        const want = interp.check(p, [x, y, 0n], i, []);
        const got = callAction(exports, meta.actions[i]!.stepExport, 0, []);
        assert.equal(got, want, `${act.name} with a=${x} b=${y}`);
        if (want === 0) {
          const r = interp.step(p, [x, y, 0n], i, []).state[2];
          assert.equal(exports["read-slot"](0, 2), r, `${act.name} with a=${x} b=${y}`);
        } else failures++;
        exports["write-slot"](0, 2, 0n);
      });
    }
  }
  assert.ok(failures > 100, "edge values must produce arithmetic errors");
});

Deno.test("sum reports overflow of a partial sum and count never fails", () => {
  const v = new Verdicts();
  const sumCode = v.code("arith_error", "sum", "sum");
  // r := sum(i: 0..3: a * 0 + (if i == 1 then b else a))
  const body: IExpr = {
    kind: "if",
    cond: E.cmp("==", E.local(0), E.c(1)),
    then: E.slot(1),
    else: E.slot(0),
  };
  const p = program({
    name: "Sum",
    vars: [
      { name: "a", type: { kind: "int" } },
      { name: "b", type: { kind: "int" } },
      { name: "r", type: { kind: "int" } },
    ],
    verdicts: v.entries,
    actions: [
      { name: "sum", assigns: [{ v: 2, value: E.quant("sum", 0, 0n, 3n, body, sumCode) }] },
      {
        name: "count",
        assigns: [{ v: 2, value: E.quant("count", 0, -5n, 5n, E.cmp(">", E.local(0), E.slot(0))) }],
      },
    ],
  });
  const { exports, meta } = instantiateProgram(p);
  exports.create(1);
  for (
    const [x, y] of [[1n, 2n], [MAX / 3n, MAX / 3n], [MAX / 2n, -MAX], [MAX, MIN], [MIN, -1n], [
      3n,
      -3n,
    ]]
  ) {
    exports["write-slot"](0, 0, x!);
    exports["write-slot"](0, 1, y!);
    for (const i of [0, 1]) {
      const want = interp.step(p, [x!, y!, 0n], i, []);
      assert.equal(callAction(exports, meta.actions[i]!.stepExport, 0, []), want.code, `${x} ${y}`);
      assert.equal(
        exports["read-slot"](0, 2),
        want.code === 0 ? want.state[2] : exports["read-slot"](0, 2),
      );
    }
  }
});
