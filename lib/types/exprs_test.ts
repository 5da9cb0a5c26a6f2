import assert from "node:assert/strict";
import type { IExpr, Program } from "../ir.ts";
import { program } from "../frontend_fixture.ts";
import { E } from "../ir_builder.ts";

/** The IR of `invariant I <expr>` in a spec with a few declarations. */
function invariant(expr: string, extra = ""): { expr: IExpr; p: Program } {
  const p = program(
    `spec T\nconst Max = 3\ntype Slot = 0..Max\ntype Mode = enum { free, held }\n` +
      `state x: int = 0\nstate y: int = 1\nstate mode: Mode = free\n` +
      `state m: map[Slot, int] = 0\n${extra}invariant I ${expr}\n`,
  );
  const inv = p.invariants.at(-1);
  assert.ok(inv !== undefined);
  return { expr: inv.expr, p };
}

const { slot, c } = E;

Deno.test("constant subexpressions fold: literals, consts, labels, arithmetic, logic, if", () => {
  assert.deepEqual(invariant("x == Max * 2 + 1").expr, {
    kind: "cmp",
    op: "==",
    left: slot(0),
    right: c(7n),
  });
  assert.deepEqual(invariant("mode == held").expr, {
    kind: "cmp",
    op: "==",
    left: slot(2),
    right: c(1n),
  });
  assert.deepEqual(invariant("true or x == 1").expr, c(1n));
  assert.deepEqual(invariant("false implies x == 1").expr, c(1n));
  assert.deepEqual(invariant("true and x == 1").expr, {
    kind: "cmp",
    op: "==",
    left: slot(0),
    right: c(1n),
  });
  assert.deepEqual(invariant("x == (if Max > 2 then -1 else 1)").expr.kind, "cmp");
  const { expr } = invariant("x == (if Max > 2 then -1 else 1)");
  assert.ok(expr.kind === "cmp");
  assert.deepEqual(expr.right, c(-1n));
  assert.deepEqual(invariant("x == -9 / 2 and y == -9 % 2").expr, {
    kind: "logic",
    op: "and",
    left: { kind: "cmp", op: "==", left: slot(0), right: c(-4n) },
    right: { kind: "cmp", op: "==", left: slot(1), right: c(-1n) },
  });
});

Deno.test("arithmetic sites get arith_error codes with their text, outer node first", () => {
  const { expr, p } = invariant("(x + y) * x / y > -x");
  const details = p.verdicts.slice(3).map((v) => `${v.code} ${v.detail}`);
  assert.deepEqual(details, [
    "3 (x + y) * x / y: overflow or division by zero",
    "4 (x + y) * x: overflow",
    "5 (x + y): overflow",
    "6 -x: overflow",
  ]);
  assert.ok(expr.kind === "cmp" && expr.left.kind === "arith" && expr.right.kind === "neg");
  assert.equal(expr.left.code, 3);
  assert.equal(expr.right.code, 6);
  assert.deepEqual(
    invariant("x % y == 0").p.verdicts.at(-1)?.detail,
    "x % y: division by zero",
  );
});

Deno.test("a failing constant subexpression stays for run time with its own code", () => {
  const { expr, p } = invariant("x == 1 / 0");
  assert.ok(expr.kind === "cmp" && expr.right.kind === "arith");
  assert.deepEqual(expr.right.left, c(1n));
  assert.equal(p.verdicts[expr.right.code]?.detail, "1 / 0: overflow or division by zero");
});

Deno.test("quantifiers use increasing frame indexes when nested, reused by siblings", () => {
  const { expr, p } = invariant(
    "(forall i: Slot: exists j: Slot: m[i] == m[j]) and (forall k: Mode: k == free or k == held)",
  );
  assert.equal(p.invariants[0]!.locals, 2);
  assert.ok(expr.kind === "logic");
  const outer = expr.left;
  assert.ok(outer.kind === "quant" && outer.body.kind === "quant");
  assert.deepEqual([outer.quant, outer.local, outer.lo, outer.hi, outer.code], [
    "forall",
    0,
    0n,
    3n,
    -1,
  ]);
  assert.deepEqual([outer.body.quant, outer.body.local], ["exists", 1]);
  const sibling = expr.right;
  assert.ok(sibling.kind === "quant");
  assert.deepEqual([sibling.local, sibling.lo, sibling.hi], [0, 0n, 1n]);
});

Deno.test("multi-binder quantifiers nest; count of pairs sums counts; sum gets one code", () => {
  const { expr, p } = invariant("count(i, j: Slot: i < j) + sum(i, j: bool: m[0]) >= 0");
  assert.ok(expr.kind === "cmp" && expr.left.kind === "arith");
  const count = expr.left.left;
  assert.ok(count.kind === "quant" && count.body.kind === "quant");
  assert.deepEqual([count.quant, count.local, count.body.quant, count.body.local], [
    "sum",
    0,
    "count",
    1,
  ]);
  assert.equal(p.verdicts[count.code]?.detail, "count(i, j: Slot: i < j): overflow");
  assert.equal(count.body.code, -1);
  const sum = expr.left.right;
  assert.ok(sum.kind === "quant" && sum.body.kind === "quant");
  assert.deepEqual([sum.quant, sum.lo, sum.hi, sum.body.quant], ["sum", 0n, 1n, "sum"]);
  assert.equal(sum.code, sum.body.code);
  assert.equal(p.verdicts[sum.code]?.kind, "arith_error");
});

Deno.test("map reads carry base, key range and prev; keys out of the type are arith_error", () => {
  const { expr, p } = invariant("m[Max] >= prev(m[x])", "");
  assert.ok(expr.kind === "cmp");
  assert.deepEqual(expr.left, {
    kind: "map",
    base: 3,
    keyLo: 0n,
    size: 4,
    key: c(3n),
    prev: false,
    code: 3,
  });
  assert.deepEqual(expr.right, {
    kind: "map",
    base: 3,
    keyLo: 0n,
    size: 4,
    key: slot(0, true),
    prev: true,
    code: 4,
  });
  assert.equal(p.verdicts[4]?.detail, "m[x]: key out of 'Slot'");
  assert.equal(p.invariants[0]!.usesPrev, true);
});

Deno.test("ranges with non-zero low bounds shift map keys and quantifier domains", () => {
  const p = program(
    "spec R\ntype Day = 1..7\nstate limit: map[Day, 0..100] = 5\nstate d: Day = 1\n" +
      "action set(day: Day, v: int)\n  limit[day] := v\n" +
      "invariant Cap forall k: Day: limit[k] <= 100\n",
  );
  assert.equal(p.slotCount, 8);
  assert.deepEqual(p.defaults, [5n, 5n, 5n, 5n, 5n, 5n, 5n, 1n]);
  const a = p.actions[0]!.assigns[0]!;
  assert.deepEqual(a.bounds, { lo: 0n, hi: 100n });
  assert.deepEqual(
    [p.verdicts[a.rangeCode]?.kind, p.verdicts[a.rangeCode]?.detail],
    ["range_violation", "limit[day]"],
  );
  assert.equal(p.verdicts[a.keyCode]?.detail, "limit[day]: key out of 'Day'");
  const q = p.invariants[0]!.expr;
  assert.ok(q.kind === "quant" && q.body.kind === "cmp" && q.body.left.kind === "map");
  assert.deepEqual([q.lo, q.hi, q.body.left.keyLo], [1n, 7n, 1n]);
  assert.deepEqual(p.actions[0]!.params.map((x) => [x.name, x.type.kind]), [["day", "range"], [
    "v",
    "int",
  ]]);
});

Deno.test("a map may be assigned several times with distinct constant keys", () => {
  const p = program(
    "spec D\ntype K = enum { a, b, c }\nstate m: map[K, bool]\n" +
      "init\n  m[a] := true\n  m[b] := false\n  m[c] := true\n" +
      "action flip\n  m[a] := not m[a]\n  m[c] := m[b]\n",
  );
  assert.deepEqual(p.init.assigns.map((x) => x.key), [c(0n), c(1n), c(2n)]);
  assert.equal(p.actions[0]!.assigns.length, 2);
});

Deno.test("init may read variables that have defaults", () => {
  const p = program("spec I\nstate a: int = 4\nstate b: int\ninit\n  b := a * 2\n");
  const b = p.init.assigns[0]!;
  assert.equal(b.slot, 1);
  assert.equal(p.verdicts[2]?.item, "init");
  assert.equal(p.verdicts[2]?.detail, "a * 2: overflow");
});

Deno.test("type aliases keep the underlying type; int and bool aliases work", () => {
  const p = program(
    "spec A\ntype Client = 0..2\ntype Who = Client\ntype Count = int\ntype Flag = bool\n" +
      "state w: Who = 2\nstate n: Count = 0\nstate f: Flag = true\n",
  );
  assert.deepEqual(p.vars.map((v) => v.type), [
    { kind: "range", lo: 0n, hi: 2n, name: "Client" },
    { kind: "int" },
    { kind: "bool" },
  ]);
  assert.deepEqual(p.defaults, [2n, 0n, 1n]);
});

Deno.test("global items read node maps through nodeMap and count nodes", () => {
  const p = program(
    "spec G\ntype K = 0..1\nstate m: map[K, int] = 0\n" +
      "global invariant Few count(n in nodes: n.m[1] > 0) <= 1\n",
  );
  const e = p.globalInvariants[0]!.expr;
  assert.ok(e.kind === "cmp" && e.left.kind === "nodeQuant" && e.left.body.kind === "cmp");
  assert.deepEqual(e.left.body.left, {
    kind: "nodeMap",
    node: 0,
    base: 0,
    keyLo: 0n,
    size: 2,
    key: c(1n),
    code: 3,
  });
});
