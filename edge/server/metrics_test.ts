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

Deno.test("A frozen label object reused counts as fresh ones do, and a mutable one is keyed by its current labels", () => {
  const r = createRegistry();
  const c = r.counter("vigil_batches", "Batches");
  const nats = Object.freeze({ source: "nats" });
  c.inc(nats);
  c.inc(nats, 2);
  c.inc({ source: "nats" });
  assert.equal(c.get({ source: "nats" }), 4);
  const mutable: Record<string, string> = { source: "http" };
  c.inc(mutable);
  mutable.source = "jetstream";
  c.inc(mutable);
  assert.deepEqual([c.get({ source: "http" }), c.get({ source: "jetstream" })], [1, 1]);
  assert.throws(() => c.inc(Object.freeze({ "bad-name": "x" })), TypeError);
});
