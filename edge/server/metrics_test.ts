import assert from "node:assert/strict";
import { createRegistry, parsePrometheus } from "./metrics.ts";

Deno.test("The registry renders counters and gauges that parse back", () => {
  const r = createRegistry();
  const c = r.counter("vigil_batches_rejected", "Batches refused");
  const g = r.gauge("vigil_lag_seconds", "Lag");
  c.inc({ reason: "malformed" });
  c.inc({ reason: "malformed" });
  c.inc({ reason: 'we"ird\\' });
  let collected = 0;
  r.onCollect(() => g.set({}, ++collected / 2));
  const text = r.render();
  assert.ok(text.includes("# TYPE vigil_batches_rejected_total counter"));
  const samples = parsePrometheus(text);
  assert.deepEqual(samples, [
    { name: "vigil_batches_rejected_total", labels: { reason: "malformed" }, value: 2 },
    { name: "vigil_batches_rejected_total", labels: { reason: 'we"ird\\' }, value: 1 },
    { name: "vigil_lag_seconds", labels: {}, value: 0.5 },
  ]);
  assert.equal(c.get({ reason: "malformed" }), 2);
});

Deno.test("The registry refuses bad and duplicate names", () => {
  const r = createRegistry();
  r.gauge("a", "x");
  assert.throws(() => r.gauge("a", "x"), TypeError);
  assert.throws(() => r.gauge("1a", "x"), TypeError);
  assert.throws(() => parsePrometheus("not a sample"), SyntaxError);
});
