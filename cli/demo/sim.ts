/**
 * The embedded cluster of `vigil demo`: the lock server and the three client
 * nodes in this process, messages passed in memory (each hop a queued task,
 * so nodes interleave as over a network), every node's events shipped by
 * its own batcher over the in-memory transport to the in-process collector.
 *
 * @module
 */
import { createClock, memoryTransport } from "../../mod.ts";
import type { GuardError, LoadedSpec } from "../../mod.ts";
import {
  DEMO_WINDOW_MS,
  NODES,
  RACE_LOCK,
  raceWorkMs,
  SERVER_SKEW_MS,
  skewedNow,
  startNode,
} from "./cluster.ts";
import { type LockLink, LockServer, type LockServerStats } from "./lock.ts";

/** A running demo cluster (embedded or over NATS). */
export interface DemoCluster {
  /** Arms the race: the lock server grants {@link RACE_LOCK} twice. */
  injectBug(): Promise<void>;
  /** The lock server's counters (grants, denials, fenced writes). */
  stats(): Promise<LockServerStats>;
  /** Stops every node, ships what they hold, and waits for them. */
  stop(): Promise<void>;
}

/** Options of {@link startEmbeddedCluster}. */
export interface EmbeddedClusterOptions {
  readonly spec: LoadedSpec;
  /** Receives every encoded batch (the collector's ingest). */
  readonly deliver: (bytes: Uint8Array) => void;
  /** What the lock server reports (the race). */
  readonly onNote?: (text: string) => void;
  /** A node's refused step (none expected). */
  readonly onRefused?: (node: string, error: GuardError) => void;
  /** Work of the two racing holders, ms. Default: `raceWorkMs` of the embedded demo's window. */
  readonly raceWorkMs?: number;
  /** The locks the nodes contend for. Default: all the demo's (`LOCKS`). */
  readonly locks?: readonly string[];
}

/** One network hop: a queued task, so the other loops run in between (not a timer: nested timers are clamped to 4 ms). */
const hop = () => new Promise<void>((resolve) => queueMicrotask(resolve));

/**
 * Starts the lock server and the three nodes in this process.
 *
 * @example Run the embedded cluster into a collector
 * ```ts ignore
 * const cluster = startEmbeddedCluster({ spec, deliver: (b) => service.ingestBytes(b, "http") });
 * await cluster.injectBug();
 * await cluster.stop();
 * ```
 */
export function startEmbeddedCluster(o: EmbeddedClusterOptions): DemoCluster {
  const abort = new AbortController();
  const server = new LockServer({
    clock: createClock({ now: skewedNow(SERVER_SKEW_MS) }),
    raceWorkMs: o.raceWorkMs ?? raceWorkMs(DEMO_WINDOW_MS.embedded),
    ...(o.onNote === undefined ? {} : { onNote: o.onNote }),
  });
  const link: LockLink = async (req) => {
    await hop();
    const reply = server.handle(req);
    await hop();
    return reply;
  };
  const nodes = NODES.map((node) => {
    const transport = memoryTransport();
    transport.subscribe((bytes) => o.deliver(bytes));
    const onRefused = o.onRefused;
    return startNode({
      spec: o.spec,
      node,
      transport,
      link,
      signal: abort.signal,
      ...(o.locks === undefined ? {} : { locks: o.locks }),
      ...(onRefused === undefined ? {} : { onRefused: (e: GuardError) => onRefused(node.id, e) }),
    });
  });
  return {
    injectBug() {
      server.injectRace(RACE_LOCK);
      return Promise.resolve();
    },
    stats: () => Promise.resolve(server.stats),
    async stop() {
      abort.abort();
      await Promise.all(nodes.map((n) => n.done));
    },
  };
}
