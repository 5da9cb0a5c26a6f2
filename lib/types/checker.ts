/**
 * The checker: turns the parser's syntax tree into the checked IR
 * {@link Program}, or reports every problem it finds (codes VIG200-499,
 * see `lib/types/type_codes.ts`).
 *
 * Verdict codes are assigned in source order: items in order; within an
 * action its parameters, then each `require` (its `guard_failed` code before
 * the codes inside its expression), then each assignment (its
 * `range_violation` code, its key's `arith_error` code, then the codes in
 * the key and the value); within an expression a node gets its code before
 * its operands. Constant subexpressions are folded and get no codes.
 *
 * @module
 */
import type { Item, ParseResult, SpecAst } from "../syntax/ast.ts";
import type { Assigned } from "./assign.ts";
import { CheckContext, VerdictTable } from "./context.ts";
import {
  type Builder,
  checkAction,
  checkInit,
  checkInvariant,
  checkLiveness,
  checkTerminal,
} from "./items.ts";
import { reportTooCostly } from "./cost.ts";
import { reportTooDeep } from "./depth.ts";
import { Globals } from "./scope.ts";
import { finiteBounds } from "./type_rules.ts";
import { type Diagnostic, sortDiagnostics } from "../syntax/diagnostic.ts";
import type { IAction, IAssign, IInvariant, ILiveness, ITerminal, Program } from "../ir.ts";

/**
 * What {@link check} returns: a program when there are no diagnostics.
 *
 * @example Check a parsed spec
 * ```ts
 * import assert from "node:assert/strict";
 * import { parse } from "../syntax/parser.ts";
 * import { check, type CheckResult } from "./checker.ts";
 * const source = "spec Lease\n  type Client = 0..3\n  state owner: Client = 0\n  action acquire(c: Client)\n    require owner == 0\n    owner := c\n";
 * const result: CheckResult = check(parse(source), source);
 * assert.deepEqual(result.diagnostics, []);
 * assert.equal(result.program?.actions[0]?.name, "acquire");
 * ```
 */
export interface CheckResult {
  /** The checked program, or null when there are diagnostics. */
  readonly program: Program | null;
  /** Every problem found. */
  readonly diagnostics: Diagnostic[];
}

type ItemBuild =
  | { readonly kind: "init"; readonly build: Builder<{ assigns: IAssign[]; locals: number }> }
  | { readonly kind: "action"; readonly build: Builder<IAction> }
  | { readonly kind: "invariant"; readonly global: boolean; readonly build: Builder<IInvariant> }
  | { readonly kind: "liveness"; readonly global: boolean; readonly build: Builder<ILiveness> }
  | { readonly kind: "terminal"; readonly build: () => ITerminal };

/**
 * Checks a parsed spec and builds its IR.
 *
 * @example Check a spec
 * ```ts
 * import assert from "node:assert/strict";
 * import { parse } from "../syntax/parser.ts";
 * import { check } from "./checker.ts";
 * const source = "spec Toggle\nstate on: bool = false\naction flip\n  on := not on\n";
 * const { program, diagnostics } = check(parse(source), source);
 * assert.ok(diagnostics.length === 0 && program?.slotCount === 1);
 * ```
 */
export function check(parse: ParseResult, source: string): CheckResult {
  const ast = parse.ast;
  if (ast === null) return { program: null, diagnostics: [] };
  const ctx = new CheckContext(source, parse.spans);
  if (reportTooDeep(ast, ctx)) {
    return { program: null, diagnostics: sortDiagnostics(ctx.diagnostics) };
  }
  const g = new Globals(
    ast,
    ctx,
    parse.abandoned === undefined ? {} : { abandoned: parse.abandoned },
  );
  g.resolveAll(ast);
  const defaults = g.defaults();
  const initAssigned: Assigned = new Map();
  const builds = checkItems(ast, g, initAssigned);
  // After an abandoned 'init', which variables it would have initialized is unknown.
  if (parse.abandoned?.init !== true) checkInitialized(g, initAssigned);
  reportTooCostly(ast, ctx);
  if (ctx.diagnostics.length > 0) {
    return { program: null, diagnostics: sortDiagnostics(ctx.diagnostics) };
  }
  const table = new VerdictTable(ctx, ctx.span(ast.id), `spec ${ast.name}`);
  const program = {
    name: ast.name,
    sourceHash: "",
    consts: g.consts().map((c) => ({ name: c.name, value: c.value, range: ctx.range(c.span) })),
    enums: g.enums(),
    vars: g.vars.flatMap((v) => (v === null ? [] : [v])),
    slotCount: g.slotCount,
    defaults,
    init: { assigns: [] as IAssign[], locals: 0 },
    actions: [] as IAction[],
    invariants: [] as IInvariant[],
    globalInvariants: [] as IInvariant[],
    liveness: [] as ILiveness[],
    globalLiveness: [] as ILiveness[],
    terminals: [] as ITerminal[],
    verdicts: table.entries,
    range: ctx.range(ctx.span(ast.id)),
  };
  for (const b of builds) {
    if (b.kind === "init") program.init = b.build(table);
    else if (b.kind === "action") program.actions.push(b.build(table));
    else if (b.kind === "terminal") program.terminals.push(b.build());
    else if (b.kind === "invariant") {
      (b.global ? program.globalInvariants : program.invariants).push(b.build(table));
    } else (b.global ? program.globalLiveness : program.liveness).push(b.build(table));
  }
  return { program, diagnostics: [] };
}

/** Local (and, separately, global) liveness items per spec: two bits each in a u32 mask. */
const MAX_LIVENESS = 16;

/** Checks the behavioural items in source order, with their namespaces. */
function checkItems(ast: SpecAst, g: Globals, initAssigned: Assigned): ItemBuild[] {
  const ctx = g.ctx;
  const actions = new Set<string>();
  const properties = new Set<string>();
  let inits = 0;
  const unique = (item: Extract<Item, { name: string }>, seen: Set<string>, property: boolean) => {
    if (!seen.has(item.name)) return seen.add(item.name);
    const msg = property
      ? `A property named '${item.name}' is already declared`
      : `Action '${item.name}' is already declared`;
    ctx.report(property ? "VIG206" : "VIG205", msg, ctx.span(item.nameId));
  };
  const builds: ItemBuild[] = [];
  const livenessCount = { local: 0, global: 0 };
  for (const item of ast.items) {
    if (item.kind === "init") {
      if (inits++ > 0) {
        ctx.report("VIG408", "A spec has at most one 'init' block", ctx.span(item.id));
      }
      const build = checkInit(item, g, inits === 1 ? initAssigned : new Map());
      if (inits === 1) builds.push({ kind: "init", build });
    } else if (item.kind === "action") {
      unique(item, actions, false);
      builds.push({ kind: "action", build: checkAction(item, g) });
    } else if (item.kind === "invariant") {
      unique(item, properties, true);
      builds.push({ kind: "invariant", global: item.global, build: checkInvariant(item, g) });
    } else if (item.kind === "liveness") {
      unique(item, properties, true);
      // Liveness predicates come back as a 32-bit mask: two bits per item.
      if (++livenessCount[item.global ? "global" : "local"] > MAX_LIVENESS) {
        const kind = item.global ? "global liveness" : "liveness";
        const msg =
          `At most ${MAX_LIVENESS} '${kind}' items fit a spec; '${item.name}' is one too many`;
        ctx.report("VIG414", msg, ctx.span(item.nameId));
      }
      builds.push({ kind: "liveness", global: item.global, build: checkLiveness(item, g) });
    } else if (item.kind === "terminal") {
      unique(item, properties, true);
      builds.push({ kind: "terminal", build: checkTerminal(item, g, ctx.span(ast.id)) });
    }
  }
  return builds;
}

/** Reports every state variable that neither a default nor `init` initializes. */
function checkInitialized(g: Globals, assigned: Assigned): void {
  g.stateItems.forEach((item, i) => {
    const v = g.vars[i];
    if (item.init !== null || v == null) return;
    const keys = assigned.get(i);
    if (v.type.kind !== "map") {
      if (keys !== undefined) return;
      const msg =
        `State variable '${item.name}' is never initialized: give it a default or assign it in 'init'`;
      g.ctx.report("VIG406", msg, g.ctx.span(item.nameId));
      return;
    }
    const { lo, hi } = finiteBounds(v.type.key);
    const covered = new Set(
      (keys ?? []).filter((k): k is bigint => k !== null && k >= lo && k <= hi),
    );
    if (covered.size === v.size) return;
    const msg = `Map '${item.name}' has no default and 'init' does not assign every key`;
    g.ctx.report("VIG406", msg, g.ctx.span(item.nameId));
  });
}
