/**
 * The SDK inside workerd, from npm: the lease Worker of `examples/worker/`
 * is bundled from the packed npm package installed into a fresh project
 * (`tests/workerd/worker_project.ts`), served by the workerd binary from
 * npm as two nodes, `edge-a` and `edge-b` (`examples/worker/config.capnp`),
 * and ships its events over HTTP to `vigil collector`, a subprocess outside
 * workerd. The compiled spec reaches the Worker as a module of type `wasm`
 * (a `WebAssembly.Module`): workerd refuses to compile bytes at run time,
 * so the guard's answers are themselves the proof that the loader took the
 * module.
 *
 * Requests drive `specs/lease.vigil` into a double hold of one lock: each
 * node's guard sees only its own requests and grants the lock, the second
 * acquire on the same node is refused inline, and the collector, merging
 * both streams, raises `OneHolder` naming the two nodes. Everything listens
 * on 127.0.0.1 free ports; every wait is bounded; every process is stopped.
 */
import assert from "node:assert/strict";
import { compileToTemp, specSource } from "../tools/harness/spec_files.ts";
import { waitFor } from "../tools/harness/wait.ts";
import type { NodeInfo, PartitionInfo, Violation } from "../edge/engine/types.ts";
import { type CollectorProcess, startCollectorProcess } from "./collector_process.ts";
import { startWorkerd, type WorkerdProcess } from "./workerd/workerd_process.ts";
import { buildWorkerProject, type WorkerProject } from "./workerd/worker_project.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

const TOKENS = { "edge-a": "token-a", "edge-b": "token-b" } as const;
const READ_TOKEN = "read-token";

/** POSTs `{ client }` to a lock route of a node; the status, content type and JSON body. */
async function post(base: string, path: string, body: unknown) {
  const res = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await res.text();
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`POST ${path} answered ${res.status} with no JSON: ${text}`);
  }
  return { status: res.status, type: res.headers.get("content-type"), json };
}

async function stateOf(base: string, lock: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${base}/locks/${lock}`);
  assert.equal(res.status, 200);
  return ((await res.json()) as { state: Record<string, unknown> }).state;
}

Deno.test({
  name:
    "workerd: the lease Worker bundled from the npm package guards each node inline and ships to the collector, which raises OneHolder for the two nodes",
  ...opts,
  fn: async () => {
    const lease = await compileToTemp("lease", specSource("lease"));
    let collector: CollectorProcess | null = null;
    let project: WorkerProject | null = null;
    let workerd: WorkerdProcess | null = null;
    try {
      collector = await startCollectorProcess([
        "--spec",
        `${lease.dir}/lease.js`,
        ...Object.entries(TOKENS).flatMap(([node, token]) => ["--token", `${node}=${token}`]),
        "--read-token",
        READ_TOKEN,
      ]);
      project = await buildWorkerProject({ coreWasm: `${lease.dir}/lease.core.wasm` });
      assert.ok(
        project.inputs.includes("node_modules/@vigil/vigil/mod.js") &&
          project.inputs.includes("node_modules/@vigil/vigil/runtime/hono/mod.js"),
        `the SDK comes from the installed package: ${project.inputs.join(", ")}`,
      );
      const outside = project.inputs.filter((p) =>
        p.startsWith("..") || p.startsWith("/") ||
        (p.endsWith(".ts") && !["worker.ts", "app.ts", "request_timers.ts"].includes(p))
      );
      assert.deepEqual(outside, [], "nothing but the Worker's own files and installed packages");

      workerd = await startWorkerd(project.config, {
        sockets: ["edge-a", "edge-b"],
        env: {
          VIGIL_COLLECTOR_URL: collector.base,
          VIGIL_TOKEN_A: TOKENS["edge-a"],
          VIGIL_TOKEN_B: TOKENS["edge-b"],
        },
      });
      const a = workerd.url("edge-a"), b = workerd.url("edge-b");

      const first = await post(a, "/locks/split/acquire", { client: 1 });
      assert.deepEqual(first, {
        status: 200,
        type: "application/json",
        json: { lock: "split", action: "acquire", node: "edge-a" },
      });
      const refused = await post(a, "/locks/split/acquire", { client: 2 });
      assert.equal(refused.status, 409, "the node's own guard refuses a second holder");
      assert.equal(refused.type, "application/problem+json");
      assert.equal(refused.json.guard, "require mode == free");
      assert.equal(refused.json.line, 14);
      const invalid = await post(a, "/locks/other/acquire", undefined);
      assert.equal(invalid.status, 400, "a request without a client is bad input");
      assert.equal(invalid.type, "application/problem+json");
      assert.match(String(invalid.json.detail), /parameter 'c': missing argument/);
      const second = await post(b, "/locks/split/acquire", { client: 2 });
      assert.equal(second.status, 200, "edge-b's guard has not seen edge-a's hold");
      assert.deepEqual(second.json.node, "edge-b");
      assert.deepEqual(
        [(await stateOf(a, "split")).owner, (await stateOf(b, "split")).owner],
        [1, 2],
      );

      const read = { headers: { authorization: `Bearer ${READ_TOKEN}` } };
      const api = async <T>(path: string): Promise<T> => {
        const res = await fetch(`${collector!.base}${path}`, read);
        assert.equal(res.status, 200, `GET ${path}`);
        return await res.json() as T;
      };
      const violations = await waitFor(async () => {
        const vs = await api<Violation[]>("/api/violations");
        return vs.length > 0 && vs;
      }, {
        timeoutMs: 15_000,
        intervalMs: 50,
        what: "the collector's violation",
        detail: () => `workerd:\n${workerd!.output()}\ncollector:\n${collector!.output()}`,
      });
      assert.equal(violations.length, 1);
      assert.equal(violations[0]!.property.name, "OneHolder");
      assert.equal(violations[0]!.partition, "lock:split");
      assert.deepEqual([...violations[0]!.nodes].sort(), ["edge-a", "edge-b"]);

      // Every event arrived once, in one stream per node: edge-a's refusal came with a later
      // request than its grant, and both carry the same boot with consecutive numbers.
      const nodes = await waitFor(async () => {
        const ns = await api<NodeInfo[]>("/api/nodes");
        return ns.reduce((n, x) => n + x.events, 0) === 3 && ns;
      }, { timeoutMs: 15_000, intervalMs: 50, what: "three events from the two nodes" });
      assert.deepEqual(
        nodes.map((n) => [n.node, n.events, n.duplicates, n.openHoles, n.lostEvents]).sort(),
        [["edge-a", 2, 0, 0, 0], ["edge-b", 1, 0, 0, 0]],
      );
      assert.deepEqual(nodes.find((n) => n.node === "edge-a")!.localVerdicts, { guard_failed: 1 });
      const parts = await api<PartitionInfo[]>("/api/partitions");
      const split = parts.find((p) => p.key === "lock:split");
      assert.equal(split?.status, "violated");
      assert.deepEqual(
        split.participants.map((p) => [p.node, p.seq, p.state.owner]).sort(),
        [["edge-a", 1, 1], ["edge-b", 0, 2]],
      );
    } finally {
      await workerd?.stop();
      await collector?.stop();
      await project?.remove();
      await Deno.remove(lease.dir, { recursive: true });
    }
  },
});
