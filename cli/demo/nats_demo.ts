/**
 * The NATS cluster of `vigil demo --nats <url>`: the lock server and each
 * client node run as separate processes (`cli/demo/node_process.ts`), the nodes
 * publish their events over JetStream, and the in-process collector
 * consumes them with a durable consumer (acked after apply and save).
 *
 * @module
 */
import type { CollectorService } from "../../edge/mod.ts";
import { connectNats, type NatsIngest, startNatsIngest } from "../../edge/ingest/nats.ts";
import { DEMO_DURABLE, DEMO_EVENTS_SUBJECT, demoSubjects, NODES, RACE_LOCK } from "./cluster.ts";
import type { LockServerStats } from "./lock.ts";
import type { DemoCluster } from "./sim.ts";

/** Options of {@link startNatsCluster}. */
export interface NatsClusterOptions {
  /** NATS server URL, e.g. `nats://127.0.0.1:4222`. */
  readonly url: string;
  /** The compiled bindings the node processes load (`<dir>/lease.js`). */
  readonly specPath: string;
  /** The collector service the durable consumer feeds. */
  readonly service: CollectorService;
  /** What the lock server reports (the race). */
  readonly onNote?: (text: string) => void;
}

const ROOT = new URL("../../", import.meta.url).pathname;
const NODE_ENTRY = new URL("./node_process.ts", import.meta.url).pathname;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A node process and its `ready` line. */
class NodeProcess {
  readonly child: Deno.ChildProcess;
  readonly name: string;
  readonly #stdin: WritableStreamDefaultWriter<Uint8Array>;

  constructor(name: string, args: readonly string[]) {
    this.name = name;
    this.child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--config", `${ROOT}deno.json`, NODE_ENTRY, ...args],
      cwd: ROOT,
      stdin: "piped",
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    this.#stdin = this.child.stdin.getWriter();
  }

  /** Resolves on the `ready` line; rejects when the process ends first or after `ms`. */
  async ready(ms = 60_000): Promise<void> {
    const reader = this.child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    const timer = setTimeout(() => reader.cancel().catch(() => {}), ms);
    let text = "";
    try {
      while (!text.includes("ready\n")) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`Demo node '${this.name}' ended before it was ready`);
        text += value;
      }
    } finally {
      clearTimeout(timer);
    }
    void (async () => {
      while (!(await reader.read()).done) { /* drain */ }
    })().catch(() => {});
  }

  /** Asks it to stop (SIGTERM, stdin closed); kills it after `ms`. */
  async stop(ms = 10_000): Promise<void> {
    await this.#stdin.close().catch(() => {});
    try {
      this.child.kill("SIGTERM");
    } catch { /* already gone */ }
    const timer = setTimeout(() => {
      try {
        this.child.kill("SIGKILL");
      } catch { /* gone */ }
    }, ms);
    await this.child.status;
    clearTimeout(timer);
  }
}

/** Waits until the collector's event count stops moving for `quietMs` (at most `maxMs`). */
async function settle(service: CollectorService, quietMs = 400, maxMs = 5_000): Promise<void> {
  const end = Date.now() + maxMs;
  let last = -1;
  let since = Date.now();
  while (Date.now() < end) {
    const n = service.collector.metrics().events;
    if (n !== last) [last, since] = [n, Date.now()];
    else if (Date.now() - since >= quietMs) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Connects the collector to NATS (JetStream durable consumer on the demo's
 * subject), then starts the lock server process and the three node processes.
 *
 * @example Run the demo's processes against a local nats-server
 * ```ts ignore
 * const cluster = await startNatsCluster({ url: "nats://127.0.0.1:4222", specPath, service });
 * await cluster.injectBug();
 * await cluster.stop();
 * ```
 */
export async function startNatsCluster(o: NatsClusterOptions): Promise<DemoCluster> {
  const run = crypto.randomUUID().slice(0, 8);
  const subjects = demoSubjects(run);
  const nc = await connectNats(o.url);
  const procs: NodeProcess[] = [];
  let ingest: NatsIngest | null = null;
  const stopAll = async () => {
    await Promise.all(procs.map((p) => p.stop()));
    await settle(o.service);
    await ingest?.stop();
    await o.service.persist(); // acks what was applied
    await nc.drain();
  };
  try {
    ingest = await startNatsIngest(nc, o.service, {
      subject: DEMO_EVENTS_SUBJECT,
      durable: DEMO_DURABLE,
      onError: (e) => console.error("vigil demo: NATS ingest:", e),
    });
    nc.subscribe(subjects.note, {
      callback: (err, msg) => {
        if (err === null) o.onNote?.(decoder.decode(msg.data));
      },
    });
    const base = ["--nats", o.url, "--run", run];
    const server = new NodeProcess("lock server", [...base, "--role", "server"]);
    procs.push(server);
    await server.ready();
    const clients = NODES.map((n) =>
      new NodeProcess(n.id, [...base, "--role", "client", "--node", n.id, "--spec", o.specPath])
    );
    procs.push(...clients);
    await Promise.all(clients.map((c) => c.ready()));
  } catch (e) {
    await stopAll().catch(() => {});
    throw e;
  }
  const control = async (op: string): Promise<LockServerStats> => {
    const msg = await nc.request(
      subjects.control,
      encoder.encode(JSON.stringify({ op, lock: RACE_LOCK })),
      {
        timeout: 5_000,
      },
    );
    return JSON.parse(decoder.decode(msg.data)) as LockServerStats;
  };
  return {
    injectBug: async () => void (await control("race")),
    stats: () => control("stats"),
    stop: stopAll,
  };
}
