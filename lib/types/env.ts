/**
 * The checker's view of names: global declarations, local bindings
 * (parameters, quantifier variables), the per-item environment, and the
 * result of checking an expression.
 *
 * @module
 */
import type { Item } from "../syntax/ast.ts";
import type { CheckContext, TypeOrError, VerdictTable } from "./context.ts";
import type { TypeResolver } from "./type_rules.ts";
import type { Diagnostic } from "../syntax/diagnostic.ts";
import type { FiniteType, IExpr, StateVar } from "../ir.ts";
import type { Span } from "../syntax/source.ts";

/** A constant, resolved lazily in declaration order. */
export interface ConstDecl {
  readonly kind: "const";
  readonly item: Extract<Item, { kind: "const" }>;
  /** Position among the `const` items. */
  readonly order: number;
}

/** A global name: built-in type, constant, type, state variable or enum label. */
export type Decl =
  | { readonly kind: "builtin"; readonly name: "int" | "bool" }
  | ConstDecl
  | { readonly kind: "type"; readonly item: Extract<Item, { kind: "type" }> }
  | {
    readonly kind: "state";
    readonly item: Extract<Item, { kind: "state" }>;
    /** Position among the state variables. */
    readonly index: number;
  }
  | {
    readonly kind: "label";
    readonly enumType: Extract<TypeOrError, { kind: "enum" }>;
    readonly index: number;
  };

/** What expression checking needs from the global scope. */
export interface GlobalScope extends TypeResolver {
  readonly ctx: CheckContext;
  lookup(name: string): Decl | undefined;
  /** The global names whose declaration kind is one of `kinds`. */
  names(kinds: readonly Decl["kind"][]): string[];
  /** A constant's type and value (`null` after an error in its definition). */
  constOf(
    decl: ConstDecl,
    span?: Span,
  ): { readonly type: TypeOrError; readonly value: bigint | null };
  /** A state variable's layout, or `null` when its type did not resolve. */
  stateVar(index: number): StateVar | null;
  /** Whether state variable `index` has a default. */
  hasDefault(index: number): boolean;
  /**
   * Whether `name` was declared by an item the parser abandoned after a
   * syntax error: a use of it is not reported again.
   */
  abandoned(name: string): boolean;
}

/** A parameter or quantifier variable in scope. */
export interface Binding {
  readonly name: string;
  readonly kind: "param" | "local";
  /** Parameter position or frame index. */
  readonly index: number;
  /** The value type; `node` for variables bound over `nodes`. */
  readonly type: TypeOrError;
}

/** Which kind of item an expression belongs to; decides what it may read. */
export type Mode = "const" | "init" | "action" | "invariant" | "liveness" | "global";

/** The environment of the expressions of one item. */
export class Env {
  readonly mode: Mode;
  /** The verdict table's name for the item, e.g. `action acquire`. */
  readonly item: string;
  /** In a `const` item: only constants with a smaller `order` may be used. */
  readonly constLimit: number;
  readonly bindings: Binding[] = [];
  depth = 0;
  maxDepth = 0;
  inPrev = false;
  usesPrev = false;

  constructor(mode: Mode, item: string, constLimit = Infinity) {
    this.mode = mode;
    this.item = item;
    this.constLimit = constLimit;
  }

  /** The innermost binding of `name`, if any. */
  binding(name: string): Binding | undefined {
    for (let i = this.bindings.length - 1; i >= 0; i--) {
      const b = this.bindings[i]!;
      if (b.name === name) return b;
    }
    return undefined;
  }
}

/** A map read through a name or `a.m`, waiting for its key. */
export interface MapRef {
  readonly name: string;
  readonly base: number;
  readonly size: number;
  readonly keyType: FiniteType;
  readonly prev: boolean;
  /** The node variable's frame index for `a.m`, else `null`. */
  readonly node: number | null;
}

/** The result of checking an expression. */
export interface Typed {
  readonly type: TypeOrError;
  /** The constant value when the expression folds, else `null`. */
  readonly value: bigint | null;
  /**
   * Why the expression is not constant (reported where a constant is required);
   * `null` when it folds or when its error was already reported.
   */
  readonly why: Diagnostic | null;
  /** Lowers to IR, allocating verdict codes in source order (a node before its operands). */
  readonly build: (table: VerdictTable) => IExpr;
  readonly map?: MapRef;
  /** The frame index of a variable bound over `nodes`. */
  readonly node?: number;
}

/** The result of an expression that already has a diagnostic. */
export const ERROR_TYPED: Typed = Object.freeze({
  type: { kind: "error" } as const,
  value: null,
  why: null,
  build: (): IExpr => ({ kind: "const", value: 0n }),
});

/** A folded constant of type `type`. */
export function constant(type: TypeOrError, value: bigint): Typed {
  return { type, value, why: null, build: () => ({ kind: "const", value }) };
}
