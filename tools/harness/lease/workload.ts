/**
 * The Lease workload the end-to-end publishers send (`bench/e2e_publisher.ts`)
 * and the in-process benchmarks of either end replay
 * (`bench/ingest_bench.ts`, `bench/publish_bench.ts`): `--nodes` SDK nodes,
 * each with `--keys` Lease monitors on keys of its own, stepped round robin
 * (acquire then release: two events per round), batches of
 * `--max-events`. The flags, the compiled spec and the stepping live here
 * so the benchmarks measure the same traffic.
 *
 * @module
 */
import { loadCompiled } from "../../../lib/abi/mod.ts";
import type { CompiledSpec } from "../../../lib/abi/mod.ts";
import { createNode } from "../../../runtime/monitor/node.ts";
import { loadSpec } from "../../../runtime/monitor/load_spec.ts";
import type { LoadedSpec } from "../../../runtime/monitor/load_spec.ts";
import type { Monitor, MonitorOptions } from "../../../runtime/monitor/monitor_types.ts";
import { type BenchArgs, benchArgs, integerFlag } from "../bench_args.ts";
import { compileToTemp, specSource } from "../spec_files.ts";

/** The workload's size, from the command line. */
export interface LeaseWorkloadFlags {
  /** Events in all (`--events`). */
  readonly events: number;
  /** Measured rounds of a benchmark (`--rounds`). */
  readonly rounds: number;
  /** SDK nodes (`--nodes`). */
  readonly nodes: number;
  /** Keys per node (`--keys`). */
  readonly keys: number;
  /** Batch size (`--max-events`). */
  readonly maxEvents: number;
  /** Every flag parsed, the benchmark's own included. */
  readonly args: BenchArgs;
}

/**
 * Parses the workload flags (`--events`, `--rounds`, `--nodes`, `--keys`,
 * `--max-events`, with the given defaults) and a benchmark's own string
 * flags `extra`.
 *
 * @example Defaults and one flag given
 * ```ts
 * import assert from "node:assert/strict";
 * import { leaseWorkloadFlags } from "./workload.ts";
 * const f = leaseWorkloadFlags(["--nodes", "4"], { events: 1000 });
 * assert.deepEqual([f.events, f.nodes, f.keys, f.maxEvents], [1000, 4, 64, 256]);
 * ```
 */
export function leaseWorkloadFlags(
  args: readonly string[],
  defaults: Partial<Omit<LeaseWorkloadFlags, "args">> = {},
  extra: readonly string[] = [],
): LeaseWorkloadFlags {
  const parsed = benchArgs(args, {
    string: ["events", "rounds", "nodes", "keys", "max-events", ...extra],
  });
  const num = (name: string, dflt: number) => integerFlag(parsed, name, { default: dflt });
  return {
    events: num("events", defaults.events ?? 400_000),
    rounds: num("rounds", defaults.rounds ?? 5),
    nodes: num("nodes", defaults.nodes ?? 8),
    keys: num("keys", defaults.keys ?? 64),
    maxEvents: num("max-events", defaults.maxEvents ?? 256),
    args: parsed,
  };
}

/** Lease compiled into a temporary directory, loaded for the SDK and for the collector. */
export interface CompiledLease {
  /** The directory holding `lease.js`, `lease.core.wasm`, ... */
  readonly dir: string;
  /** For monitors (`lease.monitor(...)`). */
  readonly lease: LoadedSpec;
  /** For a collector (`createCollector({ specs: [compiled] })`). */
  readonly compiled: CompiledSpec;
}

/**
 * Compiles `specs/lease.vigil` into a temporary directory and loads it both
 * ways (no `deno task build` needed).
 *
 * @example Compile once per benchmark
 * ```ts ignore
 * const { lease, compiled } = await compiledLease();
 * ```
 */
export async function compiledLease(): Promise<CompiledLease> {
  const dir = (await compileToTemp("lease", specSource("lease"))).dir;
  return {
    dir,
    lease: await loadSpec(`${dir}/lease.js`),
    compiled: await loadCompiled(`${dir}/lease.js`),
  };
}

/** Options of {@link leaseMonitors}. */
export interface LeaseMonitorsOptions {
  readonly nodes: number;
  readonly keys: number;
  /** Node ids are `<prefix>-n<i>`, keys `<prefix>:<i>:<k>`. */
  readonly prefix: string;
  /** The sink of node `i`'s monitors; none when absent (the monitors alone). */
  readonly sinkOf?: (node: number) => MonitorOptions["sink"] | undefined;
}

/**
 * The monitors of the workload, by node: `nodes` SDK nodes with `keys`
 * Lease monitors each, in observe mode.
 *
 * @example Two nodes of three keys, no sink
 * ```ts ignore
 * const { lease } = await compiledLease();
 * const monitors = leaseMonitors(lease, { nodes: 2, keys: 3, prefix: "p0" });
 * stepLease(monitors, 0); // node 0, key 0: acquire, release
 * ```
 */
export function leaseMonitors(lease: LoadedSpec, options: LeaseMonitorsOptions): Monitor[][] {
  return Array.from({ length: options.nodes }, (_, i) => {
    const node = createNode({ id: `${options.prefix}-n${i}` });
    const sink = options.sinkOf?.(i);
    return Array.from({ length: options.keys }, (_, k) =>
      lease.monitor({
        node,
        key: `${options.prefix}:${i}:${k}`,
        mode: "observe",
        ...(sink === undefined ? {} : { sink }),
      }));
  });
}

/**
 * Round `round` of the workload: the round's monitor (nodes in turn, then
 * keys) acquires and releases; two events.
 *
 * @example The rounds visit every node before the next key
 * ```ts ignore
 * for (let round = 0; sent < total; round++, sent += 2) stepLease(monitors, round);
 * ```
 */
export function stepLease(monitors: readonly (readonly Monitor[])[], round: number): void {
  const node = monitors[round % monitors.length]!;
  const m = node[Math.floor(round / monitors.length) % node.length]!;
  m.tryStep("acquire", { c: 1 });
  m.tryStep("release", { c: 1 });
}
