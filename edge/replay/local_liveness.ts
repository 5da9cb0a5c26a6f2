/**
 * Local liveness in replay: for each item `liveness N within D when P then
 * eventually Q` of a spec, per (node, key) instance. After each step, the
 * compiled `liveness(inst)` mask gives P (bit 2i) and Q (bit 2i+1): Q
 * discharges an open obligation; P with Q false and none open starts one,
 * due at the step's time + D. Before each step, an obligation whose
 * deadline the step's time passes (strictly) has timed out: a
 * `liveness_timeout` violation citing the line that opened it and the line
 * that found it late. At the end of the logs, obligations whose deadline
 * the last time read has passed time out the same way; those still within
 * their bound are not reported (the logs say nothing yet).
 *
 * @module
 */
import type { CompiledSpec } from "../../lib/abi/compiled.ts";
import type { Instance } from "./log_streams.ts";

/** The shared empty result (the hot path allocates nothing). */
const NO_TIMEOUTS: readonly Timeout[] = Object.freeze([]);

/** No open obligation. */
const NONE = -Infinity;

/** A local liveness item. */
export interface LivenessItem {
  readonly name: string;
  readonly bit: number;
  readonly withinMs: number;
  readonly line: number;
  readonly column: number;
}

/** An obligation that timed out. */
export interface Timeout {
  readonly item: LivenessItem;
  readonly deadline: number;
  /** Sequence number of the step that opened it. */
  readonly openedBy: number;
}

/** The local liveness items of a spec (empty when it has none). */
export function livenessItems(c: CompiledSpec): LivenessItem[] {
  return c.meta.liveness.map((p, i) => ({
    name: p.name,
    bit: p.bit ?? i,
    withinMs: p.withinMs ?? 0,
    line: p.range.line,
    column: p.range.column,
  }));
}

/**
 * Times out the obligations of `inst` whose deadline `time` passes.
 *
 * @example Check before a step
 * ```ts ignore
 * for (const t of expire(items, inst, ev.wall)) report(t);
 * ```
 */
export function expire(
  items: readonly LivenessItem[],
  inst: Instance,
  time: number,
): readonly Timeout[] {
  const d = inst.deadlines;
  if (d === null) return NO_TIMEOUTS;
  let out: Timeout[] | null = null;
  for (let i = 0; i < items.length; i++) {
    if (d[i]! !== NONE && time > d[i]!) {
      (out ??= []).push({ item: items[i]!, deadline: d[i]!, openedBy: inst.openedBy![i]! });
      d[i] = NONE;
    }
  }
  return out ?? NO_TIMEOUTS;
}

/**
 * Updates the obligations of `inst` after a step at `wall` (sequence `seq`).
 *
 * @example Track after a step
 * ```ts ignore
 * track(items, compiled, inst, ev.wall, seq);
 * ```
 */
export function track(
  items: readonly LivenessItem[],
  c: CompiledSpec,
  inst: Instance,
  wall: number,
  seq: number,
): void {
  const mask = c.liveness(inst.index);
  for (let i = 0; i < items.length; i++) {
    const bit = items[i]!.bit;
    const when = (mask >>> (2 * bit)) & 1;
    const eventually = (mask >>> (2 * bit + 1)) & 1;
    if (eventually) {
      if (inst.deadlines !== null) inst.deadlines[i] = NONE;
    } else if (when) {
      const d = inst.deadlines ??= new Float64Array(items.length).fill(NONE);
      const by = inst.openedBy ??= new Int32Array(items.length);
      if (d[i]! === NONE) {
        d[i] = wall + items[i]!.withinMs;
        by[i] = seq;
      }
    }
  }
}
