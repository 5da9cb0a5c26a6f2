/**
 * The lease Worker: a Hono app whose lock routes are guarded by
 * `specs/lease.vigil` with `vigilGuard`, shipping every step to a
 * collector's `POST /ingest` over HTTP with this node's token.
 *
 * Routes:
 * - `POST /locks/:id/acquire` `{ "client": 1 }` -> `acquire(c)`
 * - `POST /locks/:id/release` `{ "client": 1 }` -> `release(c)`
 * - `GET /locks/:id` -> the lock's state as this Worker's guard sees it
 *
 * A refused transition answers `409 application/problem+json` naming the
 * failed `require` and its spec line.
 *
 * How it fits a Worker:
 * - The compiled spec is the core module imported as a WebAssembly module
 *   (`import lease from "./lease.core.wasm"`), handed to `loadSpec`: no
 *   bytes are compiled at run time.
 * - Everything is made on the first request (a Worker may not generate
 *   random values, which the node's boot id needs, outside a request) and
 *   kept for the isolate's life: the spec, the guard's store, one node
 *   (one boot, so one event stream with consecutive sequence numbers) and
 *   one batcher.
 * - A Worker's timers die with the request that set them. The batcher's
 *   timers go through {@link requestTimers}, and each request first runs
 *   those whose request ended before they fired. After answering, each
 *   request flushes the batcher inside `ctx.waitUntil`, at most
 *   `flushBudgetMs`: the events go out with the request that made them.
 *   The transport's attempts are bounded to fit that budget; a batch that
 *   still fails is retried by the batcher's retry timer, that is by a later
 *   request.
 *
 * @module
 */
import { Hono } from "hono";
import {
  type Batcher,
  createBatcher,
  createNode,
  httpTransport,
  type LoadedSpec,
  loadSpec,
} from "@vigil/vigil";
import { memoryGuardStore, vigilGuard } from "@vigil/vigil/hono";
import { type RequestTimers, requestTimers } from "./request_timers.ts";

/** The bindings the Worker reads (see `config.capnp`). */
export interface LeaseWorkerEnv {
  /** This Worker's node id in the events, e.g. `edge-a`. */
  readonly NODE_ID?: string | null;
  /** The collector's base URL, e.g. `http://127.0.0.1:8080`. */
  readonly VIGIL_COLLECTOR_URL?: string | null;
  /** This node's ingest token (the collector's `--token <node>=<token>`). */
  readonly VIGIL_TOKEN?: string | null;
}

/** The part of a Worker's execution context the Worker uses. */
export interface WaitUntil {
  waitUntil(promise: Promise<unknown>): void;
}

/** A Worker's module export: `export default leaseWorker(lease)`. */
export interface LeaseWorker {
  fetch(request: Request, env: LeaseWorkerEnv, ctx: WaitUntil): Promise<Response>;
}

/** Options of {@link leaseWorker}. */
export interface LeaseWorkerOptions {
  /** How long a request's `waitUntil` flush may take, ms. Default 20 000. */
  readonly flushBudgetMs?: number;
}

/** What one isolate keeps across requests. */
interface Isolate {
  readonly app: Hono;
  readonly batcher: Batcher;
  readonly timers: RequestTimers;
}

/** One attempt of the HTTP transport, ms: three attempts and their backoff fit the flush budget. */
const ATTEMPT_TIMEOUT_MS = 5_000;

function binding(env: LeaseWorkerEnv, name: keyof LeaseWorkerEnv): string {
  const value = env[name];
  if (typeof value !== "string" || value === "") {
    throw new TypeError(`Binding '${name}' is not set (see the Worker's config.capnp)`);
  }
  return value;
}

/** The request body's `client`, as sent: the guard answers 400 for a missing or mistyped one. */
async function clientOf(req: { json(): Promise<unknown> }): Promise<unknown> {
  try {
    return (await req.json() as { client?: unknown } | null)?.client;
  } catch {
    return undefined; // no body, or not JSON
  }
}

function createApp(lease: LoadedSpec, batcher: Batcher, nodeId: string): Hono {
  const store = memoryGuardStore();
  const node = createNode({ id: nodeId });
  const app = new Hono();
  app.post(
    "/locks/:id/:action{acquire|release}",
    vigilGuard(lease, {
      key: (c) => `lock:${c.req.param("id")}`,
      action: (c) => c.req.param("action") ?? "",
      args: async (c) => ({ c: await clientOf(c.req) }),
      store,
      node,
      sink: batcher,
    }),
    (c) => c.json({ lock: c.req.param("id"), action: c.req.param("action"), node: nodeId }),
  );
  app.get("/locks/:id", async (c) => {
    const key = `lock:${c.req.param("id")}`;
    const { value } = await store.load(lease.name, key);
    const m = lease.monitor({ key });
    try {
      if (value !== null) m.setStateBytes(value.state);
      return c.json({ lock: c.req.param("id"), node: nodeId, state: m.state });
    } finally {
      m.close();
    }
  });
  return app;
}

async function startIsolate(module: WebAssembly.Module, env: LeaseWorkerEnv): Promise<Isolate> {
  const nodeId = binding(env, "NODE_ID");
  const ingest = new URL("/ingest", binding(env, "VIGIL_COLLECTOR_URL"));
  const token = binding(env, "VIGIL_TOKEN");
  const lease = await loadSpec(module);
  const timers = requestTimers();
  const transport = httpTransport(ingest, { token, timeoutMs: ATTEMPT_TIMEOUT_MS, retries: 2 });
  const batcher = createBatcher(transport, { timers, maxDelayMs: 20 });
  return { app: createApp(lease, batcher, nodeId), batcher, timers };
}

/** Resolves when `batcher.flush()` does or `ms` have passed, whichever is first. */
async function flushWithin(batcher: Batcher, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), ms)));
  try {
    if (await Promise.race([batcher.flush().then(() => "done" as const), late]) === "late") {
      console.warn(`Events not shipped within ${ms} ms stay buffered for a later request`);
    }
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Creates the Worker for the compiled lease spec's core module.
 *
 * @example The Worker's entry module
 * ```ts ignore
 * import lease from "./lease.core.wasm";
 * import { leaseWorker } from "./app.ts";
 * export default leaseWorker(lease);
 * ```
 */
export function leaseWorker(
  module: WebAssembly.Module,
  options: LeaseWorkerOptions = {},
): LeaseWorker {
  if (!(module instanceof WebAssembly.Module)) {
    throw new TypeError(`The lease spec must be a WebAssembly.Module, got '${typeof module}'`);
  }
  const flushBudgetMs = options.flushBudgetMs ?? 20_000;
  let isolate: Promise<Isolate> | null = null;
  return {
    async fetch(request, env, ctx) {
      const starting = isolate ??= startIsolate(module, env);
      let running: Isolate;
      try {
        running = await starting;
      } catch (e) {
        if (isolate === starting) isolate = null; // the next request tries again
        console.error(e);
        return new Response(`Cannot start the Worker: ${(e as Error).message}\n`, { status: 500 });
      }
      running.timers.runDue();
      const response = await running.app.fetch(request);
      ctx.waitUntil(flushWithin(running.batcher, flushBudgetMs));
      return response;
    },
  };
}
