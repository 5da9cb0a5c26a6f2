/**
 * Which items an exploration checked and which it did not: every local
 * invariant (on every step), every liveness item (lassos), the deadlock
 * check, and the global items, which range over all nodes and are checked
 * only over several monitors (`--nodes N`, N >= 2).
 *
 * @module
 */
import type { Program } from "../ir.ts";
import type { ItemCoverage } from "./report.ts";

/**
 * How an exploration was run, as far as coverage goes.
 *
 * @example One monitor, deadlocks on, liveness on
 * ```ts
 * import assert from "node:assert/strict";
 * import type { CoverageFlags } from "./coverage.ts";
 * const flags: CoverageFlags = { deadlock: true, liveness: true, nodes: 1 };
 * assert.equal(flags.nodes, 1);
 * ```
 */
export interface CoverageFlags {
  /** Whether deadlocks were looked for. */
  readonly deadlock: boolean;
  /** Whether the liveness lasso search ran. */
  readonly liveness: boolean;
  /** Monitors explored together for the global items (1: global items not checked). */
  readonly nodes: number;
}

/**
 * The coverage of `program`'s items, in the order local invariants, liveness
 * items, deadlock check, global invariants, global liveness items.
 *
 * @example Global items are not checked over one monitor
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "../frontend.ts";
 * import { coverage } from "./coverage.ts";
 * const source = "spec S state x: 0..1 = 0 action a x := 1 - x invariant I x >= 0 " +
 *   "global invariant G forall a in nodes: a.x >= 0";
 * const items = coverage(analyze(source).program!, { deadlock: true, liveness: true, nodes: 1 });
 * assert.deepEqual(items.map((i) => [i.item, i.checked]), [
 *   ["invariant I", true],
 *   ["deadlock", true],
 *   ["global invariant G", false],
 * ]);
 * ```
 */
export function coverage(program: Program, flags: CoverageFlags): ItemCoverage[] {
  const out: ItemCoverage[] = [];
  for (const inv of program.invariants) {
    out.push({
      item: `invariant ${inv.name}`,
      line: inv.range.line,
      checked: true,
      how: "on every step explored",
    });
  }
  for (const l of program.liveness) {
    out.push({
      item: `liveness ${l.name}`,
      line: l.range.line,
      checked: flags.liveness,
      how: flags.liveness
        ? "reachable cycles that never reach the 'eventually' predicate (the time bound is not modelled)"
        : "the liveness search was turned off",
    });
  }
  const terminals = program.terminals ?? [];
  out.push({
    item: "deadlock",
    line: null,
    checked: flags.deadlock,
    how: !flags.deadlock
      ? "turned off (--no-deadlock)"
      : terminals.length === 0
      ? "states where no action is enabled"
      : "states where no action is enabled and no terminal item holds",
  });
  const globals = [
    ...program.globalInvariants.map((g) => ({
      item: `global invariant ${g.name}`,
      range: g.range,
    })),
    ...program.globalLiveness.map((g) => ({ item: `global liveness ${g.name}`, range: g.range })),
  ];
  for (const g of globals) {
    out.push({
      item: g.item,
      line: g.range.line,
      checked: flags.nodes >= 2,
      how: flags.nodes >= 2
        ? `over every interleaving of ${flags.nodes} monitors that follow the spec independently`
        : "it ranges over all nodes and one monitor was explored; --nodes 2 checks it over 2 monitors",
    });
  }
  return out;
}
