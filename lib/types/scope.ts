/**
 * The global scope of a spec: declarations and their namespace rules,
 * constants and types resolved lazily (with cycle detection), and the state
 * variables laid out in slots with their defaults.
 *
 * @module
 */
import type { Abandoned, Expr, Item, SpecAst } from "../syntax/ast.ts";
import { type CheckContext, ERROR_TYPE, type TypeOrError } from "./context.ts";
import { type ConstDecl, type Decl, Env, type GlobalScope } from "./env.ts";
import { checkValue } from "./exprs.ts";
import {
  assignable,
  cardinality,
  describeType,
  finiteBounds,
  isFinite,
  isIntLike,
  resolveType,
} from "./type_rules.ts";
import type { StateVar, Type } from "../ir.ts";
import { suggestion } from "./suggest.ts";
import type { Span } from "../syntax/source.ts";

type ConstItem = Extract<Item, { kind: "const" }>;
type TypeItem = Extract<Item, { kind: "type" }>;
type StateItem = Extract<Item, { kind: "state" }>;
type EnumType = Extract<Type, { kind: "enum" }>;
type Memo<T> = { state: "busy" } | { state: "done"; result: T };
type ConstResult = { readonly type: TypeOrError; readonly value: bigint | null };

const KIND_NAMES: Record<Decl["kind"], string> = {
  builtin: "a built-in type",
  const: "a constant",
  type: "a type",
  state: "a state variable",
  label: "an enum label",
};

/**
 * Declarations of one spec, resolved on demand.
 *
 * @example Collect declarations
 * ```ts
 * import assert from "node:assert/strict";
 * import { Globals } from "./scope.ts";
 * import { CheckContext } from "./context.ts";
 * import { parse } from "../syntax/parser.ts";
 * const source = "spec A\ntype Mode = enum { on, off }\nstate mode: Mode = on\n";
 * const { ast, spans } = parse(source);
 * const g = new Globals(ast!, new CheckContext(source, spans));
 * g.resolveAll(ast!);
 * assert.ok(g.lookup("mode")?.kind === "state" && g.lookup("off")?.kind === "label");
 * ```
 */
export class Globals implements GlobalScope {
  readonly ctx: CheckContext;
  readonly #decls = new Map<string, Decl>();
  readonly #consts = new Map<ConstDecl, Memo<ConstResult>>();
  readonly #constDecls: ConstDecl[] = [];
  readonly #types = new Map<TypeItem, Memo<TypeOrError>>();
  readonly #enums = new Map<TypeItem, EnumType>();
  readonly #stateItems: StateItem[] = [];
  #vars: (StateVar | null)[] = [];
  #slotCount = 0;
  readonly #abandoned: ReadonlySet<string>;

  /**
   * Collects the declarations of `ast`. `options.abandoned`: what the items
   * the parser abandoned declared (their uses are not reported again).
   */
  constructor(ast: SpecAst, ctx: CheckContext, options: { readonly abandoned?: Abandoned } = {}) {
    this.ctx = ctx;
    this.#abandoned = new Set(options.abandoned?.names ?? []);
    this.#decls.set("int", { kind: "builtin", name: "int" });
    this.#decls.set("bool", { kind: "builtin", name: "bool" });
    for (const item of ast.items) this.#collect(item);
  }

  #collect(item: Item): void {
    const span = (id: number) => this.ctx.span(id);
    if (item.kind === "const") {
      const decl: ConstDecl = { kind: "const", item, order: this.#constDecls.length };
      this.#constDecls.push(decl);
      this.#declare(item.name, decl, span(item.nameId));
    } else if (item.kind === "type") {
      this.#declare(item.name, { kind: "type", item }, span(item.nameId));
      if (item.def.kind !== "enum") return;
      const enumType: EnumType = {
        kind: "enum",
        name: item.name,
        labels: item.def.labels.map((l) => l.name),
      };
      this.#enums.set(item, enumType);
      item.def.labels.forEach((l, index) => {
        this.#declare(l.name, { kind: "label", enumType, index }, span(l.id));
      });
    } else if (item.kind === "state") {
      this.#declare(
        item.name,
        { kind: "state", item, index: this.#stateItems.length },
        span(item.nameId),
      );
      this.#stateItems.push(item);
    }
  }

  #declare(name: string, decl: Decl, span: Span): void {
    const old = this.#decls.get(name);
    if (old === undefined) {
      this.#decls.set(name, decl);
      return;
    }
    if (old.kind === "label" || decl.kind === "label") {
      const what = decl.kind === "label" ? `Enum label '${name}'` : `'${name}'`;
      this.ctx.report(
        "VIG207",
        `${what} clashes with ${KIND_NAMES[old.kind]} of the same name`,
        span,
      );
    } else {
      this.ctx.report("VIG204", `'${name}' is already declared as ${KIND_NAMES[old.kind]}`, span);
    }
  }

  /** Whether `name` was declared by an item the parser abandoned (and nothing else). */
  abandoned(name: string): boolean {
    return this.#abandoned.has(name) && !this.#decls.has(name);
  }

  /** The declaration of a global name. */
  lookup(name: string): Decl | undefined {
    return this.#decls.get(name);
  }

  /** The global names whose declaration kind is one of `kinds`. */
  names(kinds: readonly Decl["kind"][]): string[] {
    return [...this.#decls].filter(([, d]) => kinds.includes(d.kind)).map(([n]) => n);
  }

  /** The type named `name`, reporting unknown names, non-types and cycles. */
  namedType(name: string, span: Span): TypeOrError {
    const d = this.#decls.get(name);
    if (d === undefined) {
      if (this.abandoned(name)) return ERROR_TYPE;
      const hint = suggestion(name, this.names(["builtin", "type"]));
      this.ctx.report("VIG201", `Unknown type '${name}'${hint}`, span);
      return ERROR_TYPE;
    }
    if (d.kind === "builtin") return { kind: d.name };
    if (d.kind === "type") return this.#typeOf(d.item, span);
    this.ctx.report("VIG212", `'${name}' is ${KIND_NAMES[d.kind]}, not a type`, span);
    return ERROR_TYPE;
  }

  #typeOf(item: TypeItem, span: Span): TypeOrError {
    const memo = this.#types.get(item);
    if (memo?.state === "done") return memo.result;
    if (memo?.state === "busy") {
      this.ctx.report("VIG213", `Type '${item.name}' is defined in terms of itself`, span);
      return ERROR_TYPE;
    }
    this.#types.set(item, { state: "busy" });
    let result: TypeOrError = this.#enums.get(item) ?? resolveType(item.def, this, "typedef");
    if (result.kind === "range" && item.def.kind === "range") {
      result = { ...result, name: item.name };
    }
    this.#types.set(item, { state: "done", result });
    return result;
  }

  /** A constant integer expression's value, reporting when it is not one. */
  constInt(e: Expr, what: string): bigint | null {
    const t = checkValue(e, this, new Env("const", "const"));
    if (t.type.kind === "error") return null;
    if (!isIntLike(t.type)) {
      const msg = `${what} must be an integer, found '${describeType(t.type)}'`;
      this.ctx.report("VIG301", msg, this.ctx.span(e.id));
      return null;
    }
    if (t.value === null && t.why !== null) this.ctx.push(t.why);
    return t.value;
  }

  /** A constant's type and value, evaluated on first use. */
  constOf(decl: ConstDecl, span?: Span): ConstResult {
    const memo = this.#consts.get(decl);
    if (memo?.state === "done") return memo.result;
    if (memo?.state === "busy") {
      const where = span ?? this.ctx.span(decl.item.nameId);
      this.ctx.report(
        "VIG213",
        `Constant '${decl.item.name}' is defined in terms of itself`,
        where,
      );
      return { type: ERROR_TYPE, value: null };
    }
    this.#consts.set(decl, { state: "busy" });
    const item = decl.item;
    const t = checkValue(item.value, this, new Env("const", `const ${item.name}`, decl.order));
    let result: ConstResult = { type: ERROR_TYPE, value: null };
    if (t.type.kind !== "error" && !isIntLike(t.type) && t.type.kind !== "bool") {
      const msg = `A constant must be an integer or a bool, not '${describeType(t.type)}'`;
      this.ctx.report("VIG333", msg, this.ctx.span(item.value.id));
    } else if (t.value === null) {
      if (t.why !== null) this.ctx.push(t.why);
    } else {
      result = { type: t.type.kind === "bool" ? t.type : { kind: "int" }, value: t.value };
    }
    this.#consts.set(decl, { state: "done", result });
    return result;
  }

  /** Evaluates every constant and type, then lays out the state variables. */
  resolveAll(ast: SpecAst): void {
    for (const d of this.#constDecls) this.constOf(d);
    for (const item of ast.items) {
      if (item.kind === "type") this.#typeOf(item, this.ctx.span(item.nameId));
    }
    this.#vars = this.#stateItems.map((item) => this.#layoutVar(item));
  }

  #layoutVar(item: StateItem): StateVar | null {
    const type = resolveType(item.type, this, "state");
    if (type.kind === "error" || type.kind === "node") return null;
    const size = type.kind === "map" ? Number(cardinality(type.key)) : 1;
    const v: StateVar = {
      name: item.name,
      type,
      base: this.#slotCount,
      size,
      range: this.ctx.range(this.ctx.span(item.id)),
    };
    this.#slotCount += size;
    return v;
  }

  /** A state variable's layout, or `null` when its type did not resolve. */
  stateVar(index: number): StateVar | null {
    return this.#vars[index] ?? null;
  }

  /** Whether state variable `index` has a default. */
  hasDefault(index: number): boolean {
    return this.#stateItems[index]?.init != null;
  }

  /** The state variables in declaration order (`null` where the type did not resolve). */
  get vars(): readonly (StateVar | null)[] {
    return this.#vars;
  }

  /** The declarations of the state variables, in order. */
  get stateItems(): readonly StateItem[] {
    return this.#stateItems;
  }

  /** The number of slots. */
  get slotCount(): number {
    return this.#slotCount;
  }

  /** The slot values of the state defaults; reports bad defaults. */
  defaults(): bigint[] {
    const slots: bigint[] = new Array(this.#slotCount).fill(0n);
    this.#stateItems.forEach((item, i) => {
      const v = this.#vars[i];
      if (item.init === null || v == null) return;
      const value = this.#defaultOf(item, item.init, v);
      if (value !== null) slots.fill(value, v.base, v.base + v.size);
    });
    return slots;
  }

  #defaultOf(item: StateItem, init: Expr, v: StateVar): bigint | null {
    const target = v.type.kind === "map" ? v.type.value : v.type;
    const t = checkValue(init, this, new Env("const", `state ${item.name}`));
    const span = this.ctx.span(init.id);
    if (!assignable(target, t.type)) {
      const msg = `The default of '${item.name}' must be '${describeType(target)}', not '${
        describeType(t.type)
      }'`;
      this.ctx.report("VIG305", msg, span);
      return null;
    }
    if (t.value === null) {
      if (t.why !== null) this.ctx.push(t.why);
      return null;
    }
    if (isFinite(target)) {
      const { lo, hi } = finiteBounds(target);
      if (t.value < lo || t.value > hi) {
        const msg = `The default ${t.value} of '${item.name}' is outside '${describeType(target)}'`;
        this.ctx.report("VIG334", msg, span);
        return null;
      }
    }
    return t.value;
  }

  /** The constants with their values, in declaration order (skipping failed ones). */
  consts(): { name: string; value: bigint; span: Span }[] {
    return this.#constDecls.flatMap((d) => {
      const r = this.constOf(d);
      return r.value === null
        ? []
        : [{ name: d.item.name, value: r.value, span: this.ctx.span(d.item.id) }];
    });
  }

  /** The enum types, in declaration order. */
  enums(): EnumType[] {
    return [...this.#enums.values()];
  }
}
