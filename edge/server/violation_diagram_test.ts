import assert from "node:assert/strict";
import { loadCompiled } from "../../lib/abi/loader.ts";
import { createCollector } from "../engine/collector.ts";
import { createCollectorApp } from "./app.ts";
import { readAuth, tokenAuth } from "./auth.ts";
import { diagramIdPrefix } from "./violation_diagram.ts";

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
