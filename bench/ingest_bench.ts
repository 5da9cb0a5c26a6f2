/**
 * The collector's ingest path in process, without NATS: what the collector
 * does with each batch once the NATS client hands it over. Batches are made
 * by the SDK as the end-to-end publishers make them (the workload of
 * `tools/harness/lease/workload.ts`: lease monitors, `--nodes` nodes with a
 * batcher each, `--keys` keys per node, acquire then release, batches of
 * `--max-events`), captured from a memory transport, then fed in their
 * arrival order to:
 *
 * - `decode`: `decodeToColumns` alone (the wire decoder's share);
 * - `ingest`: `CollectorService.ingestBytes` on a fresh collector (decode,
 *   admission, merge, apply, global checks, metrics), then `flush()`.
 *
 * Then the persist path with the newest events still buffered (see
 * `persistCost`): one snapshot and one save to a memory store, CPU ms.
 *
 * Rounds alternate the two ingest cases, so both see the same machine; each line gives
 * CPU ns per event (this process, all threads) and wall ns per event, best
 * and median of the rounds. The difference between the two is the core's
 * share.
 *
 * `--base <git revision>` adds the case `ingest@<rev>`: the same ingest
 * through the collector and service of that revision (its `edge/` and
 * `lib/`, extracted beside the tree), interleaved with this tree's, so a
 * change is measured against its anchor in one run. `--cpu-prof <file>`
 * writes a V8 CPU profile of this tree's ingest rounds and prints the
 * functions with the most self time; `--alloc-prof <file>` the same for
 * allocations (sampled bytes, objects collected included).
 *
 * `--jit <runs>`: instead, the JIT's work on a cold ingest, counted (not
 * timed, so the load does not change it): the batches are written to a
 * file, and `runs` fresh processes per engine (this tree's, and the
 * `--base` revision's, alternating) each feed all of them once to a new
 * collector under `--trace-opt --trace-deopt`; printed per engine: the
 * median of the runs' deoptimizations, optimized code invalidated (thrown
 * away when an assumption broke), optimized compiles (Maglev and
 * TurboFan) and the compiles' own time, and the functions deoptimized or
 * compiled by TurboFan more than once.
 *
 * Run: `deno run -A bench/ingest_bench.ts [--events 400000] [--rounds 5] [--base <rev>] [--jit <runs>]`
 *
 * @module
 */
import process from "node:process";
import { startProfiler, topAllocations, topSelf } from "./v8_profile.ts";
import { treeAt } from "../tools/harness/tree_at.ts";
import { decodeToColumns } from "../lib/wire/decode.ts";
import { WireColumns } from "../lib/wire/columns.ts";
import { createCollector } from "../edge/engine/collector.ts";
import { createCollectorService } from "../edge/server/service.ts";
import { memoryStore } from "../edge/store/store.ts";
import { createBatcher } from "../runtime/batcher/batcher.ts";
import { memoryTransport } from "../runtime/transports/memory.ts";
import {
  compiledLease,
  leaseMonitors,
  leaseWorkloadFlags,
  stepLease,
} from "../tools/harness/lease/workload.ts";

const { events: total, rounds, nodes: nodeCount, keys, maxEvents, args } = leaseWorkloadFlags(
  Deno.args,
  {},
  ["base", "cpu-prof", "alloc-prof", "jit", "jit-child", "jit-spec"],
);
const baseRev = args.string.get("base");
const cpuProf = args.string.get("cpu-prof");
const allocProf = args.string.get("alloc-prof");
const jitChild = args.string.get("jit-child");
if (jitChild !== undefined) {
  await coldIngest(jitChild, args.string.get("jit-spec")!, baseRev);
  Deno.exit(0);
}
const { lease, compiled, dir: leaseDir } = await compiledLease();

/**
 * `--jit-child <file>`: one cold ingest of the batches in `file` (each
 * preceded by its length, 4 bytes big-endian) through a fresh collector of
 * this tree (or of revision `rev`), with the spec compiled at `spec`; run
 * by {@link jitCounts} under V8's tracing flags.
 */
async function coldIngest(file: string, spec: string, rev: string | undefined): Promise<void> {
  const bytes = await Deno.readFile(file);
  const view = new DataView(bytes.buffer);
  const input: Uint8Array[] = [];
  for (let at = 0; at < bytes.length;) {
    const n = view.getUint32(at);
    input.push(bytes.subarray(at + 4, at + 4 + n));
    at += 4 + n;
  }
  const root = rev === undefined
    ? new URL("..", import.meta.url).pathname
    : await treeAt(rev, ["edge", "lib"]);
  const collectorMod = await import(`file://${root}/edge/engine/collector.ts`);
  const serviceMod = await import(`file://${root}/edge/server/service.ts`);
  const loader = await import(`file://${root}/lib/abi/loader.ts`);
  const collector = collectorMod.createCollector({
    specs: [await loader.loadCompiled(spec)],
    windowMs: 50,
  });
  const service = serviceMod.createCollectorService(collector, { onLog: () => {} });
  for (const b of input) {
    const out = service.ingestBytes(b, "nats");
    if (!out.ok) throw new Error(`Batch refused: ${out.reason} (${out.detail})`);
  }
  collector.flush();
  await service.stop();
  if (rev !== undefined) await Deno.remove(root, { recursive: true });
}

/** The batches the publishers' nodes send, in the order they were handed to the transport. */
async function makeBatches(): Promise<Uint8Array[]> {
  const transport = memoryTransport();
  const out: Uint8Array[] = [];
  transport.subscribe((bytes) => void out.push(bytes));
  const batchers = Array.from(
    { length: nodeCount },
    () => createBatcher(transport, { maxEvents, maxDelayMs: 2, maxBuffered: 1 << 20 }),
  );
  const monitors = leaseMonitors(lease, {
    nodes: nodeCount,
    keys,
    prefix: "p0",
    sinkOf: (i) => batchers[i],
  });
  let sent = 0;
  for (let round = 0; sent < total; round++) {
    stepLease(monitors, round);
    sent += 2;
    if ((round & 4095) === 4095) await Promise.all(batchers.map((x) => x.flush()));
  }
  await Promise.all(batchers.map((x) => x.close()));
  return out;
}

const batches = await makeBatches();
const events = (() => {
  const c = new WireColumns();
  let n = 0;
  for (const b of batches) {
    decodeToColumns(b, c);
    n += c.count;
  }
  return n;
})();

/** CPU and wall ns per event of `run`, over `n` events. */
function measure(run: () => void, n = events): { cpu: number; wall: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  run();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { cpu: ((c.user + c.system) * 1e3) / n, wall: (wall * 1e6) / n };
}

/** An engine to ingest with: this tree's, or a revision's (`--base`). */
interface Engine {
  readonly createCollector: typeof createCollector;
  readonly createCollectorService: typeof createCollectorService;
  readonly memoryStore: typeof memoryStore;
}

/** The first half of the batches warms a collector up (partitions, lanes, rings grow); the second is measured. */
const half = batches.length >> 1;
const secondHalfEvents = (() => {
  const c = new WireColumns();
  let n = 0;
  for (const b of batches.slice(half)) n += (decodeToColumns(b, c), c.count);
  return n;
})();

/**
 * Every batch through a fresh collector's service of `engine`, then a
 * flush (all applied, or it throws). Measured: the second half of the
 * batches and the flush, per event of that half, as the end-to-end bench
 * reads its second half (the first half grows the collector's tables as a
 * long run has). `between` runs between the halves (a profiler starts).
 */
async function ingestWith(
  engine: Engine,
  between?: () => Promise<unknown>,
): Promise<{ cpu: number; wall: number }> {
  const collector = engine.createCollector({ specs: [compiled], windowMs: 50 });
  const service = engine.createCollectorService(collector, { onLog: () => {} });
  const feed = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const out = service.ingestBytes(batches[i]!, "nats");
      if (!out.ok) throw new Error(`Batch refused: ${out.reason} (${out.detail})`);
    }
  };
  feed(0, half);
  await between?.();
  const m = measure(() => {
    feed(half, batches.length);
    collector.flush();
  }, secondHalfEvents);
  if (collector.metrics().applied !== events) {
    throw new Error(`Applied ${collector.metrics().applied} of ${events} events`);
  }
  void service.stop();
  return m;
}

const base: Engine | null = baseRev === undefined ? null : await (async () => {
  const dir = await treeAt(baseRev, ["edge", "lib"]);
  return {
    createCollector: (await import(`file://${dir}/edge/engine/collector.ts`)).createCollector,
    createCollectorService:
      (await import(`file://${dir}/edge/server/service.ts`)).createCollectorService,
    memoryStore: (await import(`file://${dir}/edge/store/store.ts`)).memoryStore,
  };
})();
const tree: Engine = { createCollector, createCollectorService, memoryStore };

/** The cases, each giving CPU and wall ns per event. */
const cases: Record<string, () => Promise<{ cpu: number; wall: number }>> = {
  decode: () =>
    Promise.resolve(measure(() => {
      const c = new WireColumns();
      for (const b of batches) decodeToColumns(b, c);
    })),
  ...(base === null ? {} : { [`ingest@${baseRev}`]: () => ingestWith(base) }),
  ingest: () => ingestWith(tree),
};
/**
 * The persist path during an ingest, as the end-to-end run meets it: the
 * collector's clock moves 1 ms per 1,000 events (1M events/s) with a 50 ms
 * window, so the newest ~50,000 events are still buffered (their streams
 * list them as pending) when one `collector.snapshot()` is taken, then one
 * save to a memory store; every partition changed (every key steps between
 * two persists). CPU ms per snapshot and per save.
 */
function persistCost(
  engine: Engine,
): { partitions: number; pending: number; snapshot: number; save: number } {
  let now = 0;
  let fed = 0;
  const collector = engine.createCollector({ specs: [compiled], windowMs: 50, now: () => now });
  const service = engine.createCollectorService(collector, { onLog: () => {} });
  const c = new WireColumns();
  for (const b of batches) {
    service.ingestBytes(b, "nats");
    fed += (decodeToColumns(b, c), c.count);
    now = Math.floor(fed / 1000);
  }
  const store = engine.memoryStore();
  const pending = collector.metrics().buffered;
  let c0 = process.cpuUsage();
  const snap = collector.snapshot();
  let cpu = process.cpuUsage(c0);
  const snapshot = (cpu.user + cpu.system) / 1000;
  c0 = process.cpuUsage();
  void store.save(snap);
  cpu = process.cpuUsage(c0);
  void service.stop();
  return {
    partitions: snap.partitions.length,
    pending,
    snapshot,
    save: (cpu.user + cpu.system) / 1000,
  };
}
const jitRuns = args.string.get("jit");
if (jitRuns !== undefined) {
  const runs = Number(jitRuns);
  if (!Number.isInteger(runs) || runs < 1) {
    throw new RangeError(`Flag '--jit' must be an integer >= 1, got '${jitRuns}'`);
  }
  await jitCounts(runs);
  Deno.exit(0);
}
const results: Record<string, { cpu: number[]; wall: number[] }> = {};
for (const name of Object.keys(cases)) results[name] = { cpu: [], wall: [] };
for (let r = 0; r < rounds + 1; r++) {
  for (const [name, run] of Object.entries(cases)) {
    const m = await run();
    if (r === 0) continue; // the first round warms up
    results[name]!.cpu.push(m.cpu);
    results[name]!.wall.push(m.wall);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(
  `${events} events in ${batches.length} batches (${
    (batches.reduce((n, b) => n + b.length, 0) / events).toFixed(1)
  } bytes/event), ${nodeCount} nodes x ${keys} keys, best and median of ${rounds} rounds; ` +
    `ingest: per event of the second half of the batches (the first half warms the collector)`,
);
for (const [name, r] of Object.entries(results)) {
  console.log(
    `${name.padEnd(Math.max(7, ...Object.keys(results).map((n) => n.length)))} cpu ${
      Math.min(...r.cpu).toFixed(0)
    } / ${median(r.cpu).toFixed(0)} ns/event, wall ${Math.min(...r.wall).toFixed(0)} / ${
      median(r.wall).toFixed(0)
    } ns/event`,
  );
}
const engines: [string, Engine][] = [
  ...(base === null ? [] : [[`@${baseRev}`, base]] as [string, Engine][]),
  ["", tree],
];
for (const [, e] of engines) persistCost(e);
const persists = engines.map(() => [] as ReturnType<typeof persistCost>[]);
for (let r = 0; r < rounds; r++) engines.forEach(([, e], i) => persists[i]!.push(persistCost(e)));
engines.forEach(([name], i) => {
  const ps = persists[i]!;
  const best = (pick: (p: ReturnType<typeof persistCost>) => number) =>
    Math.min(...ps.map(pick)).toFixed(1);
  console.log(
    `persist${name} (${ps[0]!.partitions} partitions, all changed, ${
      ps[0]!.pending
    } events buffered): ` +
      `snapshot ${best((p) => p.snapshot)} ms, memory store save ${best((p) => p.save)} ms ` +
      `(CPU, best of ${rounds})`,
  );
});
if (cpuProf !== undefined || allocProf !== undefined) {
  // Profiled apart from the measured rounds (a profiler slows what it watches): the second half
  // of one ingest of this tree.
  let profiler: Awaited<ReturnType<typeof startProfiler>> | null = null;
  await ingestWith(tree, async () => {
    profiler = await startProfiler({ cpuFile: cpuProf, allocFile: allocProf });
  });
  const { cpu, alloc } = await profiler!.stop();
  if (cpu !== null) console.log(`CPU profile, second half (${cpuProf}):`, topSelf(cpu, 30));
  if (alloc !== null) {
    console.log(`allocations, second half (${allocProf}):`, topAllocations(alloc, 20));
  }
}

/** What V8 reported doing to optimize one cold ingest (`--trace-opt --trace-deopt`). */
interface JitCount {
  readonly deopts: number;
  /** Optimized code thrown away when an assumption it made broke (`marking dependent code`). */
  readonly invalidated: number;
  readonly maglev: number;
  readonly turbofan: number;
  /** Compile time as V8 reports it (its three phases), ms: CPU of its compiler threads mostly. */
  readonly compileMs: number;
  /** Per function: deoptimizations and TurboFan compiles. */
  readonly byFunction: ReadonlyMap<string, { deopts: number; turbofan: number }>;
}

/** Counts the deoptimizations and optimized compiles in V8's trace output. */
function countJit(trace: string): JitCount {
  let deopts = 0;
  let invalidated = 0;
  let maglev = 0;
  let turbofan = 0;
  let compileMs = 0;
  const byFunction = new Map<string, { deopts: number; turbofan: number }>();
  const of = (name: string) => {
    let f = byFunction.get(name);
    if (f === undefined) byFunction.set(name, f = { deopts: 0, turbofan: 0 });
    return f;
  };
  for (const line of trace.split("\n")) {
    const done = line.match(
      /^\[completed compiling .*?<JSFunction (\S*) .*\(target (\w+)\).* took ([\d.]+), ([\d.]+), ([\d.]+) ms/,
    );
    if (done !== null) {
      compileMs += Number(done[3]) + Number(done[4]) + Number(done[5]);
      if (done[2]!.startsWith("TURBOFAN")) {
        turbofan++;
        of(done[1] || "(anonymous)").turbofan++;
      } else maglev++;
      continue;
    }
    if (line.startsWith("[marking dependent code")) {
      // Not code whose objects died (the collector dropped at the end).
      if (!line.includes("embedded weak objects cleared")) invalidated++;
      continue;
    }
    const bail = line.match(
      /^\[bailout \(kind: [^)]*\): begin\. deoptimizing .*?<JSFunction (\S*) /,
    );
    if (bail !== null) {
      deopts++;
      of(bail[1] || "(anonymous)").deopts++;
    }
  }
  return { deopts, invalidated, maglev, turbofan, compileMs, byFunction };
}

/**
 * `--jit <runs>`: the batches written to a file, then `runs` cold ingests
 * per engine in fresh traced processes, alternating; prints the medians
 * and the functions recompiled or deoptimized (in at least half the runs).
 */
async function jitCounts(runs: number): Promise<void> {
  const file = await Deno.makeTempFile({ prefix: "vigil_ingest_jit_" });
  const size = batches.reduce((n, b) => n + 4 + b.length, 0);
  const all = new Uint8Array(size);
  const view = new DataView(all.buffer);
  let at = 0;
  for (const b of batches) {
    view.setUint32(at, b.length);
    all.set(b, at + 4);
    at += 4 + b.length;
  }
  await Deno.writeFile(file, all);
  const engines = [...(baseRev === undefined ? [] : [baseRev]), undefined];
  const counts = engines.map(() => [] as JitCount[]);
  try {
    for (let r = 0; r < runs; r++) {
      for (const [i, rev] of engines.entries()) {
        const out = await new Deno.Command(Deno.execPath(), {
          args: [
            "run",
            "-A",
            "--v8-flags=--trace-opt,--trace-deopt",
            new URL(import.meta.url).pathname,
            "--jit-child",
            file,
            "--jit-spec",
            `${leaseDir}/lease.js`,
            ...(rev === undefined ? [] : ["--base", rev]),
          ],
          stdout: "piped",
          stderr: "inherit",
        }).output();
        if (!out.success) throw new Error(`The cold ingest of '${rev ?? "this tree"}' failed`);
        counts[i]!.push(countJit(new TextDecoder().decode(out.stdout)));
      }
    }
  } finally {
    await Deno.remove(file);
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  console.log(
    `JIT of one cold ingest of ${events} events (fresh process each, ${runs} per engine, medians)`,
  );
  engines.forEach((rev, i) => {
    const cs = counts[i]!;
    const again = new Map<string, number>();
    for (const c of cs) {
      for (const [name, f] of c.byFunction) {
        if (f.deopts > 0 || f.turbofan > 1) again.set(name, (again.get(name) ?? 0) + 1);
      }
    }
    const often = [...again].filter(([, n]) => 2 * n >= cs.length).map(([name]) => {
      const d = med(cs.map((c) => c.byFunction.get(name)?.deopts ?? 0));
      const t = med(cs.map((c) => c.byFunction.get(name)?.turbofan ?? 0));
      return `${name} (${d} deopt, ${t} TurboFan)`;
    });
    console.log(
      `${(rev === undefined ? "this tree" : `@${rev}`).padEnd(12)} deopts ${
        med(cs.map((c) => c.deopts))
      }, code invalidated ${med(cs.map((c) => c.invalidated))}, Maglev compiles ${
        med(cs.map((c) => c.maglev))
      }, TurboFan compiles ${med(cs.map((c) => c.turbofan))}, compile time ${
        med(cs.map((c) => c.compileMs)).toFixed(0)
      } ms (load-dependent); ` +
        `deoptimized or recompiled: ${often.join(", ") || "none"}`,
    );
  });
}
