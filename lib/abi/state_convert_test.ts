/**
 * Converting states between versions of a spec: properties over random
 * specs and random edits of them (a conversion to the same version is the
 * identity; a conversion carries every common variable's value, starts new
 * ones at their initial values, and refuses exactly the states an
 * independent oracle over decoded views cannot carry), and the reasons
 * given for each kind of change that does not convert.
 */
import assert from "node:assert/strict";
import fc from "../../tools/dev_deps/fast_check.ts";
import type { SpecMeta, TypeDesc } from "./meta.ts";
import { decodeView } from "./state_codec.ts";
import { convertState, describeType, planConversion } from "./state_convert.ts";
import { DIAL_META, LEDGER_META } from "./testdata/hand_metas.ts";

type Scalar = Exclude<TypeDesc, { kind: "map" }>;
type KeyType = Exclude<Scalar, { kind: "int" }>;

const LABELS = ["a", "b", "c", "d", "e"];
const NAMES = ["v0", "v1", "v2", "v3", "v4", "v5"];

const rangeArb = (width: number) =>
  fc.tuple(fc.integer({ min: -4, max: 4 }), fc.integer({ min: 0, max: width })).map((
    [lo, n],
  ): Scalar => ({ kind: "range", lo: String(lo), hi: String(lo + n) }));
const enumArb = fc.shuffledSubarray(LABELS, { minLength: 1 }).map((labels): Scalar => ({
  kind: "enum",
  name: "E",
  labels,
}));
const scalarArb: fc.Arbitrary<Scalar> = fc.oneof(
  fc.constant<Scalar>({ kind: "bool" }),
  fc.constant<Scalar>({ kind: "int" }),
  rangeArb(6),
  enumArb,
);
const keyArb = fc.oneof(
  fc.constant<KeyType>({ kind: "bool" }),
  rangeArb(3) as fc.Arbitrary<KeyType>,
  enumArb as fc.Arbitrary<KeyType>,
);
const typeArb: fc.Arbitrary<TypeDesc> = fc.oneof(
  { arbitrary: scalarArb, weight: 3 },
  {
    arbitrary: fc.tuple(keyArb, scalarArb).map(([key, value]): TypeDesc => ({
      kind: "map",
      key,
      value,
    })),
    weight: 1,
  },
);

/** Number of entries of a map key type. */
function keyCount(t: TypeDesc): number {
  if (t.kind === "bool") return 2;
  if (t.kind === "enum") return t.labels.length;
  if (t.kind === "range") return Number(BigInt(t.hi) - BigInt(t.lo)) + 1;
  throw new TypeError(`Not a key type: ${t.kind}`);
}

/** A value of a scalar type, from a random number in [0, 1). */
function valueOf(t: Scalar, r: number): bigint {
  switch (t.kind) {
    case "bool":
      return r < 0.5 ? 0n : 1n;
    case "enum":
      return BigInt(Math.floor(r * t.labels.length));
    case "range": {
      const lo = BigInt(t.lo);
      return lo + BigInt(Math.floor(r * (Number(BigInt(t.hi) - lo) + 1)));
    }
    case "int":
      return r < 0.1 ? -(2n ** 62n) : r > 0.9 ? 2n ** 62n : BigInt(Math.floor(r * 20) - 10);
  }
}

/** The scalar type of each slot of a meta. */
function slotTypes(meta: SpecMeta): Scalar[] {
  return meta.vars.flatMap((v) =>
    Array.from({ length: v.size }, () => (v.type.kind === "map" ? v.type.value : v.type) as Scalar)
  );
}

/** A meta for named types; initial values from `rs` (numbers in [0, 1), cycled). */
function metaOf(
  name: string,
  vars: readonly (readonly [string, TypeDesc])[],
  rs: readonly number[],
): SpecMeta {
  let base = 0;
  const metaVars = vars.map(([n, type]) => {
    const size = type.kind === "map" ? keyCount(type.key) : 1;
    const v = { name: n, type, base, size, range: DIAL_META.range };
    base += size;
    return v;
  });
  const partial = { ...DIAL_META, name, vars: metaVars };
  const initial = slotTypes(partial as SpecMeta).map((t, i) =>
    valueOf(t, rs.length === 0 ? 0 : rs[i % rs.length]!).toString()
  );
  return {
    ...partial,
    sourceHash: name.repeat(64).slice(0, 64),
    slots: initial.map((_, i) => ({ offset: 8 * i, width: 8 as const, signed: true })),
    stride: 8 * initial.length,
    initial,
  };
}

/** A random state of a meta, from numbers in [0, 1) (cycled). */
function stateOf(meta: SpecMeta, rs: readonly number[]): bigint[] {
  return slotTypes(meta).map((t, i) => valueOf(t, rs[i % rs.length]!));
}

const varsArb = fc.uniqueArray(fc.tuple(fc.constantFrom(...NAMES), typeArb), {
  selector: ([n]) => n,
  maxLength: NAMES.length,
});
const numbersArb = fc.array(fc.double({ min: 0, max: 0.999, noNaN: true }), {
  minLength: 1,
  maxLength: 40,
});

/** A type of the same kind as `t`, with other bounds, labels or keys. */
function similarArb(t: TypeDesc): fc.Arbitrary<TypeDesc> {
  if (t.kind === "range" || t.kind === "int") return fc.oneof(rangeArb(6), fc.constant(t));
  if (t.kind === "enum") return enumArb;
  if (t.kind !== "map") return fc.constant(t);
  const key = t.key.kind === "range"
    ? rangeArb(3)
    : t.key.kind === "enum"
    ? enumArb
    : fc.constant(t.key as Scalar);
  return fc.tuple(key, similarArb(t.value)).map(([k, value]): TypeDesc => ({
    kind: "map",
    key: k,
    value,
  }));
}

/**
 * A second version: each name is absent, keeps its type, takes one of
 * the same kind, or a random one; then shuffled.
 */
const editArb = (vars: readonly (readonly [string, TypeDesc])[]) =>
  fc.tuple(
    ...NAMES.map((n) => {
      const had = vars.find(([m]) => m === n);
      const choices: fc.Arbitrary<TypeDesc | null>[] = [fc.constant(null), typeArb];
      if (had !== undefined) choices.push(fc.constant(had[1]), similarArb(had[1]));
      return fc.oneof(...choices).map((t) => [n, t] as const);
    }),
  ).chain((picked) =>
    fc.shuffledSubarray(
      picked.filter((p): p is readonly [string, TypeDesc] => p[1] !== null),
      { minLength: picked.filter((p) => p[1] !== null).length },
    )
  );

// ---- the oracle: conversion over decoded views (labels and numbers, not slots) ----

const numeric = (t: Scalar) => t.kind === "int" || t.kind === "range";

/** The converted view value of a scalar, or undefined when it cannot be carried. */
function carryScalar(a: Scalar, b: Scalar, value: unknown): unknown {
  if (b.kind === "enum") {
    return a.kind === "enum" && b.labels.includes(value as string) ? value : undefined;
  }
  if (b.kind === "bool") return a.kind === "bool" ? value : undefined;
  if (!numeric(a)) return undefined;
  if (b.kind === "int") return value;
  const v = BigInt(value as number | bigint);
  return v >= BigInt(b.lo) && v <= BigInt(b.hi) ? value : undefined;
}

/** The kind of a key type for comparing maps (`int` never keys a map). */
const compatibleKinds = (a: TypeDesc, b: TypeDesc) =>
  a.kind === b.kind || (a.kind !== "map" && b.kind !== "map" && numeric(a) && numeric(b));

/** The view of `s` converted to `to` by name, or the failing variable names. */
function oracle(
  from: SpecMeta,
  to: SpecMeta,
  s: readonly bigint[],
): Record<string, unknown> | string[] {
  const old = decodeView(from, s);
  const oldInitial = decodeView(from, from.initial.map(BigInt));
  const fresh = decodeView(to, to.initial.map(BigInt));
  const out: Record<string, unknown> = {};
  const failing: string[] = [];
  const retyped: string[] = [];
  for (const v of to.vars) {
    const u = from.vars.find((x) => x.name === v.name);
    if (u === undefined) {
      out[v.name] = fresh[v.name];
      continue;
    }
    const a = u.type;
    const b = v.type;
    if (a.kind !== "map" && b.kind !== "map") {
      if (!compatibleKinds(a, b)) {
        retyped.push(v.name);
        continue;
      }
      const x = carryScalar(a, b, old[v.name]);
      if (x === undefined) failing.push(v.name);
      else out[v.name] = x;
      continue;
    }
    if (
      a.kind !== "map" || b.kind !== "map" || a.key.kind !== b.key.kind ||
      !compatibleKinds(a.value, b.value)
    ) {
      retyped.push(v.name);
      continue;
    }
    const entries = old[v.name] as Record<string, unknown>;
    const initialEntries = oldInitial[v.name] as Record<string, unknown>;
    const result: Record<string, unknown> = { ...(fresh[v.name] as Record<string, unknown>) };
    let ok = true;
    for (const [k, x] of Object.entries(entries)) {
      if (k in result) {
        const y = carryScalar(a.value as Scalar, b.value as Scalar, x);
        if (y === undefined) ok = false;
        else result[k] = y;
      } else if (x !== initialEntries[k]) ok = false;
    }
    if (ok) out[v.name] = result;
    else failing.push(v.name);
  }
  if (retyped.length > 0) return retyped;
  return failing.length > 0 ? failing : out;
}

Deno.test("Converting a state to its own version changes nothing (property)", () => {
  fc.assert(
    fc.property(varsArb, numbersArb, numbersArb, (vars, init, rs) => {
      const meta = metaOf("a", vars, init);
      const s = stateOf(meta, rs);
      const plan = planConversion(meta, meta);
      assert.deepEqual(plan.convert(s), { ok: true, slots: s });
      assert.deepEqual(plan.carried, vars.map(([n]) => n));
      assert.deepEqual([plan.added, plan.dropped, plan.retyped, plan.risks], [[], [], [], []]);
    }),
    { numRuns: 300 },
  );
});

Deno.test("Converting to another version carries common values, starts new ones at their initial values, refuses what the oracle cannot carry (property)", () => {
  let converted = 0;
  let refused = 0;
  fc.assert(
    fc.property(
      varsArb.chain((vars) => fc.tuple(fc.constant(vars), editArb(vars))),
      numbersArb,
      numbersArb,
      numbersArb,
      ([v1vars, v2vars], init1, init2, rs) => {
        const v1 = metaOf("a", v1vars, init1);
        const v2 = metaOf("b", v2vars, init2);
        const s = stateOf(v1, rs);
        const got = convertState(s, { from: v1, to: v2 });
        const expected = oracle(v1, v2, s);
        if (Array.isArray(expected)) {
          refused++;
          assert.ok(!got.ok, `expected a refusal naming one of ${expected.join(", ")}`);
          assert.ok(expected.includes(got.problem.variable), got.problem.reason);
          assert.match(got.problem.reason, new RegExp(`^Variable '${got.problem.variable}' `));
          return;
        }
        converted++;
        assert.ok(got.ok, got.ok ? "" : got.problem.reason);
        assert.deepEqual(decodeView(v2, got.slots), expected);
        // Every value fits its slot's type in the new version.
        slotTypes(v2).forEach((t, i) => {
          const x = got.slots[i]!;
          if (t.kind === "range") assert.ok(x >= BigInt(t.lo) && x <= BigInt(t.hi));
          if (t.kind === "enum") assert.ok(x >= 0n && x < BigInt(t.labels.length));
          if (t.kind === "bool") assert.ok(x === 0n || x === 1n);
        });
        // Back to the first version: the variables of both keep their values when they fit.
        const back = convertState(got.slots, { from: v2, to: v1 });
        if (back.ok) {
          const a = decodeView(v1, s);
          const b = decodeView(v1, back.slots);
          for (const [name, t] of v2vars) {
            const u = v1vars.find(([n]) => n === name);
            if (u !== undefined && JSON.stringify(u[1]) === JSON.stringify(t)) {
              assert.deepEqual(b[name], a[name], `variable '${name}' after a round trip`);
            }
          }
        }
      },
    ),
    { numRuns: 600 },
  );
  assert.ok(converted > 50 && refused > 50, `both outcomes exercised: ${converted} and ${refused}`);
});

/** Dial with `mode` given other labels. */
const dialWith = (
  labels: readonly string[],
  level: TypeDesc = DIAL_META.vars[1]!.type,
): SpecMeta => ({
  ...DIAL_META,
  sourceHash: "d".repeat(64),
  vars: [
    { ...DIAL_META.vars[0]!, type: { kind: "enum", name: "Mode", labels } },
    { ...DIAL_META.vars[1]!, type: level },
  ],
});

Deno.test("A removed enum label converts while no state holds it, and names the label when one does", () => {
  const v2 = dialWith(["high", "off"]);
  const plan = planConversion(DIAL_META, v2);
  assert.deepEqual(plan.risks, [{ variable: "mode", reason: "Variable 'mode' loses label 'low'" }]);
  assert.deepEqual(plan.convert([2n, 5n]), { ok: true, slots: [0n, 5n] }); // high moved to index 0
  assert.deepEqual(plan.convert([0n, 0n]), { ok: true, slots: [1n, 0n] });
  assert.deepEqual(plan.convert([1n, 5n]), {
    ok: false,
    problem: {
      variable: "mode",
      reason: "Variable 'mode' holds 'low', a label the new version does not have",
    },
  });
});

Deno.test("A narrowed range converts the values inside it and refuses one outside", () => {
  const plan = planConversion(
    DIAL_META,
    dialWith(["off", "low", "high"], { kind: "range", lo: "0", hi: "4" }),
  );
  assert.deepEqual(plan.risks, [{
    variable: "level",
    reason: "Variable 'level' narrows from '0..10' to '0..4'",
  }]);
  assert.deepEqual(plan.convert([1n, 4n]), { ok: true, slots: [1n, 4n] });
  assert.deepEqual(plan.convert([1n, 7n]), {
    ok: false,
    problem: {
      variable: "level",
      reason: "Variable 'level' holds 7, outside '0..4' of the new version",
    },
  });
  // Widening is no risk.
  assert.deepEqual(
    planConversion(DIAL_META, dialWith(["off", "low", "high"], { kind: "int" })).risks,
    [],
  );
});

Deno.test("A retyped variable converts no state, whatever its value", () => {
  const plan = planConversion(DIAL_META, dialWith(["off", "low", "high"], { kind: "bool" }));
  const reason = "Variable 'level' changed type from '0..10' to 'bool'";
  assert.deepEqual(plan.retyped, [{ variable: "level", reason }]);
  for (const s of [[0n, 0n], [2n, 1n]]) {
    assert.deepEqual(plan.convert(s), { ok: false, problem: { variable: "level", reason } });
  }
});

Deno.test("A map keeps its entries by key: new keys start at the initial value, a dropped key must hold its initial value", () => {
  // `spent: map[-1..1, 0..100000]` becomes `map[0..2, int]` (key -1 dropped, key 2 new).
  const spent = LEDGER_META.vars[4]!;
  const v2: SpecMeta = {
    ...LEDGER_META,
    sourceHash: "e".repeat(64),
    vars: [{
      ...spent,
      base: 0,
      type: { kind: "map", key: { kind: "range", lo: "0", hi: "2" }, value: { kind: "int" } },
    }],
    initial: ["9", "9", "9"],
  };
  const plan = planConversion(LEDGER_META, v2);
  assert.deepEqual(plan.dropped, ["balance", "delta", "byMode", "flags"]);
  assert.deepEqual(plan.risks, [{ variable: "spent", reason: "Variable 'spent' loses key '-1'" }]);
  const state = (minus: bigint) => [5n, -3n, 1n, 0n, 1n, 2n, 0n, minus, 40n, 50n];
  assert.deepEqual(plan.convert(state(0n)), { ok: true, slots: [40n, 50n, 9n] });
  assert.deepEqual(plan.convert(state(7n)), {
    ok: false,
    problem: {
      variable: "spent",
      reason: "Variable 'spent' holds 7 at key '-1', a key the new version does not have",
    },
  });
  assert.equal(describeType(v2.vars[0]!.type), "map[0..2, int]");
});
