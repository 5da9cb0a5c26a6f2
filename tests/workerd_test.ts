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
 * Between the Worker and the collector stands a gate, a loopback server of
 * this test that forwards `POST /ingest` while open and answers 503 while
 * closed (the collector unavailable).
 *
 * Everything listens on 127.0.0.1 free ports; every wait is bounded; every
 * process is stopped.
 */
import assert from "node:assert/strict";
import { compileToTemp, ROOT, specSource } from "../tools/harness/spec_files.ts";
import { waitFor } from "../tools/harness/wait.ts";
import type { NodeInfo, PartitionInfo, Violation } from "../edge/engine/types.ts";
import {
  type CollectorProcess,
  startCollectorProcess,
} from "../tools/harness/collector_process.ts";
import { startWorkerd, type WorkerdProcess } from "./workerd/workerd_process.ts";
import {
  buildWorkerProject,
  BUNDLE_ARGS,
  WORKER_FILES,
  type WorkerProject,
} from "./workerd/worker_project.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

const TOKENS = { "edge-a": "token-a", "edge-b": "token-b" } as const;
const READ_TOKEN = "read-token";

/** A loopback server forwarding `POST /ingest` to the collector while open, 503 while closed. */
class Gate {
  /** Forward (true) or answer 503 (false). */
  open = true;
  /** Batches answered 503. */
  refused = 0;
  readonly base: string;
  readonly #server: Deno.HttpServer<Deno.NetAddr>;

  constructor(collector: string) {
    this.#server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      async (req) => {
        const body = await req.arrayBuffer();
        if (!this.open) {
          this.refused++;
          return new Response("collector unavailable", { status: 503 });
        }
        const url = new URL(req.url);
        return await fetch(`${collector}${url.pathname}`, {
          method: req.method,
          headers: req.headers,
          body,
        });
      },
    );
    this.base = `http://127.0.0.1:${this.#server.addr.port}`;
  }

  stop(): Promise<void> {
    return this.#server.shutdown();
  }
}

/** POSTs a JSON body to a route of a node; the status, content type and JSON answer. */
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

/** The lock's state as a node's guard sees it. */
async function stateOf(base: string, lock: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${base}/locks/${lock}`);
  assert.equal(res.status, 200);
  return ((await res.json()) as { state: Record<string, unknown> }).state;
}

/** Node counters as compared: node, events, duplicates, open holes, lost events. */
function counters(nodes: readonly NodeInfo[]) {
  return nodes.map((n) => [n.node, n.events, n.duplicates, n.openHoles, n.lostEvents]).sort();
}

Deno.test("examples/worker/README.md copies the files and runs esbuild as this test does", () => {
  const readme = Deno.readTextFileSync(`${ROOT}examples/worker/README.md`).replaceAll("\\\n", " ");
  const copy = /^cp examples\/worker\/\{([^}]+)\} /m.exec(readme);
  assert.deepEqual(copy?.[1]?.split(","), [...WORKER_FILES]);
  const bundle = /^npx esbuild (.+)$/m.exec(readme);
  assert.deepEqual(bundle?.[1]?.replaceAll("'", "").split(/\s+/), [...BUNDLE_ARGS]);
});

Deno.test({
  name:
    "workerd: a request's timers and its promises' continuations do not outlive it (why the Worker's batcher uses requestTimers)",
  ...opts,
  fn: async () => {
    const config = new URL("./workerd/request_scope/config.capnp", import.meta.url).pathname;
    const workerd = await startWorkerd(config, { sockets: ["probe"] });
    try {
      const probe = workerd.url("probe");
      for (const path of ["/timer", "/promise"]) {
        const res = await fetch(`${probe}${path}`, { method: "POST" });
        assert.equal(res.status, 200, await res.text());
      }
      const later = await fetch(`${probe}/later`);
      assert.equal(later.status, 200);
      assert.deepEqual(await later.json(), { timer: false, continuation: false });
    } finally {
      await workerd.stop();
    }
  },
});

Deno.test({
  name: "workerd: the lease Worker bundled from the npm package, two nodes, a collector outside",
  ...opts,
  fn: async (t) => {
    const lease = await compileToTemp("lease", specSource("lease"));
    let collector: CollectorProcess | null = null;
    let gate: Gate | null = null;
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
      gate = new Gate(collector.base);
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
          VIGIL_COLLECTOR_URL: gate.base,
          VIGIL_TOKEN_A: TOKENS["edge-a"],
          VIGIL_TOKEN_B: TOKENS["edge-b"],
        },
      });
      const a = workerd.url("edge-a"), b = workerd.url("edge-b");
      const logs = () => `workerd:\n${workerd!.output()}\ncollector:\n${collector!.output()}`;
      const read = { headers: { authorization: `Bearer ${READ_TOKEN}` } };
      const api = async <T>(path: string): Promise<T> => {
        const res = await fetch(`${collector!.base}${path}`, read);
        assert.equal(res.status, 200, `GET ${path}`);
        return await res.json() as T;
      };
      const nodesWith = (events: number, what: string) =>
        waitFor(async () => {
          const ns = await api<NodeInfo[]>("/api/nodes");
          return ns.reduce((n, x) => n + x.events, 0) === events && ns;
        }, { timeoutMs: 15_000, intervalMs: 50, what, detail: logs });

      await t.step(
        "each node's guard grants the lock it alone sees, and the collector raises OneHolder for both",
        async () => {
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
          assert.equal(invalid.status, 422, "a request without a client is unprocessable input");
          assert.equal(invalid.type, "application/problem+json");
          assert.match(String(invalid.json.detail), /parameter 'c': missing argument/);
          const second = await post(b, "/locks/split/acquire", { client: 2 });
          assert.equal(second.status, 200, "edge-b's guard has not seen edge-a's hold");
          assert.equal(second.json.node, "edge-b");
          assert.deepEqual(
            [(await stateOf(a, "split")).owner, (await stateOf(b, "split")).owner],
            [1, 2],
          );

          const violations = await waitFor(async () => {
            const vs = await api<Violation[]>("/api/violations");
            return vs.length > 0 && vs;
          }, {
            timeoutMs: 15_000,
            intervalMs: 50,
            what: "the collector's violation",
            detail: logs,
          });
          assert.equal(violations.length, 1);
          assert.equal(violations[0]!.property.name, "OneHolder");
          assert.equal(violations[0]!.partition, "lock:split");
          assert.deepEqual([...violations[0]!.nodes].sort(), ["edge-a", "edge-b"]);

          // Every event arrived once, in one stream per node: edge-a's refusal came with a later
          // request than its grant, in the same stream with the next number.
          const nodes = await nodesWith(3, "three events from the two nodes");
          assert.deepEqual(counters(nodes), [["edge-a", 2, 0, 0, 0], ["edge-b", 1, 0, 0, 0]]);
          assert.deepEqual(nodes.find((n) => n.node === "edge-a")!.localVerdicts, {
            guard_failed: 1,
          });
          const parts = await api<PartitionInfo[]>("/api/partitions");
          const split = parts.find((p) => p.key === "lock:split");
          assert.equal(split?.status, "violated");
          assert.deepEqual(
            split.participants.map((p) => [p.node, p.seq, p.state.owner]).sort(),
            [["edge-a", 1, 1], ["edge-b", 0, 2]],
          );
        },
      );

      await t.step(
        "an event its request could not ship (collector unavailable) goes with a later request",
        async () => {
          gate!.open = false;
          const held = await post(a, "/locks/late/acquire", { client: 3 });
          assert.equal(held.status, 200, "the guard answers whether or not the collector is up");
          await waitFor(() => gate!.refused >= 3, {
            timeoutMs: 15_000,
            intervalMs: 20,
            what: "the transport's three attempts, refused",
            detail: logs,
          });
          assert.deepEqual(
            counters(await api<NodeInfo[]>("/api/nodes")),
            [["edge-a", 2, 0, 0, 0], ["edge-b", 1, 0, 0, 0]],
            "nothing got through the closed gate",
          );
          gate!.open = true;
          // Only requests run the Worker: each one runs the retries that are due by then.
          const nodes = await waitFor(async () => {
            assert.equal((await stateOf(a, "late")).owner, 3);
            const ns = await api<NodeInfo[]>("/api/nodes");
            return ns.reduce((n, x) => n + x.events, 0) === 4 && ns;
          }, {
            timeoutMs: 15_000,
            intervalMs: 50,
            what: "edge-a's held event, retried by a later request",
            detail: logs,
          });
          assert.deepEqual(counters(nodes), [["edge-a", 3, 0, 0, 0], ["edge-b", 1, 0, 0, 0]]);
          const late = await waitFor(async () => {
            const parts = await api<PartitionInfo[]>("/api/partitions");
            return parts.find((p) => p.key === "lock:late" && p.applied === 1);
          }, { timeoutMs: 15_000, intervalMs: 50, what: "the held event applied", detail: logs });
          assert.equal(late.status, "ok");
          assert.deepEqual(late.participants.map((p) => [p.node, p.seq, p.state.owner]), [
            ["edge-a", 2, 3],
          ]);
        },
      );
    } finally {
      await workerd?.stop();
      await gate?.stop();
      await collector?.stop();
      await project?.remove();
      await Deno.remove(lease.dir, { recursive: true });
    }
  },
});
