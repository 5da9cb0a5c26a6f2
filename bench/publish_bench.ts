/**
 * The sending side of the end-to-end path in process: Lease monitors of
 * `--nodes` nodes (`--keys` keys each, acquire then release: the workload of
 * `tools/harness/lease/workload.ts`, as `bench/e2e_publisher.ts` steps
 * them), each node with its own batcher
 * (batches of `--max-events`), the steps' CPU cost per event with:
 *
 * - `no sink`: the monitors alone (the SDK's step, the floor);
 * - `null step sink`: a sink that takes the batcher's scalar step and does
 *   nothing (the SDK's share of emitting an event: clock, dependencies,
 *   the call);
 * - `memory`: a batcher over the memory transport (numbering, encoding,
 *   batch hand-over);
 * - `nats`: a batcher over core NATS to a nats-server this file starts on a
 *   free loopback port, with no subscriber (the NATS client's publish and
 *   socket writes added; the server's CPU is not counted);
 * - `jetstream`: a batcher over the JetStream transport (window 128, as
 *   `bench/e2e_publisher.ts`) into the events stream on that server
 *   (publish acks awaited; purged between runs), through the client's
 *   `jetstream()`;
 * - `jetstream lean`: the same through `jetstreamPublisher`.
 *
 * Rounds alternate the cases, so each sees the same machine; the lines give
 * CPU ns per event of this process (all threads), best and median.
 *
 * Run: `deno run -A bench/publish_bench.ts [--events 400000] [--rounds 5]`
 *
 * @module
 */
import process from "node:process";
import { connect } from "@nats-io/transport-node";
import { createBatcher } from "../runtime/batcher/batcher.ts";
import { PUSH_STEP } from "../runtime/batcher/batcher_types.ts";
import type { Batcher } from "../runtime/batcher/batcher.ts";
import { memoryTransport } from "../runtime/transports/memory.ts";
import { natsTransport } from "../runtime/transports/nats.ts";
import {
  ensureStream,
  jetstreamPublisher,
  jetstreamTransport,
} from "../runtime/transports/jetstream.ts";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { Transport } from "../runtime/transports/transport.ts";
import { startNatsServer } from "../tools/harness/nats_server.ts";
import {
  compiledLease,
  leaseMonitors,
  leaseWorkloadFlags,
  stepLease,
} from "../tools/harness/lease/workload.ts";

const { events: total, rounds, nodes: nodeCount, keys, maxEvents } = leaseWorkloadFlags(Deno.args);
const { lease } = await compiledLease();
const server = await startNatsServer();
const nc = await connect({ servers: server.url });
const jsm = await jetstreamManager(nc);
await ensureStream(jsm);
const js = jetstream(nc);
const lean = jetstreamPublisher(nc);

let run = 0;
/** A sink taking scalar steps that keeps nothing. */
const nullSink = { push() {}, [PUSH_STEP]() {} };

/**
 * Steps `total` events through fresh nodes whose batchers use `transport()`
 * (`"null"`: the null step sink); CPU ns per event.
 */
async function steps(transport: (() => Transport) | null | "null"): Promise<number> {
  run++;
  const batchers: Batcher[] = [];
  const monitors = leaseMonitors(lease, {
    nodes: nodeCount,
    keys,
    prefix: `r${run}`,
    sinkOf: () => {
      if (transport === null) return undefined;
      if (transport === "null") return nullSink;
      const batcher = createBatcher(transport(), {
        maxEvents,
        maxDelayMs: 2,
        maxInFlight: 16,
        policy: "block",
      });
      batchers.push(batcher);
      return batcher;
    },
  });
  const c0 = process.cpuUsage();
  let sent = 0;
  for (let round = 0; sent < total; round++) {
    stepLease(monitors, round);
    sent += 2;
    if ((round & 8191) === 8191) {
      for (const b of batchers) if (b.stats().buffered > 8192) await b.flush();
      await new Promise((r) => setTimeout(r, 0));
    }
  }
  await Promise.all(batchers.map((b) => b.close()));
  const c = process.cpuUsage(c0);
  for (const b of batchers) {
    if (b.stats().sent !== total / nodeCount) {
      throw new Error(`A batcher sent ${b.stats().sent} of ${total / nodeCount} events`);
    }
  }
  return ((c.user + c.system) * 1e3) / sent;
}

const cases: Record<string, (() => Transport) | null | "null"> = {
  "no sink": null,
  "null step sink": "null",
  memory: () => memoryTransport(),
  nats: () => natsTransport(nc),
  jetstream: () => jetstreamTransport(js, { window: 128 }),
  "jetstream lean": () => jetstreamTransport(lean, { window: 128 }),
};
const results: Record<string, number[]> = {};
try {
  for (let r = 0; r < rounds + 1; r++) {
    for (const [name, t] of Object.entries(cases)) {
      const ns = await steps(t);
      if (name.startsWith("jetstream")) await jsm.streams.purge("VIGIL_EVENTS");
      if (r > 0) (results[name] ??= []).push(ns); // round 0 warms up
    }
  }
} finally {
  await nc.close();
  await server.stop();
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(
  `${total} events per run, ${nodeCount} nodes x ${keys} keys, batches of ${maxEvents}, best and median of ${rounds} rounds`,
);
for (const [name, r] of Object.entries(results)) {
  console.log(
    `${name.padEnd(14)} cpu ${Math.min(...r).toFixed(0)} / ${median(r).toFixed(0)} ns/event`,
  );
}
