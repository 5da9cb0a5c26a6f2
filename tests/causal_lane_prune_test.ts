/**
 * The causal judge prunes its lanes: a lane keeps its last interval and
 * the ones that end less than 4S plus the reorder window before its
 * node's latest event (`LanePruning.prune`, `lane_pruning.ts`), so the intervals it holds
 * (`Collector.causalIntervals()`, `vigil_causal_intervals`
 * on `/metrics`) stay bounded by the skew bound, the window, the node count
 * and the rate of each node's state changes, not by how long it runs.
 * Pruning changes no verdict (the lane cap's drops are counted apart,
 * `tests/causal_lane_cap_test.ts`): this count is what fails when lanes
 * stop being pruned (mutant `causal/lanes-never-pruned`).
 */
import assert from "node:assert/strict";
import { loadCompiled } from "../lib/abi/loader.ts";
import { MAX_LANE } from "../edge/engine/causal/causal_judge.ts";
import { createCollector } from "../edge/engine/collector.ts";
import { createServiceMetrics } from "../edge/server/service_metrics.ts";
import {
  CAUSAL_OPTIONS,
  ClockedCollector,
  handoffBatches,
  roundRobin,
} from "./causal/lease_workload.ts";

const spec = await loadCompiled(new URL("../dist/lease.core.wasm", import.meta.url));

const NODES = 8;
const KEYS = 4;
/** Milliseconds between two events (of all nodes). */
const EVERY_MS = 2;
/** A node holds a key once every this many milliseconds (the nodes take turns, key by key). */
const PERIOD_MS = 2 * NODES * KEYS * EVERY_MS;
/** Long enough that every lane would pass its cap unpruned: 312 holds per node and key. */
const EVENTS = 20_000;

/**
 * What pruning lets a lane of P-intervals hold: the holds that end within
 * 4S plus the window before its node's latest event (one every
 * {@link PERIOD_MS}, plus one straddling that edge), and its last one.
 */
const PER_LANE = Math.ceil((4 * CAUSAL_OPTIONS.maxSkewMs + CAUSAL_OPTIONS.windowMs) / PERIOD_MS) +
  2;

Deno.test("A long run of handoffs keeps the judge's intervals within the skew window's bound", () => {
  assert.ok(PER_LANE * 4 < MAX_LANE, "the bound is far below the lane cap (else it tests the cap)");
  const { batches } = handoffBatches(spec, {
    nodes: NODES,
    keys: KEYS,
    events: EVENTS,
    everyMs: EVERY_MS,
    batchSize: 64,
  });
  const bound = KEYS * NODES * PER_LANE;
  const c = new ClockedCollector(spec, 0);
  const seen: number[] = [];
  let late = 0;
  const order = roundRobin(batches);
  // 10 ms between two batches: the reorder window (250 ms) lets events go after 25 batches, and then
  // about one batch each time.
  order.forEach((b, i) => {
    c.advance(c.now + 10);
    c.collector.ingestBytes(b);
    if (i % 4 === 3) {
      seen.push(c.collector.causalIntervals());
      if (c.collector.metrics().applied > EVENTS / 4) late++;
    }
  });
  // The count was read while the run went on, lanes long past their first turns, not only at the end.
  assert.ok(late >= 20, `${late} samples after a quarter of the events`);
  c.collector.flush();
  const m = c.collector.metrics();
  const held = c.collector.causalIntervals();
  seen.push(held);
  assert.equal(m.applied, EVENTS);
  assert.equal(m.causalLaneDrops, 0);
  const most = Math.max(...seen);
  assert.ok(most <= bound, `held ${most} intervals, more than ${bound} (samples: ${seen})`);
  // Every lane holds its last interval at least: the gauge counts what the lanes hold.
  assert.ok(held >= KEYS * NODES, `only ${held} held at the end`);

  const text = createServiceMetrics(c.collector, () => c.now).render();
  assert.match(text, new RegExp(`^vigil_causal_intervals ${held}$`, "m"));
});

Deno.test("With causal verdicts off the judge holds no interval", () => {
  const { batches } = handoffBatches(spec, { nodes: 2, keys: 1, events: 64, everyMs: EVERY_MS });
  const c = createCollector({ specs: [spec], windowMs: CAUSAL_OPTIONS.windowMs });
  for (const b of roundRobin(batches)) c.ingestBytes(b);
  c.flush();
  assert.equal(c.metrics().applied, 64);
  assert.equal(c.causalIntervals(), 0);
});
