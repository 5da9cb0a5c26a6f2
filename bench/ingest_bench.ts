/**
 * The collector's ingest path in process, without NATS: what the collector
 * does with each batch once the NATS client hands it over. Batches are made
 * by the SDK as the end-to-end publishers make them (the workload of
 * `tools/harness/lease_workload.ts`: lease monitors, `--nodes` nodes with a
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
 * Run: `deno run -A bench/ingest_bench.ts [--events 400000] [--rounds 5] [--base <rev>]`
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
} from "../tools/harness/lease_workload.ts";

const { events: total, rounds, nodes: nodeCount, keys, maxEvents, args } = leaseWorkloadFlags(
  Deno.args,
  {},
  ["base", "cpu-prof", "alloc-prof"],
);
const baseRev = args.string.get("base");
const cpuProf = args.string.get("cpu-prof");
const allocProf = args.string.get("alloc-prof");
const { lease, compiled } = await compiledLease();

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
