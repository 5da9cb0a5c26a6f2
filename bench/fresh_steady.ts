/**
 * A collector built afresh against a long-running one, in ONE process:
 * run by run, the two take turns (the order turning around every round),
 * and each run's garbage collections are booked to it by V8's own trace.
 *
 * Separate processes (`bench/collector_bench.ts --steady`, its `now on`
 * and `now on, fresh`) read the fresh collector 10-23% dearer
 * (2026-12-06, 16 nodes), a comparison across processes whose speed
 * drifts apart by as much; here the drift hits both alike, and the fresh
 * runs read 0.97-1.08x of the long-running ones. Why the two set-ups
 * differ is not known: each kind of run's own figures overlap between them
 * (fresh runs 226-284 ms here, 223-295 ms in processes of their own, on a
 * machine at load 1-8), so read this one as the split in one process, not
 * as what a process that builds a collector per run costs. The fresh run
 * is split into building the collector, ingesting the run's batches and
 * the final `flush()` (which applies the last reorder window's events: a
 * long-running collector applies those in its next run).
 *
 * Garbage collection: the script runs itself again as a child under
 * `--v8-flags=--trace-gc-nvp` and books each collection's main-thread
 * pause plus its helper threads' time (the `background.*` fields, in the
 * process's CPU time as well: they are the helper tasks' durations, so on
 * a loaded machine, where those threads wait for a core, more than their
 * CPU) to the run whose window holds its timestamp. The figures of the
 * two kinds of run are what to compare: a collection is booked to the run
 * that set it off, whoever left the survivors it copies.
 * V8's timestamps count from its heap's set-up and the runs' from the
 * process's start, a few ms apart: against runs of ~250 ms, a collection
 * at a run's edge may be booked to its neighbour. (`--expose-gc`, to
 * collect at the windows' edges instead, made the same runs 60% dearer.)
 *
 * Workload: `bench/variant_ab.ts`'s (`HandoffTraffic`, every acquire
 * carrying the previous holder's stamp, 1 ms of collector time per batch,
 * 250 ms window, causal verdicts on), 262,144 events per run. The fresh
 * collector gets the same first run's batches each time (as
 * `causal_bench.ts`), the long-running one the traffic's continuation.
 *
 * Run: `deno run -A bench/fresh_steady.ts [--rounds 11] [--nodes 16]
 * [--keys 256]`.
 *
 * @module
 */
import process from "node:process";
import v8 from "node:v8";
import { compileToTemp, specSource } from "../tools/harness/spec_files.ts";
import { createCollector } from "../edge/engine/collector.ts";
import { HandoffTraffic } from "../tools/harness/handoff_traffic.ts";
import { median } from "../tools/harness/variant_processes.ts";

/** Events per run. */
const EVENTS = 1 << 18;

/** The options of a run of this script. */
export interface FreshSteadyOptions {
  readonly rounds: number;
  readonly nodes: number;
  readonly keys: number;
}

/**
 * Parses this script's arguments (`--child` aside); throws a `RangeError`
 * naming a flag it does not know or a count that is not a positive integer.
 *
 * @example Seven rounds at 64 nodes
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseFreshSteady } from "./fresh_steady.ts";
 * assert.deepEqual(parseFreshSteady(["--rounds", "7", "--nodes", "64"]), { rounds: 7, nodes: 64, keys: 256 });
 * assert.throws(() => parseFreshSteady(["--round", "7"]), /Unknown flag '--round'/);
 * assert.throws(() => parseFreshSteady(["--rounds", "0"]), /expected a positive integer/);
 * ```
 */
export function parseFreshSteady(args: readonly string[]): FreshSteadyOptions {
  const counts: Record<string, number> = { rounds: 11, nodes: 16, keys: 256 };
  for (let i = 0; i < args.length; i++) {
    const flag = args[i]!;
    const value = args[i + 1];
    if (flag === "--child") continue;
    const name = flag.slice(2);
    if (!(flag.startsWith("--") && name in counts && value !== undefined)) {
      throw new RangeError(`Unknown flag '${flag}' (or its value is missing)`);
    }
    const n = Number(value);
    if (!(Number.isInteger(n) && n > 0)) {
      throw new RangeError(`'${flag} ${value}': expected a positive integer`);
    }
    counts[name] = n;
    i++;
  }
  return { rounds: counts.rounds!, nodes: counts.nodes!, keys: counts.keys! };
}

/** One timed run of the child: which collector, its window (ms since the process started) and its figures. */
export interface RunRecord {
  readonly kind: "fresh" | "steady";
  readonly from: number;
  readonly to: number;
  /** CPU ms of the process: the whole run, and (fresh only) building, ingesting, flushing. */
  readonly cpu: number;
  readonly build: number;
  readonly ingest: number;
  readonly flush: number;
  /** Bytes V8 allocated on its heap during the run. */
  readonly bytes: number;
}

/**
 * CPU ms of garbage collection booked to each kind of run, per run:
 * scavenges (`s`) and mark-compacts (`mc`), each collection's pause plus
 * its helper threads' `background.*` times, booked to the run whose window
 * holds its timestamp. `trace` is V8's `--trace-gc-nvp` output; lines that
 * are not a collection's are skipped.
 *
 * @example One scavenge inside the fresh run
 * ```ts
 * import assert from "node:assert/strict";
 * import { gcByRun } from "./fresh_steady.ts";
 * const trace = '[1:0x1:0]      150 ms: GC: {"pause":4,"gc":"s","background.scavenge.parallel":6}\n' +
 *   '[1:0x1:0]      400 ms: GC: {"pause":9,"gc":"mc"}\n';
 * const runs = [
 *   { kind: "fresh", from: 100, to: 200, cpu: 0, build: 0, ingest: 0, flush: 0, bytes: 0 },
 *   { kind: "steady", from: 200, to: 300, cpu: 0, build: 0, ingest: 0, flush: 0, bytes: 0 },
 * ] as const;
 * assert.deepEqual(gcByRun(trace, runs), {
 *   fresh: { scavenge: 10, markCompact: 0 },
 *   steady: { scavenge: 0, markCompact: 0 },
 * });
 * ```
 */
export function gcByRun(
  trace: string,
  runs: readonly RunRecord[],
): Record<RunRecord["kind"], { scavenge: number; markCompact: number }> {
  const out = { fresh: { scavenge: 0, markCompact: 0 }, steady: { scavenge: 0, markCompact: 0 } };
  const count = { fresh: 0, steady: 0 };
  for (const r of runs) count[r.kind]++;
  for (const line of trace.split("\n")) {
    const m = /^\[[^\]]*\]\s+(\d+(?:\.\d+)?) ms: GC: (\{.*\})\s*$/.exec(line);
    if (m === null) continue;
    let fields: Record<string, unknown>;
    try {
      fields = JSON.parse(m[2]!);
    } catch {
      continue; // a line another thread's output cut into
    }
    const at = Number(m[1]);
    const run = runs.find((r) => r.from <= at && at <= r.to);
    if (run === undefined) continue;
    let ms = typeof fields.pause === "number" ? fields.pause : 0;
    for (const [k, v] of Object.entries(fields)) {
      if (k.startsWith("background.") && typeof v === "number") ms += v;
    }
    const kind = fields.gc === "s" ? "scavenge" : fields.gc === "mc" ? "markCompact" : null;
    if (kind !== null) out[run.kind][kind] += ms / count[run.kind];
  }
  return out;
}

/** The child: warms up, then runs the rounds, one JSON line per run on stderr. */
async function child(o: FreshSteadyOptions): Promise<void> {
  const { spec } = await compileToTemp("lease", specSource("lease"));
  const traffic = new HandoffTraffic(spec, { nodes: o.nodes, keys: o.keys, deps: true });
  const first = traffic.next(EVENTS);
  const cpu = () => {
    const c = process.cpuUsage();
    return (c.user + c.system) / 1000;
  };
  const allocated = () =>
    (v8.getHeapStatistics() as { total_allocated_bytes?: number }).total_allocated_bytes ?? NaN;
  let now = 0;
  const steady = createCollector({ specs: [spec], now: () => now, windowMs: 250, maxSkewMs: 500 });
  const runSteady = (batches: readonly Uint8Array[]) => {
    for (const b of batches) {
      now++;
      steady.ingestBytes(b);
    }
  };
  const runFresh = (): [number, number, number] => {
    let t = 0;
    const a = cpu();
    const c = createCollector({ specs: [spec], now: () => t, windowMs: 250, maxSkewMs: 500 });
    const b = cpu();
    for (const batch of first) {
      t++;
      c.ingestBytes(batch);
    }
    const d = cpu();
    c.flush();
    const e = cpu();
    if (c.violations().length !== 0) throw new Error("Clean handoffs raised an alert");
    return [b - a, d - b, e - d];
  };
  for (let i = 0; i < 2; i++) {
    runFresh();
    runSteady(traffic.next(EVENTS));
  }
  for (let r = 0; r < o.rounds; r++) {
    const load = traffic.next(EVENTS);
    for (const kind of r % 2 === 0 ? ["steady", "fresh"] as const : ["fresh", "steady"] as const) {
      const from = performance.now();
      const a0 = allocated();
      const c0 = cpu();
      const [build, ingest, flush] = kind === "fresh" ? runFresh() : (runSteady(load), [0, 0, 0]);
      const record: RunRecord = {
        kind,
        from,
        to: performance.now(),
        cpu: cpu() - c0,
        build,
        ingest,
        flush,
        bytes: allocated() - a0,
      };
      console.error(JSON.stringify(record));
    }
  }
  if (steady.violations().length !== 0) throw new Error("Clean handoffs raised an alert");
}

/** Runs the child under `--trace-gc-nvp` and prints the split. */
async function main(o: FreshSteadyOptions, args: readonly string[]): Promise<void> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--v8-flags=--trace-gc-nvp",
      new URL(import.meta.url).pathname,
      "--child",
      ...args,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const err = new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(`The child failed:\n${err}`);
  const runs: RunRecord[] = err.split("\n").filter((l) => l.startsWith("{")).map((l) =>
    JSON.parse(l)
  );
  const of = (kind: RunRecord["kind"]) => runs.filter((r) => r.kind === kind);
  const fresh = of("fresh");
  const steady = of("steady");
  const m = (xs: readonly number[]) => median(xs).toFixed(1);
  const gc = gcByRun(new TextDecoder().decode(out.stdout), runs);
  const ratio = median(fresh.map((f, k) => f.cpu / steady[k]!.cpu));
  console.log(
    `${o.nodes} nodes, ${o.keys} keys, causal on, ${EVENTS} events per run, ${o.rounds} rounds, one process: ` +
      `median CPU ms of the process per run`,
  );
  console.log(
    `long-running: ${m(steady.map((r) => r.cpu))} ms, ${
      m(steady.map((r) => r.bytes / EVENTS))
    } bytes allocated per event; garbage collection per run (pauses + helper threads): scavenges ${
      gc.steady.scavenge.toFixed(1)
    } ms, mark-compacts ${gc.steady.markCompact.toFixed(1)} ms`,
  );
  console.log(
    `built afresh: ${m(fresh.map((r) => r.cpu))} ms (building ${
      m(fresh.map((r) => r.build))
    }, ingest ${m(fresh.map((r) => r.ingest))}, flush ${m(fresh.map((r) => r.flush))}), ${
      m(fresh.map((r) => r.bytes / EVENTS))
    } bytes allocated per event; garbage collection per run: scavenges ${
      gc.fresh.scavenge.toFixed(1)
    } ms, mark-compacts ${gc.fresh.markCompact.toFixed(1)} ms`,
  );
  console.log(`built afresh / long-running: ${ratio.toFixed(3)}x (median of the rounds' ratios)`);
}

if (import.meta.main) {
  let options: FreshSteadyOptions;
  try {
    options = parseFreshSteady(Deno.args);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    console.error(`bench/fresh_steady.ts: ${e.message}`);
    Deno.exit(2);
  }
  if (Deno.args.includes("--child")) await child(options);
  else await main(options, Deno.args);
}
