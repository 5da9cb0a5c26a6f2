/**
 * The causal judge's dependency entries are pruned behind the oldest
 * merged time still judged, not behind the newest wall
 * (`DependencyRecording.pruneBefore`, `dependency_recording.ts`): a node
 * whose clock runs ahead of the others beyond the skew bound, or
 * partitions whose merged time lags, keep the stamps that
 * order their handoffs, so clean handoffs raise no alert. The node ahead
 * is counted (`CausalJudge.clockAhead`) and said once
 * (`CausalHost.clockAhead`). The table stays bounded
 * (`DEPS_MAX_LAG_MS` behind the newest wall) even when a watched
 * partition never moves on.
 */
import assert from "node:assert/strict";
import { loadCompiled } from "../lib/abi/loader.ts";
import type { EventBody } from "../lib/wire/event.ts";
import { createCollector, engineOf } from "../edge/engine/collector.ts";
import { DEPS_MAX_LAG_MS } from "../edge/engine/causal/causal_judge.ts";
import { CAUSAL_OPTIONS, LeaseEvents } from "./causal/lease_workload.ts";
import { HandoffTraffic, ingestHandoffs } from "../tools/harness/handoff_traffic.ts";

const spec = await loadCompiled(new URL("../dist/lease.core.wasm", import.meta.url));
const lease = new LeaseEvents(spec);

const BASE = 1_732_170_000_000;
/** Batches are cut every this many milliseconds of true time, delivered 5 ms after. */
const SLICE_MS = 20;

/**
 * Nodes `b-0` .. `b-(n-1)` hand `keys` leases round (one event per
 * millisecond of true time, each acquire stamped with the previous holder's
 * release), on clocks right; node `ahead`, if any, holds its own lease
 * `lock:own` on a clock `aheadMs` ahead. Delivered slice by slice with
 * the collector clock on true time; returns the collector.
 */
function run(
  options: {
    nodes: number;
    keys: number;
    ms: number;
    aheadMs: number;
    stuck?: boolean;
    /** The collector's own clock is this far ahead too (default 0). */
    collectorAheadMs?: number;
  },
): ReturnType<typeof createCollector> {
  let now = BASE;
  const c = createCollector({ specs: [spec], now: () => now, ...CAUSAL_OPTIONS });
  const seq = new Map<string, number>();
  const send = (node: string, events: EventBody[]) => {
    if (events.length === 0) return;
    const first = seq.get(node) ?? 0;
    seq.set(node, first + events.length);
    c.ingestBytes(lease.batch(node, events, { firstSeq: first }));
  };
  const last: ({ node: string; wall: number } | null)[] = new Array(options.keys).fill(null);
  if (options.stuck) {
    // A partition that is watched (its hold queued) and never hears again, nor is advanced.
    send("stuck", [lease.acquire(BASE - 1, { key: "lock:stuck" })]);
  }
  let step = 0;
  for (let t = 0; t < options.ms; t += SLICE_MS) {
    const streams = new Map<string, EventBody[]>();
    const push = (node: string, e: EventBody) => {
      const s = streams.get(node) ?? [];
      s.push(e);
      streams.set(node, s);
    };
    for (let ms = t; ms < t + SLICE_MS; ms++, step++) {
      const wall = BASE + ms;
      const turn = step >> 1;
      const key = turn % options.keys;
      const node = `b-${Math.floor(turn / options.keys) % options.nodes}`;
      const at = { key: `lock:${key}` };
      if ((step & 1) === 0) {
        const prev = last[key];
        push(
          node,
          prev !== null && prev!.node !== node
            ? lease.acquire(wall, {
              ...at,
              deps: [{ node: prev!.node, wall: prev!.wall, logical: 0 }],
            })
            : lease.acquire(wall, at),
        );
      } else {
        push(node, lease.release(wall, at));
        last[key] = { node, wall };
      }
      if (options.aheadMs > 0) {
        const own = { key: "lock:own" };
        push(
          "ahead",
          (ms & 1) === 0
            ? lease.acquire(wall + options.aheadMs, own)
            : lease.release(wall + options.aheadMs, own),
        );
      }
    }
    now = BASE + t + SLICE_MS + 5 + (options.collectorAheadMs ?? 0);
    for (const [node, events] of streams) send(node, events);
    if (!options.stuck) c.advance(now);
  }
  return c;
}

Deno.test("a node 5 s ahead (skew bound 500 ms): clean handoffs raise no alert, the clock is counted once", () => {
  const c = run({ nodes: 3, keys: 4, ms: 12_000, aheadMs: 5_000 });
  const judge = engineOf(c).causal!;
  c.flush();
  assert.deepEqual(c.violations().map((v) => v.nodes), []);
  assert.equal(judge.clockAhead, 1);
  assert.deepEqual(judge.nodesAhead, ["ahead"]);
  // The stamps of the handoffs were kept: the table holds more than one entry per node.
  assert.ok(judge.deps.size > 3, `${judge.deps.size} entries`);
});

Deno.test("a node and the collector's own clock 5 s ahead: quiet partitions are judged early, their new holds still find their stamps", () => {
  // Each advance judges every queue up to the collector's clock: the partitions of the nodes on time
  // are not watched between slices, and their horizons are ahead. What orders the holds they apply
  // next is recorded at ingest, kept by the walls of the entries recorded (the pruning's floor).
  const c = run({ nodes: 3, keys: 4, ms: 12_000, aheadMs: 5_000, collectorAheadMs: 5_000 });
  c.flush();
  assert.deepEqual(c.violations().map((v) => v.nodes), []);
  assert.equal(engineOf(c).causal!.clockAhead, 1);
});

Deno.test("the same run with every clock right counts no clock and raises no alert", () => {
  const c = run({ nodes: 3, keys: 4, ms: 6_000, aheadMs: 0 });
  c.flush();
  assert.equal(c.violations().length, 0);
  assert.equal(engineOf(c).causal!.clockAhead, 0);
});

Deno.test("the benchmark's handoffs over 2,048 keys (walls 3.8 s apart arrive together): no alert, as merge order", () => {
  const batches = new HandoffTraffic(spec, { nodes: 16, keys: 2_048 }).next(1 << 18);
  const verdicts = (causal: boolean) => ingestHandoffs(createCollector, spec, batches, causal);
  assert.equal(verdicts(false), 0);
  assert.equal(verdicts(true), 0);
});

Deno.test("a watched partition that never moves on holds the table at most DEPS_MAX_LAG_MS behind the newest wall", () => {
  const ms = 3 * DEPS_MAX_LAG_MS;
  const c = run({ nodes: 3, keys: 4, ms, aheadMs: 0, stuck: true });
  const judge = engineOf(c).causal!;
  const rows = judge.deps.rows();
  // Per entry: node, wall, logical, sender, sender's wall, logical.
  let newest = -Infinity;
  let oldest = Infinity;
  for (let i = 0; i < rows.length; i += 6) {
    newest = Math.max(newest, rows[i + 1]!);
    oldest = Math.min(oldest, rows[i + 1]!);
  }
  assert.equal(rows.length / 6, judge.deps.size);
  // One entry per handoff to another node (one every 2 ms but one in 3 turns): without the bound
  // the stuck partition would keep all 90 s of them. Pruning drops a node's entries once half can
  // go, every 4,096 events: so at most twice the bound and a period's worth (4 s) are kept.
  assert.ok(newest - oldest <= 2 * DEPS_MAX_LAG_MS + 4_096, `${newest - oldest} ms kept`);
  assert.ok(judge.deps.size <= (2 * DEPS_MAX_LAG_MS + 4_096) / 2, `${judge.deps.size} entries`);
  assert.ok(judge.deps.size > DEPS_MAX_LAG_MS / 2 * (2 / 3) * 0.9, `${judge.deps.size} entries`);
  c.flush();
});
