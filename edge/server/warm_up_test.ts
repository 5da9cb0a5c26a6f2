import assert from "node:assert/strict";
import { loadCompiled } from "../../lib/abi/loader.ts";
import { encodeBatch } from "../../lib/wire/encode.ts";
import { createCollector } from "../engine/collector.ts";
import { memoryStore } from "../store/store.ts";
import { createCollectorService } from "./service.ts";
import { warmUp } from "./warm_up.ts";

const lease = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
const ACQUIRE = lease.actionIndex("acquire");

/** Node `node` acquires `key` (two nodes on one key: a split brain). */
function acquire(node: string, key: string, seq: number): Uint8Array {
  const inst = lease.create();
  const verdict = lease.stepFn(ACQUIRE)(inst, 1);
  const header = {
    spec: lease.meta.sourceHash,
    specName: "Lease",
    node,
    boot: "b1",
    firstSeq: seq,
    dropped: [],
  };
  const event = {
    key,
    wall: 1_000 + seq,
    logical: 0,
    action: ACQUIRE,
    args: [1],
    state: lease.stateBytes(inst),
    verdict,
  };
  return encodeBatch(header, [event]);
}

Deno.test("A warm-up leaves the real collector's state, counters, metrics, listeners and store as they were", async () => {
  const collector = createCollector({ specs: [lease], now: () => 5_000, windowMs: 0 });
  const store = memoryStore();
  const service = createCollectorService(collector, { store, onLog: () => {} });
  service.ingestBytes(acquire("api-1", "lock:a", 0), "http");
  service.ingestBytes(acquire("api-2", "lock:a", 0), "http");
  collector.flush();
  const seen: string[] = [];
  collector.on((e) => void seen.push(e.type));
  service.alerts.listen((v) => void seen.push(`alert ${v.id}`));
  const before = {
    snapshot: JSON.stringify(collector.snapshot()),
    metrics: JSON.stringify(collector.metrics()),
    service: service.metrics.render(),
    violations: JSON.stringify(collector.violations()),
    saves: store.saves,
  };
  const report = await warmUp(collector, { events: 6_000 });
  // It ran: every event applied, violations raised, a snapshot encoded.
  assert.equal(report.applied, 6_000);
  assert.equal(report.refused, 0);
  assert.ok(report.violations > 0, "the warm-up raised no violation");
  assert.ok(report.snapshotBytes > 0);
  assert.deepEqual({
    snapshot: JSON.stringify(collector.snapshot()),
    metrics: JSON.stringify(collector.metrics()),
    service: service.metrics.render(),
    violations: JSON.stringify(collector.violations()),
    saves: store.saves,
  }, before);
  assert.deepEqual(seen, []);
  await service.stop();
});

Deno.test("A warm-up runs for a collector serving two specs, and not into it", async () => {
  const mutex = await loadCompiled(new URL("../../dist/mutex.core.wasm", import.meta.url));
  const collector = createCollector({ specs: [lease, mutex] });
  const report = await warmUp(collector, { events: 2_000, batch: 100 });
  assert.equal(report.applied, 2_000);
  assert.equal(collector.metrics().applied, 0);
});
