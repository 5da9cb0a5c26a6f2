/**
 * The NATS cluster of `vigil demo --nats <url>`: the lock server and each
 * client node run as separate processes (`cli/demo/node_process.ts`), the nodes
 * publish their events over JetStream, and the in-process collector
 * consumes them with a durable consumer (acked after apply and save).
 *
 * @module
 */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
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

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const NODE_ENTRY = fileURLToPath(new URL("./node_process.ts", import.meta.url));
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A node process (`deno run`: the demo runs on Deno) and its `ready` line. */
class NodeProcess {
  readonly child: ChildProcess;
  readonly name: string;
  readonly #exited: Promise<void>;
  readonly #ready: Promise<void>;

  constructor(name: string, args: readonly string[]) {
    this.name = name;
    this.child = spawn(
      process.execPath,
      ["run", "-A", "--config", join(ROOT, "deno.json"), NODE_ENTRY, ...args],
      { cwd: ROOT, stdio: ["pipe", "pipe", "inherit"] },
    );
    this.#exited = new Promise((resolve) => {
      this.child.once("exit", () => resolve());
      this.child.once("error", () => resolve());
    });
    let text = "";
    this.#ready = new Promise((resolve, reject) => {
      this.child.stdout!.setEncoding("utf8");
      this.child.stdout!.on("data", (chunk: string) => {
        if (text.includes("ready\n")) return; // later output is drained and dropped
        text += chunk;
        if (text.includes("ready\n")) resolve();
      });
      void this.#exited.then(() =>
        reject(new Error(`Demo node '${name}' ended before it was ready`))
      );
    });
    this.#ready.catch(() => {}); // awaited (and reported) by ready()
  }

  /** Resolves on the `ready` line; rejects when the process ends first or after `ms`. */
  async ready(ms = 60_000): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Demo node '${this.name}' not ready after ${ms} ms`)),
        ms,
      );
    });
    try {
      await Promise.race([this.#ready, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Asks it to stop (SIGTERM, stdin closed); kills it after `ms`. */
  async stop(ms = 10_000): Promise<void> {
    this.child.stdin?.end();
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill("SIGTERM");
    }
    const timer = setTimeout(() => this.child.kill("SIGKILL"), ms);
    await this.#exited;
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
    // Everything received is applied and acked before the connection closes: a batch still in the
    // reorder window here was acked only by the service's last save, on the closed connection
    // ("saving the state failed: ClosedConnectionError" with a stack, the batch left unacked).
    o.service.collector.flush();
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
