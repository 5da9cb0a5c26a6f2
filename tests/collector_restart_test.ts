/**
 * Kill and restart: `vigil collector` runs as a subprocess against a real
 * nats-server (JetStream) and a Deno KV file. Four SDK nodes publish Lease
 * events through batchers and the JetStream transport, with two injected
 * split brains (one before the kill, one after). The collector is killed
 * with SIGKILL mid-stream and restarted on the same KV file and durable
 * consumer. Its final verdicts must equal those of an uninterrupted
 * collector (a second subprocess with its own durable consumer and KV file,
 * reading the same stream), and no event may be counted twice.
 */
import assert from "node:assert/strict";
import { connect } from "@nats-io/transport-node";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { compiledDir, loadExample } from "./sdk_fixture.ts";
import { startNatsServer } from "./nats_server.ts";
import { ROOT } from "./spec_files.ts";
import { parsePrometheus } from "../edge/metrics.ts";
import type { PartitionInfo, Violation } from "../edge/types.ts";
import { createBatcher } from "../runtime/batcher.ts";
import { ensureStream, jetstreamTransport } from "../runtime/jetstream_transport.ts";
import { createNode } from "../runtime/node.ts";
import type { Batcher } from "../runtime/batcher.ts";
import type { Monitor } from "../runtime/monitor_types.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A `vigil collector` subprocess and the base URL it listens on. */
interface Child {
  readonly base: string;
  readonly process: Deno.ChildProcess;
  output(): string;
}

async function spawnCollector(args: readonly string[]): Promise<Child> {
  const process = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "cli/main.ts", "collector", "--port", "0", ...args],
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let text = "";
  const pump = async (s: ReadableStream<Uint8Array>) => {
    for await (const chunk of s.pipeThrough(new TextDecoderStream())) text += chunk;
  };
  void pump(process.stdout).catch(() => {});
  void pump(process.stderr).catch(() => {});
  const deadline = Date.now() + 30_000;
  for (;;) {
    const m = /listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(text);
    if (m !== null) return { base: m[1]!, process, output: () => text };
    if (Date.now() > deadline) {
      process.kill("SIGKILL");
      throw new Error(`Collector did not start:\n${text}`);
    }
    await sleep(20);
  }
}

async function metrics(base: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const out = new Map<string, number>();
  for (const s of parsePrometheus(text)) {
    if (Object.keys(s.labels).length === 0) out.set(s.name, s.value);
  }
  return out;
}

async function waitApplied(base: string, n: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const applied = (await metrics(base).catch(() => new Map())).get("vigil_events_applied_total");
    if (applied === n) return;
    if (Date.now() > deadline) throw new Error(`Applied ${applied}, expected ${n}`);
    await sleep(50);
  }
}

/** What must match between the two runs. */
async function verdicts(base: string) {
  const vs = await (await fetch(`${base}/api/violations`)).json() as Violation[];
  const ps = await (await fetch(`${base}/api/partitions`)).json() as PartitionInfo[];
  return {
    violations: vs.map((v) => `${v.property.name} ${v.partition} ${[...v.nodes].sort()}`).sort(),
    statuses: Object.fromEntries(ps.map((p) => [p.key, p.status]).sort()),
    applied: ps.reduce((n, p) => n + p.applied, 0),
  };
}

async function stop(child: Child, signal: Deno.Signal): Promise<void> {
  try {
    child.process.kill(signal);
  } catch {
    // already gone
  }
  await child.process.status;
}

/** Four nodes, each cycling acquire/release over its own 25 locks; split brains on demand. */
function makeNodes(
  lease: Awaited<ReturnType<typeof loadExample>>,
  js: ReturnType<typeof jetstream>,
) {
  const nodes = [0, 1, 2, 3].map((i) => ({
    i,
    ctx: createNode({ id: `node-${i}` }),
    batcher: createBatcher(jetstreamTransport(js), { maxEvents: 64, maxDelayMs: 5 }) as Batcher,
    monitors: new Map<string, Monitor>(),
  }));
  let sent = 0;
  const monitor = (n: (typeof nodes)[number], key: string) => {
    let m = n.monitors.get(key);
    if (m === undefined) {
      m = lease.monitor({ node: n.ctx, key, sink: n.batcher, mode: "observe" });
      n.monitors.set(key, m);
    }
    return m;
  };
  return {
    round(r: number) {
      for (const n of nodes) {
        const m = monitor(n, `lock:${n.i}:${r % 25}`);
        m.step("acquire", { c: n.i % 3 + 1 });
        m.step("release", { c: n.i % 3 + 1 });
        sent += 2;
      }
    },
    split(key: string) {
      monitor(nodes[0]!, key).step("acquire", { c: 1 });
      monitor(nodes[1]!, key).step("acquire", { c: 2 });
      sent += 2;
    },
    get sent() {
      return sent;
    },
    close: () => Promise.all(nodes.map((n) => n.batcher.close())),
  };
}

Deno.test({
  name:
    "A collector killed with SIGKILL mid-stream and restarted reaches the verdicts of an uninterrupted run, counting no event twice",
  ...opts,
  fn: async () => {
    const nats = await startNatsServer();
    const tmp = await Deno.makeTempDir({ prefix: "vigil-restart-" });
    const spec = `${await compiledDir("lease")}/lease.js`;
    const lease = await loadExample("lease");
    const nc = await connect({ servers: nats.url });
    const common = ["--spec", spec, "--nats", nats.url, "--window-ms", "50", "--persist-ms", "50"];
    const killedArgs = [...common, "--kv", `${tmp}/killed.kv`];
    const children: Child[] = [];
    try {
      await ensureStream(await jetstreamManager(nc));
      const nodes = makeNodes(lease, jetstream(nc));
      let child = await spawnCollector(killedArgs);
      children.push(child);
      const ROUNDS = 1500;
      let killedAt = -1;
      for (let r = 0; r < ROUNDS; r++) {
        nodes.round(r);
        if (r === 100) nodes.split("lock:split-1");
        if (r === 1200) nodes.split("lock:split-2");
        if (r % 10 === 0) await sleep(1);
        if (killedAt < 0 && r >= 600) {
          const applied = (await metrics(child.base)).get("vigil_events_applied_total") ?? 0;
          if (applied > 0) {
            await stop(child, "SIGKILL");
            killedAt = applied;
          }
        }
      }
      await nodes.close();
      assert.ok(killedAt > 0 && killedAt < nodes.sent, `killed mid-stream at ${killedAt}`);

      child = await spawnCollector(killedArgs);
      children.push(child);
      assert.match(child.output(), /restored/);
      await waitApplied(child.base, nodes.sent);
      const reference = await spawnCollector([
        ...common,
        "--kv",
        `${tmp}/reference.kv`,
        "--durable",
        "reference",
      ]);
      children.push(reference);
      await waitApplied(reference.base, nodes.sent);

      const got = await verdicts(child.base);
      const want = await verdicts(reference.base);
      assert.deepEqual(got, want);
      assert.deepEqual(want.violations, [
        "OneHolder lock:split-1 node-0,node-1",
        "OneHolder lock:split-2 node-0,node-1",
      ]);
      assert.equal(got.applied, nodes.sent);
      const m = await metrics(child.base);
      assert.equal(m.get("vigil_events_applied_total"), nodes.sent, "no event applied twice");
      assert.equal(m.get("vigil_events_accepted_total"), nodes.sent, "no event counted twice");
      assert.equal(
        m.get("vigil_gaps_total") ?? 0,
        0,
        "unacked messages came back at once, in order",
      );
      console.log(
        `killed after ${killedAt} of ${nodes.sent} events applied; ${
          m.get("vigil_duplicate_events_total")
        } redelivered duplicates dropped`,
      );
    } finally {
      for (const c of children) await stop(c, "SIGTERM");
      await nc.drain();
      await nats.stop();
      await Deno.remove(tmp, { recursive: true }).catch(() => {});
    }
  },
});
