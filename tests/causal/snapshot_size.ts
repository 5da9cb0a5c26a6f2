/**
 * The size the causal judge's state adds to a collector snapshot
 * (`edge/engine/causal/causal_snapshot.ts`), on the split-brain
 * simulator's workload (`tests/causal/simulator.ts`: 3 nodes, clocks
 * skewed within ±500 ms, handoffs every 1 to 30 ms, shipping 0-40 ms,
 * S = 500 ms, window 250 ms): a snapshot after every batch, the JSON bytes
 * of the causal part (the judge's shared part and the partition's own
 * side) beside those of the partition itself, the intervals
 * and dependency entries it saves; then the causal part of a partition
 * gone quiet.
 *
 * `deno run -A tests/causal/snapshot_size.ts [seeds]` (default 5 seeds).
 *
 * @module
 */
import { loadLease, Rng, splitBrainRun } from "./simulator.ts";
import { createCollector } from "../../edge/engine/collector.ts";

const seeds = Number(Deno.args[0] ?? 5);
if (!(Number.isInteger(seeds) && seeds > 0)) {
  throw new TypeError(`Expected a positive number of seeds, got '${Deno.args[0]}'`);
}
const specs = await loadLease();

function stats(a: readonly number[]): string {
  const s = [...a].sort((x, y) => x - y);
  const mean = Math.round(a.reduce((x, y) => x + y, 0) / a.length);
  return `mean ${mean} p50 ${s[s.length >> 1]} p99 ${s[Math.floor(s.length * 0.99)]} max ${
    s[s.length - 1]
  }`;
}

for (
  const [label, overlap] of [["overlaps 1 ms-3 s", [1, 3_000]], ["overlaps 3-10 s", [
    3_000,
    10_000,
  ]]] as const
) {
  const causal: number[] = [];
  const partition: number[] = [];
  const intervals: number[] = [];
  const deps: number[] = [];
  const quiet: number[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const sent: { at: number; bytes: Uint8Array }[] = [];
    await splitBrainRun({
      specs,
      rng: new Rng(seed),
      splitBrains: 6,
      handoffsBetween: 40,
      maxSkewMs: 500,
      skewMs: 500,
      windowMs: 250,
      ship: [0, 40],
      overlap: [overlap[0], overlap[1]],
      onSend: (bytes, at) => sent.push({ at, bytes }),
    });
    const ship = new Rng(seed * 7 + 1);
    const arrivals = sent.map((s) => ({ at: s.at + ship.real(0, 40), bytes: s.bytes }))
      .sort((a, b) => a.at - b.at);
    let now = arrivals[0]!.at;
    const c = createCollector({
      specs: [specs.collector],
      now: () => now,
      windowMs: 250,
      maxSkewMs: 500,
    });
    for (const b of arrivals) {
      now = b.at;
      c.advance(now);
      c.ingestBytes(b.bytes);
      const s = c.snapshot();
      // The partition's own side (`PartitionSnapshot.causal`) and the judge's shared part.
      const { causal: p, ...rest } = s.partitions[0] ?? {};
      if (p === undefined) continue;
      causal.push(JSON.stringify(s.causal).length + JSON.stringify(p).length);
      partition.push(JSON.stringify(rest).length);
      intervals.push(p.intervals.length);
      deps.push(s.causal!.deps.length / 6);
    }
    now += 60_000;
    c.advance(now);
    const q = c.snapshot();
    quiet.push(
      JSON.stringify(q.causal).length + JSON.stringify(q.partitions[0]?.causal ?? null).length,
    );
  }
  console.log(`${label}: ${causal.length} snapshots`);
  console.log(`  causal part, JSON bytes: ${stats(causal)}`);
  console.log(`  partition itself, JSON bytes: ${stats(partition)}`);
  console.log(`  intervals saved: ${stats(intervals)}`);
  console.log(`  dependency entries saved: ${stats(deps)}`);
  console.log(`  causal part once quiet (60 s later), JSON bytes: ${stats(quiet)}`);
}
