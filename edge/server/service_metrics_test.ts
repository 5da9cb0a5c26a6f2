import assert from "node:assert/strict";
import type { Collector } from "../engine/types.ts";
import { createServiceMetrics } from "./service_metrics.ts";

/** A collector stand-in that only lists nodes with their event counts (all `sampleRates` reads). */
function nodesOnly(counts: Map<string, number>): Collector {
  return {
    nodes: () => [...counts].map(([node, events]) => ({ node, events })),
  } as unknown as Collector;
}

Deno.test("A node first seen after the first sample has its first events in its first rate; nodes at the first sample start there", () => {
  let t = 0;
  const counts = new Map([["restored", 5_000]]);
  const m = createServiceMetrics(nodesOnly(counts), () => t);
  t = 1_000;
  m.sampleRates();
  assert.equal(m.nodeRates().get("restored"), 0, "a restored count is not a burst");
  counts.set("restored", 5_010);
  counts.set("late", 7);
  t = 2_000;
  m.sampleRates();
  assert.equal(m.nodeRates().get("restored"), 10);
  assert.equal(m.nodeRates().get("late"), 7, "a new node's first 7 events count");
  t = 4_000;
  m.sampleRates();
  assert.equal(m.nodeRates().get("late"), 0);
});

Deno.test("A node the collector no longer lists (retired) leaves the rates; if it returns, its new count starts it", () => {
  let t = 0;
  const counts = new Map([["stays", 1], ["leaves", 3]]);
  const m = createServiceMetrics(nodesOnly(counts), () => t);
  t = 1_000;
  m.sampleRates();
  counts.delete("leaves");
  t = 2_000;
  m.sampleRates();
  assert.deepEqual([...m.nodeRates().keys()], ["stays"]);
  counts.set("leaves", 4);
  t = 3_000;
  m.sampleRates();
  assert.equal(
    m.nodeRates().get("leaves"),
    4,
    "its events since it came back, not less the count before",
  );
});
