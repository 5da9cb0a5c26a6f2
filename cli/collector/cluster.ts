/**
 * `vigil collector --partitions n`: one member of a partitioned deployment
 * on a NATS cluster (`edge/cluster/`). The cluster flags (`--partitions`,
 * `--cluster-id`, `--instance`, `--lease-ttl`, `--replicas`, `--handover-wait`) are checked
 * with the others (`cli/collector/config.ts`); the member joins, serves the
 * deployment's app (HTTP posts forwarded into the partitioned stream,
 * `/api/cluster`), prints one line per violation it routes (once over the
 * deployment's owners: `edge/cluster/alert_ledger.ts`) and,
 * on SIGINT/SIGTERM, hands its partitions over before it exits (giving up
 * after 20 s when NATS is out of reach: the leases then expire and the
 * standbys take over from the last saved state).
 *
 * @module
 */
import { createCollectorApp } from "../../edge/server/app.ts";
import type { CollectorServer } from "../../edge/server/http_server.ts";
import type { NatsConnection } from "../../edge/ingest/nats.ts";
import { type Flags, intFlag, UsageError } from "../flags.ts";
import { CommandError } from "../command_error.ts";
import { durationFlag } from "../duration.ts";
import { handoverSettleMs } from "../../edge/cluster/alert_handover.ts";
import type { ClusterNodeOptions } from "../../edge/cluster/cluster_node.ts";
import { violationLine } from "./log.ts";
import type { CollectorConfig } from "./config.ts";
import { announce, announceStop, appOptionsOf, listen, webhooksOf } from "./http.ts";

/** The flags of a partitioned collector. */
export interface ClusterFlags {
  /** `--partitions`: the deployment's partition count. */
  readonly partitions: number;
  /** `--cluster-id`: the deployment's id. */
  readonly cluster: string;
  /** `--instance`: this member's id (random when not given). */
  readonly instance: string;
  /** `--lease-ttl`, ms. */
  readonly ttlMs: number;
  /** `--replicas` of the stream and KV buckets when created. */
  readonly replicas: number;
  /**
   * `--handover-wait`, ms: how long an alert a previous owner handed over waits at most for this
   * member to raise the same episode before it routes the copy (`edge/cluster/alert_handover.ts`).
   */
  readonly handoverWaitMs: number;
}

/**
 * `--partitions` and its companions, checked; null without `--partitions`.
 *
 * @throws {UsageError} When a companion comes without `--partitions`, `--partitions` without
 * JetStream, a single collector's flag with it, or an id is malformed.
 *
 * @example A member's flags, and a companion without `--partitions`
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseFlags } from "../flags.ts";
 * import { FLAG_SPEC } from "./config.ts";
 * import { clusterFlagsOf } from "./cluster.ts";
 * const flags = parseFlags(["--partitions", "8", "--instance", "c1", "--lease-ttl", "2s"], FLAG_SPEC);
 * assert.deepEqual(clusterFlagsOf(flags, "nats://127.0.0.1:4222", "jetstream"), {
 *   partitions: 8, cluster: "vigil", instance: "c1", ttlMs: 2_000, replicas: 3, handoverWaitMs: 60_000,
 * });
 * assert.equal(clusterFlagsOf(parseFlags([], FLAG_SPEC), undefined, "jetstream"), null);
 * assert.throws(() => clusterFlagsOf(parseFlags(["--replicas", "1"], FLAG_SPEC), undefined, "jetstream"), /needs '--partitions'/);
 * ```
 */
export function clusterFlagsOf(
  flags: Flags,
  natsUrl: string | undefined,
  mode: string,
): ClusterFlags | null {
  const companions = ["cluster-id", "instance", "lease-ttl", "replicas", "handover-wait"];
  if (!flags.string.has("partitions")) {
    const given = companions.find((f) => flags.string.has(f));
    if (given !== undefined) throw new UsageError(`Flag '--${given}' needs '--partitions'`);
    return null;
  }
  if (natsUrl === undefined || mode !== "jetstream") {
    throw new UsageError(
      "Flag '--partitions' needs '--nats' with JetStream (the default '--nats-mode')",
    );
  }
  for (const f of ["kv", "data-dir", "subject", "durable"]) {
    if (flags.string.has(f)) {
      throw new UsageError(
        `Flag '--${f}' does not apply with '--partitions' (each partition's state is in the KV bucket VIGIL_STATE, its consumer 'vigil-<cluster id>-p<n>')`,
      );
    }
  }
  const id = (name: string, value: string) => {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(value)) {
      throw new UsageError(`Flag '--${name}' must be 1 to 64 of [A-Za-z0-9_-], got '${value}'`);
    }
    return value;
  };
  const random = crypto.getRandomValues(new Uint8Array(4));
  return {
    partitions: intFlag(flags, "partitions", { default: 16, min: 1, max: 4096 }),
    cluster: id("cluster-id", flags.string.get("cluster-id") ?? "vigil"),
    instance: id(
      "instance",
      flags.string.get("instance") ??
        `c-${[...random].map((b) => b.toString(16).padStart(2, "0")).join("")}`,
    ),
    ttlMs: durationFlag(flags, "lease-ttl", { default: 3_000, allowZero: false }),
    replicas: intFlag(flags, "replicas", { default: 3, min: 1, max: 5 }),
    handoverWaitMs: durationFlag(flags, "handover-wait", { default: 60_000, allowZero: false }),
  };
}

/**
 * The member's options its cluster flags give (`ClusterNodeOptions`, `edge/cluster/cluster_node.ts`).
 *
 * @example `--handover-wait 90s`
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseFlags } from "../flags.ts";
 * import { FLAG_SPEC } from "./config.ts";
 * import { clusterFlagsOf, memberOptionsOf } from "./cluster.ts";
 * const flags = parseFlags(["--partitions", "4", "--instance", "c1", "--handover-wait", "90s"], FLAG_SPEC);
 * const cluster = clusterFlagsOf(flags, "nats://127.0.0.1:4222", "jetstream")!;
 * assert.equal(memberOptionsOf(cluster).handoverWaitMs, 90_000);
 * ```
 */
export function memberOptionsOf(cluster: ClusterFlags): Pick<
  ClusterNodeOptions,
  "cluster" | "instance" | "partitions" | "replicas" | "ttlMs" | "handoverWaitMs"
> {
  return {
    cluster: cluster.cluster,
    instance: cluster.instance,
    partitions: cluster.partitions,
    replicas: cluster.replicas,
    ttlMs: cluster.ttlMs,
    handoverWaitMs: cluster.handoverWaitMs,
  };
}

/**
 * Refuses a `--handover-wait` shorter than the time the next owner's judgement needs to raise a
 * handed-over alert's episode again once its events are applied (`handoverSettleMs`: 4 times
 * `--max-skew` plus twice `--window` plus 1 s): the copy would be routed before, and the alert
 * could come twice.
 *
 * @throws {UsageError} Naming the flag, its value and the least it may be.
 *
 * @example The default window and no skew bound need 1.5 s
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkHandoverWait } from "./cluster.ts";
 * checkHandoverWait(60_000, "60s", { windowMs: 250 });
 * assert.throws(() => checkHandoverWait(1_000, "1s", { windowMs: 250 }), /at least 1500 ms/);
 * ```
 */
export function checkHandoverWait(
  waitMs: number,
  given: string,
  core: { readonly maxSkewMs?: number; readonly windowMs?: number },
): void {
  const least = handoverSettleMs(core);
  if (waitMs < least) {
    throw new UsageError(
      `Flag '--handover-wait' must be at least ${least} ms (4 x '--max-skew' + 2 x '--window' + 1s), got '${given}'`,
    );
  }
}

/**
 * Runs one member of a partitioned deployment (`--partitions`) on the open
 * connection `nc`; returns 0 once `signal` came and its partitions were
 * handed over, 1 when handing over did not finish within 20 s.
 *
 * @throws {CommandError} When the deployment cannot be joined or the port is in use.
 *
 * @example Run a member until SIGTERM
 * ```ts ignore
 * const code = await runPartitioned(config, config.cluster!, { flags, signal, nc });
 * ```
 */
export async function runPartitioned(
  config: CollectorConfig,
  cluster: ClusterFlags,
  { flags, signal, nc, warmUp = 0 }: {
    readonly flags: Flags;
    readonly signal: Promise<string>;
    readonly nc: NatsConnection;
    /** Events of the warm-up before joining (`--warm-up`); 0: none. */
    readonly warmUp?: number;
  },
): Promise<number> {
  const out = (line: string) => console.log(line);
  const { startPartitionedCollector } = await import("../../edge/cluster/deployment.ts");
  const nats = await import("../../edge/ingest/nats.ts");
  let deployment;
  try {
    deployment = await startPartitionedCollector(nc, {
      // Leases and registration renewed from a thread of their own, on a connection of their own:
      // a loaded member's busy thread must not make it lose partitions it serves.
      leaseServers: config.natsUrl!,
      ...memberOptionsOf(cluster),
      core: config.core,
      stream: config.stream,
      // Before taking partitions: a failover's backlog meets compiled code.
      warmUp: warmUp > 0 ? { events: warmUp } : null,
      service: {
        tickMs: config.durations.tick,
        persistMs: config.durations.persist,
        alerts: {
          webhooks: webhooksOf(flags),
          ...(flags.boolean.has("no-nats-alerts") ? {} : { publish: nats.natsPublisher(nc) }),
        },
      },
      // One line per violation routed: a re-raised one another owner routed already is not printed.
      onAlert: (_p, violation) => out(violationLine(violation, config.log)),
    });
  } catch (e) {
    await nc.close();
    throw new CommandError(
      `Cannot join the partitioned deployment '${cluster.cluster}' at '${config.natsUrl}': ${
        (e as Error).message
      }`,
      { cause: e },
    );
  }
  const d = deployment;
  const app = createCollectorApp(d.front, { ...appOptionsOf(config, flags), cluster: d.routes });
  let server: CollectorServer | null = null;
  const stopAll = async () => {
    await server?.shutdown();
    await d.stop();
    await nc.drain();
  };
  try {
    server = await listen(app.fetch, config, ({ hostname, port }) => {
      d.node.setUrl(`http://${hostname}:${port}`);
      announce(config, { hostname, port, saved: null, nc });
    });
  } catch (e) {
    await stopAll();
    throw e;
  }
  announceStop(config, await signal, "handing partitions over and stopping");
  // Handing over needs NATS: when it cannot be reached, do not hang; the leases then expire and
  // each partition's standby restores the last saved state.
  const STOP_MS = 20_000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stopped = await Promise.race([
    stopAll().then(() => true),
    new Promise<false>((r) => (timer = setTimeout(() => r(false), STOP_MS))),
  ]).finally(() => clearTimeout(timer));
  if (!stopped) {
    console.error(
      `vigil collector: handing partitions over did not finish within ${STOP_MS / 1000} s ` +
        `(NATS out of reach?); their leases expire and their standbys take them from the last saved state`,
    );
    return 1;
  }
  return 0;
}
