/**
 * Errors the collector core throws for input the app must refuse. All are
 * thrown by `Collector.ingest` before anything of the batch changes:
 * - {@link UnknownSpecError} and {@link InvalidBatchError}: the batch is
 *   wrong (an HTTP 400 problem; a terminated JetStream message);
 * - {@link LimitError}: the batch is valid but would pass one of the
 *   collector's limits (`maxPartitions`, `maxNodes`, `maxBootsPerNode`,
 *   `maxParticipants`, `maxNewBootsPerMinute`, `maxIdBytes`,
 *   `maxKeyBytes`): an HTTP 429 problem
 *   (`reason` `limit`, naming the limit), logged once per limit; over
 *   JetStream a terminated and counted message, since redelivering it
 *   would be refused again.
 *
 * @module
 */
import type { LimitName } from "./limits.ts";

/**
 * A batch names a spec hash the collector does not serve: a spec it was
 * not started with, or a version of a served spec that it was not started
 * with (`served` lists the versions it has for that name).
 *
 * @example A batch of a spec the collector does not serve
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { encodeBatch } from "../../lib/wire/encode.ts";
 * import { createCollector } from "./collector.ts";
 * import { UnknownSpecError } from "./errors.ts";
 * const lease = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const collector = createCollector({ specs: [lease] });
 * const header = { spec: "ab12", specName: "Other", node: "n1", boot: "b1", firstSeq: 0, dropped: [] };
 * assert.throws(() => collector.ingestBytes(encodeBatch(header, [])), UnknownSpecError);
 * ```
 */
export class UnknownSpecError extends Error {
  /** The unknown spec hash. */
  readonly spec: string;
  /** The spec name the batch carried (may be empty). */
  readonly specName: string;
  /** Hashes of the versions served under the batch's spec name (empty when the name is not served). */
  readonly served: readonly string[];
  /**
   * Creates the error for a spec hash and name, and the versions served
   * under that name.
   *
   * @example Refuse a batch of another spec, and one of another version
   * ```ts
   * import assert from "node:assert/strict";
   * import { UnknownSpecError } from "./errors.ts";
   * const e = new UnknownSpecError("ab12", "Lease");
   * assert.equal(e.message, "Unknown spec 'Lease' (hash 'ab12'): start the collector with this spec to check it");
   * const v = new UnknownSpecError("ab12", "Lease", { served: ["cd34"] });
   * assert.equal(
   *   v.message,
   *   "Unknown version of spec 'Lease' (hash 'ab12'): the collector serves version 'cd34'; " +
   *     "start it with this version too to check this node's events",
   * );
   * ```
   */
  constructor(
    spec: string,
    specName: string,
    options: { readonly served?: readonly string[] } = {},
  ) {
    const served = options.served ?? [];
    super(
      served.length === 0
        ? `Unknown spec '${specName}' (hash '${spec}'): start the collector with this spec to check it`
        : `Unknown version of spec '${specName}' (hash '${spec}'): the collector serves version${
          served.length === 1 ? "" : "s"
        } ${
          served.map((h) => `'${h.slice(0, 12)}'`).join(", ")
        }; start it with this version too to check this node's events`,
    );
    this.name = "UnknownSpecError";
    this.spec = spec;
    this.specName = specName;
    this.served = served;
  }
}

/**
 * A well-formed batch that does not fit its spec (state block size, action index, verdict code).
 *
 * @example A state block of the wrong size
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { encodeBatch } from "../../lib/wire/encode.ts";
 * import { createCollector } from "./collector.ts";
 * import { InvalidBatchError } from "./errors.ts";
 * const lease = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const collector = createCollector({ specs: [lease] });
 * const header = { spec: lease.meta.sourceHash, specName: "Lease", node: "n1", boot: "b1", firstSeq: 0, dropped: [] };
 * const event = { key: "k", wall: 1, logical: 0, action: 0, args: [1], state: new Uint8Array(1), verdict: 0 };
 * assert.throws(() => collector.ingestBytes(encodeBatch(header, [event])), InvalidBatchError);
 * ```
 */
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
 *
 * @example A second node over a limit of one
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { encodeBatch } from "../../lib/wire/encode.ts";
 * import { createCollector } from "./collector.ts";
 * import { LimitError } from "./errors.ts";
 * const lease = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const collector = createCollector({ specs: [lease], maxNodes: 1 });
 * const header = (node: string) => ({ spec: lease.meta.sourceHash, specName: "Lease", node, boot: "b1", firstSeq: 0, dropped: [] });
 * collector.ingestBytes(encodeBatch(header("n1"), []));
 * assert.throws(() => collector.ingestBytes(encodeBatch(header("n2"), [])), (e) => e instanceof LimitError && e.limit === "maxNodes");
 * ```
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
