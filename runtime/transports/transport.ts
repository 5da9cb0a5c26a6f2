/**
 * The carrier of encoded batches: one interface, one implementation per
 * carrier (memory, NATS core, JetStream, HTTP), one error class per failure,
 * each with the underlying `cause`.
 *
 * @module
 */
import type { BatchMeta } from "../../lib/wire/event.ts";

export type { BatchMeta } from "../../lib/wire/event.ts";

/**
 * Carries encoded batches to the collector.
 *
 * @example A transport that keeps what it is sent
 * ```ts
 * import assert from "node:assert/strict";
 * import type { BatchMeta, Transport } from "./transport.ts";
 * const sent: BatchMeta[] = [];
 * const transport: Transport = {
 *   name: "list",
 *   send: (_batch, meta) => {
 *     sent.push(meta);
 *     return Promise.resolve();
 *   },
 *   close: () => Promise.resolve(),
 * };
 * await transport.send(new Uint8Array([1]), {
 *   spec: "ab",
 *   specName: "Lease",
 *   node: "n1",
 *   boot: "b1",
 *   firstSeq: 0,
 *   count: 1,
 * });
 * assert.equal(sent[0]?.firstSeq, 0);
 * ```
 */
export interface Transport {
  /** Carrier name for status and errors, e.g. `nats`, `jetstream`, `http`, `memory`. */
  readonly name: string;
  /**
   * Sends one encoded batch. Resolves when the carrier accepted it (core NATS:
   * handed to the connection; JetStream: acked by the stream; HTTP: 2xx;
   * memory: delivered to the subscribers). Rejects with a {@link TransportError}.
   */
  send(batch: Uint8Array, meta: BatchMeta): Promise<void>;
  /** Waits for sends in flight, flushes the carrier and refuses further sends. */
  close(): Promise<void>;
}

/**
 * Base class of transport failures.
 *
 * @example Catch every transport failure with one check
 * ```ts
 * import assert from "node:assert/strict";
 * import { DeliveryError, TransportClosedError, TransportError } from "./transport.ts";
 * const failures = [new TransportClosedError("memory"), new DeliveryError("nats", 3)];
 * assert.ok(failures.every((e) => e instanceof TransportError));
 * assert.deepEqual(failures.map((e) => e.transport), ["memory", "nats"]);
 * ```
 */
export class TransportError extends Error {
  /** The transport's `name`. */
  readonly transport: string;
  /** Creates the error for the named transport. */
  constructor(message: string, transport: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "TransportError";
    this.transport = transport;
  }
}

/**
 * A send after `close()`.
 *
 * @example A send after close is refused
 * ```ts
 * import assert from "node:assert/strict";
 * import { memoryTransport } from "./memory.ts";
 * import { TransportClosedError } from "./transport.ts";
 * const transport = memoryTransport();
 * await transport.close();
 * const meta = { spec: "ab", specName: "Lease", node: "n1", boot: "b1", firstSeq: 0, count: 1 };
 * await assert.rejects(transport.send(new Uint8Array([1]), meta), TransportClosedError);
 * ```
 */
export class TransportClosedError extends TransportError {
  /** Creates the error for the named transport. */
  constructor(transport: string, options?: ErrorOptions) {
    super(`Transport '${transport}' is closed`, transport, options);
    this.name = "TransportClosedError";
  }
}

/**
 * No acknowledgement within the timeout, after every retry.
 *
 * @example What a timed-out publish reports
 * ```ts
 * import assert from "node:assert/strict";
 * import { PublishTimeoutError } from "./transport.ts";
 * const e = new PublishTimeoutError("jetstream", 4, 5000);
 * assert.equal(e.message, "No acknowledgement from 'jetstream' within 5000 ms after 4 attempts");
 * assert.equal(e.attempts, 4);
 * ```
 */
export class PublishTimeoutError extends TransportError {
  /** Attempts made. */
  readonly attempts: number;
  /** Timeout of each attempt in ms. */
  readonly timeoutMs: number;
  /** Creates the error; `cause` is the last attempt's failure. */
  constructor(transport: string, attempts: number, timeoutMs: number, options?: ErrorOptions) {
    super(
      `No acknowledgement from '${transport}' within ${timeoutMs} ms after ${attempts} attempts`,
      transport,
      options,
    );
    this.name = "PublishTimeoutError";
    this.attempts = attempts;
    this.timeoutMs = timeoutMs;
  }
}

/**
 * An HTTP answer that may pass (5xx, 408, 429) still not 2xx after every
 * retry. A 4xx that retrying cannot fix is a {@link BatchRefusedError}.
 *
 * @example What an HTTP send still failing after its retries reports
 * ```ts
 * import assert from "node:assert/strict";
 * import { HttpStatusError } from "./transport.ts";
 * const e = new HttpStatusError("http", 503, 5);
 * assert.equal(e.status, 503);
 * assert.equal(e.message, "Collector answered HTTP 503 after 5 attempts");
 * ```
 */
export class HttpStatusError extends TransportError {
  /** The HTTP status of the last answer. */
  readonly status: number;
  /** Attempts made. */
  readonly attempts: number;
  /** Creates the error from the status and the number of attempts. */
  constructor(transport: string, status: number, attempts: number, options?: ErrorOptions) {
    super(`Collector answered HTTP ${status} after ${attempts} attempts`, transport, options);
    this.name = "HttpStatusError";
    this.status = status;
    this.attempts = attempts;
  }
}

/**
 * What {@link BatchRefusedError} says about a refusal besides the transport.
 *
 * @example The refusal of a batch whose token belongs to another node
 * ```ts
 * import assert from "node:assert/strict";
 * import { BatchRefusedError, type Refusal } from "./transport.ts";
 * const refusal: Refusal = {
 *   reason: "node_mismatch",
 *   detail: "Token of node 'api-2' used for node 'api-1'",
 *   status: 401,
 * };
 * assert.equal(new BatchRefusedError("http", refusal).status, 401);
 * ```
 */
export interface Refusal {
  /**
   * Why, as one stable word: the collector's problem reason (`node_mismatch`,
   * `unknown_spec`, `too_large`, ...), `http_<status>` for an answer
   * without one, `permission` for a NATS permission violation,
   * `jetstream_<code>` for a JetStream API error.
   */
  readonly reason: string;
  /** The refusal in words: the problem's `detail`, or the carrier's message. */
  readonly detail: string;
  /** The HTTP status, or the JetStream API error's status; absent for a NATS permission violation. */
  readonly status?: number;
  /** The problem details (`application/problem+json`) the collector answered, as received. */
  readonly problem?: Readonly<Record<string, unknown>>;
}

/**
 * The carrier or the collector refused the batch for good: sending it
 * again would be refused again (a wrong token, an unknown spec version, a
 * batch too large, a subject the connection may not publish on, a stream
 * that refuses it). The batcher never retries such a batch: it reports,
 * counts and logs it, and declares its numbers dropped in a later batch.
 *
 * @example Tell a refusal from a failure worth retrying
 * ```ts
 * import assert from "node:assert/strict";
 * import { BatchRefusedError, DeliveryError, TransportError } from "./transport.ts";
 * const refused = new BatchRefusedError("http", {
 *   reason: "unknown_spec",
 *   detail: "Unknown spec hash 'ab12'",
 *   status: 400,
 * });
 * assert.ok(refused instanceof TransportError);
 * assert.equal(refused.message, "Batch refused over 'http' (unknown_spec, status 400): Unknown spec hash 'ab12'");
 * assert.ok(!(new DeliveryError("http", 5) instanceof BatchRefusedError));
 * ```
 */
export class BatchRefusedError extends TransportError implements Refusal {
  /** Why, as one stable word (see {@link Refusal.reason}). */
  readonly reason: string;
  /** The refusal in words. */
  readonly detail: string;
  /** The HTTP status, or the JetStream API error's status. */
  readonly status?: number;
  /** The problem details the collector answered, as received. */
  readonly problem?: Readonly<Record<string, unknown>>;
  /** Creates the error for the named transport. */
  constructor(transport: string, refusal: Refusal, options?: ErrorOptions) {
    const status = refusal.status === undefined ? "" : `, status ${refusal.status}`;
    const detail = refusal.detail === "" ? "" : `: ${refusal.detail}`;
    super(
      `Batch refused over '${transport}' (${refusal.reason}${status})${detail}`,
      transport,
      options,
    );
    this.name = "BatchRefusedError";
    this.reason = refusal.reason;
    this.detail = refusal.detail;
    if (refusal.status !== undefined) this.status = refusal.status;
    if (refusal.problem !== undefined) this.problem = refusal.problem;
  }
}

/**
 * Any other failure to hand a batch over (network error, no responders, subscriber threw).
 *
 * @example The last attempt's failure is the cause
 * ```ts
 * import assert from "node:assert/strict";
 * import { DeliveryError } from "./transport.ts";
 * const cause = new Error("no responders");
 * const e = new DeliveryError("nats", 2, { cause });
 * assert.equal(e.cause, cause);
 * assert.equal(e.message, "Delivery over 'nats' failed after 2 attempts: no responders");
 * ```
 */
export class DeliveryError extends TransportError {
  /** Attempts made. */
  readonly attempts: number;
  /** Creates the error; `cause` is the last attempt's failure. */
  constructor(transport: string, attempts: number, options?: ErrorOptions) {
    const why = options?.cause instanceof Error ? `: ${options.cause.message}` : "";
    super(
      `Delivery over '${transport}' failed after ${attempts} attempts${why}`,
      transport,
      options,
    );
    this.name = "DeliveryError";
    this.attempts = attempts;
  }
}

/**
 * Exponential backoff with full jitter: a delay in `[0, base * 2^attempt)`,
 * capped at 30 s. `random` is injectable for tests.
 *
 * @example Delay before the third attempt
 * ```ts
 * import assert from "node:assert/strict";
 * import { backoffDelay } from "./transport.ts";
 * assert.equal(backoffDelay(2, 100, () => 0.5), 200); // half of 100 * 2^2
 * assert.equal(backoffDelay(20, 100, () => 0.5), 15_000); // capped at 30 s
 * ```
 */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  random: () => number = Math.random,
): number {
  return Math.min(30_000, baseMs * 2 ** attempt) * random();
}

/**
 * A sleep function (injectable so tests need not wait).
 *
 * @example A sleep that returns at once (tests)
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Sleep } from "./transport.ts";
 * const waited: number[] = [];
 * const sleep: Sleep = (ms) => {
 *   waited.push(ms);
 *   return Promise.resolve();
 * };
 * await sleep(100);
 * assert.deepEqual(waited, [100]);
 * ```
 */
export type Sleep = (ms: number) => Promise<void>;

/**
 * The default sleep: a `setTimeout` promise.
 *
 * @example Wait
 * ```ts
 * import assert from "node:assert/strict";
 * import { sleep } from "./transport.ts";
 * const order: string[] = [];
 * const slept = sleep(5).then(() => order.push("slept 5 ms"));
 * await Promise.resolve().then(() => order.push("went on at once"));
 * await slept;
 * assert.deepEqual(order, ["went on at once", "slept 5 ms"]);
 * ```
 */
export const sleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The close discipline of a transport whose sends take time: a send after
 * `close()` is rejected with {@link TransportClosedError}, and `close()`
 * resolves once every send started before it has settled.
 *
 * @example Track the sends of a transport
 * ```ts
 * import assert from "node:assert/strict";
 * import { InFlightSends, TransportClosedError } from "./transport.ts";
 * const sends = new InFlightSends("example");
 * let settled = false;
 * void sends.start(() => new Promise<void>((r) => setTimeout(r, 1)).then(() => void (settled = true)));
 * await sends.close(); // waits for the send started before it
 * assert.equal(settled, true);
 * await assert.rejects(sends.start(() => Promise.resolve()), TransportClosedError);
 * ```
 */
export class InFlightSends {
  readonly #transport: string;
  readonly #pending = new Set<Promise<void>>();
  #closed = false;

  /** Sends of the transport named `transport` (for the error). */
  constructor(transport: string) {
    this.#transport = transport;
  }

  /** True once `close()` was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Starts `send` and tracks it until it settles; rejects at once after `close()`. */
  start(send: () => Promise<void>): Promise<void> {
    if (this.#closed) return Promise.reject(new TransportClosedError(this.#transport));
    const p = send();
    const tracked = p.catch(() => {}).finally(() => this.#pending.delete(tracked));
    this.#pending.add(tracked);
    return p;
  }

  /** Refuses further sends; resolves when every send started before has settled. */
  async close(): Promise<void> {
    this.#closed = true;
    while (this.#pending.size > 0) await Promise.all(this.#pending);
  }
}
