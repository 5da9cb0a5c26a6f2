import assert from "node:assert/strict";
import { loadCompiled } from "../../lib/abi/loader.ts";
import { createCollector } from "../engine/collector.ts";
import { createCollectorApp } from "./app.ts";
import { readAuth, tokenAuth } from "./auth.ts";
import { diagramIdPrefix } from "./violation_diagram.ts";
import { encodeBatch } from "../../lib/wire/encode.ts";

const lease = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));

Deno.test("GET /api/violations/:id/diagram.svg is behind the read token and answers 404 for an unknown violation", async () => {
  const auth = tokenAuth({ "api-1": "s3cret" });
  const app = createCollectorApp(createCollector({ specs: [lease] }), {
    auth,
    readAuth: readAuth(["r3ad"], { ingest: auth }),
    keepAliveMs: 0,
  });
  try {
    const path = "/api/violations/nope/diagram.svg";
    assert.equal((await app.request(path)).status, 401);
    const ingestToken = await app.request(path, { headers: { authorization: "Bearer s3cret" } });
    assert.equal(ingestToken.status, 401, "an ingest token is not a read token");
    const res = await app.request(path, { headers: { authorization: "Bearer r3ad" } });
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), { error: "No such violation" });
  } finally {
    await app.service.stop();
  }
});

Deno.test("diagramIdPrefix is one to one on violation ids and gives valid element ids", () => {
  const ids = ["a:b", "a_b", "a-b", "a_3a_b", "ä:1", "a:b:1", "a:b1"];
  const prefixes = ids.map(diagramIdPrefix);
  assert.equal(new Set(prefixes).size, ids.length);
  for (const p of prefixes) assert.match(p, /^[A-Za-z][A-Za-z0-9_-]*$/);
});

/** A batch of one acquire of `lock:a` by client `c` on `node` at `wall`. */
function acquire(node: string, c: number, wall: number): Uint8Array {
  const inst = lease.create();
  const action = lease.actionIndex("acquire");
  const verdict = lease.stepFn(action)(inst, c);
  const header = {
    spec: lease.meta.sourceHash,
    specName: "Lease",
    node,
    boot: `${node}-1`,
    firstSeq: 0,
    dropped: [],
  };
  const state = lease.stateBytes(inst);
  return encodeBatch(header, [{
    key: "lock:a",
    wall,
    logical: 0,
    action,
    args: [c],
    state,
    verdict,
  }]);
}

Deno.test("GET /api/violations/:id/diagram.svg draws a causal violation, and answers 404 naming one without evidence", async () => {
  for (const maxSkewMs of [250, undefined]) {
    let now = 10_000;
    const collector = createCollector({
      specs: [lease],
      windowMs: 0,
      now: () => now,
      ...(maxSkewMs === undefined ? {} : { maxSkewMs }),
    });
    const app = createCollectorApp(collector, { allowAnonymous: true, keepAliveMs: 0 });
    try {
      collector.ingestBytes(acquire("api-1", 1, 10_000));
      collector.ingestBytes(acquire("api-2", 2, 10_010));
      now = 20_000; // past 2S and the window: the episode's alert is raised
      collector.advance(now);
      collector.flush();
      const [v, ...more] = collector.violations();
      assert.ok(v !== undefined && more.length === 0, "one violation");
      const res = await app.request(`/api/violations/${encodeURIComponent(v.id)}/diagram.svg`);
      if (maxSkewMs === undefined) {
        assert.equal(v.causal, undefined);
        assert.equal(res.status, 404);
        assert.deepEqual(await res.json(), {
          error: `Violation '${v.id}' has no causal evidence to draw`,
        });
        continue;
      }
      assert.ok(v.causal !== undefined);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("content-type"), "image/svg+xml; charset=utf-8");
      assert.equal(res.headers.get("x-content-type-options"), "nosniff");
      assert.equal(res.headers.get("content-security-policy"), "default-src 'none'");
      const svg = await res.text();
      assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
      const lanes = [...svg.matchAll(/<g class="lane" data-node="([^"]*)">/g)].map((m) => m[1]);
      assert.deepEqual(lanes, v.causal.lanes);
      assert.deepEqual([...lanes].sort(), ["api-1", "api-2"]);
      assert.match(
        svg,
        new RegExp(
          `Lease OneHolder in &#39;lock:a&#39;: ${v.causal.verdict} violated \\(clock skew bound 250 ms\\)`,
        ),
      );
      assert.ok(svg.includes(`id="${diagramIdPrefix(v.id)}-title"`));
    } finally {
      await app.service.stop();
    }
  }
});
