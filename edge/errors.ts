/**
 * Errors the collector core throws for input the app must refuse (an HTTP
 * 400 problem, a terminated JetStream message). Both are thrown by
 * `Collector.ingest` before anything changes.
 *
 * @module
 */

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
   * import { UnknownSpecError } from "./errors.ts";
   * const e = new UnknownSpecError("ab12", "Lease");
   * console.log(e.message); // Unknown spec 'Lease' (hash 'ab12')
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
   * import { InvalidBatchError } from "./errors.ts";
   * const e = new InvalidBatchError("ev[3].state", "expected 16 bytes, got 8");
   * console.log(e.message); // Invalid batch at 'ev[3].state': expected 16 bytes, got 8
   * ```
   */
  constructor(at: string, problem: string) {
    super(`Invalid batch at '${at}': ${problem}`);
    this.name = "InvalidBatchError";
    this.at = at;
  }
}
