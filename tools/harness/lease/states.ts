/**
 * The Lease spec's state blocks, built by stepping a scratch instance of a
 * compiled Lease spec: free, and held by client 1, 2 and 3. Tests and
 * benchmarks that write events by hand (`bench/causal_bench.ts`,
 * `bench/causal_soak_bench.ts`, `tools/harness/collector_limits_fixture.ts`,
 * `tests/global_incremental_test.ts`) take the blocks from here.
 *
 * @module
 */
import type { CompiledSpec } from "../../../lib/abi/compiled.ts";

/** Lease states and action indexes for building events. */
export interface LeaseKit {
  readonly spec: CompiledSpec;
  readonly acquire: number;
  readonly release: number;
  /** The state after `release` (mode free). */
  readonly free: Uint8Array;
  /** The state after `acquire(c)`, by client 1..3 (index c - 1). */
  readonly held: readonly Uint8Array[];
}

/**
 * Builds the lease states by stepping a scratch instance of `spec` (a
 * compiled Lease spec: actions `acquire(c)` and `release(c)`). Throws when
 * an `acquire` from the initial (free) state is refused (the spec is not the Lease).
 *
 * @example The states of the shipped Lease spec
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "../../../lib/abi/mod.ts";
 * import { leaseKit } from "./states.ts";
 *
 * const kit = leaseKit(await loadCompiled(new URL("../../../dist/lease.js", import.meta.url)));
 * assert.equal(kit.held.length, 3);
 * assert.notDeepEqual(kit.held[0], kit.free);
 * ```
 */
export function leaseKit(spec: CompiledSpec): LeaseKit {
  const inst = spec.create();
  const free = spec.stateBytes(inst);
  const acquire = spec.actionIndex("acquire");
  const release = spec.actionIndex("release");
  const held = [1, 2, 3].map((c) => {
    spec.setStateBytes(inst, free);
    const code = spec.stepFn(acquire)(inst, c);
    if (code !== 0) {
      throw new Error(
        `Spec '${spec.meta.name}' refused 'acquire(${c})' from its initial state (code ${code})`,
      );
    }
    return spec.stateBytes(inst);
  });
  return { spec, acquire, release, free, held };
}
