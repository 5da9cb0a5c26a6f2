/**
 * `vigilGuard`: Hono middleware enforcing a spec's workflow per request.
 *
 * Per request: compute the key, action and arguments; load the instance's
 * state block from the store (a key never committed starts in the initial
 * state); check the transition. Refused: answer 409 with RFC 9457 problem
 * details naming the verdict, the failed guard and its spec line (the
 * handler does not run; a refusal event is emitted). Allowed: call the
 * handler; only if it answered 2xx, step the transition and commit the new
 * state to the store with a compare-and-set on the version loaded, then
 * emit the step event. A handler that answers otherwise (or throws) commits
 * nothing and emits nothing.
 *
 * Concurrency: requests for one key are serialized within the guard (the
 * next one loads after the previous committed or gave up), so within a
 * process two requests never both pass the check from the same state.
 * Across processes or isolates the store's compare-and-set decides: the
 * in-memory store per process, the KV store with the versionstamp read at
 * load time. A commit that loses that race is not applied and the response
 * is replaced by a 409 `conflict` problem; the handler's own side effects
 * have happened by then, so handlers guarded across isolates should be
 * idempotent or transactional themselves.
 *
 * A stored block written under another spec hash is not reinterpreted: the
 * request fails (500) rather than read a block with another layout.
 *
 * @module
 */
import type { Context, Env, MiddlewareHandler } from "hono";
import type { StepEvent } from "../../lib/wire/event.ts";
import { type GuardStore, memoryGuardStore } from "./guard_store.ts";
import type { ActionArgs, EventSink, Monitor } from "../monitor/monitor_types.ts";
import type { NodeContext } from "../monitor/node.ts";
import { PROBLEM_TYPE_BASE, problemResponse } from "../../lib/wire/problem.ts";
import { conflictProblem, verdictProblem } from "./transition_problem.ts";
import type { LoadedSpec } from "../monitor/load_spec.ts";

/**
 * Options of {@link vigilGuard}.
 *
 * @example A guarded route refuses a second acquire with 409
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * import { loadSpec } from "../monitor/load_spec.ts";
 * import { type GuardOptions, vigilGuard } from "./guard.ts";
 * const lease = await loadSpec(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const options: GuardOptions = {
 *   key: (c) => `lock:${c.req.param("id")}`,
 *   action: (c) => c.req.param("action") ?? "",
 *   args: async (c) => ({ c: Number((await c.req.json()).client) }),
 * };
 * const app = new Hono();
 * app.post("/locks/:id/:action", vigilGuard(lease, options), (c) => c.json({ ok: true }));
 * const post = (client: number) =>
 *   app.request("/locks/7/acquire", { method: "POST", body: JSON.stringify({ client }) });
 * assert.equal((await post(1)).status, 200);
 * const refused = await post(2);
 * assert.equal(refused.status, 409);
 * assert.equal((await refused.json()).guard, "require mode == free");
 * ```
 */
export interface GuardOptions<E extends Env = Env> {
  /** The instance key of a request, e.g. `(c) => \`lock:${c.req.param("id")}\``. */
  readonly key: (c: Context<E>) => string;
  /** The action of a request. */
  readonly action: (c: Context<E>) => string;
  /** The action's arguments. Default: none. */
  readonly args?: (c: Context<E>) => ActionArgs | Promise<ActionArgs>;
  /** Default: a new `memoryGuardStore()`. */
  readonly store?: GuardStore;
  /** Node id or shared context for events. Default `"local"`. */
  readonly node?: string | NodeContext;
  /** Where step events go. */
  readonly sink?: EventSink;
}

/** Serializes async work per key. */
class KeyedQueue {
  readonly #tails = new Map<string, Promise<void>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.#tails.get(key) ?? Promise.resolve();
    let release = () => {};
    const mine = new Promise<void>((r) => (release = r));
    const tail = prev.then(() => mine);
    this.#tails.set(key, tail);
    await prev;
    try {
      return await fn();
    } finally {
      release();
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }
}

/** Holds the event a monitor built, to forward it only once the commit succeeded. */
class HeldEvent implements EventSink {
  event: StepEvent | null = null;
  push(e: StepEvent): void {
    this.event = e;
  }
  take(): StepEvent | null {
    const e = this.event;
    this.event = null;
    return e;
  }
}

function invalid(message: string, at: { action: string; spec: string; key: string }): Response {
  return problemResponse({
    type: `${PROBLEM_TYPE_BASE}invalid_arguments`,
    title: "Invalid transition arguments",
    status: 400,
    detail: message,
    ...at,
  });
}

/**
 * Creates the guard middleware for one loaded spec.
 *
 * @example Guard lock routes
 * ```ts ignore
 * import { Hono } from "hono";
 * import { loadSpec, vigilGuard } from "../../mod.ts";
 * const lease = await loadSpec("dist/lease.js");
 * const app = new Hono();
 * app.post("/locks/:id/:action", vigilGuard(lease, {
 *   key: (c) => `lock:${c.req.param("id")}`,
 *   action: (c) => c.req.param("action"),
 *   args: async (c) => ({ c: Number((await c.req.json()).client) }),
 * }), (c) => c.json({ ok: true }));
 * ```
 */
export function vigilGuard<E extends Env = Env>(
  spec: LoadedSpec,
  options: GuardOptions<E>,
): MiddlewareHandler<E> {
  const store = options.store ?? memoryGuardStore();
  const queue = new KeyedQueue();
  const held = new HeldEvent();
  const sink = options.sink ?? null;
  const node = options.node ?? "local";
  return async (c, next) => {
    const key = options.key(c);
    const action = options.action(c);
    const args = options.args === undefined ? {} : await options.args(c);
    const at = { action, spec: spec.name, key };
    return await queue.run(key, async () => {
      const { value, version } = await store.load(spec.name, key);
      if (value !== null && value.hash !== spec.hash) {
        throw new Error(
          `Instance '${key}' was stored by another version of spec '${spec.name}' (hash '${value.hash}')`,
        );
      }
      const m = spec.monitor({ node, key, mode: "observe", ...(sink ? { sink: held } : {}) });
      try {
        if (value !== null) m.setStateBytes(value.state);
        return await guarded(m, version);
      } finally {
        m.close();
      }
    });

    async function guarded(m: Monitor, version: string | null): Promise<Response | void> {
      let v;
      try {
        v = m.check(action, args);
      } catch (e) {
        if (e instanceof TypeError || e instanceof RangeError) return invalid(e.message, at);
        throw e;
      }
      if (v.code !== 0) {
        m.tryStep(action, args);
        forward(held.take());
        return problemResponse(verdictProblem(v, at));
      }
      await next();
      if (c.res.status < 200 || c.res.status > 299) return;
      const done = m.tryStep(action, args);
      const event = held.take();
      if (done.code !== 0) {
        c.res = problemResponse(verdictProblem(done, at));
        return;
      }
      const state = m.stateBytes();
      if (!(await store.commit(spec.name, key, { hash: spec.hash, state }, version))) {
        c.res = problemResponse(conflictProblem(at));
        return;
      }
      forward(event);
    }
  };

  function forward(e: StepEvent | null): void {
    if (e !== null && sink !== null) sink.push(e);
  }
}
