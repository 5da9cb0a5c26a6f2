/**
 * Observe mode's comparison, shared by the SDK (`m.step(action, args, {
 * observed })`) and replay (log lines carrying the service's state): after
 * a step, the state a service reports is laid over the spec's next state
 * (the pre-state when the step was refused), the instance continues from
 * the result, and each state variable whose reported value differs from
 * the spec's is one {@link StateDifference}.
 *
 * A map variable is one variable: it differs when any of its entries does.
 * Values are compared slot by slot and shown decoded (enum labels,
 * booleans, numbers, map objects).
 *
 * @module
 */
import type { CompiledSpec, StateView } from "./compiled.ts";
import type { SpecMeta } from "./meta.ts";
import { decodeView } from "./state_codec.ts";

/** One state variable whose reported value differs from the spec's next value. */
export interface StateDifference {
  /** The state variable, e.g. `owner`. */
  readonly variable: string;
  /** The spec's next value, decoded. */
  readonly expected: unknown;
  /** The reported value, decoded. */
  readonly actual: unknown;
}

/**
 * The variables whose slots differ between `expected` and `actual`, in
 * declaration order (empty when the states are equal).
 *
 * @example Two variables of the hand-written `Dial` spec differ
 * ```ts
 * import assert from "node:assert/strict";
 * import { diffStates } from "./observed_state.ts";
 * import { DIAL_META } from "./testdata/hand_metas.ts";
 * // Dial: mode (off, low, high), level 0..10.
 * assert.deepEqual(diffStates(DIAL_META, [1n, 4n], [2n, 5n]), [
 *   { variable: "mode", expected: "low", actual: "high" },
 *   { variable: "level", expected: 4, actual: 5 },
 * ]);
 * assert.deepEqual(diffStates(DIAL_META, [1n, 4n], [1n, 4n]), []);
 * ```
 */
export function diffStates(
  meta: SpecMeta,
  expected: readonly bigint[],
  actual: readonly bigint[],
): StateDifference[] {
  const found: StateDifference[] = [];
  let expectedView: StateView | null = null;
  let actualView: StateView | null = null;
  for (const v of meta.vars) {
    let same = true;
    for (let i = v.base; i < v.base + v.size; i++) same &&= expected[i] === actual[i];
    if (same) continue;
    expectedView ??= decodeView(meta, expected);
    actualView ??= decodeView(meta, actual);
    found.push({ variable: v.name, expected: expectedView[v.name], actual: actualView[v.name] });
  }
  return found;
}

/** A step just taken with a reported state, as {@link adoptObserved} needs it. */
export interface ObservedStep {
  /** The instance (its block now holds the state after the step). */
  readonly inst: number;
  /** The step's verdict code (0: applied, so the block holds the spec's next state). */
  readonly code: number;
  /** The instance's slots before the step. */
  readonly pre: readonly bigint[];
  /** The service's reported state, possibly partial (validated before the step). */
  readonly observed: StateView;
}

/** What {@link adoptObserved} uses of a compiled spec. */
export type ObservedSpec = Pick<CompiledSpec, "meta" | "readSlots" | "slotsOf" | "writeSlots">;

/**
 * Lays the observed state over the spec's next state (over the pre-state
 * when the step was refused: the spec has no next state then), writes the
 * result to the instance so it continues from what the service reports,
 * and returns the differences (none when the step was refused). A
 * reported value outside its variable's type cannot be written: the
 * instance keeps the spec's value, and the difference is still returned.
 *
 * @example Adopt a reported state after a step of the hand-written `Dial` spec
 * ```ts
 * import assert from "node:assert/strict";
 * import { adoptObserved } from "./observed_state.ts";
 * import type { StateView } from "./compiled.ts";
 * import { encodeView } from "./state_codec.ts";
 * import { DIAL_META } from "./testdata/hand_metas.ts";
 * // One instance in memory; the step just took level from 4 to 5 (mode low).
 * let block: readonly bigint[] = [1n, 5n];
 * const spec = {
 *   meta: DIAL_META,
 *   readSlots: (_inst: number) => [...block],
 *   slotsOf: (view: StateView, base: readonly bigint[]) => encodeView(DIAL_META, view, base),
 *   writeSlots: (_inst: number, slots: readonly bigint[]) => ((block = [...slots]), 0),
 * };
 * const found = adoptObserved(spec, { inst: 0, code: 0, pre: [1n, 4n], observed: { level: 6 } });
 * assert.deepEqual(found, [{ variable: "level", expected: 5, actual: 6 }]);
 * assert.deepEqual(block, [1n, 6n]); // continues from the reported state
 * ```
 */
export function adoptObserved(spec: ObservedSpec, step: ObservedStep): StateDifference[] {
  const expected = step.code === 0 ? spec.readSlots(step.inst) : step.pre;
  const actual = spec.slotsOf(step.observed, expected);
  const found = step.code === 0 ? diffStates(spec.meta, expected, actual) : [];
  spec.writeSlots(step.inst, actual);
  return found;
}
