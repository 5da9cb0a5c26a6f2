/**
 * Problem details of the collector's ingest refusals (malformed batch,
 * unknown spec, missing token, body too large, ...): the reasons, their
 * titles and statuses. The media type, the type prefix and the `Response`
 * builder (`problemResponse`, with the 401 challenge) are the wire's
 * (`lib/wire/problem.ts`). Web-standard only.
 *
 * @module
 */
import { type ProblemDetails, problemType } from "../../lib/wire/problem.ts";

/**
 * Why an ingest request was refused; also the `reason` label in `/metrics`.
 *
 * @example Each reason has its HTTP status
 * ```ts
 * import assert from "node:assert/strict";
 * import { problem, type RejectReason } from "./ingest_problem.ts";
 * const reasons: RejectReason[] = ["unauthorized", "too_large", "malformed"];
 * assert.deepEqual(reasons.map((r) => problem(r, "x").status), [401, 413, 400]);
 * ```
 */
export type RejectReason =
  | "unauthorized"
  | "too_large"
  | "malformed"
  | "unknown_spec"
  | "invalid"
  | "node_mismatch"
  | "unsupported_media_type"
  | "timeout"
  | "limit"
  | "internal";

/**
 * A refused ingest as problem details (RFC 9457 members, then extension members).
 *
 * @example A refusal at a collector limit names the limit
 * ```ts
 * import assert from "node:assert/strict";
 * import { type Problem, problem } from "./ingest_problem.ts";
 * const p: Problem = problem("limit", "Too many partitions", { limit: "maxPartitions" });
 * assert.deepEqual([p.reason, p.limit], ["limit", "maxPartitions"]);
 * ```
 */
export interface Problem extends ProblemDetails {
  /** The reject reason (also the `type` suffix). */
  readonly reason: RejectReason;
  /** Where in the batch the decoder stopped (malformed batches), e.g. `ev[3][5]`. */
  readonly where?: string;
  /** The collector limit a batch would pass (`limit` refusals), e.g. `maxPartitions`. */
  readonly limit?: string;
}

const TITLES: Readonly<Record<RejectReason, readonly [title: string, status: number]>> = {
  unauthorized: ["Missing or invalid node token", 401],
  too_large: ["Batch too large", 413],
  malformed: ["Malformed batch", 400],
  unknown_spec: ["Unknown spec", 400],
  invalid: ["Batch does not fit its spec", 400],
  node_mismatch: ["Token does not belong to the batch's node", 401],
  unsupported_media_type: ["Unsupported media type", 415],
  timeout: ["Request not received in time", 408],
  limit: ["Collector limit reached", 429],
  internal: ["Internal collector error", 500],
};

/**
 * Builds the problem details of a refused ingest.
 *
 * @example A malformed batch
 * ```ts
 * import assert from "node:assert/strict";
 * import { problem } from "./ingest_problem.ts";
 * const p = problem("malformed", "Expected a map at '$'", { where: "$" });
 * assert.ok(p.status === 400 && p.type === "urn:vigil:problem:malformed");
 * ```
 */
export function problem(
  reason: RejectReason,
  detail: string,
  extra: { readonly where?: string; readonly limit?: string } = {},
): Problem {
  const [title, status] = TITLES[reason];
  const p: Problem = { type: problemType(reason), title, status, detail, reason };
  if (extra.where === undefined && extra.limit === undefined) return p;
  return {
    ...p,
    ...(extra.where === undefined ? {} : { where: extra.where }),
    ...(extra.limit === undefined ? {} : { limit: extra.limit }),
  };
}
