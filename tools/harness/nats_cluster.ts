/**
 * Test and benchmark helper: a cluster of N real `nats-server` processes
 * (JetStream on, each its own temporary store directory) on free loopback
 * ports, routed to each other, as a user would run three servers. Waits
 * until every server serves and JetStream has a meta leader. One
 * server can be stopped (SIGTERM), killed (SIGKILL) and started again on
 * the same ports and store. Cleanup cannot leak: `close()` stops every
 * server and removes the stores, and a process ending without it still
 * kills the servers and removes the stores (`serverProcesses` in
 * `nats_process.ts`).
 *
 * @module
 */
import { waitFor } from "./wait.ts";
import {
  findNatsServer,
  serverProcesses,
  spawnNatsServer,
  waitServing,
  withFreePorts,
} from "./nats_process.ts";

/** One server of the cluster. */
export interface ClusterServer {
  /** Server name (`n1`, `n2`, ...). */
  readonly name: string;
  /** `nats://127.0.0.1:<port>` */
  readonly url: string;
  /** Client port. */
  readonly port: number;
  /** HTTP monitoring port (`/healthz`, `/jsz`). */
  readonly monitorPort: number;
  /** JetStream store directory (kept across stop and start). */
  readonly storeDir: string;
  /** True while its process runs. */
  readonly running: boolean;
}

/** A running cluster. */
export interface NatsCluster {
  /** The servers, in order. */
  readonly servers: readonly ClusterServer[];
  /** Every server's client URL, comma-separated (what a client's `servers` takes). */
  readonly urls: string;
  /** Stops server `i` with SIGTERM and waits for its process. */
  stop(i: number): Promise<void>;
  /** Kills server `i` with SIGKILL and waits for its process. */
  kill(i: number): Promise<void>;
  /** Starts server `i` again (same ports, same store) and waits until it serves. */
  start(i: number): Promise<void>;
  /** Waits until JetStream has a meta leader seen by every running server, and each is healthy. */
  ready(timeoutMs?: number): Promise<void>;
  /** Stops every server and removes the stores. */
  close(): Promise<void>;
}

/** Options of {@link startNatsCluster}. */
export interface NatsClusterOptions {
  /** Number of servers. Default 3. */
  readonly size?: number;
  /** Cluster name. Default `vigil`. */
  readonly name?: string;
  /** How long to wait for the cluster (meta leader elected), ms. Default 30 000. */
  readonly timeoutMs?: number;
}

/**
 * Starts a cluster of `size` nats-servers with JetStream on loopback.
 *
 * @example Three servers, one stopped and started again
 * ```ts ignore
 * import { startNatsCluster } from "./nats_cluster.ts";
 * const cluster = await startNatsCluster({ size: 3 });
 * await cluster.stop(1);
 * await cluster.start(1);
 * await cluster.close();
 * ```
 */
export async function startNatsCluster(options: NatsClusterOptions = {}): Promise<NatsCluster> {
  const bin = await findNatsServer();
  const size = options.size ?? 3;
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError(`Option 'size' must be an integer >= 1, got '${size}'`);
  }
  const clusterName = options.name ?? "vigil";
  const timeoutMs = options.timeoutMs ?? 30_000;
  // A port taken between its pick and a server's bind: the whole cluster again on fresh ports.
  return await withFreePorts(
    3 * size,
    (ports) => startOn(bin, ports, { size, clusterName, timeoutMs }),
  );
}

async function startOn(
  bin: string,
  ports: readonly number[],
  o: { readonly size: number; readonly clusterName: string; readonly timeoutMs: number },
): Promise<NatsCluster> {
  const { size, clusterName, timeoutMs } = o;
  const root = await Deno.makeTempDir({ prefix: "vigil-nats-cluster-" });
  const nodes = Array.from({ length: size }, (_, i) => ({
    name: `n${i + 1}`,
    port: ports[3 * i]!,
    clusterPort: ports[3 * i + 1]!,
    monitorPort: ports[3 * i + 2]!,
    storeDir: `${root}/n${i + 1}`,
    entry: { child: null as Deno.ChildProcess | null, dirs: i === 0 ? [root] : [] },
  }));
  for (const n of nodes) serverProcesses.add(n.entry);
  const routes = nodes.map((n) => `nats://127.0.0.1:${n.clusterPort}`).join(",");

  const healthy = async (i: number) => {
    const n = nodes[i]!;
    try {
      // Up and serving (JetStream's readiness is `ready()`: a restarted server may take a while
      // to catch up, and /healthz says so until it has).
      // Ours, not another process's on the same port: its /varz names its client port.
      const res = await fetch(`http://127.0.0.1:${n.monitorPort}/varz`);
      if (!res.ok) {
        await res.body?.cancel();
        return false;
      }
      return (await res.json() as { port?: number }).port === n.port;
    } catch {
      return false;
    }
  };
  const launch = (i: number) => {
    const n = nodes[i]!;
    if (n.entry.child !== null) return;
    const args = [
      "-a",
      "127.0.0.1",
      "-p",
      String(n.port),
      "-n",
      n.name,
      "-m",
      String(n.monitorPort),
      "--cluster_name",
      clusterName,
      "--cluster",
      `nats://127.0.0.1:${n.clusterPort}`,
      "--routes",
      routes,
      "-js",
      "-sd",
      n.storeDir,
      "-l",
      `${n.storeDir}.log`,
    ];
    n.entry.child = spawnNatsServer(bin, args);
  };
  const waitHealthy = async (i: number) => {
    const n = nodes[i]!;
    if (n.entry.child === null) throw new Error(`nats-server ${n.name} is not running`);
    await waitServing(n.entry.child, () => healthy(i), {
      what: `nats-server ${n.name}`,
      log: `${n.storeDir}.log`,
      timeoutMs,
      intervalMs: 50,
    });
  };
  const halt = async (i: number, signal: Deno.Signal) => {
    const n = nodes[i];
    if (n === undefined) throw new RangeError(`No server '${i}' in a cluster of ${size}`);
    const c = n.entry.child;
    n.entry.child = null;
    if (c === null) return;
    try {
      c.kill(signal);
    } catch {
      // already gone
    }
    await c.status;
  };
  /** The meta leader every running server reports, or null. */
  const metaLeader = async (): Promise<string | null> => {
    let leader: string | null = null;
    for (let i = 0; i < size; i++) {
      if (nodes[i]!.entry.child === null) continue;
      try {
        const res = await fetch(`http://127.0.0.1:${nodes[i]!.monitorPort}/jsz`);
        const jsz = await res.json() as { meta_cluster?: { leader?: string } };
        const l = jsz.meta_cluster?.leader ?? "";
        if (l === "" || (leader !== null && l !== leader)) return null;
        leader = l;
      } catch {
        return null;
      }
    }
    return leader;
  };
  /** True when every running server's /healthz answers 200 (JetStream current). */
  const allHealthy = async () => {
    for (let i = 0; i < size; i++) {
      if (nodes[i]!.entry.child === null) continue;
      try {
        const res = await fetch(`http://127.0.0.1:${nodes[i]!.monitorPort}/healthz`);
        await res.body?.cancel();
        if (!res.ok) return false;
      } catch {
        return false;
      }
    }
    return true;
  };
  const ready = async (ms = timeoutMs) => {
    const until = Date.now() + ms;
    await waitFor(metaLeader, {
      timeoutMs: ms,
      intervalMs: 100,
      what: "a JetStream meta leader seen by every running server",
    });
    await waitFor(allHealthy, {
      timeoutMs: Math.max(1, until - Date.now()),
      intervalMs: 100,
      what: "every running server healthy (/healthz)",
    });
  };
  const close = async () => {
    for (let i = 0; i < size; i++) await halt(i, "SIGTERM");
    await Deno.remove(root, { recursive: true }).catch(() => {});
    for (const n of nodes) serverProcesses.delete(n.entry);
  };

  try {
    for (let i = 0; i < size; i++) launch(i);
    for (let i = 0; i < size; i++) await waitHealthy(i);
    await ready();
  } catch (e) {
    await close();
    throw e;
  }
  return {
    servers: nodes.map((n) => ({
      name: n.name,
      url: `nats://127.0.0.1:${n.port}`,
      port: n.port,
      monitorPort: n.monitorPort,
      storeDir: n.storeDir,
      get running() {
        return n.entry.child !== null;
      },
    })),
    urls: nodes.map((n) => `nats://127.0.0.1:${n.port}`).join(","),
    stop: (i) => halt(i, "SIGTERM"),
    kill: (i) => halt(i, "SIGKILL"),
    async start(i) {
      if (nodes[i] === undefined) throw new RangeError(`No server '${i}' in a cluster of ${size}`);
      launch(i);
      await waitHealthy(i);
    },
    ready,
    close,
  };
}
