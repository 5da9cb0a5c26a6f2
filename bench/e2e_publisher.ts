/**
 * One publisher process of the end-to-end benchmark (`bench/e2e_bench.ts`
 * spawns several): `--nodes` SDK nodes, each with its own batcher, stepping
 * Lease instances (acquire, release) on keys of their own, optionally
 * paced to `--rate` events/s, with `--splits` injected split brains (two
 * nodes acquiring the same fresh key) spread over the run. Publishes over
 * core NATS or JetStream (through `jetstreamPublisher`, or the client's
 * `jetstream()` with `--js-client`). Once set up it publishes `vigil.bench.ready` and
 * waits for `vigil.bench.go`, so all publishers start sending together.
 * Prints one JSON line with what it sent. `--max-events` is the batch size
 * (default the batcher's, `DEFAULT_MAX_EVENTS`); `--cpu-prof <file>` writes a V8 CPU profile of the sending
 * and adds the functions with the most self time to the line, and
 * `--alloc-prof <file>` does the same for allocations.
 *
 * The line also says what the process did before its first event
 * (`startup`, ms from the process's time origin, `performance.timeOrigin`:
 * modules imported, connected, spec loaded, monitors made, ready; then the
 * go signal and the first batch handed to the client, as epoch ms in
 * `at`) and its CPU (`cpuSeconds`: while sending, from the go signal to
 * the last batch accepted; `cpuSecondsStartup`: from the process's start to
 * the go signal). `--warm-up <events>`: see {@link warmUpEvents}.
 *
 * @module
 */
import process from "node:process";
import { connect } from "@nats-io/transport-node";
import { jetstream } from "@nats-io/jetstream";
import { createBatcher } from "../runtime/batcher/batcher.ts";
import type { Batcher } from "../runtime/batcher/batcher.ts";
import { jetstreamPublisher, jetstreamTransport } from "../runtime/transports/jetstream.ts";
import { natsTransport } from "../runtime/transports/nats.ts";
import { createNode } from "../runtime/monitor/node.ts";
import { loadSpec } from "../runtime/monitor/load_spec.ts";
import type { Monitor } from "../runtime/monitor/monitor_types.ts";
import type { Transport } from "../runtime/transports/transport.ts";
import { benchArgs } from "../tools/harness/bench_args.ts";
import { startProfiler, topAllocations, topSelf } from "./v8_profile.ts";

/** The module's imports are evaluated: ms since the process's time origin. */
const importedMs = performance.now();
const flags = benchArgs(Deno.args, {
  string: [
    "url",
    "mode",
    "events",
    "nodes",
    "prefix",
    "rate",
    "splits",
    "spec",
    "keys",
    "cpu-prof",
    "alloc-prof",
    "max-events",
    "warm-up",
  ],
  boolean: ["js-client"],
});
const num = (name: string, dflt: number) => Number(flags.string.get(name) ?? dflt);
const url = flags.string.get("url")!;
const mode = flags.string.get("mode") ?? "core";
const total = num("events", 100_000);
const nodeCount = num("nodes", 8);
const prefix = flags.string.get("prefix") ?? "p0";
const rate = num("rate", 0);
const splits = num("splits", 0);
const keys = num("keys", 64);
/** `--js-client`: publish through the client's `jetstream(nc)` instead of `jetstreamPublisher(nc)`. */
const jsClient = flags.boolean.has("js-client");

const lease = await loadSpec(flags.string.get("spec") ?? "dist/lease.js");
const specLoadedMs = performance.now();
const nc = await connect({ servers: url });
const connectedMs = performance.now();
/** When the first batch was handed to the client (ms since the time origin; 0: none yet). */
let firstSendMs = 0;
/** The transport of one node, noting the first batch any node hands over. */
const transport = (): Transport => {
  const t = mode === "jetstream"
    ? jetstreamTransport(jsClient ? jetstream(nc) : jetstreamPublisher(nc), { window: 128 })
    : natsTransport(nc);
  return {
    name: t.name,
    send(batch, meta) {
      if (firstSendMs === 0) firstSendMs = performance.now();
      return t.send(batch, meta);
    },
    close: () => t.close(),
  };
};
const nodes = Array.from({ length: nodeCount }, (_, i) => {
  const batcher: Batcher = createBatcher(transport(), {
    ...(flags.string.has("max-events") ? { maxEvents: num("max-events", 0) } : {}),
    maxDelayMs: 2,
    maxInFlight: mode === "jetstream" ? 32 : 16,
    policy: "block",
  });
  return { ctx: createNode({ id: `${prefix}-n${i}` }), batcher, monitors: [] as Monitor[] };
});
for (const [i, n] of nodes.entries()) {
  for (let k = 0; k < keys; k++) {
    n.monitors.push(
      lease.monitor({ node: n.ctx, key: `${prefix}:${i}:${k}`, sink: n.batcher, mode: "observe" }),
    );
  }
}

const monitorsMs = performance.now();

/**
 * `--warm-up <events>` (diagnostic, default 0): before announcing readiness,
 * step that many events of the same workload through scratch nodes whose
 * batchers hand their batches to a transport that drops them (nothing
 * reaches NATS), so the SDK's and the batcher's code is compiled before
 * the go. Tells how much of a run is the publishers' JIT; the time and
 * CPU show in the start-up figures, not in the run.
 */
const warmUpEvents = num("warm-up", 0);
if (warmUpEvents > 0) {
  const drop: Transport = {
    name: "drop",
    send: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
  const scratch = Array.from({ length: nodeCount }, (_, i) => {
    const batcher = createBatcher(drop, {
      ...(flags.string.has("max-events") ? { maxEvents: num("max-events", 0) } : {}),
      maxDelayMs: 2,
      maxInFlight: 16,
      policy: "block",
    });
    const ctx = createNode({ id: `${prefix}-warm-n${i}` });
    const monitors = Array.from(
      { length: keys },
      (_, k) => lease.monitor({ node: ctx, key: `w:${i}:${k}`, sink: batcher, mode: "observe" }),
    );
    return { batcher, monitors };
  });
  for (let done = 0, round = 0; done < warmUpEvents; round++) {
    const n = scratch[round % nodeCount]!;
    const m = n.monitors[Math.floor(round / nodeCount) % keys]!;
    m.tryStep("acquire", { c: 1 });
    m.tryStep("release", { c: 1 });
    done += 2;
    if ((round & 8191) === 8191) await new Promise((r) => setTimeout(r, 0));
  }
  await Promise.all(scratch.map((n) => n.batcher.close()));
}
const warmedMs = performance.now();

// Start together with the other publishers: announce readiness (after the
// slow part of startup), then wait for the bench's go.
const go = nc.subscribe("vigil.bench.go", { max: 1 });
await nc.flush();
const readyMs = performance.now();
nc.publish("vigil.bench.ready", prefix);
for await (const _ of go) break;
const goMs = performance.now();
/** CPU seconds of this process from its start to the go signal. */
const startupCpu = process.cpuUsage();

const profilePath = flags.string.get("cpu-prof");
const allocPath = flags.string.get("alloc-prof");
const profiler = profilePath === undefined && allocPath === undefined
  ? null
  : await startProfiler({ cpuFile: profilePath, allocFile: allocPath });
const start = performance.now();
const cpuAtStart = process.cpuUsage();
const epoch = (ms: number) => Math.round((performance.timeOrigin + ms) * 100) / 100;
const ms1 = (x: number) => Math.round(x * 10) / 10;
const splitEvery = splits > 0 ? Math.floor(total / (splits + 1)) : Infinity;
let sent = 0;
let splitsDone = 0;
let round = 0;
/** Events per pacing step: 10 ms of the target rate, or large bursts when unpaced. */
const CHUNK = rate > 0 ? Math.max(64, Math.floor(rate / 100)) : 16_384;
while (sent < total) {
  for (let c = 0; c < CHUNK && sent < total; round++) {
    const n = nodes[round % nodeCount]!;
    const m = n.monitors[Math.floor(round / nodeCount) % keys]!;
    m.tryStep("acquire", { c: 1 });
    m.tryStep("release", { c: 1 });
    sent += 2;
    c += 2;
    if (sent >= splitEvery * (splitsDone + 1) && splitsDone < splits && nodeCount >= 2) {
      const key = `${prefix}:split:${splitsDone++}`;
      for (const [j, node] of nodes.slice(0, 2).entries()) {
        lease.monitor({ node: node.ctx, key, sink: node.batcher, mode: "observe" })
          .step("acquire", { c: j + 1 });
        sent++;
      }
    }
  }
  for (const n of nodes) if (n.batcher.stats().buffered > 8192) await n.batcher.flush();
  if (rate > 0) {
    const ahead = (sent / rate) * 1000 - (performance.now() - start);
    if (ahead > 1) await new Promise((r) => setTimeout(r, ahead));
  } else {
    await new Promise((r) => setTimeout(r, 0));
  }
}
await Promise.all(nodes.map((n) => n.batcher.close()));
const seconds = (performance.now() - start) / 1000;
await nc.drain();
/** CPU seconds of this process while sending (startup excluded). */
const cpu = process.cpuUsage(cpuAtStart);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const profile = profiler === null ? null : await profiler.stop();
console.log(JSON.stringify({
  prefix,
  sent,
  seconds,
  rate: sent / seconds,
  splits: splitsDone,
  cpuSeconds,
  cpuSecondsStartup: (startupCpu.user + startupCpu.system) / 1e6,
  /** ms since the process's time origin at each step of its start. */
  startup: {
    imported: ms1(importedMs),
    specLoaded: ms1(specLoadedMs),
    connected: ms1(connectedMs),
    monitors: ms1(monitorsMs),
    warmedUp: ms1(warmedMs),
    ready: ms1(readyMs),
  },
  /** Epoch ms: the process's time origin, the go signal, the first batch handed over, the last accepted. */
  at: {
    origin: epoch(0),
    go: epoch(goMs),
    firstSend: epoch(firstSendMs),
    done: epoch(start + seconds * 1000),
  },
  ...(profile?.cpu == null ? {} : {
    profile: { file: profilePath, selfTime: topSelf(profile.cpu, 25) },
  }),
  ...(profile?.alloc == null ? {} : {
    allocations: { file: allocPath, bytes: topAllocations(profile.alloc, 25) },
  }),
}));
