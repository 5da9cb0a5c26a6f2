/**
 * The IR builder of the tests: small {@link Program} values written by hand,
 * without the parser or the checker, for the interpreter's and the code
 * generator's tests alike. Expression nodes come from {@link E}, verdict
 * tables from {@link Verdicts}, and {@link program} lays the state out in
 * declaration order and fills in what the checker would (slots, bounds,
 * frame sizes, `usesPrev`). Not part of the public API.
 *
 * @module
 */
import type {
  FiniteType,
  IAction,
  IAssign,
  IExpr,
  IInvariant,
  ILiveness,
  IParam,
  Program,
  ScalarType,
  StateVar,
} from "./ir.ts";
import type { SourceRange } from "./abi/source_range.ts";
import type { VerdictEntry, VerdictKind } from "./abi/verdict_codes.ts";
import { finiteBounds } from "./types/type_rules.ts";

/** The source range every built node points at. */
export const R: SourceRange = { line: 1, column: 1, endLine: 1, endColumn: 2 };

type Quantifier = "forall" | "exists" | "count" | "sum";

/**
 * Expression nodes, one builder per IR node kind (named after it).
 *
 * @example `x + 1 > prev(x)`
 * ```ts
 * import assert from "node:assert/strict";
 * import { E } from "./ir_builder.ts";
 * const e = E.cmp(">", E.arith("+", E.slot(0), E.c(1), 2), E.slot(0, true));
 * assert.deepEqual(e, {
 *   kind: "cmp",
 *   op: ">",
 *   left: {
 *     kind: "arith",
 *     op: "+",
 *     left: { kind: "slot", slot: 0, prev: false },
 *     right: { kind: "const", value: 1n },
 *     code: 2,
 *   },
 *   right: { kind: "slot", slot: 0, prev: true },
 * });
 * ```
 */
export const E = {
  /** A constant. */
  c: (value: bigint | number): IExpr => ({ kind: "const", value: BigInt(value) }),
  /** Slot `slot` of the state (`prev`: of the pre-state). */
  slot: (slot: number, prev = false): IExpr => ({ kind: "slot", slot, prev }),
  /** Action parameter `index`. */
  param: (index: number): IExpr => ({ kind: "param", index }),
  /** Quantifier-bound variable `index`. */
  local: (index: number): IExpr => ({ kind: "local", index }),
  /** Entry `key` of the map at `base` (`size` keys from `keyLo`); `code` for a key outside. */
  map: (base: number, size: number, key: IExpr, code: number, prev = false, keyLo = 0n): IExpr => ({
    kind: "map",
    base,
    keyLo,
    size,
    key,
    prev,
    code,
  }),
  /** Slot `slot` of the monitor node-bound local `node` stands for (global items). */
  nodeSlot: (node: number, slot: number): IExpr => ({ kind: "nodeSlot", node, slot }),
  /** Negation; `code` on overflow. */
  neg: (operand: IExpr, code: number): IExpr => ({ kind: "neg", operand, code }),
  /** Logical not. */
  not: (operand: IExpr): IExpr => ({ kind: "not", operand }),
  /** Checked arithmetic; `code` on failure. */
  arith: (op: "+" | "-" | "*" | "/" | "%", left: IExpr, right: IExpr, code: number): IExpr => ({
    kind: "arith",
    op,
    left,
    right,
    code,
  }),
  /** A comparison. */
  cmp: (op: "==" | "!=" | "<" | "<=" | ">" | ">=", left: IExpr, right: IExpr): IExpr => ({
    kind: "cmp",
    op,
    left,
    right,
  }),
  /** Short-circuit logic. */
  logic: (op: "and" | "or" | "implies", left: IExpr, right: IExpr): IExpr => ({
    kind: "logic",
    op,
    left,
    right,
  }),
  /** `if cond then then else otherwise`. */
  if: (cond: IExpr, then: IExpr, otherwise: IExpr): IExpr => ({
    kind: "if",
    cond,
    then,
    else: otherwise,
  }),
  /** A quantifier binding `local` to `lo..hi`; `code` for a `sum` overflow, else -1. */
  quant: (
    quant: Quantifier,
    local: number,
    lo: bigint | number,
    hi: bigint | number,
    body: IExpr,
    code = -1,
  ): IExpr => ({ kind: "quant", quant, local, lo: BigInt(lo), hi: BigInt(hi), body, code }),
  /** A quantifier over the monitors of the evaluated set, binding `local` (global items). */
  nodeQuant: (quant: Quantifier, local: number, body: IExpr, code = -1): IExpr => ({
    kind: "nodeQuant",
    quant,
    local,
    body,
    code,
  }),
};

/**
 * A verdict table under construction, starting with the fixed `ok` and
 * `unknown_action` entries.
 *
 * @example Number the verdicts of a spec
 * ```ts
 * import assert from "node:assert/strict";
 * import { Verdicts } from "./ir_builder.ts";
 * const v = new Verdicts();
 * assert.equal(v.code("guard_failed", "action acquire", "require mode == free"), 2);
 * assert.equal(v.entries.length, 3);
 * ```
 */
export class Verdicts {
  /** The table: `entries[code]` for every code handed out. */
  readonly entries: VerdictEntry[] = [
    { code: 0, kind: "ok", item: "spec", detail: "", range: R },
    { code: 1, kind: "unknown_action", item: "spec", detail: "", range: R },
  ];

  /** Appends an entry; returns its code. */
  code(kind: VerdictKind, item: string, detail: string): number {
    const code = this.entries.length;
    this.entries.push({ code, kind, item, detail, range: R });
    return code;
  }
}

/** A state variable for {@link program}: slots are laid out in declaration order. */
export interface VarSpec {
  readonly name: string;
  readonly type: StateVar["type"];
  /** The default of every slot of the variable (0 when absent). */
  readonly init?: bigint | number;
}

/** An assignment for {@link program}: to variable `v`, or to its entry `key` when a map. */
export interface AssignSpec {
  /** The target variable's index in `vars`. */
  readonly v: number;
  readonly key?: IExpr;
  /** `arith_error` code of a key outside the key type (default -1). */
  readonly keyCode?: number;
  readonly value: IExpr;
  /** `range_violation` code (default -1: not checked). The bounds come from the variable's type. */
  readonly rangeCode?: number;
}

/** An action for {@link program}. */
export interface ActionSpec {
  readonly name: string;
  /** Parameters (named `p0`, `p1`, ... unless named), each with its `bad_argument` code. */
  readonly params?: readonly {
    readonly name?: string;
    readonly type: ScalarType;
    readonly code: number;
  }[];
  readonly requires?: readonly { readonly expr: IExpr; readonly code: number }[];
  readonly assigns?: readonly AssignSpec[];
}

/** A local or global invariant for {@link program}. */
export interface InvariantSpec {
  readonly expr: IExpr;
  readonly code: number;
  /** Default `I<position>`. */
  readonly name?: string;
  /** Default: whether `expr` reads the pre-state, as the checker decides. */
  readonly usesPrev?: boolean;
}

/** A local or global liveness item for {@link program}. */
export interface LivenessSpec {
  readonly when: IExpr;
  readonly eventually: IExpr;
  /** `liveness_timeout` code (default -1, for tests that do not report it). */
  readonly code?: number;
  /** Default `L<position>`. */
  readonly name?: string;
  /** Default 1000. */
  readonly withinMs?: number;
}

/** Everything {@link program} needs; codes are chosen by the test. */
export interface ProgramSpec {
  /** Default `Test`. */
  readonly name?: string;
  readonly vars: readonly VarSpec[];
  /** The verdict table (default empty: the interpreter never reads it). */
  readonly verdicts?: readonly VerdictEntry[];
  readonly init?: readonly AssignSpec[];
  readonly actions?: readonly ActionSpec[];
  readonly invariants?: readonly InvariantSpec[];
  readonly globalInvariants?: readonly InvariantSpec[];
  readonly liveness?: readonly LivenessSpec[];
  readonly globalLiveness?: readonly LivenessSpec[];
}

/**
 * Builds a {@link Program}: slots laid out in declaration order, every
 * assignment's slot and bounds taken from its variable's type, each frame
 * sized to the quantifier locals its expressions bind.
 *
 * @example A counter with a map
 * ```ts
 * import assert from "node:assert/strict";
 * import { E, program } from "./ir_builder.ts";
 * const p = program({
 *   vars: [
 *     { name: "n", type: { kind: "range", lo: 0n, hi: 3n } },
 *     { name: "seen", type: { kind: "map", key: { kind: "bool" }, value: { kind: "int" } } },
 *   ],
 *   actions: [{ name: "inc", assigns: [{ v: 0, value: E.arith("+", E.slot(0), E.c(1), 2), rangeCode: 3 }] }],
 * });
 * assert.deepEqual(p.vars.map((v) => [v.name, v.base, v.size]), [["n", 0, 1], ["seen", 1, 2]]);
 * assert.deepEqual(p.actions[0]!.assigns[0]!.bounds, { lo: 0n, hi: 3n });
 * assert.equal(p.slotCount, 3);
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
  const actions = (spec.actions ?? []).map((a): IAction => {
    const requires = (a.requires ?? []).map((r) => ({ ...r, text: "require", range: R }));
    const assigns = (a.assigns ?? []).map(assign);
    const exprs = [
      ...requires.map((r) => r.expr),
      ...assigns.flatMap((s) => s.key === null ? [s.value] : [s.key, s.value]),
    ];
    return {
      name: a.name,
      params: (a.params ?? []).map((p, i): IParam => ({
        name: p.name ?? `p${i}`,
        type: p.type,
        code: p.code,
        range: R,
      })),
      requires,
      assigns,
      locals: frameSize(exprs),
      range: R,
    };
  });
  const invariant = (i: InvariantSpec, n: number): IInvariant => ({
    name: i.name ?? `I${n}`,
    expr: i.expr,
    code: i.code,
    locals: frameSize([i.expr]),
    usesPrev: i.usesPrev ?? readsPrev(i.expr),
    range: R,
  });
  const live = (l: LivenessSpec, n: number): ILiveness => ({
    name: l.name ?? `L${n}`,
    withinMs: l.withinMs ?? 1000,
    when: l.when,
    eventually: l.eventually,
    code: l.code ?? -1,
    locals: frameSize([l.when, l.eventually]),
    range: R,
  });
  const init = (spec.init ?? []).map(assign);
  return {
    name: spec.name ?? "Test",
    sourceHash: "",
    consts: [],
    enums: [],
    vars,
    slotCount: defaults.length,
    defaults,
    init: { assigns: init, locals: frameSize(init.map((a) => a.value)) },
    actions,
    invariants: (spec.invariants ?? []).map(invariant),
    globalInvariants: (spec.globalInvariants ?? []).map(invariant),
    liveness: (spec.liveness ?? []).map(live),
    globalLiveness: (spec.globalLiveness ?? []).map(live),
    verdicts: [...(spec.verdicts ?? [])],
    range: R,
  };
}

function cardinality(t: FiniteType): number {
  const { lo, hi } = finiteBounds(t);
  return Number(hi - lo + 1n);
}

function toAssign(vars: readonly StateVar[], a: AssignSpec): IAssign {
  const v = vars[a.v];
  if (v === undefined) throw new RangeError(`No variable '${a.v}'`);
  const scalar = v.type.kind === "map" ? v.type.value : v.type;
  return {
    varIndex: a.v,
    slot: v.base,
    key: a.key ?? null,
    keyCode: a.keyCode ?? -1,
    value: a.value,
    rangeCode: a.rangeCode ?? -1,
    bounds: scalar.kind === "int" ? null : finiteBounds(scalar),
    range: R,
  };
}

/** Every node of `e`, depth first. */
function* nodes(e: IExpr): Generator<IExpr> {
  yield e;
  switch (e.kind) {
    case "map":
    case "nodeMap":
      yield* nodes(e.key);
      break;
    case "neg":
    case "not":
      yield* nodes(e.operand);
      break;
    case "arith":
    case "cmp":
    case "logic":
      yield* nodes(e.left);
      yield* nodes(e.right);
      break;
    case "if":
      yield* nodes(e.cond);
      yield* nodes(e.then);
      yield* nodes(e.else);
      break;
    case "quant":
    case "nodeQuant":
      yield* nodes(e.body);
      break;
  }
}

/** The frame size: one more than the largest quantifier local bound or read. */
function frameSize(exprs: readonly IExpr[]): number {
  let size = 0;
  for (const e of exprs) {
    for (const n of nodes(e)) {
      if (n.kind === "local") size = Math.max(size, n.index + 1);
      if (n.kind === "quant" || n.kind === "nodeQuant") size = Math.max(size, n.local + 1);
    }
  }
  return size;
}

function readsPrev(e: IExpr): boolean {
  for (const n of nodes(e)) if ((n.kind === "slot" || n.kind === "map") && n.prev) return true;
  return false;
}
