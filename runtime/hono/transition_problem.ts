/**
 * RFC 9457 problem details for refused transitions: the body the Hono
 * guard answers with (`application/problem+json`), built without Hono so
 * other adapters can reuse it.
 *
 * @module
 */
import { formatVerdict, type Verdict } from "../../lib/abi/verdict.ts";

/** The media type of problem details. */
export const PROBLEM_JSON = "application/problem+json";

/** The `type` URI prefix of Vigil problems: `urn:vigil:problem:guard_failed`. */
export const PROBLEM_TYPE_BASE = "urn:vigil:problem:";

/** A refused transition as problem details (RFC 9457 members, then extension members). */
export interface TransitionProblem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  /** The action name as requested. */
  readonly action: string;
  /** Verdict kind, e.g. `guard_failed`, or `conflict`. */
  readonly verdict: string;
  /** Verdict code in the spec's table (absent for `conflict`). */
  readonly code?: number;
  /** Spec item, e.g. `action acquire`. */
  readonly item?: string;
  /** What failed in the spec's words, e.g. `require mode == free`. */
  readonly guard?: string;
  readonly line?: number;
  readonly column?: number;
  /** Spec name. */
  readonly spec: string;
  /** Instance key. */
  readonly key: string;
}

/** Where a problem happened. */
export interface ProblemContext {
  readonly action: string;
  readonly spec: string;
  readonly key: string;
}

/**
 * The problem details of a refused transition (status 409).
 *
 * @example Describe a refused acquire
 * ```ts
 * import assert from "node:assert/strict";
 * import { verdictProblem } from "./problem.ts";
 * const v = {
 *   code: 3, kind: "guard_failed", item: "action acquire", detail: "require mode == free",
 *   line: 14, column: 5,
 * } as const;
 * const p = verdictProblem(v, { action: "acquire", spec: "Lease", key: "lock:a" });
 * assert.ok(p.status === 409 && p.guard === "require mode == free" && p.line === 14);
 * ```
 */
export function verdictProblem(v: Verdict, at: ProblemContext): TransitionProblem {
  return {
    type: `${PROBLEM_TYPE_BASE}${v.kind}`,
    title: "Transition refused",
    status: 409,
    detail: `Transition '${at.action}' of '${at.key}' refused: ${formatVerdict(v, at.spec)}`,
    action: at.action,
    verdict: v.kind,
    code: v.code,
    item: v.item,
    guard: v.detail,
    line: v.line,
    column: v.column,
    spec: at.spec,
    key: at.key,
  };
}

/**
 * The problem details of a commit that lost a race: another writer
 * committed the instance since it was loaded (status 409).
 *
 * @example A conflict
 * ```ts
 * import assert from "node:assert/strict";
 * import { conflictProblem } from "./problem.ts";
 * const p = conflictProblem({ action: "acquire", spec: "Lease", key: "lock:a" });
 * assert.ok(p.verdict === "conflict" && p.status === 409);
 * ```
 */
export function conflictProblem(at: ProblemContext): TransitionProblem {
  return {
    type: `${PROBLEM_TYPE_BASE}conflict`,
    title: "Concurrent transition",
    status: 409,
    detail:
      `Transition '${at.action}' of '${at.key}' was not committed: the instance changed since it was loaded`,
    action: at.action,
    verdict: "conflict",
    spec: at.spec,
    key: at.key,
  };
}

/**
 * The response carrying problem details.
 *
 * @example Answer with a problem
 * ```ts
 * import assert from "node:assert/strict";
 * import { conflictProblem, problemResponse } from "./problem.ts";
 * const res = problemResponse(conflictProblem({ action: "a", spec: "S", key: "k" }));
 * assert.equal(res.status, 409);
 * assert.equal(res.headers.get("content-type"), "application/problem+json");
 * assert.equal((await res.json()).key, "k");
 * ```
 */
export function problemResponse<P extends { readonly status: number }>(p: P): Response {
  return new Response(JSON.stringify(p), {
    status: p.status,
    headers: { "content-type": PROBLEM_JSON },
  });
}
