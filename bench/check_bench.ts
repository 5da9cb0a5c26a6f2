/**
 * `vigil check` throughput, side by side with the Spin model checker.
 *
 * As a harness: `deno run -A bench/check_bench.ts [runs] [model...]`
 * explores two models of 2,097,152 reachable states each (or the named
 * ones: `counters`, `dials`) with `vigil check`'s explorer
 * (single-threaded, which is what `vigil check --workers 1` runs, then
 * one and two workers over the shared-memory state set), printing the
 * ratio of `--workers 2` to `--workers 1` and, per worker, the time it
 * spent expanding states, the time it waited at the barriers between
 * levels and, where `/proc` has it (Linux), its thread's CPU time)
 * and, when `spin` and `gcc` are on PATH (Debian: `apt-get install spin`),
 * the same models in Promela with Spin's breadth-first safety search
 * (`-DBFS`, `-w23`), `runs` times each (default 3), interleaved; prints the
 * medians, the state and transition counts and the ratios:
 * - `bench/counters.vigil` (seven counters 0..7, 14.7M transitions), where
 *   Spin reports about 16M hash conflicts;
 * - `bench/dials.vigil` (three dials 0..127, 6.3M transitions), where
 *   Spin's hash conflicts are few (about 170k).
 * Spin's depth-first search runs too for counters. The time column is the
 * exploration's wall time (compiling excluded: binaryen for vigil, gcc for
 * Spin); the cpu column is the CPU time of the whole run (vigil: the
 * process, every thread, compiling included; Spin: pan), the fairer figure
 * on a loaded machine.
 *
 * `deno run -A bench/check_bench.ts --stages [runs] [model...]` measures
 * the single-threaded explorer's levers in one process, interleaved, in
 * CPU seconds of the exploration alone (a figure the load disturbs less
 * than wall time): `hashed` (the hashed state set, one WebAssembly call
 * per transition: the explorer before `dense_key.ts` and `expander.ts`),
 * `dense` (states indexed by valuation number), `dense+batched` (and a
 * batch of states expanded in one call: what `vigil check` runs) and
 * `hashed+batched` (what a spec beyond the dense index's bound runs).
 *
 * `deno run -A bench/check_bench.ts --base <git revision> [runs] [model...]`
 * compares that revision's explorer (its `lib/` extracted beside the tree,
 * `tools/harness/tree_at.ts`) with this tree's in one process, `runs`
 * rounds (default 5) interleaved, the order turned round every other
 * round: the single-threaded explorer (`single`: what `vigil check` runs,
 * a batch of states expanded in one WebAssembly call), the same with one
 * WebAssembly call per transition (`step`: what `--cross-check` and the
 * `--nodes` product run) and two workers (`workers2`). Prints, per
 * variant, the medians of the exploration's wall time, the process's CPU
 * seconds over the run (every thread, compiling included), for `step` the
 * CPU seconds of the exploration alone (the figure a few percent show in)
 * and, for the workers, their threads' CPU per state (from `/proc`), with
 * the ratios base / now; the state and transition counts of both trees
 * must agree.
 *
 * Under `deno bench`: exploring the example specs (small, complete), and
 * a plain read of a shared `Int32Array` against `Atomics.load` (a call in
 * V8, why the shared state set's lookups read slots plainly and confirm a
 * match with one atomic load).
 *
 * @module
 */
import process from "node:process";
import { analyze } from "../lib/frontend.ts";
import { explorerWasm, exploreSource } from "../lib/explore/model_checker.ts";
import { exploreParallel } from "../lib/explore/parallel.ts";
import { workerDriver } from "../lib/explore/shard_driver.ts";
import { initialState } from "../lib/interpreter/interpreter.ts";
import { buildMeta } from "../lib/wasm/meta_build.ts";

import { allArgTuples } from "../lib/explore/domains.ts";
import { breadthFirst, expanderStates } from "../lib/explore/breadth_first.ts";
import { WasmStepper } from "../lib/explore/wasm_stepper.ts";
import { StateSet } from "../lib/explore/state_set.ts";
import { DenseKey } from "../lib/explore/dense_key.ts";
import { presizedCapacity } from "../lib/explore/state_space.ts";
import { treeAt } from "../tools/harness/tree_at.ts";

const ROOT = new URL("..", import.meta.url).pathname;

interface Run {
  /** Milliseconds each worker waited at the barrier between levels (workers only). */
  readonly waits?: readonly number[];
  /** Milliseconds each worker spent expanding states (workers only). */
  readonly busy?: readonly number[];
  /** CPU seconds of each worker's thread, where `/proc` has them (workers only). */
  readonly threadCpu?: readonly number[];
  readonly states: number;
  readonly transitions: number;
  /** Wall time of the exploration. */
  readonly seconds: number;
  /** CPU time (user + system) of the whole run, compiling included, every thread. */
  readonly cpu: number;
  /** CPU time of the exploration alone, where the run measures it (`step` of `--base`). */
  readonly exploreCpu?: number;
}

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/**
 * CPU seconds of this process's threads named `worker-*` (Deno names its
 * Web Workers' threads so), read from `/proc`; empty where it is missing.
 */
function workerThreadCpu(): Map<string, number> {
  const threads = new Map<string, number>();
  try {
    for (const entry of Deno.readDirSync("/proc/self/task")) {
      const stat = Deno.readTextFileSync(`/proc/self/task/${entry.name}/stat`);
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      if (!name.startsWith("worker-")) continue;
      // utime and stime, in clock ticks (100 a second on Linux).
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      threads.set(entry.name, (Number(fields[11]) + Number(fields[12])) / 100);
    }
  } catch {
    return new Map();
  }
  return threads;
}

function vigilRun(source: string): Run {
  const cpu0 = cpuSeconds();
  const { report } = exploreSource(source);
  if (report === null) throw new Error("The benchmark spec does not compile");
  return {
    states: report.distinctStates,
    transitions: report.statesGenerated,
    seconds: report.exploreMs / 1000,
    cpu: cpuSeconds() - cpu0,
  };
}

async function vigilWorkersRun(source: string, workers: number): Promise<Run> {
  const program = analyze(source).program!;
  const url = new URL("../lib/explore/worker.ts", import.meta.url);
  const cpu0 = cpuSeconds();
  const before = workerThreadCpu();
  let waits: number[] = [], busy: number[] = [], threadCpu: number[] = [];
  // As `vigil check` does: the workers load their module while the spec compiles.
  const spawned = Array.from({ length: workers }, () => new Worker(url, { type: "module" }));
  const report = await exploreParallel(
    program,
    workers,
    (setup) => workerDriver(spawned[setup.part]!, setup),
    {
      onShardStats: (stats) => {
        waits = stats.map((x) => x.waitMs);
        busy = stats.map((x) => x.busyMs);
        // The workers are still running: their threads are the new ones.
        threadCpu = [...workerThreadCpu()].filter(([tid]) => !before.has(tid)).map(([, s]) => s);
      },
    },
  );
  return {
    waits,
    busy,
    threadCpu,
    states: report.distinctStates,
    transitions: report.statesGenerated,
    seconds: report.exploreMs / 1000,
    cpu: cpuSeconds() - cpu0,
  };
}

async function sh(cmd: string, args: string[], cwd: string): Promise<string> {
  const out = await new Deno.Command(cmd, { args, cwd, stdout: "piped", stderr: "piped" }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(`'${cmd} ${args.join(" ")}' failed:\n${text}`);
  return text;
}

async function hasSpin(): Promise<boolean> {
  try {
    await sh("spin", ["-V"], ROOT);
    await sh("gcc", ["--version"], ROOT);
    return true;
  } catch {
    return false;
  }
}

/** Builds `pan` (DFS) and `pan_bfs` for `bench/promela/<model>.pml` in a temporary directory. */
async function buildSpin(model = "counters"): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "vigil_spin_" });
  await Deno.copyFile(`${ROOT}bench/promela/${model}.pml`, `${dir}/${model}.pml`);
  await sh("spin", ["-a", `${model}.pml`], dir);
  const flags = ["-O2", "-DSAFETY", "-DNOREDUCE"];
  await sh("gcc", [...flags, "-o", "pan", "pan.c"], dir);
  await sh("gcc", [...flags, "-DBFS", "-o", "pan_bfs", "pan.c"], dir);
  return dir;
}

/** Peterson (specs/mutex.vigil vs bench/promela/mutex.pml): the counts must agree. */
async function mutexCounts(): Promise<void> {
  const v = vigilRun(await Deno.readTextFile(`${ROOT}specs/mutex.vigil`));
  const dir = await buildSpin("mutex");
  const s = await spinRun(dir, "pan_bfs");
  await Deno.remove(dir, { recursive: true });
  const same = v.states === s.states && v.transitions === s.transitions;
  console.log(
    `specs/mutex.vigil: vigil ${v.states} states, ${v.transitions} generated; ` +
      `spin ${s.states} stored, ${s.transitions} transitions: ${same ? "agree" : "DIFFER"}`,
  );
}

function field(text: string, re: RegExp): number {
  const m = re.exec(text);
  if (m === null) throw new Error(`Unexpected pan output:\n${text}`);
  return Number(m[1]);
}

async function spinRun(dir: string, binary: string): Promise<Run & { conflicts: number }> {
  const args = binary === "pan" ? ["-m3000000", "-w23"] : ["-w23"];
  const text = await sh("/usr/bin/time", ["-f", "cpu %U %S", `${dir}/${binary}`, ...args], dir);
  const cpu = /cpu ([\d.]+) ([\d.]+)/.exec(text);
  return {
    conflicts: field(text, /hash conflicts:\s+(\d+)/),
    states: field(text, /(\d+) states, stored/),
    transitions: field(text, /(\d+) transitions \(= stored\+matched\)/),
    seconds: field(text, /elapsed time ([\d.e+]+) seconds/),
    cpu: cpu === null ? NaN : Number(cpu[1]) + Number(cpu[2]),
  };
}

function median(runs: readonly Run[]): Run {
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function row(name: string, r: Run, base: Run | null): string {
  const rate = Math.round(r.states / r.seconds);
  const ratio = base === null ? "1.00" : (base.seconds / r.seconds).toFixed(2);
  const counts = `${String(r.states).padStart(9)} ${String(r.transitions).padStart(10)}`;
  const time = `${r.seconds.toFixed(2).padStart(7)} s ${String(rate).padStart(9)} states/s`;
  return `${name.padEnd(28)} ${counts} ${time}  x${ratio}   cpu ${r.cpu.toFixed(2)} s`;
}

/** One model, side by side: vigil (1 and 2 workers) and Spin's BFS (and DFS when asked). */
async function compare(model: string, runs: number, spin: boolean, dfs: boolean): Promise<void> {
  const source = await Deno.readTextFile(`${ROOT}bench/${model}.vigil`);
  const dir = spin ? await buildSpin(model) : null;
  const results: Record<string, Run[]> = {
    vigil: [],
    workers1: [],
    workers: [],
    spinDfs: [],
    spinBfs: [],
  };
  let conflicts = 0;
  for (let i = 0; i < runs; i++) {
    results.vigil!.push(vigilRun(source));
    results.workers1!.push(await vigilWorkersRun(source, 1));
    results.workers!.push(await vigilWorkersRun(source, 2));
    if (dir !== null) {
      if (dfs) results.spinDfs!.push(await spinRun(dir, "pan"));
      const bfs = await spinRun(dir, "pan_bfs");
      conflicts = bfs.conflicts;
      results.spinBfs!.push(bfs);
    }
  }
  if (dir !== null) await Deno.remove(dir, { recursive: true });
  const v = median(results.vigil!);
  console.log(
    `bench/${model}.vigil, median of ${runs} runs (ratio: speed relative to vigil check)`,
  );
  console.log(
    `${"checker".padEnd(28)} ${"states".padStart(9)} ${"generated".padStart(10)} ${
      "time".padStart(9)
    }`,
  );
  console.log(row("vigil check (BFS, WASM)", v, null));
  const w1 = median(results.workers1!), w = median(results.workers!);
  console.log(row("vigil check --workers 1", w1, v));
  console.log(row("vigil check --workers 2", w, v));
  const perState = (r: Run) => (1e9 * r.cpu / r.states).toFixed(0);
  const seconds = (ms: readonly number[] | undefined) =>
    (ms ?? []).map((x) => (x / 1000).toFixed(2)).join(" + ");
  const threads = (r: Run) =>
    (r.threadCpu ?? []).length === 0
      ? "n/a"
      : `${r.threadCpu!.map((x) => x.toFixed(2)).join(" + ")} s (${
        (1e9 * r.threadCpu!.reduce((a, b) => a + b, 0) / r.states).toFixed(0)
      } ns a state)`;
  console.log(
    `--workers 2 vs --workers 1 (the single-threaded explorer): x${
      (v.seconds / w.seconds).toFixed(2)
    } wall; vs one worker: x${(w1.seconds / w.seconds).toFixed(2)} wall, x${
      (w1.cpu / w.cpu).toFixed(2)
    } cpu; process cpu per state ${perState(v)} / ${perState(w1)} / ${perState(w)} ns ` +
      `(single-threaded / one worker / two)`,
  );
  console.log(
    `  two workers: expanding ${seconds(w.busy)} s, waiting at the level barriers ${
      seconds(w.waits)
    } s, thread cpu ${threads(w)}; one worker: expanding ${seconds(w1.busy)} s, thread cpu ${
      threads(w1)
    }`,
  );
  if (dir === null) {
    console.log("spin or gcc not found: install Debian's 'spin' package to compare");
    return;
  }
  const bfs = median(results.spinBfs!);
  if (dfs) console.log(row("spin -DSAFETY (DFS)", median(results.spinDfs!), v));
  console.log(row("spin -DSAFETY -DBFS", bfs, v));
  console.log(`spin BFS hash conflicts: ${conflicts}`);
  console.log(
    `vigil check vs spin BFS: x${(bfs.seconds / v.seconds).toFixed(2)} wall, x${
      (bfs.cpu / v.cpu).toFixed(2)
    } cpu; --workers 2 vs spin BFS: x${(bfs.seconds / w.seconds).toFixed(2)} wall`,
  );
  const all = [...results.spinBfs!, ...results.spinDfs!, ...results.workers!, ...results.workers1!];
  const same = all.every((r) => r.states === v.states && r.transitions === v.transitions);
  console.log(same ? "state and transition counts agree" : "COUNTS DIFFER");
}

const STAGES = ["hashed", "dense", "dense+batched", "hashed+batched"] as const;

/** The explorer's stages on one model, interleaved, in CPU seconds of the exploration. */
async function stages(model: string, runs: number): Promise<void> {
  const { program } = analyze(await Deno.readTextFile(`${ROOT}bench/${model}.vigil`));
  if (program === null) throw new Error(`bench/${model}.vigil does not compile`);
  const meta = buildMeta(program, initialState(program).state);
  const wasm = explorerWasm(program, meta);
  const tuples = allArgTuples(program);
  const cpu: Record<string, number[]> = Object.fromEntries(STAGES.map((s) => [s, []]));
  let counts = "";
  for (let i = 0; i < runs; i++) {
    // Each round starts with another stage (the first run of all warms the JIT up).
    for (let k = 0; k < STAGES.length; k++) {
      const stage = STAGES[(k + i) % STAGES.length]!;
      const stepper = new WasmStepper(wasm, meta);
      const expander = stage.endsWith("batched")
        ? stepper.expander(tuples, expanderStates(tuples))
        : null;
      const initial = stepper.block.slice(stepper.at, stepper.at + stepper.words);
      const key = stage.startsWith("dense") ? DenseKey.of(program, meta) : null;
      const capacity = presizedCapacity(program, stepper.words, 4096);
      const states = new StateSet(stepper.words, capacity, key);
      const cpu0 = cpuSeconds();
      const x = breadthFirst(program, stepper, tuples, initial, {
        states,
        livenessBits: false,
        expander,
      });
      cpu[stage]!.push(cpuSeconds() - cpu0);
      const seen = `${x.states.size} states, ${x.generated} generated`;
      if (counts !== "" && seen !== counts) throw new Error(`${stage}: ${seen}, not ${counts}`);
      counts = seen;
    }
  }
  const med = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const base = med(cpu.hashed!);
  console.log(`bench/${model}.vigil (${counts}), exploration CPU seconds, median of ${runs}:`);
  for (const stage of STAGES) {
    const m = med(cpu[stage]!);
    console.log(`  ${stage.padEnd(15)} ${m.toFixed(3)} s  x${(base / m).toFixed(2)}`);
  }
}

/** The explorer modules of one tree, this one's or a revision's (`treeAt`). */
interface ExplorerTree {
  readonly name: string;
  readonly exploreSource: typeof exploreSource;
  readonly exploreParallel: typeof exploreParallel;
  readonly workerDriver: typeof workerDriver;
  readonly explorerWasm: typeof explorerWasm;
  readonly WasmStepper: typeof WasmStepper;
  readonly StateSet: typeof StateSet;
  readonly DenseKey: typeof DenseKey;
  readonly breadthFirst: typeof breadthFirst;
  readonly worker: URL;
}

/** The explorer of the tree whose `lib/` is at `lib` (a `file:` URL ending in `/`). */
async function explorerAt(name: string, lib: URL): Promise<ExplorerTree> {
  const load = (path: string) => import(new URL(path, lib).href);
  // `workerDriver` moved from parallel.ts to shard_driver.ts (in an older tree it is not there).
  const driver = load("explore/shard_driver.ts").catch(() => ({}));
  const [checker, parallel, stepper, set, dense, bfs, drivers] = await Promise.all([
    load("explore/model_checker.ts"),
    load("explore/parallel.ts"),
    load("explore/wasm_stepper.ts"),
    load("explore/state_set.ts"),
    load("explore/dense_key.ts"),
    load("explore/breadth_first.ts"),
    driver,
  ]);
  return {
    name,
    exploreSource: checker.exploreSource,
    exploreParallel: parallel.exploreParallel,
    workerDriver: drivers.workerDriver ?? parallel.workerDriver,
    explorerWasm: checker.explorerWasm,
    WasmStepper: stepper.WasmStepper,
    StateSet: set.StateSet,
    DenseKey: dense.DenseKey,
    breadthFirst: bfs.breadthFirst,
    worker: new URL("explore/worker.ts", lib),
  };
}

/** The single-threaded explorer of `tree` with one WebAssembly call per transition (no expander). */
function steppedRun(tree: ExplorerTree, source: string): Run {
  const cpu0 = cpuSeconds();
  const program = analyze(source).program!;
  const meta = buildMeta(program, initialState(program).state);
  const stepper = new tree.WasmStepper(tree.explorerWasm(program, meta), meta);
  const tuples = allArgTuples(program);
  const initial = stepper.block.slice(stepper.at, stepper.at + stepper.words);
  const capacity = presizedCapacity(program, stepper.words, 4096);
  const states = new tree.StateSet(stepper.words, capacity, tree.DenseKey.of(program, meta));
  const explore0 = cpuSeconds();
  const x = tree.breadthFirst(program, stepper, tuples, initial, {
    states,
    livenessBits: false,
    expander: null,
  });
  const cpu1 = cpuSeconds();
  return {
    states: x.states.size,
    transitions: x.generated,
    seconds: x.elapsedMs / 1000,
    cpu: cpu1 - cpu0,
    exploreCpu: cpu1 - explore0,
  };
}

/** `tree`'s two-worker exploration, its workers' thread CPU in `threadCpu`. */
async function workersRunOf(tree: ExplorerTree, source: string, workers: number): Promise<Run> {
  const program = analyze(source).program!;
  const cpu0 = cpuSeconds();
  const before = workerThreadCpu();
  let threadCpu: number[] = [];
  const spawned = Array.from(
    { length: workers },
    () => new Worker(tree.worker, { type: "module" }),
  );
  try {
    const report = await tree.exploreParallel(
      program,
      workers,
      (setup) => tree.workerDriver(spawned[setup.part]!, setup),
      {
        onShardStats: () => {
          threadCpu = [...workerThreadCpu()].filter(([tid]) => !before.has(tid)).map(([, s]) => s);
        },
      },
    );
    return {
      threadCpu,
      states: report.distinctStates,
      transitions: report.statesGenerated,
      seconds: report.exploreMs / 1000,
      cpu: cpuSeconds() - cpu0,
    };
  } finally {
    for (const w of spawned) w.terminate();
  }
}

function loadAverage(): string {
  try {
    return Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(" ");
  } catch {
    return "n/a";
  }
}

/** `--base <rev>`: that revision's explorer against this tree's, interleaved in one process. */
async function compareWith(rev: string, runs: number, models: readonly string[]): Promise<void> {
  const dir = await treeAt(rev, ["lib"]);
  const trees = [
    await explorerAt(rev, new URL(`file://${dir}/lib/`)),
    await explorerAt("now", new URL("../lib/", import.meta.url)),
  ];
  const variants: readonly [string, (t: ExplorerTree, source: string) => Run | Promise<Run>][] = [
    ["single", (t, source) => {
      const cpu0 = cpuSeconds();
      const { report } = t.exploreSource(source);
      if (report === null) throw new Error("The benchmark spec does not compile");
      return {
        states: report.distinctStates,
        transitions: report.statesGenerated,
        seconds: report.exploreMs / 1000,
        cpu: cpuSeconds() - cpu0,
      };
    }],
    ["step", steppedRun],
    ["workers2", (t, source) => workersRunOf(t, source, 2)],
  ];
  for (const model of models) {
    const source = await Deno.readTextFile(`${ROOT}bench/${model}.vigil`);
    const load0 = loadAverage();
    const results = new Map<string, Run[]>();
    let counts = "";
    // One warm-up run of each, then `runs` rounds, the order turned round every other round.
    for (let r = -1; r < runs; r++) {
      const order = variants.flatMap(([v, f]) => trees.map((t) => [v, t, f] as const));
      if (r % 2 === 1) order.reverse();
      for (const [v, t, f] of order) {
        const run = await f(t, source);
        const seen = `${run.states} states, ${run.transitions} generated`;
        if (counts !== "" && seen !== counts) {
          throw new Error(`${t.name} ${v} on ${model}: ${seen}, not ${counts}`);
        }
        counts = seen;
        if (r < 0) continue;
        const key = `${v} ${t.name}`;
        results.set(key, [...results.get(key) ?? [], run]);
      }
    }
    const med = (xs: readonly number[]) =>
      [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    console.log(
      `bench/${model}.vigil (${counts}): '${rev}' vs this tree, median of ${runs} interleaved ` +
        `rounds, load ${load0} -> ${loadAverage()}`,
    );
    for (const [v] of variants) {
      const [a, b] = trees.map((t) => results.get(`${v} ${t.name}`)!);
      const wall = [a!, b!].map((rs) => med(rs.map((x) => x.seconds)));
      const cpu = [a!, b!].map((rs) => med(rs.map((x) => x.cpu)));
      const thread = [a!, b!].map((rs) =>
        med(rs.map((x) => 1e9 * (x.threadCpu ?? []).reduce((s, c) => s + c, 0) / x.states))
      );
      const explore = [a!, b!].map((rs) => med(rs.map((x) => x.exploreCpu ?? NaN)));
      const threads = v === "workers2"
        ? `; worker threads' cpu a state ${thread[0]!.toFixed(0)} / ${thread[1]!.toFixed(0)} ns`
        : v === "step"
        ? `; exploration alone ${explore[0]!.toFixed(3)} / ${explore[1]!.toFixed(3)} s (x${
          (explore[0]! / explore[1]!).toFixed(2)
        })`
        : "";
      console.log(
        `  ${v.padEnd(9)} wall ${wall[0]!.toFixed(3)} / ${wall[1]!.toFixed(3)} s (x${
          (wall[0]! / wall[1]!).toFixed(2)
        }), process cpu ${cpu[0]!.toFixed(3)} / ${cpu[1]!.toFixed(3)} s (x${
          (cpu[0]! / cpu[1]!).toFixed(2)
        })${threads}  [base / now]`,
      );
    }
  }
  await Deno.remove(dir, { recursive: true });
}

async function harness(runs: number, models: readonly string[]): Promise<void> {
  const spin = await hasSpin();
  for (const model of models) {
    if (model !== "counters" && model !== "dials") {
      throw new Error(`Unknown model '${model}': give counters or dials`);
    }
    await compare(model, runs, spin, model === "counters");
  }
  if (spin) await mutexCounts();
}

if (import.meta.main) {
  const staged = Deno.args[0] === "--stages";
  const base = Deno.args[0] === "--base" ? Deno.args[1] : undefined;
  if (Deno.args[0] === "--base" && base === undefined) {
    throw new Error(
      "--base needs a git revision: bench/check_bench.ts --base <rev> [runs] [model...]",
    );
  }
  const args = staged ? Deno.args.slice(1) : base !== undefined ? Deno.args.slice(2) : Deno.args;
  const runs = Number(args[0] ?? (base !== undefined ? 5 : 3));
  if (!Number.isInteger(runs) || runs < 1) {
    throw new Error(`Invalid run count '${args[0]}': give a positive integer`);
  }
  const models = args.length > 1 ? args.slice(1) : ["counters", "dials"];
  for (const model of models) {
    if (model !== "counters" && model !== "dials") {
      throw new Error(`Unknown model '${model}': give counters or dials`);
    }
  }
  if (staged) { for (const model of models) await stages(model, runs); }
  else if (base !== undefined) await compareWith(base, runs, models);
  else await harness(runs, models);
} else {
  const shared = new Int32Array(new SharedArrayBuffer(4 * 4096)).map((_, i) => i);
  // Module state the reads add to, so they are not optimized away.
  let sum = 0;
  Deno.bench({
    name: "4,096 plain reads of a shared Int32Array",
    group: "shared reads",
    baseline: true,
    fn: () => {
      for (let i = 0; i < shared.length; i++) sum += shared[i]!;
    },
  });
  Deno.bench({
    name: "4,096 Atomics.load of a shared Int32Array",
    group: "shared reads",
    fn: () => {
      for (let i = 0; i < shared.length; i++) sum += Atomics.load(shared, i);
    },
  });
  for (const name of ["mutex", "raft", "counter3"]) {
    const source = Deno.readTextFileSync(`${ROOT}specs/${name}.vigil`);
    Deno.bench({
      name: `check explores specs/${name}.vigil`,
      group: "check",
      baseline: name === "mutex",
      fn: () => {
        exploreSource(source);
      },
    });
  }
}
