/**
 * The collector app through `app.request()` (no server): auth, size limit,
 * malformed input, the happy path to a split-brain alert, metrics and SSE;
 * the read side behind its token and cookie; paged lists; internal errors
 * answered, counted and logged.
 */
import assert from "node:assert/strict";
import { compiledLease, sdkLease, TestNode } from "./collector_app_fixture.ts";
import { createCollectorApp } from "../edge/app.ts";
import { readAuth, tokenAuth } from "../edge/auth.ts";
import { createCollector } from "../edge/collector.ts";
import { parsePrometheus } from "../edge/metrics.ts";
import { memoryStore } from "../edge/store.ts";
import type { PartitionInfo, Violation } from "../edge/types.ts";
import { encodeBatch } from "../runtime/codec.ts";

const sdk = await sdkLease();
const TOKENS = { a: "token-a", b: "token-b" };
const READ = "read-token";
const READER = { authorization: `Bearer ${READ}` };

async function makeApp(maxBodyBytes?: number) {
  const collector = createCollector({ specs: [await compiledLease()], windowMs: 0 });
  const store = memoryStore();
  const auth = tokenAuth(TOKENS);
  const app = createCollectorApp(collector, {
    auth,
    readAuth: readAuth([READ], { ingest: auth }),
    store,
    keepAliveMs: 0,
    onLog: () => {},
    ...(maxBodyBytes === undefined ? {} : { maxBodyBytes }),
  });
  return { app, collector, store };
}

/** GET `path` with the read token. */
function read(
  app: { request(p: string, i?: RequestInit): Response | Promise<Response> },
  path: string,
) {
  return app.request(path, { headers: READER });
}

function post(body: Uint8Array, token?: string, headers: Record<string, string> = {}) {
  const h: Record<string, string> = { "content-type": "application/x-msgpack", ...headers };
  if (token !== undefined) h.authorization = `Bearer ${token}`;
  return new Request("http://collector/ingest", {
    method: "POST",
    headers: h,
    body: body as Uint8Array<ArrayBuffer>,
  });
}

function metric(text: string, name: string, labels: Record<string, string> = {}): number {
  const hit = parsePrometheus(text).find((s) =>
    s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)
  );
  return hit?.value ?? 0;
}

Deno.test("POST /ingest without a valid token gets 401 and nothing is applied", async () => {
  const { app, collector } = await makeApp();
  const bytes = new TestNode(sdk, "a").step("lock:1", "acquire", { c: 1 }).take();
  for (const token of [undefined, "wrong", "token-b"]) {
    const res = await app.request(post(bytes, token));
    assert.equal(res.status, 401, `token ${token}`);
    assert.equal(res.headers.get("content-type"), "application/problem+json");
    assert.ok((await res.json()).type.startsWith("urn:vigil:problem:"));
  }
  collector.flush();
  assert.equal(collector.metrics().events, 0);
  assert.equal(collector.nodes().length, 0);
  const text = await (await read(app, "/metrics")).text();
  assert.equal(metric(text, "vigil_batches_rejected_total", { reason: "unauthorized" }), 2);
  assert.equal(metric(text, "vigil_batches_rejected_total", { reason: "node_mismatch" }), 1);
});

Deno.test("POST /ingest over the size limit gets 413, by Content-Length and by streamed bytes", async () => {
  const { app, collector } = await makeApp(64);
  const node = new TestNode(sdk, "a");
  for (let i = 0; i < 20; i++) node.step(`lock:${i}`, "acquire", { c: 1 });
  const big = node.take();
  assert.ok(big.length > 64);
  const declared = await app.request(
    post(big, "token-a", { "content-length": String(big.length) }),
  );
  assert.equal(declared.status, 413);
  const chunks = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(big.slice(0, 40));
      c.enqueue(big.slice(40));
      c.close();
    },
  });
  const streamed = await app.request(
    new Request("http://collector/ingest", {
      method: "POST",
      headers: { authorization: "Bearer token-a", "content-type": "application/x-msgpack" },
      body: chunks,
    }),
  );
  assert.equal(streamed.status, 413);
  assert.equal((await streamed.json()).reason, "too_large");
  collector.flush();
  assert.equal(collector.metrics().events, 0);
});

Deno.test("Malformed, wrong-version and unknown-spec batches get 400 problem+json, counted, and the app keeps serving", async () => {
  const { app, collector } = await makeApp();
  const garbage = new Uint8Array([0xc1, 0x00, 0x01]);
  const wrongVersion = encodeBatch(
    { spec: sdk.hash, specName: "Lease", node: "a", boot: "x", firstSeq: 0, dropped: [] },
    [],
  );
  wrongVersion[wrongVersion.indexOf(0x76) + 1] = 0x07; // "v": 1 -> 7
  const unknown = encodeBatch(
    { spec: "f".repeat(64), specName: "Other", node: "a", boot: "x", firstSeq: 0, dropped: [] },
    [],
  );
  const reasons: string[] = [];
  for (const body of [garbage, wrongVersion, unknown]) {
    const res = await app.request(post(body, "token-a"));
    assert.equal(res.status, 400);
    assert.equal(res.headers.get("content-type"), "application/problem+json");
    const p = await res.json();
    assert.equal(p.status, 400);
    reasons.push(p.reason);
  }
  assert.deepEqual(reasons, ["malformed", "malformed", "unknown_spec"]);
  const ok = await app.request(
    post(new TestNode(sdk, "a").step("lock:1", "acquire", { c: 1 }).take(), "token-a"),
  );
  assert.equal(ok.status, 202);
  assert.equal((await ok.json()).accepted, 1);
  const text = await (await read(app, "/metrics")).text();
  assert.equal(metric(text, "vigil_batches_rejected_total", { reason: "malformed" }), 2);
  assert.equal(metric(text, "vigil_batches_rejected_total", { reason: "unknown_spec" }), 1);
  assert.equal(metric(text, "vigil_batches_accepted_total", { source: "http" }), 1);
  collector.flush();
  assert.equal(collector.metrics().applied, 1);
  assert.equal((await app.request("/healthz")).status, 200);
});

Deno.test("A split brain posted by two nodes shows as a violation in the JSON API, metrics and alert stream", async () => {
  const { app, collector, store } = await makeApp();
  const alerts = await read(app, "/api/alerts/stream");
  assert.equal(alerts.headers.get("content-type"), "text/event-stream; charset=utf-8");
  const reader = alerts.body!.getReader();
  const a = new TestNode(sdk, "a").step("lock:1", "acquire", { c: 1 });
  const b = new TestNode(sdk, "b").step("lock:1", "acquire", { c: 2 });
  assert.equal((await app.request(post(a.take(), "token-a"))).status, 202);
  assert.equal((await app.request(post(b.take(), "token-b"))).status, 202);
  collector.advance();
  collector.flush();

  const dec = new TextDecoder();
  let text = "";
  for (let i = 0; i < 20 && !text.includes("event: alert"); i++) {
    text += dec.decode((await reader.read()).value);
  }
  await reader.cancel();
  const data = text.split("\n").find((l) => l.startsWith("data: "))!;
  const alert = JSON.parse(data.slice(6)) as Violation;
  assert.equal(alert.property.name, "OneHolder");
  assert.deepEqual([...alert.nodes].sort(), ["a", "b"]);

  const violations = await (await read(app, "/api/violations")).json() as Violation[];
  assert.equal(violations.length, 1);
  assert.equal(violations[0]!.property.line > 0, true);
  assert.deepEqual(violations[0]!.cut.map((c) => c.node).sort(), ["a", "b"]);
  const parts = await (await read(app, "/api/partitions")).json() as PartitionInfo[];
  assert.deepEqual(parts.map((p) => [p.key, p.status]), [["lock:1", "violated"]]);
  const nodes = await (await read(app, "/api/nodes")).json() as { node: string }[];
  assert.deepEqual(nodes.map((n) => n.node).sort(), ["a", "b"]);

  const metrics = await read(app, "/metrics");
  assert.match(metrics.headers.get("content-type")!, /^text\/plain; version=0\.0\.4/);
  const m = await metrics.text();
  assert.equal(metric(m, "vigil_violations_total", { property: "OneHolder" }), 1);
  assert.equal(metric(m, "vigil_events_applied_total"), 2);
  assert.equal(metric(m, "vigil_partitions", { status: "violated" }), 1);

  await app.service.persist();
  const saved = await store.load();
  assert.equal(saved?.violations.length, 1);
});

Deno.test("The dashboard page, its assets and the event stream are served", async () => {
  const { app } = await makeApp();
  const page = await read(app, "/");
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.ok(html.includes("Vigil collector: Lease"));
  assert.ok(html.includes('src="dashboard.js"'));
  assert.equal((await read(app, "/dashboard.js")).status, 200);
  assert.equal((await read(app, "/dashboard.css")).status, 200);
  const events = await read(app, "/api/events/stream");
  const reader = events.body!.getReader();
  let text = "";
  for (let i = 0; i < 5 && !text.includes("event: summary"); i++) {
    text += new TextDecoder().decode((await reader.read()).value);
  }
  await reader.cancel();
  assert.ok(text.includes("event: summary"));
  const summary = await (await read(app, "/api/summary")).json();
  assert.deepEqual(summary.nodes, []);
});
