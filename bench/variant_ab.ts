/**
 * A/B of two variants of the collector's code in ONE process, taking turns
 * run by run: the way to tell a change of 3% on a machine whose speed
 * drifts by 20% within the hour (separate processes, as
 * `bench/causal_bench.ts --base --procs` runs them, read 0.94-0.97x for the
 * same tree against itself; here the drift hits both variants alike).
 *
 * The variants are a global the code under test reads, in a working-tree
 * experiment that is never committed:
 *
 * ```ts ignore
 * if ((globalThis as { VIGIL_AB?: number }).VIGIL_AB === 1) { ... the new way ... } else { ... the old ... }
 * ```
 *
 * Both ways are compiled into the same functions, so keep a change only
 * once it wins here, then take the old way and the toggle out and confirm
 * with `bench/causal_bench.ts --base` (separate processes).
 *
 * Workload: `bench/causal_bench.ts`'s (lease handoffs over 256 keys, every
 * acquire carrying the previous holder's stamp, batches of 256 events per
 * node, 1 ms of collector time per batch, 250 ms window), 262,144 events
 * per run.
 *
 * Run: `deno run -A bench/variant_ab.ts [--variants 0,1] [--rounds 9]
 * [--nodes 16] [--keys 256] [--off] [--steady]`: each variant warms up
 * twice, then the variants take turns `--rounds` times, in an order that
 * turns around every round (the one run second read cheaper); prints the
 * median CPU ms of the process per run of each, its events per CPU
 * second, and the median of its per-round ratios to the first variant
 * (take a change that reads 3% better twice). `--off`: causal verdicts off.
 * `--steady`: one long-running collector whose traffic continues run after
 * run (no set-up in the figure, as `bench/collector_bench.ts --steady`);
 * otherwise a fresh collector per run, flushed (as `causal_bench.ts`).
 *
 * `--profile <file>`: instead, a V8 CPU profile of 8 runs of the first
 * variant, written to `<file>`, and its top functions and lines
 * (`bench/v8_profile.ts`; lines need `--v8-flags=--detailed-line-info`).
 *
 * @module
 */
import process from "node:process";
import { compileToTemp, specSource } from "../tools/harness/spec_files.ts";
import { createCollector } from "../edge/engine/collector.ts";
import { HandoffTraffic, ingestHandoffs } from "../tools/harness/handoff_traffic.ts";
import { median } from "../tools/harness/variant_processes.ts";
import { emittedSource, startProfiler, topLines, topSelf } from "./v8_profile.ts";

/** Events per run. */
const EVENTS = 1 << 18;

/** The options of a run of this script. */
export interface VariantAbOptions {
  /** The values `VIGIL_AB` takes in turn. */
  readonly variants: readonly number[];
  readonly rounds: number;
  readonly nodes: number;
  readonly keys: number;
  readonly causal: boolean;
  readonly steady: boolean;
  /** A file to write a CPU profile of the first variant to (then nothing is compared). */
  readonly profile: string | null;
}

/**
 * Parses this script's arguments; throws a `RangeError` naming a flag it
 * does not know or a count that is not a positive integer.
 *
 * @example Two variants, steady state
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseVariantAb } from "./variant_ab.ts";
 * const o = parseVariantAb(["--variants", "0,1", "--steady", "--rounds", "5"]);
 * assert.deepEqual([o.variants, o.steady, o.rounds, o.causal], [[0, 1], true, 5, true]);
 * assert.throws(() => parseVariantAb(["--round", "5"]), /Unknown flag '--round'/);
 * ```
 */
export function parseVariantAb(args: readonly string[]): VariantAbOptions {
  const counts: Record<string, number> = { rounds: 9, nodes: 16, keys: 256 };
  let variants = [0, 1];
  let causal = true;
  let steady = false;
  let profile: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const flag = args[i]!;
    const value = args[i + 1];
    const name = flag.slice(2);
    if (flag === "--off") causal = false;
    else if (flag === "--steady") steady = true;
    else if (flag === "--profile" && value !== undefined) profile = args[++i]!;
    else if (flag === "--variants" && value !== undefined) {
      variants = value.split(",").map(Number);
      if (variants.some((v) => !Number.isFinite(v))) {
        throw new RangeError(`'--variants ${value}': expected numbers separated by commas`);
      }
      i++;
    } else if (name in counts && value !== undefined) {
      const n = Number(value);
      if (!(Number.isInteger(n) && n > 0)) {
        throw new RangeError(`'${flag} ${value}': expected a positive integer`);
      }
      counts[name] = n;
      i++;
    } else throw new RangeError(`Unknown flag '${flag}' (or its value is missing)`);
  }
  return {
    variants,
    rounds: counts.rounds!,
    nodes: counts.nodes!,
    keys: counts.keys!,
    causal,
    steady,
    profile,
  };
}

/** Sets the global the code under test reads. */
function select(variant: number): void {
  (globalThis as { VIGIL_AB?: number }).VIGIL_AB = variant;
}

/** Runs the A/B (or the profile) `o` asks for; prints the figures. */
async function main(o: VariantAbOptions): Promise<void> {
  const { spec } = await compileToTemp("lease", specSource("lease"));
  const traffic = new HandoffTraffic(spec, { nodes: o.nodes, keys: o.keys, deps: true });
  const fresh = o.steady ? [] : traffic.next(EVENTS);
  // Steady: one collector, fed traffic that continues run after run (made before it is timed).
  let now = 0;
  const steady = o.steady
    ? createCollector({
      specs: [spec],
      now: () => now,
      windowMs: 250,
      ...(o.causal ? { maxSkewMs: 500 } : {}),
    })
    : null;
  const run = (batches: readonly Uint8Array[]) => {
    if (steady === null) {
      if (ingestHandoffs(createCollector, spec, batches, o.causal) !== 0) {
        throw new Error("Clean handoffs raised an alert");
      }
      return;
    }
    for (const b of batches) {
      now++;
      steady.ingestBytes(b);
    }
  };
  const next = () => o.steady ? traffic.next(EVENTS) : fresh;
  for (const v of o.variants) {
    select(v);
    run(next());
    run(next());
  }
  if (o.profile !== null) {
    select(o.variants[0]!);
    const loads = Array.from({ length: 8 }, next);
    const profiler = await startProfiler({ cpuFile: o.profile });
    for (const batches of loads) run(batches);
    const { cpu } = await profiler.stop();
    console.log(`CPU profile of 8 runs, variant ${o.variants[0]} (${o.profile}):`);
    console.log(topSelf(cpu!, 25).join("\n"));
    console.log("Lines:");
    console.log(topLines(cpu!, 40, emittedSource).join("\n"));
    return;
  }
  const ms: number[][] = o.variants.map(() => []);
  // The order turns around every round (A B, B A, ...): with a fixed order the variant run second
  // read up to 5% cheaper than the same code run first (null checks of 0.949 and 0.944).
  const order = o.variants.map((_, k) => k);
  for (let r = 0; r < o.rounds; r++) {
    for (const k of r % 2 === 0 ? order : [...order].reverse()) {
      const batches = next();
      select(o.variants[k]!);
      const c0 = process.cpuUsage();
      run(batches);
      const c = process.cpuUsage(c0);
      ms[k]!.push((c.user + c.system) / 1000);
    }
  }
  if (steady !== null && steady.violations().length !== 0) {
    throw new Error("Clean handoffs raised an alert");
  }
  // Each round's ratio to the first variant, then their median: steadier than a ratio of medians
  // while the machine's speed drifts from round to round.
  const ratio = (k: number) => median(ms[k]!.map((t, r) => t / ms[0]![r]!));
  console.log(
    `${o.nodes} nodes, ${o.keys} keys, causal ${o.causal ? "on" : "off"}, ${
      o.steady ? "one long-running collector" : "a fresh collector per run"
    }, ${EVENTS} events per run, ${o.rounds} rounds: median CPU ms of the process per run`,
  );
  o.variants.forEach((v, k) => {
    const m = median(ms[k]!);
    console.log(
      `VIGIL_AB=${v}: ${m.toFixed(1)} ms (${
        (EVENTS / m / 1000).toFixed(2)
      }M events per CPU second), ${
        ratio(k).toFixed(3)
      }x the first (median of the rounds' ratios); runs ${
        ms[k]!.map((t) => t.toFixed(0)).join(" ")
      }`,
    );
  });
}

if (import.meta.main) {
  let options: VariantAbOptions;
  try {
    options = parseVariantAb(Deno.args);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    console.error(`bench/variant_ab.ts: ${e.message}`);
    Deno.exit(2);
  }
  await main(options);
}
