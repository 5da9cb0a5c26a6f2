/**
 * Serves the order app (`app.ts`) with `Deno.serve`, shipping every step
 * event to the collector's `POST /ingest` over HTTP with this node's token.
 *
 * ```sh
 * deno task vigil compile specs/order.vigil --out dist/
 * deno task vigil collector --spec dist/order.js --port 8080 --kv none --token orders-edge-1=s3cret
 * deno run -A examples/edge-orders/main.ts --collector http://127.0.0.1:8080 --token s3cret --port 8000
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import { createBatcher, httpTransport } from "@vigil/vigil";
import { ROOT } from "../support/processes.ts";
import { createOrderApp } from "./app.ts";
import { OrderMonitor } from "./order.monitor.ts";

const HELP = `Usage: deno run -A examples/edge-orders/main.ts [options]

  --port n          HTTP port (default 8000; 0 picks a free one)
  --collector url   collector base URL (default http://127.0.0.1:8080)
  --token t         this node's ingest token (default s3cret)
  --node id         node id in the events (default orders-edge-1)
  --spec file       compiled Order bindings (default dist/order.js)`;

const { values: flags } = parseArgs({
  args: Deno.args,
  options: {
    port: { type: "string", default: "8000" },
    collector: { type: "string", default: "http://127.0.0.1:8080" },
    token: { type: "string", default: "s3cret" },
    node: { type: "string", default: "orders-edge-1" },
    spec: { type: "string", default: "dist/order.js" },
    help: { type: "boolean", default: false },
  },
});
if (flags.help) {
  console.log(HELP);
  Deno.exit(0);
}

// The generated class loads the compiled spec, checking it was compiled from the same source.
const spec = await OrderMonitor.load(
  flags.spec.startsWith("/") ? flags.spec : `${ROOT}${flags.spec}`,
);
const ingest = new URL("/ingest", flags.collector);
const batcher = createBatcher(httpTransport(ingest, { token: flags.token }), { maxDelayMs: 20 });
const app = createOrderApp(spec, { sink: batcher, node: flags.node });
const server = Deno.serve({
  hostname: "127.0.0.1",
  port: Number(flags.port),
  onListen: ({ hostname, port }) =>
    console.log(`edge-orders listening on http://${hostname}:${port}/ (events to ${ingest})`),
}, app.fetch);

const stop = async (sig: string) => {
  await server.shutdown();
  await batcher.close();
  const s = batcher.stats();
  console.log(`${sig}: done: sent ${s.sent} events (${s.errors} failed sends)`);
  Deno.exit(0);
};
for (const sig of ["SIGINT", "SIGTERM"] as const) Deno.addSignalListener(sig, () => stop(sig));
