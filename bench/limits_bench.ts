/**
 * What the collector's growth limits bound, measured:
 * - memory per partition and per node: `Deno.memoryUsage()` deltas (after a
 *   forced GC) over 100,000 partitions created by one node (an acquire and
 *   a release each, batches of 128 keys through `ingestBytes`), then 10,000
 *   nodes joining one of them each with a fresh boot;
 * - joining: 10,000 participants join one partition of a spec without
 *   global properties (`counter3`: the join itself), and 1,000 (the
 *   `maxParticipants` default) join a lease partition, whose `OneHolder`
 *   check runs over all pairs after every join;
 * - one applied event in a lease partition of 1,000 participants: the
 *   global check's cost at the default limit.
 *
 * Memory: `deno run -A --v8-flags=--expose-gc bench/limits_bench.ts`.
 * Times: `deno bench -A bench/limits_bench.ts`.
 *
 * @module
 */
import process from "node:process";
import { createCollector } from "../edge/engine/collector.ts";
import { loadCompiled } from "../lib/abi/mod.ts";
import type { CompiledSpec } from "../lib/abi/mod.ts";
import type { Collector } from "../edge/engine/types.ts";
import {
  collectGarbage,
  growthWorkload,
  handoff,
  ingestAll,
  leaseKit,
  loadLease,
  memoryNow,
  partitionBatches,
  perItem,
  wireBatch,
} from "../tools/harness/collector_limits_fixture.ts";

const kit = leaseKit(await loadLease());
const COUNTER = new URL("../dist/counter3.js", import.meta.url);

/** Limits out of the way: the bench measures what they bound. */
const UNLIMITED = {
  maxPartitions: 1e9,
  maxNodes: 1e9,
  maxParticipants: 1e9,
  maxBootsPerNode: 1e9,
  maxNewBootsPerMinute: 1e9,
};

/** One batch per node `0 .. n - 1`, each joining partition `key` of `spec` with one event. */
function joinBatches(
  spec: CompiledSpec,
  n: number,
  event: (i: number) => Parameters<typeof wireBatch>[2],
) {
  return Array.from(
    { length: n },
    (_, i) => wireBatch(spec, { node: `n${i}`, boot: `b${i}`, firstSeq: 0 }, event(i)),
  );
}

/** A counter3 tick (no global properties) of key `k`. */
async function counterTick(): Promise<
  { spec: CompiledSpec; tick: (i: number) => Parameters<typeof wireBatch>[2] }
> {
  const nodes = await loadCompiled(COUNTER);
  const action = nodes.actionIndex("tick");
  const inst = nodes.create();
  nodes.stepFn(action)(inst);
  const state = nodes.stateBytes(inst);
  const tick = (
    i: number,
  ) => [{ key: "k", wall: 1_732_170_000_000 + i, logical: 0, action, args: [], state, verdict: 0 }];
  return { spec: nodes, tick };
}

const counter = await counterTick();
const counterJoins = joinBatches(counter.spec, 10_000, counter.tick);
const leaseJoins = joinBatches(kit.spec, 1_000, (i) => handoff(kit, "k", 1 + (i % 3), 10 * i));

async function joinAll(spec: URL | null, batches: readonly Uint8Array[]): Promise<Collector> {
  const c = createCollector({
    specs: [spec === null ? await loadLease() : await loadCompiled(spec)],
    now: () => 0,
    windowMs: 0,
    ...UNLIMITED,
  });
  ingestAll(c, batches);
  c.flush();
  return c;
}

Deno.bench({
  name: "10,000 participants join one partition (counter3, no global check)",
  group: "join",
  baseline: true,
  n: 5,
  async fn(b) {
    const spec = await loadCompiled(COUNTER);
    const c = createCollector({ specs: [spec], now: () => 0, windowMs: 0, ...UNLIMITED });
    b.start();
    ingestAll(c, counterJoins);
    c.flush();
    b.end();
  },
});

Deno.bench({
  name: "1,000 participants join one partition (lease, OneHolder over all pairs)",
  group: "join",
  n: 5,
  async fn(b) {
    const spec = await loadLease();
    const c = createCollector({ specs: [spec], now: () => 0, windowMs: 0, ...UNLIMITED });
    b.start();
    ingestAll(c, leaseJoins);
    c.flush();
    b.end();
  },
});

const full = await joinAll(null, leaseJoins);
let seq = 2;
Deno.bench({
  name: "one handoff (2 events) in a lease partition of 1,000 participants",
  group: "check at maxParticipants",
  fn() {
    full.ingestBytes(
      wireBatch(
        kit.spec,
        { node: "n0", boot: "b0", firstSeq: seq },
        handoff(kit, "k", 1, 100_000 + seq),
      ),
    );
    seq += 2;
  },
});

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

if (import.meta.main) {
  if (!collectGarbage()) {
    console.log("(no forced GC: run with --v8-flags=--expose-gc for steady figures)");
  }
  const partitions = 100_000;
  const nodes = 10_000;
  const { creating, joining } = growthWorkload(kit, partitions, nodes);
  const c = createCollector({
    specs: [await loadLease()],
    now: () => 0,
    windowMs: 0,
    ...UNLIMITED,
  });
  const m0 = memoryNow();
  let t = cpuMs();
  ingestAll(c, creating);
  c.flush();
  const partitionCpu = cpuMs() - t;
  const m1 = memoryNow();
  t = cpuMs();
  ingestAll(c, joining);
  c.flush();
  const nodeCpu = cpuMs() - t;
  const m2 = memoryNow();
  const row = (what: string, m: ReturnType<typeof perItem>, cpu: number, n: number) =>
    console.log(
      `${what.padEnd(14)} rss ${m.rss.toFixed(0).padStart(6)} B  heap ${
        m.heapUsed.toFixed(0).padStart(6)
      } B  external ${m.external.toFixed(0).padStart(6)} B${
        Number.isFinite(cpu) ? `  cpu ${(1000 * cpu / n).toFixed(1)} µs` : ""
      }`,
    );
  console.log(
    `memory per item (Deno.memoryUsage() deltas): ${partitions} partitions of one handoff, ` +
      `${nodes} nodes joining one each, 10000 partitions of 40 handoffs (busy)`,
  );
  row("per partition", perItem(m0, m1, partitions), partitionCpu, partitions);
  row("per node", perItem(m1, m2, nodes), nodeCpu, nodes);
  // Partitions in full use: history and the participant's ring full (40 handoffs each).
  const busy = 10_000;
  const rounds = 40;
  const busyBatches: Uint8Array[] = [];
  for (let r = 0; r < rounds; r++) {
    busyBatches.push(
      ...partitionBatches(kit, {
        node: "busy",
        from: 0,
        count: busy,
        perBatch: 128,
        firstSeq: 2 * busy * r,
        wallBase: 2 * busy * r,
      }),
    );
  }
  const b = createCollector({
    specs: [await loadLease()],
    now: () => 0,
    windowMs: 0,
    ...UNLIMITED,
  });
  const m3 = memoryNow();
  ingestAll(b, busyBatches);
  b.flush();
  row("per busy", perItem(m3, memoryNow(), busy), NaN, busy);
  t = cpuMs();
  const size = JSON.stringify(c.snapshot()).length;
  console.log(
    `snapshot: ${(size / 2 ** 20).toFixed(1)} MiB of JSON in ${(cpuMs() - t).toFixed(0)} ms CPU`,
  );
  for (
    const [what, spec, batches] of [
      ["10,000 participants join (counter3)", COUNTER, counterJoins],
      ["1,000 participants join (lease)", null, leaseJoins],
    ] as const
  ) {
    t = cpuMs();
    await joinAll(spec, batches);
    console.log(`${what}: ${(cpuMs() - t).toFixed(0)} ms CPU`);
  }
}
