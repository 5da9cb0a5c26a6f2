import assert from "node:assert/strict";
import { memoryStore } from "./store.ts";
import type { CollectorSnapshot } from "../engine/types.ts";

Deno.test("memoryStore returns a copy of the last snapshot saved", async () => {
  const store = memoryStore();
  assert.equal(await store.load(), null);
  const snap = {
    version: 1,
    takenAt: 5,
    streams: [],
    partitions: [],
    nodes: [],
    violations: [],
    counters: { applied: 3 },
  } as CollectorSnapshot;
  await store.save(snap);
  (snap.counters as Record<string, number>).applied = 99;
  assert.deepEqual((await store.load())?.counters, { applied: 3 });
  assert.equal(store.saves, 1);
});
