/**
 * The checked intermediate representation: names resolved, types known,
 * state laid out in slots, every failure site numbered as a verdict code.
 *
 * Values: every value is a 64-bit signed integer (`bigint` in the
 * interpreter, `i64` in WASM). `bool` is 0 or 1; an enum value is its label's
 * index; a range value is the integer itself.
 *
 * State: a flat array of `slotCount` slots. A scalar variable takes one slot;
 * a map `map[K, V]` takes `|K|` consecutive slots, key `k` at
 * `base + (k - keyLo)`. In WASM memory each slot is stored with the width of
 * its type (see `SlotLayout` in `lib/abi/slot_layout.ts`); everything
 * computes in i64.
 *
 * Evaluation order is part of the semantics, and both the interpreter and
 * the WASM code generator must follow it exactly:
 * - `and`, `or`, `implies` and `if` are short-circuit, left to right;
 * - `forall` stops at the first false body, `exists` at the first true;
 *   `count` and `sum` evaluate every element; domains ascend from `lo`;
 * - a step: arguments in parameter order (`bad_argument`), then `requires`
 *   in order (`guard_failed`), then right-hand sides and map keys in
 *   assignment order reading the pre-state, then range checks in assignment
 *   order (`range_violation`), then invariants in declaration order reading
 *   the post-state, `prev` reading the pre-state (`invariant_failed`). The
 *   first failure is the verdict; the state is changed only when it is `ok`.
 * - an arithmetic error anywhere (overflow of i64, division or remainder by
 *   zero, a map key outside the key type) is the `arith_error` verdict of
 *   that site. `/` truncates toward zero, `%` takes the sign of the dividend.
 *
 * The types this representation shares with compiled specs (source ranges,
 * verdict kinds and the verdict table) live in `lib/abi/`, the contract a
 * runtime reads.
 *
 * @module
 */
import type { SourceRange } from "./abi/source_range.ts";
import type { VerdictEntry } from "./abi/verdict_codes.ts";

/**
 * Finite types (quantifier domains, map keys) and scalar types.
 *
 * @example The types of the state variables
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "./frontend.ts";
 * import type { Type } from "./ir.ts";
 * const source = "spec Lease\n  type Client = 0..3\n  state owner: Client = 0\n  state granted: map[Client, int] = 0\n  action acquire(c: Client)\n    require owner == 0\n    owner := c\n    granted[c] := granted[c] + 1\n  invariant Held\n    owner <= 3\n  liveness Frees within 30s\n    when owner != 0 then eventually owner == 0\n";
 * const types: Type[] = analyze(source).program?.vars.map((v) => v.type) ?? [];
 * assert.deepEqual(types.map((t) => t.kind), ["range", "map"]);
 * ```
 */
export type Type =
  | { readonly kind: "bool" }
  | { readonly kind: "int" }
  /** `lo..hi` inclusive; `name` when declared by a `type` item. */
  | { readonly kind: "range"; readonly lo: bigint; readonly hi: bigint; readonly name?: string }
  | { readonly kind: "enum"; readonly name: string; readonly labels: readonly string[] }
  /** Only as the type of a state variable. */
  | { readonly kind: "map"; readonly key: FiniteType; readonly value: ScalarType }
  /** The type of a variable bound by a quantifier over `nodes`. */
  | { readonly kind: "node" };

/**
 * Types with finitely many values: usable as quantifier domains and map keys.
 *
 * @example A map's key type is finite
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "./frontend.ts";
 * import type { FiniteType } from "./ir.ts";
 * const source = "spec Lease\n  type Client = 0..3\n  state owner: Client = 0\n  state granted: map[Client, int] = 0\n  action acquire(c: Client)\n    require owner == 0\n    owner := c\n    granted[c] := granted[c] + 1\n  invariant Held\n    owner <= 3\n  liveness Frees within 30s\n    when owner != 0 then eventually owner == 0\n";
 * const granted = analyze(source).program?.vars[1]?.type;
 * const key: FiniteType | undefined = granted?.kind === "map" ? granted.key : undefined;
 * assert.deepEqual(key?.kind === "range" ? [key.lo, key.hi] : [], [0n, 3n]);
 * ```
 */
export type FiniteType = Extract<Type, { kind: "bool" | "range" | "enum" }>;
/**
 * Types a single slot holds.
 *
 * @example A map's value type is a scalar
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "./frontend.ts";
 * import type { ScalarType } from "./ir.ts";
 * const source = "spec Lease\n  type Client = 0..3\n  state owner: Client = 0\n  state granted: map[Client, int] = 0\n  action acquire(c: Client)\n    require owner == 0\n    owner := c\n    granted[c] := granted[c] + 1\n  invariant Held\n    owner <= 3\n  liveness Frees within 30s\n    when owner != 0 then eventually owner == 0\n";
 * const granted = analyze(source).program?.vars[1]?.type;
 * const value: ScalarType | undefined = granted?.kind === "map" ? granted.value : undefined;
 * assert.equal(value?.kind, "int");
 * ```
 */
export type ScalarType = Extract<Type, { kind: "bool" | "int" | "range" | "enum" }>;

/**
 * A state variable and where it lives.
 *
 * @example Where each variable lives in the state
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "./frontend.ts";
 * import type { StateVar } from "./ir.ts";
 * const source = "spec Lease\n  type Client = 0..3\n  state owner: Client = 0\n  state granted: map[Client, int] = 0\n  action acquire(c: Client)\n    require owner == 0\n    owner := c\n    granted[c] := granted[c] + 1\n  invariant Held\n    owner <= 3\n  liveness Frees within 30s\n    when owner != 0 then eventually owner == 0\n";
 * const vars: readonly StateVar[] = analyze(source).program?.vars ?? [];
 * assert.deepEqual(vars.map((v) => [v.name, v.base, v.size]), [["owner", 0, 1], ["granted", 1, 4]]);
 * ```
 */
export interface StateVar {
  /** The variable's name. */
  readonly name: string;
  /** Its type: a scalar type or a map. */
  readonly type: ScalarType | Extract<Type, { kind: "map" }>;
  /** First slot; a map's slots are `base .. base + size - 1`. */
  readonly base: number;
  /** 1 for scalars, the key type's cardinality for maps. */
  readonly size: number;
  /** Where the variable is declared in the source. */
  readonly range: SourceRange;
}

/**
 * Expressions, resolved and typed. Every node evaluates to one i64.
 *
 * @example Count the slots an expression reads
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "./frontend.ts";
 * import type { IExpr } from "./ir.ts";
 * const source = "spec Lease\n  type Client = 0..3\n  state owner: Client = 0\n  state granted: map[Client, int] = 0\n  action acquire(c: Client)\n    require owner == 0\n    owner := c\n    granted[c] := granted[c] + 1\n  invariant Held\n    owner <= 3\n  liveness Frees within 30s\n    when owner != 0 then eventually owner == 0\n";
 * const slots = (e: IExpr): number[] =>
 *   e.kind === "slot" ? [e.slot] : e.kind === "cmp" || e.kind === "arith" ? [...slots(e.left), ...slots(e.right)] : [];
 * const inv = analyze(source).program?.invariants[0];
 * assert.deepEqual(inv ? slots(inv.expr) : [], [0]);
 * ```
 */
export type IExpr =
  | { readonly kind: "const"; readonly value: bigint }
  /** Slot `slot` of the monitor's state; `prev` reads the pre-state. */
  | { readonly kind: "slot"; readonly slot: number; readonly prev: boolean }
  /**
   * Map entry: slot `base + (key - keyLo)`. A key outside `keyLo .. keyLo+size-1`
   * is the `arith_error` verdict `code`.
   */
  | {
    readonly kind: "map";
    readonly base: number;
    readonly keyLo: bigint;
    readonly size: number;
    readonly key: IExpr;
    readonly prev: boolean;
    readonly code: number;
  }
  /** Action parameter by position. */
  | { readonly kind: "param"; readonly index: number }
  /** A quantifier-bound variable, by frame index (see `quant.local`). */
  | { readonly kind: "local"; readonly index: number }
  /**
   * In global items: slot of the monitor that node-bound local `node` ranges over
   * (the monitor at position `local` within the evaluated set).
   */
  | { readonly kind: "nodeSlot"; readonly node: number; readonly slot: number }
  | {
    readonly kind: "nodeMap";
    readonly node: number;
    readonly base: number;
    readonly keyLo: bigint;
    readonly size: number;
    readonly key: IExpr;
    readonly code: number;
  }
  /** `neg` can overflow (its `code`); `not` maps 0/1 to 1/0. */
  | { readonly kind: "neg"; readonly operand: IExpr; readonly code: number }
  | { readonly kind: "not"; readonly operand: IExpr }
  /** Checked arithmetic; `code` is the `arith_error` verdict of this site. */
  | {
    readonly kind: "arith";
    readonly op: "+" | "-" | "*" | "/" | "%";
    readonly left: IExpr;
    readonly right: IExpr;
    readonly code: number;
  }
  /** Comparisons yield 0/1. Enums and bools compare by index (only `==`, `!=` type-check). */
  | {
    readonly kind: "cmp";
    readonly op: "==" | "!=" | "<" | "<=" | ">" | ">=";
    readonly left: IExpr;
    readonly right: IExpr;
  }
  /** Short-circuit logic on 0/1 values. */
  | {
    readonly kind: "logic";
    readonly op: "and" | "or" | "implies";
    readonly left: IExpr;
    readonly right: IExpr;
  }
  | { readonly kind: "if"; readonly cond: IExpr; readonly then: IExpr; readonly else: IExpr }
  /**
   * One-variable quantifier over `lo..hi` (inclusive; enums and bools use
   * their index range). Binds frame index `local`. Multi-binder quantifiers
   * are nested. `sum` can overflow: its `code`; other forms have `code` -1.
   */
  | {
    readonly kind: "quant";
    readonly quant: "forall" | "exists" | "count" | "sum";
    readonly local: number;
    readonly lo: bigint;
    readonly hi: bigint;
    readonly body: IExpr;
    readonly code: number;
  }
  /**
   * Quantifier over the monitors in the evaluated set (global items only):
   * binds `local` to positions `0 .. n-1`. `a == b` on node-bound locals is a
   * plain `cmp` of two `local`s.
   */
  | {
    readonly kind: "nodeQuant";
    readonly quant: "forall" | "exists" | "count" | "sum";
    readonly local: number;
    readonly body: IExpr;
    readonly code: number;
  };

/**
 * An assignment: a slot, or a map entry whose key is evaluated in the pre-state.
 *
 * @example A scalar assignment and a map entry assignment
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "./frontend.ts";
 * import type { IAssign } from "./ir.ts";
 * const source = "spec Lease\n  type Client = 0..3\n  state owner: Client = 0\n  state granted: map[Client, int] = 0\n  action acquire(c: Client)\n    require owner == 0\n    owner := c\n    granted[c] := granted[c] + 1\n  invariant Held\n    owner <= 3\n  liveness Frees within 30s\n    when owner != 0 then eventually owner == 0\n";
 * const assigns: readonly IAssign[] = analyze(source).program?.actions[0]?.assigns ?? [];
 * assert.deepEqual(assigns.map((a) => [a.slot, a.key === null]), [[0, true], [1, false]]);
 * ```
 */
export interface IAssign {
  /** Target variable (index into `Program.vars`). */
  readonly varIndex: number;
  /** For a scalar: its slot. For a map entry: the map's base slot. */
  readonly slot: number;
  /** For a map entry assignment: the key expression, else `null`. */
  readonly key: IExpr | null;
  /** `arith_error` code for a key outside the key type (map entries only), else -1. */
  readonly keyCode: number;
  /** The right-hand side, evaluated in the pre-state. */
  readonly value: IExpr;
  /** `range_violation` code for this assignment when the target's value type is a range, else -1. */
  readonly rangeCode: number;
  /** Inclusive bounds of the target's value type (ranges, enums as 0..n-1, bools 0..1); `null` for int. */
  readonly bounds: { readonly lo: bigint; readonly hi: bigint } | null;
  /** Where the assignment is in the source. */
  readonly range: SourceRange;
}

/**
 * An action parameter; `code` is its `bad_argument` verdict.
 *
 * @example A parameter and its bad_argument code
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "./frontend.ts";
 * import type { IParam } from "./ir.ts";
 * const source = "spec Lease\n  type Client = 0..3\n  state owner: Client = 0\n  state granted: map[Client, int] = 0\n  action acquire(c: Client)\n    require owner == 0\n    owner := c\n    granted[c] := granted[c] + 1\n  invariant Held\n    owner <= 3\n  liveness Frees within 30s\n    when owner != 0 then eventually owner == 0\n";
 * const program = analyze(source).program!;
 * const [c]: readonly IParam[] = program.actions[0]!.params;
 * assert.equal(c?.name, "c");
 * assert.equal(program.verdicts[c!.code]?.kind, "bad_argument");
 * ```
 */
export interface IParam {
  /** The parameter's name. */
  readonly name: string;
  /** Its type. */
  readonly type: ScalarType;
  /** Its `bad_argument` verdict code. */
  readonly code: number;
  /** Where the parameter is declared in the source. */
  readonly range: SourceRange;
}

/**
 * An action: guards, then simultaneous assignments.
 *
 * @example An action's guards point at their verdicts
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "./frontend.ts";
 * import type { IAction } from "./ir.ts";
 * const source = "spec Lease\n  type Client = 0..3\n  state owner: Client = 0\n  state granted: map[Client, int] = 0\n  action acquire(c: Client)\n    require owner == 0\n    owner := c\n    granted[c] := granted[c] + 1\n  invariant Held\n    owner <= 3\n  liveness Frees within 30s\n    when owner != 0 then eventually owner == 0\n";
 * const program = analyze(source).program!;
 * const acquire: IAction = program.actions[0]!;
 * assert.equal(acquire.requires[0]?.text, "require owner == 0");
 * assert.equal(program.verdicts[acquire.requires[0]!.code]?.kind, "guard_failed");
 * ```
 */
export interface IAction {
  /** The action's name. */
  readonly name: string;
  /** Its parameters, in declaration order. */
  readonly params: readonly IParam[];
  /** In source order; `code` is the `guard_failed` verdict of each. */
  readonly requires: readonly {
    readonly expr: IExpr;
    readonly code: number;
    readonly text: string;
    readonly range: SourceRange;
  }[];
  /** In source order; no slot is assigned twice (the checker rejects it). */
  readonly assigns: readonly IAssign[];
  /** Frame size: the number of quantifier locals used by any expression of the action. */
  readonly locals: number;
  /** Where the action is declared in the source. */
  readonly range: SourceRange;
}

/**
 * A local (`global: false`) or global invariant.
 *
 * @example A local invariant
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "./frontend.ts";
 * import type { IInvariant } from "./ir.ts";
 * const source = "spec Lease\n  type Client = 0..3\n  state owner: Client = 0\n  state granted: map[Client, int] = 0\n  action acquire(c: Client)\n    require owner == 0\n    owner := c\n    granted[c] := granted[c] + 1\n  invariant Held\n    owner <= 3\n  liveness Frees within 30s\n    when owner != 0 then eventually owner == 0\n";
 * const inv: IInvariant = analyze(source).program!.invariants[0]!;
 * assert.deepEqual([inv.name, inv.usesPrev], ["Held", false]);
 * ```
 */
export interface IInvariant {
  /** The invariant's name. */
  readonly name: string;
  /** The condition that must hold. */
  readonly expr: IExpr;
  /** `invariant_failed` verdict. */
  readonly code: number;
  /** Frame size: quantifier locals used by the expression. */
  readonly locals: number;
  /** True when the expression reads the pre-state with `prev`. */
  readonly usesPrev: boolean;
  /** Where the invariant is declared in the source. */
  readonly range: SourceRange;
}

/**
 * `liveness Name within D: when P then eventually Q`.
 *
 * @example A liveness property's deadline
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "./frontend.ts";
 * import type { ILiveness } from "./ir.ts";
 * const source = "spec Lease\n  type Client = 0..3\n  state owner: Client = 0\n  state granted: map[Client, int] = 0\n  action acquire(c: Client)\n    require owner == 0\n    owner := c\n    granted[c] := granted[c] + 1\n  invariant Held\n    owner <= 3\n  liveness Frees within 30s\n    when owner != 0 then eventually owner == 0\n";
 * const live: ILiveness = analyze(source).program!.liveness[0]!;
 * assert.deepEqual([live.name, live.withinMs], ["Frees", 30_000]);
 * ```
 */
export interface ILiveness {
  /** The liveness property's name. */
  readonly name: string;
  /** The deadline `D`, ms. */
  readonly withinMs: number;
  /** The trigger `P`. */
  readonly when: IExpr;
  /** The goal `Q`. */
  readonly eventually: IExpr;
  /** `liveness_timeout` verdict. */
  readonly code: number;
  /** Frame size: quantifier locals used by either expression. */
  readonly locals: number;
  /** Where the property is declared in the source. */
  readonly range: SourceRange;
}

/**
 * `terminal Name expr`: the states where `expr` holds are intended ends of
 * the workflow, so the model checker does not count them as deadlocks when no
 * action is enabled there. A model-checking notion only: the code generators
 * ignore it, and its verdict codes (arithmetic sites in `expr`) index its own
 * `verdicts`, not the program's table.
 *
 * @example A terminal item
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "./frontend.ts";
 * import type { ITerminal } from "./ir.ts";
 * const source = "spec S state n: 0..3 = 0 action inc require n < 3 n := n + 1 terminal Full n == 3";
 * const [full]: readonly ITerminal[] = analyze(source).program!.terminals ?? [];
 * assert.equal(full?.name, "Full");
 * ```
 */
export interface ITerminal {
  /** The item's name. */
  readonly name: string;
  /** The state predicate. */
  readonly expr: IExpr;
  /** Frame size: quantifier locals used by the expression. */
  readonly locals: number;
  /** The verdicts of the arithmetic sites in `expr` (codes index this table). */
  readonly verdicts: readonly VerdictEntry[];
  /** Where the item is declared in the source. */
  readonly range: SourceRange;
}

/**
 * A checked spec, ready for the interpreter and the code generators.
 *
 * @example A checked spec: its slots and its items
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "./frontend.ts";
 * import type { Program } from "./ir.ts";
 * const source = "spec Lease\n  type Client = 0..3\n  state owner: Client = 0\n  state granted: map[Client, int] = 0\n  action acquire(c: Client)\n    require owner == 0\n    owner := c\n    granted[c] := granted[c] + 1\n  invariant Held\n    owner <= 3\n  liveness Frees within 30s\n    when owner != 0 then eventually owner == 0\n";
 * const program: Program = analyze(source).program!;
 * assert.equal(program.name, "Lease");
 * assert.equal(program.slotCount, 5);
 * assert.deepEqual(program.actions.map((a) => a.name), ["acquire"]);
 * ```
 */
export interface Program {
  /** The spec's name. */
  readonly name: string;
  /** SHA-256 of the source text, lowercase hex. Set by `compile`, "" from the checker alone. */
  readonly sourceHash: string;
  /** Constants, with their values. */
  readonly consts: readonly {
    readonly name: string;
    readonly value: bigint;
    readonly range: SourceRange;
  }[];
  /** Enum types, in declaration order. */
  readonly enums: readonly Extract<Type, { kind: "enum" }>[];
  /** State variables, in declaration order. */
  readonly vars: readonly StateVar[];
  /** Slots of the state in total. */
  readonly slotCount: number;
  /**
   * Slot values from the `state` defaults (constant expressions). A slot with
   * no default holds 0 here and is assigned by `init` (the checker ensures it).
   */
  readonly defaults: readonly bigint[];
  /**
   * The `init` block, applied to the defaults like an action without guards:
   * right-hand sides read the defaults, then range checks, then invariants
   * with `prev(x)` = `x`. `initialState()` in the interpreter evaluates it;
   * `compile` reports a failing initial state as a diagnostic.
   */
  readonly init: { readonly assigns: readonly IAssign[]; readonly locals: number };
  /** Actions, in declaration order. */
  readonly actions: readonly IAction[];
  /** Local invariants, in declaration order. */
  readonly invariants: readonly IInvariant[];
  /** Global invariants, in declaration order. */
  readonly globalInvariants: readonly IInvariant[];
  /** Local liveness properties, in declaration order. */
  readonly liveness: readonly ILiveness[];
  /** Global liveness properties, in declaration order. */
  readonly globalLiveness: readonly ILiveness[];
  /** `terminal` items, in declaration order (absent: none). Only the model checker reads them. */
  readonly terminals?: readonly ITerminal[];
  /** `verdicts[code]` for every code used above. */
  readonly verdicts: readonly VerdictEntry[];
  /** The spec header's range. */
  readonly range: SourceRange;
}
