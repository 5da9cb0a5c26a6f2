/**
 * What a snapshot rewrites with causal verdicts on: `bench/causal_soak`'s
 * `mix` workload (512 keys, 16 nodes, 1% split brains, every acquire
 * carrying the previous holder's stamp) fed to this tree's collector and to
 * a revision's (`--base <rev>`, default `HEAD`; extracted beside it with
 * `tools/harness/tree_at.ts`), the same deliveries to both. In the last
 * round, a snapshot after each of `--batches` batches (default 200): how
 * many partitions each rewrites (those not taken again from the snapshot
 * before: `snapshotChanges`), and its CPU ms. Every partition the judge
 * marks (`CausalHost.changed`) is rewritten, so this counts the marks too.
 *
 * Run: `deno run -A bench/causal_marks_bench.ts [--base <rev>] [--rounds 3] [--batches 200]`.
 *
 * @module
 */
import process from "node:process";
import { benchArgs, integerFlag } from "../tools/harness/bench_args.ts";
import { treeAt } from "../tools/harness/tree_at.ts";
import { HandoffTraffic, spec } from "./causal_soak/traffic.ts";
import { configs, TICK_MS, WINDOW_MS } from "./causal_soak/workloads.ts";
import type { createCollector as Create } from "../edge/engine/collector.ts";
import type { snapshotChanges as Changes } from "../edge/store/partition_snapshots.ts";

const args = benchArgs(Deno.args, { string: ["base", "rounds", "batches"] });
const base = args.string.get("base") ?? "HEAD";
const rounds = integerFlag(args, "rounds", { default: 3, min: 2 });
const batches = integerFlag(args, "batches", { default: 200, min: 2 });

/** One collector fed the workload, and what its snapshots rewrote. */
interface Fed {
  readonly label: string;
  readonly collector: ReturnType<typeof Create>;
  readonly changes: typeof Changes;
  readonly clock: { now: number };
  nextTick: number;
  lastSeq: number;
  snapshots: number;
  rewritten: number;
  snapshotMs: number;
  feedMs: number;
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(since);
  return (c.user + c.system) / 1000;
};

const config = configs("mix", new Map([["rounds", String(rounds)]]))[0]!;
const feds: Fed[] = [];
for (const [label, dir] of [["this tree", null], [base, await treeAt(base, ["edge", "lib"])]]) {
  const root = dir === null ? new URL("..", import.meta.url).href : `file://${dir}/`;
  const { createCollector } = await import(`${root}edge/engine/collector.ts`);
  const { snapshotChanges } = await import(`${root}edge/store/partition_snapshots.ts`);
  const clock = { now: 0 };
  const collector = (createCollector as typeof Create)({
    specs: [spec],
    now: () => clock.now,
    windowMs: WINDOW_MS,
    maxSkewMs: config.maxSkewMs,
  });
  feds.push({
    label: label!,
    collector,
    changes: snapshotChanges,
    clock,
    nextTick: 0,
    lastSeq: -1,
    snapshots: 0,
    rewritten: 0,
    snapshotMs: 0,
    feedMs: 0,
  });
}

const traffic = new HandoffTraffic(config);
for (let r = 0; r < rounds; r++) {
  const { deliveries } = traffic.round();
  // The snapshots: in the middle of the last round (the episodes of earlier rounds still open).
  const from = r === rounds - 1 ? Math.max(0, (deliveries.length >> 1) - (batches >> 1)) : Infinity;
  for (const f of feds) {
    for (let i = 0; i < deliveries.length; i++) {
      const d = deliveries[i]!;
      const c0 = process.cpuUsage();
      f.clock.now = d.now;
      if (d.now >= f.nextTick) {
        f.collector.advance(d.now);
        f.nextTick = d.now + TICK_MS;
      }
      f.collector.ingestBytes(d.bytes);
      f.feedMs += cpuMs(c0);
      if (i < from || i >= from + batches) continue;
      const s0 = process.cpuUsage();
      const changes = f.changes(f.collector.snapshot())!;
      const ms = cpuMs(s0);
      if (f.lastSeq >= 0) {
        f.rewritten += changes.since(f.lastSeq)!.length;
        f.snapshotMs += ms;
        f.snapshots++;
      }
      f.lastSeq = changes.seq;
    }
  }
}
console.log(
  `mix, ${rounds} rounds of ${config.events} events; a snapshot after each of ${batches} batches of the last round:`,
);
for (const f of feds) {
  console.log(
    `  ${f.label.padEnd(10)} ${
      (f.rewritten / f.snapshots).toFixed(1)
    } partitions rewritten per snapshot, ${
      (f.snapshotMs / f.snapshots).toFixed(2)
    } CPU ms per snapshot; feeding ${f.feedMs.toFixed(0)} CPU ms in all`,
  );
}
