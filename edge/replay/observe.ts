/**
 * One step of an instance, exactly as the SDK's observe mode takes it:
 * the raw step export (no spread for up to three arguments), and with an
 * observed (partial) state, the divergences and the state to continue from.
 *
 * @module
 */
import type { StepFn } from "../../lib/abi/compiled.ts";
import { VERDICT_DIVERGENCE } from "../../runtime/monitor/monitor_types.ts";
import type { LocalFacts } from "./describe.ts";
import type { ReplayEvent, SpecTable } from "./extract.ts";

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

type Compiled = SpecTable["compiled"];

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
  c: Compiled,
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
  const expected = code === 0 ? c.readSlots(inst) : pre;
  const actual = c.slotsOf(ev.observed!, expected);
  const divergences = code === 0 ? diff(c, expected, actual) : [];
  c.writeSlots(inst, actual);
  if (code !== 0) return { verdict: code, facts: { code, divergences: [], before: pre } };
  if (divergences.length === 0) return { verdict: 0, facts: null };
  return {
    verdict: VERDICT_DIVERGENCE,
    facts: { code: VERDICT_DIVERGENCE, divergences, before: pre },
  };
}

function diff(c: Compiled, expected: readonly bigint[], actual: readonly bigint[]) {
  const out: { variable: string; expected: unknown; actual: unknown }[] = [];
  let e: Record<string, unknown> | null = null;
  let a: Record<string, unknown> | null = null;
  for (const v of c.meta.vars) {
    let same = true;
    for (let i = v.base; i < v.base + v.size; i++) same &&= expected[i] === actual[i];
    if (same) continue;
    e ??= c.view(expected);
    a ??= c.view(actual);
    out.push({ variable: v.name, expected: e[v.name], actual: a[v.name] });
  }
  return out;
}
