/**
 * The npm package's `edge/cluster/` (partitioned collectors) under Node.
 *
 * It is not public API: no subpath of "exports" reaches it
 * (`@vigil/vigil/edge` exports the single collector), so the package ships
 * its compiled modules, type-checked with the rest, but no declaration of
 * them. Users reach it through the bin only: `vigil collector --partitions`
 * loads it on demand. Asserted: the build ships `edge/cluster/*.js`, no
 * subpath loads any of it, and under Node the package's bin joins a
 * partitioned deployment on a real nats-server (JetStream, one server,
 * replicas 1), owns every partition, answers `/api/cluster`, applies a
 * batch posted over HTTP (forwarded into its partition's stream and
 * consumed back), and hands its partitions over on SIGTERM with exit 0.
 */
import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { buildNpmOnce } from "../tools/build_npm.ts";
import { startNatsServer } from "../tools/harness/nats_server.ts";
import { waitFor } from "../tools/harness/wait.ts";
import { nodeVigil } from "./node_cli/node_vigil.ts";
import type { ClusterView } from "../edge/cluster/cluster_view.ts";
import { encodeBatch } from "../lib/wire/encode.ts";
import { partitionOf } from "../lib/wire/subjects.ts";
import { loadCompiled } from "../lib/abi/loader.ts";
import { ROOT } from "../tools/harness/spec_files.ts";

const PARTITIONS = 2;

Deno.test("The npm package ships edge/cluster/ compiled, reached by the bin only: no subpath loads it or declares it", async () => {
  const build = await buildNpmOnce({ log: () => {} });
  const shipped = build.modules.filter((m) => m.startsWith("edge/cluster/"));
  assert.ok(shipped.includes("edge/cluster/deployment.ts"), `shipped: ${shipped.join(", ")}`);
  // Relative paths under edge/cluster/ (its sub-folders too: lease_keeper/).
  const files = await readdir(join(build.outDir, "edge", "cluster"), { recursive: true });
  for (const m of shipped) {
    const js = m.slice("edge/cluster/".length).replace(/\.ts$/, ".js");
    assert.ok(files.includes(js), `'${js}' is in the package`);
  }
  assert.deepEqual(files.filter((f) => f.endsWith(".d.ts")), [], "no declaration of edge/cluster");
  for (const [subpath, loads] of Object.entries(build.loads)) {
    assert.deepEqual(loads.filter((f) => f.startsWith("edge/cluster/")), [], subpath);
  }
  // The bin's collector command takes it on demand, with the NATS packages it needs.
  const collector = Object.entries(build.needs).find(([k]) => k === "vigil collector");
  assert.ok(collector !== undefined, `needs: ${Object.keys(build.needs).join(", ")}`);
  assert.ok(collector[1].onDemand.includes("@nats-io/kv"), JSON.stringify(collector));
});

Deno.test({
  name:
    "Under Node, the package's vigil collector --partitions joins a deployment, owns every partition, applies a forwarded batch and hands over on SIGTERM",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const server = await startNatsServer();
    try {
      const vigil = await nodeVigil("node");
      const member = await vigil.collector([
        "--spec",
        "dist/lease.js",
        "--nats",
        server.url,
        "--partitions",
        String(PARTITIONS),
        "--replicas",
        "1",
        "--cluster-id",
        "npm",
        "--instance",
        "n1",
        "--allow-anonymous",
        "--window",
        "0s",
        "--port",
        "0",
      ]);
      let stopped = false;
      try {
        assert.match(member.output(), /member 'n1' of 'npm', 2 partitions, state in KV/);
        // The package ships the lease keeper's worker module: leases are renewed from a thread of
        // their own, not (the fallback) in the member's main thread.
        assert.doesNotMatch(member.output(), /renews its leases in its main thread/);
        const view = async () => {
          const res = await fetch(`${member.base}/api/cluster`);
          assert.equal(res.status, 200);
          return await res.json() as ClusterView;
        };
        const owning = await waitFor(async () => {
          const v = await view();
          const owned = v.collectors.flatMap((c) => c.owned.map((o) => o.partition));
          return owned.length === PARTITIONS && v;
        }, {
          timeoutMs: 30_000,
          intervalMs: 100,
          what: "n1 to own both partitions",
          detail: member.output,
        });
        assert.deepEqual(owning.ownership.map((o) => o.owner), ["n1", "n1"]);

        // One event over HTTP: forwarded into its partition's stream, consumed by its runner.
        const lease = await loadCompiled(new URL("dist/lease.core.wasm", `file://${ROOT}`));
        const inst = lease.create();
        const action = lease.actionIndex("acquire");
        const verdict = lease.stepFn(action)(inst, 1);
        const batch = encodeBatch({
          spec: lease.meta.sourceHash,
          specName: "Lease",
          node: "api-1",
          // A partitioned sender's stream for the key's partition.
          boot: `b1~p${partitionOf("lock:npm", PARTITIONS)}`,
          firstSeq: 0,
          dropped: [],
        }, [{
          key: "lock:npm",
          wall: Date.now(),
          logical: 0,
          action,
          args: [1],
          state: lease.stateBytes(inst),
          verdict,
        }]);
        const posted = await fetch(`${member.base}/ingest`, {
          method: "POST",
          headers: { "content-type": "application/x-msgpack" },
          body: new Blob([batch.slice()]),
        });
        const answer = await posted.text();
        assert.ok(posted.ok, `POST /ingest answered ${posted.status}: ${answer}`);
        await waitFor(async () => (await view()).totals.applied === 1, {
          timeoutMs: 30_000,
          intervalMs: 100,
          what: "the forwarded event applied",
          detail: member.output,
        });

        const end = await member.stop();
        stopped = true;
        assert.equal(end.code, 0, end.stderr);
        assert.match(end.stdout, /SIGTERM, handing partitions over and stopping/);
      } finally {
        if (!stopped) await member.stop();
      }
    } finally {
      await server.stop();
    }
  },
});
