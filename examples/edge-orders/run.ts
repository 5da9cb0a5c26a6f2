/**
 * Runs the order example end to end: compiles `specs/order.vigil` if
 * needed, starts `vigil collector` (HTTP ingest with a token for this
 * node), starts the app as its own process, sends a scripted series of
 * requests (including shipping an order before it is paid), and prints each
 * answer and what the collector received.
 *
 * ```sh
 * deno run -A examples/edge-orders/run.ts
 * ```
 *
 * @module
 */
import {
  type ApiNode,
  type ApiPartition,
  type CollectorProcess,
  startCollector,
  waitForEvents,
} from "../support/collector.ts";
import { type Child, ensureCompiled, prefixEcho, spawnDeno } from "../support/processes.ts";

/** One scripted request and its answer. */
export interface Exchange {
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
  readonly status: number;
  readonly contentType: string;
  readonly response: Record<string, unknown>;
}

/** What a run observed. */
export interface EdgeOrdersResult {
  readonly exchanges: readonly Exchange[];
  readonly nodes: readonly ApiNode[];
  readonly partitions: readonly ApiPartition[];
}

/** The scripted requests: [method, path, body]. */
export const SCRIPT: readonly (readonly [string, string, unknown?])[] = [
  ["POST", "/orders/A-1/price", { amount: 2500 }],
  ["POST", "/orders/A-1/ship"], // before paying: 409
  ["POST", "/orders/A-1/pay", { amount: 2500 }],
  ["POST", "/orders/A-1/ship"],
  ["POST", "/orders/A-1/deliver"],
  ["POST", "/orders/A-1/refund", { amount: 3000 }], // more than was paid: 409
  ["POST", "/orders/A-1/refund", { amount: 500 }],
  ["POST", "/orders/B-7/pay", { amount: 100 }], // no price yet: 409
  ["GET", "/orders/A-1"],
];

/** Options of {@link runEdgeOrders}. */
export interface EdgeOrdersOptions {
  /** Where the compiled spec goes. Default `dist`. */
  readonly dist?: string;
  readonly echo?: boolean;
  /** Called with the collector once the events arrived, before it stops. */
  readonly inspect?: (collector: CollectorProcess) => Promise<void>;
}

const NODE = "orders-edge-1";
const TOKEN = "example-token-orders-edge-1";

async function exchange(base: string, [method, path, body]: readonly [string, string, unknown?]) {
  const init: RequestInit = { method, signal: AbortSignal.timeout(5_000) };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { "content-type": "application/json" };
  }
  const res = await fetch(`${base}${path}`, init);
  return {
    method,
    path,
    ...(body === undefined ? {} : { body }),
    status: res.status,
    contentType: res.headers.get("content-type") ?? "",
    response: await res.json() as Record<string, unknown>,
  };
}

/**
 * Runs the scripted requests against the app and the collector.
 *
 * @example Run it
 * ```ts ignore
 * const { exchanges } = await runEdgeOrders();
 * console.log(exchanges[1]?.status); // 409
 * ```
 */
export async function runEdgeOrders(options: EdgeOrdersOptions = {}): Promise<EdgeOrdersResult> {
  const echo = options.echo === false ? undefined : prefixEcho;
  const say = echo === undefined ? () => {} : console.log;
  const specJs = await ensureCompiled("specs/order.vigil", options.dist ?? "dist");
  let collector: CollectorProcess | null = null;
  let app: Child | null = null;
  try {
    collector = await startCollector({
      specs: [specJs],
      tokens: { [NODE]: TOKEN },
      ...(echo ? { echo } : {}),
    });
    const args = ["run", "-A", "examples/edge-orders/main.ts", "--port", "0", "--spec", specJs];
    args.push("--collector", collector.base, "--token", TOKEN, "--node", NODE);
    app = spawnDeno("edge-orders", args, echo ? { echo } : {});
    const base = (await app.waitFor(/listening on (http:\/\/[\d.]+:\d+)\//, 20_000))[1]!;
    const exchanges: Exchange[] = [];
    for (const step of SCRIPT) {
      const x = await exchange(base, step);
      exchanges.push(x);
      const body = x.body === undefined ? "" : ` ${JSON.stringify(x.body)}`;
      say(`${x.method} ${x.path}${body} -> ${x.status} ${x.contentType}`);
      say(`  ${JSON.stringify(x.response)}`);
    }
    const posts = SCRIPT.filter(([m]) => m === "POST").length;
    await waitForEvents(collector, [NODE], posts, 10_000);
    const nodes = await collector.get<ApiNode[]>("/api/nodes");
    const partitions = await collector.get<ApiPartition[]>("/api/partitions");
    for (const n of nodes) {
      const local = JSON.stringify(n.localVerdicts);
      say(`collector: ${n.node} sent ${n.events} events, local verdicts ${local}`);
    }
    for (const p of partitions) say(`collector: partition ${p.id}: ${p.applied} events`);
    await options.inspect?.(collector);
    return { exchanges, nodes, partitions };
  } finally {
    await app?.stop("SIGTERM", 3_000);
    await collector?.stop();
  }
}

if (import.meta.main) {
  await runEdgeOrders();
}
