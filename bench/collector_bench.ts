/**
 * Collector core throughput: in-process merge (dedup, sequence tracking,
 * reorder buffer) + a global invariant check after every applied event, for
 * 4, 16 and 64 nodes. Events are pre-decoded lease events (a correct
 * round-robin handoff, so every check passes and every event is checked):
 * - "1 partition": every node in one partition, so each check runs
 *   `OneHolder` (`forall a, b in nodes`) over all N participants (N² pairs);
 * - "256 partitions": the same nodes spread over 256 keys.
 * Batches of 256 events per node arrive round-robin; the collector clock
 * moves 1 ms per batch with a 250 ms window, so events are released
 * continuously as in production.
 *
 * Each case runs twice, interleaved: with the incremental global check and
 * the maintained aggregates (`global-check-node`, `global-check-agg`,
 * `global-liveness-agg`: what the compiler emits) and, as the anchor, with
 * the same core module whose exports are hidden (a spec compiled before
 * them: the collector checks every participant, and evaluates global
 * liveness over every participant, after every event).
 *
 * Run: `deno run -A bench/collector_bench.ts [events]` (prints events per
 * wall second and per CPU second of the process, both best of 3), or
 * `deno bench -A bench/collector_bench.ts`. With `--base <git revision>`
 * it compares instead the engine of that revision (its `edge/` and `lib/`,
 * extracted to a temporary directory) with this tree's, on the incremental
 * spec, best of 5 interleaved runs.
 *
 * @module
 */
import process from "node:process";
import { compileToTemp, specSource } from "../tools/harness/spec_files.ts";
import { withoutExport } from "../tools/harness/older_spec.ts";
import { treeAt } from "../tools/harness/tree_at.ts";
import { loadCompiled } from "../lib/abi/loader.ts";
import { createCollector } from "../edge/engine/collector.ts";
import type { CompiledSpec } from "../lib/abi/compiled.ts";
import type { DecodedBatch, DecodedEvent } from "../lib/wire/event.ts";

export const { spec, files } = await compileToTemp("lease", specSource("lease"));
/** The anchor: the same module without `global-check-node`, `global-after` and the maintained aggregates. */
export const fullSpec = await loadCompiled(
  withoutExport(
    withoutExport(
      withoutExport(files.get("lease.core.wasm")!, "global-check-node"),
      "global-check-agg",
    ),
    "global-after",
  ),
);
if (
  fullSpec.globalCheckNode !== undefined || fullSpec.globalAggregates !== undefined ||
  fullSpec.globalAfter !== undefined
) {
  throw new Error("The anchor still has an incremental export");
}

function states(s: CompiledSpec): { free: Uint8Array; held: Uint8Array[] } {
  const inst = s.create();
  const free = s.stateBytes(inst);
  const acquire = s.actionIndex("acquire");
  const held = [1, 2, 3].map((c) => {
    s.setStateBytes(inst, free);
    s.stepFn(acquire)(inst, c);
    return s.stateBytes(inst);
  });
  return { free, held };
}

const { free, held } = states(spec);
const ACQUIRE = spec.actionIndex("acquire");
const RELEASE = spec.actionIndex("release");

/** Batches for `nodes` nodes, `perNode` events each, over `keys` partitions, interleaved round-robin. */
export function workload(nodes: number, perNode: number, keys: number): DecodedBatch[] {
  const streams: DecodedEvent[][] = Array.from({ length: nodes }, () => []);
  const total = nodes * perNode;
  for (let s = 0; s < total; s++) {
    // Global step s: in partition (s/2) % keys, node (s/2/keys) % nodes acquires (even s) or releases.
    const turn = s >> 1;
    const n = Math.floor(turn / keys) % nodes;
    const stream = streams[n]!;
    const acquire = (s & 1) === 0;
    stream.push({
      key: `lock:${turn % keys}`,
      wall: 1_732_170_000_000 + (s >> 4),
      logical: s & 15,
      action: acquire ? ACQUIRE : RELEASE,
      args: [(n % 3) + 1],
      state: acquire ? held[n % 3]! : free,
      verdict: 0,
      seq: stream.length,
    });
  }
  const batches: DecodedBatch[][] = streams.map((evs, n) => {
    const out: DecodedBatch[] = [];
    for (let i = 0; i < evs.length; i += 256) {
      out.push({
        version: 1,
        spec: spec.meta.sourceHash,
        specName: spec.meta.name,
        node: `node-${String(n).padStart(2, "0")}`,
        boot: "boot-1",
        firstSeq: i,
        dropped: [],
        events: evs.slice(i, i + 256),
      });
    }
    return out;
  });
  const out: DecodedBatch[] = [];
  for (let i = 0; batches.some((b) => i < b.length); i++) {
    for (const b of batches) if (i < b.length) out.push(b[i]!);
  }
  return out;
}

/**
 * Runs a workload through a fresh collector (of `compiled`, default the
 * incremental one; made by `create`, default this tree's engine); returns
 * events applied.
 */
export function run(
  batches: readonly DecodedBatch[],
  compiled: CompiledSpec = spec,
  create: typeof createCollector = createCollector,
): number {
  let now = 0;
  const c = create({ specs: [compiled], now: () => now, windowMs: 250 });
  for (const b of batches) {
    c.ingest(b);
    now += 1;
  }
  c.flush();
  const m = c.metrics();
  if (m.violations !== 0 || m.late !== 0) {
    throw new Error(`Unexpected ${m.violations} violations, ${m.late} late`);
  }
  return m.applied;
}

const CASES = [4, 16, 64].flatMap((n) => [
  { name: `${n} nodes, 1 partition`, nodes: n, keys: 1 },
  { name: `${n} nodes, 256 partitions`, nodes: n, keys: 256 },
]);

for (const k of CASES) {
  const batches = workload(k.nodes, Math.ceil(16_384 / k.nodes), k.keys);
  for (const [variant, compiled] of [["full check", fullSpec], ["incremental", spec]] as const) {
    Deno.bench({
      name: `${k.name}, ${variant}`,
      group: `collector ${k.name}`,
      baseline: compiled === fullSpec,
      fn: () => void run(batches, compiled),
    });
  }
}

/**
 * `createCollector` of the engine at git revision `rev`: its `edge/` and
 * `lib/`, extracted beside the tree (`tools/harness/tree_at.ts`), imported from there.
 */
async function engineAt(rev: string): Promise<typeof createCollector> {
  const dir = await treeAt(rev, ["edge", "lib"]);
  const mod = await import(`file://${dir}/edge/engine/collector.ts`);
  return mod.createCollector;
}

/**
 * `--base <rev>`: the engine of that revision against this tree's, both
 * with the incremental spec, interleaved, best of `rounds` (CPU and wall).
 */
async function compareEngines(rev: string, total: number, rounds: number): Promise<void> {
  const base = await engineAt(rev);
  console.log(
    `engine at '${rev}' vs this tree, incremental spec, ${total} events per run, best of ${rounds} ` +
      `interleaved runs: events per CPU second of the process (per wall second)`,
  );
  for (const k of CASES) {
    const batches = workload(k.nodes, Math.ceil(total / k.nodes), k.keys);
    const wall = [Infinity, Infinity];
    const cpu = [Infinity, Infinity];
    let applied = 0;
    run(batches, spec, base);
    run(batches, spec);
    for (let r = 0; r < rounds; r++) {
      [base, createCollector].forEach((create, v) => {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        applied = run(batches, spec, create);
        wall[v] = Math.min(wall[v]!, performance.now() - t0);
        const c = process.cpuUsage(c0);
        cpu[v] = Math.min(cpu[v]!, (c.user + c.system) / 1000);
      });
    }
    const rate = (ms: number) => Math.round(applied / (ms / 1000)).toLocaleString("en-US");
    console.log(
      `${k.name.padEnd(26)} before ${rate(cpu[0]!).padStart(10)} (${rate(wall[0]!)}) now ${
        rate(cpu[1]!).padStart(10)
      } (${rate(wall[1]!)}) ${(cpu[0]! / cpu[1]!).toFixed(2)}x`,
    );
  }
}

if (import.meta.main && Deno.args.includes("--base")) {
  const at = Deno.args.indexOf("--base");
  const rest = Deno.args.filter((_, i) => i !== at && i !== at + 1);
  await compareEngines(Deno.args[at + 1] ?? "HEAD", Number(rest[0] ?? 300_000), 5);
} else if (import.meta.main) {
  const total = Number(Deno.args[0] ?? 1_000_000);
  console.log(
    `collector core, ${total} events per run, best of 3 interleaved runs: events per wall second, ` +
      `and per CPU second of this process (all its threads; the figure to read on a shared machine)`,
  );
  console.log(
    `${"case".padEnd(26)} ${"full check".padStart(11)} ${"incremental".padStart(11)} ratio` +
      ` | ${"cpu full".padStart(11)} ${"cpu incr.".padStart(11)} ratio`,
  );
  for (const k of CASES) {
    const batches = workload(k.nodes, Math.ceil(total / k.nodes), k.keys);
    const wall = [Infinity, Infinity];
    const cpu = [Infinity, Infinity];
    let applied = 0;
    run(batches, fullSpec); // warm up
    run(batches, spec);
    for (let r = 0; r < 3; r++) {
      [fullSpec, spec].forEach((compiled, v) => {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        applied = run(batches, compiled);
        wall[v] = Math.min(wall[v]!, performance.now() - t0);
        const c = process.cpuUsage(c0);
        cpu[v] = Math.min(cpu[v]!, (c.user + c.system) / 1000);
      });
    }
    const rate = (ms: number) => Math.round(applied / (ms / 1000));
    const fmt = (ms: number) => rate(ms).toLocaleString("en-US").padStart(11);
    const ratio = (ms: number[]) => `${(ms[0]! / ms[1]!).toFixed(1)}x`.padStart(5);
    console.log(
      `${k.name.padEnd(26)} ${fmt(wall[0]!)} ${fmt(wall[1]!)} ${ratio(wall)} | ${fmt(cpu[0]!)} ${
        fmt(cpu[1]!)
      } ${ratio(cpu)}`,
    );
  }
}
