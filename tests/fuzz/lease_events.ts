/**
 * Real Lease events for the ingest fuzzer: the compiled `dist/lease.js`
 * (compiled afresh into a temporary directory when `dist/` is not built),
 * and a pool of step events made by real monitors in observe mode (genuine
 * state blocks, actions, arguments and local verdicts, refused steps and
 * unknown actions included), per lane and key, that valid batches draw from.
 *
 * @module
 */
import { loadCompiled } from "../../lib/abi/mod.ts";
import type { CompiledSpec } from "../../lib/abi/mod.ts";
import { createClock } from "../../runtime/monitor/clock.ts";
import type { StepEvent } from "../../lib/wire/event.ts";
import { loadSpec } from "../../runtime/monitor/load_spec.ts";
import { compiledDir } from "../../tools/harness/sdk_fixture.ts";
import { Rand } from "./rand.ts";

/** One pooled step: everything of an event but its key, time and number. */
export interface PoolEvent {
  readonly action: number;
  readonly args: readonly number[];
  readonly state: Uint8Array;
  readonly verdict: number;
}

/** The Lease spec as the fuzzer uses it. */
export interface LeaseKit {
  /** Path of the compiled bindings (each session's collector loads its own instance). */
  readonly bindings: string;
  readonly hash: string;
  readonly name: string;
  /** State block bytes. */
  readonly stride: number;
  /** Number of actions and of verdict codes (for out-of-range mutations). */
  readonly actions: number;
  readonly verdicts: number;
  /** Pooled events: `pool[lane][key]` lists the steps of one monitor. */
  readonly pool: readonly (readonly (readonly PoolEvent[])[])[];
  /** A fresh collector-side instance of the spec. */
  compiled(): Promise<CompiledSpec>;
}

/** Lanes (simulated node histories) and keys in the pool. */
export const POOL_LANES = 4;
export const POOL_KEYS = 16;
const PER_MONITOR = 48;

async function bindingsPath(): Promise<string> {
  const dist = new URL("../../dist/lease.js", import.meta.url);
  try {
    await Deno.stat(dist);
    return dist.href;
  } catch {
    return new URL(`file://${await compiledDir("lease")}/lease.js`).href;
  }
}

let kit: Promise<LeaseKit> | undefined;

/** The Lease kit, built once per process. */
export function leaseKit(): Promise<LeaseKit> {
  kit ??= buildKit();
  return kit;
}

async function buildKit(): Promise<LeaseKit> {
  const bindings = await bindingsPath();
  const sdk = await loadSpec(bindings);
  const r = new Rand(0x1ea5e);
  const pool: PoolEvent[][][] = [];
  for (let lane = 0; lane < POOL_LANES; lane++) {
    const keys: PoolEvent[][] = [];
    let t = 1_000;
    const clock = createClock({ now: () => t });
    for (let k = 0; k < POOL_KEYS; k++) {
      const events: PoolEvent[] = [];
      const m = sdk.monitor({
        node: { id: `pool-${lane}`, boot: "pool", clock },
        key: `pool:${k}`,
        mode: "observe",
        sink: {
          push: (e: StepEvent) =>
            events.push({
              action: e.action,
              args: Array.from(e.args),
              state: e.state.slice(),
              verdict: e.verdict,
            }),
        },
      });
      while (events.length < PER_MONITOR) {
        t += r.int(3);
        const action = r.weighted([[10, "acquire"], [10, "release"], [1, "renew"]] as const);
        m.step(action, action === "renew" ? {} : { c: r.int(4) });
      }
      m.close();
      keys.push(events);
    }
    pool.push(keys);
  }
  return {
    bindings,
    hash: sdk.hash,
    name: sdk.name,
    stride: sdk.meta.stride,
    actions: sdk.meta.actions.length,
    verdicts: sdk.meta.verdicts.length,
    pool,
    compiled: () => loadCompiled(bindings),
  };
}
