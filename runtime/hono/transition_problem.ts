/**
 * Problem details of refused transitions: the bodies the Hono guard answers
 * with (`application/problem+json`, e.g. type
 * `urn:vigil:problem:guard_failed`), built without Hono so other adapters
 * can reuse them. The media type, the type prefix and the `Response`
 * builder are the wire's (`lib/wire/problem.ts`); this module holds the
 * transition kinds.
 *
 * @module
 */
import { formatVerdict, type Verdict } from "../../lib/abi/verdict.ts";
import { type ProblemDetails, problemType } from "../../lib/wire/problem.ts";

/**
 * A refused transition as problem details (RFC 9457 members, then extension members).
 *
 * @example The body of a refused transition
 * ```ts
 * import assert from "node:assert/strict";
 * import { type TransitionProblem, verdictProblem } from "./transition_problem.ts";
 * const v = { code: 3, kind: "guard_failed", item: "action acquire", detail: "require mode == free", line: 14, column: 5 } as const;
 * const p: TransitionProblem = verdictProblem(v, { action: "acquire", spec: "Lease", key: "lock:a" });
 * assert.equal(p.type, "urn:vigil:problem:guard_failed");
 * assert.equal(p.verdict, "guard_failed");
 * ```
 */
export interface TransitionProblem extends ProblemDetails {
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
  /** Line of the spec item (1-based). */
  readonly line?: number;
  /** Column of the spec item (1-based). */
  readonly column?: number;
  /** Spec name. */
  readonly spec: string;
  /** Instance key. */
  readonly key: string;
}

/**
 * Where a problem happened.
 *
 * @example A lost race names the action, spec and key
 * ```ts
 * import assert from "node:assert/strict";
 * import { conflictProblem, type ProblemContext } from "./transition_problem.ts";
 * const at: ProblemContext = { action: "acquire", spec: "Lease", key: "lock:a" };
 * const p = conflictProblem(at);
 * assert.deepEqual([p.status, p.action, p.key], [409, "acquire", "lock:a"]);
 * ```
 */
export interface ProblemContext {
  /** The action name as requested. */
  readonly action: string;
  /** The spec's name. */
  readonly spec: string;
  /** The instance key. */
  readonly key: string;
}

/**
 * The problem details of a refused transition (status 409).
 *
 * @example Describe a refused acquire
 * ```ts
 * import assert from "node:assert/strict";
 * import { verdictProblem } from "./transition_problem.ts";
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
    type: problemType(v.kind),
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
 * import { conflictProblem } from "./transition_problem.ts";
 * const p = conflictProblem({ action: "acquire", spec: "Lease", key: "lock:a" });
 * assert.ok(p.verdict === "conflict" && p.status === 409);
 * ```
 */
export function conflictProblem(at: ProblemContext): TransitionProblem {
  return {
    type: problemType("conflict"),
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
