/**
 * Test helper: runs a real `nats-server` (JetStream enabled, its own store
 * directory) on a free loopback port. Throws a clear error when the binary
 * is missing, so tests that need it fail rather than pass silently. A port
 * another process takes between its pick and the server's bind is picked
 * again (`withFreePorts`); a server that does not start is stopped, and one
 * a test never stops is killed when the test process ends (`serverProcesses`).
 *
 * @module
 */
import {
  findNatsServer,
  serverProcesses,
  spawnNatsServer,
  waitServing,
  withFreePorts,
} from "./nats_process.ts";
import { waitFor } from "./wait.ts";

/** A running nats-server. */
export interface NatsServer {
  /** `nats://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** JetStream store directory (kept across `restart`). */
  readonly storeDir: string;
  /** Its log so far. */
  log(): Promise<string>;
  /** Stops the server (SIGTERM) and waits for the process, keeping the port and store for `start`. */
  halt(): Promise<void>;
  /** Starts it again on the same port and store and waits until it accepts connections. */
  start(): Promise<void>;
  /** `halt()` then `start()`. */
  restart(): Promise<void>;
  /**
   * Rewrites the configuration given as {@link NatsServerOptions.config} and reloads it
   * (SIGHUP), resolving once the server says it applied it (to the connected clients too).
   */
  reconfigure(config: string): Promise<void>;
  /** Stops the server and removes its store. */
  stop(): Promise<void>;
}

/** Options of {@link startNatsServer}. */
export interface NatsServerOptions {
  /**
   * Configuration file text besides the address, port and JetStream store, which the helper
   * writes (e.g. `authorization { ... }`, `max_payload: 4096`). Default: none, no file.
   */
  readonly config?: string;
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
export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServer> {
  const bin = await findNatsServer();
  return await withFreePorts(1, ([port]) => startOn(bin, port!, options));
}

async function startOn(bin: string, port: number, options: NatsServerOptions): Promise<NatsServer> {
  const storeDir = await Deno.makeTempDir({ prefix: "vigil-nats-" });
  const logFile = `${storeDir}/nats.log`;
  const confFile = `${storeDir}/nats.conf`;
  const log = () => Deno.readTextFile(logFile).catch(() => "");
  const writeConfig = (config: string) =>
    Deno.writeTextFile(
      confFile,
      `listen: 127.0.0.1:${port}\njetstream { store_dir: ${
        JSON.stringify(storeDir)
      } }\n${config}\n`,
    );
  if (options.config !== undefined) await writeConfig(options.config);
  // Killed at exit if the test never stops it (one that throws before its `try`).
  const entry = { child: null as Deno.ChildProcess | null, dirs: [storeDir] };
  serverProcesses.add(entry);
  let child: Deno.ChildProcess | null = null;
  // Ours, not another process's on the same port: its own log says it listens there.
  const bound = `Listening for client connections on 127.0.0.1:${port}`;

  const start = async () => {
    if (child !== null) return;
    const args = options.config === undefined
      ? ["-a", "127.0.0.1", "-p", String(port), "-js", "-sd", storeDir, "-l", logFile]
      : ["-c", confFile, "-l", logFile];
    const before = (await log()).split(bound).length;
    child = entry.child = spawnNatsServer(bin, args);
    await waitServing(
      child,
      async () => (await log()).split(bound).length > before && await listening(port),
      { what: `nats-server on port ${port}`, log: logFile, timeoutMs: 30_000 },
    );
  };
  const halt = async () => {
    const c = child;
    child = entry.child = null;
    if (c === null) return;
    try {
      c.kill("SIGTERM");
    } catch {
      // already gone
    }
    await c.status;
  };
  const stop = async () => {
    await halt();
    await Deno.remove(storeDir, { recursive: true }).catch(() => {});
    serverProcesses.delete(entry);
  };
  try {
    await start();
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    storeDir,
    log,
    halt,
    start,
    restart: async () => {
      await halt();
      await start();
    },
    async reconfigure(config) {
      if (options.config === undefined) {
        throw new TypeError("reconfigure() needs a server started with the 'config' option");
      }
      const c = child;
      if (c === null) throw new Error(`nats-server on port ${port} is not running`);
      // nats-server logs "Reloaded: authorization users" before it applies new permissions to
      // the connected clients, and "Reloaded server configuration" once it has: wait for that.
      const done = "Reloaded server configuration";
      const before = (await log()).split(done).length;
      await writeConfig(config);
      c.kill("SIGHUP");
      await waitFor(async () => (await log()).split(done).length > before, {
        timeoutMs: 30_000,
        what: `nats-server on port ${port} to reload its configuration`,
        detail: async () => (await log()).slice(-2000),
      });
    },
    stop,
  };
}
