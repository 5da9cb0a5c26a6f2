/**
 * `@vigil/vigil/hono`: the Hono middleware `vigilGuard`, which enforces a spec's
 * workflow per request (a refused transition answers 409 with RFC 9457
 * problem details naming the guard and its spec line), the stores it keeps
 * instance state in between requests (in memory, or Deno KV with
 * compare-and-set commits; both convert a state stored by another version
 * of the spec by variable name), and the problem+json helpers it answers
 * with. Only this entry point loads `hono`; the core SDK (`vigil`) does not.
 *
 * Given the spec loaded through its generated class, the guard's action and
 * arguments are typed: a misspelled action or argument does not compile, and
 * one the spec does not have throws when the guard is created.
 *
 * @example Guard lock routes with the generated class's types
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * import { memoryGuardStore, vigilGuard } from "@vigil/vigil/hono";
 * import { LeaseMonitor } from "../../dist/lease.monitor.ts";
 * const lease = await LeaseMonitor.load(); // typed LeaseSpec: its actions and their arguments
 * const app = new Hono();
 * app.post(
 *   "/locks/:id/acquire",
 *   vigilGuard(lease, {
 *     route: "/locks/:id/acquire", // types c.req.param("id") as a string
 *     key: (c) => `lock:${c.req.param("id")}`,
 *     action: "acquire", // "aquire" would not compile
 *     args: async (c) => ({ c: Number((await c.req.json()).client) }), // { c: Client }
 *     store: memoryGuardStore(),
 *   }),
 *   (c) => c.json({ ok: true }),
 * );
 * const acquire = (client: number) =>
 *   app.request("/locks/7/acquire", { method: "POST", body: JSON.stringify({ client }) });
 * assert.equal((await acquire(1)).status, 200);
 * const refused = await acquire(2);
 * assert.equal(refused.status, 409);
 * assert.equal(refused.headers.get("content-type"), "application/problem+json");
 * assert.equal((await refused.json()).guard, "require mode == free");
 * ```
 *
 * @module
 */
export { vigilGuard } from "./guard.ts";
export { memoryGuardStore } from "./guard_store.ts";
export { kvGuardStore } from "./kv_guard_store.ts";
export { layoutOf, StateConverter, StoredStateError } from "./stored_state.ts";
export { PROBLEM_JSON, PROBLEM_TYPE_BASE, problemResponse } from "../../lib/wire/problem.ts";
export {
  argumentsProblem,
  callbackProblem,
  conflictProblem,
  routeProblem,
  storedStateProblem,
  storeProblem,
  unknownActionProblem,
  verdictProblem,
} from "./transition_problem.ts";

export type { GuardArgs, GuardCommonOptions, GuardOptions } from "./guard.ts";
export type { GuardStore, LoadedInstance, StoredInstance } from "./guard_store.ts";
export type { KvGuardStoreOptions, KvLike } from "./kv_guard_store.ts";
export type { GuardedSpec, StateLayout, StoredStateReason } from "./stored_state.ts";
export type {
  Kv,
  KvAtomic,
  KvCheck,
  KvEntryMaybe,
  KvKey,
  KvKeyPart,
  KvListEntry,
} from "../../lib/ports/kv.ts";
export type { ProblemDetails, ProblemResponseOptions } from "../../lib/wire/problem.ts";
export type { ProblemContext, TransitionProblem } from "./transition_problem.ts";
