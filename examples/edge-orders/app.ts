/**
 * The order workflow as a Hono app: one spec instance per order id
 * (`order:<id>`), each request a transition of `specs/order.vigil` checked
 * by `vigilGuard` before the handler runs. A refused transition never
 * reaches the handler: the guard answers `application/problem+json`
 * naming the verdict, the failed `require` and its spec line (409; 422 for
 * an amount outside `0..1000000` or not a number).
 *
 * The guard is typed by the generated class (`order.monitor.ts`, what
 * `vigil compile specs/order.vigil` writes): each route names its action
 * as a literal of `OrderAction` and returns that action's arguments
 * (`OrderArgs`), so a misspelled action or argument does not compile, and
 * `route` types `c.req.param("id")`.
 *
 * Routes:
 * - `POST /orders/:id/price` `{ "amount": 2500 }` -> `setPrice(amount)`
 * - `POST /orders/:id/pay` `{ "amount": 2500 }` -> `pay(amount)`
 * - `POST /orders/:id/ship` -> `ship`
 * - `POST /orders/:id/deliver` -> `deliver`
 * - `POST /orders/:id/cancel` -> `cancel`
 * - `POST /orders/:id/refund` `{ "amount": 500 }` -> `refund(amount)`
 * - `GET /orders/:id` -> the order's state as the spec sees it
 *
 * @module
 */
import { type Context, Hono } from "hono";
import type { EventSink } from "@vigil/vigil";
import { type GuardStore, memoryGuardStore, vigilGuard } from "@vigil/vigil/hono";
import type { OrderAction, OrderSpec } from "./order.monitor.ts";

/** Options of {@link createOrderApp}. */
export interface OrderAppOptions {
  /** Where the guard's step events go (a batcher). */
  readonly sink?: EventSink;
  /** Node id in the events. Default `orders-edge-1`. */
  readonly node?: string;
  /** Order states. Default: a new `memoryGuardStore()`. */
  readonly store?: GuardStore;
}

/** The `amount` of a JSON body; `NaN` (refused by the spec as `bad_argument`) when there is none. */
async function amountOf(c: Context): Promise<{ amount: number }> {
  try {
    const body = await c.req.json() as { amount?: unknown } | null;
    return { amount: typeof body?.amount === "number" ? body.amount : NaN };
  } catch {
    return { amount: NaN }; // no body or not JSON: the spec refuses the argument
  }
}

/** The handler behind a guard: the transition was allowed. */
function allowed(action: OrderAction) {
  return (c: Context) => c.json({ order: c.req.param("id"), action });
}

/**
 * Creates the order app for the loaded `Order` spec (`await OrderMonitor.load(...)`).
 *
 * @example Ship before paying
 * ```ts
 * import assert from "node:assert/strict";
 * import { OrderMonitor } from "./order.monitor.ts";
 * import { createOrderApp } from "./app.ts";
 * const app = createOrderApp(await OrderMonitor.load(new URL("../../dist/order.core.wasm", import.meta.url)));
 * const res = await app.request("/orders/A-1/ship", { method: "POST" });
 * assert.equal(res.status, 409);
 * assert.equal((await res.json()).guard, "require status == paid");
 * ```
 */
export function createOrderApp(spec: OrderSpec, options: OrderAppOptions = {}): Hono {
  const store = options.store ?? memoryGuardStore();
  const node = options.node ?? "orders-edge-1";
  const on = { store, node, ...(options.sink === undefined ? {} : { sink: options.sink }) };
  const app = new Hono();

  app.post(
    "/orders/:id/price",
    vigilGuard(spec, {
      ...on,
      route: "/orders/:id/price",
      key: (c) => `order:${c.req.param("id")}`,
      action: "setPrice",
      args: amountOf,
    }),
    allowed("setPrice"),
  );
  app.post(
    "/orders/:id/pay",
    vigilGuard(spec, {
      ...on,
      route: "/orders/:id/pay",
      key: (c) => `order:${c.req.param("id")}`,
      action: "pay",
      args: amountOf,
    }),
    allowed("pay"),
  );
  app.post(
    "/orders/:id/refund",
    vigilGuard(spec, {
      ...on,
      route: "/orders/:id/refund",
      key: (c) => `order:${c.req.param("id")}`,
      action: "refund",
      args: amountOf,
    }),
    allowed("refund"),
  );
  // The actions without parameters share one route: the action is its last segment, which the
  // pattern restricts to them (a name the spec lacks would answer 404 unknown_action).
  const bare = "/orders/:id/:action{ship|deliver|cancel}";
  app.post(
    bare,
    vigilGuard(spec, {
      ...on,
      route: bare,
      key: (c) => `order:${c.req.param("id")}`,
      action: (c) => c.req.param("action"),
    }),
    (c) => c.json({ order: c.req.param("id"), action: c.req.param("action") }),
  );

  app.get("/orders/:id", async (c) => {
    const key = `order:${c.req.param("id")}`;
    const { value } = await store.load(spec, key);
    if (value === null) return c.json({ error: `No order '${c.req.param("id")}'` }, 404);
    const m = spec.monitor({ key });
    try {
      m.setStateBytes(value.state);
      return c.json({ order: c.req.param("id"), state: m.state });
    } finally {
      m.close();
    }
  });
  return app;
}
