/**
 * The collector app through `app.request()` (no server): auth, size limit,
 * malformed input, the happy path to a split-brain alert, metrics and SSE;
 * the read side behind its token and cookie; paged lists; internal errors
 * answered, counted and logged.
 */
import assert from "node:assert/strict";
import { compiledLease, sdkLease, TestNode } from "../tools/harness/collector_app_fixture.ts";
import { createCollectorApp } from "../edge/server/app.ts";
import { readAuth, tokenAuth } from "../edge/server/auth.ts";
import { createCollector } from "../edge/engine/collector.ts";
import { parsePrometheus } from "../edge/server/metrics.ts";
import { memoryStore } from "../edge/store/store.ts";
import type { PartitionInfo, Violation } from "../edge/engine/types.ts";
import { encodeBatch } from "../lib/wire/encode.ts";

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

const READ_ROUTES = [
  "/",
  "/dashboard.js",
  "/dashboard.css",
  "/api/violations",
  "/api/violations/none",
  "/api/nodes",
  "/api/partitions",
  "/api/summary",
  "/api/health",
  "/api/alerts/stream",
  "/api/events/stream",
  "/metrics",
];

/** Reads a response's body to the end, or cancels a stream after its first chunk. */
async function drain(res: Response): Promise<void> {
  if (res.headers.get("content-type")?.startsWith("text/event-stream")) {
    const reader = res.body!.getReader();
    await reader.read();
    await reader.cancel();
  } else {
    await res.body?.cancel();
  }
}

Deno.test("Every read route answers 401 without a token or with an ingest token, and serves the read token", async () => {
  const { app } = await makeApp();
  for (const path of READ_ROUTES) {
    const none = await app.request(path);
    assert.equal(none.status, 401, `${path} without a token`);
    assert.equal(none.headers.get("content-type"), "application/problem+json");
    assert.equal(none.headers.get("connection"), "close");
    await drain(none);
    for (const ingest of Object.values(TOKENS)) {
      const res = await app.request(path, { headers: { authorization: `Bearer ${ingest}` } });
      assert.equal(res.status, 401, `${path} with the ingest token '${ingest}'`);
      await drain(res);
    }
    const ok = await read(app, path);
    assert.equal(ok.status, path === "/api/violations/none" ? 404 : 200, path);
    await drain(ok);
  }
  const health = await app.request("/healthz");
  assert.equal(health.status, 200);
  assert.deepEqual(await health.json(), { status: "ok" }, "healthz carries nothing else");
});

Deno.test("Visiting /?token= sets an HttpOnly SameSite=Strict cookie, redirects to /, and the cookie reads every route", async () => {
  const { app } = await makeApp();
  const wrong = await app.request("/?token=token-a");
  assert.equal(wrong.status, 401, "an ingest token in the address is refused");
  assert.equal(wrong.headers.get("set-cookie"), null);
  const visit = await app.request(`/?token=${READ}`);
  assert.equal(visit.status, 303);
  assert.equal(visit.headers.get("location"), "/");
  const cookie = visit.headers.get("set-cookie")!;
  assert.match(cookie, /^vigil_read=read-token;/);
  for (const attribute of ["HttpOnly", "SameSite=Strict", "Path=/"]) {
    assert.ok(cookie.split("; ").includes(attribute), `${attribute} in ${cookie}`);
  }
  const sent = cookie.split(";")[0]!;
  for (const path of READ_ROUTES) {
    const res = await app.request(path, { headers: { cookie: `theme=dark; ${sent}` } });
    assert.equal(res.status, path === "/api/violations/none" ? 404 : 200, path);
    await drain(res);
  }
  const forged = await app.request("/api/nodes", { headers: { cookie: "vigil_read=token-a" } });
  assert.equal(forged.status, 401);
  assert.ok(!cookie.includes("Secure"), "no Secure over plain http");
  const proxied = await app.request(`/?token=${READ}`, {
    headers: { "x-forwarded-proto": "https" },
  });
  assert.ok(proxied.headers.get("set-cookie")!.split("; ").includes("Secure"));
});

Deno.test("The read side is closed with ingest tokens and no read token, open with publicRead or without ingest tokens", async () => {
  const collector = createCollector({ specs: [await compiledLease()], windowMs: 0 });
  const base = { keepAliveMs: 0, onLog: () => {} };
  const closed = createCollectorApp(collector, { ...base, auth: tokenAuth(TOKENS) });
  assert.equal((await closed.request("/api/nodes")).status, 401);
  assert.equal((await closed.request(`/?token=${READ}`)).status, 401);
  const open = createCollectorApp(collector, {
    ...base,
    auth: tokenAuth(TOKENS),
    publicRead: true,
  });
  assert.equal((await open.request("/api/nodes")).status, 200);
  const dev = createCollectorApp(collector, { ...base, allowAnonymous: true });
  assert.equal((await dev.request("/api/nodes")).status, 200);
  const bytes = new TestNode(sdk, "a").step("lock:1", "acquire", { c: 1 }).take();
  assert.equal((await closed.request(post(bytes, "token-a"))).status, 202, "ingest still works");
});

Deno.test("A 401, 413 or node mismatch on POST /ingest says Connection: close, and the mismatch is logged with its node", async () => {
  const collector = createCollector({ specs: [await compiledLease()], windowMs: 0 });
  const lines: string[] = [];
  const small = new TestNode(sdk, "a").step("lock:1", "acquire", { c: 1 }).take();
  const node = new TestNode(sdk, "a");
  for (let i = 0; i < 20; i++) node.step(`lock:${i}`, "acquire", { c: 1 });
  const app = createCollectorApp(collector, {
    auth: tokenAuth(TOKENS),
    keepAliveMs: 0,
    maxBodyBytes: small.length + 1,
    onLog: (l) => lines.push(l),
  });
  const cases: [Request, number][] = [
    [post(small), 401],
    [post(small, "token-b"), 401],
    [post(node.take(), "token-a"), 413],
  ];
  for (const [req, status] of cases) {
    const res = await app.request(req);
    assert.equal(res.status, status);
    assert.equal(res.headers.get("connection"), "close");
  }
  const mismatch = lines.filter((l) => l.includes("(node_mismatch)"));
  assert.deepEqual(mismatch, [
    "vigil collector: refused an http batch (node_mismatch) from node 'b': Token of node 'b' used for node 'a'",
  ]);
  assert.equal(lines.filter((l) => l.includes("(unauthorized)")).length, 1);
});

/** Follows `Link: rel="next"` from `path`; returns every item, the pages and the totals seen. */
async function walk<T>(
  app: { request(p: string, i?: RequestInit): Response | Promise<Response> },
  path: string,
): Promise<{ items: T[]; pages: number; totals: Set<string> }> {
  const items: T[] = [];
  const totals = new Set<string>();
  let next: string | null = path;
  let pages = 0;
  while (next !== null && pages < 1000) {
    const res = await read(app, next);
    assert.equal(res.status, 200, next);
    const body = await res.json();
    assert.ok(Array.isArray(body), "the body stays an array");
    items.push(...body);
    totals.add(res.headers.get("x-total-count")!);
    const link = res.headers.get("link");
    next = link === null ? null : /^<([^>]+)>; rel="next"$/.exec(link)![1]!;
    pages++;
  }
  return { items, pages, totals };
}

Deno.test("Paged /api lists: limit, X-Total-Count and Link rel=next visit every partition, node and violation once", async () => {
  const { app, collector } = await makeApp();
  const a = new TestNode(sdk, "a");
  const keys = Array.from({ length: 2_500 }, (_, i) => `lock:${i}`);
  for (let i = 0; i < keys.length; i++) {
    a.step(keys[i]!, "acquire", { c: 1 });
    if (i % 500 === 499) assert.equal((await app.request(post(a.take(), "token-a"))).status, 202);
  }
  const b = new TestNode(sdk, "b");
  for (let i = 0; i < 10; i++) b.step(`lock:${i * 7}`, "acquire", { c: 2 });
  assert.equal((await app.request(post(b.take(), "token-b"))).status, 202);
  collector.flush();

  const first = await read(app, "/api/partitions?limit=100");
  assert.equal(first.headers.get("x-total-count"), "2500");
  assert.equal(
    first.headers.get("link"),
    `</api/partitions?limit=100&after=${encodeURIComponent("Lease/lock:99")}>; rel="next"`,
  );
  const firstPage = await first.json() as PartitionInfo[];
  assert.deepEqual(firstPage.map((p) => p.key), keys.slice(0, 100));

  const all = await walk<PartitionInfo>(app, "/api/partitions?limit=100");
  assert.equal(all.pages, 25);
  assert.deepEqual(all.items.map((p) => p.key), keys);
  assert.deepEqual([...all.totals], ["2500"]);

  const byDefault = await read(app, "/api/partitions");
  assert.equal((await byDefault.json()).length, 1000, "default limit");
  assert.match(byDefault.headers.get("link")!, /after=Lease%2Flock%3A999>/);

  const violated = await walk<PartitionInfo>(app, "/api/partitions?status=violated&limit=3");
  assert.equal(violated.pages, 4);
  assert.deepEqual(
    violated.items.map((p) => p.key),
    Array.from({ length: 10 }, (_, i) => `lock:${i * 7}`),
  );
  assert.ok(violated.items.every((p) => p.status === "violated"));
  assert.deepEqual([...violated.totals], ["10"]);

  const nodes = await walk<{ node: string; rate: number }>(app, "/api/nodes?limit=1");
  assert.deepEqual(nodes.items.map((n) => n.node), ["a", "b"]);
  assert.ok(nodes.items.every((n) => typeof n.rate === "number"));

  const violations = await walk<Violation>(app, "/api/violations?limit=4");
  assert.deepEqual(violations.items.map((v) => v.partition), violated.items.map((p) => p.key));
  assert.equal(violations.pages, 3);
  const one = await read(app, "/api/violations?partition=lock:14");
  assert.deepEqual((await one.json()).map((v: Violation) => v.partition), ["lock:14"]);
  assert.equal(one.headers.get("link"), null);

  const summary = await (await read(app, "/api/summary")).json();
  assert.equal(summary.partitions.length, 200, "the summary is capped");
  assert.equal(summary.partitionCount, 2500);
  assert.deepEqual(
    summary.partitions.slice(0, 10).map((p: PartitionInfo) => p.status),
    Array(10).fill("violated"),
    "worst first",
  );
  assert.equal(summary.nodeCount, 2);
  const m = await (await read(app, "/metrics")).text();
  assert.equal(metric(m, "vigil_partitions", { status: "violated" }), 10);
  assert.equal(metric(m, "vigil_partitions", { status: "ok" }), 2490);

  for (const bad of ["limit=0", "limit=10001", "limit=abc", "after=nope", "status=bad"]) {
    const res = await read(app, `/api/partitions?${bad}`);
    assert.equal(res.status, 400, bad);
    assert.match((await res.json()).error, /limit|cursor|status/, bad);
  }
});

/** A real collector whose methods named in `failing` throw while `fail()` says so. */
function failingCollector(
  real: ReturnType<typeof createCollector>,
  failing: readonly string[],
  fail: () => boolean,
) {
  return new Proxy(real, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      if (failing.includes(String(prop))) {
        return (...args: unknown[]) => {
          if (fail()) throw new TypeError(`planted failure in ${String(prop)}`);
          return value.apply(target, args);
        };
      }
      return value.bind(target);
    },
  });
}

Deno.test("An ingest that throws unexpectedly answers 500 internal, counted and logged, and the next batch is accepted", async () => {
  const real = createCollector({ specs: [await compiledLease()], windowMs: 0 });
  let failures = 1;
  const collector = failingCollector(real, ["ingestColumns"], () => failures-- > 0);
  const lines: string[] = [];
  const auth = tokenAuth(TOKENS);
  const app = createCollectorApp(collector, {
    auth,
    readAuth: readAuth([READ], { ingest: auth }),
    keepAliveMs: 0,
    onLog: (l) => lines.push(l),
  });
  const node = new TestNode(sdk, "a");
  const res = await app.request(post(node.step("lock:1", "acquire", { c: 1 }).take(), "token-a"));
  assert.equal(res.status, 500);
  assert.equal(res.headers.get("content-type"), "application/problem+json");
  const p = await res.json();
  assert.equal(p.reason, "internal");
  assert.equal(p.type, "urn:vigil:problem:internal");
  assert.doesNotMatch(p.detail, /planted/, "no internals in the answer");
  const text = await (await read(app, "/metrics")).text();
  assert.equal(
    metric(text, "vigil_batches_rejected_total", { source: "http", reason: "internal" }),
    1,
  );
  assert.equal(metric(text, "vigil_internal_errors_total", { where: "ingest" }), 1);
  assert.ok(lines.some((l) => l.includes("internal error in ingest") && l.includes("planted")));
  assert.ok(lines.some((l) => l.includes("refused an http batch (internal) from node 'a'")));
  const next = await app.request(post(node.step("lock:1", "release", { c: 1 }).take(), "token-a"));
  assert.equal(next.status, 202);
  real.flush();
  assert.equal(real.metrics().applied, 1);
});

Deno.test("A read handler that throws answers 500 internal, counted and logged, and the app keeps serving", async () => {
  const real = createCollector({ specs: [await compiledLease()], windowMs: 0 });
  let failures = 1;
  const lines: string[] = [];
  const app = createCollectorApp(
    failingCollector(real, ["partitionsPage"], () => failures-- > 0),
    { allowAnonymous: true, keepAliveMs: 0, onLog: (l) => lines.push(l) },
  );
  const res = await app.request("/api/partitions");
  assert.equal(res.status, 500);
  assert.equal((await res.json()).reason, "internal");
  assert.equal(
    metric(await (await app.request("/metrics")).text(), "vigil_internal_errors_total", {
      where: "http",
    }),
    1,
  );
  assert.equal(lines.filter((l) => l.includes("internal error in http")).length, 1);
  assert.equal((await app.request("/api/partitions")).status, 200);
});
