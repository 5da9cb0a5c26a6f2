/**
 * `@vigil/vigil/hono`: the Hono middleware `vigilGuard`, which enforces a spec's
 * workflow per request (a refused transition answers 409 with RFC 9457
 * problem details naming the guard and its spec line), the stores it keeps
 * instance state in between requests (in memory, or Deno KV with
 * compare-and-set commits), and the problem+json helpers it answers with.
 * Only this entry point loads `hono`; the core SDK (`vigil`) does not.
 *
 * @example Guard lock routes with the in-memory store
 * ```ts ignore
 * import { Hono } from "hono";
 * import { loadSpec } from "@vigil/vigil";
 * import { memoryGuardStore, vigilGuard } from "@vigil/vigil/hono";
 * const lease = await loadSpec(new URL("./dist/lease.js", import.meta.url));
 * const app = new Hono();
 * app.post("/locks/:id/:action", vigilGuard(lease, {
 *   key: (c) => `lock:${c.req.param("id")}`,
 *   action: (c) => c.req.param("action"),
 *   args: async (c) => ({ c: Number((await c.req.json()).client) }),
 *   store: memoryGuardStore(),
 * }), (c) => c.json({ ok: true }));
 * ```
 *
 * @module
 */
export { vigilGuard } from "./guard.ts";
export { memoryGuardStore } from "./guard_store.ts";
export { kvGuardStore } from "./kv_guard_store.ts";
export { PROBLEM_JSON, PROBLEM_TYPE_BASE, problemResponse } from "../../lib/wire/problem.ts";
export { conflictProblem, verdictProblem } from "./transition_problem.ts";

export type { GuardOptions } from "./guard.ts";
export type { GuardStore, LoadedInstance, StoredInstance } from "./guard_store.ts";
export type { KvGuardStoreOptions, KvLike } from "./kv_guard_store.ts";
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
