/**
 * Carrying an instance's state from one version of a spec to another, by
 * variable name, from the compiled metadata alone (`SpecMeta`: variables,
 * their types, slots and initial values). The collector converts the
 * states of nodes still running an older version to the newest layout
 * during a rolling upgrade; a guard store can convert stored states the
 * same way; `vigil diff` can read the plan to say what changed.
 *
 * The rules, per variable of the target version:
 * - **added** (no variable of that name in the source): its declared
 *   initial value (the target's `initial` slots);
 * - **dropped** (only in the source): removed;
 * - **carried** (in both): its value, when the target's type can hold it:
 *   - `bool` to `bool`; an enum to an enum, label by label (labels may be
 *     added, reordered or removed: a state holding a removed label does not
 *     convert); `int` and ranges to `int` and ranges (a value outside the
 *     target's range does not convert);
 *   - a map to a map whose key type is of the same kind (bool, enum by
 *     label, range by value) and whose value type can hold the value, entry
 *     by key: a key only the target has starts at its initial value; a key
 *     only the source has is dropped when it holds its initial value, and
 *     otherwise the state does not convert;
 *   - any other change (bool to a range, a scalar to a map, an enum to a
 *     range, a map's key kind) is a **retyped** variable: no state
 *     converts.
 *
 * Converting is a pure function of the plan and the slots
 * ({@link planConversion}, {@link convertState}): it never guesses. A
 * state that cannot be carried gives a {@link ConversionProblem} naming the
 * variable and the reason, for the caller to report.
 *
 * @module
 */
import type { SpecMeta, TypeDesc } from "./meta.ts";
import { readBlock } from "./state_codec.ts";

/**
 * Why a state does not convert: the variable, and the reason in words.
 *
 * @example The problem of a state holding a removed label
 * ```ts
 * import assert from "node:assert/strict";
 * import { type ConversionProblem, planConversion } from "./state_convert.ts";
 * import { DIAL_META } from "./testdata/hand_metas.ts";
 * // Version 2 of the dial: the label `low` removed from `mode`, `level` dropped.
 * const v2 = {
 *   ...DIAL_META,
 *   sourceHash: "2".repeat(64),
 *   slots: [{ offset: 0, width: 1, signed: false }],
 *   vars: [{ ...DIAL_META.vars[0]!, type: { kind: "enum", name: "Mode", labels: ["off", "high"] } }],
 *   initial: ["0"],
 * } as const;
 * const result = planConversion(DIAL_META, v2).convert([1n, 0n]); // mode = low
 * const problem: ConversionProblem | null = result.ok ? null : result.problem;
 * assert.equal(problem?.variable, "mode");
 * ```
 */
export interface ConversionProblem {
  /** The variable's name. */
  readonly variable: string;
  /** E.g. `Variable 'mode' holds 'paused', a label the new version does not have`. */
  readonly reason: string;
}

/**
 * The outcome of converting one state.
 *
 * @example One state converts, another does not
 * ```ts
 * import assert from "node:assert/strict";
 * import { type ConvertResult, planConversion } from "./state_convert.ts";
 * import { DIAL_META } from "./testdata/hand_metas.ts";
 * // Version 2 of the dial: the label `low` removed from `mode`, `level` dropped.
 * const v2 = {
 *   ...DIAL_META,
 *   sourceHash: "2".repeat(64),
 *   slots: [{ offset: 0, width: 1, signed: false }],
 *   vars: [{ ...DIAL_META.vars[0]!, type: { kind: "enum", name: "Mode", labels: ["off", "high"] } }],
 *   initial: ["0"],
 * } as const;
 * const plan = planConversion(DIAL_META, v2);
 * const high: ConvertResult = plan.convert([2n, 5n]);
 * assert.deepEqual(high, { ok: true, slots: [1n] }); // high is label 1 in version 2
 * assert.equal(plan.convert([1n, 5n]).ok, false); // low is gone
 * ```
 */
export type ConvertResult =
  | { readonly ok: true; readonly slots: bigint[] }
  | { readonly ok: false; readonly problem: ConversionProblem };

/**
 * How the states of one version map onto another's layout, computed once per pair.
 *
 * @example What a change carries, adds and drops
 * ```ts
 * import assert from "node:assert/strict";
 * import { planConversion, type StateConversion } from "./state_convert.ts";
 * import { DIAL_META } from "./testdata/hand_metas.ts";
 * // Version 2 of the dial: the label `low` removed from `mode`, `level` dropped.
 * const v2 = {
 *   ...DIAL_META,
 *   sourceHash: "2".repeat(64),
 *   slots: [{ offset: 0, width: 1, signed: false }],
 *   vars: [{ ...DIAL_META.vars[0]!, type: { kind: "enum", name: "Mode", labels: ["off", "high"] } }],
 *   initial: ["0"],
 * } as const;
 * const plan: StateConversion = planConversion(DIAL_META, v2);
 * assert.deepEqual([plan.carried, plan.added, plan.dropped], [["mode"], [], ["level"]]);
 * ```
 */
export interface StateConversion {
  /** The source version's metadata. */
  readonly from: SpecMeta;
  /** The target version's metadata. */
  readonly to: SpecMeta;
  /** Variables of both versions, carried by name (target order). */
  readonly carried: readonly string[];
  /** Variables only the target has: they start at their initial values (target order). */
  readonly added: readonly string[];
  /** Variables only the source has: removed (source order). */
  readonly dropped: readonly string[];
  /** Retyped variables: with any of them, no state converts. */
  readonly retyped: readonly ConversionProblem[];
  /**
   * Changes that convert only while the values allow: a removed enum
   * label, a narrowed range, a removed map key, `int` to a range.
   */
  readonly risks: readonly ConversionProblem[];
  /** Converts the slots of one state of `from` to the slots of `to`. */
  convert(slots: readonly bigint[]): ConvertResult;
}

type Scalar = Exclude<TypeDesc, { kind: "map" }>;
type Var = SpecMeta["vars"][number];

/**
 * A type in the words of the spec language, for messages.
 *
 * @example Describe types
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeType } from "./state_convert.ts";
 * assert.equal(describeType({ kind: "range", lo: "0", hi: "3" }), "0..3");
 * assert.equal(
 *   describeType({ kind: "map", key: { kind: "bool" }, value: { kind: "int" } }),
 *   "map[bool, int]",
 * );
 * assert.equal(describeType({ kind: "enum", name: "Mode", labels: ["free", "held"] }), "enum { free, held }");
 * ```
 */
export function describeType(t: TypeDesc): string {
  switch (t.kind) {
    case "bool":
    case "int":
      return t.kind;
    case "range":
      return `${t.lo}..${t.hi}`;
    case "enum":
      return `enum { ${t.labels.join(", ")} }`;
    case "map":
      return `map[${describeType(t.key)}, ${describeType(t.value)}]`;
  }
}

/** One scalar value's conversion: returns the target value, or a reason (given where it is). */
type ScalarStep = (v: bigint, at: string) => bigint | string;

/** Bounds of a range, `null` for `int` (any 64-bit value). */
function boundsOf(t: Scalar): readonly [bigint, bigint] | null {
  return t.kind === "range" ? [BigInt(t.lo), BigInt(t.hi)] : null;
}

/** `holds 5` or `holds 'paused'`, with the map key (`at`) when there is one. */
function holds(name: string, value: { readonly shown: string; readonly at: string }): string {
  const at = value.at === "" ? "" : ` at key '${value.at}'`;
  return `Variable '${name}' holds ${value.shown}${at}`;
}

/**
 * The conversion of scalar values of type `types.a` to type `types.b` for
 * variable `name`, and the risk it carries; `null` when the kinds differ
 * (retyped).
 */
function scalarStep(
  name: string,
  types: { readonly a: Scalar; readonly b: Scalar },
): { readonly step: ScalarStep; readonly risk: string | null } | null {
  const { a, b } = types;
  if (a.kind === "bool" && b.kind === "bool") return { step: (v) => v, risk: null };
  if (a.kind === "enum" && b.kind === "enum") {
    const to = a.labels.map((l) => b.labels.indexOf(l));
    const gone = a.labels.filter((_, i) => to[i]! < 0);
    return {
      step: (v, at) => {
        const i = Number(v);
        const label = a.labels[i];
        if (label === undefined) {
          return `${holds(name, { shown: String(v), at })}, not a label of its type`;
        }
        const j = to[i]!;
        return j >= 0
          ? BigInt(j)
          : `${holds(name, { shown: `'${label}'`, at })}, a label the new version does not have`;
      },
      risk: gone.length === 0
        ? null
        : `Variable '${name}' loses label${gone.length === 1 ? "" : "s"} ${
          gone.map((l) => `'${l}'`).join(", ")
        }`,
    };
  }
  const numeric = (t: Scalar) => t.kind === "int" || t.kind === "range";
  if (!numeric(a) || !numeric(b)) return null;
  const from = boundsOf(a);
  const to = boundsOf(b);
  if (to === null) return { step: (v) => v, risk: null };
  const [lo, hi] = to;
  const narrowed = from === null || from[0] < lo || from[1] > hi;
  return {
    step: (v, at) =>
      v >= lo && v <= hi
        ? v
        : `${holds(name, { shown: String(v), at })}, outside '${
          describeType(b)
        }' of the new version`,
    risk: narrowed
      ? `Variable '${name}' narrows from '${describeType(a)}' to '${describeType(b)}'`
      : null,
  };
}

/** The label of map key index `k` (as `state_codec.ts` shows it). */
function keyLabel(t: Scalar, k: number): string {
  if (t.kind === "bool") return k === 0 ? "false" : "true";
  if (t.kind === "enum") return t.labels[k] ?? String(k);
  if (t.kind === "range") return String(BigInt(t.lo) + BigInt(k));
  return String(k);
}

/** A map's key type and its number of entries. */
interface MapKeys {
  readonly type: Scalar;
  readonly size: number;
}

/** For each source key index, the target key index or -1; `null` when the key kinds differ. */
function keyMap(source: MapKeys, target: MapKeys): number[] | null {
  const [a, b, sizeA, sizeB] = [source.type, target.type, source.size, target.size];
  if (a.kind !== b.kind) return null;
  const out: number[] = [];
  for (let k = 0; k < sizeA; k++) {
    if (a.kind === "bool") out.push(k);
    else if (a.kind === "enum") out.push((b as typeof a).labels.indexOf(a.labels[k]!));
    else if (a.kind === "range") {
      const j = BigInt(a.lo) + BigInt(k) - BigInt((b as typeof a).lo);
      out.push(j >= 0n && j < BigInt(sizeB) ? Number(j) : -1);
    } else return null;
  }
  return out;
}

/** How one target slot gets its value. */
type SlotRule =
  | { readonly kind: "initial"; readonly value: bigint }
  | {
    readonly kind: "carry";
    readonly from: number;
    readonly step: ScalarStep;
    readonly at: string;
  };

/** A source map entry that the target drops: fine only while it holds its initial value. */
interface DroppedEntry {
  readonly from: number;
  readonly initial: bigint;
  readonly variable: string;
  readonly at: string;
}

/** Target slot values of variable `v` from its initial values. */
function initialRules(to: SpecMeta, v: Var): SlotRule[] {
  const out: SlotRule[] = [];
  for (let k = 0; k < v.size; k++) {
    out.push({ kind: "initial", value: BigInt(to.initial[v.base + k] ?? "0") });
  }
  return out;
}

/**
 * Plans the conversion of states of `from` to the layout of `to` (usually
 * two versions of one spec; names are not compared).
 *
 * @example Plan a change and convert a state
 * ```ts
 * import assert from "node:assert/strict";
 * import { planConversion } from "./state_convert.ts";
 * import { DIAL_META } from "./testdata/hand_metas.ts";
 * // Version 2 drops `level`, adds `notes: 0..9 = 4`, and removes the label `low`.
 * const v2 = {
 *   ...DIAL_META,
 *   sourceHash: "2".repeat(64),
 *   slots: [{ offset: 0, width: 1, signed: false }, { offset: 1, width: 1, signed: false }],
 *   vars: [
 *     { ...DIAL_META.vars[0]!, type: { kind: "enum", name: "Mode", labels: ["off", "high"] } },
 *     { ...DIAL_META.vars[1]!, name: "notes", type: { kind: "range", lo: "0", hi: "9" } },
 *   ],
 *   initial: ["0", "4"],
 * } as const;
 * const plan = planConversion(DIAL_META, v2);
 * assert.deepEqual([plan.carried, plan.added, plan.dropped], [["mode"], ["notes"], ["level"]]);
 * assert.deepEqual(plan.convert([2n, 7n]), { ok: true, slots: [1n, 4n] }); // high, level dropped
 * const low = plan.convert([1n, 7n]);
 * assert.ok(!low.ok && low.problem.variable === "mode");
 * assert.equal(low.ok ? "" : low.problem.reason, "Variable 'mode' holds 'low', a label the new version does not have");
 * ```
 */
export function planConversion(from: SpecMeta, to: SpecMeta): StateConversion {
  const source = new Map(from.vars.map((v) => [v.name, v]));
  const target = new Set(to.vars.map((v) => v.name));
  const carried: string[] = [];
  const added: string[] = [];
  const retyped: ConversionProblem[] = [];
  const risks: ConversionProblem[] = [];
  const rules: SlotRule[] = new Array(to.initial.length);
  const dropsOfEntries: DroppedEntry[] = [];
  for (const v of to.vars) {
    const u = source.get(v.name);
    const fill = (rs: readonly SlotRule[]) => rs.forEach((r, k) => rules[v.base + k] = r);
    if (u === undefined) {
      added.push(v.name);
      fill(initialRules(to, v));
      continue;
    }
    carried.push(v.name);
    const problem = carryRules({ from, to, u, v }, { fill, risks, dropsOfEntries });
    if (problem !== null) {
      retyped.push({ variable: v.name, reason: problem });
      fill(initialRules(to, v));
    }
  }
  const dropped = from.vars.filter((u) => !target.has(u.name)).map((u) => u.name);
  for (let i = 0; i < rules.length; i++) {
    rules[i] ??= { kind: "initial", value: BigInt(to.initial[i] ?? "0") };
  }
  const fatal = retyped[0] ?? null;
  return {
    from,
    to,
    carried,
    added,
    dropped,
    retyped,
    risks,
    convert(slots) {
      if (fatal !== null) return { ok: false, problem: fatal };
      for (const d of dropsOfEntries) {
        const v = slots[d.from] ?? 0n;
        if (v !== d.initial) {
          return {
            ok: false,
            problem: {
              variable: d.variable,
              reason: `${
                holds(d.variable, { shown: String(v), at: d.at })
              }, a key the new version does not have`,
            },
          };
        }
      }
      const out = new Array<bigint>(rules.length);
      for (let i = 0; i < rules.length; i++) {
        const r = rules[i]!;
        if (r.kind === "initial") {
          out[i] = r.value;
          continue;
        }
        const x = r.step(slots[r.from] ?? 0n, r.at);
        if (typeof x === "string") {
          return { ok: false, problem: { variable: variableOf(to, i), reason: x } };
        }
        out[i] = x;
      }
      return { ok: true, slots: out };
    },
  };
}

/** The name of the target variable that owns slot `i`. */
function variableOf(meta: SpecMeta, i: number): string {
  return meta.vars.find((v) => i >= v.base && i < v.base + v.size)?.name ?? `#${i}`;
}

/** Where {@link carryRules} puts what it finds. */
interface CarrySinks {
  readonly fill: (rules: readonly SlotRule[]) => void;
  readonly risks: ConversionProblem[];
  readonly dropsOfEntries: DroppedEntry[];
}

/** A variable of both versions: `u` in `from`, `v` in `to`. */
interface CarriedVar {
  readonly from: SpecMeta;
  readonly to: SpecMeta;
  readonly u: Var;
  readonly v: Var;
}

/** The rules carrying source variable `u` to target variable `v`; a reason when retyped. */
function carryRules(pair: CarriedVar, sinks: CarrySinks): string | null {
  const { from, to, u, v } = pair;
  const a = u.type;
  const b = v.type;
  const retyped = `Variable '${v.name}' changed type from '${describeType(a)}' to '${
    describeType(b)
  }'`;
  if (a.kind !== "map" && b.kind !== "map") {
    const s = scalarStep(v.name, { a, b });
    if (s === null) return retyped;
    if (s.risk !== null) sinks.risks.push({ variable: v.name, reason: s.risk });
    sinks.fill([{ kind: "carry", from: u.base, step: s.step, at: "" }]);
    return null;
  }
  if (a.kind !== "map" || b.kind !== "map") return retyped;
  const keys = keyMap({ type: a.key as Scalar, size: u.size }, {
    type: b.key as Scalar,
    size: v.size,
  });
  const s = scalarStep(v.name, { a: a.value as Scalar, b: b.value as Scalar });
  if (keys === null || s === null) return retyped;
  if (s.risk !== null) sinks.risks.push({ variable: v.name, reason: s.risk });
  const rules = initialRules(to, v);
  const lost: string[] = [];
  keys.forEach((j, k) => {
    const at = keyLabel(a.key as Scalar, k);
    if (j >= 0) rules[j] = { kind: "carry", from: u.base + k, step: s.step, at };
    else {
      lost.push(at);
      sinks.dropsOfEntries.push({
        from: u.base + k,
        initial: BigInt(from.initial[u.base + k] ?? "0"),
        variable: v.name,
        at,
      });
    }
  });
  if (lost.length > 0) {
    sinks.risks.push({
      variable: v.name,
      reason: `Variable '${v.name}' loses key${lost.length === 1 ? "" : "s"} ${
        lost.map((k) => `'${k}'`).join(", ")
      }`,
    });
  }
  sinks.fill(rules);
  return null;
}

/**
 * Converts one state (its slots) of version `versions.from` to the layout
 * of `versions.to`: {@link planConversion} then `convert`. Plan once and
 * reuse it when converting many states.
 *
 * @example Carry a state to a version that adds a variable
 * ```ts
 * import assert from "node:assert/strict";
 * import { convertState } from "./state_convert.ts";
 * import { TOGGLE_META } from "./testdata/hand_metas.ts";
 * const v2 = {
 *   ...TOGGLE_META,
 *   sourceHash: "2".repeat(64),
 *   slots: [...TOGGLE_META.slots, { offset: 1, width: 1, signed: false }],
 *   vars: [...TOGGLE_META.vars, { ...TOGGLE_META.vars[0]!, name: "count", type: { kind: "range", lo: "0", hi: "9" }, base: 1 }],
 *   initial: ["0", "3"],
 * } as const;
 * assert.deepEqual(convertState([1n], { from: TOGGLE_META, to: v2 }), { ok: true, slots: [1n, 3n] });
 * ```
 */
export function convertState(
  slots: readonly bigint[],
  versions: { readonly from: SpecMeta; readonly to: SpecMeta },
): ConvertResult {
  return planConversion(versions.from, versions.to).convert(slots);
}

/**
 * Converts a packed state block of `plan.from` (`from.stride` bytes, as
 * events carry it and stores keep it) to the slots of `plan.to`, ready for
 * `CompiledSpec.writeSlots`. A block of the wrong size is a problem too.
 *
 * @example Carry a stored block to the next version
 * ```ts
 * import assert from "node:assert/strict";
 * import { convertBlock, planConversion } from "./state_convert.ts";
 * import { DIAL_META } from "./testdata/hand_metas.ts";
 * const v2 = { ...DIAL_META, sourceHash: "2".repeat(64), vars: [DIAL_META.vars[1]!], initial: ["0", "0"] };
 * const plan = planConversion(DIAL_META, v2); // `mode` dropped, `level` kept
 * assert.deepEqual(convertBlock(plan, new Uint8Array([2, 7, 0, 0, 0, 0, 0, 0])), { ok: true, slots: [0n, 7n] });
 * assert.equal(convertBlock(plan, new Uint8Array(3)).ok, false);
 * ```
 */
export function convertBlock(plan: StateConversion, block: Uint8Array): ConvertResult {
  const stride = plan.from.stride;
  if (block.length !== stride) {
    return {
      ok: false,
      problem: {
        variable: "",
        reason:
          `State block of ${block.length} bytes, expected ${stride} for spec '${plan.from.name}'`,
      },
    };
  }
  const view = new DataView(block.buffer, block.byteOffset, block.length);
  return plan.convert(readBlock(view, 0, plan.from.slots));
}
