/**
 * Differential test on random IR: random expressions over every node kind
 * (checked arithmetic at the i64 edges, map reads with wild keys, sums,
 * short-circuit logic, post-state reads of maps assigned under dynamic
 * keys, `prev`, node quantifiers) in random actions and invariants,
 * compiled and compared with the interpreter step by step.
 */
import assert from "node:assert/strict";
import type { IExpr, IParam, Program } from "../../ir.ts";
import * as interp from "../../interpreter/interpreter.ts";
import { type AssignSpec, E, program, type VarSpec, Verdicts } from "../../ir_builder.ts";
import { callAction, instantiateProgram, prng, readState } from "./fixtures.ts";

const MIN = -(1n << 63n);
const MAX = (1n << 63n) - 1n;
const EDGES = [
  0n,
  1n,
  -1n,
  2n,
  3n,
  -7n,
  7n,
  MIN,
  MAX,
  MIN + 1n,
  MAX - 1n,
  1n << 32n,
  (1n << 31n) - 1n,
  -(1n << 32n),
];
const R = { line: 1, column: 1, endLine: 1, endColumn: 2 };

/** Slots: a 0, b 1 (int), r 2 (-5..300), f 3 (bool), m 4..7 (map[2..5, int]), n 8..9 (map[bool, 0..9]). */
const VARS: VarSpec[] = [
  { name: "a", type: { kind: "int" } },
  { name: "b", type: { kind: "int" } },
  { name: "r", type: { kind: "range", lo: -5n, hi: 300n } },
  { name: "f", type: { kind: "bool" } },
  {
    name: "m",
    type: { kind: "map", key: { kind: "range", lo: 2n, hi: 5n }, value: { kind: "int" } },
  },
  {
    name: "n",
    type: { kind: "map", key: { kind: "bool" }, value: { kind: "range", lo: 0n, hi: 9n } },
  },
];

type Scope = "action" | "invariant" | "global";

class Gen {
  readonly rand: () => number;
  readonly v = new Verdicts();
  constructor(seed: number) {
    this.rand = prng(seed);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rand() * xs.length)]!;
  }
  code(): number {
    return this.v.code("arith_error", "random", "site");
  }
  /** An int expression; `locals` are bound quantifier frame indexes, `nodes` node-bound ones. */
  int(depth: number, scope: Scope, locals: number[], nodes: number[]): IExpr {
    const r = this.rand();
    if (depth <= 0 || r < 0.25) return this.leaf(scope, locals, nodes);
    if (r < 0.55) {
      const op = this.pick(["+", "-", "*", "/", "%"] as const);
      return E.arith(
        op,
        this.int(depth - 1, scope, locals, nodes),
        this.int(depth - 1, scope, locals, nodes),
        this.code(),
      );
    }
    if (r < 0.62) return E.neg(this.int(depth - 1, scope, locals, nodes), this.code());
    if (r < 0.72) {
      return {
        kind: "if",
        cond: this.bool(depth - 1, scope, locals, nodes),
        then: this.int(depth - 1, scope, locals, nodes),
        else: this.int(depth - 1, scope, locals, nodes),
      };
    }
    if (r < 0.8) return this.mapRead(depth, scope, locals, nodes);
    const local = locals.length + nodes.length;
    if (scope === "global" && r < 0.9) {
      return E.nodeQuant(
        this.pick(["sum", "count"] as const),
        local,
        this.int(depth - 1, scope, locals, [...nodes, local]),
        this.code(),
      );
    }
    const q = this.pick(["sum", "count"] as const);
    const lo = BigInt(Math.floor(this.rand() * 5) - 2);
    const hi = lo + BigInt(Math.floor(this.rand() * 4) - 1);
    return E.quant(
      q,
      local,
      lo,
      hi,
      q === "count"
        ? this.bool(depth - 1, scope, [...locals, local], nodes)
        : this.int(depth - 1, scope, [...locals, local], nodes),
      q === "sum" ? this.code() : -1,
    );
  }
  leaf(scope: Scope, locals: number[], nodes: number[]): IExpr {
    const r = this.rand();
    if (r < 0.1) return E.c(this.pick(EDGES));
    if (r < 0.3) return E.c(BigInt(Math.floor(this.rand() * 9) - 2));
    if (r < 0.4 && locals.length > 0) return E.local(this.pick(locals));
    if (scope === "global") {
      if (nodes.length > 0) return E.nodeSlot(this.pick(nodes), this.pick([0, 1, 2, 3, 4, 9]));
      return E.c(this.pick(EDGES));
    }
    if (r < 0.6 && scope === "action") return E.param(this.pick([0, 1]));
    return E.slot(this.pick([0, 1, 2, 3, 5, 8]), scope === "invariant" && this.rand() < 0.3);
  }
  mapRead(depth: number, scope: Scope, locals: number[], nodes: number[]): IExpr {
    const key = this.rand() < 0.5
      ? E.c(BigInt(Math.floor(this.rand() * 6)))
      : this.int(depth - 1, scope, locals, nodes);
    if (scope === "global") {
      if (nodes.length === 0) return E.c(1n);
      return {
        kind: "nodeMap",
        node: this.pick(nodes),
        base: 4,
        keyLo: 2n,
        size: 4,
        key,
        code: this.code(),
      };
    }
    const prev = scope === "invariant" && this.rand() < 0.3;
    return this.rand() < 0.7
      ? E.map(4, 4, key, this.code(), prev, 2n)
      : E.map(8, 2, key, this.code(), prev, 0n);
  }
  bool(depth: number, scope: Scope, locals: number[], nodes: number[]): IExpr {
    const r = this.rand();
    if (depth <= 0 || r < 0.1) {
      return this.rand() < 0.5
        ? E.c(this.rand() < 0.7 ? 1n : 0n)
        : (scope === "global" ? E.c(1n) : E.slot(3, false));
    }
    if (r < 0.5) {
      const op = this.pick(["==", "!=", "<", "<=", ">", ">="] as const);
      return E.cmp(
        op,
        this.int(depth - 1, scope, locals, nodes),
        this.int(depth - 1, scope, locals, nodes),
      );
    }
    if (r < 0.75) {
      const op = this.pick(["and", "or", "implies"] as const);
      return E.logic(
        op,
        this.bool(depth - 1, scope, locals, nodes),
        this.bool(depth - 1, scope, locals, nodes),
      );
    }
    if (r < 0.82) return E.not(this.bool(depth - 1, scope, locals, nodes));
    const local = locals.length + nodes.length;
    if (scope === "global") {
      return E.nodeQuant(
        this.pick(["forall", "exists"] as const),
        local,
        this.bool(depth - 1, scope, locals, [...nodes, local]),
      );
    }
    const lo = BigInt(Math.floor(this.rand() * 5) - 2);
    const hi = lo + BigInt(Math.floor(this.rand() * 4) - 1);
    return E.quant(
      this.pick(["forall", "exists"] as const),
      local,
      lo,
      hi,
      this.bool(depth - 1, scope, [...locals, local], nodes),
    );
  }
  assigns(): AssignSpec[] {
    const out: AssignSpec[] = [];
    const d = 3;
    if (this.rand() < 0.7) out.push({ v: 0, value: this.int(d, "action", [], []) });
    if (this.rand() < 0.4) out.push({ v: 1, value: this.int(d, "action", [], []) });
    if (this.rand() < 0.5) {
      out.push({
        v: 2,
        value: this.int(d, "action", [], []),
        rangeCode: this.v.code("range_violation", "r", "r"),
      });
    }
    if (this.rand() < 0.4) out.push({ v: 3, value: this.bool(d, "action", [], []) });
    const choice = this.rand();
    const dynamicKey = () => this.rand() < 0.5 ? E.param(1) : this.int(2, "action", [], []);
    const entry = (key: IExpr): AssignSpec => ({
      v: 4,
      key,
      keyCode: this.v.code("arith_error", "m", "key"),
      value: this.int(d, "action", [], []),
    });
    if (choice < 0.4) out.push(entry(dynamicKey()));
    else if (choice < 0.7) out.push(entry(E.c(3n)), entry(E.c(5n)));
    else if (choice < 0.85) {
      // Not produced by the checker, but both sides must agree: later writes win.
      out.push(entry(E.c(4n)), entry(dynamicKey()), entry(E.c(2n)));
    }
    if (this.rand() < 0.4) {
      const key = this.rand() < 0.5 ? E.slot(3) : E.c(1n);
      out.push({
        v: 5,
        key,
        keyCode: this.code(),
        value: this.int(2, "action", [], []),
        rangeCode: this.v.code("range_violation", "n", "n"),
      });
    }
    return out;
  }
  program(): Program {
    const params: IParam[] = [
      { name: "x", type: { kind: "int" }, code: this.v.code("bad_argument", "x", "x"), range: R },
      {
        name: "y",
        type: { kind: "range", lo: -3n, hi: 6n },
        code: this.v.code("bad_argument", "y", "y"),
        range: R,
      },
    ];
    const actions = [0, 1, 2].map((i) => {
      const requires = this.rand() < 0.5
        ? [{
          expr: E.logic("or", this.bool(2, "action", [], []), E.c(this.rand() < 0.5 ? 1n : 0n)),
          code: this.v.code("guard_failed", "g", "g"),
        }]
        : [];
      return { name: `act${i}`, params, requires, assigns: this.assigns() };
    });
    const inv = () =>
      E.logic("implies", this.bool(3, "invariant", [], []), this.bool(3, "invariant", [], []));
    const live = () => ({
      name: "L",
      when: this.bool(3, "invariant", [], []),
      eventually: this.bool(3, "invariant", [], []),
      code: this.v.code("liveness_timeout", "l", "l"),
      withinMs: 30000,
    });
    const glive = () => ({
      name: "G",
      when: this.bool(3, "global", [], []),
      eventually: this.bool(3, "global", [], []),
      code: this.v.code("liveness_timeout", "l", "l"),
      withinMs: 30000,
    });
    const invariants = [0, 1].map(() => ({
      name: "I",
      expr: inv(),
      code: this.v.code("invariant_failed", "i", "i"),
      usesPrev: true,
    }));
    const globalInvariants = [0, 1].map(() => ({
      name: "G",
      expr: E.logic("implies", this.bool(3, "global", [], []), this.bool(3, "global", [], [])),
      code: this.v.code("invariant_failed", "g", "g"),
      usesPrev: false,
    }));
    return program({
      name: "Random",
      vars: VARS,
      verdicts: this.v.entries,
      actions,
      invariants,
      liveness: [live(), live()],
      globalInvariants,
      globalLiveness: [glive()],
    });
  }
}

const INT_ARGS = [
  0,
  1,
  -1,
  7,
  -7,
  2 ** 53,
  -(2 ** 53),
  -(2 ** 63),
  2 ** 62,
  3.5,
  NaN,
  2 ** 63,
  Infinity,
];
const Y_ARGS = [-3, -1, 0, 1, 2, 3, 4, 5, 6, 7, -4, 0.5];

function runOne(seed: number, kinds: Map<string, number>): void {
  const g = new Gen(seed);
  const p = g.program();
  const init = interp.initialState(p);
  const { exports, meta } = instantiateProgram(p, true, true);
  const rand = prng(seed ^ 0x5bd1e995);
  exports.create(3);
  const states = [0, 1, 2].map(() => [...init.state]);
  for (let n = 0; n < 120; n++) {
    const inst = Math.floor(rand() * 3);
    const where = `seed ${seed} step ${n}`;
    if (rand() < 0.15) {
      const slot = Math.floor(rand() * p.slotCount);
      const value = EDGES[Math.floor(rand() * EDGES.length)]!;
      const v = p.vars.find((x) => slot >= x.base && slot < x.base + x.size)!;
      const ok = interp.inBounds(v.type.kind === "map" ? v.type.value : v.type, value);
      assert.equal(exports["write-slot"](inst, slot, value), ok ? 0 : 1, where);
      if (ok) states[inst]![slot] = value;
      continue;
    }
    const a = Math.floor(rand() * p.actions.length);
    const args = [
      rand() < 0.1 ? INT_ARGS[Math.floor(rand() * INT_ARGS.length)]! : Math.floor(rand() * 9) - 3,
      rand() < 0.1 ? Y_ARGS[Math.floor(rand() * Y_ARGS.length)]! : Math.floor(rand() * 10) - 3,
    ];
    const apply = rand() < 0.8;
    const name = apply ? meta.actions[a]!.stepExport : meta.actions[a]!.checkExport;
    const want = interp.step(p, states[inst]!, a, args);
    assert.equal(callAction(exports, name, inst, args), want.code, `${where}: ${name}(${args})`);
    if (apply) states[inst] = want.state;
    const kind = p.verdicts[want.code]!.kind;
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    assert.deepEqual(readState(exports, p.slotCount, inst), states[inst], where);
    if (n % 10 === 0) {
      for (const i of [0, 1, 2]) {
        assert.equal(exports["check-invariants"](i), interp.checkInvariants(p, states[i]!), where);
        assert.equal(exports.liveness(i) >>> 0, interp.liveness(p, states[i]!), where);
      }
      assert.equal(exports["global-check"](0, 3), interp.globalCheck(p, states), where);
      assert.equal(exports["global-liveness"](0, 3) >>> 0, interp.globalLiveness(p, states), where);
      assert.equal(exports["global-check"](1, 2), interp.globalCheck(p, states.slice(1)), where);
    }
  }
}

Deno.test("core module agrees with the interpreter on random programs over every IR node kind", () => {
  const kinds = new Map<string, number>();
  for (let seed = 1; seed <= 80; seed++) runOne(seed, kinds);
  if (Deno.env.get("VIGIL_DEBUG")) console.log(Object.fromEntries(kinds));
  for (
    const k of [
      "ok",
      "arith_error",
      "range_violation",
      "invariant_failed",
      "guard_failed",
      "bad_argument",
    ]
  ) {
    assert.ok((kinds.get(k) ?? 0) > 10, `too few '${k}' verdicts`);
  }
});
