import assert from "node:assert/strict";
import { createRateRing, type RateInput } from "./rates.ts";

const quiet = (at: number, extra: Partial<RateInput> = {}): RateInput => ({
  at,
  nodeRates: new Map(),
  lagMs: 0,
  violations: 0,
  ...extra,
});

Deno.test("Rate ring wraps: it keeps the newest samples, oldest first, numbered on", () => {
  const ring = createRateRing({ capacity: 3 });
  for (let i = 1; i <= 7; i++) ring.sample(quiet(i * 1000, { lagMs: i * 100 }));
  const w = ring.window();
  assert.deepEqual(w.samples.map((s) => s.seq), [5, 6, 7]);
  assert.deepEqual(w.samples.map((s) => s.at), [5000, 6000, 7000]);
  assert.deepEqual(w.samples.map((s) => s.lagSeconds), [0.5, 0.6, 0.7]);
});

Deno.test("Rate ring is bounded: 10,000 samples of 5,000 nodes keep capacity samples of topNodes nodes", () => {
  const ring = createRateRing({ capacity: 50, topNodes: 4 });
  const rates = new Map<string, number>();
  for (let n = 0; n < 5000; n++) rates.set(`node-${n}`, 1);
  for (let i = 1; i <= 10_000; i++) ring.sample(quiet(i * 1000, { nodeRates: rates }));
  const w = ring.window();
  assert.equal(w.samples.length, 50);
  for (const s of w.samples) {
    assert.equal(Object.keys(s.nodes).length, 4);
    assert.equal(s.otherNodes, 4996);
    assert.equal(s.others, 4996);
  }
});

Deno.test("Rate ring names the busiest nodes (ties by name) and sums the rest in others", () => {
  const ring = createRateRing({ topNodes: 2 });
  const s = ring.sample(quiet(1000, {
    nodeRates: new Map([["a", 1], ["b", 30], ["c", 5], ["d", 30], ["e", 0], ["f", 2]]),
  }));
  assert.deepEqual(s.nodes, { b: 30, d: 30 });
  assert.deepEqual(Object.keys(s.nodes), ["b", "d"]);
  assert.equal(s.others, 8);
  assert.equal(s.otherNodes, 3, "a node at 0 events/s is neither named nor counted");
});

Deno.test("Rate ring turns refusals into batches/s over the interval, by reason", () => {
  const ring = createRateRing();
  ring.sample(quiet(10_000));
  for (let i = 0; i < 3; i++) ring.refused("node_mismatch");
  ring.refused("malformed");
  const s = ring.sample(quiet(12_000));
  assert.equal(s.dtMs, 2000);
  assert.deepEqual(s.refused, { node_mismatch: 1.5, malformed: 0.5 });
  assert.deepEqual(ring.sample(quiet(13_000)).refused, {}, "counts start again each interval");
});

Deno.test("Rate ring counts violations per interval from the cumulative count", () => {
  const ring = createRateRing();
  const counts = [2, 2, 5, 6];
  const got = counts.map((v, i) => ring.sample(quiet((i + 1) * 1000, { violations: v })));
  assert.deepEqual(got.map((s) => s.violations), [0, 0, 3, 1]);
  assert.deepEqual(got.map((s) => s.violationsTotal), [2, 2, 5, 6]);
});

Deno.test("Rate ring refuses a capacity that is not a positive integer", () => {
  assert.throws(
    () => createRateRing({ capacity: 0 }),
    /Option 'capacity' must be a positive integer, got '0'/,
  );
  assert.throws(() => createRateRing({ topNodes: 1.5 }), /Option 'topNodes'.*'1.5'/);
});
