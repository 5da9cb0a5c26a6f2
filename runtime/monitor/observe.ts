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
import { adoptObserved, type ObservedStep } from "../../lib/abi/observed_state.ts";
import type { MonitoredSpec } from "./monitored_spec.ts";
import type { Divergence } from "./monitor_types.ts";
import { VERDICT_DIVERGENCE } from "../../lib/abi/verdict_codes.ts";

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
 * Steps 3 and 4 of the observe path for action index `action`: lays the
 * observed view over the spec's next state (the pre-state when the step
 * was refused), writes the result to the block, and returns one frozen
 * {@link Divergence} per differing variable, pointing at the action (none
 * when refused). The comparison itself is the ABI's `adoptObserved`,
 * which replay shares.
 *
 * @example Adopt the reported state after a step
 * ```ts ignore
 * import { adoptObservedState } from "./observe.ts";
 * const found = adoptObservedState(spec, 0, { inst, code: 0, pre, observed: { owner: 3 } });
 * // [{ kind: "divergence", variable: "owner", expected: 2, actual: 3, item: "action acquire", line: 13, ... }]
 * ```
 */
export function adoptObservedState(
  spec: MonitoredSpec,
  action: number,
  step: ObservedStep,
): readonly Divergence[] {
  const differences = adoptObserved(spec.compiled, step);
  if (differences.length === 0) return NO_DIVERGENCES;
  const item = spec.actionItems[action]!;
  const { line, column } = spec.meta.actions[action]!.range;
  return Object.freeze(
    differences.map(({ variable, expected, actual }): Divergence =>
      Object.freeze({
        code: VERDICT_DIVERGENCE,
        kind: "divergence",
        item,
        detail: `${variable}: expected ${show(expected)}, actual ${show(actual)}`,
        line,
        column,
        variable,
        expected,
        actual,
      })
    ),
  );
}
