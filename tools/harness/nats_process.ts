/**
 * Test and benchmark helper: what starting a real `nats-server` takes,
 * shared by the single server (`nats_server.ts`) and the cluster
 * (`nats_cluster.ts`): finding the binary, free loopback ports, spawning
 * it, and waiting until it serves, failing with the tail of its log when
 * it exits first or does not come up in time.
 *
 * @module
 */
import { waitFor } from "./wait.ts";

const CANDIDATES = [
  "nats-server",
  "/usr/sbin/nats-server",
  "/usr/bin/nats-server",
  "/usr/local/bin/nats-server",
];

/**
 * The `nats-server` binary: `NATS_SERVER` when set, else the first of the
 * usual places that runs.
 *
 * @throws {Error} When none runs, with the command that installs it.
 *
 * @example Find it
 * ```ts
 * import assert from "node:assert/strict";
 * import { findNatsServer } from "./nats_process.ts";
 * assert.match(await findNatsServer(), /nats-server$/);
 * ```
 */
export async function findNatsServer(): Promise<string> {
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

/**
 * `n` free loopback ports, all distinct (held open together while picked).
 *
 * @example Three distinct ports
 * ```ts
 * import assert from "node:assert/strict";
 * import { freePorts } from "./nats_process.ts";
 * const ports = freePorts(3);
 * assert.equal(new Set(ports).size, 3);
 * ```
 */
export function freePorts(n: number): number[] {
  const listeners = Array.from(
    { length: n },
    () => Deno.listen({ hostname: "127.0.0.1", port: 0 }),
  );
  const ports = listeners.map((l) => (l.addr as Deno.NetAddr).port);
  for (const l of listeners) l.close();
  return ports;
}

/**
 * A server could not bind one of its ports: another process took it between
 * {@link freePorts} picking it and the server binding it (tests and their
 * clients run in parallel; a client's connection can be given any free port
 * as its local one). {@link withFreePorts} tries again on fresh ports.
 */
export class PortTakenError extends Error {
  /** `message`: what did not start, and the server's log line. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "PortTakenError";
  }
}

/**
 * Runs `start` on `n` fresh free ports ({@link freePorts}); when it fails
 * with a {@link PortTakenError}, again on other fresh ports, `attempts`
 * times in all (default 5). Any other error, or the last attempt's, is
 * thrown as is.
 *
 * @example A port taken once, then fresh ones
 * ```ts
 * import assert from "node:assert/strict";
 * import { PortTakenError, withFreePorts } from "./nats_process.ts";
 * let tries = 0;
 * const port = await withFreePorts(1, ([p]) => {
 *   if (tries++ === 0) throw new PortTakenError(`port ${p} taken`);
 *   return Promise.resolve(p!);
 * });
 * assert.equal(tries, 2);
 * assert.ok(port > 0);
 * ```
 */
export async function withFreePorts<T>(
  n: number,
  start: (ports: number[]) => Promise<T>,
  attempts = 5,
): Promise<T> {
  for (let attempt = 1;; attempt++) {
    try {
      return await start(freePorts(n));
    } catch (e) {
      if (!(e instanceof PortTakenError) || attempt >= attempts) throw e;
    }
  }
}

/** A server process and the directories it owns, while it may run. */
export interface ServerProcess {
  /** The process, null while stopped. */
  child: Deno.ChildProcess | null;
  /** Removed with it at exit. */
  dirs: string[];
}

/**
 * The servers not stopped yet, of every helper (single servers and clusters): when the process
 * ends without stopping them (a test that threw between starting a server and its `try`, an
 * interrupted run), they are killed and their directories removed, by an `unload` listener and
 * SIGINT and SIGTERM listeners that do the same and exit. Add a server when it starts, delete it
 * once stopped.
 *
 * @example Tracked while running
 * ```ts ignore
 * const entry = { child: spawnNatsServer(bin, args), dirs: [storeDir] };
 * serverProcesses.add(entry);
 * // ... stop it, then:
 * serverProcesses.delete(entry);
 * ```
 */
export const serverProcesses: { add(e: ServerProcess): void; delete(e: ServerProcess): void } = {
  add(e) {
    installExitCleanUp();
    live.add(e);
  },
  delete: (e) => void live.delete(e),
};

const live = new Set<ServerProcess>();
let exitCleanUp = false;

function installExitCleanUp(): void {
  if (exitCleanUp) return;
  exitCleanUp = true;
  globalThis.addEventListener("unload", killAll);
  // A process stopped by a signal runs no unload listener: stop the servers first, then exit.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, () => {
      killAll();
      Deno.exit(signal === "SIGINT" ? 130 : 143);
    });
  }
}

/** Kills every live server and removes its directories, synchronously. */
function killAll(): void {
  for (const entry of live) {
    try {
      entry.child?.kill("SIGKILL");
    } catch {
      // already gone
    }
    for (const d of entry.dirs) {
      try {
        Deno.removeSync(d, { recursive: true });
      } catch {
        // already removed
      }
    }
  }
}

/**
 * Spawns `nats-server` with `args`, its output discarded (give it `-l <log>`).
 *
 * @example A server on a free port, until it serves
 * ```ts ignore
 * const child = spawnNatsServer(await findNatsServer(), ["-a", "127.0.0.1", "-p", String(port), "-l", log]);
 * await waitServing(child, () => canConnect(port), { what: "nats-server", log, timeoutMs: 10_000 });
 * ```
 */
export function spawnNatsServer(bin: string, args: readonly string[]): Deno.ChildProcess {
  return new Deno.Command(bin, { args: [...args], stdin: "null", stdout: "null", stderr: "null" })
    .spawn();
}

/** Options of {@link waitServing}. */
export interface WaitServingOptions {
  /** What is waited for, in the error (`nats-server n1`). */
  readonly what: string;
  /** The server's log file, whose tail the error shows. */
  readonly log: string;
  /** How long to wait, ms. */
  readonly timeoutMs: number;
  /** How often to ask, ms. Default 20. */
  readonly intervalMs?: number;
}

/**
 * Waits until `serving()` is true for the server process `child`.
 *
 * @throws {PortTakenError} When the process exits first because a port it was
 * given is in use (its log says `address already in use`).
 * @throws {Error} When the process exits first otherwise, or `serving()` is not true in
 * time: `<what> did not start (exited)` (or `(timed out after <ms> ms)`) and the tail of its log.
 *
 * @example Wait until a server accepts connections
 * ```ts ignore
 * await waitServing(child, async () => (await Deno.connect({ port })).close() === undefined, {
 *   what: "nats-server",
 *   log,
 *   timeoutMs: 10_000,
 * });
 * ```
 */
export async function waitServing(
  child: Deno.ChildProcess,
  serving: () => Promise<boolean>,
  options: WaitServingOptions,
): Promise<void> {
  let exited = false;
  void child.status.then(() => (exited = true));
  const state = await waitFor(async () => exited ? "exited" : (await serving()) && "serving", {
    timeoutMs: options.timeoutMs,
    intervalMs: options.intervalMs ?? 20,
    what: options.what,
  }).catch(() => `timed out after ${options.timeoutMs} ms`);
  if (state !== "serving") {
    const tail = await Deno.readTextFile(options.log).catch(() => "");
    const taken = state === "exited" && /address already in use/.exec(tail);
    const message = `${options.what} did not start (${state}):\n${tail.slice(-2000)}`;
    throw taken ? new PortTakenError(message) : new Error(message);
  }
}
