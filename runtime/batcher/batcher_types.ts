/**
 * The batcher's public types: options (and their defaults), counters and
 * the `Batcher` interface.
 *
 * @module
 */
import type { EventDependency, StepEvent, StreamId } from "../../lib/wire/event.ts";
import type { BatcherStatus, RefusedStatus } from "./status.ts";
import type { StateSource, StepArgs } from "../../lib/wire/encode.ts";

/**
 * Backpressure policy when `maxBuffered` events are held.
 *
 * @example Keep the oldest events when the buffer is full
 * ```ts
 * import assert from "node:assert/strict";
 * import { createBatcher } from "./batcher.ts";
 * import type { BackpressurePolicy } from "./batcher_types.ts";
 * import { memoryTransport } from "../transports/memory.ts";
 * const policy: BackpressurePolicy = "dropNewest";
 * const batcher = createBatcher(memoryTransport(), { policy, maxBuffered: 2, maxDelayMs: 60_000 });
 * const event = { spec: "ab", specName: "Lease", node: "n1", boot: "b1", key: "k", wall: 1, logical: 0, action: 0, args: [], state: new Uint8Array(4), verdict: 0 };
 * for (let i = 0; i < 3; i++) batcher.push(event);
 * assert.equal(batcher.stats().dropped, 1);
 * await batcher.close();
 * ```
 */
export type BackpressurePolicy = "block" | "dropOldest" | "dropNewest";

/**
 * Injectable timers (a fake in tests).
 *
 * @example Timers that never fire: only full batches and flush send
 * ```ts
 * import assert from "node:assert/strict";
 * import { createBatcher } from "./batcher.ts";
 * import type { Timers } from "./batcher_types.ts";
 * import { memoryTransport } from "../transports/memory.ts";
 * const timers: Timers = { setTimeout: () => 0, clearTimeout: () => {} };
 * const batcher = createBatcher(memoryTransport(), { timers });
 * const event = { spec: "ab", specName: "Lease", node: "n1", boot: "b1", key: "k", wall: 1, logical: 0, action: 0, args: [], state: new Uint8Array(4), verdict: 0 };
 * batcher.push(event);
 * assert.equal(batcher.stats().buffered, 1);
 * await batcher.flush();
 * assert.equal(batcher.stats().sent, 1);
 * await batcher.close();
 * ```
 */
export interface Timers {
  /** Runs `fn` after `ms`; returns a handle for `clearTimeout`. */
  setTimeout(fn: () => void, ms: number): unknown;
  /** Cancels a timer `setTimeout` returned. */
  clearTimeout(id: unknown): void;
}

/**
 * Options of {@link createBatcher}.
 *
 * @example Batches of at most 64 events, sent within 10 ms
 * ```ts
 * import assert from "node:assert/strict";
 * import { createBatcher } from "./batcher.ts";
 * import type { BatcherOptions } from "./batcher_types.ts";
 * import { memoryTransport } from "../transports/memory.ts";
 * const options: BatcherOptions = { maxEvents: 64, maxDelayMs: 10 };
 * const transport = memoryTransport();
 * const batcher = createBatcher(transport, options);
 * const event = { spec: "ab", specName: "Lease", node: "n1", boot: "b1", key: "k", wall: 1, logical: 0, action: 0, args: [], state: new Uint8Array(4), verdict: 0 };
 * for (let i = 0; i < 65; i++) batcher.push(event);
 * await batcher.close();
 * assert.equal(transport.delivered, 2);
 * ```
 */
export interface BatcherOptions {
  /**
   * Events per batch at most. Default 1024: a message's fixed costs (the
   * publish, the server's work per message, the collector's per batch) are
   * shared by 1024 events, while `maxDelayMs` still bounds how long an event
   * waits in a batch that is not full.
   */
  readonly maxEvents?: number;
  /** Estimated encoded bytes per batch at most. Default 512 KiB (NATS allows 1 MiB). */
  readonly maxBytes?: number;
  /**
   * Longest wait before a partial batch is sent, ms: the most batching adds
   * to an event's delay. Default 20 (at 100k events/s over 8 nodes a batch
   * of 256 filled in about 20 ms, so larger batches wait no longer than that).
   */
  readonly maxDelayMs?: number;
  /** Events held at most. Default 65 536. */
  readonly maxBuffered?: number;
  /** Default `dropOldest`. */
  readonly policy?: BackpressurePolicy;
  /** Sends in flight at most. Default 16. */
  readonly maxInFlight?: number;
  /** Base delay before re-sending a failed batch, doubled per attempt, capped at 5 s. Default 100. */
  readonly retryDelayMs?: number;
  /** How long `close()` keeps retrying failed sends before abandoning them, ms. Default 10 000. */
  readonly closeTimeoutMs?: number;
  /** Default `globalThis` timers. */
  readonly timers?: Timers;
  /**
   * Called once per refused batch (see `RefusedStatus`: the reason, the
   * status, the collector's detail, the numbers dropped). A refused batch
   * is never sent again; its numbers are declared dropped by the next
   * batch of its stream. An exception thrown here is logged, never raised.
   * Default: none (the log line still says it).
   */
  readonly onRefused?: (refusal: RefusedStatus) => void;
  /**
   * Where the batcher's log lines go: the first refused batch of each
   * reason at once with its detail, later ones of that reason as one line
   * with their count at most once per `logIntervalMs`. Default `console.error`.
   */
  readonly onLog?: (line: string) => void;
  /** Least time between two log lines about one refusal reason, ms. Default 60 000. */
  readonly logIntervalMs?: number;
}

/**
 * Default `maxEvents` of a batcher.
 *
 * @example The default batch size
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_MAX_EVENTS, resolveOptions } from "./batcher_types.ts";
 * assert.equal(resolveOptions({}).maxEvents, DEFAULT_MAX_EVENTS);
 * ```
 */
export const DEFAULT_MAX_EVENTS = 1024;

/**
 * Default `maxDelayMs` of a batcher, ms.
 *
 * @example The default age at which a partial batch is sent
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_MAX_DELAY_MS, resolveOptions } from "./batcher_types.ts";
 * assert.equal(resolveOptions({}).maxDelayMs, DEFAULT_MAX_DELAY_MS);
 * ```
 */
export const DEFAULT_MAX_DELAY_MS = 20;

function positive(name: string, v: number): number {
  if (!(v >= 1)) throw new RangeError(`Option '${name}' must be >= 1, got '${v}'`);
  return v;
}

/**
 * The options with their defaults applied, checked.
 *
 * @throws {RangeError} When a count or `logIntervalMs` is below 1, `maxDelayMs` is negative, or the policy is unknown.
 *
 * @example Defaults
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveOptions } from "./batcher_types.ts";
 * const o = resolveOptions({ maxEvents: 64 });
 * assert.equal(o.maxEvents, 64);
 * assert.equal(o.maxDelayMs, 20);
 * assert.equal(resolveOptions({}).maxEvents, 1024);
 * assert.throws(() => resolveOptions({ maxEvents: 0 }), RangeError);
 * ```
 */
export function resolveOptions(o: BatcherOptions): Required<BatcherOptions> {
  const maxEvents = positive("maxEvents", o.maxEvents ?? DEFAULT_MAX_EVENTS);
  const maxBytes = positive("maxBytes", o.maxBytes ?? 512 * 1024);
  const maxDelayMs = o.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
  if (!(maxDelayMs >= 0)) {
    throw new RangeError(`Option 'maxDelayMs' must be >= 0, got '${o.maxDelayMs}'`);
  }
  const maxBuffered = positive("maxBuffered", o.maxBuffered ?? 65_536);
  const policy = o.policy ?? "dropOldest";
  if (!["block", "dropOldest", "dropNewest"].includes(policy)) {
    throw new RangeError(`Unknown backpressure policy '${policy}'`);
  }
  return {
    maxEvents,
    maxBytes,
    maxDelayMs,
    maxBuffered,
    policy,
    maxInFlight: positive("maxInFlight", o.maxInFlight ?? 16),
    retryDelayMs: o.retryDelayMs ?? 100,
    closeTimeoutMs: o.closeTimeoutMs ?? 10_000,
    timers: o.timers ?? globalThis,
    onRefused: o.onRefused ?? (() => {}),
    onLog: o.onLog ?? ((line: string) => console.error(line)),
    logIntervalMs: positive("logIntervalMs", o.logIntervalMs ?? 60_000),
  };
}

/**
 * Counters since creation.
 *
 * @example Pushed, sent and batches after a close
 * ```ts
 * import assert from "node:assert/strict";
 * import { createBatcher } from "./batcher.ts";
 * import type { BatcherStats } from "./batcher_types.ts";
 * import { memoryTransport } from "../transports/memory.ts";
 * const batcher = createBatcher(memoryTransport());
 * const event = { spec: "ab", specName: "Lease", node: "n1", boot: "b1", key: "k", wall: 1, logical: 0, action: 0, args: [], state: new Uint8Array(4), verdict: 0 };
 * batcher.push(event);
 * batcher.push(event);
 * await batcher.close();
 * const stats: BatcherStats = batcher.stats();
 * assert.deepEqual([stats.pushed, stats.sent, stats.batches, stats.buffered], [2, 2, 1, 0]);
 * ```
 */
export interface BatcherStats {
  /** Events offered to `push` (including dropped ones). */
  readonly pushed: number;
  /** Events the transport accepted. */
  readonly sent: number;
  /** Batches the transport accepted. */
  readonly batches: number;
  /** Events dropped by the policy. */
  readonly dropped: number;
  /** Events given up: failed after `closeTimeoutMs` of `close()`, or on a closed transport. */
  readonly abandoned: number;
  /** Failed sends (refused ones included). */
  readonly errors: number;
  /** Events of refused batches (dropped; their numbers declared by a later batch). */
  readonly refused: number;
  /** Batches refused, by reason (e.g. `{ node_mismatch: 2 }`); see `RefusedStatus`. */
  readonly refusals: Readonly<Record<string, number>>;
  /** Events held now. */
  readonly buffered: number;
  /** Sends in flight now. */
  readonly inFlight: number;
}

/**
 * Batches events and ships them over a transport.
 *
 * @example Push events, close, and everything was sent
 * ```ts
 * import assert from "node:assert/strict";
 * import { createBatcher } from "./batcher.ts";
 * import type { Batcher } from "./batcher_types.ts";
 * import { memoryTransport } from "../transports/memory.ts";
 * const transport = memoryTransport();
 * const batcher: Batcher = createBatcher(transport, { maxEvents: 256 });
 * const event = { spec: "ab", specName: "Lease", node: "n1", boot: "b1", key: "k", wall: 1, logical: 0, action: 0, args: [], state: new Uint8Array(4), verdict: 0 };
 * batcher.push(event);
 * await batcher.close();
 * assert.equal(transport.delivered, 1);
 * assert.throws(() => batcher.push(event), TypeError);
 * ```
 */
export interface Batcher {
  /** Accepts one event; returns a promise only when the policy is `block` and the buffer is full. */
  push(event: StepEvent): void | Promise<void>;
  /** Sends everything buffered now and resolves when it was accepted or abandoned. */
  flush(): Promise<void>;
  /** Flushes everything, then closes the transport. Pushing afterwards throws `TypeError`. */
  close(): Promise<void>;
  /** Flush, drop, error and refusal notifications from now on. */
  status(): AsyncIterable<BatcherStatus>;
  /** Counters since the batcher was created. */
  stats(): BatcherStats;
}

/**
 * The key of the batcher's scalar push (internal to the runtime): a
 * monitor whose sink has it pushes each step as scalars, and the batcher
 * encodes the event at once, the state straight from its instance block,
 * so no event object, argument array or state copy is made.
 */
export const PUSH_STEP: unique symbol = Symbol("vigil.batcher.pushStep");

/** A state source that can also copy a block (for events that must wait, `block` policy). */
export interface StepStateSource extends StateSource {
  /** A copy of instance `inst`'s block. */
  stateBytes(inst: number): Uint8Array;
}

/**
 * The batcher's scalar push (see {@link PUSH_STEP}): a stream, then a step
 * as scalars ({@link StepArgs}, the same event as `push` of `{ ...stream,
 * key, wall, logical, action, args: [x0 .. x<n-1>], state: <inst's block>,
 * verdict }`). Returns a promise only when the policy is `block` and the
 * buffer is full.
 */
export type PushStep = (
  stream: StreamId,
  ...step: StepArgs<StepStateSource>
) => void | Promise<void>;

/**
 * The key of the batcher's dependency push (internal to the runtime): the
 * dependencies a stream's next event carries (recorded by the node clock's
 * `observe`), given just before that event's {@link PUSH_STEP}. Kept on
 * the stream until an event of it is written, so a dropped event passes
 * them on to the next.
 */
export const PUSH_DEPS: unique symbol = Symbol("vigil.batcher.pushDeps");

/** The batcher's dependency push (see {@link PUSH_DEPS}). */
export type PushDeps = (stream: StreamId, deps: readonly EventDependency[]) => void;

/** A sink taking steps as scalars (see {@link PUSH_STEP}), and their dependencies ({@link PUSH_DEPS}). */
export interface StepSink {
  readonly [PUSH_STEP]: PushStep;
  readonly [PUSH_DEPS]?: PushDeps;
}
