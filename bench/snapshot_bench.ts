/**
 * Persist cost against what changed: a collector holding `--keys`
 * (default 50,000) Lease partitions of 4 nodes each, after 8, 512 or every
 * partition changed, takes a snapshot and saves it into a Deno KV file (an
 * incremental store: one delta of the changed partitions).
 *
 * Anchor, in the same run: the engine and store of a git revision
 * (`--base <rev>`, default `HEAD`: build this tree's `--base` beside it with
 * `git archive`, see `tools/harness/tree_at.ts`), fed the same traffic,
 * interleaved round by round. Before the dirty set, a snapshot compared
 * every partition with its last snapshot (~0.5 µs each) and the KV store
 * compared every partition's object with the ones it saved.
 *
 * Per case: median of the rounds, ms: `snapshot` (`collector.snapshot()`,
 * on the JS thread), `save` (`store.save`, to its end: the KV write runs
 * off the thread), and the process's CPU ms over both (all threads; the
 * figure to read on a shared machine).
 *
 * Run: `deno run -A --unstable-kv bench/snapshot_bench.ts [--base <rev>] [--keys 50000] [--rounds 9]`,
 * or `deno bench -A --unstable-kv bench/snapshot_bench.ts` (this tree only:
 * a save after 8 of 4,096 partitions changed, incremental against a copied
 * snapshot, which a store cannot tell apart and writes whole).
 *
 * @module
 */
import process from "node:process";
import { compileToTemp, specSource } from "../tools/harness/spec_files.ts";
import { benchArgs } from "../tools/harness/bench_args.ts";
import { treeAt } from "../tools/harness/tree_at.ts";
import { createCollector } from "../edge/engine/collector.ts";
import { kvCollectorStore } from "../edge/store/kv_store.ts";
import type { CollectorStore } from "../edge/store/store.ts";
import type { Collector, CollectorSnapshot } from "../edge/engine/types.ts";
import type { CompiledSpec } from "../lib/abi/mod.ts";
import { changedKeys, LeaseHandoffs } from "../tools/harness/lease/handoffs.ts";

const { spec } = await compileToTemp("lease", specSource("lease"));
const NODES = 4;

/** How a variant makes its collector and store (this tree's, or a revision's). */
interface Variant {
  readonly name: string;
  readonly createCollector: (
    o: { specs: CompiledSpec[]; now: () => number; windowMs: number },
  ) => Collector;
  readonly kvCollectorStore: (kv: Deno.Kv) => CollectorStore;
}

/** A collector of `keys` partitions, 4 nodes each, and its traffic (correct handoffs). */
class Fleet {
  readonly collector: Collector;
  readonly #traffic = new LeaseHandoffs(spec, { nodes: NODES });
  #round = 0;
  readonly keys: number;

  constructor(variant: Variant, keys: number) {
    this.keys = keys;
    this.collector = variant.createCollector({
      specs: [spec],
      now: () => this.#traffic.now,
      windowMs: 0,
    });
    const all = Array.from({ length: keys }, (_, k) => k);
    for (let n = 0; n < NODES; n++) this.#feed(n, all);
  }

  /** Node `n` acquires then releases each of `keys`. */
  #feed(n: number, keys: readonly number[]): void {
    for (const batch of this.#traffic.batches(n, keys)) {
      this.collector.ingest(batch);
      this.collector.flush();
    }
  }

  /** Changes `count` partitions (spread over the keys; all of them when `count` is the key count). */
  change(count: number): void {
    const r = this.#round++;
    this.#feed(r % NODES, changedKeys(r, count, this.keys));
  }
}

const paths: string[] = [];
const handles: Deno.Kv[] = [];
async function openKv(): Promise<Deno.Kv> {
  const path = await Deno.makeTempFile({ suffix: ".kv" });
  paths.push(path);
  const kv = await Deno.openKv(path);
  handles.push(kv);
  return kv;
}

/** One persist after the change: snapshot ms, save ms, CPU ms of the process. */
async function persist(
  fleet: Fleet,
  store: CollectorStore,
  copy: boolean,
): Promise<[number, number, number]> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const snap = fleet.collector.snapshot();
  const t1 = performance.now();
  await store.save(copy ? copied(snap) : snap);
  const t2 = performance.now();
  const c = process.cpuUsage(c0);
  return [t1 - t0, t2 - t1, (c.user + c.system) / 1000];
}

/** A copy of the snapshot whose partitions a store cannot recognize (not the frozen objects). */
function copied(s: CollectorSnapshot): CollectorSnapshot {
  return { ...s, partitions: s.partitions.map((p) => ({ ...p })) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

if (import.meta.main) {
  const flags = benchArgs(Deno.args, { string: ["base", "keys", "rounds"] });
  const rev = flags.string.get("base") ?? "HEAD";
  const keys = Number(flags.string.get("keys") ?? 50_000);
  const rounds = Number(flags.string.get("rounds") ?? 9);
  const dir = await treeAt(rev, ["edge", "lib"]);
  const variants: Variant[] = [
    {
      name: `base ${rev}`,
      createCollector: (await import(`file://${dir}/edge/engine/collector.ts`)).createCollector,
      kvCollectorStore: (await import(`file://${dir}/edge/store/kv_store.ts`)).kvCollectorStore,
    },
    { name: "this tree", createCollector, kvCollectorStore: (kv) => kvCollectorStore(kv) },
  ];
  const fleets: Fleet[] = [];
  const stores: CollectorStore[] = [];
  for (const v of variants) {
    const fleet = new Fleet(v, keys);
    const store = v.kvCollectorStore(await openKv());
    await store.save(fleet.collector.snapshot()); // the base generation
    fleets.push(fleet);
    stores.push(store);
  }
  console.log(
    `${keys} partitions (${NODES} nodes each), KV store, one persist after ` +
      `N partitions changed; median of ${rounds} interleaved rounds (3 when all changed), ms; ` +
      `load ${Deno.loadavg().map((x) => x.toFixed(1)).join(" ")}`,
  );
  console.log(
    `${"changed".padStart(8)}  ${"variant".padEnd(14)} ${"snapshot".padStart(9)} ${
      "save".padStart(9)
    } ${"cpu".padStart(9)}`,
  );
  for (const count of [8, 512, keys]) {
    const n = count === keys ? 3 : rounds;
    const times = variants.map(() => [[], [], []] as number[][]);
    for (let r = 0; r < n; r++) {
      for (let v = 0; v < variants.length; v++) {
        fleets[v]!.change(count);
        const t = await persist(fleets[v]!, stores[v]!, false);
        t.forEach((x, i) => times[v]![i]!.push(x));
      }
    }
    const meds = times.map((t) => t.map(median));
    variants.forEach((v, i) => {
      const [s, w, c] = meds[i]!;
      const ratio = i === 0
        ? ""
        : `  ${(meds[0]![0]! / s!).toFixed(1)}x snapshot, ${
          ((meds[0]![0]! + meds[0]![1]!) / (s! + w!)).toFixed(1)
        }x persist, ${(meds[0]![2]! / c!).toFixed(1)}x cpu`;
      console.log(
        `${String(count).padStart(8)}  ${v.name.padEnd(14)} ${s!.toFixed(2).padStart(9)} ${
          w!.toFixed(2).padStart(9)
        } ${c!.toFixed(1).padStart(9)}${ratio}`,
      );
    });
  }
  console.log(`load ${Deno.loadavg().map((x) => x.toFixed(1)).join(" ")}`);
  for (const kv of handles) kv.close();
  for (const path of paths) await Deno.remove(path);
  await Deno.remove(dir, { recursive: true });
} else {
  const variant: Variant = {
    name: "",
    createCollector,
    kvCollectorStore: (kv) => kvCollectorStore(kv),
  };
  const fleet = new Fleet(variant, 4096);
  const full = kvCollectorStore(await openKv());
  const incremental = kvCollectorStore(await openKv());
  await full.save(fleet.collector.snapshot());
  await incremental.save(fleet.collector.snapshot());
  for (const copy of [true, false]) {
    Deno.bench({
      name: copy ? "copied snapshot: written whole (anchor)" : "incremental",
      group: "save after 8 of 4,096 partitions changed, KV",
      baseline: copy,
      fn: async () => {
        fleet.change(8);
        await persist(fleet, copy ? full : incremental, copy);
      },
    });
  }
}
