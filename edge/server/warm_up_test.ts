import assert from "node:assert/strict";
import { loadCompiled } from "../../lib/abi/loader.ts";
import { encodeBatch } from "../../lib/wire/encode.ts";
import { createCollector } from "../engine/collector.ts";
import { memoryStore } from "../store/store.ts";
import { createCollectorService } from "./service.ts";
import { warmUp, warmUpService } from "./warm_up.ts";
import { parsePrometheus } from "./metrics.ts";

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

Deno.test("A warm-up stops once its time runs out (a spec of large states would hold the start)", async () => {
  const collector = createCollector({ specs: [lease] });
  const report = await warmUp(collector, { events: 6_000, batch: 100, maxMs: 0 });
  // One batch, then the clock says stop.
  assert.equal(report.applied, 100);
  assert.equal(report.stoppedEarly, true);
  const full = await warmUp(collector, { events: 600, batch: 100 });
  assert.equal(full.applied, 600);
  assert.equal(full.stoppedEarly, false);
  assert.equal(collector.metrics().applied, 0);
});

Deno.test("A warm-up that fails is counted and said once, and the collector starts cold", async () => {
  // A spec whose steps throw in the warm-up's hands (what a trap in a module would do).
  const broken = new Proxy(lease, {
    get: (t, k) => {
      if (k === "stepFn") {
        return () => () => {
          throw new Error("trap in step");
        };
      }
      const v = Reflect.get(t, k, t);
      return typeof v === "function" ? v.bind(t) : v;
    },
  });
  const collector = createCollector({ specs: [broken] });
  await assert.rejects(warmUp(collector, { events: 1_000 }), /trap in step/);
  const lines: string[] = [];
  const service = createCollectorService(collector, { onLog: (l) => void lines.push(l) });
  assert.equal(await warmUpService(service, { events: 1_000 }), null);
  assert.equal(await warmUpService(service, { events: 1_000 }), null);
  const errors = parsePrometheus(service.metrics.render()).find((s) =>
    s.name === "vigil_internal_errors_total" && s.labels.where === "warm-up"
  );
  assert.equal(errors?.value, 2);
  const said = lines.filter((l) => l.includes("warm-up"));
  assert.equal(said.length, 1, said.join("\n"));
  assert.match(said[0]!, /the warm-up failed, starting cold: trap in step/);
  // The real collector still takes traffic.
  assert.equal(service.ingestBytes(acquire("api-1", "lock:a", 0), "http").ok, true);
  await service.stop();
});
