/**
 * Problem details of refused transitions: the bodies the Hono guard answers
 * with (`application/problem+json`, e.g. type
 * `urn:vigil:problem:guard_failed`), built without Hono so other adapters
 * can reuse them. The media type, the type prefix and the `Response`
 * builder are the wire's (`lib/wire/problem.ts`); this module holds the
 * transition kinds. Every problem has a `detail` in words.
 *
 * | problem `type` (`urn:vigil:problem:...`)                   | status | when                                                                      |
 * | ---------------------------------------------------------- | ------ | ------------------------------------------------------------------------- |
 * | `guard_failed`, `invariant_failed`, `range_violation`, ... | 409    | the spec refuses the transition from the instance's state                 |
 * | `bad_argument`                                             | 422    | an argument is outside its parameter's type                               |
 * | `invalid_arguments`                                        | 422    | an argument cannot be encoded (missing, wrong type, unknown label)        |
 * | `unknown_action`                                           | 404    | the request names no action of the spec (a dynamic action)                |
 * | `conflict`                                                 | 409    | another writer committed the instance since it was loaded                 |
 * | `unconvertible_state`                                      | 409    | the state stored by another version does not convert (names `variable`)  |
 * | `unknown_version`                                          | 500    | the state was stored by a version whose layout the store never recorded  |
 * | `callback_failed`                                          | 500    | the guard's `key`, `action` or `args` callback threw                      |
 * | `store_failed`                                             | 500    | the guard store failed to load or commit                                  |
 * | `route_mismatch`                                           | 500    | the route the guard is mounted on lacks a parameter of its `route` option |
 *
 * @module
 */
import { formatVerdict, type Verdict } from "../../lib/abi/verdict.ts";
import { type ProblemDetails, problemType } from "../../lib/wire/problem.ts";
import type { StoredStateError } from "./stored_state.ts";
import { unknownActionMessage } from "./action_name.ts";

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
  /** Instance key (absent when the failure came before it was known). */
  readonly key?: string;
  /** `unconvertible_state`: the variable that does not convert. */
  readonly variable?: string;
  /** `unconvertible_state`, `unknown_version`: the hash of the version that stored the state. */
  readonly from?: string;
  /** `unconvertible_state`, `unknown_version`: the hash of the reading version. */
  readonly to?: string;
  /** `callback_failed`: which option threw (`key`, `action` or `args`). */
  readonly callback?: string;
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
  /** The action name as requested (`""` before it is known). */
  readonly action: string;
  /** The spec's name. */
  readonly spec: string;
  /** The instance key (absent before it is known). */
  readonly key?: string;
}

/** `'acquire' of 'lock:1'`, or `'acquire'` before the key is known. */
function what(at: ProblemContext): string {
  const action = at.action === "" ? "The transition" : `Transition '${at.action}'`;
  return at.key === undefined ? action : `${action} of '${at.key}'`;
}

/** The members every transition problem ends with: the spec, and the key once known. */
function where(at: ProblemContext): { spec: string; key?: string } {
  return at.key === undefined ? { spec: at.spec } : { spec: at.spec, key: at.key };
}

/**
 * The problem details of a refused transition: status 409 when the spec
 * refuses it from the instance's state, 422 for an argument outside its
 * parameter's type (`bad_argument`).
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
 * const bad = { ...v, code: 2, kind: "bad_argument", detail: "c: Client" } as const;
 * assert.equal(verdictProblem(bad, { action: "acquire", spec: "Lease", key: "lock:a" }).status, 422);
 * ```
 */
export function verdictProblem(v: Verdict, at: ProblemContext): TransitionProblem {
  const argument = v.kind === "bad_argument";
  return {
    type: problemType(v.kind),
    title: argument ? "Argument refused" : "Transition refused",
    status: argument ? 422 : 409,
    detail: `${what(at)} refused: ${formatVerdict(v, at.spec)}`,
    action: at.action,
    verdict: v.kind,
    code: v.code,
    item: v.item,
    guard: v.detail,
    line: v.line,
    column: v.column,
    ...where(at),
  };
}

/**
 * The problem details of arguments that cannot be encoded for the action
 * (a missing argument, a wrong type, an unknown label): status 422.
 *
 * @example A label the parameter's type does not have
 * ```ts
 * import assert from "node:assert/strict";
 * import { argumentsProblem } from "./transition_problem.ts";
 * const p = argumentsProblem(
 *   "Action 'set' parameter 'm': expected one of 'off', 'on', got 'dim'",
 *   { action: "set", spec: "Dial", key: "d1" },
 * );
 * assert.deepEqual([p.status, p.type, p.verdict], [422, "urn:vigil:problem:invalid_arguments", "invalid_arguments"]);
 * assert.match(p.detail, /got 'dim'$/);
 * ```
 */
export function argumentsProblem(message: string, at: ProblemContext): TransitionProblem {
  return {
    type: problemType("invalid_arguments"),
    title: "Invalid transition arguments",
    status: 422,
    detail: `${what(at)} has arguments the spec cannot take: ${message}`,
    action: at.action,
    verdict: "invalid_arguments",
    ...where(at),
  };
}

/**
 * The problem details of a request naming no action of the spec (a guard
 * whose action comes from the request): status 404, the detail listing the
 * spec's actions and the nearest one.
 *
 * @example A misspelled action in a URL
 * ```ts
 * import assert from "node:assert/strict";
 * import { unknownActionProblem } from "./transition_problem.ts";
 * const p = unknownActionProblem("aquire", ["acquire", "release"], { action: "aquire", spec: "Lease", key: "lock:1" });
 * assert.equal(p.status, 404);
 * assert.match(p.detail, /did you mean 'acquire'\?/);
 * ```
 */
export function unknownActionProblem(
  name: string,
  actions: readonly string[],
  at: ProblemContext,
): TransitionProblem {
  return {
    type: problemType("unknown_action"),
    title: "Unknown action",
    status: 404,
    detail: unknownActionMessage(name, at.spec, actions),
    action: at.action,
    verdict: "unknown_action",
    ...where(at),
  };
}

/**
 * The problem details of a guard callback (`key`, `action`, `args`) that
 * threw: status 500, naming the callback and the error.
 *
 * @example The args callback met a body that is not JSON
 * ```ts
 * import assert from "node:assert/strict";
 * import { callbackProblem } from "./transition_problem.ts";
 * const p = callbackProblem("args", new SyntaxError("Unexpected end of JSON input"), {
 *   action: "acquire", spec: "Lease", key: "lock:1",
 * });
 * assert.equal(p.status, 500);
 * assert.equal(p.detail, "The guard's 'args' callback threw for transition 'acquire' of 'lock:1': SyntaxError: Unexpected end of JSON input");
 * ```
 */
export function callbackProblem(
  callback: "key" | "action" | "args",
  error: unknown,
  at: ProblemContext,
): TransitionProblem {
  const target = what(at).replace(/^T/, "t");
  return {
    type: problemType("callback_failed"),
    title: "Guard callback failed",
    status: 500,
    detail: `The guard's '${callback}' callback threw for ${target}: ${describeError(error)}`,
    action: at.action,
    verdict: "callback_failed",
    callback,
    ...where(at),
  };
}

/**
 * The problem details of a stored state the reading version cannot take:
 * 409 `unconvertible_state` naming the variable (the instance holds what
 * this version cannot represent; a replica of the version that stored it
 * can still serve it), 500 `unknown_version` when the store never recorded
 * the storing version's layout.
 *
 * @example A rollback meets a label the older version lacks
 * ```ts
 * import assert from "node:assert/strict";
 * import { StoredStateError } from "./stored_state.ts";
 * import { storedStateProblem } from "./transition_problem.ts";
 * const e = new StoredStateError("unconvertible", {
 *   spec: "Lease", key: "lock:7", from: "a".repeat(64), to: "b".repeat(64),
 *   variable: "mode", reason: "Variable 'mode' holds 'expired', a label the new version does not have",
 * });
 * const p = storedStateProblem(e, { action: "acquire", spec: "Lease", key: "lock:7" });
 * assert.deepEqual([p.status, p.verdict, p.variable], [409, "unconvertible_state", "mode"]);
 * ```
 */
export function storedStateProblem(e: StoredStateError, at: ProblemContext): TransitionProblem {
  const unknown = e.reason === "unknown_version";
  const kind = unknown ? "unknown_version" : "unconvertible_state";
  return {
    type: problemType(kind),
    title: unknown ? "Unknown spec version" : "Stored state does not convert",
    status: unknown ? 500 : 409,
    detail: e.message,
    action: at.action,
    verdict: kind,
    ...(e.variable === undefined ? {} : { variable: e.variable }),
    from: e.from,
    to: e.to,
    ...where(at),
  };
}

/**
 * The problem details of a guard store that failed (status 500).
 *
 * @example A KV entry that is not an instance
 * ```ts
 * import assert from "node:assert/strict";
 * import { storeProblem } from "./transition_problem.ts";
 * const p = storeProblem("load", new TypeError("KV entry '[\"vigil\",\"Lease\",\"x\"]' is not a Vigil instance"), {
 *   action: "acquire", spec: "Lease", key: "x",
 * });
 * assert.equal(p.status, 500);
 * assert.match(p.detail, /^Loading instance 'x' of spec 'Lease' from the guard store failed: TypeError: KV entry/);
 * ```
 */
export function storeProblem(
  step: "load" | "commit",
  error: unknown,
  at: ProblemContext,
): TransitionProblem {
  const doing = step === "load" ? "Loading" : "Committing";
  const direction = step === "load" ? "from" : "to";
  return {
    type: problemType("store_failed"),
    title: "Guard store failed",
    status: 500,
    detail: `${doing} instance '${
      at.key ?? ""
    }' of spec '${at.spec}' ${direction} the guard store failed: ${describeError(error)}`,
    action: at.action,
    verdict: "store_failed",
    ...where(at),
  };
}

/**
 * The problem details of a guard declared for one route (its `route`
 * option) but mounted on a route without one of its parameters (status 500).
 *
 * @example Declared for one path, mounted on another
 * ```ts
 * import assert from "node:assert/strict";
 * import { routeProblem } from "./transition_problem.ts";
 * const p = routeProblem("/locks/:id", "id", { action: "acquire", spec: "Lease" });
 * assert.equal(p.status, 500);
 * assert.match(p.detail, /declared for route '\/locks\/:id', but the route it is mounted on has no parameter 'id'/);
 * ```
 */
export function routeProblem(
  declared: string,
  missing: string,
  at: ProblemContext,
): TransitionProblem {
  return {
    type: problemType("route_mismatch"),
    title: "Guard mounted on another route",
    status: 500,
    detail:
      `The guard of spec '${at.spec}' is declared for route '${declared}', but the route it is mounted on has no parameter '${missing}': its callbacks would read the wrong route parameters`,
    action: at.action,
    verdict: "route_mismatch",
    ...where(at),
  };
}

/** `Name: message` of an error, or the thrown value in words. */
function describeError(error: unknown): string {
  if (error instanceof Error) {
    return error.message === "" ? `${error.name} (no message)` : `${error.name}: ${error.message}`;
  }
  return `a thrown ${typeof error} (${String(error)})`;
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
    detail: `${what(at)} was not committed: the instance changed since it was loaded`,
    action: at.action,
    verdict: "conflict",
    ...where(at),
  };
}
