/**
 * Problem details (RFC 9457), the error answer both ends give over HTTP:
 * the collector when it refuses a batch or a read, the SDK's guard
 * middleware when it refuses a transition. This module holds what they
 * share: the media type, the `type` URI prefix, the members every problem
 * has, and the `Response` builder; each side keeps its own kinds, titles
 * and extension members. Web-standard only.
 *
 * @module
 */

/**
 * The media type of problem details.
 *
 * @example A problem response carries the media type
 * ```ts
 * import assert from "node:assert/strict";
 * import { PROBLEM_JSON, problemResponse } from "./problem.ts";
 * const res = problemResponse({ type: "urn:vigil:problem:malformed", title: "Malformed batch", status: 400, detail: "x" });
 * assert.equal(res.headers.get("content-type"), PROBLEM_JSON);
 * ```
 */
export const PROBLEM_JSON = "application/problem+json";

/**
 * The `type` URI prefix of Vigil problems, e.g. `urn:vigil:problem:malformed`.
 *
 * @example A problem type is the base and the kind
 * ```ts
 * import assert from "node:assert/strict";
 * import { PROBLEM_TYPE_BASE, problemType } from "./problem.ts";
 * assert.equal(problemType("malformed"), `${PROBLEM_TYPE_BASE}malformed`);
 * ```
 */
export const PROBLEM_TYPE_BASE = "urn:vigil:problem:";

/**
 * The members every problem has (RFC 9457); each kind adds extension members.
 *
 * @example A problem and the response that carries it
 * ```ts
 * import assert from "node:assert/strict";
 * import { type ProblemDetails, problemResponse } from "./problem.ts";
 * const problem: ProblemDetails = {
 *   type: "urn:vigil:problem:too_large",
 *   title: "Batch too large",
 *   status: 413,
 *   detail: "Body of 9000000 bytes exceeds the limit",
 * };
 * const res = problemResponse(problem);
 * assert.equal(res.status, 413);
 * assert.equal((await res.json()).title, "Batch too large");
 * ```
 */
export interface ProblemDetails {
  /** `urn:vigil:problem:<kind>` (see {@link problemType}). */
  readonly type: string;
  /** Short, the same for every problem of the kind. */
  readonly title: string;
  /** The HTTP status the problem is answered with. */
  readonly status: number;
  /** This occurrence, in words. */
  readonly detail: string;
}

/**
 * The `type` URI of a problem kind.
 *
 * @example A kind's URI
 * ```ts
 * import assert from "node:assert/strict";
 * import { problemType } from "./problem.ts";
 * assert.equal(problemType("guard_failed"), "urn:vigil:problem:guard_failed");
 * ```
 */
export function problemType(kind: string): string {
  return `${PROBLEM_TYPE_BASE}${kind}`;
}

/**
 * Options of {@link problemResponse}.
 *
 * @example A Retry-After header beside the problem
 * ```ts
 * import assert from "node:assert/strict";
 * import { problemResponse, type ProblemResponseOptions } from "./problem.ts";
 * const options: ProblemResponseOptions = { headers: { "retry-after": "1" } };
 * const res = problemResponse(
 *   { type: "urn:vigil:problem:limit", title: "Limit", status: 429, detail: "Too many nodes" },
 *   options,
 * );
 * assert.equal(res.headers.get("retry-after"), "1");
 * ```
 */
export interface ProblemResponseOptions {
  /** Further headers; they replace the defaults of the same name. */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * The response carrying a problem: its JSON, its status, the problem media
 * type; a 401 also carries the challenge HTTP requires with it
 * (`WWW-Authenticate: Bearer realm="vigil"`, replaceable through
 * `options.headers`).
 *
 * @example Answer 413, and 401 with a challenge
 * ```ts
 * import assert from "node:assert/strict";
 * import { PROBLEM_JSON, problemResponse, problemType } from "./problem.ts";
 * const tooLarge = { type: problemType("too_large"), title: "Batch too large", status: 413, detail: "Over 1 MiB" };
 * const res = problemResponse(tooLarge);
 * assert.equal(res.status, 413);
 * assert.equal(res.headers.get("content-type"), PROBLEM_JSON);
 * assert.equal((await res.json()).detail, "Over 1 MiB");
 * const denied = { type: problemType("unauthorized"), title: "No token", status: 401, detail: "No token" };
 * assert.equal(problemResponse(denied).headers.get("www-authenticate"), 'Bearer realm="vigil"');
 * ```
 */
export function problemResponse(p: ProblemDetails, options: ProblemResponseOptions = {}): Response {
  const headers: Record<string, string> = { "content-type": PROBLEM_JSON };
  if (p.status === 401) headers["www-authenticate"] = 'Bearer realm="vigil"';
  if (options.headers !== undefined) Object.assign(headers, options.headers);
  return new Response(JSON.stringify(p), { status: p.status, headers });
}
