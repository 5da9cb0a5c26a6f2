/**
 * Refusals over HTTP speak on both ends: a real `vigil collector` process
 * (tokens for two nodes) and the SDK as a service uses it (`loadSpec`,
 * monitors, `createBatcher`, `httpTransport`, all from `@vigil/vigil`).
 *
 * - A batch sent with another node's token is refused (401
 *   `node_mismatch`): the SDK reports it once (callback with the reason,
 *   status, the collector's detail and the numbers dropped; counter; one
 *   log line), the next batch declares those numbers dropped and the
 *   collector counts them dropped, not lost; the collector logs one line
 *   naming both nodes and never the token.
 * - A batch of a spec version the collector does not serve is refused
 *   (400 `unknown_spec`): the same, and the next batch carries the
 *   declaration (refused too, since the version is still unknown).
 * - A 503 (from a proxy in front of the collector) is retried and
 *   delivered, never reported as a refusal.
 */
import assert from "node:assert/strict";
import { flushed } from "../tools/harness/wait.ts";
import {
  type Batcher,
  createBatcher,
  type FlushStatus,
  httpTransport,
  type LoadedSpec,
  loadSpec,
  type RefusedStatus,
} from "@vigil/vigil";
import {
  type CollectorProcess,
  startCollectorProcess,
} from "../tools/harness/collector_process.ts";
import { nodeVersion } from "./upgrade_fixture.ts";
import { waitFor } from "../tools/harness/wait.ts";

const TOKENS = { "api-1": "secret-of-api-1", "api-2": "secret-of-api-2" };

const lease = await loadSpec(new URL("../dist/lease.js", import.meta.url));

function startCollector(): Promise<CollectorProcess> {
  return startCollectorProcess([
    "--spec",
    "dist/lease.js",
    ...Object.entries(TOKENS).flatMap(([node, token]) => ["--token", `${node}=${token}`]),
    "--public-read",
  ]);
}

/** The collector's refusal lines (its first line per kind; count lines say "more"). */
function refusalLines(c: CollectorProcess, reason: string): string[] {
  return c.output().split("\n").filter((l) =>
    l.startsWith(`vigil collector: refused an http batch (${reason})`)
  );
}

/** A node of the test: a batcher over HTTP with what it reported, and a monitor. */
interface TestNode {
  readonly batcher: Batcher;
  readonly refusals: RefusedStatus[];
  readonly flushes: FlushStatus[];
  readonly lines: string[];
  /** Steps acquire then release `n` times (2n events). */
  steps(n: number): void;
  close(): Promise<void>;
}

function startNode(
  spec: LoadedSpec,
  url: string,
  options: { readonly node: string; readonly token: () => string },
): TestNode {
  const refusals: RefusedStatus[] = [];
  const flushes: FlushStatus[] = [];
  const lines: string[] = [];
  const transport = httpTransport(url, { token: options.token, retries: 1, backoffMs: 10 });
  const batcher = createBatcher(transport, {
    maxDelayMs: 60_000,
    retryDelayMs: 20,
    onRefused: (r) => void refusals.push(r),
    onLog: (l) => void lines.push(l),
  });
  const watching = (async () => {
    for await (const s of batcher.status()) if (s.type === "flush") flushes.push(s);
  })();
  const m = spec.monitor({ node: options.node, key: "lock:a", sink: batcher });
  return {
    batcher,
    refusals,
    flushes,
    lines,
    steps(n) {
      for (let i = 0; i < n; i++) {
        m.step("acquire", { c: 1 });
        m.step("release", { c: 1 });
      }
    },
    async close() {
      await batcher.close();
      await watching;
    },
  };
}

interface NodeRow {
  readonly node: string;
  readonly events: number;
  readonly droppedEvents: number;
  readonly lostEvents: number;
}

async function nodeRow(base: string, node: string): Promise<NodeRow | undefined> {
  const res = await fetch(`${base}/api/nodes`);
  const rows = await res.json() as NodeRow[];
  return rows.find((n) => n.node === node);
}

Deno.test("A batch sent with another node's token is refused (401), reported once by the SDK, declared dropped by the next batch, and logged by the collector naming both nodes", async () => {
  const collector = await startCollector();
  let token = TOKENS["api-2"];
  const node = startNode(lease, `${collector.base}/ingest`, { node: "api-1", token: () => token });
  try {
    node.steps(2); // events 0-3
    await flushed(node.batcher);
    assert.equal(node.refusals.length, 1);
    const r = node.refusals[0]!;
    assert.deepEqual(
      [r.reason, r.status, r.detail, r.ranges, r.declared, r.transport],
      [
        "node_mismatch",
        401,
        "Token of node 'api-2' used for node 'api-1'",
        [[0, 3]],
        [],
        "http",
      ],
    );
    assert.equal(r.problem?.type, "urn:vigil:problem:node_mismatch");
    const stats = node.batcher.stats();
    assert.deepEqual([stats.refused, stats.refusals, stats.sent], [4, { node_mismatch: 1 }, 0]);
    assert.equal(node.lines.length, 1, node.lines.join("\n"));
    assert.match(node.lines[0]!, /node 'api-1'.*events 0-3.*\(node_mismatch, status 401\)/);

    // The token fixed, the next batch declares the four numbers dropped.
    token = TOKENS["api-1"];
    node.steps(1); // events 4-5
    await flushed(node.batcher);
    const sent = await waitFor(() => node.flushes.length > 0 && node.flushes, {
      what: "the flush status",
    });
    assert.deepEqual(sent.map((f) => [f.firstSeq, f.count, f.dropped]), [[4, 2, [[0, 3]]]]);
    const row = await waitFor(
      async () => {
        const n = await nodeRow(collector.base, "api-1");
        return n !== undefined && n.events === 2 && n;
      },
      { what: "node api-1 at the collector", detail: () => collector.output() },
    );
    assert.deepEqual([row.droppedEvents, row.lostEvents], [4, 0]);
    assert.equal(node.refusals.length, 1);
    assert.equal(node.lines.length, 1);

    const logged = refusalLines(collector, "node_mismatch");
    assert.equal(logged.length, 1, collector.output());
    assert.match(logged[0]!, /'api-2'/);
    assert.match(logged[0]!, /'api-1'/);
    for (const secret of Object.values(TOKENS)) {
      assert.ok(!collector.output().includes(secret), "the collector logged a token");
      assert.ok(!node.lines.join("\n").includes(secret), "the SDK logged a token");
    }
  } finally {
    await node.close();
    await collector.stop();
  }
});

Deno.test("A batch of a spec version the collector does not serve is refused (400 unknown_spec), reported once, and the next batch carries its numbers", async () => {
  const collector = await startCollector();
  const v2 = await nodeVersion(2);
  const node = startNode(v2, `${collector.base}/ingest`, {
    node: "api-1",
    token: () => TOKENS["api-1"],
  });
  try {
    node.steps(1); // events 0-1
    await flushed(node.batcher);
    node.steps(2); // events 2-5
    await flushed(node.batcher);
    assert.deepEqual(
      node.refusals.map((r) => [r.reason, r.status, r.ranges, r.declared]),
      [
        ["unknown_spec", 400, [[0, 1]], []],
        ["unknown_spec", 400, [[2, 5]], [[0, 1]]],
      ],
    );
    assert.match(node.refusals[0]!.detail, new RegExp(v2.meta.sourceHash.slice(0, 12)));
    const stats = node.batcher.stats();
    assert.deepEqual([stats.refused, stats.refusals, stats.sent], [6, { unknown_spec: 2 }, 0]);
    assert.equal(node.lines.length, 1, node.lines.join("\n"));
    assert.match(node.lines[0]!, /node 'api-1'.*events 0-1.*\(unknown_spec, status 400\)/);

    await waitFor(() => refusalLines(collector, "unknown_spec").length > 0, {
      what: "the collector's unknown_spec line",
      detail: () => collector.output(),
    });
    const logged = refusalLines(collector, "unknown_spec");
    assert.equal(logged.length, 1, collector.output());
    assert.match(logged[0]!, /from node 'api-1'/);
    assert.equal(await nodeRow(collector.base, "api-1"), undefined);
  } finally {
    await node.close();
    await collector.stop();
  }
});

Deno.test("A 503 in front of the collector is retried and delivered, never reported as a refusal", async () => {
  const collector = await startCollector();
  let unavailable = 3;
  const proxy = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (req) => {
      const body = await req.arrayBuffer();
      if (unavailable > 0) {
        unavailable--;
        return new Response("busy", { status: 503 });
      }
      const res = await fetch(`${collector.base}/ingest`, {
        method: "POST",
        headers: req.headers,
        body,
      });
      return new Response(await res.arrayBuffer(), { status: res.status, headers: res.headers });
    },
  );
  const node = startNode(lease, `http://127.0.0.1:${proxy.addr.port}/ingest`, {
    node: "api-1",
    token: () => TOKENS["api-1"],
  });
  try {
    node.steps(3); // events 0-5
    await flushed(node.batcher);
    const stats = node.batcher.stats();
    assert.equal(unavailable, 0);
    // The transport tries twice (retries: 1): the batcher retried the batch after the first two 503s.
    assert.deepEqual([stats.sent, stats.errors, stats.refused, stats.refusals], [6, 1, 0, {}]);
    assert.deepEqual([node.refusals, node.lines], [[], []]);
    const row = await waitFor(
      async () => {
        const n = await nodeRow(collector.base, "api-1");
        return n !== undefined && n.events === 6 && n;
      },
      { what: "node api-1 at the collector", detail: () => collector.output() },
    );
    assert.deepEqual([row.droppedEvents, row.lostEvents], [0, 0]);
  } finally {
    await node.close();
    await proxy.shutdown();
    await collector.stop();
  }
});
