/**
 * The order workflow as a Hono app: one spec instance per order id
 * (`order:<id>`), each request a transition of `specs/order.vigil` checked
 * by `vigilGuard` before the handler runs. A refused transition never
 * reaches the handler: the guard answers `409 application/problem+json`
 * naming the verdict, the failed `require` and its spec line.
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
import { Hono } from "hono";
import type { EventSink, LoadedSpec } from "@vigil/vigil";
import { type GuardStore, memoryGuardStore, vigilGuard } from "@vigil/vigil/hono";

/** Route segment -> spec action, and whether it takes an `amount`. */
export const OPERATIONS: Readonly<Record<string, { action: string; amount: boolean }>> = {
  price: { action: "setPrice", amount: true },
  pay: { action: "pay", amount: true },
  ship: { action: "ship", amount: false },
  deliver: { action: "deliver", amount: false },
  cancel: { action: "cancel", amount: false },
  refund: { action: "refund", amount: true },
};

/** Options of {@link createOrderApp}. */
export interface OrderAppOptions {
  /** Where the guard's step events go (a batcher). */
  readonly sink?: EventSink;
  /** Node id in the events. Default `orders-edge-1`. */
  readonly node?: string;
  /** Order states. Default: a new `memoryGuardStore()`. */
  readonly store?: GuardStore;
}

/** The operation of a route segment the route pattern already restricted. */
function operation(op: string | undefined): { action: string; amount: boolean } {
  const found = OPERATIONS[op ?? ""];
  if (found === undefined) throw new RangeError(`Unknown operation '${op}'`);
  return found;
}

async function amountOf(req: { json(): Promise<unknown> }): Promise<number> {
  try {
    const body = await req.json() as { amount?: unknown } | null;
    return typeof body?.amount === "number" ? body.amount : NaN;
  } catch {
    return NaN; // no body or not JSON: the spec refuses the argument
  }
}

/**
 * Creates the order app for the loaded `Order` spec.
 *
 * @example Serve the app
 * ```ts ignore
 * import { loadSpec } from "@vigil/vigil";
 * const app = createOrderApp(await loadSpec("dist/order.js"));
 * const res = await app.request("/orders/A-1/ship", { method: "POST" });
 * console.log(res.status); // 409
 * ```
 */
export function createOrderApp(spec: LoadedSpec, options: OrderAppOptions = {}): Hono {
  const store = options.store ?? memoryGuardStore();
  const node = options.node ?? "orders-edge-1";
  const app = new Hono();
  const ops = Object.keys(OPERATIONS).join("|");

  app.post(
    `/orders/:id/:op{${ops}}`,
    vigilGuard(spec, {
      key: (c) => `order:${c.req.param("id")}`,
      action: (c) => operation(c.req.param("op")).action,
      args: async (c) =>
        operation(c.req.param("op")).amount ? { amount: await amountOf(c.req) } : {},
      store,
      node,
      ...(options.sink === undefined ? {} : { sink: options.sink }),
    }),
    (c) => c.json({ order: c.req.param("id"), action: operation(c.req.param("op")).action }),
  );

  app.get("/orders/:id", async (c) => {
    const key = `order:${c.req.param("id")}`;
    const { value } = await store.load(spec.name, key);
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
