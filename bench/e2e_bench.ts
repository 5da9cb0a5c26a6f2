/**
 * End-to-end benchmark: publisher processes (`bench/e2e_publisher.ts`, SDK
 * monitors -> batchers -> NATS) -> nats-server -> the collector in this
 * process (NATS ingest -> core -> alerts). Starts its own nats-server on a
 * free loopback port.
 *
 * Throughput: events/s from the first batch ingested to the last event
 * applied (`eventsPerSecond`, `seconds`). Publishers start sending together
 * (a ready/go barrier over NATS), so one publisher's slower startup is not
 * counted there; `run` gives the run's length and rate from the collector's
 * first event, from the first batch a publisher handed to its NATS client
 * (`fromFirstPublish`), and from the spawning of the publisher processes
 * (`fromProcessStart`: their start-up included), and over the steady part
 * (`steady`: the second half of the events); each publisher's start-up
 * (`publisherStartupMs`: runtime start, imports, spec, connection,
 * monitors, ready, go to first batch) and CPU-seconds per process
 * (`run.cpuSeconds`: each publisher's start-up and sending apart). Alert latency (with `--rate` and `--splits`): for every injected
 * split brain, collector time at the alert minus the HLC wall time of the
 * violating event (taken by the publisher's clock at the step; same
 * machine), as p50/p99; and, to tell the collector's own delay from the
 * rest, each batch's age when the collector gets it (now minus the wall
 * time of its newest event: the publisher's batching, NATS, the
 * collector's queue).
 *
 * CPU (Linux, from `/proc`; omitted elsewhere) over the same interval: the
 * collector process (all threads, and its JS thread alone; and by thread
 * name), nats-server, the whole machine (busy CPU-seconds of all cores,
 * other jobs included), and each publisher while sending. The same per 1M
 * events over the second half of the run (`secondHalfPerMillion`: start-up
 * costs such as JIT compilation are mostly behind by then).
 *
 * Persists (with `--kv <file>`, or the memory store when `--kv` is not
 * given; `--kv none`: no store): each one's snapshot and save time, and
 * `--persist-ms`/`--persist-share` set the service's pacing
 * (`edge/server/persist_pacer.ts`). Alert latency is also given over the
 * alerts after the run's first second (`afterFirstSecond`: start-up, when
 * every process compiles its hot code at once, left out).
 *
 * `--tap` starts `bench/e2e_tap.ts`, a core NATS subscriber in a process of
 * its own, and adds each batch's age when nats-server hands it out
 * (`batchAgeAtNatsMs`: the publishers and the server, without the
 * collector's queue).
 *
 * `--warm-up <events>` warms the collector before it subscribes with the
 * product's warm-up (`edge/server/warm_up.ts`: made-up traffic of the
 * served spec through a scratch collector), as a collector that has been
 * started ahead of its traffic is. Default 40,000, what `vigil collector`
 * does by default before it consumes; `--warm-up 0` starts the collector
 * cold (the difference is what the JIT's compiling costs a run of this
 * length; figures before 2026-12-05 were measured cold). The publishers
 * start cold either way, unless `--publisher-warm-up <events>` (diagnostic:
 * each publisher steps that many events into batchers that drop them
 * before it says it is ready, so the run's difference to a cold one is the
 * publishers' JIT; its cost shows in `run.publisherStartupMs` and
 * `run.cpuSeconds.publishers[i].startup`, and so in `run.fromProcessStart`).
 *
 * The spec is `--spec <path>` (the publishers load the same file), by
 * default `specs/lease.vigil` compiled into a temporary directory.
 *
 * Profiling: `--cpu-prof <file>` records a V8 CPU profile of the collector
 * (this process, through `node:inspector`) from the go signal to the last
 * event applied, writes it to `<file>` (open it in Chrome DevTools) and
 * prints the functions with the most self time. V8 flags for the collector
 * go on the command line (`deno run -A --v8-flags=... bench/e2e_bench.ts`);
 * `--publisher-v8-flags <flags>` passes some to the publishers, and
 * `--publisher-cpu-prof <prefix>` profiles each publisher while it sends
 * (`<prefix>.p0.cpuprofile`, ...), `--publisher-alloc-prof <prefix>` their
 * allocations. `--max-events` sets the publishers'
 * batch size (default the batcher's, `DEFAULT_MAX_EVENTS` of
 * `runtime/batcher/batcher_types.ts`). `--timeline` adds, per 100 ms, the
 * events applied and the CPU of the collector's JS thread, nats-server and
 * the machine; `--publisher-nice <n>` runs the publishers under `nice`;
 * `--js-client` makes the publishers use the client's `jetstream()` rather
 * than `jetstreamPublisher`.
 *
 * Run:
 *   deno run -A bench/e2e_bench.ts --mode core --events 2000000 --procs 2 --nodes 8
 *   deno run -A bench/e2e_bench.ts --mode jetstream --events 1000000 --procs 2 --nodes 8
 *   deno run -A bench/e2e_bench.ts --mode jetstream --events 1000000 --rate 100000 --splits 200 --window-ms 20
 *
 * @module
 */
import process from "node:process";
import { connect } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { loadCompiled } from "../lib/abi/mod.ts";
import { createCollector } from "../edge/engine/collector.ts";
import { startNatsIngest } from "../edge/ingest/nats.ts";
import { type CollectorService, createCollectorService } from "../edge/server/service.ts";
import { decodeToColumns } from "../lib/wire/decode.ts";
import { WireColumns } from "../lib/wire/columns.ts";
import { type CollectorStore, memoryStore } from "../edge/store/store.ts";
import { ensureStream } from "../runtime/transports/jetstream.ts";
import { startNatsServer } from "../tools/harness/nats_server.ts";
import { benchArgs } from "../tools/harness/bench_args.ts";
import { compileToTemp, specSource } from "../tools/harness/spec_files.ts";
import { startProfiler, topAllocations, topSelf } from "./v8_profile.ts";
import { WARM_UP_EVENTS, warmUp, type WarmUpReport } from "../edge/server/warm_up.ts";

const flags = benchArgs(Deno.args, {
  string: [
    "mode",
    "events",
    "procs",
    "nodes",
    "rate",
    "splits",
    "window-ms",
    "spec",
    "kv",
    "cpu-prof",
    "alloc-prof",
    "publisher-v8-flags",
    "publisher-nice",
    "publisher-cpu-prof",
    "publisher-alloc-prof",
    "max-events",
    "persist-ms",
    "persist-share",
    "warm-up",
    "publisher-warm-up",
  ],
  boolean: ["timeline", "tap", "js-client"],
});
const num = (name: string, dflt: number) => Number(flags.string.get(name) ?? dflt);
const mode = (flags.string.get("mode") ?? "core") as "core" | "jetstream";
const events = num("events", 1_000_000);
const procs = num("procs", 2);
const nodes = num("nodes", 8);
const rate = num("rate", 0);
const splits = num("splits", 0);
const windowMs = num("window-ms", 50);
/** The spec: `--spec`, or lease compiled into a temporary directory (no `deno task build` needed). */
const specPath = flags.string.get("spec") ??
  `${(await compileToTemp("lease", specSource("lease"))).dir}/lease.js`;
const kvPath = flags.string.get("kv");
const profilePath = flags.string.get("cpu-prof");
const allocPath = flags.string.get("alloc-prof");
const publisherV8 = flags.string.get("publisher-v8-flags");
/**
 * `--publisher-nice <n>`: run the publishers under `nice -n <n>`, so that the
 * collector gets a core first, as it would with the nodes on other machines
 * (off by default: the goal figures share the cores evenly).
 */
const publisherNice = flags.string.get("publisher-nice");
const launcher = publisherNice === undefined ? Deno.execPath() : "nice";
const niceArgs = publisherNice === undefined ? [] : ["-n", publisherNice, Deno.execPath()];

const server = await startNatsServer();
const nc = await connect({ servers: server.url });
if (mode === "jetstream") await ensureStream(await jetstreamManager(nc));
const collector = createCollector({ specs: [await loadCompiled(specPath)], windowMs });
const kv = kvPath === undefined || kvPath === "none" ? null : await Deno.openKv(kvPath);
const { kvCollectorStore } = await import("../edge/store/kv_store.ts");
const noStore = flags.string.get("kv") === "none";
/** How long each persist held the JS thread (taking the snapshot) and took in all (saved), ms. */
const persists: { snapshot: number; save: number; at: number }[] = [];
const store = noStore ? undefined : kv === null ? memoryStore() : kvCollectorStore(kv);
// As the collector command does at start (an empty store: null); the KV store then knows
// no earlier process left keys where it writes.
await store?.load();
const timedStore: CollectorStore | undefined = store === undefined ? undefined : {
  kind: store.kind,
  async save(snap) {
    const t0 = performance.now();
    persistRunning++;
    try {
      await store.save(snap);
    } finally {
      persistRunning--;
    }
    persists.push({ snapshot: snapshotMs, save: performance.now() - t0, at: t0 });
  },
  load: () => store.load(),
  close: () => store.close(),
};
let snapshotMs = 0;
const takeSnapshot = collector.snapshot.bind(collector);
collector.snapshot = () => {
  const t0 = performance.now();
  const snap = takeSnapshot();
  snapshotMs = performance.now() - t0;
  return snap;
};
const service = createCollectorService(collector, {
  ...(timedStore === undefined ? {} : { store: timedStore }),
  ...(flags.string.has("persist-ms") ? { persistMs: num("persist-ms", 250) } : {}),
  ...(flags.string.has("persist-share") ? { persistShare: num("persist-share", 0.02) } : {}),
});
const latencies: number[] = [];
/** Alert latencies of the alerts raised after the run's first second (start-up left out). */
const steadyLatencies: number[] = [];
/**
 * With `--rate`, each alert split at the arrival of the last of its
 * partition's events: transit (event's wall time to the arrival of its
 * batch at the collector, the latest over the partition's events: the
 * publisher's batching, NATS, the collector's queue) and collector (that
 * arrival to the alert: the reorder window, the advance tick, stalls).
 */
const breakdown: { total: number; transit: number; collector: number; at: number }[] = [];
service.alerts.listen((v) => {
  const at = Date.now();
  latencies.push(at - v.at.wall);
  if (firstAt !== 0 && performance.now() - firstAt > 1000) steadyLatencies.push(at - v.at.wall);
  if (rate === 0) return;
  let arrived = -Infinity;
  for (const e of v.history) arrived = Math.max(arrived, arrivalOf(e.node, e.seq));
  if (!Number.isFinite(arrived)) return;
  breakdown.push({
    total: at - v.at.wall,
    transit: arrived - v.at.wall,
    collector: at - arrived,
    at: performance.now(),
  });
});
/** Per node, the arrival times of its batches: `[firstSeq, count, Date.now()]` triples. */
const batchArrivals = new Map<string, number[]>();
function arrivalOf(node: string, seq: number): number {
  const xs = batchArrivals.get(node) ?? [];
  for (let i = xs.length - 3; i >= 0; i -= 3) {
    if (xs[i]! <= seq && seq < xs[i]! + xs[i + 1]!) return xs[i + 2]!;
  }
  return -Infinity;
}
/**
 * Event-loop stalls of the collector: a 5 ms timer's lateness over 20 ms,
 * with when it happened (performance.now() at its end) and whether a persist
 * was running.
 */
const stalls: { at: number; ms: number; persisting: boolean }[] = [];
let persistRunning = 0;
let lastTick = performance.now();
const stallTimer = setInterval(() => {
  const t = performance.now();
  if (t - lastTick > 25) {
    stalls.push({ at: t, ms: t - lastTick - 5, persisting: persistRunning > 0 });
  }
  lastTick = t;
}, 5);
/** utime + stime of a /proc stat file, seconds. */
function statSeconds(path: string): number {
  const stat = Deno.readTextFileSync(path);
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(f[11]) + Number(f[12])) / 100;
}
/** CPU-seconds of this process's threads, by thread name (Linux; empty elsewhere). */
function threadSeconds(): Map<string, number> {
  const out = new Map<string, number>();
  try {
    for (const t of Deno.readDirSync("/proc/self/task")) {
      const path = `/proc/self/task/${t.name}/stat`;
      const stat = Deno.readTextFileSync(path);
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")).replace(/\d+$/, "#");
      out.set(name, (out.get(name) ?? 0) + statSeconds(path));
    }
  } catch {
    // not Linux, or a thread ended while read
  }
  return out;
}
/** CPU-seconds: this process (all threads; the JS thread), nats-server, the machine (busy, total). */
function cpuNow(): { self: number; main: number; nats: number; busy: number; total: number } {
  const u = process.cpuUsage();
  const out = { self: (u.user + u.system) / 1e6, main: NaN, nats: NaN, busy: NaN, total: NaN };
  try {
    const hz = 100;
    out.main = statSeconds(`/proc/self/task/${Deno.pid}/stat`);
    out.nats = statSeconds(`/proc/${natsPid}/stat`);
    const cpu = Deno.readTextFileSync("/proc/stat").split("\n")[0]!.trim().split(/\s+/).slice(1)
      .map(Number);
    out.total = cpu.reduce((a, b) => a + b, 0) / hz;
    out.busy = out.total - (cpu[3]! + cpu[4]!) / hz;
  } catch {
    // not Linux: CPU figures stay NaN
  }
  return out;
}
/** The nats-server's pid, found by its port in /proc (Linux). */
function findNatsPid(port: number): number {
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync("/proc")];
  } catch {
    return -1; // not Linux
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e.name)) continue;
    let cmd: string[];
    try {
      cmd = Deno.readTextFileSync(`/proc/${e.name}/cmdline`).split("\0");
    } catch {
      continue; // the process ended while the list was read
    }
    if (cmd[0]?.endsWith("nats-server") && cmd.includes(String(port))) return Number(e.name);
  }
  return -1;
}
const natsPid = findNatsPid(server.port);
const round2 = (x: number) => Number(x.toFixed(2));
let firstAt = 0;
let cpuAtFirst = cpuNow();
let threadsAtFirst = threadSeconds();
collector.on((e) => {
  if (firstAt === 0 && e.type === "boot") {
    firstAt = performance.now();
    cpuAtFirst = cpuNow();
    threadsAtFirst = threadSeconds();
  }
});
service.start();
/**
 * With `--rate`, how old each batch is when the collector gets it: now minus
 * the HLC wall time of its newest event (the publisher's batching, NATS and
 * the collector's queue), to tell that from the collector's own delay.
 */
const arrivals: number[] = [];
const peek = new WireColumns();
const ingestService: CollectorService = rate === 0 ? service : {
  ...service,
  ingestBytes(bytes, source, options) {
    const out = service.ingestBytes(bytes, source, options);
    if (out.ok) {
      decodeToColumns(bytes, peek);
      const t = Date.now();
      if (peek.count > 0) arrivals.push(t - peek.wall[peek.count - 1]!);
      let xs = batchArrivals.get(peek.node);
      if (xs === undefined) batchArrivals.set(peek.node, xs = []);
      xs.push(peek.firstSeq, peek.count, t);
    }
    return out;
  },
};
/**
 * `--warm-up <events>`: made-up traffic through a scratch collector before the
 * ingest subscribes (`edge/server/warm_up.ts`); 0 starts cold. Default 40,000,
 * as `vigil collector`.
 */
const warmUpEvents = num("warm-up", WARM_UP_EVENTS);
const warmUpReport: WarmUpReport | null = warmUpEvents > 0
  ? await warmUp(collector, { events: warmUpEvents })
  : null;
// The warm-up held the thread before any traffic: not a stall of the run.
stalls.length = 0;
lastTick = performance.now();
const ingest = await startNatsIngest(nc, ingestService, { mode, infoMs: 0 });

const perProc = Math.floor(events / procs);
/**
 * The second half of the run: CPU from the moment half the events were
 * applied (JIT compilation and other start-up costs are mostly behind).
 */
const half = { at: 0, applied: 0, cpu: cpuNow() };
const halfTimer = setInterval(() => {
  const applied = collector.metrics().applied;
  if (half.at !== 0 || applied < (perProc * procs) / 2) return;
  Object.assign(half, { at: performance.now(), applied, cpu: cpuNow() });
  clearInterval(halfTimer);
}, 5);
/**
 * With `--timeline`: every 100 ms from the first event, events applied and
 * CPU-seconds (collector JS thread, nats-server, machine busy) in that slice.
 */
const timeline: number[][] = [];
let lastSlice = { at: 0, applied: 0, cpu: cpuNow() };
const timelineTimer = !flags.boolean.has("timeline") ? undefined : setInterval(() => {
  if (firstAt === 0) return;
  const at = performance.now(), applied = collector.metrics().applied, cpu = cpuNow();
  if (lastSlice.at !== 0) {
    timeline.push([
      Math.round(at - firstAt),
      applied - lastSlice.applied,
      round2(cpu.main - lastSlice.cpu.main),
      round2(cpu.nats - lastSlice.cpu.nats),
      round2(cpu.busy - lastSlice.cpu.busy),
    ]);
  }
  lastSlice = { at, applied, cpu };
}, 100);
/**
 * With `--tap`, a process of its own subscribed to the event subjects over
 * core NATS (`bench/e2e_tap.ts`): each batch's age when nats-server hands it
 * out, without the collector's queue.
 */
const tap = flags.boolean.has("tap")
  ? await (async () => {
    const tapReady = nc.subscribe("vigil.bench.tap.ready", { max: 1 });
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "bench/e2e_tap.ts", `--url=${server.url}`],
      stdout: "piped",
      stderr: "inherit",
    }).output();
    for await (const _ of tapReady) break;
    return { output: child }; // wrapped: an async function returning the promise would await it
  })()
  : null;
const ready = nc.subscribe("vigil.bench.ready", { max: procs });
/** Epoch ms when the publisher processes were spawned (the start of `run.fromProcessStart`). */
const spawnedAt = performance.timeOrigin + performance.now();
const children = Array.from({ length: procs }, (_, p) =>
  new Deno.Command(launcher, {
    args: [
      ...niceArgs,
      "run",
      "-A",
      ...(publisherV8 === undefined ? [] : [`--v8-flags=${publisherV8}`]),
      "bench/e2e_publisher.ts",
      `--url=${server.url}`,
      `--mode=${mode}`,
      `--events=${perProc}`,
      `--nodes=${Math.max(1, Math.floor(nodes / procs))}`,
      `--prefix=p${p}`,
      `--rate=${rate / procs}`,
      `--splits=${Math.floor(splits / procs)}`,
      `--spec=${specPath}`,
      ...(flags.string.has("max-events") ? [`--max-events=${flags.string.get("max-events")}`] : []),
      ...(flags.boolean.has("js-client") ? ["--js-client"] : []),
      ...(flags.string.has("publisher-warm-up")
        ? [`--warm-up=${flags.string.get("publisher-warm-up")}`]
        : []),
      ...(flags.string.has("publisher-cpu-prof")
        ? [`--cpu-prof=${flags.string.get("publisher-cpu-prof")}.p${p}.cpuprofile`]
        : []),
      ...(flags.string.has("publisher-alloc-prof")
        ? [`--alloc-prof=${flags.string.get("publisher-alloc-prof")}.p${p}.heapprofile`]
        : []),
    ],
    stdout: "piped",
    stderr: "inherit",
  }).output());
// Publishers start sending together once all are set up (startup is not measured).
for await (const _ of ready) continue;
const profiler = profilePath === undefined && allocPath === undefined
  ? null
  : await startProfiler({ cpuFile: profilePath, allocFile: allocPath });
nc.publish("vigil.bench.go");
const outputs = await Promise.all(children);
const reports = outputs.map((o) => JSON.parse(new TextDecoder().decode(o.stdout).trim()));
const sent = reports.reduce((n, r) => n + r.sent, 0);
const deadline = Date.now() + 120_000;
while (collector.metrics().applied < sent && Date.now() < deadline) {
  await new Promise((r) => setTimeout(r, 5));
}
const doneAt = performance.now();
clearInterval(stallTimer);
const cpuAtDone = cpuNow();
clearInterval(halfTimer);
clearInterval(timelineTimer);
const threadsAtDone = threadSeconds();
const profile = profiler === null ? null : await profiler.stop();
const m = collector.metrics();
if (tap !== null) nc.publish("vigil.bench.tap.stop");
const tapReport = tap === null
  ? null
  : JSON.parse(new TextDecoder().decode((await tap.output).stdout).trim());
await ingest.stop();
await service.stop();
await nc.drain();
kv?.close();
await server.stop();

const seconds = (doneAt - firstAt) / 1000;
/**
 * The run's length and rates, three ways: from the collector's first event,
 * from the first batch a publisher handed to its client, and from the
 * publishers' spawning (their start-up included); and over the steady part
 * (the second half of the events applied: start-up costs mostly behind).
 */
const doneEpoch = performance.timeOrigin + doneAt;
const firstSend = Math.min(...reports.map((r) => r.at.firstSend as number));
const over = (ms: number) => ({
  seconds: Number((ms / 1000).toFixed(3)),
  eventsPerSecond: Math.round(m.applied / (ms / 1000)),
});
const run = {
  events: m.applied,
  fromFirstEvent: over(doneAt - firstAt),
  fromFirstPublish: over(doneEpoch - firstSend),
  fromProcessStart: over(doneEpoch - spawnedAt),
  steady: half.at === 0 ? null : {
    events: m.applied - half.applied,
    seconds: Number(((doneAt - half.at) / 1000).toFixed(3)),
    eventsPerSecond: Math.round((m.applied - half.applied) / ((doneAt - half.at) / 1000)),
  },
  /**
   * Per publisher, ms: spawn to its time origin (the runtime's own start),
   * then from the origin: imports evaluated, spec loaded, connected,
   * monitors made, ready; and go signal to first batch handed over.
   */
  publisherStartupMs: reports.map((r) => ({
    spawnToOrigin: Math.round(r.at.origin - spawnedAt),
    ...r.startup,
    goToFirstSend: Math.round((r.at.firstSend - r.at.go) * 10) / 10,
  })),
  /** CPU-seconds per process: the collector and nats-server over the run from the first event; each publisher from its start to the go signal, and while sending. */
  cpuSeconds: {
    collector: round2(cpuAtDone.self - cpuAtFirst.self),
    natsServer: round2(cpuAtDone.nats - cpuAtFirst.nats),
    publishers: reports.map((r) => ({
      startup: round2(r.cpuSecondsStartup),
      sending: round2(r.cpuSeconds),
    })),
  },
};
const sorted = [...latencies].sort((a, b) => a - b);
const pct = (p: number, xs = sorted) =>
  xs[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? NaN;
const arrivalsSorted = arrivals.sort((a, b) => a - b);
console.log(JSON.stringify(
  {
    mode,
    procs,
    nodes,
    windowMs,
    store: kvPath ?? "memory",
    warmUp: warmUpReport === null ? null : { ...warmUpReport, ms: Math.round(warmUpReport.ms) },
    run,
    sent,
    applied: m.applied,
    duplicates: m.duplicates,
    late: m.late,
    gaps: m.gaps,
    violations: m.violations,
    seconds: Number(seconds.toFixed(3)),
    eventsPerSecond: Math.round(m.applied / seconds),
    publishers: reports.map((r) => Math.round(r.rate)),
    ...(flags.string.has("publisher-cpu-prof")
      ? { publisherProfiles: reports.map((r) => r.profile) }
      : {}),
    ...(flags.string.has("publisher-alloc-prof")
      ? { publisherAllocations: reports.map((r) => r.allocations) }
      : {}),
    cpuSeconds: {
      collector: round2(cpuAtDone.self - cpuAtFirst.self),
      collectorJsThread: round2(cpuAtDone.main - cpuAtFirst.main),
      collectorThreads: Object.fromEntries(
        [...threadsAtDone].map(([name, t]) => [name, round2(t - (threadsAtFirst.get(name) ?? 0))])
          .filter(([, t]) => (t as number) > 0),
      ),
      natsServer: round2(cpuAtDone.nats - cpuAtFirst.nats),
      publishers: reports.map((r) => round2(r.cpuSeconds)),
      machineBusy: round2(cpuAtDone.busy - cpuAtFirst.busy),
      machineTotal: round2(cpuAtDone.total - cpuAtFirst.total),
    },
    ...(profile?.cpu == null ? {} : {
      profile: { file: profilePath, selfTime: topSelf(profile.cpu, 25) },
    }),
    ...(profile?.alloc == null ? {} : {
      allocations: { file: allocPath, bytes: topAllocations(profile.alloc, 25) },
    }),
    /** CPU-seconds per 1M events applied over the second half of the run. */
    secondHalfPerMillion: half.at === 0 ? null : (() => {
      const n = (m.applied - half.applied) / 1e6;
      return {
        events: m.applied - half.applied,
        eventsPerSecond: Math.round((m.applied - half.applied) / ((doneAt - half.at) / 1000)),
        collector: round2((cpuAtDone.self - half.cpu.self) / n),
        collectorJsThread: round2((cpuAtDone.main - half.cpu.main) / n),
        natsServer: round2((cpuAtDone.nats - half.cpu.nats) / n),
        machineBusy: round2((cpuAtDone.busy - half.cpu.busy) / n),
      };
    })(),
    alertLatencyMs: latencies.length === 0 ? null : {
      n: latencies.length,
      p50: pct(0.5),
      p99: pct(0.99),
      max: sorted[sorted.length - 1],
      /** The same over the alerts raised after the first second of the run (start-up left out). */
      afterFirstSecond: steadyLatencies.length === 0 ? null : (() => {
        const xs = [...steadyLatencies].sort((a, b) => a - b);
        return { n: xs.length, p50: pct(0.5, xs), p99: pct(0.99, xs), max: xs[xs.length - 1] };
      })(),
    },
    persists: persists.length === 0 ? null : {
      n: persists.length,
      snapshotMsMax: round2(Math.max(...persists.map((p) => p.snapshot))),
      snapshotMsTotal: round2(persists.reduce((t, p) => t + p.snapshot, 0)),
      saveMsMax: round2(Math.max(...persists.map((p) => p.save))),
      saveMsTotal: round2(persists.reduce((t, p) => t + p.save, 0)),
      /** Each persist's snapshot and save time, ms, and its start, seconds into the run, in order. */
      each: persists.map((p) => [
        Math.round(p.snapshot),
        Math.round(p.save),
        round2((p.at - firstAt) / 1000),
      ]),
    },
    alertBreakdownMs: breakdown.length === 0 ? null : (() => {
      const part = (f: (b: (typeof breakdown)[number]) => number) => {
        const xs = breakdown.map(f).sort((a, b) => a - b);
        return { p50: pct(0.5, xs), p99: pct(0.99, xs), max: xs[xs.length - 1] };
      };
      return {
        n: breakdown.length,
        transit: part((b) => b.transit),
        collector: part((b) => b.collector),
        /** The five slowest alerts: total, transit, collector, ms; seconds into the run. */
        slowest: [...breakdown].sort((a, b) => b.total - a.total).slice(0, 5)
          .map((b) => [b.total, b.transit, b.collector, round2((b.at - firstAt) / 1000)]),
      };
    })(),
    loopStallsMs: {
      n: stalls.length,
      over50: stalls.filter((s) => s.ms > 50).length,
      max: round2(Math.max(0, ...stalls.map((s) => s.ms))),
      total: round2(stalls.reduce((t, s) => t + s.ms, 0)),
      duringPersist: stalls.filter((s) => s.persisting).length,
      /** The ten longest: ms, seconds into the run, during a persist (1) or not (0). */
      longest: [...stalls].sort((a, b) => b.ms - a.ms).slice(0, 10)
        .map((s) => [Math.round(s.ms), round2((s.at - firstAt) / 1000), s.persisting ? 1 : 0]),
    },
    ...(timeline.length === 0 ? {} : {
      /** `[ms since the first event, events applied, CPU-s: collector JS thread, nats-server, machine busy]` per 100 ms. */
      timeline,
    }),
    ...(tapReport === null ? {} : { batchAgeAtNatsMs: tapReport }),
    batchAgeAtArrivalMs: arrivals.length === 0 ? null : {
      n: arrivals.length,
      p50: pct(0.5, arrivalsSorted),
      p99: pct(0.99, arrivalsSorted),
      max: arrivalsSorted[arrivalsSorted.length - 1],
    },
  },
  null,
  2,
));
