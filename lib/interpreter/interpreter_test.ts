import assert from "node:assert/strict";
import {
  argumentInType,
  check,
  checkInvariants,
  globalCheck,
  globalLiveness,
  initialState,
  liveness,
  step,
} from "./interpreter.ts";
import { I64_MAX, I64_MIN } from "./eval.ts";
import { E, program } from "../ir_builder.ts";
import type { IExpr, Type } from "../ir.ts";

const INT: Type & { kind: "int" } = { kind: "int" };
const BOOL: Type & { kind: "bool" } = { kind: "bool" };
const range = (lo: number, hi: number) => ({
  kind: "range" as const,
  lo: BigInt(lo),
  hi: BigInt(hi),
});
const MODE = { kind: "enum" as const, name: "Mode", labels: ["free", "held"] };

/** A program with `x: int`, `y: int` and one action `op` assigning `x := value`. */
function unary(value: IExpr) {
  return program({
    vars: [{ name: "x", type: INT }, { name: "y", type: INT }],
    actions: [{ name: "op", assigns: [{ v: 0, value }] }],
  });
}

/** Evaluates `value` as the right-hand side of `x :=` from state `[x, y]`. */
function evalRhs(value: IExpr, x: bigint, y = 0n) {
  return step(unary(value), [x, y], 0, []);
}

Deno.test("step assigns simultaneously when x := y and y := x", () => {
  const p = program({
    vars: [{ name: "x", type: INT, init: 1 }, { name: "y", type: INT, init: 2 }],
    actions: [{ name: "swap", assigns: [{ v: 0, value: E.slot(1) }, { v: 1, value: E.slot(0) }] }],
  });
  const s0 = initialState(p);
  assert.deepEqual(s0, { code: 0, state: [1n, 2n] });
  assert.deepEqual(step(p, s0.state, 0, []), { code: 0, state: [2n, 1n] });
});

Deno.test("step reports guard_failed with the first failing require's code", () => {
  const p = program({
    vars: [{ name: "x", type: INT }],
    actions: [{
      name: "a",
      requires: [
        { expr: E.cmp(">=", E.slot(0), E.c(0)), code: 5 },
        { expr: E.cmp("==", E.slot(0), E.c(1)), code: 6 },
        { expr: E.cmp("==", E.slot(0), E.c(2)), code: 7 },
      ],
      assigns: [{ v: 0, value: E.c(9) }],
    }],
  });
  const pre = [0n];
  const r = step(p, pre, 0, []);
  assert.deepEqual(r, { code: 6, state: [0n] });
  assert.notEqual(r.state, pre);
  assert.equal(check(p, pre, 0, []), 6);
  assert.deepEqual(step(p, [1n], 0, []), { code: 7, state: [1n] });
});

Deno.test("check returns the step's verdict and never changes the state", () => {
  const p = program({
    vars: [{ name: "x", type: INT }],
    actions: [{ name: "inc", assigns: [{ v: 0, value: E.arith("+", E.slot(0), E.c(1), 3) }] }],
  });
  const pre = [4n];
  assert.equal(check(p, pre, 0, []), 0);
  assert.deepEqual(pre, [4n]);
  assert.deepEqual(step(p, pre, 0, []), { code: 0, state: [5n] });
  assert.deepEqual(pre, [4n]);
});

Deno.test("bad arguments are non-integral, NaN, infinite or outside the parameter type", () => {
  const p = program({
    vars: [{ name: "x", type: INT }],
    actions: [{
      name: "set",
      params: [{ type: range(0, 3), code: 10 }, { type: INT, code: 11 }],
      assigns: [{ v: 0, value: E.arith("+", E.param(0), E.param(1), 12) }],
    }],
  });
  const s = [0n];
  assert.deepEqual(step(p, s, 0, [2, 5]), { code: 0, state: [7n] });
  for (const bad of [2.5, NaN, Infinity, -Infinity, 4, -1]) {
    assert.equal(step(p, s, 0, [bad, 0]).code, 10, `argument ${bad}`);
  }
  // The first bad argument in parameter order wins.
  assert.equal(step(p, s, 0, [7, NaN]).code, 10);
  assert.equal(step(p, s, 0, [1, 0.5]).code, 11);
  assert.equal(step(p, s, 0, [1, 2 ** 63]).code, 11);
  assert.equal(step(p, s, 0, [0, -(2 ** 63)]).code, 0);
  assert.equal(step(p, s, 0, [0, -0]).code, 0);
});

Deno.test("argumentInType accepts exactly the values of bool, enum, range and int", () => {
  assert.equal(argumentInType(BOOL, 0), true);
  assert.equal(argumentInType(BOOL, 1), true);
  assert.equal(argumentInType(BOOL, 2), false);
  assert.equal(argumentInType(MODE, 1), true);
  assert.equal(argumentInType(MODE, 2), false);
  assert.equal(argumentInType(range(-2, 2), -2), true);
  assert.equal(argumentInType(range(-2, 2), -3), false);
  assert.equal(argumentInType(INT, 2 ** 53), true);
  assert.equal(argumentInType(INT, 2 ** 63 - 1024), true);
  assert.equal(argumentInType(INT, 2 ** 63), false);
  assert.equal(argumentInType(INT, -(2 ** 63) - 2048), false);
});

Deno.test("bad_argument comes before guard_failed", () => {
  const p = program({
    vars: [{ name: "x", type: INT }],
    actions: [{
      name: "a",
      params: [{ type: BOOL, code: 4 }],
      requires: [{ expr: E.c(0), code: 5 }],
    }],
  });
  assert.equal(step(p, [0n], 0, [3]).code, 4);
  assert.equal(step(p, [0n], 0, [1]).code, 5);
});

Deno.test("step throws RangeError for a wrong action number, arity or state size", () => {
  const p = program({ vars: [{ name: "x", type: INT }], actions: [{ name: "a" }] });
  assert.throws(() => step(p, [0n], 1, []), RangeError);
  assert.throws(() => step(p, [0n], 0, [1]), RangeError);
  assert.throws(() => step(p, [0n, 1n], 0, []), RangeError);
});

Deno.test("addition overflows exactly past i64 max", () => {
  const inc = E.arith("+", E.slot(0), E.c(1), 3);
  assert.deepEqual(evalRhs(inc, I64_MAX - 1n), { code: 0, state: [I64_MAX, 0n] });
  assert.deepEqual(evalRhs(inc, I64_MAX), { code: 3, state: [I64_MAX, 0n] });
  const dec = E.arith("-", E.slot(0), E.c(1), 4);
  assert.equal(evalRhs(dec, I64_MIN + 1n).state[0], I64_MIN);
  assert.equal(evalRhs(dec, I64_MIN).code, 4);
  const mul = E.arith("*", E.slot(0), E.c(2), 5);
  assert.equal(evalRhs(mul, 1n << 61n).code, 0);
  assert.equal(evalRhs(mul, 1n << 62n).code, 5);
  assert.equal(evalRhs(mul, -(1n << 62n)).state[0], I64_MIN);
});

Deno.test("negation of i64 min is an arith_error", () => {
  const neg = E.neg(E.slot(0), 6);
  assert.equal(evalRhs(neg, I64_MAX).state[0], -I64_MAX);
  assert.equal(evalRhs(neg, I64_MIN).code, 6);
});

Deno.test("division truncates toward zero and remainder takes the dividend's sign", () => {
  const div = E.arith("/", E.slot(0), E.slot(1), 7);
  const rem = E.arith("%", E.slot(0), E.slot(1), 8);
  const cases: [bigint, bigint, bigint, bigint][] = [
    [7n, 2n, 3n, 1n],
    [-7n, 2n, -3n, -1n],
    [7n, -2n, -3n, 1n],
    [-7n, -2n, 3n, -1n],
    [0n, -5n, 0n, 0n],
  ];
  for (const [a, b, q, r] of cases) {
    assert.equal(evalRhs(div, a, b).state[0], q, `${a} / ${b}`);
    assert.equal(evalRhs(rem, a, b).state[0], r, `${a} % ${b}`);
  }
});

Deno.test("division and remainder by zero and MIN / -1 are errors, MIN % -1 is 0", () => {
  const div = E.arith("/", E.slot(0), E.slot(1), 7);
  const rem = E.arith("%", E.slot(0), E.slot(1), 8);
  assert.equal(evalRhs(div, 5n, 0n).code, 7);
  assert.equal(evalRhs(rem, 5n, 0n).code, 8);
  assert.equal(evalRhs(div, I64_MIN, -1n).code, 7);
  assert.deepEqual(evalRhs(rem, I64_MIN, -1n), { code: 0, state: [0n, -1n] });
  assert.equal(evalRhs(div, I64_MIN, 1n).state[0], I64_MIN);
});

Deno.test("and, or, implies and if short-circuit so a guarded division never errors", () => {
  // x != 0 implies 10 / x > 1
  const guarded = E.logic(
    "implies",
    E.cmp("!=", E.slot(0), E.c(0)),
    E.cmp(">", E.arith("/", E.c(10), E.slot(0), 9), E.c(1)),
  );
  const p = program({
    vars: [{ name: "x", type: INT }],
    actions: [{ name: "a", requires: [{ expr: guarded, code: 5 }] }],
  });
  assert.equal(step(p, [0n], 0, []).code, 0);
  assert.equal(step(p, [5n], 0, []).code, 0);
  assert.equal(step(p, [20n], 0, []).code, 5);
  const boom = E.cmp("==", E.arith("/", E.c(1), E.c(0), 9), E.c(0));
  assert.equal(evalRhs(E.logic("and", E.c(0), boom), 0n).state[0], 0n);
  assert.equal(evalRhs(E.logic("or", E.c(1), boom), 0n).state[0], 1n);
  assert.equal(evalRhs(E.if(E.c(1), E.c(4), boom), 0n).state[0], 4n);
  assert.equal(evalRhs(E.if(E.c(0), boom, E.c(5)), 0n).state[0], 5n);
  assert.equal(evalRhs(E.logic("and", E.c(1), boom), 0n).code, 9);
  assert.equal(evalRhs(E.logic("or", E.c(0), boom), 0n).code, 9);
});

Deno.test("range checks follow all right-hand sides, in assignment order", () => {
  const p = program({
    vars: [{ name: "a", type: range(0, 3) }, { name: "b", type: range(0, 3) }, {
      name: "c",
      type: INT,
    }],
    actions: [{
      name: "a",
      params: [{ type: INT, code: 2 }],
      assigns: [
        { v: 0, value: E.arith("+", E.slot(0), E.param(0), 10), rangeCode: 20 },
        { v: 1, value: E.arith("-", E.slot(1), E.param(0), 11), rangeCode: 21 },
        { v: 2, value: E.arith("/", E.c(1), E.slot(2), 12) },
      ],
    }],
  });
  assert.deepEqual(step(p, [1n, 2n, 1n], 0, [1]), { code: 0, state: [2n, 1n, 1n] });
  assert.equal(step(p, [3n, 3n, 1n], 0, [1]).code, 20);
  assert.equal(step(p, [0n, 0n, 1n], 0, [1]).code, 21);
  assert.equal(step(p, [3n, 0n, 1n], 0, [1]).code, 20);
  // An arithmetic error in a later right-hand side beats an earlier range violation.
  assert.equal(step(p, [3n, 0n, 0n], 0, [1]).code, 12);
});

Deno.test("invariants run in declaration order on the post-state with prev reading the pre-state", () => {
  const p = program({
    vars: [{ name: "x", type: INT, init: 5 }],
    actions: [
      { name: "inc", assigns: [{ v: 0, value: E.arith("+", E.slot(0), E.c(1), 2) }] },
      { name: "dec", assigns: [{ v: 0, value: E.arith("-", E.slot(0), E.c(1), 3) }] },
      { name: "jump", assigns: [{ v: 0, value: E.c(100) }] },
    ],
    invariants: [
      { expr: E.cmp(">=", E.slot(0), E.slot(0, true)), code: 4 },
      { expr: E.cmp("<", E.slot(0), E.c(50)), code: 5 },
    ],
  });
  const s0 = initialState(p);
  assert.deepEqual(s0, { code: 0, state: [5n] });
  assert.deepEqual(step(p, s0.state, 0, []), { code: 0, state: [6n] });
  assert.deepEqual(step(p, s0.state, 1, []), { code: 4, state: [5n] });
  assert.deepEqual(step(p, s0.state, 2, []), { code: 5, state: [5n] });
  assert.equal(checkInvariants(p, [7n]), 0);
  assert.equal(checkInvariants(p, [70n]), 5);
});

Deno.test("initialState applies init to the defaults, then ranges, then invariants", () => {
  const vars = [{ name: "x", type: range(1, 3) }, { name: "y", type: INT, init: 2 }];
  const ok = program({
    vars,
    init: [{ v: 0, value: E.slot(1), rangeCode: 7 }, { v: 1, value: E.c(9) }],
  });
  assert.deepEqual(initialState(ok), { code: 0, state: [2n, 9n] });
  const outOfRange = program({ vars, init: [{ v: 0, value: E.c(4), rangeCode: 7 }] });
  assert.deepEqual(initialState(outOfRange), { code: 7, state: [0n, 2n] });
  const failing = program({
    vars,
    init: [{ v: 0, value: E.c(1), rangeCode: 7 }],
    invariants: [{ expr: E.cmp("==", E.slot(1), E.slot(1, true)), code: 8 }, {
      expr: E.cmp(">", E.slot(1), E.slot(0)),
      code: 9,
    }],
  });
  assert.deepEqual(initialState(failing), { code: 0, state: [1n, 2n] });
  const failing2 = program({
    vars,
    init: [{ v: 0, value: E.c(3), rangeCode: 7 }],
    invariants: [{ expr: E.cmp(">", E.slot(1), E.slot(0)), code: 9 }],
  });
  assert.deepEqual(initialState(failing2), { code: 9, state: [0n, 2n] });
});

Deno.test("map entries read and write base + (key - keyLo) and a key out of domain is arith_error", () => {
  const key = range(1, 3);
  const p = program({
    vars: [{ name: "m", type: { kind: "map", key, value: range(0, 9) }, init: 4 }],
    actions: [{
      name: "bump",
      params: [{ type: INT, code: 2 }],
      assigns: [{
        v: 0,
        key: E.param(0),
        keyCode: 3,
        value: E.arith("+", E.map(0, 3, E.param(0), 4, false, 1n), E.c(1), 5),
        rangeCode: 6,
      }],
    }],
    invariants: [{ expr: E.cmp("<", E.map(0, 3, E.c(2), 8, false, 1n), E.c(6)), code: 7 }],
  });
  const s0 = initialState(p).state;
  assert.deepEqual(s0, [4n, 4n, 4n]);
  assert.deepEqual(step(p, s0, 0, [3]), { code: 0, state: [4n, 4n, 5n] });
  assert.deepEqual(step(p, s0, 0, [1]), { code: 0, state: [5n, 4n, 4n] });
  // The key is checked before the value is evaluated.
  assert.equal(step(p, s0, 0, [0]).code, 3);
  assert.equal(step(p, s0, 0, [4]).code, 3);
  assert.equal(step(p, [4n, 4n, 9n], 0, [3]).code, 6);
  assert.equal(step(p, [4n, 5n, 4n], 0, [2]).code, 7);
  const reader = unary(E.map(0, 2, E.slot(1), 9, false, 1n));
  assert.equal(step(reader, [10n, 1n], 0, []).state[0], 10n);
  assert.equal(step(reader, [10n, 2n], 0, []).state[0], 2n);
  assert.equal(step(reader, [10n, 3n], 0, []).code, 9);
});

Deno.test("forall, exists, count and sum range over lo..hi", () => {
  const even = E.cmp("==", E.arith("%", E.local(0), E.c(2), 9), E.c(0));
  assert.equal(
    evalRhs(E.quant("forall", 0, 0, 4, E.cmp("<", E.local(0), E.c(5))), 0n).state[0],
    1n,
  );
  assert.equal(evalRhs(E.quant("forall", 0, 0, 4, even), 0n).state[0], 0n);
  assert.equal(evalRhs(E.quant("exists", 0, 1, 1, even), 0n).state[0], 0n);
  assert.equal(evalRhs(E.quant("exists", 0, 0, 4, even), 0n).state[0], 1n);
  assert.equal(evalRhs(E.quant("count", 0, 0, 4, even), 0n).state[0], 3n);
  assert.equal(evalRhs(E.quant("sum", 0, -2, 4, E.local(0), 9), 0n).state[0], 7n);
  // nested: count of pairs i < j over 0..3
  const pairs = E.quant(
    "sum",
    0,
    0,
    3,
    E.quant("count", 1, 0, 3, E.cmp("<", E.local(0), E.local(1))),
    9,
  );
  assert.equal(evalRhs(pairs, 0n).state[0], 6n);
  // nested forall/exists: every i in 0..3 has some j in 0..3 with i + j == 3
  const witness = E.quant(
    "forall",
    0,
    0,
    3,
    E.quant("exists", 1, 0, 3, E.cmp("==", E.arith("+", E.local(0), E.local(1), 9), E.c(3))),
  );
  assert.equal(evalRhs(witness, 0n).state[0], 1n);
});

Deno.test("forall and exists stop early while count and sum evaluate every element", () => {
  // 10 / (i - 3) traps at i == 3.
  const trap = E.cmp("!=", E.arith("/", E.c(10), E.arith("-", E.local(0), E.c(3), 8), 9), E.c(0));
  const forall = E.quant("forall", 0, 0, 5, E.logic("and", E.cmp("!=", E.local(0), E.c(2)), trap));
  assert.deepEqual(evalRhs(forall, 7n), { code: 0, state: [0n, 0n] });
  const exists = E.quant(
    "exists",
    0,
    0,
    5,
    E.logic("or", E.cmp("==", E.local(0), E.c(2)), E.not(trap)),
  );
  assert.deepEqual(evalRhs(exists, 7n), { code: 0, state: [1n, 0n] });
  const count = E.quant("count", 0, 0, 5, E.logic("or", E.cmp("==", E.local(0), E.c(2)), trap));
  assert.equal(evalRhs(count, 7n).code, 9);
});

Deno.test("sum reports its own code when a partial sum overflows", () => {
  const big = E.quant("sum", 0, 0, 1, E.slot(1), 11);
  assert.equal(evalRhs(big, 0n, I64_MAX / 2n).state[0], I64_MAX - 1n);
  assert.equal(evalRhs(big, 0n, I64_MAX / 2n + 1n).code, 11);
  // MAX then 1 then -1: the partial sum overflows even though the total fits.
  const body = E.if(
    E.cmp("==", E.local(0), E.c(0)),
    E.c(I64_MAX),
    E.if(E.cmp("==", E.local(0), E.c(1)), E.c(1), E.c(-1)),
  );
  assert.equal(evalRhs(E.quant("sum", 0, 0, 2, body, 11), 0n).code, 11);
});

Deno.test("global invariants range over positions of the given states and compare nodes by position", () => {
  // forall a, b in nodes: a.mode == held and b.mode == held implies a == b
  const held = (n: number) => E.cmp("==", E.nodeSlot(n, 0), E.c(1));
  const one = E.nodeQuant(
    "forall",
    0,
    E.nodeQuant(
      "forall",
      1,
      E.logic("implies", E.logic("and", held(0), held(1)), E.cmp("==", E.local(0), E.local(1))),
    ),
  );
  const countHeld = E.cmp("<=", E.nodeQuant("count", 0, held(0)), E.c(1));
  const tokens = E.cmp("<", E.nodeQuant("sum", 0, E.nodeSlot(0, 1), 12), E.c(10));
  const p = program({
    vars: [{ name: "mode", type: MODE }, { name: "token", type: INT }],
    globalInvariants: [{ expr: one, code: 10 }, { expr: countHeld, code: 11 }, {
      expr: tokens,
      code: 13,
    }],
  });
  assert.equal(globalCheck(p, []), 0);
  assert.equal(globalCheck(p, [[1n, 0n]]), 0);
  assert.equal(globalCheck(p, [[0n, 1n], [1n, 2n], [0n, 3n]]), 0);
  assert.equal(globalCheck(p, [[1n, 1n], [0n, 2n], [1n, 3n]]), 10);
  assert.equal(globalCheck(p, [[0n, 5n], [0n, 5n]]), 13);
  assert.equal(globalCheck(p, [[0n, I64_MAX], [0n, 1n]]), 12);
});

Deno.test("liveness sets bit 2i for when_i and bit 2i+1 for eventually_i", () => {
  const p = program({
    vars: [{ name: "mode", type: MODE }, { name: "x", type: INT }],
    liveness: [
      { when: E.cmp("==", E.slot(0), E.c(1)), eventually: E.cmp("==", E.slot(0), E.c(0)) },
      {
        when: E.cmp(">", E.slot(1), E.c(0)),
        eventually: E.cmp("==", E.arith("/", E.c(6), E.slot(1), 9), E.c(3)),
      },
    ],
    globalLiveness: [{
      when: E.nodeQuant("exists", 0, E.cmp("==", E.nodeSlot(0, 0), E.c(1))),
      eventually: E.nodeQuant("forall", 0, E.cmp("==", E.nodeSlot(0, 0), E.c(0))),
    }],
  });
  assert.equal(liveness(p, [1n, 0n]), 0b0001);
  assert.equal(liveness(p, [0n, 2n]), 0b1110);
  assert.equal(liveness(p, [0n, 5n]), 0b0110);
  // 6 / 0 in eventually_1 counts as not holding.
  assert.equal(liveness(p, [0n, 0n]), 0b0010);
  assert.equal(globalLiveness(p, [[0n, 0n], [1n, 0n]]), 0b01);
  assert.equal(globalLiveness(p, [[0n, 0n], [0n, 0n]]), 0b10);
  assert.equal(globalLiveness(p, []), 0b10);
});

Deno.test("liveness bit 31 yields an unsigned mask", () => {
  const items = Array.from({ length: 16 }, () => ({ when: E.c(1), eventually: E.c(1) }));
  const p = program({ vars: [{ name: "x", type: INT }], liveness: items });
  assert.equal(liveness(p, [0n]), 2 ** 32 - 1);
});
