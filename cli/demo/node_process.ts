/**
 * One process of `vigil demo --nats`: the lock server (`--role server`) or
 * a client node (`--role client --node node-1`). Like any service using
 * Vigil, it opens its own NATS connection; a client ships its events with
 * the JetStream transport (stream `VIGIL_EVENTS` ensured) and talks to the
 * lock server over NATS request/reply, every message carrying an HLC stamp.
 *
 * Prints `ready` on standard output once it serves (server) or runs
 * (client); stops on SIGINT, SIGTERM or when standard input closes (the
 * demo that started it is gone), shipping what it holds first.
 *
 * Run by the demo: `deno run -A cli/demo/node_process.ts --nats <url> --run <id> --role client --node node-1 --spec <dir>/lease.js`
 *
 * @module
 */
import process from "node:process";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { createClock, formatStamp, loadSpec } from "../../mod.ts";
import { ensureStream, jetstreamTransport } from "../../runtime/transports/jetstream.ts";
import {
  DEMO_EVENTS_SUBJECT,
  DEMO_WINDOW_MS,
  demoSubjects,
  NODES,
  raceWorkMs,
  SERVER_SKEW_MS,
  skewedNow,
  startNode,
} from "./cluster.ts";
import { type LockLink, type LockReply, type LockRequest, LockServer, sleep } from "./lock.ts";
import { parseFlags } from "../flags.ts";
import { isEntryModule } from "../runtime.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const json = (v: unknown) => encoder.encode(JSON.stringify(v));

/** Resolves on SIGINT, SIGTERM or end of standard input. */
function stopRequested(): Promise<void> {
  return new Promise((resolve) => {
    for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => resolve());
    process.stdin.once("end", () => resolve());
    process.stdin.once("error", () => resolve());
    process.stdin.resume(); // read (and drop) until EOF
  });
}

function serve(nc: NatsConnection, run: string): void {
  const s = demoSubjects(run);
  const server = new LockServer({
    clock: createClock({ now: skewedNow(SERVER_SKEW_MS) }),
    raceWorkMs: raceWorkMs(DEMO_WINDOW_MS.nats),
    onNote: (text) => nc.publish(s.note, encoder.encode(text)),
  });
  nc.subscribe(s.lock, {
    callback: (err, msg) => {
      if (err !== null) return;
      msg.respond(json(server.handle(JSON.parse(decoder.decode(msg.data)) as LockRequest)));
    },
  });
  nc.subscribe(s.control, {
    callback: (err, msg) => {
      if (err !== null) return;
      const { op, lock } = JSON.parse(decoder.decode(msg.data)) as { op: string; lock?: string };
      if (op === "race" && lock !== undefined) server.injectRace(lock);
      msg.respond(json(server.stats));
    },
  });
}

function natsLink(nc: NatsConnection, run: string, signal: AbortSignal): LockLink {
  const subject = demoSubjects(run).lock;
  const gaveUp: LockReply = {
    ok: false,
    token: 0,
    workMs: 0,
    stamp: formatStamp({ wall: 0, logical: 0 }),
  };
  return async (req) => {
    while (!signal.aborted) {
      try {
        const msg = await nc.request(subject, json(req), { timeout: 2_000 });
        return JSON.parse(decoder.decode(msg.data)) as LockReply;
      } catch {
        await sleep(100, signal); // no responder yet, or a timeout: ask again
      }
    }
    return gaveUp;
  };
}

async function client(nc: NatsConnection, run: string, id: string, specPath: string) {
  const node = NODES.find((n) => n.id === id);
  if (node === undefined) throw new TypeError(`Unknown demo node '${id}'`);
  const spec = await loadSpec(specPath);
  await ensureStream(await jetstreamManager(nc));
  const abort = new AbortController();
  const running = startNode({
    spec,
    node,
    transport: jetstreamTransport(jetstream(nc), { subject: DEMO_EVENTS_SUBJECT }),
    link: natsLink(nc, run, abort.signal),
    signal: abort.signal,
    onRefused: (e) => console.error(`${id}: refused: ${e.message}`),
  });
  return async () => {
    abort.abort();
    await running.done;
  };
}

async function main(args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, { string: ["nats", "run", "role", "node", "spec"] });
  const get = (name: string) => {
    const v = flags.string.get(name);
    if (v === undefined) throw new TypeError(`Flag '--${name}' is required`);
    return v;
  };
  const role = get("role");
  const run = get("run");
  const nc = await connect({
    servers: get("nats"),
    name: `vigil-demo-${flags.string.get("node") ?? role}`,
  });
  let stop = () => Promise.resolve();
  if (role === "server") serve(nc, run);
  else stop = await client(nc, run, get("node"), get("spec"));
  await nc.flush();
  console.log("ready");
  await stopRequested();
  await stop();
  await nc.drain();
  return 0;
}

if (isEntryModule(import.meta)) process.exit(await main(process.argv.slice(2)));
