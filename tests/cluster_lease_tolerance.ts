/**
 * Which renewal delays a lease survives, this tree's {@link LeaseKeeper}
 * against the one of a git revision (`--base`), side by side in one
 * process on one real nats-server, through the proxy of
 * `cluster_holding_proxy.ts` (a script, not a test: it prints a table and
 * asserts nothing). Each scenario runs both keepers at once, each member
 * holding its own lease, their writes held alike:
 * - `one write held k*TTL`: after two renewals, the next renewal write of
 *   each lease is held k TTLs in transit (later writes pass);
 * - `every write held k*TTL`: every renewal write of each lease is held k
 *   TTLs, for 4 TTLs.
 * Printed per scenario and keeper: kept or lost (with why), renewals, and
 * the slowest renewal round trip the keeper reported. "this tree, pausing"
 * is the keeper as `vigil collector --partitions` runs it: its member
 * pauses a partition whose lease is uncertain (`onUncertain`) instead of
 * taking it for lost.
 *
 * Run:
 *   deno run -A tests/cluster_lease_tolerance.ts --base <rev> [--ttl 2000]
 *
 * @module
 */
import { parseArgs } from "node:util";
import { connect } from "@nats-io/transport-node";
import { type ClusterBucket, openClusterBucket } from "../edge/cluster/leases.ts";
import { LeaseKeeper } from "../edge/cluster/lease_keeper/keeper.ts";
import { startNatsServer } from "../tools/harness/nats_server.ts";
import { treeAt } from "../tools/harness/tree_at.ts";
import { waitFor } from "../tools/harness/wait.ts";
import { startHoldingProxy } from "./cluster_holding_proxy.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: { base: { type: "string" }, ttl: { type: "string" } },
});
if (values.base === undefined) {
  console.error("usage: deno run -A tests/cluster_lease_tolerance.ts --base <rev> [--ttl ms]");
  Deno.exit(2);
}
const ttlMs = Number(values.ttl ?? 2000);
if (!(ttlMs >= 500)) throw new RangeError(`--ttl must be >= 500 ms, got '${values.ttl}'`);

/** What both keepers have in common (the base's constructor takes the same two arguments). */
interface AnyKeeper {
  start(record: { id: string; url: string; owned: number[]; since: number }): void;
  hold(partition: number, revision: number, sentAt?: number): void;
  stop(): Promise<void>;
}
type KeeperClass = new (
  bucket: ClusterBucket,
  options: {
    id: string;
    onLost: (p: number, why: string) => void;
    onRenewed: (ms: number) => void;
    onUncertain?: (p: number, why: string) => void;
    log: (line: string) => void;
  },
) => AnyKeeper;

const baseDir = await treeAt(values.base, ["edge/cluster/lease_keeper", "edge/cluster/leases.ts"]);
const BaseKeeper = (await import(`file://${baseDir}/edge/cluster/lease_keeper/keeper.ts`))
  .LeaseKeeper as KeeperClass;
/** This tree's keeper, for a member that pauses a partition whose lease is uncertain. */
const Pausing = class extends (LeaseKeeper as unknown as KeeperClass) {
  constructor(...[bucket, options]: ConstructorParameters<KeeperClass>) {
    super(bucket, { ...options, onUncertain: () => {} });
  }
} as KeeperClass;
const keepers: [string, KeeperClass][] = [
  [`base ${values.base}`, BaseKeeper],
  ["this tree", LeaseKeeper as unknown as KeeperClass],
  ["this tree, pausing", Pausing],
];

const scenarios = [
  ...[0.6, 0.8, 1.0, 1.5].map((k) => ({ what: "one write held", k, count: 1, forMs: 3 * ttlMs })),
  ...[0.2, 0.3, 0.4, 0.5, 0.6, 0.8].map((k) => ({
    what: "every write held",
    k,
    count: Infinity,
    forMs: 4 * ttlMs,
  })),
];

const server = await startNatsServer();
const proxy = await startHoldingProxy(server.port);
const nc = await connect({ servers: proxy.url });
const load = () => Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(" ");
console.log(`lease TTL ${ttlMs} ms, load ${load()}`);
try {
  const bucket = await openClusterBucket(nc, { cluster: "t", replicas: 1, ttlMs });
  let partition = 0;
  for (const s of scenarios) {
    const runs = keepers.map(([name, Keeper]) => {
      const p = partition++;
      const seen = { lost: null as string | null, renewals: [] as number[] };
      const keeper = new Keeper(bucket, {
        id: `m${p}`,
        onLost: (_p, why) => (seen.lost ??= why),
        onRenewed: (ms) => seen.renewals.push(ms),
        log: () => {},
      });
      return { name, p, seen, keeper };
    });
    for (const r of runs) {
      const sentAt = Date.now();
      const rev = await bucket.acquire(r.p, `m${r.p}`, "");
      if (rev === null) throw new Error(`lease ${r.p} not acquired`);
      r.keeper.start({ id: `m${r.p}`, url: "", owned: [r.p], since: 1 });
      r.keeper.hold(r.p, rev, sentAt);
    }
    await waitFor(() => runs.every((r) => r.seen.renewals.length >= 2), {
      timeoutMs: 10 * ttlMs,
      what: "two renewals of each lease",
    });
    const before = runs.map((r) => r.seen.renewals.length);
    const subjects = runs.map((r) => `$KV.VIGIL_CLUSTER.lease.t.${r.p}`);
    for (const subject of subjects) proxy.hold({ subject, count: s.count, ms: s.k * ttlMs });
    await new Promise((res) => setTimeout(res, s.forMs));
    for (const subject of subjects) proxy.hold({ subject, count: 0, ms: 0 });
    await new Promise((res) => setTimeout(res, 1.5 * ttlMs));
    for (const [i, r] of runs.entries()) {
      const during = r.seen.renewals.slice(before[i]);
      console.log(
        `${s.what} ${s.k}*TTL (${s.k * ttlMs} ms)`.padEnd(38) + r.name.padEnd(20) +
          (r.seen.lost === null ? "kept" : `LOST (${r.seen.lost})`) +
          `; renewals ${during.length}, slowest ${Math.round(Math.max(0, ...during))} ms`,
      );
      await r.keeper.stop();
    }
  }
  console.log(`load ${load()}`);
} finally {
  await nc.close();
  await proxy.stop();
  await server.stop();
  await Deno.remove(baseDir, { recursive: true });
}
