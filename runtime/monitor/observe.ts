/**
 * The observe path, `m.step(action, args, { observed })` in either mode:
 * comparing the spec's next state with the state a service reports, one
 * divergence per differing variable, pointing at the action that produced
 * it. The monitor (see `monitor.ts`) takes these steps:
 * 1. the observed view is validated first (unknown variable or wrong value
 *    type: `TypeError`, nothing changes);
 * 2. the transition is stepped. Refused in enforce mode: recorded, emitted,
 *    `GuardError`, state unchanged, `observed` ignored;
 * 3. allowed: the spec's next state is compared with the actual state (the
 *    observed view laid over the next state, so variables it omits count as
 *    equal); each differing variable is a {@link Divergence} (recorded,
 *    passed to `onViolation`, listed in `divergences`). Refused in observe
 *    mode: the spec has no next state, so only the verdict is recorded and
 *    the actual state is laid over the pre-state;
 * 4. the monitor continues from the actual state (written to the block).
 *    When a reported value lies outside its variable's type it cannot be
 *    represented: the block keeps the spec's state (the divergence is still
 *    reported);
 * 5. the event carries the block after step 4 and the verdict code, or
 *    {@link VERDICT_DIVERGENCE} when the step was allowed but diverged;
 * 6. returns the failing verdict, else the first divergence, else `ok`.
 *
 * An unknown action with `observed` is handled like one without: the
 * verdict is recorded (thrown in enforce mode) and the state is not changed
 * (the spec cannot say what the action does, so nothing is adopted).
 *
 * @module
 */
import type { StateView } from "../../lib/abi/compiled.ts";
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
 * import { diffStates } from "./observe.ts";
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

/** A step taken on the observe path, as {@link adoptObserved} needs it. */
export interface ObservedStep {
  /** The instance block. */
  readonly inst: number;
  /** The action index. */
  readonly action: number;
  /** The verdict code of the step (0: applied). */
  readonly code: number;
  /** The slots before the step. */
  readonly pre: readonly bigint[];
  /** The service's reported state (validated before the step). */
  readonly observed: StateView;
}

/**
 * Steps 3 and 4 of the observe path: lays the observed view over the
 * spec's next state (the pre-state when the step was refused), writes the
 * result to the block, and returns the divergences (none when refused).
 *
 * @example Adopt the reported state after a step
 * ```ts ignore
 * import { adoptObserved } from "./observe.ts";
 * // const found = adoptObserved(tables, { inst, action: 0, code: 0, pre, observed: { owner: 3 } });
 * ```
 */
export function adoptObserved(t: SpecTables, step: ObservedStep): readonly Divergence[] {
  const c = t.compiled;
  const expected = step.code === 0 ? c.readSlots(step.inst) : step.pre;
  const actual = c.slotsOf(step.observed, expected);
  const found = step.code === 0 ? diffStates(t, step.action, expected, actual) : NO_DIVERGENCES;
  c.writeSlots(step.inst, actual);
  return found;
}
