/**
 * Expression checking: resolves names, checks types, folds constants and
 * prepares the lowering to IR (see {@link Typed}).
 *
 * @module
 */
import type { Expr } from "../syntax/ast.ts";
import type { TypeOrError } from "./context.ts";
import {
  type Binding,
  constant,
  type Decl,
  type Env,
  ERROR_TYPED,
  type GlobalScope,
  type Typed,
} from "./env.ts";
import { arithFailure, foldArith, foldCompare } from "./fold.ts";
import { checkField, checkIndex, checkPrev } from "./access.ts";
import { checkQuant } from "./quant.ts";
import { expectKind, notConstant, whyNot } from "./expect.ts";
import { comparable, describeType, joinTypes } from "./type_rules.ts";
import { type Diagnostic, error } from "../syntax/diagnostic.ts";
import type { IExpr } from "../ir.ts";
import { suggestion } from "./suggest.ts";
import type { Span } from "../syntax/source.ts";

/**
 * Checks an expression; a map name is allowed here (for `m[k]`), see {@link checkValue}.
 *
 * @example Check a literal
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkExpr } from "./exprs.ts";
 * import { CheckContext } from "./context.ts";
 * import { Env } from "./env.ts";
 * import { Globals } from "./scope.ts";
 * import { parse } from "../syntax/parser.ts";
 * const source = "spec A\nconst N = 2\ninvariant I N * 3 == 6\n";
 * const { ast, spans } = parse(source);
 * const g = new Globals(ast!, new CheckContext(source, spans));
 * const item = ast!.items[1]!;
 * const expr = item.kind === "invariant" ? item.expr : { kind: "bool" as const, id: 0, value: true };
 * assert.ok(checkExpr(expr, g, new Env("invariant", "invariant I")).value === 1n);
 * ```
 */
export function checkExpr(e: Expr, g: GlobalScope, env: Env): Typed {
  switch (e.kind) {
    case "int":
      return constant({ kind: "int" }, e.value);
    case "bool":
      return constant({ kind: "bool" }, e.value ? 1n : 0n);
    case "name":
      return checkName(e.name, g.ctx.span(e.id), g, env);
    case "prev":
      return checkPrev(e, g, env, checkExpr);
    case "index":
      return checkIndex(e, g, env, checkExpr);
    case "field":
      return checkField(e, g, env);
    case "unary":
      return checkUnary(e, g, env);
    case "binary":
      return checkBinary(e, g, env);
    case "if":
      return checkIf(e, g, env);
    case "quant":
      return checkQuant(e, g, env, checkValue);
  }
}

/**
 * Checks an expression used as a value: a whole map is reported.
 *
 * @example Check an operand
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkValue } from "./exprs.ts";
 * import { CheckContext } from "./context.ts";
 * import { Env } from "./env.ts";
 * import { Globals } from "./scope.ts";
 * import { parse } from "../syntax/parser.ts";
 * const source = "spec A\nconst N = 2\ninvariant I N * 3 == 6\n";
 * const { ast, spans } = parse(source);
 * const g = new Globals(ast!, new CheckContext(source, spans));
 * const item = ast!.items[1]!;
 * const expr = item.kind === "invariant" ? item.expr : { kind: "bool" as const, id: 0, value: true };
 * assert.ok(checkValue(expr, g, new Env("invariant", "invariant I")).type.kind === "bool");
 * ```
 */
export function checkValue(e: Expr, g: GlobalScope, env: Env): Typed {
  const t = checkExpr(e, g, env);
  if (t.type.kind !== "map") return t;
  const name = t.map?.name ?? "";
  g.ctx.report(
    "VIG315",
    `The map '${name}' must be read by entry, e.g. '${name}[k]'`,
    g.ctx.span(e.id),
  );
  return ERROR_TYPED;
}

function checkName(name: string, span: Span, g: GlobalScope, env: Env): Typed {
  const b = env.binding(name);
  if (b !== undefined) return checkBinding(b, span);
  const d = g.lookup(name);
  if (d === undefined) {
    if (g.abandoned(name)) return ERROR_TYPED;
    const visible = [...g.names(["const", "label", "state"]), ...env.bindings.map((b) => b.name)];
    const hint = suggestion(name, visible);
    g.ctx.report("VIG202", `Unknown name '${name}': expected ${EXPECTED[env.mode]}${hint}`, span);
    return ERROR_TYPED;
  }
  return checkDecl(d, name, span, g, env);
}

/** What a name may denote, per kind of item. */
const EXPECTED: Record<Env["mode"], string> = {
  const: "a constant or an enum label",
  init: "a state variable, a constant or an enum label",
  action: "a state variable, a constant, an enum label or a parameter",
  invariant: "a state variable, a constant, an enum label or a quantifier variable",
  liveness: "a state variable, a constant, an enum label or a quantifier variable",
  global: "a constant, an enum label or a quantifier variable",
};

function checkBinding(b: Binding, span: Span): Typed {
  if (b.kind === "param") {
    const why = notConstant(`'${b.name}' is a parameter, not a constant`, span);
    return { type: b.type, value: null, why, build: () => ({ kind: "param", index: b.index }) };
  }
  const why = notConstant(`'${b.name}' is a quantifier variable, not a constant`, span);
  const build = (): IExpr => ({ kind: "local", index: b.index });
  if (b.type.kind === "node") return { type: b.type, value: null, why, build, node: b.index };
  return { type: b.type, value: null, why, build };
}

function checkDecl(d: Decl, name: string, span: Span, g: GlobalScope, env: Env): Typed {
  switch (d.kind) {
    case "builtin":
    case "type":
      g.ctx.report("VIG211", `'${name}' is a type, not a value`, span);
      return ERROR_TYPED;
    case "label":
      return constant(d.enumType, BigInt(d.index));
    case "const": {
      if (d.order >= env.constLimit) {
        const self = d.order === env.constLimit;
        g.ctx.report(
          self ? "VIG213" : "VIG214",
          self
            ? `Constant '${name}' is defined in terms of itself`
            : `Constant '${name}' is used before its declaration`,
          span,
        );
        return ERROR_TYPED;
      }
      const c = g.constOf(d, span);
      return c.value === null ? ERROR_TYPED : constant(c.type, c.value);
    }
    case "state":
      return checkStateRead(d.index, name, span, g, env);
  }
}

function checkStateRead(index: number, name: string, span: Span, g: GlobalScope, env: Env): Typed {
  if (env.mode === "const") {
    g.ctx.report("VIG330", `'${name}' is a state variable, not a constant`, span);
    return ERROR_TYPED;
  }
  const v = g.stateVar(index);
  if (v === null) return ERROR_TYPED;
  if (env.mode === "global") {
    g.ctx.report(
      "VIG409",
      `A global item reads state through a node variable, e.g. 'n.${name}', not '${name}'`,
      span,
    );
    return ERROR_TYPED;
  }
  if (env.mode === "init" && !g.hasDefault(index)) {
    g.ctx.report("VIG407", `'init' cannot read '${name}': it has no default`, span);
    return ERROR_TYPED;
  }
  const why = null;
  const prev = env.inPrev;
  if (v.type.kind === "map") {
    const map = { name, base: v.base, size: v.size, keyType: v.type.key, prev, node: null };
    return { type: v.type, value: null, why, build: ERROR_TYPED.build, map };
  }
  return { type: v.type, value: null, why, build: () => ({ kind: "slot", slot: v.base, prev }) };
}

function checkUnary(e: Extract<Expr, { kind: "unary" }>, g: GlobalScope, env: Env): Typed {
  const span = g.ctx.span(e.id);
  const o = checkValue(e.operand, g, env);
  const ok = expectKind(o, e.op === "not" ? "bool" : "int", g.ctx.span(e.operand.id), g);
  if (!ok) return ERROR_TYPED;
  if (e.op === "not") {
    if (o.value !== null) return constant({ kind: "bool" }, 1n - o.value);
    return {
      type: o.type,
      value: null,
      why: o.why,
      build: (t) => ({ kind: "not", operand: o.build(t) }),
    };
  }
  const type: TypeOrError = { kind: "int" };
  const folded = o.value === null ? null : foldArith("-", 0n, o.value);
  if (folded !== null && "value" in folded) return constant(type, folded.value);
  const why = folded === null ? o.why : failed(g, span, folded.fault);
  return {
    type,
    value: null,
    why,
    build: (t) => {
      const code = t.arith(env.item, span, "overflow");
      return { kind: "neg", operand: o.build(t), code };
    },
  };
}

function failed(g: GlobalScope, span: Span, fault: string): Diagnostic {
  return error("VIG331", `The constant expression '${g.ctx.text(span)}' fails: ${fault}`, span);
}

function checkBinary(e: Extract<Expr, { kind: "binary" }>, g: GlobalScope, env: Env): Typed {
  const l = checkValue(e.left, g, env);
  const r = checkValue(e.right, g, env);
  const op = e.op;
  if (op === "and" || op === "or" || op === "implies") return logic(e, op, l, r, g);
  if (op === "==" || op === "!=") return equality(e, op, l, r, g);
  const lok = expectKind(l, "int", g.ctx.span(e.left.id), g);
  const rok = expectKind(r, "int", g.ctx.span(e.right.id), g);
  if (!lok || !rok) return ERROR_TYPED;
  if (op === "<" || op === "<=" || op === ">" || op === ">=") return compare(op, l, r);
  return arithmetic(e, op, l, r, g, env);
}

function logic(
  e: Extract<Expr, { kind: "binary" }>,
  op: "and" | "or" | "implies",
  l: Typed,
  r: Typed,
  g: GlobalScope,
): Typed {
  const lok = expectKind(l, "bool", g.ctx.span(e.left.id), g);
  const rok = expectKind(r, "bool", g.ctx.span(e.right.id), g);
  if (!lok || !rok) return ERROR_TYPED;
  const type: TypeOrError = { kind: "bool" };
  // The left operand decides alone when it short-circuits.
  const decides = op === "or" ? 1n : 0n;
  if (l.value === decides) return constant(type, op === "implies" ? 1n : decides);
  if (l.value !== null) {
    if (r.value !== null) return constant(type, r.value);
    return r;
  }
  return {
    type,
    value: null,
    why: l.why,
    build: (t) => ({ kind: "logic", op, left: l.build(t), right: r.build(t) }),
  };
}

function equality(
  e: Extract<Expr, { kind: "binary" }>,
  op: "==" | "!=",
  l: Typed,
  r: Typed,
  g: GlobalScope,
): Typed {
  if (!comparable(l.type, r.type)) {
    const what = `Cannot compare '${describeType(l.type)}' with '${describeType(r.type)}'`;
    g.ctx.report("VIG303", what, g.ctx.span(e.id));
    return ERROR_TYPED;
  }
  if (l.type.kind === "error" || r.type.kind === "error") return ERROR_TYPED;
  return compare(op, l, r);
}

function compare(op: "==" | "!=" | "<" | "<=" | ">" | ">=", l: Typed, r: Typed): Typed {
  const type: TypeOrError = { kind: "bool" };
  if (l.value !== null && r.value !== null) {
    return constant(type, foldCompare(op, l.value, r.value));
  }
  return {
    type,
    value: null,
    why: whyNot(l, r),
    build: (t) => ({ kind: "cmp", op, left: l.build(t), right: r.build(t) }),
  };
}

function arithmetic(
  e: Extract<Expr, { kind: "binary" }>,
  op: "+" | "-" | "*" | "/" | "%",
  l: Typed,
  r: Typed,
  g: GlobalScope,
  env: Env,
): Typed {
  const span = g.ctx.span(e.id);
  const type: TypeOrError = { kind: "int" };
  const folded = l.value !== null && r.value !== null ? foldArith(op, l.value, r.value) : null;
  if (folded !== null && "value" in folded) return constant(type, folded.value);
  const why = folded === null ? whyNot(l, r) : failed(g, span, folded.fault);
  return {
    type,
    value: null,
    why,
    build: (t) => {
      const code = t.arith(env.item, span, arithFailure(op));
      return { kind: "arith", op, left: l.build(t), right: r.build(t), code };
    },
  };
}

function checkIf(e: Extract<Expr, { kind: "if" }>, g: GlobalScope, env: Env): Typed {
  const c = checkValue(e.cond, g, env);
  const cok = expectKind(c, "bool", g.ctx.span(e.cond.id), g);
  const a = checkValue(e.then, g, env);
  const b = checkValue(e.else, g, env);
  const type = joinTypes(a.type, b.type);
  if (type === null) {
    const what = `The branches of 'if' have incompatible types '${describeType(a.type)}' and '${
      describeType(b.type)
    }'`;
    g.ctx.report("VIG304", what, g.ctx.span(e.else.id));
    return ERROR_TYPED;
  }
  if (!cok || c.type.kind === "error") return ERROR_TYPED;
  if (c.value !== null) {
    const chosen = c.value !== 0n ? a : b;
    return { ...chosen, type };
  }
  return {
    type,
    value: null,
    why: c.why,
    build: (t) => ({ kind: "if", cond: c.build(t), then: a.build(t), else: b.build(t) }),
  };
}
