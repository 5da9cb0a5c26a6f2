/**
 * Launcher support for NATS: use the server the user named, or start a
 * throwaway `nats-server -js` on a free loopback port; create a JetStream
 * stream of one run (its own name and subjects, so a run never reads the
 * events of an earlier one) and delete it afterwards.
 *
 * @module
 */
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { ensureStream } from "@vigil/vigil/jetstream";
import { freePort } from "./processes.ts";

/** A NATS server the launcher uses. */
export interface NatsHandle {
  readonly url: string;
  /** Stops the server if the launcher started it; else nothing. */
  stop(): Promise<void>;
}

/**
 * Returns `url` when given; otherwise starts `nats-server -js` (found on
 * PATH or in /usr/sbin) on a free loopback port with a temporary store.
 *
 * @example Start a throwaway server
 * ```ts ignore
 * const nats = await useNats(undefined);
 * console.log(nats.url); // nats://127.0.0.1:40123
 * await nats.stop();
 * ```
 */
export async function useNats(url: string | undefined): Promise<NatsHandle> {
  if (url !== undefined) return { url, stop: async () => {} };
  const port = freePort();
  const dir = await Deno.makeTempDir({ prefix: "vigil-example-nats-" });
  const args = ["-a", "127.0.0.1", "-p", String(port), "-js", "-sd", dir];
  let child: Deno.ChildProcess | null = null;
  for (const bin of ["nats-server", "/usr/sbin/nats-server", "/usr/local/bin/nats-server"]) {
    try {
      child = new Deno.Command(bin, { args, stdin: "null", stdout: "null", stderr: "null" })
        .spawn();
      break;
    } catch {
      // try the next location
    }
  }
  if (child === null) {
    throw new Error(
      "No '--nats' URL given and nats-server not found: install it ('apt-get install -y nats-server') or pass '--nats nats://host:4222'",
    );
  }
  const proc = child;
  for (let i = 0;; i++) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      break;
    } catch {
      if (i > 250) {
        proc.kill("SIGKILL");
        throw new Error(`nats-server did not start on port '${port}'`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  return {
    url: `nats://127.0.0.1:${port}`,
    async stop() {
      try {
        proc.kill("SIGTERM");
      } catch {
        // already gone
      }
      await proc.status;
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

/** The stream and subjects of one run. */
export interface RunStream {
  /** The NATS server URL. */
  readonly url: string;
  /** Stream name, e.g. `EX_LOCK_mx3k2a`. */
  readonly stream: string;
  /** Subject the nodes publish events on, e.g. `ex.mx3k2a.events`. */
  readonly subject: string;
  /** Prefix for the example's own messages, e.g. `ex.mx3k2a.app`. */
  readonly prefix: string;
  readonly nc: NatsConnection;
  /** Deletes the stream and closes the connection. */
  close(): Promise<void>;
}

/**
 * Connects to `url` and creates a stream for one run of example `name`.
 *
 * @example A stream for a lock-service run
 * ```ts ignore
 * const run = await createRunStream("nats://127.0.0.1:4222", "lock");
 * // nodes: --stream run.stream --subject run.subject --prefix run.prefix
 * await run.close();
 * ```
 */
export async function createRunStream(url: string, name: string): Promise<RunStream> {
  const id = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  const nc = await connect({ servers: url, name: `vigil-example-${name}-launcher` });
  const jsm = await jetstreamManager(nc);
  const stream = `EX_${name.toUpperCase()}_${id}`;
  const root = `ex.${name}.${id}`;
  await ensureStream(jsm, { name: stream, subjects: [`${root}.events`] });
  return {
    url,
    stream,
    subject: `${root}.events`,
    prefix: `${root}.app`,
    nc,
    async close() {
      await jsm.streams.delete(stream).catch(() => {});
      await nc.drain().catch(() => {});
    },
  };
}
