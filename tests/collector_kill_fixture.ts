/**
 * Test helpers for the kill and restart tests: `vigil collector` as a
 * subprocess (`deno run -A cli/main.ts collector --port 0 ...`, with the
 * caller's `--kv`), as an operator runs it, with what those tests need: the
 * base URL it listens on, its metrics, its violations and partitions (all
 * pages), SIGKILL, and the events of a JetStream stream read back with the
 * reference decoder; and the rig both run against ({@link collectorRig}: a
 * nats-server with the event stream, a KV file, the collectors started,
 * the lease spec's nodes publishing through SDK batchers, all torn down at
 * the end) with the oracle's verdicts of what the stream holds
 * ({@link streamOracle}).
 *
 * @module
 */
import { connect, type NatsConnection } from "@nats-io/transport-node";
import {
  type ConsumerInfo,
  jetstream,
  type JetStreamClient,
  type JetStreamManager,
  jetstreamManager,
} from "@nats-io/jetstream";
import { ensureStream, EVENT_STREAM } from "../runtime/transports/jetstream.ts";
import { eventsOf, type OracleRun, OracleSpec, sortedMerge } from "./merge_oracle.ts";
import { type NatsServer, startNatsServer } from "../tools/harness/nats_server.ts";
import { ROOT, specSource } from "../tools/harness/spec_files.ts";
import { type ObservingNode, observingNodes } from "../tools/harness/observing_nodes.ts";
import { type Batcher, createBatcher } from "../runtime/batcher/batcher.ts";
import type { BatcherOptions } from "../runtime/batcher/batcher_types.ts";
import { type LoadedSpec, loadSpec } from "../runtime/monitor/load_spec.ts";
import { jetstreamTransport } from "../runtime/transports/jetstream.ts";
import { parsePrometheus } from "../edge/server/metrics.ts";
import type { Violation } from "../edge/engine/types.ts";
import { decodeBatch } from "../lib/wire/decode.ts";
import type { DecodedBatch } from "../lib/wire/event.ts";
import {
  type CollectorProcess,
  startCollectorProcess,
} from "../tools/harness/collector_process.ts";

export type { CollectorProcess };

/**
 * Starts `vigil collector --port 0 <args>` (the caller's `--kv`) and waits
 * until it listens (`tools/harness/collector_process.ts`, 60 s at most).
 *
 * @example Start and kill
 * ```ts ignore
 * const c = await spawnCollector(["--spec", "dist/lease.js", "--kv", "none"]);
 * await killCollector(c, "SIGKILL");
 * ```
 */
export function spawnCollector(args: readonly string[]): Promise<CollectorProcess> {
  return startCollectorProcess(args, { kvNone: false });
}

/** Sends `signal` (if still running) and waits for the process to end. */
export async function killCollector(
  c: { readonly process: Deno.ChildProcess },
  signal: Deno.Signal,
): Promise<Deno.CommandStatus> {
  try {
    c.process.kill(signal);
  } catch {
    // already gone
  }
  return await c.process.status;
}

/**
 * The collector's unlabelled metrics, plus labelled series summed by name
 * (so `vigil_batches_rejected_total` is the total over sources and reasons).
 */
export async function collectorMetrics(base: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const out = new Map<string, number>();
  for (const s of parsePrometheus(text)) out.set(s.name, (out.get(s.name) ?? 0) + s.value);
  return out;
}

/** One metric, 0 when absent. */
export async function collectorMetric(base: string, name: string): Promise<number> {
  return (await collectorMetrics(base)).get(name) ?? 0;
}

/**
 * Every item of a JSON list endpoint (`/api/violations`, `/api/partitions`),
 * following the `Link: <...>; rel="next"` pages when the collector pages it.
 */
export async function collectorList<T>(base: string, path: string): Promise<T[]> {
  const out: T[] = [];
  let next: string | null = path;
  for (let page = 0; next !== null; page++) {
    if (page >= 10_000) throw new Error(`More than 10000 pages at '${path}'`);
    const res: Response = await fetch(`${base}${next}`);
    const body = await res.json();
    if (!res.ok || !Array.isArray(body)) {
      throw new Error(`GET '${next}' answered ${res.status}: ${JSON.stringify(body)}`);
    }
    out.push(...body as T[]);
    next = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get("link") ?? "")?.[1] ?? null;
  }
  return out;
}

/** Every violation the collector keeps, oldest first. */
export function collectorViolations(base: string): Promise<Violation[]> {
  return collectorList<Violation>(base, "/api/violations");
}

/**
 * Every message of a stream, in stream order, decoded by the reference
 * decoder (`decodeBatch`), with its stream sequence number.
 */
export async function readStream(
  js: JetStreamClient,
  stream: string,
  count: number,
): Promise<{ seq: number; batch: DecodedBatch }[]> {
  const out: { seq: number; batch: DecodedBatch }[] = [];
  if (count === 0) return out;
  const consumer = await js.consumers.get(stream);
  const messages = await consumer.consume();
  const deadline = setTimeout(() => messages.close(), 30_000);
  try {
    for await (const m of messages) {
      out.push({ seq: m.seq, batch: decodeBatch(m.data) });
      if (out.length >= count) break;
    }
  } finally {
    clearTimeout(deadline);
    await messages.close();
  }
  if (out.length !== count) throw new Error(`Read ${out.length} of ${count} stream messages`);
  return out;
}

/** The collector's durable consumer on the event stream (its default name). */
export const DURABLE = "vigil-collector";

/**
 * What the kill and restart tests run `vigil collector` against: a real
 * nats-server with the event stream, a connection to it, and a KV file in
 * a directory of its own, each collector started ({@link CollectorRig.spawn})
 * on that server and file; the lease spec's nodes publish to it through
 * SDK batchers ({@link CollectorRig.nodes}).
 */
export interface CollectorRig {
  readonly nats: NatsServer;
  readonly nc: NatsConnection;
  readonly jsm: JetStreamManager;
  readonly js: JetStreamClient;
  /** `dist/lease.js`, loaded. */
  readonly lease: LoadedSpec;
  /** `--spec dist/lease.js --nats <url> --kv <dir>/collector.kv`: what every collector of the rig starts with. */
  readonly args: readonly string[];
  /** The collector's durable consumer ({@link DURABLE}) as the server sees it now. */
  consumer(): Promise<ConsumerInfo>;
  /** The messages the event stream holds. */
  messages(): Promise<number>;
  /** The first `count` messages of the event stream, decoded ({@link readStream}). */
  readBack(count: number): Promise<{ seq: number; batch: DecodedBatch }[]>;
  /** `count` nodes (`node-0` first) of the lease spec, each pushing to its own batcher (`options`) on the rig's JetStream. */
  nodes(count: number, options?: BatcherOptions): ObservingNode<Batcher>[];
  /** Starts `vigil collector` with {@link CollectorRig.args} and `more` ({@link spawnCollector}); killed by `close` if still running. */
  spawn(more?: readonly string[]): Promise<CollectorProcess>;
  /** Kills every collector started (SIGKILL), drains the connection, stops the server, removes the directory. */
  close(): Promise<void>;
}

/**
 * Starts a {@link CollectorRig} (its directory named with `prefix`); the
 * caller closes it in a `finally`.
 *
 * @example Run a collector against it
 * ```ts ignore
 * const rig = await collectorRig("vigil-kill-");
 * try {
 *   const c = await rig.spawn(["--window-ms", "50"]);
 *   await killCollector(c, "SIGKILL");
 * } finally {
 *   await rig.close();
 * }
 * ```
 */
export async function collectorRig(prefix: string): Promise<CollectorRig> {
  const nats = await startNatsServer();
  const tmp = await Deno.makeTempDir({ prefix });
  const children: CollectorProcess[] = [];
  let nc: NatsConnection | null = null;
  const close = async () => {
    for (const c of children) await killCollector(c, "SIGKILL");
    await nc?.drain();
    await nats.stop();
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
  };
  try {
    const lease = await loadSpec(`${ROOT}/dist/lease.js`);
    nc = await connect({ servers: nats.url });
    const jsm = await jetstreamManager(nc);
    await ensureStream(jsm);
    const js = jetstream(nc);
    const args = ["--spec", "dist/lease.js", "--nats", nats.url, "--kv", `${tmp}/collector.kv`];
    return {
      nats,
      nc,
      jsm,
      js,
      lease,
      args,
      consumer: () => jsm.consumers.info(EVENT_STREAM, DURABLE),
      messages: async () => (await jsm.streams.info(EVENT_STREAM)).state.messages,
      readBack: (count) => readStream(js, EVENT_STREAM, count),
      nodes: (count, options = {}) =>
        observingNodes(lease, count, {
          id: (i) => `node-${i}`,
          sink: () => createBatcher(jetstreamTransport(js), options),
        }),
      spawn: async (more = []) => {
        const c = await spawnCollector([...args, ...more]);
        children.push(c);
        return c;
      },
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}

/**
 * The independent oracle (`merge_oracle.ts`: the interpreter over the
 * HLC-sorted merge of every event, partition by partition) of the lease
 * spec, over the events of `stream` (as {@link readStream} gives them).
 */
export async function streamOracle(
  stream: readonly { readonly batch: DecodedBatch }[],
): Promise<OracleRun> {
  return sortedMerge(
    [await OracleSpec.fromSource(specSource("lease"))],
    stream.flatMap((s) => eventsOf(s.batch)),
  );
}
