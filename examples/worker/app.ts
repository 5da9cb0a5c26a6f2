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
 * - A Worker does nothing between requests: a timer fires only while the
 *   request that set it runs, and a promise made in a request that is over
 *   never continues. So the batcher never asks the platform for a timer:
 *   its timers are {@link requestTimers}, which requests run. Each request
 *   answers, then, inside `ctx.waitUntil`, runs the timers that are due
 *   (the flush of its own events, after 0 ms, and the retries of earlier
 *   sends that failed) and waits until every send it started has settled. The transport's attempts are bounded (3 of at most 5 s
 *   each) well within the request's `shipBudgetMs`, so no send outlives
 *   its request. A send that failed for good is retried by the next
 *   request that finds its retry due; until then its events stay in the
 *   isolate's buffer.
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
  /**
   * How long a request may wait, after answering, for its sends to settle, ms;
   * at least {@link SEND_BOUND_MS}. Default 25 000.
   */
  readonly shipBudgetMs?: number;
}

/** What one isolate keeps across requests. */
interface Isolate {
  readonly app: Hono;
  readonly batcher: Batcher;
  readonly timers: RequestTimers;
}

/** One attempt of the HTTP transport at most, ms. */
const ATTEMPT_TIMEOUT_MS = 5_000;
/** Attempts after the first failed one. */
const RETRIES = 2;
/** The longest one send can take: every attempt timing out, and the backoff between them (100, 200 ms). */
export const SEND_BOUND_MS = (RETRIES + 1) * ATTEMPT_TIMEOUT_MS + 300;

function binding(env: LeaseWorkerEnv, name: keyof LeaseWorkerEnv): string {
  const value = env[name];
  if (typeof value !== "string" || value === "") {
    throw new TypeError(`Binding '${name}' is not set (see the Worker's config.capnp)`);
  }
  return value;
}

/** The request body's `client`, as sent: the guard answers 422 for a missing or mistyped one. */
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
  const transport = httpTransport(ingest, {
    token,
    timeoutMs: ATTEMPT_TIMEOUT_MS,
    retries: RETRIES,
  });
  // A flush delay of 0: the request's own events are ready when it runs its due timers.
  const batcher = createBatcher(transport, { timers, maxDelayMs: 0 });
  return { app: createApp(lease, batcher, nodeId), batcher, timers };
}

/**
 * Runs the batcher's due timers, so the sends that are due start (this
 * request's events, retries), and resolves once no send is in flight, or
 * after `budgetMs` (with a warning).
 */
async function ship(isolate: Isolate, budgetMs: number): Promise<void> {
  const { batcher, timers } = isolate;
  const statuses = batcher.status()[Symbol.asyncIterator]();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), budgetMs);
  });
  try {
    timers.runDue();
    // Each settled send is a status (flush or error); the next one may have started by then.
    while (batcher.stats().inFlight > 0) {
      const next = await Promise.race([statuses.next(), late]);
      if (next === "late") {
        console.warn(
          `Sends still in flight after ${budgetMs} ms: the request may end before they settle`,
        );
        return;
      }
      if (next.done === true) return;
    }
  } finally {
    clearTimeout(timer);
    await statuses.return?.();
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
  const shipBudgetMs = options.shipBudgetMs ?? 25_000;
  if (!(shipBudgetMs >= SEND_BOUND_MS)) {
    throw new RangeError(
      `Option 'shipBudgetMs' must be at least ${SEND_BOUND_MS} (the longest send), got '${shipBudgetMs}'`,
    );
  }
  let isolate: Isolate | null = null;
  return {
    async fetch(request, env, ctx) {
      if (isolate === null) {
        // Each request awaits only what it started itself (a promise of a request that is over
        // never continues): concurrent first requests each start one, and the first kept wins.
        try {
          const started = await startIsolate(module, env);
          isolate ??= started;
        } catch (e) {
          console.error(e);
          return new Response(`Cannot start the Worker: ${(e as Error).message}\n`, {
            status: 500,
          });
        }
      }
      const running = isolate;
      const response = await running.app.fetch(request);
      ctx.waitUntil(ship(running, shipBudgetMs));
      return response;
    },
  };
}
