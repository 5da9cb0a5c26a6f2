/**
 * The demo's cluster: three client nodes and a lock server, their skewed
 * clocks, the locks they contend for, and how one node runs (one loop per
 * lock, one monitor per lock, one batcher for all). Shared by the embedded
 * mode (every node in this process) and the NATS mode (one process each).
 *
 * @module
 */
import { createBatcher, createClock, createNode } from "../../mod.ts";
import type { Batcher, GuardError, LoadedSpec, Transport } from "../../mod.ts";
import { type LockLink, runClient } from "./lock.ts";
import { EVENT_SUBJECT_PREFIX } from "../../lib/wire/subjects.ts";

/** One client node of the demo. */
export interface DemoNode {
  /** Node id in the event streams, e.g. `node-1`. */
  readonly id: string;
  /** The spec's `Client` value (1..3). */
  readonly client: number;
  /** How far its wall clock is off, ms (on purpose: causal order must not depend on it). */
  readonly skewMs: number;
}

/** The three client nodes, clocks skewed by up to ±500 ms. */
export const NODES: readonly DemoNode[] = [
  { id: "node-1", client: 1, skewMs: 480 },
  { id: "node-2", client: 2, skewMs: -500 },
  { id: "node-3", client: 3, skewMs: 230 },
];

/** The lock server's clock skew, ms. */
export const SERVER_SKEW_MS = -310;

/**
 * The collector's clock error bound S, ms (`maxSkewMs`, `vigil collector
 * --max-skew`): every skew above is within it of the machine's clock, so
 * the collector's causal verdicts may rule out an overlap by wall time only
 * when the walls differ by more than 2S.
 */
export const DEMO_MAX_SKEW_MS = 500;

/**
 * The collector's reorder window, ms: generous, so a loaded machine (or NATS) delaying one node's
 * events does not merge them late; an alert then comes about this long after its events.
 */
export const DEMO_WINDOW_MS: { readonly embedded: number; readonly nats: number } = {
  embedded: 500,
  nats: 1_000,
};

/**
 * How long the two racing holders work, ms, for a collector with reorder window `windowMs`: 3S
 * plus the window, halfway between the 2S by which the holds must overlap for the collector to
 * prove them concurrent by physical time (a `definitely` verdict) and its raise point, 4S plus
 * two windows after the detection, after which it takes ends as unknown (a hold still going then
 * is judged `possibly`). 2 s embedded, 2.5 s over NATS: a second of margin either way for late
 * timers on a loaded machine.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEMO_WINDOW_MS, raceWorkMs } from "./cluster.ts";
 * assert.equal(raceWorkMs(DEMO_WINDOW_MS.embedded), 2_000);
 * ```
 */
export function raceWorkMs(windowMs: number): number {
  return 3 * DEMO_MAX_SKEW_MS + windowMs;
}

/** The locks (one partition each at the collector). */
export const LOCKS: readonly string[] = [
  "lock:orders",
  "lock:payments",
  "lock:inventory",
  "lock:shipping",
  "lock:invoices",
  "lock:reports",
];

/** The lock whose grants race when the bug is injected. */
export const RACE_LOCK = "lock:orders";

/** A wall clock `skewMs` off the machine's. */
export function skewedNow(skewMs: number): () => number {
  return () => Date.now() + skewMs;
}

/** Describes the skews for the terminal. */
export function describeSkews(): string {
  const ms = (n: number) => `${n >= 0 ? "+" : ""}${n} ms`;
  return [...NODES.map((n) => `${n.id} ${ms(n.skewMs)}`), `lock server ${ms(SERVER_SKEW_MS)}`]
    .join(", ");
}

/** Options of {@link startNode}. */
export interface StartNodeOptions {
  readonly spec: LoadedSpec;
  readonly node: DemoNode;
  /** Where the node's events go (a new batcher is made over it). */
  readonly transport: Transport;
  /** How the node talks to the lock server. */
  readonly link: LockLink;
  readonly signal: AbortSignal;
  /** Locks to contend for. Default {@link LOCKS}. */
  readonly locks?: readonly string[];
  readonly onRefused?: (error: GuardError) => void;
}

/** A running node: its loops end when the signal aborts; `done` then flushes and closes. */
export interface RunningNode {
  readonly batcher: Batcher;
  /** Resolves once every loop ended and the batcher shipped what it held. */
  readonly done: Promise<void>;
}

/**
 * Starts one client node: a node context with a skewed clock, one monitor
 * per lock (enforce mode: the node's own view of the lease) and a loop per
 * lock.
 */
export function startNode(o: StartNodeOptions): RunningNode {
  const ctx = createNode({
    id: o.node.id,
    clock: createClock({ now: skewedNow(o.node.skewMs) }),
  });
  const batcher = createBatcher(o.transport, { maxEvents: 256, maxDelayMs: 20 });
  const loops = (o.locks ?? LOCKS).map((lock) =>
    runClient({
      client: o.node.client,
      lock,
      monitor: o.spec.monitor({ node: ctx, key: lock, sink: batcher }),
      link: o.link,
      signal: o.signal,
      ...(o.onRefused === undefined ? {} : { onRefused: o.onRefused }),
    })
  );
  const done = (async () => {
    try {
      await Promise.all(loops);
    } finally {
      await batcher.close();
    }
  })();
  return { batcher, done };
}

/** The subject the demo's nodes publish their events on (in stream `VIGIL_EVENTS`). */
export const DEMO_EVENTS_SUBJECT = `${EVENT_SUBJECT_PREFIX}.demo`;

/** The durable consumer of the demo's collector (resumes after its ack floor: a new run sees new events only). */
export const DEMO_DURABLE = "vigil-demo";

/** The NATS subjects of one demo run: lock requests, control (bug, stats), server notes. */
export function demoSubjects(run: string): { lock: string; control: string; note: string } {
  return {
    lock: `vigil.demo.${run}.lock`,
    control: `vigil.demo.${run}.control`,
    note: `vigil.demo.${run}.note`,
  };
}
