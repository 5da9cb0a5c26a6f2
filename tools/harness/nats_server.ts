/**
 * Test helper: runs a real `nats-server` (JetStream enabled, its own store
 * directory) on a free loopback port. Throws a clear error when the binary
 * is missing, so tests that need it fail rather than pass silently.
 *
 * @module
 */
import { findNatsServer, freePorts, spawnNatsServer, waitServing } from "./nats_process.ts";

/** A running nats-server. */
export interface NatsServer {
  /** `nats://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** JetStream store directory (kept across `restart`). */
  readonly storeDir: string;
  /** Stops the server (SIGTERM) and waits for the process, keeping the port and store for `start`. */
  halt(): Promise<void>;
  /** Starts it again on the same port and store and waits until it accepts connections. */
  start(): Promise<void>;
  /** `halt()` then `start()`. */
  restart(): Promise<void>;
  /** Stops the server and removes its store. */
  stop(): Promise<void>;
}

/** True when something accepts connections on the loopback port. */
async function listening(port: number): Promise<boolean> {
  try {
    (await Deno.connect({ hostname: "127.0.0.1", port })).close();
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts a nats-server with JetStream on a free loopback port.
 *
 * @example Start and stop
 * ```ts ignore
 * const server = await startNatsServer();
 * await server.stop();
 * ```
 */
export async function startNatsServer(): Promise<NatsServer> {
  const bin = await findNatsServer();
  const [port] = freePorts(1) as [number];
  const storeDir = await Deno.makeTempDir({ prefix: "vigil-nats-" });
  const log = `${storeDir}/nats.log`;
  let child: Deno.ChildProcess | null = null;

  const start = async () => {
    if (child !== null) return;
    const args = ["-a", "127.0.0.1", "-p", String(port), "-js", "-sd", storeDir, "-l", log];
    child = spawnNatsServer(bin, args);
    await waitServing(child, () => listening(port), {
      what: `nats-server on port ${port}`,
      log,
      timeoutMs: 10_000,
    });
  };
  const halt = async () => {
    const c = child;
    child = null;
    if (c === null) return;
    try {
      c.kill("SIGTERM");
    } catch {
      // already gone
    }
    await c.status;
  };
  await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    storeDir,
    halt,
    start,
    restart: async () => {
      await halt();
      await start();
    },
    stop: async () => {
      await halt();
      await Deno.remove(storeDir, { recursive: true }).catch(() => {});
    },
  };
}
