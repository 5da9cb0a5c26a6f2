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
 * Run: `deno run -A bench/collector_bench.ts [events] [--nodes 4,16,64]
 * [--rounds 3]` (prints events per wall second and per CPU second of the
 * process, both best of `--rounds`; `--nodes`: the cases of those node
 * counts only), or `deno bench -A bench/collector_bench.ts`. With
 * `--base <git revision> [events] [--nodes ..] [--rounds 5]` it compares
 * instead the engine of that revision (its `edge/` and `lib/`, extracted
 * to a temporary directory) with this tree's, on the incremental spec,
 * best of `--rounds` interleaved runs. A flag no mode reads, or one its
 * mode does not read (`--procs` without `--steady`, an event count with
 * it), or a count that is not a positive integer is refused, naming it.
 *
 * `--steady [--base <rev>] [--nodes 16,64] [--rounds 9] [--procs 3]`: the
 * steady state of ONE long-running collector, where `bench/causal_bench.ts`
 * builds a fresh collector per run (so its figures include the set-up: the
 * event store, rings, lanes and participants growing to their working
 * size). The causal bench's traffic (lease handoffs over 256 keys, every
 * acquire carrying the previous holder's stamp, encoded batches of 256
 * events per node ingested as bytes, 1 ms of collector time per batch,
 * 250 ms window) continues round after round: round `r`'s 262,144 events
 * follow on from round `r - 1`'s (sequence numbers, HLC walls,
 * dependencies), with no flush between rounds. Each variant (this tree's
 * collector, and with `--base` that revision's, causal verdicts on and off)
 * runs alone in a process of its own, `--procs` processes per variant, the
 * variants taking turns; round 0 is the warm-up (set-up and compilation),
 * each process reports its median over the next `--rounds` rounds, and the
 * figures are the medians over the processes: CPU ms of the process per
 * round, events per CPU second, and bytes V8 allocated per event. Two more
 * variants, "fresh", measure what `causal_bench.ts` does: a new collector
 * per round fed the first round and flushed, so the difference is the
 * set-up. (Several collectors in one process distorted each other's
 * figures by 10-50%: see `steady`.)
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
import { leaseKit } from "../tools/harness/lease/states.ts";
import { HandoffTraffic } from "../tools/harness/handoff_traffic.ts";
import v8 from "node:v8";
import { parseArgs } from "node:util";
import { median, takeTurns } from "../tools/harness/variant_processes.ts";

const lease = await compileToTemp("lease", specSource("lease"));
export const { spec, files } = lease;
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

const { free, held } = leaseKit(spec);
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

/** One case of the default and `--base` modes: `nodes` nodes over `keys` partitions. */
interface BenchCase {
  readonly name: string;
  readonly nodes: number;
  readonly keys: number;
}

/** The cases of `sizes` nodes each: one partition, then 256. */
function casesOf(sizes: readonly number[]): BenchCase[] {
  return sizes.flatMap((n) => [
    { name: `${n} nodes, 1 partition`, nodes: n, keys: 1 },
    { name: `${n} nodes, 256 partitions`, nodes: n, keys: 256 },
  ]);
}

const CASES = casesOf([4, 16, 64]);

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
async function compareEngines(
  rev: string,
  total: number,
  rounds: number,
  cases: readonly BenchCase[],
): Promise<void> {
  const base = await engineAt(rev);
  console.log(
    `engine at '${rev}' vs this tree, incremental spec, ${total} events per run, best of ${rounds} ` +
      `interleaved runs: events per CPU second of the process (per wall second)`,
  );
  for (const k of cases) {
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

/** Global steps (events over all nodes) per round of {@link SteadyHandoffs}, as `causal_bench.ts`'s runs. */
export const STEADY_EVENTS = 1 << 18;
const STEADY_KEYS = 256;

/**
 * The causal bench's traffic as rounds of one continuing run: lease
 * handoffs over 256 keys, round-robin over `nodes` nodes (each node's turn
 * is 256 consecutive handoffs), every acquire carrying the stamp of the
 * previous holder's release when that was another node. Round `r` holds
 * global steps `r * STEADY_EVENTS ..` of that traffic, encoded as batches
 * of 256 events per node (interleaved round-robin), so its sequence
 * numbers, walls and dependencies follow on from round `r - 1`'s. Rounds
 * are made in order (`tools/harness/handoff_traffic.ts`, shared with
 * `bench/causal_bench.ts`).
 */
export class SteadyHandoffs {
  readonly #traffic: HandoffTraffic;

  /** Traffic of `nodes` nodes (a divisor of `STEADY_EVENTS / 512`: 4, 16, 64). */
  constructor(nodes: number) {
    if (!(nodes > 0 && (STEADY_EVENTS / 512) % nodes === 0)) {
      throw new RangeError(`Nodes '${nodes}' do not divide ${STEADY_EVENTS / 512} turns`);
    }
    this.#traffic = new HandoffTraffic(spec, { nodes, keys: STEADY_KEYS });
  }

  /** The next round's batches, in the order to ingest them. */
  next(): Uint8Array[] {
    return this.#traffic.next(STEADY_EVENTS);
  }
}

/**
 * One long-running collector fed round after round (its clock moving 1 ms
 * per batch); or, `fresh`, a new collector per round fed the first round
 * and flushed, as `causal_bench.ts`'s runs (set-up included).
 */
class SteadyCollector {
  readonly name: string;
  readonly #create: () => ReturnType<typeof createCollector>;
  readonly #fresh: readonly Uint8Array[] | null;
  #collector: ReturnType<typeof createCollector>;
  #now = 0;

  constructor(
    name: string,
    create: typeof createCollector,
    options: { causal: boolean; compiled: CompiledSpec; fresh?: readonly Uint8Array[] },
  ) {
    this.name = name;
    this.#fresh = options.fresh ?? null;
    this.#create = () =>
      create({
        specs: [options.compiled],
        now: () => this.#now,
        windowMs: 250,
        ...(options.causal ? { maxSkewMs: 500 } : {}),
      });
    this.#collector = this.#create();
  }

  /**
   * Ingests a round's batches (no flush: the last window's events wait for
   * the next round); a fresh variant ingests its first round's into a new
   * collector instead, and flushes.
   */
  ingest(batches: readonly Uint8Array[]): void {
    if (this.#fresh !== null) {
      this.verify();
      this.#now = 0;
      this.#collector = this.#create();
    }
    const c = this.#collector;
    for (const b of this.#fresh ?? batches) {
      this.#now++;
      c.ingestBytes(b);
    }
    if (this.#fresh !== null) c.flush();
  }

  /** Throws unless every event so far was applied in order with no alert. */
  verify(): void {
    const m = this.#collector.metrics();
    if (m.violations !== 0 || m.late !== 0) {
      throw new Error(`${this.name}: unexpected ${m.violations} violations, ${m.late} late`);
    }
  }
}

/** Bytes V8 allocated on its heap so far (`total_allocated_bytes`, not in Node's typings; NaN where missing). */
function allocatedSoFar(): number {
  const stats = v8.getHeapStatistics() as { total_allocated_bytes?: number };
  return stats.total_allocated_bytes ?? NaN;
}

/** A `--steady` variant: whose engine, causal verdicts on or off, one collector or a fresh one per round. */
interface SteadyVariant {
  readonly name: string;
  readonly base: boolean;
  readonly causal: boolean;
  readonly fresh: boolean;
}

/** The `--steady` variants, `--base` revision's first. */
function steadyVariants(rev: string | null): SteadyVariant[] {
  return [
    ...(rev === null ? [] : [
      { name: `${rev} on`, base: true, causal: true, fresh: false },
      { name: `${rev} off`, base: true, causal: false, fresh: false },
    ]),
    { name: "now on", base: false, causal: true, fresh: false },
    { name: "now off", base: false, causal: false, fresh: false },
    { name: "now on, fresh", base: false, causal: true, fresh: true },
    { name: "now off, fresh", base: false, causal: false, fresh: true },
  ];
}

/**
 * `--steady-child`: ONE variant's collector in this process (`--variant i`
 * of {@link steadyVariants}, `--base-dir` the extracted base tree), fed
 * `rounds` rounds after the warm-up; prints one JSON line: the median CPU
 * ms per round and bytes allocated per event.
 */
async function steadyChild(nodes: number, rounds: number, variant: SteadyVariant, baseDir: string) {
  const create = variant.base
    ? (await import(`file://${baseDir}/edge/engine/collector.ts`)).createCollector
    : createCollector;
  const traffic = new SteadyHandoffs(nodes);
  const first = traffic.next();
  const c = new SteadyCollector(variant.name, create, {
    causal: variant.causal,
    compiled: spec,
    ...(variant.fresh ? { fresh: first } : {}),
  });
  const ms: number[] = [];
  const bytes: number[] = [];
  for (let r = 0; r <= rounds; r++) {
    const batches = r === 0 ? first : traffic.next();
    const a0 = allocatedSoFar();
    const c0 = process.cpuUsage();
    c.ingest(batches);
    const d = process.cpuUsage(c0);
    if (r === 0) continue;
    ms.push((d.user + d.system) / 1000);
    bytes.push((allocatedSoFar() - a0) / STEADY_EVENTS);
  }
  c.verify();
  console.log(JSON.stringify({ ms: median(ms), bytes: median(bytes) }));
}

/**
 * `--steady`: each variant's collector alone in a process of its own
 * (`--steady-child`), `procs` processes per variant, the variants taking
 * turns; the figures are medians over the processes of each one's median
 * round. In one process the collectors distorted each other's figures:
 * the same engine twice read 35-50% apart (the one created first
 * cheaper, sharing one instance of the spec's module), and still 10-14%
 * apart with one instance each (the fresh variants' garbage is collected
 * during the others' rounds).
 */
async function steady(
  sizes: readonly number[],
  rounds: number,
  rev: string | null,
  procs: number,
): Promise<void> {
  const baseDir = rev === null ? "" : await treeAt(rev, ["edge", "lib"]);
  const variants = steadyVariants(rev);
  const self = new URL(import.meta.url).pathname;
  console.log(
    `steady state (one collector per variant, no set-up): ${STEADY_EVENTS} events per round, ` +
      `round 0 the warm-up, each variant alone in ${procs} processes taking turns: median over ` +
      `the processes of the median of ${rounds} rounds: CPU ms of the process per round ` +
      `(M events per CPU second), bytes allocated per event`,
  );
  for (const nodes of sizes) {
    const runs = await takeTurns(self, variants.length, procs, (v) => [
      "--steady-child",
      "--variant",
      String(v),
      "--nodes",
      String(nodes),
      "--rounds",
      String(rounds),
      ...(rev === null ? [] : ["--base", rev, "--base-dir", baseDir]),
    ]);
    const ms = runs.map((r) => r.map((x) => x.ms!));
    const bytes = runs.map((r) => r.map((x) => x.bytes!));
    const rate = (x: number) => (STEADY_EVENTS / x / 1000).toFixed(2);
    const load = Deno.loadavg().map((x) => x.toFixed(1)).join(" ");
    console.log(
      `${nodes} nodes (load ${load}): ${
        variants.map((v, i) =>
          `${v.name} ${median(ms[i]!).toFixed(0)} ms (${rate(median(ms[i]!))}M)`
        )
          .join(", ")
      }; bytes allocated per event: ${
        variants.map((v, i) => `${v.name} ${median(bytes[i]!).toFixed(1)}`).join(", ")
      }`,
    );
  }
}

/** What the command line asks for (see the module doc); an unknown flag, a flag its mode does not read, or a number that is not one is refused, naming it. */
interface Command {
  readonly mode: "plain" | "base" | "steady" | "steady-child";
  readonly base: string | null;
  readonly sizes: readonly number[] | null;
  readonly rounds: number | null;
  readonly procs: number;
  readonly events: number | null;
  readonly variant: number;
  readonly baseDir: string;
}

const USAGE = "usage: collector_bench.ts [events] [--nodes 4,16,64] [--rounds 3] | " +
  "--base <rev> [events] [--nodes 4,16,64] [--rounds 5] | " +
  "--steady [--base <rev>] [--nodes 16] [--rounds 9] [--procs 3]";

/** Parses the command line (see {@link Command}). */
function parseCommand(args: readonly string[]): Command {
  const str = { type: "string" } as const;
  const bool = { type: "boolean" } as const;
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: {
        base: str,
        nodes: str,
        rounds: str,
        procs: str,
        variant: str,
        "base-dir": str,
        steady: bool,
        "steady-child": bool,
      },
      allowPositionals: true,
    });
  } catch (e) {
    // node:util's message names the flag ("Unknown option '--x'. To specify a positional ...").
    throw new Error(`collector_bench: ${(e as Error).message.split(". ")[0]}; ${USAGE}`);
  }
  const { values, positionals } = parsed;
  const string = new Map(
    Object.entries(values).filter((e): e is [string, string] => typeof e[1] === "string"),
  );
  const boolean = new Set(Object.entries(values).filter((e) => e[1] === true).map((e) => e[0]));
  const mode = boolean.has("steady-child")
    ? "steady-child"
    : boolean.has("steady")
    ? "steady"
    : string.has("base")
    ? "base"
    : "plain";
  const refuse = (what: string) => {
    throw new Error(`collector_bench: ${what}; ${USAGE}`);
  };
  const count = (name: string, text: string | undefined): number | null => {
    if (text === undefined) return null;
    const n = Number(text);
    if (!Number.isInteger(n) || n <= 0) refuse(`${name} '${text}' is not a positive integer`);
    return n;
  };
  const steady = mode === "steady" || mode === "steady-child";
  if (!steady && string.has("procs")) refuse("--procs is read with --steady only");
  if (mode !== "steady-child" && (string.has("variant") || string.has("base-dir"))) {
    refuse("--variant and --base-dir are the --steady processes' own");
  }
  if (steady && positionals.length > 0) {
    refuse(
      `--steady takes no event count ('${positionals[0]}'): its rounds are ${STEADY_EVENTS} events`,
    );
  }
  if (positionals.length > 1) refuse(`one event count at most, not '${positionals.join(" ")}'`);
  const sizes = string.get("nodes")?.split(",").map((n) => count("--nodes", n)!) ?? null;
  return {
    mode,
    base: string.get("base") ?? null,
    sizes,
    rounds: count("--rounds", string.get("rounds")),
    procs: count("--procs", string.get("procs")) ?? 3,
    events: count("events", positionals[0]),
    variant: Number(string.get("variant") ?? 0),
    baseDir: string.get("base-dir") ?? "",
  };
}

/** The command line parsed, or its refusal said (exit 2); null when imported. */
function commandLine(): Command | null {
  if (!import.meta.main) return null;
  try {
    return parseCommand(Deno.args);
  } catch (e) {
    console.error((e as Error).message);
    Deno.exit(2);
  }
}

const command = commandLine();
if (command?.mode === "steady-child") {
  await steadyChild(
    command.sizes?.[0] ?? 16,
    command.rounds ?? 9,
    steadyVariants(command.base)[command.variant]!,
    command.baseDir,
  );
} else if (command?.mode === "steady") {
  await steady(command.sizes ?? [16], command.rounds ?? 9, command.base, command.procs);
} else if (command?.mode === "base") {
  await compareEngines(
    command.base!,
    command.events ?? 300_000,
    command.rounds ?? 5,
    command.sizes === null ? CASES : casesOf(command.sizes),
  );
} else if (command !== null) {
  const total = command.events ?? 1_000_000;
  const rounds = command.rounds ?? 3;
  console.log(
    `collector core, ${total} events per run, best of ${rounds} interleaved runs: events per wall second, ` +
      `and per CPU second of this process (all its threads; the figure to read on a shared machine)`,
  );
  console.log(
    `${"case".padEnd(26)} ${"full check".padStart(11)} ${"incremental".padStart(11)} ratio` +
      ` | ${"cpu full".padStart(11)} ${"cpu incr.".padStart(11)} ratio`,
  );
  for (const k of command.sizes === null ? CASES : casesOf(command.sizes)) {
    const batches = workload(k.nodes, Math.ceil(total / k.nodes), k.keys);
    const wall = [Infinity, Infinity];
    const cpu = [Infinity, Infinity];
    let applied = 0;
    run(batches, fullSpec); // warm up
    run(batches, spec);
    for (let r = 0; r < rounds; r++) {
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
