import assert from "node:assert/strict";
import { createRateRing, type RateInput, type RateSample, type RateWindow } from "./rates.ts";
import { createCollectorApp } from "./app.ts";
import { DASHBOARD_JS } from "./dashboard_js.ts";
import { readAuth, tokenAuth } from "./auth.ts";
import { createCollector } from "../engine/collector.ts";
import { compiledLease, sdkLease, TestNode } from "../../tools/harness/collector_app_fixture.ts";

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

Deno.test("GET /api/rates needs the read token and shows a node's events and a refused batch", async () => {
  const auth = tokenAuth({ "api-1": "tok-1", "api-2": "tok-2" });
  const app = createCollectorApp(createCollector({ specs: [await compiledLease()] }), {
    auth,
    readAuth: readAuth(["r3ad"], { ingest: auth }),
    summaryMs: 20,
    onLog: () => {},
  });
  const sdk = await sdkLease();
  const post = (bytes: Uint8Array, token: string) =>
    app.request("/ingest", {
      method: "POST",
      body: new Blob([bytes.slice()]),
      headers: { authorization: `Bearer ${token}`, "content-type": "application/x-msgpack" },
    });
  // The first sample starts every node present from its count: one event before the timers
  // start (so no sample can come first, however slow the machine), then two samples.
  const a = new TestNode(sdk, "api-1").step("lock:warm", "acquire", { c: 1 });
  assert.equal((await post(a.take(), "tok-1")).status, 202);
  app.service.start();
  try {
    const read = async (): Promise<RateWindow> =>
      (await app.request("/api/rates", { headers: { authorization: "Bearer r3ad" } })).json();
    const seen = app.service.rates.window().samples.at(-1)?.seq ?? 0;
    await waitFor(() => (app.service.rates.window().samples.at(-1)?.seq ?? 0) >= seen + 2);
    for (let i = 0; i < 5; i++) a.step(`lock:${i}`, "acquire", { c: 1 });
    assert.equal((await post(a.take(), "tok-1")).status, 202);
    const b = new TestNode(sdk, "api-2").step("lock:x", "acquire", { c: 2 });
    assert.equal((await post(b.take(), "tok-1")).status, 401, "api-1's token for api-2's batch");

    assert.equal((await app.request("/api/rates")).status, 401);
    const deadline = Date.now() + 10_000;
    let w = await read();
    const events = (w: RateWindow) => sum(w, (s) => (s.nodes["api-1"] ?? 0) * s.dtMs / 1000);
    const refused = (w: RateWindow) =>
      sum(w, (s) => (s.refused.node_mismatch ?? 0) * s.dtMs / 1000);
    while ((events(w) < 4.5 || refused(w) < 0.5) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      w = await read();
    }
    assert.equal(
      Math.round(events(w)),
      5,
      "api-1's rate over the window integrates to its 5 events",
    );
    assert.equal(Math.round(refused(w)), 1, "one refused batch");
    assert.equal(w.capacity, 600);
    assert.ok(
      w.samples.every((s) => s.nodes["api-2"] === undefined),
      "api-2 had no event accepted",
    );
  } finally {
    await app.service.stop();
  }
});

function sum(w: RateWindow, f: (s: RateSample) => number): number {
  return w.samples.reduce((n, s) => n + f(s), 0);
}

async function waitFor(ok: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error("Condition not met within 10 s");
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The dashboard script's pure plotting helpers (it only boots when a `document` exists). */
interface PlotHelpers {
  nodeSeries(
    samples: readonly RateSample[],
    top: number,
  ): { name: string; values: (number | null)[] }[];
  pathD(xs: readonly number[], values: readonly (number | null)[], max: number): string;
  niceMax(m: number): number;
  mergeSamples(
    have: readonly RateSample[],
    add: readonly RateSample[],
    capacity: number,
  ): RateSample[];
}
const plot = new Function(
  `${DASHBOARD_JS}\nreturn { nodeSeries, pathD, niceMax, mergeSamples };`,
)() as PlotHelpers;

const at = (
  seq: number,
  nodes: Record<string, number>,
  others = 0,
  otherNodes = 0,
): RateSample => ({
  seq,
  at: seq * 1000,
  dtMs: 1000,
  nodes,
  others,
  otherNodes,
  refused: {},
  lagSeconds: 0,
  violations: 0,
  violationsTotal: 0,
});

Deno.test("Dashboard plot: a line per busiest node, 0 when it sent nothing, a gap when it was among others", () => {
  const samples = [
    at(1, { a: 5, b: 1 }),
    at(2, { a: 9 }),
    at(3, { b: 4, c: 2 }, 7, 3),
    at(4, { c: 8 }),
  ];
  const series = plot.nodeSeries(samples, 2);
  assert.deepEqual(series, [
    { name: "a", values: [5, 9, null, 0] },
    { name: "c", values: [0, 0, 2, 8] },
    // b (peak 4) is past the top 2 of the window: summed with the sample's own others.
    { name: "others", values: [1, 0, 11, 0], color: "#8b949e" },
  ]);
});

Deno.test("Dashboard plot: a path goes up with the value and breaks at a gap", () => {
  assert.equal(
    plot.pathD([0, 100, 200, 300], [0, 10, null, 5], 10),
    "M0.0,60.00L100.0,0.00M300.0,30.00",
  );
  assert.deepEqual([0, 0.3, 1, 7, 20, 51].map(plot.niceMax), [1, 0.5, 1, 10, 20, 100]);
});

Deno.test("Dashboard plot: samples merge by number, once each, the newest capacity kept", () => {
  const merged = plot.mergeSamples([at(1, {}), at(2, {}), at(3, {})], [
    at(3, {}),
    at(4, {}),
    at(5, {}),
  ], 4);
  assert.deepEqual(merged.map((s) => s.seq), [2, 3, 4, 5]);
});
