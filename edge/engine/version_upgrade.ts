/**
 * One older served version of a spec, linked to the newest: how the
 * collector carries a state reported by a node still on the older version
 * into the layout of the newest, whose compiled module holds the
 * partition's participants and runs its global checks. The conversion is
 * `lib/abi/state_convert.ts` (by variable name, planned once per version);
 * a state it cannot carry comes back as a problem for the applier to mark
 * the partition `mixed` with. Internal.
 *
 * @module
 */
import {
  type ConversionProblem,
  convertBlock,
  planConversion,
  type StateConversion,
} from "../../lib/abi/state_convert.ts";
import type { CompiledSpec } from "../../lib/abi/compiled.ts";
import type { EventStore } from "./event_store.ts";
import type { ServedSpec } from "./served_spec.ts";

/** The first 12 hex digits of a spec hash: how versions are named in messages. */
export function shortHash(hash: string): string {
  return hash.slice(0, 12);
}

/** Where a converted state goes: an instance of the newest version's module. */
export interface UpgradeTarget {
  readonly compiled: CompiledSpec;
  readonly inst: number;
}

/** Carries states of an older served version to the newest one. */
export class VersionUpgrade {
  /** The older version. */
  readonly from: ServedSpec;
  /** The newest version of the same spec name. */
  readonly to: ServedSpec;
  /** The conversion, planned once. */
  readonly plan: StateConversion;

  /**
   * Links an older version to the newest.
   *
   * @example Convert a state of Lease to a version that adds a variable
   * ```ts ignore
   * // With `v1` and `v2` served specs of Lease (v2 newest):
   * const up = new VersionUpgrade(v1, v2);
   * const problem = up.writeTo(v1.compiled.stateBytes(inst), { compiled: v2.compiled, inst: target });
   * ```
   */
  constructor(from: ServedSpec, to: ServedSpec) {
    this.from = from;
    this.to = to;
    this.plan = planConversion(from.compiled.meta, to.compiled.meta);
  }

  /** The state of store slot `slot` (in `from`'s layout), copied to `from`'s staging bytes (overwritten at each use). */
  stage(store: EventStore, slot: number): Uint8Array {
    store.copyState(slot, this.from.staging, this.from.staging32);
    return this.from.staging;
  }

  /**
   * Converts `state` (in `from`'s layout) and writes it to instance
   * `target.inst` of `target.compiled` (the newest version's module);
   * returns null, or the problem when it does not convert (nothing written).
   */
  writeTo(state: Uint8Array, target: UpgradeTarget): ConversionProblem | null {
    const r = convertBlock(this.plan, state);
    if (!r.ok) return r.problem;
    const bad = target.compiled.writeSlots(target.inst, r.slots);
    if (bad === 0) return null;
    return {
      variable: "",
      reason: `Slot ${bad - 1} of the converted state is outside its type in version '${
        shortHash(this.to.hash)
      }'`,
    };
  }
}
