/**
 * The read API over a large collector: 100,000 partitions (one node, 10 of
 * them violated by a second node), served by the collector app through
 * `app.request()`. A page of `/api/partitions` costs about the page; the
 * whole table (`Collector.partitions()`, what `/api/partitions` built
 * before it was paged) is the baseline to compare with. `/api/summary` and
 * `/metrics` (run every second and at every scrape) are measured too.
 *
 * Run: `deno bench -A bench/api_pages_bench.ts`
 *
 * @module
 */
import { createCollectorApp } from "../edge/server/app.ts";
import { createCollector } from "../edge/engine/collector.ts";
import type { CompiledSpec } from "../lib/abi/compiled.ts";
import type { DecodedBatch, DecodedEvent } from "../lib/wire/event.ts";
import { compileToTemp, specSource } from "../tools/harness/spec_files.ts";

const PARTITIONS = 100_000;
const { spec } = await compileToTemp("lease", specSource("lease"));

/** The state block of a lease held by client `c` (0: free). */
function heldBy(s: CompiledSpec, c: number): Uint8Array {
  const inst = s.create();
  if (c > 0) s.stepFn(s.actionIndex("acquire"))(inst, c);
  return s.stateBytes(inst);
}

const ACQUIRE = spec.actionIndex("acquire");

function batch(node: string, firstSeq: number, keys: readonly string[], c: number): DecodedBatch {
  const state = heldBy(spec, c);
  const events: DecodedEvent[] = keys.map((key, i) => ({
    key,
    wall: 1_732_170_000_000 + firstSeq + i,
    logical: 0,
    action: ACQUIRE,
    args: [c],
    state,
    verdict: 0,
    seq: firstSeq + i,
  }));
  return {
    version: 1,
    spec: spec.meta.sourceHash,
    specName: spec.meta.name,
    node,
    boot: `${node}-boot`,
    firstSeq,
    dropped: [],
    events,
  };
}

const collector = createCollector({ specs: [spec], windowMs: 0, maxPartitions: PARTITIONS });
const keys = Array.from({ length: PARTITIONS }, (_, i) => `lock:${i}`);
for (let i = 0; i < PARTITIONS; i += 1_000) {
  collector.ingest(batch("node-a", i, keys.slice(i, i + 1_000), 1));
}
collector.ingest(batch("node-b", 0, keys.filter((_, i) => i % 10_000 === 0), 2));
collector.flush();
const app = createCollectorApp(collector, { allowAnonymous: true, keepAliveMs: 0 });
const middle = `Lease%2Flock%3A${PARTITIONS / 2}`;

async function get(path: string): Promise<void> {
  const res = await app.request(path);
  if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status}`);
  await res.arrayBuffer();
}

const group = "read API, 100,000 partitions";
Deno.bench(
  "GET /api/partitions?limit=100",
  { group, baseline: true },
  () => get("/api/partitions?limit=100"),
);
Deno.bench(
  "GET /api/partitions?limit=100&after=<the 50,000th>",
  { group },
  () => get(`/api/partitions?limit=100&after=${middle}`),
);
Deno.bench(
  "GET /api/partitions?status=violated&limit=100",
  { group },
  () => get("/api/partitions?status=violated&limit=100"),
);
Deno.bench("GET /api/partitions (default page of 1,000)", { group }, () => get("/api/partitions"));
Deno.bench("GET /api/summary", { group }, () => get("/api/summary"));
Deno.bench("GET /metrics", { group }, () => get("/metrics"));
Deno.bench("Collector.partitions() (the whole table, as before paging)", { group, n: 5 }, () => {
  collector.partitions();
});
