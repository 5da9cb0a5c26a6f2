/**
 * Test helper: runs a real `nats-server` (JetStream enabled, its own store
 * directory) on a free loopback port. Throws a clear error when the binary
 * is missing, so tests that need it fail rather than pass silently.
 *
 * @module
 */
import { waitFor } from "./wait.ts";

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

const CANDIDATES = [
  "nats-server",
  "/usr/sbin/nats-server",
  "/usr/bin/nats-server",
  "/usr/local/bin/nats-server",
];

async function findBinary(): Promise<string> {
  const env = Deno.env.get("NATS_SERVER");
  for (const bin of env ? [env] : CANDIDATES) {
    try {
      const out = await new Deno.Command(bin, {
        args: ["--version"],
        stdout: "null",
        stderr: "null",
      })
        .output();
      if (out.success) return bin;
    } catch {
      // not this one
    }
  }
  throw new Error(
    "nats-server not found (tried NATS_SERVER, PATH, /usr/sbin): install it with 'apt-get install -y nats-server'",
  );
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

async function waitUntilListening(
  port: number,
  child: Deno.ChildProcess,
  log: string,
): Promise<void> {
  let exited = false;
  child.status.then(() => (exited = true));
  const listening = async () => {
    if (exited) return "exited";
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      return "listening";
    } catch {
      return null;
    }
  };
  const state = await waitFor(listening, { timeoutMs: 10_000, intervalMs: 20, what: "nats-server" })
    .catch(() => "timed out");
  if (state !== "listening") {
    const tail = await Deno.readTextFile(log).catch(() => "");
    throw new Error(`nats-server did not start on port ${port} (${state}):\n${tail.slice(-2000)}`);
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
  const bin = await findBinary();
  const port = freePort();
  const storeDir = await Deno.makeTempDir({ prefix: "vigil-nats-" });
  const log = `${storeDir}/nats.log`;
  let child: Deno.ChildProcess | null = null;

  const start = async () => {
    if (child !== null) return;
    const args = ["-a", "127.0.0.1", "-p", String(port), "-js", "-sd", storeDir, "-l", log];
    child = new Deno.Command(bin, { args, stdin: "null", stdout: "null", stderr: "null" }).spawn();
    await waitUntilListening(port, child, log);
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
