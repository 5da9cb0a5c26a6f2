/**
 * Shared parts of the cluster tests (`tests/cluster_*_test.ts`):
 * - the workload: SDK nodes in this process, each a real monitor pushing
 *   into a partitioned batcher over the JetStream transport (one transport
 *   per partition), in chunks of acquire/release rounds on the node's own
 *   locks, some chunks holding one lock from two nodes (a `OneHolder`
 *   violation);
 * - members: `vigil collector --partitions` subprocesses, as an operator
 *   runs them, and their deployment view;
 * - the reference: one plain `vigil collector` (no partitions) reading the
 *   whole stream with its own durable consumer, uninterrupted, and the
 *   assertion that a cluster's verdicts are its ({@link assertReferenceVerdicts});
 * - {@link withCluster}: a scenario's set-up and tear-down (three clustered
 *   nats-servers, a client connection, the lease spec, the members), with
 *   everything stopped however the scenario ends;
 * - {@link withMembers}: the same for members in this process
 *   (`startPartitionedCollector`) on one nats-server, started and settled
 *   (each member owning the partitions the assignment gives it) before the
 *   scenario.
 *
 * One cluster per scenario: the scenarios share the event stream's
 * subjects (`vigil.events.Lease.<p>`, which two streams cannot both hold)
 * and the reference reads the whole stream, so a cluster shared between
 * scenarios would mix their events; starting one costs about a second.
 *
 * @module
 */
import assert from "node:assert/strict";
import { jetstream, type JetStreamClient } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import type { NatsConnection } from "@nats-io/nats-core";
import {
  collectorMetric,
  type CollectorProcess,
  collectorViolations,
  killCollector,
  spawnCollector,
} from "./collector_kill_fixture.ts";
import { rng } from "./collector_core_fixture.ts";
import type { Violation } from "../edge/engine/types.ts";
import type { ClusterView } from "../edge/cluster/cluster_view.ts";
import { desiredAssignment } from "../edge/cluster/assignment.ts";
import {
  createPartitionedBatcher,
  type PartitionedBatcher,
} from "../runtime/batcher/partitioned.ts";
import { jetstreamTransport } from "../runtime/transports/jetstream.ts";
import { type LoadedSpec, loadSpec } from "../runtime/monitor/load_spec.ts";
import { type NatsCluster, startNatsCluster } from "../tools/harness/nats_cluster.ts";
import { type NatsServer, startNatsServer } from "../tools/harness/nats_server.ts";
import {
  type PartitionedCollector,
  type PartitionedCollectorOptions,
  startPartitionedCollector,
} from "../edge/cluster/deployment.ts";
import type { CompiledSpec } from "../lib/abi/compiled.ts";
import { loadCompiled } from "../lib/abi/loader.ts";
import { ROOT } from "../tools/harness/spec_files.ts";
import { waitFor } from "../tools/harness/wait.ts";
import { observingNodes } from "../tools/harness/observing_nodes.ts";

/**
 * The reorder window of every collector of these tests. Verdicts are those of an uninterrupted run
 * only when no event is late (arrives after its window closed), and on a loaded machine deliveries
 * can lag by more than the default 250 ms; the tests are about ownership, not timing.
 */
export const WINDOW = "2s";

/** Nodes publishing. */
export const NODES = 4;

/** One chunk: rounds per node, and maybe a lock held by two nodes at once. */
export interface Chunk {
  readonly rounds: readonly number[];
  readonly split: { readonly key: string; readonly a: number; readonly b: number } | null;
  readonly events: number;
}

/** `count` chunks, every third with a double hold. */
export function plan(seed: number, count: number, roundsPerNode = 60): Chunk[] {
  const random = rng(seed);
  return Array.from({ length: count }, (_, k) => {
    const rounds = Array.from(
      { length: NODES },
      () => roundsPerNode / 2 + Math.floor(random() * roundsPerNode),
    );
    const a = Math.floor(random() * NODES);
    const split = k % 3 === 1
      ? {
        key: `lock:split-${seed}-${k}`,
        a,
        b: (a + 1 + Math.floor(random() * (NODES - 1))) % NODES,
      }
      : null;
    const sum = rounds.reduce((s, n) => s + n, 0);
    return { rounds, split, events: 2 * sum + (split === null ? 0 : 4) };
  });
}

/** The publishing nodes. */
export interface Publishers {
  /** Publishes one chunk and waits until the stream stored it. */
  publish(chunk: Chunk): Promise<void>;
  /** Events the stream acknowledged. */
  sent(): number;
  close(): Promise<void>;
}

/** {@link NODES} nodes, each a partitioned batcher of `partitions` over JetStream. */
export function publishers(
  lease: LoadedSpec,
  js: JetStreamClient,
  options: { readonly partitions: number; readonly prefix: string; readonly seed: number },
): Publishers {
  const nodes = observingNodes(lease, NODES, {
    id: (i) => `${options.prefix}-node-${i}`,
    sink: () =>
      createPartitionedBatcher(
        (p) => jetstreamTransport(js, { partition: p }),
        { partitions: options.partitions },
      ) as PartitionedBatcher,
  });
  const randoms = nodes.map((n) => rng(options.seed + 1 + n.i));
  return {
    async publish(chunk) {
      const s = chunk.split;
      if (s !== null) {
        nodes[s.a]!.monitor(s.key).step("acquire", { c: 1 });
        nodes[s.b]!.monitor(s.key).step("acquire", { c: 2 });
      }
      for (const n of nodes) {
        for (let r = 0; r < chunk.rounds[n.i]!; r++) {
          const m = n.monitor(`lock:${n.i}:${Math.floor(randoms[n.i]!() * 40)}`);
          m.step("acquire", { c: n.i % 3 + 1 });
          m.step("release", { c: n.i % 3 + 1 });
        }
      }
      if (s !== null) {
        nodes[s.a]!.monitor(s.key).step("release", { c: 1 });
        nodes[s.b]!.monitor(s.key).step("release", { c: 2 });
      }
      await Promise.all(nodes.map((n) => n.batcher.flush()));
    },
    sent: () => nodes.reduce((s, n) => s + n.batcher.stats().sent, 0),
    close: async () => void await Promise.all(nodes.map((n) => n.batcher.close())),
  };
}

/**
 * Starts `vigil collector --partitions` member `instance` of cluster `cluster`, with `extra` flags
 * (`instance` null: without `--instance`, so the member picks a fresh id).
 */
export function spawnMember(
  urls: string,
  cluster: string,
  instance: string | null,
  partitions: number,
  extra: readonly string[] = [],
): Promise<CollectorProcess> {
  return spawnCollector([
    "--spec",
    "dist/lease.js",
    "--nats",
    urls,
    "--partitions",
    String(partitions),
    "--cluster-id",
    cluster,
    ...(instance === null ? [] : ["--instance", instance]),
    "--lease-ttl",
    "2s",
    "--window",
    WINDOW,
    "--allow-anonymous",
    ...extra,
  ]);
}

/** A member's deployment view. */
export async function viewOf(base: string): Promise<ClusterView> {
  const res = await fetch(`${base}/api/cluster`);
  if (!res.ok) throw new Error(`GET /api/cluster answered ${res.status}: ${await res.text()}`);
  return await res.json() as ClusterView;
}

/**
 * Waits until every partition is owned by one of `members` (with `exact`: by the member the
 * assignment of `members` names) and `total` events are applied over them.
 */
export async function waitSettled(
  base: string,
  members: readonly string[],
  partitions: number,
  total: number,
  timeoutMs = 40_000,
  exact = false,
): Promise<ClusterView> {
  const want = desiredAssignment(members, partitions).map((d) => d.owner);
  let last: ClusterView | null = null;
  return await waitFor(async () => {
    const v = await viewOf(base);
    last = v;
    const owners = v.collectors.flatMap((c) => c.owned.map((o) => [o.partition, c.id] as const));
    const ok = owners.length === partitions &&
      new Set(owners.map(([p]) => p)).size === partitions &&
      owners.every(([p, id]) => exact ? want[p] === id : members.includes(id)) &&
      v.collectors.every((c) => c.error === undefined) &&
      v.totals.applied === total;
    return ok && v;
  }, {
    timeoutMs,
    intervalMs: 200,
    what: `${partitions} partitions owned by ${members.join(", ")} with ${total} events applied`,
    detail: () =>
      JSON.stringify(
        last === null ? null : {
          applied: (last as ClusterView).totals.applied,
          owners: (last as ClusterView).collectors.map((c) => [
            c.id,
            c.owned.map((o) => o.partition),
            c.error,
          ]),
        },
      ),
  });
}

/**
 * What an invariant violation is, whoever raised it: property, instance partition, nodes.
 * Liveness timeouts are left out: they depend on when events arrive (a collector reading a backlog
 * later sees other deadlines pass), so two runs of the same events need not agree on them.
 */
export function verdicts(violations: readonly Violation[]): string[] {
  return violations.filter((v) => v.kind === "invariant")
    .map((v) => `${v.property.name} ${v.partition} ${[...v.nodes].sort().join("+")}`)
    .sort();
}

/** The violation lines members printed, counted by their text after the time (one line per violation raised). */
export function printedViolations(outputs: readonly string[]): Map<string, number> {
  const seen = new Map<string, number>();
  for (const text of outputs) {
    for (const m of text.matchAll(/ (VIOLATION .*? key '[^']*')/g)) {
      const id = m[1]!;
      seen.set(id, (seen.get(id) ?? 0) + 1);
    }
  }
  return seen;
}

/**
 * The reference: one plain collector over the whole stream (its own durable
 * consumer), uninterrupted, until it applied `total` events; its verdicts
 * and counters.
 */
export async function referenceRun(
  urls: string,
  total: number,
): Promise<{ violations: Violation[]; applied: number; lost: number }> {
  const ref = await spawnCollector([
    "--spec",
    "dist/lease.js",
    "--nats",
    urls,
    "--durable",
    `reference-${crypto.randomUUID().slice(0, 8)}`,
    "--kv",
    "none",
    "--window",
    WINDOW,
    "--allow-anonymous",
    // Each node has one stream (boot) per partition, all new in the same minute.
    "--max-new-boots-per-minute",
    "100000",
  ]);
  try {
    await waitFor(
      async () => (await collectorMetric(ref.base, "vigil_events_applied_total")) >= total,
      { timeoutMs: 40_000, intervalMs: 100, what: `the reference to apply ${total} events` },
    );
    return {
      violations: await collectorViolations(ref.base),
      applied: await collectorMetric(ref.base, "vigil_events_applied_total"),
      lost: await collectorMetric(ref.base, "vigil_lost_events_total"),
    };
  } finally {
    ref.process.kill("SIGTERM");
    await ref.process.status;
  }
}

/**
 * Asserts that a cluster reached the reference's verdicts: a
 * {@link referenceRun} over the same stream applies all `published` events
 * and loses none; its invariant violations, one per chunk of `chunks` with
 * a split brain, equal the cluster's `violations`; and the members'
 * `outputs` (read after the reference ran) print each violation they
 * raised once, none twice.
 */
export async function assertReferenceVerdicts(
  urls: string,
  o: {
    readonly published: number;
    readonly chunks: readonly Chunk[];
    readonly violations: readonly Violation[];
    readonly outputs: () => readonly string[];
  },
): Promise<void> {
  const ref = await referenceRun(urls, o.published);
  assert.equal(ref.applied, o.published);
  assert.equal(ref.lost, 0);
  const expected = verdicts(ref.violations);
  assert.equal(
    expected.length,
    o.chunks.filter((c) => c.split !== null).length,
    `reference violations: ${expected.join("; ")}; cluster: ${verdicts(o.violations).join("; ")}`,
  );
  assert.deepEqual(verdicts(o.violations), expected);
  // No violation raised twice: one line per violation (of any kind) over every member's output.
  const printed = printedViolations(o.outputs());
  assert.deepEqual([...printed.values()].filter((n) => n !== 1), []);
  assert.equal(printed.size, o.violations.length);
}

/** What {@link withCluster} gives a scenario. */
export interface ClusterRun {
  /** The three clustered nats-servers. */
  readonly cluster: NatsCluster;
  /** A client connected to every server. */
  readonly nc: NatsConnection;
  /** JetStream over {@link nc}. */
  readonly js: JetStreamClient;
  /** The lease spec (`dist/lease.js`), as the nodes load it. */
  readonly lease: LoadedSpec;
  /** Every member started so far, in start order (stopped ones included). */
  readonly members: readonly CollectorProcess[];
  /** The member started as `id`. */
  member(id: string): CollectorProcess;
  /**
   * Starts member `id` of the scenario's deployment (`urls`: the servers it
   * is given, default every server's in order) and waits until it listens.
   */
  spawn(id: string, urls?: string): Promise<CollectorProcess>;
  /** The fixture's {@link NODES} publishing nodes over {@link js}, on the scenario's partitions. */
  publishers(options: { readonly prefix: string; readonly seed: number }): Publishers;
}

/** Options of {@link withCluster}. */
export interface WithClusterOptions {
  /** The deployment's `--cluster-id` (its consumers and KV keys are named after it). */
  readonly id: string;
  /** `--partitions` of every member. */
  readonly partitions: number;
  /** Members started before the scenario runs, in order. Default none. */
  readonly members?: readonly string[];
  /** Flags every member gets besides the fixture's (e.g. `--read-token`). */
  readonly memberFlags?: readonly string[];
}

/**
 * Runs one scenario on a fresh 3-server cluster: starts the servers,
 * connects, loads the lease spec, starts `options.members`, runs `fn`,
 * and then, however `fn` ends, stops every member (SIGTERM), the
 * connection and the servers (removing their stores).
 */
export async function withCluster<T>(
  options: WithClusterOptions,
  fn: (run: ClusterRun) => Promise<T>,
): Promise<T> {
  const cluster = await startNatsCluster({ size: 3 });
  const members = new Map<string, CollectorProcess>();
  let nc: NatsConnection | null = null;
  try {
    nc = await connect({ servers: cluster.servers.map((s) => s.url) });
    const js = jetstream(nc);
    const lease = await loadSpec(`${ROOT}dist/lease.js`);
    const run: ClusterRun = {
      cluster,
      nc,
      js,
      lease,
      get members() {
        return [...members.values()];
      },
      member(id) {
        const m = members.get(id);
        if (m === undefined) throw new RangeError(`No member '${id}' was started`);
        return m;
      },
      async spawn(id, urls = cluster.urls) {
        if (members.has(id)) throw new RangeError(`Member '${id}' was already started`);
        const m = await spawnMember(urls, options.id, id, options.partitions, options.memberFlags);
        members.set(id, m);
        return m;
      },
      publishers: (p) => publishers(lease, js, { partitions: options.partitions, ...p }),
    };
    for (const id of options.members ?? []) await run.spawn(id);
    return await fn(run);
  } finally {
    for (const m of members.values()) await killCollector(m, "SIGTERM");
    await nc?.close();
    await cluster.close();
  }
}

/** What {@link withMembers} gives a scenario. */
export interface MembersRun {
  /** The nats-server. */
  readonly server: NatsServer;
  /** The members, in the order of `options.ids`, each on a connection of its own. */
  readonly members: readonly PartitionedCollector[];
  /** A connection of the scenario's own (its senders), not a member's. */
  readonly nc: NatsConnection;
  /** The lease spec as the members' collectors load it (`dist/lease.core.wasm`). */
  readonly compiled: CompiledSpec;
  /** The lease spec as the nodes load it (`dist/lease.js`). */
  readonly lease: LoadedSpec;
}

/** Options of {@link withMembers}. */
export interface WithMembersOptions {
  /** The deployment's cluster name (its KV keys and consumers are named after it). */
  readonly cluster: string;
  /** Partitions of the deployment. */
  readonly partitions: number;
  /** The members' instance ids, started in this order. Default `["a", "b"]`. */
  readonly ids?: readonly string[];
  /**
   * Options of every member over the fixture's (a 20 ms reorder window on the lease spec,
   * replicas 1, a 2 s lease TTL, no log), e.g. `warmUp` or `service`.
   */
  readonly member?: Partial<PartitionedCollectorOptions>;
  /** How long the members may take to own every partition, ms. Default 30 000. */
  readonly settleMs?: number;
}

/**
 * Runs one scenario on in-process members of a partitioned deployment: starts a nats-server,
 * a connection per member and one for the scenario, the members one after another, waits
 * until each member owns exactly the partitions the assignment of `ids` gives it (no hand-over
 * left), runs `fn`, and then,
 * however it ends, stops the members, the connections and the server.
 *
 * @example Two members sharing 4 partitions
 * ```ts ignore
 * await withMembers({ cluster: "fwd", partitions: 4 }, async ({ members }) => {
 *   assert.equal(members.flatMap((d) => d.node.owned()).length, 4);
 * });
 * ```
 */
export async function withMembers<T>(
  options: WithMembersOptions,
  fn: (run: MembersRun) => Promise<T>,
): Promise<T> {
  const ids = options.ids ?? ["a", "b"];
  const server = await startNatsServer();
  const ncs: NatsConnection[] = [];
  const members: PartitionedCollector[] = [];
  try {
    for (let i = 0; i <= ids.length; i++) ncs.push(await connect({ servers: server.url }));
    const compiled = await loadCompiled(`${ROOT}dist/lease.core.wasm`);
    const lease = await loadSpec(`${ROOT}dist/lease.js`);
    for (const [i, id] of ids.entries()) {
      members.push(
        await startPartitionedCollector(ncs[i]!, {
          cluster: options.cluster,
          instance: id,
          partitions: options.partitions,
          core: { specs: [compiled], windowMs: 20 },
          replicas: 1,
          ttlMs: 2000,
          log: () => {},
          ...options.member,
        }),
      );
    }
    // Settled: each member owns exactly the partitions the assignment of `ids` gives it. A weaker
    // wait (every partition owned, each member some) can end while the first member still hands
    // partitions over to the later ones, and a scenario would then read an owner about to change.
    const want = ids.map((id) =>
      desiredAssignment(ids, options.partitions).filter((d) => d.owner === id)
        .map((d) => d.partition)
    );
    const owners = () =>
      members.map((d) => d.node.owned().map((o) => o.partition).sort((x, y) => x - y));
    await waitFor(() => JSON.stringify(owners()) === JSON.stringify(want), {
      timeoutMs: options.settleMs ?? 30_000,
      what: `${ids.join(", ")} to own the partitions their assignment gives them`,
      detail: () => `owned: ${JSON.stringify(owners())}, assigned: ${JSON.stringify(want)}`,
    });
    return await fn({ server, members, nc: ncs[ids.length]!, compiled, lease });
  } finally {
    for (const d of members) await d.stop();
    for (const nc of ncs) await nc.close();
    await server.stop();
  }
}

export type { CollectorProcess };
