import assert from "node:assert/strict";
import { createRegistry, parsePrometheus, readHistogram } from "./metrics.ts";

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

Deno.test("A histogram renders cumulative buckets with le, +Inf last, _sum and _count, and parses back", () => {
  const r = createRegistry();
  const h = r.histogram("vigil_wait_seconds", "Waits", [0.1, 0.5, 2]);
  for (const v of [0.05, 0.1, 0.3, 0.3, 1, 7]) h.observe(v, { member: "a" });
  h.observe(0.2, { member: 'b"c' });
  const text = r.render();
  assert.match(text, /^# TYPE vigil_wait_seconds histogram$/m);
  const lines = text.split("\n").filter((l) => l.includes('member="a"'));
  assert.deepEqual(lines, [
    'vigil_wait_seconds_bucket{member="a",le="0.1"} 2',
    'vigil_wait_seconds_bucket{member="a",le="0.5"} 4',
    'vigil_wait_seconds_bucket{member="a",le="2"} 5',
    'vigil_wait_seconds_bucket{member="a",le="+Inf"} 6',
    'vigil_wait_seconds_sum{member="a"} 8.75',
    'vigil_wait_seconds_count{member="a"} 6',
  ]);
  const samples = parsePrometheus(text);
  assert.deepEqual(readHistogram(samples, "vigil_wait_seconds", { member: 'b"c' }), {
    bounds: [0.1, 0.5, 2],
    cumulative: [0, 1, 1],
    sum: 0.2,
    count: 1,
  });
  assert.equal(readHistogram(samples, "vigil_wait_seconds", { member: "z" }), undefined);
  // Without labels: `le` is the only one.
  const bare = createRegistry();
  bare.histogram("x_seconds", "X", [1]).observe(2);
  assert.deepEqual(bare.render().split("\n").filter((l) => !l.startsWith("#") && l !== ""), [
    'x_seconds_bucket{le="1"} 0',
    'x_seconds_bucket{le="+Inf"} 1',
    "x_seconds_sum 2",
    "x_seconds_count 1",
  ]);
});

Deno.test("A histogram set from counts kept elsewhere renders them, and refuses other bounds and the label le", () => {
  const r = createRegistry();
  const h = r.histogram("vigil_wait_seconds", "Waits", [1, 2]);
  h.set({}, { bounds: [1, 2], cumulative: [3, 5], sum: 9, count: 6 });
  assert.deepEqual(readHistogram(parsePrometheus(r.render()), "vigil_wait_seconds"), {
    bounds: [1, 2],
    cumulative: [3, 5],
    sum: 9,
    count: 6,
  });
  assert.throws(
    () => h.set({}, { bounds: [1, 3], cumulative: [3, 5], sum: 9, count: 6 }),
    /has bounds \[1, 2\], not \[1, 3\]/,
  );
  assert.throws(() => h.observe(1, { le: "1" }), /cannot take the label 'le'/);
  assert.throws(() => h.observe(1), /is set, not observed/);
  assert.throws(() => r.histogram("vigil_wait_seconds", "again", [1]), /already registered/);
  assert.throws(() => r.histogram("vigil_other_seconds", "none", []), RangeError);
});

Deno.test("Reading a histogram refuses an exposition that breaks the format's rules", () => {
  const read = (text: string) => readHistogram(parsePrometheus(text), "h");
  const ok = 'h_bucket{le="1"} 1\nh_bucket{le="+Inf"} 2\nh_sum 3\nh_count 2\n';
  assert.deepEqual(read(ok), { bounds: [1], cumulative: [1], sum: 3, count: 2 });
  assert.throws(() => read('h_bucket{le="1"} 1\nh_sum 3\nh_count 2\n'), /le="\+Inf"/);
  assert.throws(
    () => read('h_bucket{le="1"} 3\nh_bucket{le="+Inf"} 2\nh_sum 3\nh_count 2\n'),
    /buckets are cumulative/,
  );
  assert.throws(
    () =>
      read('h_bucket{le="2"} 1\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 2\nh_sum 3\nh_count 2\n'),
    /not below it/,
  );
  assert.throws(
    () => read('h_bucket{le="1"} 1\nh_bucket{le="+Inf"} 2\nh_sum 3\nh_count 5\n'),
    /counts 5 in _count but 2/,
  );
  assert.throws(
    () => read('h_bucket{le="x"} 1\nh_bucket{le="+Inf"} 2\nh_sum 3\nh_count 2\n'),
    /not a number/,
  );
  assert.throws(() => read('h_bucket{le="+Inf"} 2\nh_count 2\n'), /lacks its _sum/);
});
