/**
 * Errors the collector core throws for input the app must refuse. All are
 * thrown by `Collector.ingest` before anything of the batch changes:
 * - {@link UnknownSpecError} and {@link InvalidBatchError}: the batch is
 *   wrong (an HTTP 400 problem; a terminated JetStream message);
 * - {@link LimitError}: the batch is valid but would pass one of the
 *   collector's limits (`maxPartitions`, `maxNodes`, `maxBootsPerNode`,
 *   `maxParticipants`, `maxNewBootsPerMinute`): an HTTP 429 problem
 *   (`reason` `limit`, naming the limit), logged once per limit; over
 *   JetStream a terminated and counted message, since redelivering it
 *   would be refused again.
 *
 * @module
 */
import type { LimitName } from "./limits.ts";

/** A batch names a spec hash the collector does not serve. */
export class UnknownSpecError extends Error {
  /** The unknown spec hash. */
  readonly spec: string;
  /** The spec name the batch carried (may be empty). */
  readonly specName: string;
  /**
   * Creates the error for a spec hash and name.
   *
   * @example Refuse a batch
   * ```ts
   * import assert from "node:assert/strict";
   * import { UnknownSpecError } from "./errors.ts";
   * const e = new UnknownSpecError("ab12", "Lease");
   * assert.equal(e.message, "Unknown spec 'Lease' (hash 'ab12')");
   * ```
   */
  constructor(spec: string, specName: string) {
    super(`Unknown spec '${specName}' (hash '${spec}')`);
    this.name = "UnknownSpecError";
    this.spec = spec;
    this.specName = specName;
  }
}

/** A well-formed batch that does not fit its spec (state block size, action index, verdict code). */
export class InvalidBatchError extends Error {
  /** Where in the batch, e.g. `ev[3].state`. */
  readonly at: string;
  /**
   * Creates the error with the location and the problem.
   *
   * @example Describe a bad event
   * ```ts
   * import assert from "node:assert/strict";
   * import { InvalidBatchError } from "./errors.ts";
   * const e = new InvalidBatchError("ev[3].state", "expected 16 bytes, got 8");
   * assert.equal(e.message, "Invalid batch at 'ev[3].state': expected 16 bytes, got 8");
   * ```
   */
  constructor(at: string, problem: string) {
    super(`Invalid batch at '${at}': ${problem}`);
    this.name = "InvalidBatchError";
    this.at = at;
  }
}

/**
 * A valid batch refused because admitting it would pass one of the
 * collector's limits (see `limits.ts`). Nothing of the batch was applied;
 * what the collector already holds keeps being served, so batches that
 * create nothing new are still admitted.
 */
export class LimitError extends Error {
  /** The limit option the batch would pass, e.g. `maxPartitions`. */
  readonly limit: LimitName;
  /** The configured value of that limit. */
  readonly max: number;
  /** What the batch would have created, e.g. `batch from node 'n1' would add 3 partitions to 100000`. */
  readonly detail: string;
  /**
   * Creates the error for a limit, its value and what the batch would create.
   *
   * @example Name the limit
   * ```ts
   * import assert from "node:assert/strict";
   * import { LimitError } from "./errors.ts";
   * const e = new LimitError("maxNodes", 2, "batch from new node 'n3' with 2 nodes known");
   * assert.equal(e.limit, "maxNodes");
   * assert.equal(e.message, "Collector limit 'maxNodes' (2) reached: batch from new node 'n3' with 2 nodes known");
   * ```
   */
  constructor(limit: LimitName, max: number, detail: string) {
    super(`Collector limit '${limit}' (${max}) reached: ${detail}`);
    this.name = "LimitError";
    this.limit = limit;
    this.max = max;
    this.detail = detail;
  }
}
