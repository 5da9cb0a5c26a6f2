/**
 * Causal verdicts (issue 13): collector throughput with causal tracking on
 * (`maxSkewMs: 500`) and off (merge-order verdicts) in the same run, at 4,
 * 16 and 64 nodes, and the wire's bytes per event with and without
 * dependencies.
 *
 * Workload: lease handoffs over 256 partitions, round-robin over the
 * nodes, every acquire receiving the previous holder's stamp (so every
 * acquire carries a dependency: the worst case for the wire and for the
 * dependency table); every check passes. Batches of 256 events per node
 * are encoded once (`encodeBatch`, the SDK's writer; `tools/harness/handoff_traffic.ts`,
 * shared with `bench/collector_bench.ts --steady`) and ingested as bytes
 * (`ingestBytes`: decode, admit, reorder, apply, judge), round-robin over
 * the nodes, the collector clock moving 1 ms per batch with a 250 ms
 * window, then flushed.
 *
 * Run: `deno run -A bench/causal_bench.ts` (prints events/s per core, the
 * on/off ratio of medians of 5 interleaved runs each, and bytes per
 * event), or `deno bench -A bench/causal_bench.ts`.
 *
 * - `--base <git revision>`: the collector of that revision (its `edge/`
 *   and `lib/` extracted to a temporary directory) and this tree's (its
 *   `edge/` and `lib/` copied to one too, uncommitted changes included, so
 *   neither shares a module instance with this script's workload code:
 *   the tree imported in place, whose wire code also encodes the workload,
 *   read about 10% slower than a copy of itself, 16 nodes), each
 *   with causal verdicts on and off, interleaved, 5 rounds: the CPU
 *   seconds of the process per run (median), load-independent enough to
 *   compare on a shared machine, and what causal verdicts add in each
 *   (on less off: the engine's own changes between the two cancel out);
 *   and the bytes V8 allocated per event in each (median; garbage
 *   included, load-independent).
 * - `--base <git revision> --procs <p>`: the same four variants, each
 *   alone in processes of its own (`p` per variant, taking turns; each
 *   warms up once, then runs `--rounds` times): the figure for one
 *   collector on one core. In one process the four distort each other
 *   (16 nodes, same tree: ~255 CPU ms per run alone, 280-300 ms beside
 *   the others). Prints the process's CPU and the main thread's alone
 *   (V8's helper threads, garbage collection and compilation on the
 *   other core, excluded).
 * - `--snapshots <git revision> [keys]`: persist cost with causal verdicts
 *   on: a collector of `keys` (default 20,000) Lease partitions, 4 nodes,
 *   takes `snapshot()` after 8 partitions changed; that revision's
 *   collector and this tree's, interleaved, 9 rounds, median CPU ms of the
 *   call (since the judge marks what it changes in the dirty set, a
 *   snapshot no longer compares every partition).
 * - `--nodes <n,...>`: only these node counts (default 4,16,64), with any
 *   of the above; `--rounds <n>`: rounds of `--base` (odd, default 5).
 * - `--gc <nodes> <on|off>`: 3 runs at `nodes` nodes between the lines
 *   `gc window: start` and `gc window: end`, to count collections with
 *   `--v8-flags=--trace-gc` (the workload's own building stays outside).
 *
 * @module
 */
import { compileToTemp, specSource } from "../tools/harness/spec_files.ts";
import { createCollector } from "../edge/engine/collector.ts";
import process from "node:process";
import v8 from "node:v8";
import { treeAt } from "../tools/harness/tree_at.ts";
import { HandoffTraffic, ingestHandoffs } from "../tools/harness/handoff_traffic.ts";
import { changedKeys, LeaseHandoffs } from "../tools/harness/lease/handoffs.ts";
import { mainThreadCpuMs, median, takeTurns } from "../tools/harness/variant_processes.ts";

const { spec } = await compileToTemp("lease", specSource("lease"));
const KEYS = 256;
const EVENTS = 1 << 18;

/** The encoded batches of `nodes` nodes (interleaved round-robin), with or without dependencies. */
export function workload(nodes: number, deps: boolean): { batches: Uint8Array[]; events: number } {
  return {
    batches: new HandoffTraffic(spec, { nodes, keys: KEYS, deps }).next(EVENTS),
    events: EVENTS,
  };
}

/** Ingests every batch into a fresh collector (of `create`); returns the invariant alerts raised (0 expected). */
export function run(
  batches: readonly Uint8Array[],
  causal: boolean,
  create: typeof createCollector = createCollector,
): number {
  return ingestHandoffs(create, spec, batches, causal);
}

/** `--rounds n` (odd): rounds of `--base` (default 5). */
const ROUNDS = Deno.args.includes("--rounds")
  ? Number(Deno.args[Deno.args.indexOf("--rounds") + 1])
  : 5;

/** `--nodes 4,16`: only those sizes (default 4, 16 and 64). */
const sizes: readonly number[] = Deno.args.includes("--nodes")
  ? Deno.args[Deno.args.indexOf("--nodes") + 1]!.split(",").map(Number)
  : [4, 16, 64];
const loads = new Map(sizes.map((n) => [n, workload(n, true)]));

for (const n of sizes) {
  const { batches } = loads.get(n)!;
  const group = `${n} nodes, ${EVENTS} events`;
  Deno.bench(`merge order (causal off), ${n} nodes`, { group, baseline: true, n: 3 }, () => {
    run(batches, false);
  });
  Deno.bench(`causal verdicts (maxSkewMs 500), ${n} nodes`, { group, n: 3 }, () => {
    run(batches, true);
  });
}

/**
 * `createCollector` of the collector at git revision `rev`: its `edge/`
 * and `lib/` extracted to a temporary directory and imported from there.
 */
async function collectorAt(rev: string): Promise<typeof createCollector> {
  const dir = await treeAt(rev, ["edge", "lib"]);
  return (await import(`file://${dir}/edge/engine/collector.ts`)).createCollector;
}

/** CPU milliseconds of this process while `f` runs. */
function cpuMs(f: () => void): number {
  const c0 = process.cpuUsage();
  f();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

/** Bytes V8 allocated on its heap so far (`total_allocated_bytes`, not in Node's typings; NaN where missing). */
function allocatedSoFar(): number {
  const stats = v8.getHeapStatistics() as { total_allocated_bytes?: number };
  return stats.total_allocated_bytes ?? NaN;
}

/** Bytes V8 allocated on its heap while `f` runs (load-independent; garbage included). */
function allocated(f: () => void): number {
  const a0 = allocatedSoFar();
  f();
  return allocatedSoFar() - a0;
}

/**
 * `createCollector` of this working tree as it is (uncommitted changes
 * included): its `edge/` and `lib/` copied to a temporary directory and
 * imported from there, as `--base` imports the revision it compares with.
 */
async function collectorHere(): Promise<typeof createCollector> {
  return (await import(`file://${await copyOfTree()}/edge/engine/collector.ts`)).createCollector;
}

/** This working tree's `edge/` and `lib/` (uncommitted changes included) copied to a temporary directory; its path. */
async function copyOfTree(): Promise<string> {
  const root = new URL("..", import.meta.url).pathname;
  const dir = await Deno.makeTempDir({ prefix: "vigil-here-" });
  const out = await new Deno.Command("cp", {
    args: ["-r", `${root}edge`, `${root}lib`, dir],
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(`Copying this tree failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  return dir;
}

/** `--base <rev>`: that revision's collector with causal verdicts on against this tree's, on and off. */
async function compareWith(rev: string): Promise<void> {
  const base = await collectorAt(rev);
  const here = await collectorHere();
  console.log(
    `collector at '${rev}' vs this tree (a copy of its edge/ and lib/), ${EVENTS} events per run, median of ${ROUNDS} interleaved rounds: ` +
      `CPU ms of the process per run (M events per CPU second)`,
  );
  const rate = (ms: number) => (EVENTS / ms / 1000).toFixed(2);
  for (const n of sizes) {
    const { batches } = loads.get(n)!;
    const variants: [string, () => number][] = [
      [`${rev} on`, () => run(batches, true, base)],
      [`${rev} off`, () => run(batches, false, base)],
      ["now on", () => run(batches, true, here)],
      ["now off", () => run(batches, false, here)],
    ];
    const ms: number[][] = variants.map(() => []);
    const bytes: number[][] = variants.map(() => []);
    for (const [, f] of variants) f(); // warm up
    for (let r = 0; r < ROUNDS; r++) {
      variants.forEach(([, f], v) => {
        let a = 0;
        ms[v]!.push(cpuMs(() => a = allocated(f)));
        bytes[v]!.push(a);
      });
    }
    const mid = ROUNDS >> 1;
    const med = ms.map((t) => [...t].sort((a, b) => a - b)[mid]!);
    const perEvent = bytes.map((t) => [...t].sort((a, b) => a - b)[mid]! / EVENTS);
    console.log(
      `${n} nodes: ${
        variants.map(([name], v) => `${name} ${med[v]!.toFixed(0)} ms (${rate(med[v]!)}M)`).join(
          ", ",
        )
      }; on: now/${rev} ${
        (med[0]! / med[2]!).toFixed(2)
      }x; what causal adds (on less off): ${rev} ${(med[0]! - med[1]!).toFixed(0)} ms, now ${
        (med[2]! - med[3]!).toFixed(0)
      } ms; bytes allocated per event (median): ${
        variants.map(([name], v) => `${name} ${perEvent[v]!.toFixed(1)}`).join(", ")
      }`,
    );
  }
}

/** The four variants of `--base`, by index: which tree, causal verdicts on or off. */
function baseVariants(rev: string): { name: string; base: boolean; causal: boolean }[] {
  return [
    { name: `${rev} on`, base: true, causal: true },
    { name: `${rev} off`, base: true, causal: false },
    { name: "now on", base: false, causal: true },
    { name: "now off", base: false, causal: false },
  ];
}

/**
 * `--child`: one variant's collector alone in this process, `rounds` runs
 * after a warm-up; prints one JSON line: the median CPU ms of the process
 * per run, the main thread's mean CPU ms per run, bytes allocated per event.
 */
async function child(dir: string, causal: boolean, n: number): Promise<void> {
  const create = (await import(`file://${dir}/edge/engine/collector.ts`)).createCollector;
  const { batches } = loads.get(n) ?? workload(n, true);
  run(batches, causal, create); // warm up
  const ms: number[] = [];
  const bytes: number[] = [];
  const main0 = mainThreadCpuMs();
  for (let r = 0; r < ROUNDS; r++) {
    let a = 0;
    ms.push(cpuMs(() => a = allocated(() => run(batches, causal, create))));
    bytes.push(a / EVENTS);
  }
  const main = (mainThreadCpuMs() - main0) / ROUNDS;
  console.log(JSON.stringify({ ms: median(ms), main, bytes: median(bytes) }));
}

/** `--base <rev> --procs <p>`: each variant of {@link compareWith} alone in `p` processes of its own. */
async function compareInProcesses(rev: string, procs: number): Promise<void> {
  const baseDir = await treeAt(rev, ["edge", "lib"]);
  const hereDir = await copyOfTree();
  const variants = baseVariants(rev);
  console.log(
    `collector at '${rev}' vs this tree (a copy of its edge/ and lib/), ${EVENTS} events per run, ` +
      `each variant alone in ${procs} processes taking turns, ${ROUNDS} runs each after a warm-up: ` +
      `CPU ms of the process per run (M events per CPU second; median over processes of the median run), ` +
      `and of its main thread alone (mean)`,
  );
  const rate = (ms: number) => (EVENTS / ms / 1000).toFixed(2);
  for (const n of sizes) {
    const figures = await takeTurns(
      new URL(import.meta.url).pathname,
      variants.length,
      procs,
      (v) => [
        "--child",
        variants[v]!.base ? baseDir : hereDir,
        variants[v]!.causal ? "on" : "off",
        "--nodes",
        String(n),
        "--rounds",
        String(ROUNDS),
      ],
    );
    const of = (v: number, k: string) => median(figures[v]!.map((f) => f[k]!));
    const load = Deno.loadavg().map((x) => x.toFixed(1)).join(" ");
    console.log(
      `${n} nodes (load ${load}): ${
        variants.map((x, v) =>
          `${x.name} ${of(v, "ms").toFixed(0)} ms (${rate(of(v, "ms"))}M), main thread ${
            of(v, "main").toFixed(0)
          } ms (${rate(of(v, "main"))}M)`
        ).join(", ")
      }; on: now/${rev} ${(of(0, "ms") / of(2, "ms")).toFixed(2)}x; bytes allocated per event: ${
        variants.map((x, v) => `${x.name} ${of(v, "bytes").toFixed(1)}`).join(", ")
      }`,
    );
  }
}

/** A collector of `keys` Lease partitions (4 nodes, causal verdicts on) whose traffic is correct handoffs. */
class SnapshotFleet {
  readonly collector: ReturnType<typeof createCollector>;
  /** Nodes `node-0` to `node-3`, one ms per event from 1,000 (`tools/harness/lease/handoffs.ts`). */
  readonly #traffic = new LeaseHandoffs(spec, { nodes: 4, start: 1_000 });
  #round = 0;
  readonly #keys: number;

  constructor(create: typeof createCollector, keys: number) {
    this.#keys = keys;
    const traffic = this.#traffic;
    this.collector = create({
      specs: [spec],
      now: () => traffic.now,
      windowMs: 0,
      maxSkewMs: 500,
    });
    const all = Array.from({ length: keys }, (_, k) => k);
    for (let n = 0; n < 4; n++) this.#ingest(n, all);
    traffic.skip(10_000);
    this.collector.advance(traffic.now);
    this.collector.snapshot();
  }

  /**
   * Node `n` acquires then releases each of `keys`: a batch per 4,096 keys, each made and applied
   * before the next is made (the collector's clock is the traffic's).
   */
  #ingest(n: number, keys: readonly number[]): void {
    for (let i = 0; i < keys.length; i += 4096) {
      for (const batch of this.#traffic.batches(n, keys.slice(i, i + 4096))) {
        this.collector.ingest(batch);
        this.collector.flush();
      }
    }
  }

  /** Changes 8 partitions, then the CPU ms of `snapshot()`. */
  round(): number {
    const r = this.#round++;
    this.#ingest(r % 4, changedKeys(r, 8, this.#keys));
    return cpuMs(() => this.collector.snapshot());
  }
}

/** `--snapshots <rev> [keys]`: the CPU of a snapshot after 8 partitions changed, causal verdicts on. */
async function snapshotsAgainst(rev: string, keys: number): Promise<void> {
  const fleets: [string, SnapshotFleet][] = [
    [rev, new SnapshotFleet(await collectorAt(rev), keys)],
    ["now", new SnapshotFleet(createCollector, keys)],
  ];
  const ms: number[][] = [[], []];
  for (let r = 0; r < 9; r++) {
    for (let v = 0; v < 2; v++) {
      const at = (v + r) % 2; // each round starts with the other one
      ms[at]!.push(fleets[at]![1].round());
    }
  }
  const med = ms.map((t) => [...t].sort((a, b) => a - b)[4]!);
  console.log(
    `${keys} partitions, causal verdicts on, snapshot() after 8 changed, median of 9 interleaved, ` +
      `CPU ms: ${rev} ${med[0]!.toFixed(2)}, now ${med[1]!.toFixed(2)} (${
        (med[0]! / med[1]!).toFixed(1)
      }x)`,
  );
}

if (import.meta.main && Deno.args.includes("--snapshots")) {
  const at = Deno.args.indexOf("--snapshots");
  await snapshotsAgainst(Deno.args[at + 1] ?? "HEAD", Number(Deno.args[at + 2] ?? 20_000));
} else if (import.meta.main && Deno.args.includes("--child")) {
  const at = Deno.args.indexOf("--child");
  await child(Deno.args[at + 1]!, Deno.args[at + 2] === "on", sizes[0]!);
} else if (import.meta.main && Deno.args.includes("--base") && Deno.args.includes("--procs")) {
  await compareInProcesses(
    Deno.args[Deno.args.indexOf("--base") + 1] ?? "HEAD",
    Number(Deno.args[Deno.args.indexOf("--procs") + 1]),
  );
} else if (import.meta.main && Deno.args.includes("--base")) {
  await compareWith(Deno.args[Deno.args.indexOf("--base") + 1] ?? "HEAD");
} else if (import.meta.main && Deno.args.includes("--gc")) {
  const at = Deno.args.indexOf("--gc");
  const n = Number(Deno.args[at + 1] ?? 16);
  const causal = Deno.args[at + 2] !== "off";
  const { batches } = loads.get(n) ?? workload(n, true);
  run(batches, causal); // warm up
  console.log("gc window: start");
  const ms = cpuMs(() => {
    for (let r = 0; r < 3; r++) run(batches, causal);
  });
  console.log("gc window: end");
  console.log(`${n} nodes, causal ${causal ? "on" : "off"}: ${(ms / 3).toFixed(0)} CPU ms per run`);
} else if (import.meta.main) {
  const plain = workload(16, false);
  const bytes = (b: readonly Uint8Array[]) => b.reduce((k, x) => k + x.length, 0);
  const withDeps = loads.get(16) ?? workload(16, true);
  console.log(
    `bytes/event, 16 nodes, 256-event batches: without dependencies ${
      (bytes(plain.batches) / EVENTS).toFixed(2)
    }, every acquire with one ${(bytes(withDeps.batches) / EVENTS).toFixed(2)}`,
  );
  for (const n of sizes) {
    const { batches } = loads.get(n)!;
    run(batches, false); // warm up
    run(batches, true);
    // Interleaved: the anchor (merge order) and causal verdicts alternate, so load shifts hit both.
    const times: Record<"off" | "on", number[]> = { off: [], on: [] };
    let alerts = 0;
    for (let r = 0; r < 5; r++) {
      for (const causal of [false, true]) {
        const t0 = performance.now();
        alerts += run(batches, causal);
        times[causal ? "on" : "off"].push(performance.now() - t0);
      }
    }
    const median = (t: number[]) => [...t].sort((a, b) => a - b)[2]!;
    const rate = (t: number[]) => (EVENTS / (median(t) / 1000) / 1e6).toFixed(2);
    console.log(
      `${n} nodes: causal off ${rate(times.off)}M events/s, on ${
        rate(times.on)
      }M events/s, on/off ${
        (median(times.off) / median(times.on)).toFixed(2)
      } (medians of 5, interleaved; ${alerts} alerts)`,
    );
  }
}
