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
import { readBlock } from "../../lib/abi/state_codec.ts";
import {
  type ConversionProblem,
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

/** Carries states of an older served version to the newest one. */
export class VersionUpgrade {
  /** The older version. */
  readonly from: ServedSpec;
  /** The newest version of the same spec name. */
  readonly to: ServedSpec;
  /** The conversion, planned once. */
  readonly plan: StateConversion;
  /** `from`'s staging bytes as a `DataView` (slots are read from it). */
  readonly #view: DataView;

  /**
   * Links an older version to the newest.
   *
   * @example Convert a state of Lease to a version that adds a variable
   * ```ts ignore
   * // With `v1` and `v2` served specs of Lease (v2 newest):
   * const up = new VersionUpgrade(v1, v2);
   * const problem = up.writeBytes(v1.compiled.stateBytes(inst), v2.compiled, target);
   * ```
   */
  constructor(from: ServedSpec, to: ServedSpec) {
    this.from = from;
    this.to = to;
    this.plan = planConversion(from.compiled.meta, to.compiled.meta);
    this.#view = new DataView(from.staging.buffer, from.staging.byteOffset, from.stride);
  }

  /**
   * Converts the state of store slot `slot` (in `from`'s layout) and writes
   * it to instance `inst` of `target` (the newest version's module); returns
   * null, or the problem when the state does not convert (nothing written).
   */
  write(
    store: EventStore,
    slot: number,
    target: CompiledSpec,
    inst: number,
  ): ConversionProblem | null {
    store.copyState(slot, this.from.staging, this.from.staging32);
    return this.#writeStaged(target, inst);
  }

  /** {@link write} for a state given as bytes (a restored participant). */
  writeBytes(state: Uint8Array, target: CompiledSpec, inst: number): ConversionProblem | null {
    if (state.length !== this.from.stride) {
      return {
        variable: "",
        reason: `State of ${state.length} bytes, expected ${this.from.stride} for version '${
          shortHash(this.from.hash)
        }'`,
      };
    }
    this.from.staging.set(state);
    return this.#writeStaged(target, inst);
  }

  #writeStaged(target: CompiledSpec, inst: number): ConversionProblem | null {
    const slots = readBlock(this.#view, 0, this.from.compiled.meta.slots);
    const r = this.plan.convert(slots);
    if (!r.ok) return r.problem;
    const bad = target.writeSlots(inst, r.slots);
    if (bad === 0) return null;
    return {
      variable: "",
      reason: `Slot ${bad - 1} of the converted state is outside its type in version '${
        shortHash(this.to.hash)
      }'`,
    };
  }
}
