/**
 * Test helpers for the interpreter: build small {@link Program} values by
 * hand, without the parser or checker. Not part of the public API.
 *
 * @module
 */
import type {
  IAction,
  IAssign,
  IExpr,
  IInvariant,
  ILiveness,
  IParam,
  Program,
  ScalarType,
  StateVar,
  Type,
} from "../ir.ts";
import type { SourceRange } from "../abi/source_range.ts";
import { finiteBounds } from "./eval.ts";

/** A placeholder source range. */
export const R: SourceRange = { line: 1, column: 1, endLine: 1, endColumn: 2 };

/** Shorthands for expression nodes. */
export const E = {
  c: (value: bigint | number): IExpr => ({ kind: "const", value: BigInt(value) }),
  s: (slot: number): IExpr => ({ kind: "slot", slot, prev: false }),
  prev: (slot: number): IExpr => ({ kind: "slot", slot, prev: true }),
  p: (index: number): IExpr => ({ kind: "param", index }),
  l: (index: number): IExpr => ({ kind: "local", index }),
  map: (base: number, keyLo: bigint, size: number, key: IExpr, code: number): IExpr => ({
    kind: "map",
    base,
    keyLo,
    size,
    key,
    prev: false,
    code,
  }),
  neg: (operand: IExpr, code: number): IExpr => ({ kind: "neg", operand, code }),
  not: (operand: IExpr): IExpr => ({ kind: "not", operand }),
  ar: (op: "+" | "-" | "*" | "/" | "%", left: IExpr, right: IExpr, code: number): IExpr => ({
    kind: "arith",
    op,
    left,
    right,
    code,
  }),
  cmp: (op: "==" | "!=" | "<" | "<=" | ">" | ">=", left: IExpr, right: IExpr): IExpr => ({
    kind: "cmp",
    op,
    left,
    right,
  }),
  and: (left: IExpr, right: IExpr): IExpr => ({ kind: "logic", op: "and", left, right }),
  or: (left: IExpr, right: IExpr): IExpr => ({ kind: "logic", op: "or", left, right }),
  implies: (left: IExpr, right: IExpr): IExpr => ({ kind: "logic", op: "implies", left, right }),
  if: (cond: IExpr, then: IExpr, otherwise: IExpr): IExpr => ({
    kind: "if",
    cond,
    then,
    else: otherwise,
  }),
  q: (
    quant: "forall" | "exists" | "count" | "sum",
    local: number,
    lo: number,
    hi: number,
    body: IExpr,
    code = -1,
  ): IExpr => ({ kind: "quant", quant, local, lo: BigInt(lo), hi: BigInt(hi), body, code }),
  nq: (
    quant: "forall" | "exists" | "count" | "sum",
    local: number,
    body: IExpr,
    code = -1,
  ): IExpr => ({ kind: "nodeQuant", quant, local, body, code }),
  ns: (node: number, slot: number): IExpr => ({ kind: "nodeSlot", node, slot }),
};

/** A variable declaration for {@link program}. */
export interface VarSpec {
  readonly name: string;
  readonly type: StateVar["type"];
  readonly init?: bigint | number;
}

/** An assignment for {@link program}: target variable index, optional key, value. */
export interface AssignSpec {
  readonly v: number;
  readonly key?: IExpr;
  readonly keyCode?: number;
  readonly value: IExpr;
  readonly rangeCode?: number;
}

/** An action for {@link program}. */
export interface ActionSpec {
  readonly name: string;
  readonly params?: readonly { readonly type: ScalarType; readonly code: number }[];
  readonly requires?: readonly { readonly expr: IExpr; readonly code: number }[];
  readonly assigns?: readonly AssignSpec[];
}

/** Everything {@link program} needs; codes are chosen by the test. */
export interface ProgramSpec {
  readonly vars: readonly VarSpec[];
  readonly init?: readonly AssignSpec[];
  readonly actions?: readonly ActionSpec[];
  readonly invariants?: readonly { readonly expr: IExpr; readonly code: number }[];
  readonly globalInvariants?: readonly { readonly expr: IExpr; readonly code: number }[];
  readonly liveness?: readonly { readonly when: IExpr; readonly eventually: IExpr }[];
  readonly globalLiveness?: readonly { readonly when: IExpr; readonly eventually: IExpr }[];
}

/**
 * Builds a {@link Program} from a compact description (slots laid out in
 * declaration order, frame sizes generous, an empty verdict table).
 *
 * @example A one-variable program
 * ```ts
 * import assert from "node:assert/strict";
 * import { program } from "./ir_builder.ts";
 * const p = program({ vars: [{ name: "x", type: { kind: "int" } }, { name: "y", type: { kind: "bool" } }] });
 * assert.deepEqual(p.vars.map((v) => [v.name, v.base, v.size]), [["x", 0, 1], ["y", 1, 1]]);
 * ```
 */
export function program(spec: ProgramSpec): Program {
  const vars: StateVar[] = [];
  const defaults: bigint[] = [];
  for (const v of spec.vars) {
    const size = v.type.kind === "map" ? cardinality(v.type.key) : 1;
    vars.push({ name: v.name, type: v.type, base: defaults.length, size, range: R });
    for (let i = 0; i < size; i++) defaults.push(BigInt(v.init ?? 0));
  }
  const assign = (a: AssignSpec): IAssign => toAssign(vars, a);
  const actions: IAction[] = (spec.actions ?? []).map((a) => ({
    name: a.name,
    params: (a.params ?? []).map((p, i): IParam => ({ name: `p${i}`, ...p, range: R })),
    requires: (a.requires ?? []).map((r) => ({ ...r, text: "require", range: R })),
    assigns: (a.assigns ?? []).map(assign),
    locals: 8,
    range: R,
  }));
  const inv = (i: { expr: IExpr; code: number }, n: number): IInvariant => ({
    name: `I${n}`,
    ...i,
    locals: 8,
    usesPrev: true,
    range: R,
  });
  const live = (l: { when: IExpr; eventually: IExpr }, n: number): ILiveness => ({
    name: `L${n}`,
    withinMs: 1000,
    ...l,
    code: 100 + n,
    locals: 8,
    range: R,
  });
  return {
    name: "Test",
    sourceHash: "",
    consts: [],
    enums: [],
    vars,
    slotCount: defaults.length,
    defaults,
    init: { assigns: (spec.init ?? []).map(assign), locals: 8 },
    actions,
    invariants: (spec.invariants ?? []).map(inv),
    globalInvariants: (spec.globalInvariants ?? []).map(inv),
    liveness: (spec.liveness ?? []).map(live),
    globalLiveness: (spec.globalLiveness ?? []).map(live),
    verdicts: [],
    range: R,
  };
}

function cardinality(t: Extract<Type, { kind: "bool" | "range" | "enum" }>): number {
  const { lo, hi } = finiteBounds(t);
  return Number(hi - lo + 1n);
}

function toAssign(vars: readonly StateVar[], a: AssignSpec): IAssign {
  const v = vars[a.v];
  if (v === undefined) throw new RangeError(`No variable '${a.v}'`);
  const scalar = v.type.kind === "map" ? v.type.value : v.type;
  const bounds = scalar.kind === "int" ? null : finiteBounds(scalar);
  return {
    varIndex: a.v,
    slot: v.base,
    key: a.key ?? null,
    keyCode: a.keyCode ?? -1,
    value: a.value,
    rangeCode: a.rangeCode ?? -1,
    bounds,
    range: R,
  };
}
