/**
 * What an operator sees of a rolling upgrade through the collector app
 * (`app.request()`, no server): the version each node runs in
 * `/api/nodes` and on the dashboard, `mixed` partitions with their reason
 * in `/api/partitions` and first in `/api/summary`, and a batch of a
 * version the collector was not started with refused as problem+json that
 * names the spec, the hash and what to do, counted and logged.
 */
import assert from "node:assert/strict";
import { createCollectorApp } from "../edge/server/app.ts";
import { readAuth, tokenAuth } from "../edge/server/auth.ts";
import { createCollector } from "../edge/engine/collector.ts";
import { DASHBOARD_JS } from "../edge/server/dashboard_js.ts";
import { parsePrometheus } from "../edge/server/metrics.ts";
import type { NodeInfo, PartitionInfo } from "../edge/engine/types.ts";
import type { Summary } from "../edge/server/summary.ts";
import type { CompiledSpec } from "../lib/abi/compiled.ts";
import { collectorVersion, FakeTime, UpgradeNode } from "./upgrade_fixture.ts";

const TOKENS = { "api-1": "token-1", "api-2": "token-2" };
const READER = { headers: { authorization: "Bearer read-token" } };

/** The app over a collector of `specs`, and replicas whose batches are POSTed to it. */
function setup(specs: readonly CompiledSpec[]) {
  const time = new FakeTime(1_750_000_000_000);
  const collector = createCollector({ specs, now: time.now, windowMs: 0 });
  const auth = tokenAuth(TOKENS);
  const logs: string[] = [];
  const app = createCollectorApp(collector, {
    auth,
    readAuth: readAuth(["read-token"], { ingest: auth }),
    keepAliveMs: 0,
    onLog: (line) => void logs.push(line),
  });
  const pending: { token: string; bytes: Uint8Array }[] = [];
  const node = (id: keyof typeof TOKENS) =>
    new UpgradeNode(id, {
      time,
      deliver: (bytes) => void pending.push({ token: TOKENS[id], bytes }),
    });
  /** Flushes the replicas and POSTs their batches in order; the answers. */
  const post = async (...nodes: UpgradeNode[]): Promise<Response[]> => {
    for (const n of nodes) await n.flush();
    const out: Response[] = [];
    for (const { token, bytes } of pending.splice(0)) {
      out.push(
        await app.request(
          new Request("http://collector/ingest", {
            method: "POST",
            headers: { authorization: `Bearer ${token}`, "content-type": "application/x-msgpack" },
            body: bytes as Uint8Array<ArrayBuffer>,
          }),
        ),
      );
    }
    collector.advance(time.t);
    return out;
  };
  const get = async <T>(path: string): Promise<T> => {
    const res = await app.request(path, READER);
    assert.equal(res.status, 200, path);
    return await res.json() as T;
  };
  return { app, collector, logs, node, post, get };
}

/** The dashboard's helpers for versions and mixed reasons. */
const dashboard = new Function(
  `${DASHBOARD_JS}\nreturn { versionText, mixedText, sortPartitions };`,
)() as {
  versionText(n: Pick<NodeInfo, "versions">): string;
  mixedText(p: Pick<PartitionInfo, "mixed">): string;
  sortPartitions<T extends { status: string }>(ps: readonly T[]): T[];
};

Deno.test("GET /api/nodes shows the version each node runs, and the dashboard marks the old one", async () => {
  const [v1, v2] = [await collectorVersion(1), await collectorVersion(2)];
  const { node, post, get } = setup([v1, v2]);
  const old = await node("api-1").start(1);
  const upgraded = await node("api-2").start(2);
  old.step("lock:1", "acquire", { c: 1 });
  upgraded.step("lock:2", "acquire", { c: 6 });
  assert.deepEqual((await post(old, upgraded)).map((r) => r.status), [202, 202]);
  const nodes = await get<NodeInfo[]>("/api/nodes");
  const h1 = v1.meta.sourceHash;
  const h2 = v2.meta.sourceHash;
  assert.deepEqual(nodes.map((n) => [n.node, n.versions]), [
    ["api-1", [{ specName: "Lease", spec: h1, current: false }]],
    ["api-2", [{ specName: "Lease", spec: h2, current: true }]],
  ]);
  assert.deepEqual(nodes.map((n) => dashboard.versionText(n)), [
    `Lease ${h1.slice(0, 12)} (old)`,
    `Lease ${h2.slice(0, 12)}`,
  ]);
  const summary = await get<Summary>("/api/summary");
  assert.deepEqual(summary.nodes.map((n) => n.versions.map((v) => v.current)), [[false], [true]]);
});

Deno.test("A mixed partition shows its reason in /api/partitions, first in /api/summary and on the dashboard", async () => {
  const [v2, v3] = [await collectorVersion(2), await collectorVersion(3)];
  const { app, node, post, get } = setup([v2, v3]);
  const old = await node("api-1").start(2);
  const fresh = await node("api-2").start(3);
  fresh.step("lock:ok", "acquire", { c: 2 });
  old.step("lock:mixed", "acquire", { c: 1 });
  await post(fresh, old);
  const parts = await get<PartitionInfo[]>("/api/partitions");
  const mixed = parts.find((p) => p.key === "lock:mixed")!;
  assert.equal(mixed.status, "mixed");
  assert.deepEqual(mixed.mixed.map((m) => [m.node, m.spec]), [["api-1", v2.meta.sourceHash]]);
  assert.match(
    mixed.mixed[0]!.reason,
    /^Variable 'renewals' changed type from '0\.\.100' to 'bool'/,
  );
  assert.deepEqual(parts.find((p) => p.key === "lock:ok")!.mixed, []);
  const summary = await get<Summary>("/api/summary");
  assert.deepEqual(summary.partitions.map((p) => p.key), ["lock:mixed", "lock:ok"]);
  assert.equal(summary.counters.mixedPartitions, 1);
  assert.deepEqual(dashboard.sortPartitions(parts).map((p) => p.status), ["mixed", "ok"]);
  assert.equal(dashboard.mixedText(mixed), `api-1: ${mixed.mixed[0]!.reason}`);
  const onlyMixed = await get<PartitionInfo[]>("/api/partitions?status=mixed");
  assert.deepEqual(onlyMixed.map((p) => p.key), ["lock:mixed"]);
  const metrics = await (await app.request("/metrics", READER)).text();
  assert.match(metrics, /^vigil_partitions\{status="mixed"\} 1$/m);
  assert.match(metrics, /^vigil_partitions\{status="ok"\} 1$/m, "a mixed partition is not ok");
  assert.match(metrics, /^vigil_mixed_partitions 1$/m);
  assert.match(metrics, /^vigil_unconvertible_events_total 1$/m);
});

Deno.test("POST /ingest of a version not served answers 400 problem+json naming the spec, the hash and what to do; counted and logged", async () => {
  const v2 = await collectorVersion(2);
  const { app, collector, logs, node, post } = setup([v2]);
  const stale = await node("api-1").start(1);
  stale.step("lock:1", "acquire", { c: 1 });
  const [res] = await post(stale);
  assert.equal(res!.status, 400);
  assert.equal(res!.headers.get("content-type"), "application/problem+json");
  const problem = await res!.json();
  assert.equal(problem.reason, "unknown_spec");
  const expected =
    `Unknown version of spec 'Lease' (hash '${stale.hash}'): the collector serves version '${
      v2.meta.sourceHash.slice(0, 12)
    }'; start it with this version too to check this node's events`;
  assert.equal(problem.detail, expected);
  assert.equal(collector.metrics().unknownVersion, 1);
  assert.equal(collector.metrics().events, 0);
  assert.equal(logs.filter((l) => l.includes(expected)).length, 1, logs.join("\n"));
  assert.ok(logs.some((l) => l.includes("'api-1'")), "the log line names the node");
  const metrics = parsePrometheus(await (await app.request("/metrics", READER)).text());
  const rejected = metrics.find((s) =>
    s.name === "vigil_batches_rejected_total" && s.labels.reason === "unknown_spec"
  );
  assert.equal(rejected?.value, 1);
});
