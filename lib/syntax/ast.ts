/**
 * The syntax tree of a `.vigil` spec, as produced by the parser.
 *
 * Nodes are plain objects tagged by `kind`, each with an `id`; the source
 * range of node `id` is `SpanTable.get(id)` of the parse result. Names keep
 * their own ids (`nameId`) so diagnostics can point at the name alone.
 *
 * @module
 */
import type { SpanTable } from "./source.ts";

/**
 * Binary operators, by precedence from loosest: implies, or, and, comparisons, + -, * / %.
 *
 * @example The operator of a parsed guard
 * ```ts
 * import assert from "node:assert/strict";
 * import { parse } from "./parser.ts";
 * import type { BinaryOp } from "./ast.ts";
 * const source = "spec Lease\n  type Client = 0..3\n  state owner: Client = 0\n  action acquire(c: Client)\n    require owner == 0\n    owner := c\n";
 * const action = parse(source).ast?.items.find((i) => i.kind === "action");
 * const guard = action?.kind === "action" ? action.requires[0]?.expr : undefined;
 * const op: BinaryOp | undefined = guard?.kind === "binary" ? guard.op : undefined;
 * assert.equal(op, "==");
 * ```
 */
export type BinaryOp =
  | "implies"
  | "or"
  | "and"
  | "=="
  | "!="
  | "<"
  | "<="
  | ">"
  | ">="
  | "+"
  | "-"
  | "*"
  | "/"
  | "%";

/**
 * Unary operators: arithmetic negation and logical `not`.
 *
 * @example Negation and not
 * ```ts
 * import assert from "node:assert/strict";
 * import type { UnaryOp } from "./ast.ts";
 * const ops: UnaryOp[] = ["-", "not"];
 * assert.ok(ops.includes("not"));
 * ```
 */
export type UnaryOp = "-" | "not";

/**
 * Quantifier forms: `forall`/`exists` yield bool; `count`/`sum` yield int.
 *
 * @example The quantifier of an invariant
 * ```ts
 * import assert from "node:assert/strict";
 * import { parse } from "./parser.ts";
 * import type { Quantifier } from "./ast.ts";
 * const source = "spec S\n  type C = 0..2\n  state n: int = 0\n  invariant Any\n    exists c: C: c == n\n";
 * const inv = parse(source).ast?.items.find((i) => i.kind === "invariant");
 * const q: Quantifier | undefined = inv?.kind === "invariant" && inv.expr.kind === "quant" ? inv.expr.quant : undefined;
 * assert.equal(q, "exists");
 * ```
 */
export type Quantifier = "forall" | "exists" | "count" | "sum";

/**
 * A name bound by a quantifier or declared as a parameter.
 *
 * @example The names a quantifier binds
 * ```ts
 * import assert from "node:assert/strict";
 * import { parse } from "./parser.ts";
 * import type { Binder } from "./ast.ts";
 * const source = "spec S\n  state on: bool = false\n  global invariant Same\n    forall a, b in nodes: a.on == b.on\n";
 * const inv = parse(source).ast?.items.find((i) => i.kind === "invariant");
 * const binders: readonly Binder[] = inv?.kind === "invariant" && inv.expr.kind === "quant" ? inv.expr.binders : [];
 * assert.deepEqual(binders.map((b) => b.name), ["a", "b"]);
 * ```
 */
export interface Binder {
  /** The bound name. */
  readonly name: string;
  /** Node id (its span is the name). */
  readonly id: number;
}

/**
 * Expressions.
 *
 * @example Walk an expression tree
 * ```ts
 * import assert from "node:assert/strict";
 * import { parse } from "./parser.ts";
 * import type { Expr } from "./ast.ts";
 * const names = (e: Expr): string[] =>
 *   e.kind === "name" ? [e.name] : e.kind === "binary" ? [...names(e.left), ...names(e.right)] : [];
 * const source = "spec S\n  state x: int = 0\n  state y: int = 0\n  invariant Order\n    x <= y + 1\n";
 * const inv = parse(source).ast?.items.find((i) => i.kind === "invariant");
 * assert.deepEqual(inv?.kind === "invariant" ? names(inv.expr) : [], ["x", "y"]);
 * ```
 */
export type Expr =
  | { readonly kind: "int"; readonly id: number; readonly value: bigint }
  | { readonly kind: "bool"; readonly id: number; readonly value: boolean }
  /** A state variable, constant, parameter, enum label or bound variable. */
  | { readonly kind: "name"; readonly id: number; readonly name: string }
  /** `prev(e)`: `e` evaluated in the pre-state (invariants only). */
  | { readonly kind: "prev"; readonly id: number; readonly expr: Expr }
  /** `target[index]`: a map lookup. */
  | { readonly kind: "index"; readonly id: number; readonly target: Expr; readonly index: Expr }
  /** `target.name`: a node's state variable in global items (`a.mode`). */
  | {
    readonly kind: "field";
    readonly id: number;
    readonly target: Expr;
    readonly name: string;
    readonly nameId: number;
  }
  | { readonly kind: "unary"; readonly id: number; readonly op: UnaryOp; readonly operand: Expr }
  | {
    readonly kind: "binary";
    readonly id: number;
    readonly op: BinaryOp;
    readonly left: Expr;
    readonly right: Expr;
  }
  | {
    readonly kind: "if";
    readonly id: number;
    readonly cond: Expr;
    readonly then: Expr;
    readonly else: Expr;
  }
  /**
   * `forall c: Client: body`, `exists a, b in nodes: body`, `count(c: Client: body)`,
   * `sum(n in nodes: body)`. `domain` is a type, or `"nodes"` for node quantifiers.
   */
  | {
    readonly kind: "quant";
    readonly id: number;
    readonly quant: Quantifier;
    readonly binders: readonly Binder[];
    readonly domain: TypeExpr | "nodes";
    readonly body: Expr;
  };

/**
 * Type expressions. `bool` and `int` are `named` types with those names.
 *
 * @example A parameter's declared type
 * ```ts
 * import assert from "node:assert/strict";
 * import { parse } from "./parser.ts";
 * import type { TypeExpr } from "./ast.ts";
 * const source = "spec Lease\n  type Client = 0..3\n  state owner: Client = 0\n  action acquire(c: Client)\n    require owner == 0\n    owner := c\n";
 * const action = parse(source).ast?.items.find((i) => i.kind === "action");
 * const type: TypeExpr | undefined = action?.kind === "action" ? action.params[0]?.type : undefined;
 * assert.deepEqual(type?.kind === "named" ? type.name : undefined, "Client");
 * ```
 */
export type TypeExpr =
  | { readonly kind: "named"; readonly id: number; readonly name: string }
  /** `lo..hi`, bounds are constant expressions. */
  | { readonly kind: "range"; readonly id: number; readonly lo: Expr; readonly hi: Expr }
  /** `enum { a, b }`: only as the definition of a `type` item. */
  | { readonly kind: "enum"; readonly id: number; readonly labels: readonly Binder[] }
  /** `map[K, V]`: only as the type of a `state` item. */
  | { readonly kind: "map"; readonly id: number; readonly key: TypeExpr; readonly value: TypeExpr };

/**
 * `x := e` or `m[k] := e`.
 *
 * @example The assignments of an action
 * ```ts
 * import assert from "node:assert/strict";
 * import { parse } from "./parser.ts";
 * import type { Assign } from "./ast.ts";
 * const source = "spec Lease\n  type Client = 0..3\n  state owner: Client = 0\n  action acquire(c: Client)\n    require owner == 0\n    owner := c\n";
 * const action = parse(source).ast?.items.find((i) => i.kind === "action");
 * const body: readonly Assign[] = action?.kind === "action" ? action.body : [];
 * assert.deepEqual(body.map((a) => a.target), ["owner"]);
 * ```
 */
export interface Assign {
  /** Tag: an assignment. */
  readonly kind: "assign";
  /** Node id (its span covers the whole assignment). */
  readonly id: number;
  /** The assigned state variable's name. */
  readonly target: string;
  /** Node id of the target name. */
  readonly targetId: number;
  /** The key for a map entry assignment, else `null`. */
  readonly index: Expr | null;
  /** The right-hand side. */
  readonly value: Expr;
}

/**
 * `require e` inside an action.
 *
 * @example The guards of an action
 * ```ts
 * import assert from "node:assert/strict";
 * import { parse } from "./parser.ts";
 * import type { Require } from "./ast.ts";
 * const source = "spec Lease\n  type Client = 0..3\n  state owner: Client = 0\n  action acquire(c: Client)\n    require owner == 0\n    owner := c\n";
 * const action = parse(source).ast?.items.find((i) => i.kind === "action");
 * const requires: readonly Require[] = action?.kind === "action" ? action.requires : [];
 * assert.equal(requires.length, 1);
 * ```
 */
export interface Require {
  /** Tag: a guard. */
  readonly kind: "require";
  /** Node id (its span covers `require e`). */
  readonly id: number;
  /** The guard's condition. */
  readonly expr: Expr;
}

/**
 * A typed parameter of an action.
 *
 * @example The parameters of an action
 * ```ts
 * import assert from "node:assert/strict";
 * import { parse } from "./parser.ts";
 * import type { Param } from "./ast.ts";
 * const source = "spec Lease\n  type Client = 0..3\n  state owner: Client = 0\n  action acquire(c: Client)\n    require owner == 0\n    owner := c\n";
 * const action = parse(source).ast?.items.find((i) => i.kind === "action");
 * const params: readonly Param[] = action?.kind === "action" ? action.params : [];
 * assert.deepEqual(params.map((p) => p.name), ["c"]);
 * ```
 */
export interface Param {
  /** The parameter's name. */
  readonly name: string;
  /** Node id (its span is the name). */
  readonly id: number;
  /** The parameter's declared type. */
  readonly type: TypeExpr;
}

/**
 * A duration as written, in milliseconds (`30s` is 30000).
 *
 * @example A liveness deadline in milliseconds
 * ```ts
 * import assert from "node:assert/strict";
 * import { parse } from "./parser.ts";
 * import type { Duration } from "./ast.ts";
 * const source = "spec S\n  state on: bool = false\n  liveness Off within 30s\n    when on then eventually not on\n";
 * const item = parse(source).ast?.items.find((i) => i.kind === "liveness");
 * const within: Duration | undefined = item?.kind === "liveness" ? item.within : undefined;
 * assert.equal(within?.ms, 30_000);
 * ```
 */
export interface Duration {
  /** Node id (its span covers the duration as written). */
  readonly id: number;
  /** The duration in milliseconds. */
  readonly ms: number;
}

/**
 * Top-level items. `name`/`nameId` point at the item's name where it has one.
 *
 * @example The kinds of a spec's items, in source order
 * ```ts
 * import assert from "node:assert/strict";
 * import { parse } from "./parser.ts";
 * import type { Item } from "./ast.ts";
 * const source = "spec Lease\n  type Client = 0..3\n  state owner: Client = 0\n  action acquire(c: Client)\n    require owner == 0\n    owner := c\n";
 * const items: readonly Item[] = parse(source).ast?.items ?? [];
 * assert.deepEqual(items.map((i) => i.kind), ["type", "state", "action"]);
 * ```
 */
export type Item =
  | {
    readonly kind: "const";
    readonly id: number;
    readonly name: string;
    readonly nameId: number;
    readonly value: Expr;
  }
  | {
    readonly kind: "type";
    readonly id: number;
    readonly name: string;
    readonly nameId: number;
    readonly def: TypeExpr;
  }
  | {
    readonly kind: "state";
    readonly id: number;
    readonly name: string;
    readonly nameId: number;
    readonly type: TypeExpr;
    /** The default after `=`, or `null` when the variable must be set by `init`. */
    readonly init: Expr | null;
  }
  | { readonly kind: "init"; readonly id: number; readonly body: readonly Assign[] }
  | {
    readonly kind: "action";
    readonly id: number;
    readonly name: string;
    readonly nameId: number;
    readonly params: readonly Param[];
    readonly requires: readonly Require[];
    readonly body: readonly Assign[];
  }
  | {
    readonly kind: "invariant";
    readonly id: number;
    readonly name: string;
    readonly nameId: number;
    readonly global: boolean;
    readonly expr: Expr;
  }
  | {
    readonly kind: "liveness";
    readonly id: number;
    readonly name: string;
    readonly nameId: number;
    readonly global: boolean;
    readonly within: Duration;
    readonly when: Expr;
    readonly eventually: Expr;
  }
  /**
   * `terminal Name expr`: a state where `expr` holds may end the workflow
   * (no enabled action there is intended, not a deadlock). Read only by the
   * model checker; it does not reach the compiled output.
   */
  | {
    readonly kind: "terminal";
    readonly id: number;
    readonly name: string;
    readonly nameId: number;
    readonly expr: Expr;
  };

/**
 * A parsed spec file: `spec Name` followed by items in source order.
 *
 * @example The spec's name and where it is written
 * ```ts
 * import assert from "node:assert/strict";
 * import { parse } from "./parser.ts";
 * import type { SpecAst } from "./ast.ts";
 * const source = "spec Lease\n  type Client = 0..3\n  state owner: Client = 0\n  action acquire(c: Client)\n    require owner == 0\n    owner := c\n";
 * const result = parse(source);
 * const ast: SpecAst | null = result.ast;
 * assert.equal(ast?.name, "Lease");
 * assert.deepEqual(result.spans.get(ast!.nameId), { start: 5, end: 10 });
 * ```
 */
export interface SpecAst {
  /** The spec's name. */
  readonly name: string;
  /** Node id of the name. */
  readonly nameId: number;
  /** The id of the `spec` header (its span covers `spec Name`). */
  readonly id: number;
  /** The items, in source order. */
  readonly items: readonly Item[];
}

/**
 * What the parser returns: the tree (when a header was found), spans and diagnostics.
 *
 * @example A parse with a syntax error still returns a tree
 * ```ts
 * import assert from "node:assert/strict";
 * import { parse } from "./parser.ts";
 * import type { ParseResult } from "./ast.ts";
 * const result: ParseResult = parse("spec S\n  state x: int = \n");
 * assert.equal(result.ast?.name, "S");
 * assert.ok(result.diagnostics.some((d) => d.severity === "error"));
 * ```
 */
export interface ParseResult {
  /** The tree, or null when no `spec Name` header was found. */
  readonly ast: SpecAst | null;
  /** Source ranges of the tree's nodes, by node id. */
  readonly spans: SpanTable;
  /** Every error and warning, in source order. */
  readonly diagnostics: readonly import("./diagnostic.ts").Diagnostic[];
  /**
   * What the items abandoned after a syntax error would have declared, so
   * the checker can go on without a second error at every use of them.
   * Absent or empty when every item parsed.
   */
  readonly abandoned?: Abandoned;
}

/**
 * The declarations the parser could not read whole: the names of abandoned
 * `const`, `type` (with the enum labels read before the error) and `state`
 * items, and whether an `init` block was abandoned.
 *
 * @example An abandoned state variable is remembered by name
 * ```ts
 * import assert from "node:assert/strict";
 * import { parse } from "./parser.ts";
 * import type { Abandoned } from "./ast.ts";
 * const abandoned: Abandoned | undefined = parse("spec S\n  state x: int = (\n").abandoned;
 * assert.deepEqual(abandoned, { names: ["x"], init: false });
 * ```
 */
export interface Abandoned {
  /** Names the abandoned items declared (constants, types, enum labels, state variables). */
  readonly names: readonly string[];
  /** Whether an `init` block was abandoned (what it initializes is unknown). */
  readonly init: boolean;
}
