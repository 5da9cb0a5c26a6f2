/**
 * The npm package's scenario, as a user's service would run it: run by
 * `tests/npm_package_test.ts` under Node and under Bun, in a fresh project
 * that installed the packed `@vigil/vigil` tarball and `hono` (plus
 * `@hono/node-server` to serve on Node), beside a copy of the compiled
 * `lease.js` and `lease.core.wasm`.
 *
 * Two services `a` and `b`, each a Hono app whose lock route is guarded by
 * `vigilGuard` with its own in-memory store, each shipping its events with
 * `httpTransport` to the collector. Both grant the same lock (each store
 * only sees its own node), so the collector sees a double hold: a
 * violation of the global invariant `OneHolder`. The scenario prints one
 * JSON line: the HTTP answers it got and the violations the collector's
 * API reported.
 *
 * Usage: `node scenario.mjs '{"collector":"http://127.0.0.1:P","tokens":{"a":"..","b":".."},"readToken":"..","lock":"1"}'`
 * Exits 0 when it read a violation, 1 on a failed assertion, 3 after 60 s.
 */
import assert from "node:assert/strict";
import process from "node:process";
import { Hono } from "hono";
import { createBatcher, httpTransport, loadSpec } from "@vigil/vigil";
import { memoryGuardStore, vigilGuard } from "@vigil/vigil/hono";

const config = JSON.parse(process.argv[2] ?? "{}");
const watchdog = setTimeout(() => {
  console.error("scenario: gave up after 60 s");
  process.exit(3);
}, 60_000);

const lease = await loadSpec(new URL("./lease.js", import.meta.url));

/** Serves `app` on a free loopback port: `Bun.serve` on Bun, `@hono/node-server` on Node. */
async function serve(app) {
  if (globalThis.Bun !== undefined) {
    const server = globalThis.Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: app.fetch });
    return { url: `http://127.0.0.1:${server.port}`, close: () => server.stop(true) };
  }
  const { serve: nodeServe } = await import("@hono/node-server");
  return await new Promise((resolve) => {
    const server = nodeServe({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, (info) => {
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

/** One service: a guarded lock route whose events ship to the collector. */
async function service(node) {
  const transport = httpTransport(`${config.collector}/ingest`, { token: config.tokens[node] });
  const batcher = createBatcher(transport, { maxEvents: 16, maxDelayMs: 20 });
  const app = new Hono();
  app.post(
    "/locks/:id/:action",
    vigilGuard(lease, {
      node,
      key: (c) => `lock:${c.req.param("id")}`,
      action: (c) => c.req.param("action"),
      args: async (c) => ({ c: Number((await c.req.json()).client) }),
      store: memoryGuardStore(),
      sink: batcher,
    }),
    (c) => c.json({ ok: true, node }),
  );
  return { node, batcher, server: await serve(app) };
}

async function post(svc, action, client) {
  const res = await fetch(`${svc.server.url}/locks/${config.lock}/${action}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ client }),
  });
  return { node: svc.node, action, client, status: res.status, body: await res.json() };
}

const a = await service("a");
const b = await service("b");
const answers = [];
try {
  answers.push(await post(a, "acquire", 1)); // a grants the lock to client 1
  answers.push(await post(b, "acquire", 2)); // b, which does not see a's store, grants it to 2
  answers.push(await post(a, "acquire", 3)); // a refuses: it holds the lock
  assert.deepEqual(answers.map((x) => x.status), [200, 200, 409]);
  assert.equal(answers[2].body.guard, "require mode == free");
  await Promise.all([a.batcher.close(), b.batcher.close()]);
  for (const svc of [a, b]) {
    const stats = svc.batcher.stats();
    assert.equal(stats.sent, stats.pushed, `every event of '${svc.node}' was delivered`);
  }
} finally {
  await Promise.all([a.server.close(), b.server.close()]);
}

// The collector releases events one reorder window after they arrive: poll its API.
let violations = [];
for (let i = 0; i < 300 && violations.length === 0; i++) {
  const res = await fetch(`${config.collector}/api/violations`, {
    headers: { authorization: `Bearer ${config.readToken}` },
  });
  assert.equal(res.status, 200, "the read token opens the collector's API");
  violations = await res.json();
  if (violations.length === 0) await new Promise((r) => setTimeout(r, 100));
}
clearTimeout(watchdog);
console.log(JSON.stringify({
  runtime: globalThis.Bun !== undefined
    ? `bun ${globalThis.Bun.version}`
    : `node ${process.version}`,
  answers: answers.map(({ node, action, client, status }) => ({ node, action, client, status })),
  violations: violations.map((v) => ({
    property: v.property.name,
    partition: v.partition,
    nodes: v.nodes,
  })),
}));
