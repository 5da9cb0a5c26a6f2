/**
 * The batcher's status stream: flush, drop, error and refusal
 * notifications as a tagged union, delivered to any number of async iterators. Each iterator
 * buffers at most `capacity` notifications and discards the oldest beyond
 * that (the counters in `stats()` stay exact).
 *
 * @module
 */
import type { StreamId } from "../../lib/wire/event.ts";
import type { SeqRange } from "../../lib/wire/seq_ranges.ts";
import type { BatchRefusedError, Refusal } from "../transports/transport.ts";

/**
 * A batch the transport accepted.
 *
 * @example A flush notification per batch sent
 * ```ts
 * import assert from "node:assert/strict";
 * import { createBatcher } from "./batcher.ts";
 * import type { FlushStatus } from "./status.ts";
 * import { memoryTransport } from "../transports/memory.ts";
 * const batcher = createBatcher(memoryTransport());
 * const flushes: FlushStatus[] = [];
 * const watching = (async () => {
 *   for await (const s of batcher.status()) if (s.type === "flush") flushes.push(s);
 * })();
 * const event = { spec: "ab", specName: "Lease", node: "n1", boot: "b1", key: "k", wall: 1, logical: 0, action: 0, args: [], state: new Uint8Array(4), verdict: 0 };
 * batcher.push(event);
 * await batcher.close();
 * await watching;
 * assert.deepEqual(flushes.map((f) => [f.firstSeq, f.count]), [[0, 1]]);
 * ```
 */
export interface FlushStatus {
  /** Tag: a batch was sent. */
  readonly type: "flush";
  /** The stream the batch belongs to. */
  readonly stream: StreamId;
  /** Sequence number of the batch's first event. */
  readonly firstSeq: number;
  /** Events in the batch. */
  readonly count: number;
  /** Sequence numbers this batch declared dropped. */
  readonly dropped: readonly SeqRange[];
  /** Encoded size of the batch, bytes. */
  readonly bytes: number;
}

/**
 * An event dropped by the backpressure policy (its number is declared by a later batch).
 *
 * @example A drop notification names the dropped number
 * ```ts
 * import assert from "node:assert/strict";
 * import type { DropStatus } from "./status.ts";
 * const drop: DropStatus = {
 *   type: "drop",
 *   stream: { spec: "ab", specName: "Lease", node: "n1", boot: "b1" },
 *   seq: 41,
 *   policy: "dropOldest",
 * };
 * assert.equal(`${drop.stream.node}#${drop.seq}`, "n1#41");
 * ```
 */
export interface DropStatus {
  /** Tag: an event was dropped. */
  readonly type: "drop";
  /** The stream the event belonged to. */
  readonly stream: StreamId;
  /** The dropped event's sequence number. */
  readonly seq: number;
  /** The policy that dropped it. */
  readonly policy: "dropOldest" | "dropNewest";
}

/**
 * A failed send. `willRetry` false: its events are abandoned (counted in
 * `stats().abandoned`). A refused batch is a {@link RefusedStatus} instead.
 *
 * @example A failed send that will be retried
 * ```ts
 * import assert from "node:assert/strict";
 * import type { ErrorStatus } from "./status.ts";
 * const failure: ErrorStatus = {
 *   type: "error",
 *   stream: { spec: "ab", specName: "Lease", node: "n1", boot: "b1" },
 *   firstSeq: 0,
 *   count: 256,
 *   error: new Error("connection refused"),
 *   attempt: 1,
 *   willRetry: true,
 * };
 * assert.ok(failure.willRetry && failure.attempt === 1);
 * ```
 */
export interface ErrorStatus {
  /** Tag: a send failed. */
  readonly type: "error";
  /** The stream the batch belongs to. */
  readonly stream: StreamId;
  /** Sequence number of the batch's first event. */
  readonly firstSeq: number;
  /** Events in the batch. */
  readonly count: number;
  /** What the transport threw. */
  readonly error: unknown;
  /** Attempt number of this send, from 1. */
  readonly attempt: number;
  /** True when the batch will be sent again. */
  readonly willRetry: boolean;
}

/**
 * A batch refused for good (a {@link BatchRefusedError}: a wrong token, an
 * unknown spec version, a batch too large, a subject the connection may
 * not publish on): never sent again. Its events are dropped, counted in
 * `stats().refused` (the batch in `stats().refusals` by reason), and their
 * numbers declared dropped by the next batch of the stream, so the
 * collector counts them dropped rather than lost. The batcher's
 * `onRefused` option receives the same object. The {@link Refusal}
 * members say why: `reason` (e.g. `node_mismatch`), `status`, `detail`
 * (the collector's words) and `problem` (its problem details as received).
 *
 * @example The report of a batch whose token belongs to another node
 * ```ts
 * import assert from "node:assert/strict";
 * import { createBatcher } from "./batcher.ts";
 * import type { RefusedStatus } from "./status.ts";
 * import { BatchRefusedError, type Transport } from "../transports/transport.ts";
 * const refusing: Transport = {
 *   name: "http",
 *   send: () => Promise.reject(new BatchRefusedError("http", {
 *     reason: "node_mismatch",
 *     detail: "Token of node 'api-2' used for node 'api-1'",
 *     status: 401,
 *   })),
 *   close: () => Promise.resolve(),
 * };
 * const reports: RefusedStatus[] = [];
 * const lines: string[] = [];
 * const batcher = createBatcher(refusing, {
 *   onRefused: (r) => void reports.push(r),
 *   onLog: (line) => void lines.push(line),
 * });
 * const event = { spec: "ab", specName: "Lease", node: "api-1", boot: "b1", key: "k", wall: 1, logical: 0, action: 0, args: [], state: new Uint8Array(4), verdict: 0 };
 * for (let i = 0; i < 3; i++) batcher.push(event);
 * await batcher.flush();
 * assert.deepEqual(reports.map((r) => [r.reason, r.status, r.ranges]), [["node_mismatch", 401, [[0, 2]]]]);
 * assert.deepEqual(batcher.stats().refusals, { node_mismatch: 1 });
 * assert.equal(lines.length, 1);
 * await batcher.close();
 * ```
 */
export interface RefusedStatus extends Refusal {
  /** Tag: a batch was refused. */
  readonly type: "refused";
  /** The stream the batch belongs to. */
  readonly stream: StreamId;
  /** The transport's `name`. */
  readonly transport: string;
  /** Sequence number of the batch's first event. */
  readonly firstSeq: number;
  /** Events in the batch (0 for a batch that only declared drops). */
  readonly count: number;
  /** The numbers of the batch's events, now dropped (a later batch declares them). */
  readonly ranges: readonly SeqRange[];
  /** Numbers the batch was declaring dropped (a later batch declares them instead). */
  readonly declared: readonly SeqRange[];
  /** Attempt number of the refused send, from 1. */
  readonly attempt: number;
  /** What the transport threw. */
  readonly error: BatchRefusedError;
}

/**
 * What `status()` yields.
 *
 * @example Tell the notifications apart by type
 * ```ts
 * import assert from "node:assert/strict";
 * import type { BatcherStatus } from "./status.ts";
 * const describe = (s: BatcherStatus) =>
 *   s.type === "flush" ? `sent ${s.count}` : s.type === "drop" ? `dropped ${s.seq}` : `failed ${s.count}`;
 * const stream = { spec: "ab", specName: "Lease", node: "n1", boot: "b1" };
 * assert.equal(describe({ type: "drop", stream, seq: 3, policy: "dropNewest" }), "dropped 3");
 * ```
 */
export type BatcherStatus = FlushStatus | DropStatus | ErrorStatus | RefusedStatus;

class Listener {
  readonly queue: BatcherStatus[] = [];
  wake: (() => void) | null = null;
  done = false;
}

/** Fan-out of statuses to async iterators. */
export class StatusChannel {
  readonly #listeners = new Set<Listener>();
  readonly #capacity: number;
  #ended = false;

  /** Creates a channel buffering at most `capacity` statuses per listener. */
  constructor(capacity = 4096) {
    this.#capacity = capacity;
  }

  /** True when someone listens (so the caller may skip building a status). */
  get active(): boolean {
    return this.#listeners.size > 0;
  }

  /** Delivers a status to every listener. */
  emit(s: BatcherStatus): void {
    for (const l of this.#listeners) {
      if (l.queue.length >= this.#capacity) l.queue.shift();
      l.queue.push(s);
      const w = l.wake;
      l.wake = null;
      w?.();
    }
  }

  /** Ends every iterator once its queue is drained. */
  end(): void {
    this.#ended = true;
    for (const l of this.#listeners) {
      l.done = true;
      l.wake?.();
    }
  }

  /** A new async iterable of the statuses emitted from now on. */
  iterable(): AsyncIterable<BatcherStatus> {
    return {
      [Symbol.asyncIterator]: () => {
        const l = new Listener();
        if (this.#ended) l.done = true;
        else this.#listeners.add(l);
        return {
          next: async (): Promise<IteratorResult<BatcherStatus>> => {
            for (;;) {
              const s = l.queue.shift();
              if (s !== undefined) return { value: s, done: false };
              if (l.done) {
                this.#listeners.delete(l);
                return { value: undefined, done: true };
              }
              await new Promise<void>((r) => (l.wake = r));
            }
          },
          return: () => {
            this.#listeners.delete(l);
            l.done = true;
            return Promise.resolve({ value: undefined, done: true });
          },
        };
      },
    };
  }
}
