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

/** Finite types (quantifier domains, map keys) and scalar types. */
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

/** Types with finitely many values: usable as quantifier domains and map keys. */
export type FiniteType = Extract<Type, { kind: "bool" | "range" | "enum" }>;
/** Types a single slot holds. */
export type ScalarType = Extract<Type, { kind: "bool" | "int" | "range" | "enum" }>;

/** A state variable and where it lives. */
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

/** Expressions, resolved and typed. Every node evaluates to one i64. */
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

/** An assignment: a slot, or a map entry whose key is evaluated in the pre-state. */
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

/** An action parameter; `code` is its `bad_argument` verdict. */
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

/** An action: guards, then simultaneous assignments. */
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

/** A local (`global: false`) or global invariant. */
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

/** `liveness Name within D: when P then eventually Q`. */
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

/** A checked spec, ready for the interpreter and the code generators. */
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
  /** `verdicts[code]` for every code used above. */
  readonly verdicts: readonly VerdictEntry[];
  /** The spec header's range. */
  readonly range: SourceRange;
}
