/**
 * Test helper: a seeded sequence of lease steps by name through a monitor
 * without a sink (the fast step), some with arguments the fast step leaves
 * to the general path (a bigint, a missing argument, an unknown action):
 * the verdict codes and the final state. Run in workerd by `probe.ts` and
 * in Deno by `tests/workerd_fast_step_test.ts`.
 *
 * @module
 */
import type { LoadedSpec } from "../../../runtime/monitor/load_spec.ts";
import type { ActionArgs } from "../../../runtime/monitor/monitor_types.ts";

/** What a run gives: each step's verdict code (or -1 for a thrown error) and the final state. */
export interface LeaseRun {
  readonly codes: readonly number[];
  readonly state: Record<string, string>;
}

/**
 * Steps one lease monitor `n` times by name: acquire and release of
 * clients -1..4, every 7th argument a bigint, every 11th missing, every
 * 13th step an unknown action.
 *
 * @example Run ten steps
 * ```ts ignore
 * const run = leaseSteps(await loadSpec("dist/lease.core.wasm"), 10);
 * ```
 */
export function leaseSteps(spec: LoadedSpec, n: number): LeaseRun {
  const m = spec.monitor({ key: "lock:w" });
  let seed = 7;
  const codes: number[] = [];
  for (let i = 0; i < n; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const c = ((seed >>> 16) % 6) - 1;
    const action = i % 13 === 12 ? "renew" : (seed & 1) === 0 ? "acquire" : "release";
    const args: ActionArgs = i % 11 === 10 ? {} : i % 7 === 6 ? { c: BigInt(c) } : { c };
    try {
      codes.push(m.tryStep(action, args).code);
    } catch {
      codes.push(-1);
    }
  }
  const state = Object.fromEntries(
    Object.entries(m.state).map((
      [k, v],
    ) => [
      k,
      typeof v === "object"
        ? JSON.stringify(v, (_, x) => typeof x === "bigint" ? String(x) : x)
        : String(v),
    ]),
  );
  return { codes, state };
}
