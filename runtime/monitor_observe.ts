/**
 * Divergences: comparing the spec's next state with the state a service
 * reports (observe mode, `m.step(action, args, { observed })`), one record
 * per differing variable, pointing at the action that produced it.
 *
 * @module
 */
import type { SpecTables } from "./spec_tables.ts";
import { type Divergence, VERDICT_DIVERGENCE } from "./monitor_types.ts";

/** The frozen empty list: no divergence. */
export const NO_DIVERGENCES: readonly Divergence[] = Object.freeze([]);

function show(v: unknown): string {
  if (typeof v === "string") return `'${v}'`;
  if (typeof v === "bigint") return `${v}`;
  if (typeof v === "object" && v !== null) {
    const parts = Object.entries(v).map(([k, x]) => `${k}: ${show(x)}`);
    return `{ ${parts.join(", ")} }`;
  }
  return String(v);
}

/**
 * Compares the spec's next state with the actual one, variable by variable
 * (a map variable is one variable: it differs when any entry does).
 *
 * @example Find the variables that differ
 * ```ts ignore
 * import { diffStates } from "./monitor_observe.ts";
 * // diffStates(tables, acquire, expectedSlots, actualSlots)
 * //   -> [{ kind: "divergence", variable: "owner", expected: 2, actual: 3, item: "action acquire", line: 13, ... }]
 * ```
 */
export function diffStates(
  t: SpecTables,
  action: number,
  expected: readonly bigint[],
  actual: readonly bigint[],
): readonly Divergence[] {
  const found: Divergence[] = [];
  let expectedView: Record<string, unknown> | null = null;
  let actualView: Record<string, unknown> | null = null;
  const range = t.meta.actions[action]!.range;
  for (const v of t.meta.vars) {
    let same = true;
    for (let i = v.base; i < v.base + v.size; i++) same &&= expected[i] === actual[i];
    if (same) continue;
    expectedView ??= t.compiled.view(expected);
    actualView ??= t.compiled.view(actual);
    const e = expectedView[v.name];
    const a = actualView[v.name];
    found.push(Object.freeze({
      code: VERDICT_DIVERGENCE,
      kind: "divergence",
      item: t.items[action]!,
      detail: `${v.name}: expected ${show(e)}, actual ${show(a)}`,
      line: range.line,
      column: range.column,
      variable: v.name,
      expected: e,
      actual: a,
    }));
  }
  return found.length === 0 ? NO_DIVERGENCES : Object.freeze(found);
}
