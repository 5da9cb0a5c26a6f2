/**
 * `vigilGuard`: Hono middleware enforcing a spec's workflow per request.
 *
 * Types. Given the spec loaded through its generated class
 * (`await LeaseMonitor.load()`, typed `LeaseSpec`), or the class itself, or
 * an explicit spec type (`vigilGuard<LeaseArgs>(lease, ...)`), the action
 * is one of the spec's action names and `args` returns that action's
 * arguments by parameter name: a misspelled action or argument does not
 * compile. Whatever the types, the guard checks its options when it is
 * created: an action the spec does not have, or an action with parameters
 * and no `args`, throws there (with the nearest action name), never per
 * request. Hono cannot pass a route's path to a middleware created apart
 * from the route, so give the path as `route` (or annotate the callback's
 * `Context`) for `c.req.param("id")` to be typed `string`; the guard then
 * checks at each request that the route it is mounted on has the
 * parameters `route` declares (500 `route_mismatch` otherwise).
 *
 * Per request: compute the key, action and arguments; load the instance's
 * state from the store (a key never committed starts in the initial state;
 * a state stored by another version of the spec is converted by variable
 * name); check the transition. Refused: answer RFC 9457 problem details
 * naming the verdict, the failed guard and its spec line (the handler does
 * not run; a refusal event is emitted). Allowed: call the handler; only if
 * it answered 2xx, step the transition and commit the new state to the
 * store with a compare-and-set on the version loaded, then emit the step
 * event. A handler that answers otherwise (or throws) commits nothing and
 * emits nothing.
 *
 * Every answer of the guard itself is `application/problem+json` with a
 * `detail` in words (`transition_problem.ts` lists them): 409 when the spec
 * refuses the transition or another writer won the commit, 422 for an
 * argument outside its type or one that cannot be encoded, 404 for a
 * request naming no action (an `action` callback's answer), 409 for a
 * stored state that does not convert to this version (naming the
 * variable), 500 when one of the guard's callbacks throws, the store fails,
 * or the state was stored by a version whose layout the store never
 * recorded. A callback may throw Hono's `HTTPException` to answer itself
 * (e.g. 400 for a body that is not JSON): the guard lets it through.
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
 * @module
 */
import type { Context, Env, MiddlewareHandler } from "hono";
import type { StepEvent } from "../../lib/wire/event.ts";
import { type GuardStore, memoryGuardStore } from "./guard_store.ts";
import type { ActionArgs, EventSink, Monitor } from "../monitor/monitor_types.ts";
import type { NodeContext } from "../monitor/node.ts";
import { problemResponse } from "../../lib/wire/problem.ts";
import {
  argumentsProblem,
  callbackProblem,
  conflictProblem,
  type ProblemContext,
  routeProblem,
  storedStateProblem,
  storeProblem,
  type TransitionProblem,
  unknownActionProblem,
  verdictProblem,
} from "./transition_problem.ts";
import type { LoadedSpec } from "../monitor/load_spec.ts";
import type { SpecArgs, TypedSpec } from "../monitor/typed_monitor.ts";
import { StoredStateError } from "./stored_state.ts";
import { unknownActionMessage } from "./action_name.ts";

/**
 * The options of {@link vigilGuard} every guard has, whatever its action.
 * `E` is the app's Hono environment, `P` the route's path (from `route`).
 *
 * @example Key a lock route by its id, typed by the route
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * import type { Env } from "hono";
 * import type { GuardCommonOptions } from "./guard.ts";
 * const common: GuardCommonOptions<Env, "/locks/:id"> = {
 *   route: "/locks/:id",
 *   key: (c) => `lock:${c.req.param("id")}`,
 * };
 * const app = new Hono();
 * app.get(common.route!, (c) => c.text(common.key(c)));
 * assert.equal(await (await app.request("/locks/7")).text(), "lock:7");
 * ```
 */
export interface GuardCommonOptions<E extends Env = Env, P extends string = string> {
  /**
   * The path of the route the guard is mounted on, exactly as given to the
   * route (`"/locks/:id"`): types `c.req.param(...)` in the callbacks. The
   * guard answers 500 `route_mismatch` when the route it is mounted on
   * lacks one of its parameters.
   */
  readonly route?: P;
  /** The instance key of a request, e.g. `(c) => \`lock:${c.req.param("id")}\``. */
  readonly key: (c: Context<E, P>) => string;
  /** Default: a new `memoryGuardStore()`. */
  readonly store?: GuardStore;
  /** Node id or shared context for events. Default `"local"`. */
  readonly node?: string | NodeContext;
  /** Where step events go. */
  readonly sink?: EventSink;
}

/**
 * The arguments of the guarded action, by parameter name, from a request;
 * it is given the action (checked to be one of the spec's).
 *
 * @example Read the client from the body
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * import type { GuardArgs } from "./guard.ts";
 * type LeaseArgs = { readonly acquire: { readonly c: number }; readonly release: { readonly c: number } };
 * const args: GuardArgs<LeaseArgs, "acquire"> = async (c) => ({ c: Number((await c.req.json()).client) });
 * const app = new Hono();
 * app.post("/", async (c) => c.json(await args(c, "acquire")));
 * const res = await app.request("/", { method: "POST", body: JSON.stringify({ client: 2 }) });
 * assert.deepEqual(await res.json(), { c: 2 });
 * ```
 */
export type GuardArgs<
  A extends object = SpecArgs,
  K extends keyof A & string = keyof A & string,
  E extends Env = Env,
  P extends string = string,
> = (c: Context<E, P>, action: K) => A[K] | Promise<A[K]>;

/**
 * Options of {@link vigilGuard}: the {@link GuardCommonOptions}, the
 * action, and its arguments. `action` is one of the spec's action names
 * (`K`, checked when the guard is created), or a callback naming it per
 * request (an unknown name answers 404). `args` may be left out only when
 * the action takes no parameter.
 *
 * @example A guarded route refuses a second acquire with 409
 * ```ts
 * import assert from "node:assert/strict";
 * import { type Env, Hono } from "hono";
 * import { loadSpec } from "../monitor/load_spec.ts";
 * import { type GuardOptions, vigilGuard } from "./guard.ts";
 * type LeaseArgs = { readonly acquire: { readonly c: number }; readonly release: { readonly c: number } };
 * const lease = await loadSpec(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const options: GuardOptions<LeaseArgs, "acquire", Env, "/locks/:id/acquire"> = {
 *   route: "/locks/:id/acquire",
 *   key: (c) => `lock:${c.req.param("id")}`,
 *   action: "acquire",
 *   args: async (c) => ({ c: Number((await c.req.json()).client) }),
 * };
 * const app = new Hono();
 * app.post("/locks/:id/acquire", vigilGuard(lease, options), (c) => c.json({ ok: true }));
 * const post = (client: number) =>
 *   app.request("/locks/7/acquire", { method: "POST", body: JSON.stringify({ client }) });
 * assert.equal((await post(1)).status, 200);
 * const refused = await post(2);
 * assert.equal(refused.status, 409);
 * assert.equal((await refused.json()).guard, "require mode == free");
 * ```
 */
export type GuardOptions<
  A extends object = SpecArgs,
  K extends keyof A & string = keyof A & string,
  E extends Env = Env,
  P extends string = string,
> =
  & GuardCommonOptions<E, P>
  & {
    /** The action: one of the spec's names, or a callback naming it per request. */
    readonly action: K | ((c: Context<E, P>) => string | Promise<string>);
  }
  & (Record<never, never> extends A[K] ? {
      /** The action's arguments. Default: none. */
      readonly args?: GuardArgs<A, K, E, P>;
    }
    : {
      /** The action's arguments (required: the action takes parameters). */
      readonly args: GuardArgs<A, K, E, P>;
    });

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

/** Thrown inside the guard to answer with a problem (never leaves it). */
class Answer {
  readonly problem: TransitionProblem;
  constructor(problem: TransitionProblem) {
    this.problem = problem;
  }
}

/** Hono's `HTTPException` (or any error carrying its own response): a callback answering itself. */
function answersItself(e: unknown): boolean {
  return e instanceof Error && typeof (e as { getResponse?: unknown }).getResponse === "function";
}

/** The loaded spec of a spec or of a generated class (its static `spec`). */
function specOf(spec: LoadedSpec | { readonly spec: LoadedSpec }): LoadedSpec {
  if (typeof spec !== "object" && typeof spec !== "function" || spec === null) {
    throw new TypeError(
      `vigilGuard takes a loaded spec or a generated class, got ${
        spec === null ? "null" : typeof spec
      }`,
    );
  }
  const found = "monitor" in spec ? spec : spec.spec;
  if (typeof found?.monitor !== "function") {
    throw new TypeError("vigilGuard takes a loaded spec or a generated class with a static 'spec'");
  }
  return found;
}

/** The options' shape without the type-level action and argument rules. */
interface Checked {
  readonly route?: string;
  readonly key: (c: Context) => string;
  readonly action: string | ((c: Context) => string | Promise<string>);
  readonly args?: (c: Context, action: string) => ActionArgs | Promise<ActionArgs>;
  readonly store?: GuardStore;
  readonly node?: string | NodeContext;
  readonly sink?: EventSink;
}

/** Checks the options when the guard is created: every mistake a request would meet. */
function checkOptions(spec: LoadedSpec, options: Checked): void {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("vigilGuard needs options: at least 'key' and 'action'");
  }
  for (const name of ["key", "args"] as const) {
    const f = options[name];
    if ((name === "key" || f !== undefined) && typeof f !== "function") {
      throw new TypeError(`Option '${name}' of vigilGuard must be a function, got ${typeof f}`);
    }
  }
  const { action, route } = options;
  if (route !== undefined && (typeof route !== "string" || !route.startsWith("/"))) {
    throw new TypeError(
      `Option 'route' of vigilGuard must be a path such as '/locks/:id', got '${String(route)}'`,
    );
  }
  if (typeof action === "function") return;
  if (typeof action !== "string") {
    throw new TypeError(
      `Option 'action' of vigilGuard must be an action name or a function, got ${typeof action}`,
    );
  }
  const index = spec.actionIndex(action);
  if (index < 0) {
    throw new TypeError(
      `Option 'action' of vigilGuard: ${unknownActionMessage(action, spec.name, spec.actions)}`,
    );
  }
  const params = spec.meta.actions[index]!.params.map((p) => `'${p.name}'`);
  if (params.length > 0 && options.args === undefined) {
    throw new TypeError(
      `Option 'args' of vigilGuard is missing: action '${action}' of spec '${spec.name}' takes ${
        params.join(", ")
      }`,
    );
  }
}

/**
 * Creates the guard middleware for one loaded spec (or generated class).
 *
 * @throws {TypeError} When the options are wrong: an action the spec does
 * not have (naming the nearest), an action with parameters and no `args`,
 * a `key` that is not a function, a class whose spec is not loaded yet.
 *
 * @example Guard lock routes, typed by the route
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * import { loadSpec } from "../monitor/load_spec.ts";
 * import { vigilGuard } from "./guard.ts";
 * const lease = await loadSpec(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const app = new Hono();
 * app.post(
 *   "/locks/:id/:action{acquire|release}",
 *   vigilGuard(lease, {
 *     route: "/locks/:id/:action{acquire|release}",
 *     key: (c) => `lock:${c.req.param("id")}`,
 *     action: (c) => c.req.param("action"),
 *     args: async (c) => ({ c: Number((await c.req.json()).client) }),
 *   }),
 *   (c) => c.json({ ok: true }),
 * );
 * const post = (path: string, client: number) =>
 *   app.request(path, { method: "POST", body: JSON.stringify({ client }) });
 * assert.equal((await post("/locks/7/acquire", 1)).status, 200);
 * const refused = await post("/locks/7/release", 2);
 * assert.equal(refused.status, 409);
 * assert.equal(refused.headers.get("content-type"), "application/problem+json");
 * assert.equal((await refused.json()).guard, "require mode == held and owner == c");
 * assert.equal((await post("/locks/7/acquire", 9)).status, 422); // bad_argument: 9 is no Client
 * assert.throws(
 *   () => vigilGuard(lease, { key: () => "k", action: "aquire", args: () => ({ c: 1 }) }),
 *   /did you mean 'acquire'\?/,
 * );
 * ```
 */
export function vigilGuard<
  A extends object = SpecArgs,
  K extends keyof A & string = keyof A & string,
  E extends Env = Env,
  P extends string = string,
>(
  spec: TypedSpec<A> | { readonly spec: TypedSpec<A> },
  options: GuardOptions<A, K, E, P>,
): MiddlewareHandler<E, P> {
  const loaded = specOf(spec);
  // The type rules are the caller's; at run time the guard sees plain options.
  const opts = options as unknown as Checked;
  checkOptions(loaded, opts);
  const store = opts.store ?? memoryGuardStore();
  const queue = new KeyedQueue();
  const held = new HeldEvent();
  const sink = opts.sink ?? null;
  const node = opts.node ?? "local";
  // The parameters `route` declares (not the optional ones): the route mounted on must have them.
  const required = [...(opts.route ?? "").matchAll(/:(\w+)(\{[^}]*\})?(\?)?/g)]
    .filter((m) => m[3] === undefined)
    .map((m) => m[1]!);
  const handler: MiddlewareHandler = async (c, next) => {
    try {
      return await guard(c, next);
    } catch (e) {
      if (e instanceof Answer) return problemResponse(e.problem);
      throw e;
    }
  };
  return handler as unknown as MiddlewareHandler<E, P>;

  /** Runs a callback of the options; its error becomes a 500 problem (or its own answer). */
  async function call<T>(
    name: "key" | "action" | "args",
    at: ProblemContext,
    fn: () => T | Promise<T>,
  ): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (answersItself(e)) throw e;
      throw new Answer(callbackProblem(name, e, at));
    }
  }

  async function guard(c: Context, next: () => Promise<void>): Promise<Response | void> {
    const { route } = opts;
    const given = typeof opts.action === "string" ? opts.action : "";
    const early: ProblemContext = { action: given, spec: loaded.name };
    if (route !== undefined && required.length > 0) {
      const params = c.req.param() as Record<string, string | undefined>;
      const missing = required.find((name) => params[name] === undefined);
      if (missing !== undefined) throw new Answer(routeProblem(route, missing, early));
    }
    const key = await call("key", early, () => {
      const k = opts.key(c);
      if (typeof k !== "string") throw new TypeError(`It returned a ${typeof k}, not a string`);
      return k;
    });
    const chosen = opts.action;
    const action = typeof chosen === "string" ? chosen : await call(
      "action",
      { ...early, key },
      async () => {
        const a = await chosen(c);
        if (typeof a !== "string") throw new TypeError(`It returned a ${typeof a}, not a string`);
        return a;
      },
    );
    const at = { action, spec: loaded.name, key };
    if (loaded.actionIndex(action) < 0) {
      throw new Answer(unknownActionProblem(action, loaded.actions, at));
    }
    const makeArgs = opts.args;
    const args = makeArgs === undefined ? {} : await call("args", at, () => makeArgs(c, action));
    return await queue.run(key, async () => {
      let found;
      try {
        found = await store.load(loaded, key);
      } catch (e) {
        if (e instanceof StoredStateError) throw new Answer(storedStateProblem(e, at));
        throw new Answer(storeProblem("load", e, at));
      }
      const m = loaded.monitor({ node, key, mode: "observe", ...(sink ? { sink: held } : {}) });
      try {
        if (found.value !== null) {
          try {
            m.setStateBytes(found.value.state);
          } catch (e) {
            throw new Answer(storeProblem("load", e, at)); // a block of the wrong size
          }
        }
        return await guarded(m, found.version);
      } finally {
        m.close();
      }
    });

    async function guarded(m: Monitor, version: string | null): Promise<Response | void> {
      let v;
      try {
        v = m.check(action, args);
      } catch (e) {
        if (e instanceof TypeError || e instanceof RangeError) {
          throw new Answer(argumentsProblem(e.message, at));
        }
        throw e;
      }
      if (v.code !== 0) {
        m.tryStep(action, args);
        forward(held.take());
        throw new Answer(verdictProblem(v, at));
      }
      await next();
      if (c.res.status < 200 || c.res.status > 299) return;
      const done = m.tryStep(action, args);
      const event = held.take();
      if (done.code !== 0) {
        c.res = problemResponse(verdictProblem(done, at));
        return;
      }
      let committed;
      try {
        committed = await store.commit(loaded, key, m.stateBytes(), version);
      } catch (e) {
        c.res = problemResponse(storeProblem("commit", e, at));
        return;
      }
      if (!committed) {
        c.res = problemResponse(conflictProblem(at));
        return;
      }
      forward(event);
    }
  }

  function forward(e: StepEvent | null): void {
    if (e !== null && sink !== null) sink.push(e);
  }
}
