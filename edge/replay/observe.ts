/**
 * One step of an instance, exactly as the SDK's observe mode takes it:
 * the raw step export (no spread for up to three arguments), and with an
 * observed (partial) state, the divergences and the state to continue from.
 *
 * @module
 */
import type { CompiledSpec, StepFn } from "../../lib/abi/compiled.ts";
import { adoptObserved } from "../../lib/abi/observed_state.ts";
import { VERDICT_DIVERGENCE } from "../../lib/abi/verdict_codes.ts";
import type { LocalFacts } from "./describe.ts";
import type { ReplayEvent } from "./extract.ts";

/**
 * Calls a step export without spreading for up to three arguments.
 *
 * @example Step
 * ```ts ignore
 * const code = callStep(spec.stepFn(0), inst, [2]);
 * ```
 */
export function callStep(f: StepFn, inst: number, a: readonly number[]): number {
  switch (a.length) {
    case 0:
      return f(inst);
    case 1:
      return f(inst, a[0]!);
    case 2:
      return f(inst, a[0]!, a[1]!);
    case 3:
      return f(inst, a[0]!, a[1]!, a[2]!);
    default:
      return f(inst, ...a);
  }
}

/**
 * Steps with an observed state (observe mode); a string when the state cannot be read.
 *
 * @example Step with the state the service logged
 * ```ts ignore
 * const r = observe(compiled, step, inst.index, ev);
 * if (typeof r !== "string" && r.facts !== null) console.log(r.facts.divergences);
 * ```
 */
export function observe(
  c: CompiledSpec,
  step: StepFn,
  inst: number,
  ev: ReplayEvent,
): { verdict: number; facts: LocalFacts | null } | string {
  const pre = c.readSlots(inst);
  try {
    c.slotsOf(ev.observed!, pre);
  } catch (e) {
    return `observed state: ${(e as Error).message}`;
  }
  const code = callStep(step, inst, ev.args);
  const divergences = adoptObserved(c, { inst, code, pre, observed: ev.observed! });
  if (code !== 0) return { verdict: code, facts: { code, divergences: [], before: pre } };
  if (divergences.length === 0) return { verdict: 0, facts: null };
  return {
    verdict: VERDICT_DIVERGENCE,
    facts: { code: VERDICT_DIVERGENCE, divergences, before: pre },
  };
}
