/**
 * The global invariant check alone, after one participant changed: lease's
 * `OneHolder` (`forall a, b in nodes`) over 4, 16 and 64 participants (one
 * holding), by the full export `global-check` (the anchor: every pair), by
 * `global-check-node` (the pairs with the changed participant) and by
 * `global-check-agg` (OneHolder as a maintained count of holders, read from
 * the block's record), the changed position cycling through all of them.
 *
 * Run: `deno run -A bench/global_check_bench.ts` (prints ns per check,
 * both in one run), or `deno bench -A bench/global_check_bench.ts`.
 *
 * @module
 */
import { compileToTemp, specSource } from "../tools/harness/spec_files.ts";

const { spec } = await compileToTemp("lease", specSource("lease"));
const checkNode = spec.globalCheckNode!;
const aggregates = spec.globalAggregates!;
const SIZES = [4, 16, 64];

/** A block of `n` participants, one holding the lease. */
function block(n: number): number {
  const first = spec.create(n);
  spec.stepFn(spec.actionIndex("acquire"))(first + (n >> 1), 1);
  return first;
}

/** The record of maintained aggregates of each block, by its first instance. */
const records = new Map<number, number>();

/** The record of the block at `first` (`n` participants), built on first use. */
function recordOf(first: number, n: number): number {
  let cells = records.get(first);
  if (cells === undefined) {
    cells = spec.create(Math.ceil(aggregates.size / spec.meta.stride));
    aggregates.clear(cells);
    for (let i = 0; i < n; i++) aggregates.add(first + i, cells, 1);
    records.set(first, cells);
  }
  return cells;
}

const variants = {
  "global-check (full)": (first: number, n: number, _i: number) => spec.globalCheck(first, n),
  "global-check-node": (first: number, n: number, i: number) => checkNode(first, n, i % n),
  "global-check-agg": (first: number, n: number, i: number) =>
    aggregates.check(first, n, i % n, recordOf(first, n)),
};

for (const n of SIZES) {
  const first = block(n);
  for (const [name, f] of Object.entries(variants)) {
    let i = 0;
    Deno.bench({
      name: `${n} nodes, ${name}`,
      group: `global check, ${n} nodes`,
      baseline: name.includes("full"),
      fn: () => void f(first, n, i++),
    });
  }
}

if (import.meta.main) {
  const calls = 200_000;
  console.log(`lease OneHolder after one change, best of 5 interleaved runs of ${calls} checks`);
  const blocks = SIZES.map(block);
  // Two passes, the first unprinted: the first size measured in a process runs slow otherwise.
  for (const printed of [false, true]) {
    for (const [k, n] of SIZES.entries()) {
      const first = blocks[k]!;
      const best = [Infinity, Infinity, Infinity];
      for (let r = 0; r < 5; r++) {
        Object.values(variants).forEach((f, v) => {
          let failed = 0;
          const t0 = performance.now();
          for (let i = 0; i < calls; i++) failed += f(first, n, i);
          best[v] = Math.min(best[v]!, performance.now() - t0);
          if (failed !== 0) throw new Error(`A check failed on a passing block of ${n}`);
        });
      }
      const [full, node, agg] = best.map((ms) => (ms * 1e6) / calls);
      if (!printed) continue;
      const ns = (x: number) => `${x.toFixed(1).padStart(7)} ns`;
      console.log(
        `${String(n).padStart(3)} nodes: full ${ns(full!)}, node ${ns(node!)} (${
          (full! / node!).toFixed(1)
        }x), agg ${ns(agg!)} (${(full! / agg!).toFixed(1)}x)`,
      );
    }
  }
}
