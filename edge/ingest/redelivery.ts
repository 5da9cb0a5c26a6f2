/**
 * What the JetStream ingest does with a batch the service refused: which
 * reasons are worth another delivery, and after how long.
 *
 * Only `internal` (an unexpected error inside the collector) is retried:
 * the same bytes may well go through once whatever failed has passed. The
 * message is redelivered with a delay doubling per delivery, up to
 * `maxDeliveries` deliveries in all; then it is terminated like any other
 * refusal. Every other reason (`malformed`, `unknown_spec`, `invalid`,
 * `limit`, ...) depends on the bytes or on the collector's admitted state,
 * so a retry would be refused again: the message is terminated at once.
 *
 * Pure (no timers, no NATS): the ingest reads the decision and acts on it.
 *
 * @module
 */
import type { RejectReason } from "../server/ingest_problem.ts";

/**
 * Options of {@link redeliveryDelay}.
 *
 * @example Three deliveries at most
 * ```ts
 * import assert from "node:assert/strict";
 * import { redeliveryDelay, type RedeliveryOptions } from "./redelivery.ts";
 * const options: RedeliveryOptions = { maxDeliveries: 3, baseDelayMs: 100 };
 * assert.deepEqual([1, 2, 3].map((n) => redeliveryDelay("internal", n, options)), [100, 200, null]);
 * ```
 */
export interface RedeliveryOptions {
  /** Deliveries of one message at most, the first included. Default 6. */
  readonly maxDeliveries?: number;
  /** Delay before the second delivery, ms; doubled for each further one. Default 500. */
  readonly baseDelayMs?: number;
  /** Longest delay, ms. Default 30 000. */
  readonly maxDelayMs?: number;
}

/**
 * The options with their defaults, checked.
 *
 * @throws {RangeError} When `maxDeliveries` is not a positive integer or the delays are out of order.
 *
 * @example Defaults, and a bad option
 * ```ts
 * import assert from "node:assert/strict";
 * import { redeliveryOptions } from "./redelivery.ts";
 * assert.deepEqual(redeliveryOptions(), { maxDeliveries: 6, baseDelayMs: 500, maxDelayMs: 30_000 });
 * assert.throws(() => redeliveryOptions({ maxDeliveries: 0 }), RangeError);
 * ```
 */
export function redeliveryOptions(o: RedeliveryOptions = {}): Required<RedeliveryOptions> {
  const maxDeliveries = o.maxDeliveries ?? 6;
  const baseDelayMs = o.baseDelayMs ?? 500;
  const maxDelayMs = o.maxDelayMs ?? 30_000;
  if (!Number.isInteger(maxDeliveries) || maxDeliveries < 1) {
    throw new RangeError(`Option 'maxDeliveries' must be an integer >= 1, got '${maxDeliveries}'`);
  }
  if (!(baseDelayMs >= 0) || !(maxDelayMs >= baseDelayMs)) {
    throw new RangeError(
      `Options 'baseDelayMs' and 'maxDelayMs' must satisfy 0 <= base <= max, got '${baseDelayMs}' and '${maxDelayMs}'`,
    );
  }
  return { maxDeliveries, baseDelayMs, maxDelayMs };
}

/**
 * How long to wait before delivering again a message refused for `reason`
 * on its `deliveryCount`-th delivery (1 for the first), ms; `null` when the
 * message must be terminated instead.
 *
 * @example Internal errors are retried with a growing delay, then given up
 * ```ts
 * import assert from "node:assert/strict";
 * import { redeliveryDelay } from "./redelivery.ts";
 * const o = { maxDeliveries: 4, baseDelayMs: 100, maxDelayMs: 250 };
 * const delays = [1, 2, 3, 4].map((n) => redeliveryDelay("internal", n, o));
 * assert.deepEqual(delays, [100, 200, 250, null]);
 * ```
 *
 * @example Refusals that depend on the batch are never retried
 * ```ts
 * import assert from "node:assert/strict";
 * import { redeliveryDelay } from "./redelivery.ts";
 * assert.equal(redeliveryDelay("malformed", 1), null);
 * assert.equal(redeliveryDelay("limit", 1), null);
 * ```
 */
export function redeliveryDelay(
  reason: RejectReason,
  deliveryCount: number,
  options: RedeliveryOptions = {},
): number | null {
  if (reason !== "internal") return null;
  const o = redeliveryOptions(options);
  const n = Number.isInteger(deliveryCount) && deliveryCount >= 1 ? deliveryCount : 1;
  if (n >= o.maxDeliveries) return null;
  return Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** (n - 1));
}
