/**
 * Partitioned collectors on a 3-server NATS cluster (JetStream, replicas
 * 3), all on this machine: `--collectors k` processes of `vigil collector
 * --partitions n` (default 16) share one spec's partitions.
 *
 * Throughput phase: once every partition is owned, this process publishes
 * `--events` events (8 SDK nodes, monitors -> partitioned batchers ->
 * JetStream, one transport per partition) as fast as it can, and waits
 * until the collectors applied them all (their `/api/cluster` totals).
 * Reported: events/s from the first publish to the last event applied,
 * the publish rate alone, the CPU-seconds per 1M events of the collector
 * processes (together and each, from `/proc/<pid>/stat`, over the same
 * interval) and of the whole machine (busy CPU of all cores), then the
 * JetStream side: messages stored and events per message, deliveries to
 * the partition consumers, redeliveries (`num_redelivered`) and acks
 * pending (consumer info of each partition's consumer). Only the
 * collectors' CPU per event says how it scales on more machines: the
 * machine has 2 cores shared by the publisher, 3 nats-servers and the
 * collectors, so wall-clock rates here are bound by the machine.
 *
 * `--failover`: then SIGKILLs the member owning the most partitions while
 * events keep flowing, and reports the time from the SIGKILL to the first
 * event applied by a new owner of one of its partitions (lease TTL
 * `--lease-ttl`, default 2s); then starts a new member and reports the
 * time from its listening to every partition being owned as the
 * assignment wants (rebalance).
 *
 * Run:
 *   deno run -A bench/cluster_bench.ts --collectors 1 --events 1000000
 *   deno run -A bench/cluster_bench.ts --collectors 2 --events 1000000
 *   deno run -A bench/cluster_bench.ts --collectors 4 --events 1000000
 *   deno run -A bench/cluster_bench.ts --collectors 3 --events 300000 --failover
 *
 * @module
 */
import { connect } from "@nats-io/transport-node";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { desiredAssignment } from "../edge/cluster/assignment.ts";
import type { ClusterView } from "../edge/cluster/cluster_view.ts";
import { createPartitionedBatcher } from "../runtime/batcher/partitioned.ts";
import { jetstreamTransport } from "../runtime/transports/jetstream.ts";
import { loadSpec } from "../runtime/monitor/load_spec.ts";
import { startCollectorProcess } from "../tools/harness/collector_process.ts";
import { startNatsCluster } from "../tools/harness/nats_cluster.ts";
import { benchArgs } from "../tools/harness/bench_args.ts";
import { waitFor } from "../tools/harness/wait.ts";
import { observingNodes } from "../tools/harness/observing_nodes.ts";

const flags = benchArgs(Deno.args, {
  string: [
    "collectors",
    "events",
    "partitions",
    "lease-ttl",
    "persist",
    "tick",
    "nodes",
    "max-delay",
  ],
  boolean: ["failover"],
});
const num = (name: string, dflt: number) => Number(flags.string.get(name) ?? dflt);
const K = num("collectors", 2);
const EVENTS = num("events", 1_000_000);
const PARTITIONS = num("partitions", 16);
const TTL = flags.string.get("lease-ttl") ?? "2s";
const PERSIST = flags.string.get("persist") ?? "250ms";
const TICK = flags.string.get("tick") ?? "10ms";
const NODES = num("nodes", 8);
const MAX_DELAY_MS = num("max-delay", 50);
const ROOT = new URL("..", import.meta.url).pathname;

interface Member {
  readonly id: string;
  readonly base: string;
  readonly child: Deno.ChildProcess;
  /** Everything it printed so far. */
  output(): string;
}

/** utime + stime of a process, seconds. */
function cpuOf(pid: number): number {
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(f[11]) + Number(f[12])) / 100;
}

/** Busy CPU-seconds of the whole machine. */
function machineBusy(): number {
  const cpu = Deno.readTextFileSync("/proc/stat").split("\n")[0]!.trim().split(/\s+/).slice(1)
    .map(Number);
  return (cpu.reduce((a, b) => a + b, 0) - cpu[3]! - cpu[4]!) / 100;
}

/**
 * Starts `vigil collector --port 0 --spec dist/lease.js --nats <urls> ...args --allow-anonymous`
 * (`tools/harness/collector_process.ts`) and waits (60 s at most) until it listens.
 */
async function spawnCollector(
  urls: string,
  args: readonly string[],
): Promise<{ base: string; child: Deno.ChildProcess; output(): string }> {
  const c = await startCollectorProcess(
    ["--spec", "dist/lease.js", "--nats", urls, ...args, "--allow-anonymous"],
    { kvNone: false },
  );
  return { base: c.base, child: c.process, output: c.output };
}

async function spawnMember(urls: string, id: string): Promise<Member> {
  const args = ["--partitions", String(PARTITIONS), "--cluster-id", "bench", "--instance", id];
  args.push("--lease-ttl", TTL, "--persist", PERSIST, "--tick", TICK);
  return { id, ...await spawnCollector(urls, args) };
}

/** KV puts into the lease bucket every 100 ms on a connection of their own, until `stop()`. */
async function probeLeaseBucket(servers: string[]) {
  const pnc = await connect({ servers });
  const kv = await new Kvm(pnc).open("VIGIL_CLUSTER");
  const times: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const t = performance.now();
      await kv.put("probe.bench", new Uint8Array(8));
      times.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      await pnc.close();
      times.sort((a, b) => a - b);
      const at = (q: number) =>
        times.length === 0
          ? 0
          : Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))]!);
      return { count: times.length, p50: at(0.5), p99: at(0.99), max: at(1) };
    },
  };
}

async function view(base: string): Promise<ClusterView> {
  const res = await fetch(`${base}/api/cluster`);
  if (!res.ok) throw new Error(`GET /api/cluster answered ${res.status}`);
  return await res.json() as ClusterView;
}

/** Waits until every partition is owned as the assignment of `ids` wants, and `total` are applied. */
async function settled(base: string, ids: readonly string[], total: number, timeoutMs = 300_000) {
  const want = desiredAssignment(ids, PARTITIONS).map((d) => d.owner);
  return await waitFor(async () => {
    const v = await view(base);
    const owners = new Map<number, string>();
    for (const c of v.collectors) for (const o of c.owned) owners.set(o.partition, c.id);
    const ok = want.every((w, p) => owners.get(p) === w) && v.totals.applied >= total;
    return ok && v;
  }, { timeoutMs, intervalMs: 500, what: `${total} events applied by ${ids.join(", ")}` });
}

const cluster = await startNatsCluster({ size: 3 });
const members: Member[] = [];
// Stopped by a signal: stop the collectors too (the cluster harness stops its servers).
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, () => {
    for (const m of members) {
      try {
        m.child.kill("SIGKILL");
      } catch {
        // already gone
      }
    }
  });
}
/** The nats-servers' pids (their command lines name the cluster's store directories). */
function natsPids(): number[] {
  const dirs = cluster.servers.map((s) => s.storeDir);
  const out: number[] = [];
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    try {
      const cmd = Deno.readTextFileSync(`/proc/${e.name}/cmdline`);
      if (cmd.includes("nats-server") && dirs.some((d) => cmd.includes(d))) {
        out.push(Number(e.name));
      }
    } catch {
      // gone
    }
  }
  return out;
}
const nc = await connect({ servers: cluster.servers.map((s) => s.url) });
try {
  const lease = await loadSpec(`${ROOT}dist/lease.js`);
  const ids = Array.from({ length: K }, (_, i) => `c${i + 1}`);
  // All at once, as a deployment starts (members wait for the stream and buckets they set up).
  members.push(...await Promise.all(ids.map((id) => spawnMember(cluster.urls, id))));
  await settled(members[0]!.base, ids, 0);

  const js = jetstream(nc);
  const nodes = observingNodes(lease, NODES, {
    id: (i) => `bench-${i}`,
    sink: () =>
      createPartitionedBatcher((p) => jetstreamTransport(js, { partition: p }), {
        partitions: PARTITIONS,
        maxBuffered: 200_000,
        maxDelayMs: MAX_DELAY_MS,
      }),
  });
  let published = 0;
  /** Publishes `n` events (acquire/release pairs) across the nodes. */
  const publish = async (n: number) => {
    for (let i = 0; i < n / 2; i++) {
      const node = nodes[i % NODES]!;
      const m = node.monitor(`lock:${i % NODES}:${(i >> 3) % 256}`);
      const r1 = m.step("acquire", { c: 1 });
      const r2 = m.step("release", { c: 1 });
      published += 2;
      if (r1 instanceof Promise) await r1;
      if (r2 instanceof Promise) await r2;
      if ((i & 4095) === 0) await new Promise((r) => setTimeout(r, 0));
    }
    await Promise.all(nodes.map((n) => n.batcher.flush()));
  };

  const pids = members.map((m) => m.child.pid);
  const nats = natsPids();
  const natsCpu = () => nats.reduce((sum, pid) => sum + cpuOf(pid), 0);
  // The members' cost with no events (timers, renewals, consumers' heartbeats), per second.
  const idle0 = pids.map(cpuOf);
  const tIdle = performance.now();
  await new Promise((r) => setTimeout(r, 5_000));
  const idleSecs = (performance.now() - tIdle) / 1000;
  const idlePerSec = pids.map(cpuOf).map((c, i) => (c - idle0[i]!) / idleSecs);
  const cpu0 = pids.map(cpuOf);
  const nats0 = natsCpu();
  const busy0 = machineBusy();
  const churn0 = members.map((m) => m.output().length);
  const leases0 = new Map((await view(members[0]!.base)).collectors.map((c) => [c.id, c.leases]));
  // A probe on a connection of its own: a KV write into the lease bucket every 100 ms while the
  // events flow, so the members' renewal round trips compare with the servers' own answer time.
  const probe = await probeLeaseBucket(cluster.servers.map((s) => s.url));
  const t0 = performance.now();
  await publish(EVENTS);
  const tPublished = performance.now();
  const done = await settled(members[0]!.base, ids, published);
  const t1 = performance.now();
  const probed = await probe.stop();
  const cpu1 = pids.map(cpuOf);
  const nats1 = natsCpu();
  const busy1 = machineBusy();
  const secs = (t1 - t0) / 1000;
  const perM = (cpu: number) => (cpu / published * 1e6).toFixed(2);
  const each = cpu1.map((c, i) => c - cpu0[i]!);
  const sum = each.reduce((a, b) => a + b, 0);
  const idle = idlePerSec.reduce((a, b) => a + b, 0);
  const net = each.map((c, i) => c - idlePerSec[i]! * secs);
  console.log(
    `collectors ${K}, partitions ${PARTITIONS}, events ${published}: ` +
      `${Math.round(published / secs).toLocaleString("en")} events/s end to end ` +
      `(publishing alone ${
        Math.round(published / ((tPublished - t0) / 1000)).toLocaleString("en")
      }/s); ` +
      `collectors ${perM(sum)} CPU-s per 1M events (each: ${each.map(perM).join(", ")}), ` +
      `of which idle cost ${idle.toFixed(3)} CPU-s/s over ${secs.toFixed(1)} s; ` +
      `net of it ${perM(sum - idle * secs)} (each: ${net.map(perM).join(", ")}); ` +
      `nats-servers ${perM(nats1 - nats0)} CPU-s per 1M events; ` +
      `machine busy ${perM(busy1 - busy0)} CPU-s per 1M events over ${secs.toFixed(1)} s; ` +
      `duplicates ${done.totals.duplicates}, late ${done.totals.late}`,
  );
  // Where the members' per-event cost comes from: JetStream messages (batches) per event, and
  // deliveries beyond the first (redelivered after ack_wait, or after an owner change).
  {
    const jsm = await jetstreamManager(nc);
    const stream = await jsm.streams.info("VIGIL_EVENTS");
    let delivered = 0;
    let redelivered = 0;
    let ackPending = 0;
    for (let p = 0; p < PARTITIONS; p++) {
      const info = await jsm.consumers.info("VIGIL_EVENTS", `vigil-bench-p${p}`);
      delivered += info.delivered.consumer_seq;
      redelivered += info.num_redelivered;
      ackPending += info.num_ack_pending;
    }
    const messages = stream.state.messages;
    // Ownership changes while events flowed (a lease lost on a loaded machine moves a partition,
    // and its unacked deliveries come again to the next owner: the duplicates).
    const changeLines = members.map((m, i) =>
      m.output().slice(churn0[i]).split("\n").filter((l) =>
        / (lost|handed over) partition | lease renewal|renewed the lease of partition|slow lease renewal|is unsure it holds partition /
          .test(l)
      )
    );
    const changes = changeLines.map((l) =>
      l.filter((x) => / (lost|handed over) partition /.test(x)).length
    );
    for (const line of changeLines.flat()) console.log(`  ${line}`);
    for (const c of done.collectors) {
      const l = c.leases;
      const b = leases0.get(c.id);
      if (l === undefined) continue;
      console.log(
        `  leases of ${c.id}: renewal round trip p50 ${l.p50Ms} ms, p99 ${l.p99Ms} ms, max ${l.maxMs} ms ` +
          `(last ${Math.min(2048, l.renewals)} renewals); during the run ` +
          `acquired ${l.acquired - (b?.acquired ?? 0)}, lost ${l.lost - (b?.lost ?? 0)}, ` +
          `handed over ${l.handedOver - (b?.handedOver ?? 0)}; slow renewals ${
            l.slow - (b?.slow ?? 0)
          }, second writes ${l.retries - (b?.retries ?? 0)}, uncertain ${
            l.uncertain - (b?.uncertain ?? 0)
          }`,
      );
    }
    console.log(
      `  probe (own connection, KV put into VIGIL_CLUSTER every 100 ms during the run): ` +
        `${probed.count} writes, p50 ${probed.p50} ms, p99 ${probed.p99} ms, max ${probed.max} ms`,
    );
    console.log(
      `jetstream: ${messages} messages stored (${
        (published / messages).toFixed(1)
      } events each), ` +
        `${delivered} deliveries to the partition consumers ` +
        `(${(delivered / messages).toFixed(3)} per message; redelivered ${redelivered}, ` +
        `ack pending ${ackPending}); partitions lost or handed over during the run ${
          changes.join(", ")
        }; per member ${(published / K / ((t1 - t0) / 1000)).toFixed(0)} events/s`,
    );
  }

  // Anchor, same run and machine: one plain collector (no partitions, Deno KV state in a temp
  // file, its own durable consumer) reading the whole stream.
  {
    const dir = await Deno.makeTempDir({ prefix: "vigil-cluster-bench-" });
    const { base, child } = await spawnCollector(cluster.urls, [
      "--durable",
      "anchor",
      "--kv",
      `${dir}/anchor.kv`,
      "--persist",
      PERSIST,
      "--max-new-boots-per-minute",
      "100000",
    ]);
    const cpuA = cpuOf(child.pid);
    const tA = performance.now();
    const applied = async () => {
      const m = /^vigil_events_applied_total (\d+)/m.exec(
        await (await fetch(`${base}/metrics`)).text(),
      );
      return Number(m?.[1] ?? 0) >= published;
    };
    await waitFor(applied, { timeoutMs: 300_000, intervalMs: 500, what: "the anchor to apply" });
    const secsA = (performance.now() - tA) / 1000;
    console.log(
      `anchor: one plain collector reading the same ${published} events from the stream: ` +
        `${Math.round(published / secsA).toLocaleString("en")} events/s, ` +
        `${perM(cpuOf(child.pid) - cpuA)} CPU-s per 1M events`,
    );
    child.kill("SIGTERM");
    await child.status;
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }

  if (flags.boolean.has("failover")) {
    const before = await view(members[0]!.base);
    const victim = [...before.collectors].sort((a, b) => b.owned.length - a.owned.length)[0]!;
    const moved = victim.owned.map((o) => o.partition);
    const vi = members.findIndex((m) => m.id === victim.id);
    const flowing = publish(EVENTS / 10);
    const killedAt = Date.now();
    members[vi]!.child.kill("SIGKILL");
    await members[vi]!.child.status;
    await flowing;
    const rest = ids.filter((id) => id !== victim.id);
    const survivor = members.find((m) => m.id !== victim.id)!;
    const after = await settled(survivor.base, rest, published);
    const firsts = after.collectors.flatMap((c) =>
      c.owned.filter((o) => moved.includes(o.partition) && o.firstAppliedAt !== null)
        .map((o) => o.firstAppliedAt!)
    );
    const starts = after.collectors.flatMap((c) =>
      c.owned.filter((o) => moved.includes(o.partition)).map((o) => o.startedAt)
    );
    console.log(
      `failover (lease TTL ${TTL}): SIGKILL -> first event applied by a new owner ${
        Math.min(...firsts) - killedAt
      } ms, -> last moved partition running ${
        Math.max(...starts) - killedAt
      } ms (${moved.length} partitions)`,
    );
    members.splice(vi, 1);
    const joined = await spawnMember(cluster.urls, `c${K + 1}`);
    const listenedAt = Date.now();
    members.push(joined);
    const all = [...rest, joined.id];
    await settled(joined.base, all, published);
    console.log(
      `rebalance: a new member listening -> every partition owned as assigned ${
        Date.now() - listenedAt
      } ms`,
    );
  }
} finally {
  for (const m of members) {
    try {
      m.child.kill("SIGTERM");
    } catch {
      // already gone
    }
    await m.child.status;
  }
  await nc.close();
  await cluster.close();
}
