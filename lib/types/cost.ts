/**
 * A static bound on the work of quantifiers. The compiler evaluates the
 * initial state's invariants at compile time and the compiled monitor
 * evaluates every invariant and guard on each step, both by looping over
 * quantifier domains: a nest of quantifiers costs the product of its domain
 * sizes, which a seven-line spec can make astronomically large (`forall`
 * nested 199 deep over `bool`, or two nested over 65536 values each).
 *
 * The estimate of an expression counts how many times quantifier bodies are
 * evaluated, in the worst case (no short-circuit): a quantifier costs its
 * domain size (to the power of its number of binders) times the cost of its
 * body, or times 1 when the body has no quantifier; any other expression
 * costs the sum of its operands. A quantifier over `nodes` counts one per
 * tuple of monitors: its real cost grows with the number of monitors, which
 * is not known when compiling.
 *
 * @module
 */
import type { Expr, SpecAst } from "../syntax/ast.ts";
import type { CheckContext } from "./context.ts";
import { exprChildren, itemRoots } from "./depth.ts";

/** The largest estimated number of quantifier body evaluations one expression may cost. */
export const MAX_QUANT_COST = 1n << 20n;

/**
 * The estimated cost of every quantifier in `root`, keyed by node, and of
 * `root` itself. Domain sizes come from `ctx` (recorded while checking); a
 * quantifier whose domain had an error counts as 1.
 */
function costs(root: Expr, ctx: CheckContext): { total: bigint; byQuant: Map<Expr, bigint> } {
  const byQuant = new Map<Expr, bigint>();
  // The checker bounds expression depth (VIG413) before this runs, so recursion is safe.
  const visit = (e: Expr): bigint => {
    if (e.kind !== "quant") {
      let sum = 0n;
      for (const c of exprChildren(e)) sum += visit(c);
      return sum;
    }
    const body = visit(e.body);
    const size = e.domain === "nodes" ? 1n : ctx.domainSize(e.id) ?? 1n;
    const cost = size ** BigInt(e.binders.length) * (body > 0n ? body : 1n);
    byQuant.set(e, cost);
    return cost;
  };
  return { total: visit(root), byQuant };
}

/**
 * A cost as messages spell it: exact below 10^15, else as a power of two.
 *
 * @example Spell a small and a huge cost
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatCost } from "./cost.ts";
 * assert.equal(formatCost(4294967296n), "4294967296");
 * assert.equal(formatCost(1n << 199n), "2^199");
 * assert.equal(formatCost(3n << 200n), "more than 2^201");
 * ```
 */
export function formatCost(cost: bigint): string {
  if (cost < 10n ** 15n) return cost.toString();
  const exponent = cost.toString(2).length - 1;
  return cost === 1n << BigInt(exponent) ? `2^${exponent}` : `more than 2^${exponent}`;
}

/**
 * Reports (VIG415) every outermost quantifier whose estimated cost exceeds
 * {@link MAX_QUANT_COST}, at the quantifier; an expression whose separate
 * quantifiers are each within the limit but together exceed it is reported
 * at the expression. Runs after the quantifiers are checked (their domain
 * sizes are recorded in `ctx`). Returns whether any was found.
 *
 * @example Report two nested quantifiers over 65536 values
 * ```ts
 * import assert from "node:assert/strict";
 * import { reportTooCostly } from "./cost.ts";
 * import { CheckContext } from "./context.ts";
 * import { Globals } from "./scope.ts";
 * import { checkInvariant } from "./items.ts";
 * import { parse } from "../syntax/parser.ts";
 * const source = "spec A\ntype K = 0..65535\ninvariant I forall a: K: forall b: K: a >= b\n";
 * const { ast, spans } = parse(source);
 * const ctx = new CheckContext(source, spans);
 * const g = new Globals(ast!, ctx);
 * g.resolveAll(ast!);
 * const item = ast!.items.at(-1)!;
 * if (item.kind === "invariant") checkInvariant(item, g);
 * assert.ok(reportTooCostly(ast!, ctx));
 * assert.equal(ctx.diagnostics[0]?.code, "VIG415");
 * assert.match(ctx.diagnostics[0]!.message, /4294967296/);
 * ```
 */
export function reportTooCostly(ast: SpecAst, ctx: CheckContext): boolean {
  let found = false;
  const limit = formatCost(MAX_QUANT_COST);
  for (const item of ast.items) {
    for (const root of itemRoots(item)) {
      const { total, byQuant } = costs(root, ctx);
      if (total <= MAX_QUANT_COST) continue;
      const before = ctx.diagnostics.length;
      const stack = [root];
      while (stack.length > 0) {
        const e = stack.pop()!;
        const cost = e.kind === "quant" ? byQuant.get(e) ?? 0n : 0n;
        if (e.kind === "quant" && cost > MAX_QUANT_COST) {
          const msg = `'${e.quant}' evaluates its body an estimated ${
            formatCost(cost)
          } times, more than the limit of ${limit}`;
          ctx.report("VIG415", msg, ctx.span(e.id));
        } else stack.push(...exprChildren(e));
      }
      if (ctx.diagnostics.length === before) {
        const msg = `This expression evaluates quantifier bodies an estimated ${
          formatCost(total)
        } times in all, more than the limit of ${limit}`;
        ctx.report("VIG415", msg, ctx.span(root.id));
      }
      found = true;
    }
  }
  return found;
}
