/**
 * One process of the lock service: `--role server` or `--role client --id N`.
 *
 * ```sh
 * deno task vigil compile specs/lease.vigil --out dist/
 * deno task vigil collector --spec dist/lease.js --nats nats://127.0.0.1:4222 --kv none
 * deno run -A examples/lock-service/main.ts --role server --nats nats://127.0.0.1:4222 [--bug]
 * deno run -A examples/lock-service/main.ts --role client --id 1 --nats nats://127.0.0.1:4222
 * ```
 *
 * `run.ts` starts all of it for you. Each process prints
 * `done: sent <n> events` when it stops (SIGINT/SIGTERM, a `stop` line on
 * stdin, or `--duration`).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { lifecycle, NODE_FLAGS, openNode } from "../support/node.ts";
import { runClient } from "./client.ts";
import { runServer } from "./server.ts";

const HELP = `Usage: deno run -A examples/lock-service/main.ts --role server|client [options]

  --role r         server or client
  --id n           client id, 1..3
  --nats url       NATS server (default nats://127.0.0.1:4222)
  --spec file      compiled Lease bindings (default dist/lease.js)
  --stream s       JetStream stream for events (default VIGIL_EVENTS)
  --subject s      event subject (default vigil.events.Lease)
  --prefix p       request subjects prefix (default lock.orders)
  --bug            server: check and grant race (grants a lease twice)
  --enforce        server: its monitor refuses what the spec forbids
  --hold-ms n      client: lease hold time (default 100)
  --duration ms    stop after this long (default: run until Ctrl-C)
  --wait-go        start on a 'go' line on stdin (used by run.ts)
  --verbose        client: print every grant`;

const { values: flags } = parseArgs({
  args: Deno.args,
  options: {
    ...NODE_FLAGS,
    role: { type: "string" },
    id: { type: "string", default: "1" },
    spec: { type: "string", default: "dist/lease.js" },
    prefix: { type: "string", default: "lock.orders" },
    "hold-ms": { type: "string", default: "100" },
    verbose: { type: "boolean", default: false },
  },
});

if (flags.help || (flags.role !== "server" && flags.role !== "client")) {
  console.log(HELP);
  Deno.exit(flags.help ? 0 : 2);
}
const id = Number(flags.id);
if (flags.role === "client" && !(Number.isInteger(id) && id >= 1 && id <= 3)) {
  console.error(`Flag '--id' must be 1, 2 or 3, got '${flags.id}'`);
  Deno.exit(2);
}
const name = flags.role === "server" ? "lock-server" : `client-${id}`;
const { nats, spec, stream, subject } = flags;
const node = await openNode({ name, nats, spec, stream, subject });
const life = lifecycle({ waitGo: flags["wait-go"], durationMs: Number(flags.duration) });
console.log(`${name} ready`);
await life.started;

let summary: string;
if (flags.role === "server") {
  const s = await runServer(node, life.stopped, {
    prefix: flags.prefix,
    bug: flags.bug,
    mode: flags.enforce ? "enforce" : "observe",
    ttlMs: 2_000,
    persistMs: 20,
  });
  summary =
    `${s.grants} grants, ${s.refused} refused, ${s.refusedByMonitor} refused by the monitor, ` +
    `${s.expired} expired, ${s.writes} writes, ${s.staleWrites} stale writes rejected`;
} else {
  const s = await runClient(node, life, {
    prefix: flags.prefix,
    id,
    holdMs: Number(flags["hold-ms"]),
    verbose: flags.verbose,
  });
  summary = `${s.grants} grants, ${s.denied} denied, ${s.writes} writes, ${s.fenced} fenced off`;
}
const sent = await node.close();
console.log(`${summary}`);
console.log(`done: sent ${sent} events`);
Deno.exit(0);
