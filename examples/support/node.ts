/**
 * What every example process does around its own logic: connect to NATS,
 * load the compiled spec, ship events over JetStream through a batcher, and
 * follow a simple life cycle (start at once or on a `go` line on stdin;
 * stop on SIGINT/SIGTERM, a `stop` line, or after `--duration`).
 *
 * Uses only the public API (`vigil`, `vigil/jetstream`) and the NATS client.
 *
 * @module
 */
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { type Batcher, createBatcher, type LoadedSpec, loadSpec } from "@vigil/vigil";
import { ensureStream, EVENT_STREAM, jetstreamTransport } from "@vigil/vigil/jetstream";
import { ROOT } from "./processes.ts";

/** Options of {@link openNode}. */
export interface OpenNodeOptions {
  readonly name: string;
  readonly nats: string;
  /** Compiled bindings, relative to the repository root or absolute. */
  readonly spec: string;
  /** JetStream stream. Default `VIGIL_EVENTS` (created when absent). */
  readonly stream?: string | undefined;
  /** Event subject. Default `vigil.events.<spec name>`. */
  readonly subject?: string | undefined;
}

/**
 * The `parseArgs` options every NATS example process takes: `--nats`,
 * `--stream`, `--subject` (see {@link openNode}), `--bug`, `--enforce`,
 * `--duration`, `--wait-go` (see {@link lifecycle}) and `--help`. Each
 * example adds its own (`--spec` and `--prefix` with its defaults).
 */
export const NODE_FLAGS = {
  nats: { type: "string", default: "nats://127.0.0.1:4222" },
  stream: { type: "string" },
  subject: { type: "string" },
  bug: { type: "boolean", default: false },
  enforce: { type: "boolean", default: false },
  duration: { type: "string", default: "0" },
  "wait-go": { type: "boolean", default: false },
  help: { type: "boolean", default: false },
} as const;

/** A connected example process. */
export interface ExampleNode {
  readonly nc: NatsConnection;
  readonly spec: LoadedSpec;
  readonly batcher: Batcher;
  /** Flushes the events, closes the batcher and drains the connection; returns events sent. */
  close(): Promise<number>;
}

/**
 * Connects, loads the spec and makes a JetStream batcher (small batches,
 * 10 ms delay, so the collector sees events promptly).
 *
 * @example Open a node
 * ```ts ignore
 * const node = await openNode({ name: "client-1", nats: "nats://127.0.0.1:4222", spec: "dist/lease.js" });
 * const m = node.spec.monitor({ node: "client-1", key: "lock:orders", sink: node.batcher });
 * await node.close();
 * ```
 */
export async function openNode(options: OpenNodeOptions): Promise<ExampleNode> {
  const path = options.spec.startsWith("/") ? options.spec : `${ROOT}${options.spec}`;
  const spec = await loadSpec(path);
  const nc = await connect({ servers: options.nats, name: options.name });
  const stream = options.stream ?? EVENT_STREAM;
  if (options.stream === undefined) await ensureStream(await jetstreamManager(nc));
  const transport = jetstreamTransport(jetstream(nc), {
    stream,
    ...(options.subject === undefined ? {} : { subject: options.subject }),
  });
  const batcher = createBatcher(transport, { maxEvents: 256, maxDelayMs: 10 });
  return {
    nc,
    spec,
    batcher,
    async close() {
      await batcher.close();
      await nc.drain();
      return batcher.stats().sent;
    },
  };
}

/** Options of {@link lifecycle}. */
export interface LifecycleOptions {
  /** Wait for a `go` line on stdin before starting. */
  readonly waitGo: boolean;
  /** Stop on its own after this many ms (0: never). */
  readonly durationMs: number;
}

/** When to start and when to stop. */
export interface Lifecycle {
  /** Resolves when the process may start (at once, or on `go`). */
  readonly started: Promise<void>;
  /** Resolves with the reason when the process should stop. */
  readonly stopped: Promise<string>;
  /** True once `stopped` resolved. */
  readonly stopping: boolean;
}

/**
 * Follows stdin (`go`, `stop`), SIGINT/SIGTERM and a duration.
 *
 * @example Run until told to stop
 * ```ts ignore
 * const life = lifecycle({ waitGo: false, durationMs: 0 });
 * await life.started;
 * await life.stopped;
 * ```
 */
export function lifecycle(options: LifecycleOptions): Lifecycle {
  let go = () => {};
  let stop = (_reason: string) => {};
  let stopping = false;
  const started = new Promise<void>((r) => (go = r));
  const stopped = new Promise<string>((r) => (stop = r)).then((reason) => {
    stopping = true;
    return reason;
  });
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(sig, () => {
      go();
      stop(sig);
    });
  }
  if (options.waitGo) {
    void (async () => {
      for await (const chunk of Deno.stdin.readable.pipeThrough(new TextDecoderStream())) {
        if (/\bgo\b/.test(chunk)) go();
        if (/\bstop\b/.test(chunk)) {
          go();
          stop("stop");
        }
      }
    })().catch(() => {});
  } else go();
  void started.then(() => {
    if (options.durationMs > 0) setTimeout(() => stop("duration"), options.durationMs);
  });
  return {
    started,
    stopped,
    get stopping() {
      return stopping;
    },
  };
}

/** A promise that resolves after `ms`. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
