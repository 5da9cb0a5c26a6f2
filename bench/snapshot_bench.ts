/**
 * Persist cost: one save of a collector holding 4,096 lease partitions of
 * 4 nodes each (a snapshot of several MB) after 1% of them changed, into
 * a Deno KV file and into the memory store. Incremental: the stores write
 * the partitions that changed (KV: one delta; memory: only changed
 * partitions serialized). Anchor, in the same run: the same save when the
 * store cannot tell what changed (snapshot objects copied, so every
 * partition counts as changed: the KV store writes a full generation),
 * which is what every persist cost before incremental snapshots.
 *
 * Run: `deno run -A --unstable-kv bench/snapshot_bench.ts` (prints ms per
 * save), or `deno bench -A --unstable-kv bench/snapshot_bench.ts`.
 *
 * @module
 */
import { compileToTemp, specSource } from "../tools/harness/spec_files.ts";
import { createCollector } from "../edge/engine/collector.ts";
import { kvCollectorStore } from "../edge/store/kv_store.ts";
import { memoryStore } from "../edge/store/store.ts";
import type { CollectorStore } from "../edge/store/store.ts";
import type { CollectorSnapshot } from "../edge/engine/types.ts";
import type { DecodedBatch, DecodedEvent } from "../lib/wire/event.ts";

const { spec } = await compileToTemp("lease", specSource("lease"));
const KEYS = 4096;
const NODES = 4;
const ACQUIRE = spec.actionIndex("acquire");
const RELEASE = spec.actionIndex("release");
const inst = spec.create(1);
const free = spec.stateBytes(inst);
spec.stepFn(ACQUIRE)(inst, 1);
const held = spec.stateBytes(inst);

let now = 1;
const collector = createCollector({ specs: [spec], now: () => now, windowMs: 0 });
const seqs = new Array<number>(NODES).fill(0);

/** Node `n` acquires then releases each of `keys` (a correct handoff). */
function traffic(n: number, keys: readonly number[]): void {
  const events: DecodedEvent[] = [];
  for (const k of keys) {
    for (const acquire of [true, false]) {
      events.push({
        key: `lock:${k}`,
        wall: now++,
        logical: 0,
        action: acquire ? ACQUIRE : RELEASE,
        args: [1],
        state: acquire ? held : free,
        verdict: 0,
        seq: seqs[n]! + events.length,
      });
    }
  }
  const batch: DecodedBatch = {
    version: 1,
    spec: spec.meta.sourceHash,
    specName: spec.meta.name,
    node: `node-${n}`,
    boot: "boot-1",
    firstSeq: seqs[n]!,
    dropped: [],
    events,
  };
  seqs[n]! += events.length;
  collector.ingest(batch);
  collector.flush();
}

const all = Array.from({ length: KEYS }, (_, k) => k);
for (let n = 0; n < NODES; n++) traffic(n, all);
let round = 0;
/** Changes 1% of the partitions. */
function change(): void {
  const keys = Array.from({ length: KEYS / 100 }, (_, i) => (round * 41 + i * 97) % KEYS);
  traffic(round++ % NODES, keys);
}

/** A copy of the snapshot whose partitions a store cannot recognize (not the frozen objects). */
function copied(s: CollectorSnapshot): CollectorSnapshot {
  return { ...s, partitions: s.partitions.map((p) => ({ ...p })) };
}

const paths: string[] = [];
const handles: Deno.Kv[] = [];
/** A store of kind `name` of its own (anchor and incremental each keep their own base). */
async function open(name: string): Promise<CollectorStore> {
  if (name === "memory") return memoryStore();
  const path = await Deno.makeTempFile({ suffix: ".kv" });
  paths.push(path);
  const kv = await Deno.openKv(path);
  handles.push(kv);
  return kvCollectorStore(kv);
}
const stores: { name: string; full: CollectorStore; incremental: CollectorStore }[] = [];
for (const name of ["kv", "memory"]) {
  stores.push({ name, full: await open(name), incremental: await open(name) });
}
for (const s of stores) {
  await s.full.save(collector.snapshot()); // the bases
  await s.incremental.save(collector.snapshot());
}

/** Milliseconds of one save after 1% changed (snapshot taken inside the timing). */
async function save(store: CollectorStore, incremental: boolean): Promise<number> {
  change();
  const t0 = performance.now();
  const snap = collector.snapshot();
  await store.save(incremental ? snap : copied(snap));
  return performance.now() - t0;
}

for (const s of stores) {
  for (const incremental of [false, true]) {
    Deno.bench({
      name: `${s.name} store, ${incremental ? "incremental" : "full (anchor)"}`,
      group: `save after 1% changed, ${s.name}`,
      baseline: !incremental,
      fn: async () => void await save(incremental ? s.incremental : s.full, incremental),
    });
  }
}

if (import.meta.main) {
  const bytes = JSON.stringify(collector.snapshot()).length;
  console.log(
    `one save after 1% of ${KEYS} partitions (${NODES} nodes each) changed; ` +
      `snapshot ${(bytes / 1e6).toFixed(1)} MB as JSON; median of 15 interleaved saves (ms)`,
  );
  for (const s of stores) {
    const times: number[][] = [[], []];
    for (let r = 0; r < 15; r++) {
      times[0]!.push(await save(s.full, false));
      times[1]!.push(await save(s.incremental, true));
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1]!;
    const [full, inc] = times.map(median);
    console.log(
      `${s.name.padEnd(8)} full ${full!.toFixed(1).padStart(8)}  incremental ${
        inc!.toFixed(1).padStart(8)
      }  ${(full! / inc!).toFixed(1)}x`,
    );
  }
  for (const kv of handles) kv.close();
  for (const path of paths) await Deno.remove(path);
}
