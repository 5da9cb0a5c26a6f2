/**
 * One collector of a partitioned deployment: registers itself, keeps the
 * partitions it should own (by rendezvous hashing over the live members,
 * `assignment.ts`) under KV leases (`leases.ts`), runs one
 * {@link PartitionRunner} per owned partition, and hands partitions over
 * when membership changes.
 *
 * Two timers:
 * - renewal, every quarter of the lease time-to-live (with jitter):
 *   rewrites this member's registration and renews every held lease, each
 *   write on its own (none waits for another's answer), on the connection
 *   `leaseConnection` when given (so renewals never queue behind the
 *   partitions' deliveries, acks and snapshot saves). A lease found lost
 *   (expired or taken) is abandoned at once (its store fenced, nothing more
 *   acked). A renewal that cannot reach NATS is retried; once a lease has
 *   gone unrenewed for a whole time-to-live on this collector's own clock,
 *   it is abandoned too (the servers may have expired it already).
 * - assignment, every `tickMs`: reads the live members and each
 *   partition's lease; hands over (save, ack, release) each held partition
 *   whose desired owner is another live member; acquires each free
 *   partition whose desired owner is this member, then restores and runs it.
 *
 * On SIGKILL nothing runs: the registration and leases expire after the
 * time-to-live, every member then computes the same new owners (each dead
 * member's partitions go to their standby), which acquire, restore from KV
 * and consume from the ack floor.
 *
 * @module
 */
import { jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import type { CollectorOptions, Violation } from "../engine/types.ts";
import type { AlertLedgerCounts } from "./alert_ledger.ts";
import type { CollectorService, CollectorServiceOptions } from "../server/service.ts";
import { ALL_EVENT_SUBJECTS, EVENT_STREAM, MAX_PARTITIONS } from "../../lib/wire/subjects.ts";
import { desiredAssignment } from "./assignment.ts";
import { checkId, type ClusterBucket, type MemberRecord, openClusterBucket } from "./leases.ts";
import { openStateBucket, type StateBucket } from "./partition_store.ts";
import { type PartitionRunner, startPartitionRunner } from "./partition_runner.ts";
import { type LeaseStats, LeaseStatsRecorder } from "./lease_stats.ts";

/**
 * Options of {@link startClusterNode}.
 *
 * @example Sixteen partitions, three replicas
 * ```ts ignore
 * const options: ClusterNodeOptions = { cluster: "vigil", instance: "c1", partitions: 16, core: { specs: [lease] } };
 * ```
 */
export interface ClusterNodeOptions {
  /** Cluster id (KV key prefix and consumer names). */
  readonly cluster: string;
  /** This collector's member id, unique in the cluster. */
  readonly instance: string;
  /** Partition count: the senders' (`createPartitionedBatcher`'s `partitions`). */
  readonly partitions: number;
  /** The core's options of every partition. */
  readonly core: CollectorOptions;
  /**
   * The connection leases and registrations are written on. Default: the
   * member's connection. A connection of their own keeps renewals from
   * waiting behind deliveries, acks and snapshot saves on a loaded member.
   */
  readonly leaseConnection?: NatsConnection;
  /** Event stream. Default `VIGIL_EVENTS` (created with `replicas` when absent). */
  readonly stream?: string;
  /** Replicas of the stream and buckets when created. Default 3. */
  readonly replicas?: number;
  /** Lease time-to-live when the bucket is created, ms. Default 3000. */
  readonly ttlMs?: number;
  /** Assignment period, ms. Default 250. */
  readonly tickMs?: number;
  /** How long to retry setting up the stream and buckets while JetStream is not ready, ms. Default 30 000. */
  readonly setUpTimeoutMs?: number;
  /** A partition that does not start (restore, consumer) within this long is released, ms. Default 20 000. */
  readonly startTimeoutMs?: number;
  /** Each partition service's options (timers, alerts, logs). */
  readonly service?: Omit<CollectorServiceOptions, "store">;
  /** Called with each partition's service before it starts. */
  readonly onService?: (partition: number, service: CollectorService) => void;
  /** Called with each violation this member routes (once over the cluster's owners). */
  readonly onAlert?: (partition: number, violation: Violation) => void;
  /** Ownership changes and failures, one line each. Default `console.error`. */
  readonly log?: (line: string) => void;
}

/**
 * One partition in this member's view.
 *
 * @example Partition 3, owned here
 * ```ts
 * import assert from "node:assert/strict";
 * import type { OwnedPartition } from "./cluster_node.ts";
 * const p: OwnedPartition = {
 *   partition: 3, startedAt: 1, restoredApplied: 0, firstAppliedAt: null,
 *   applied: 0, violations: 0, duplicates: 0, late: 0, lost: 0, partitions: 0,
 *   alerts: { routed: 0, suppressed: 0, resent: 0, unrecorded: 0 },
 * };
 * assert.equal(p.partition, 3);
 * ```
 */
export interface OwnedPartition {
  readonly partition: number;
  /** When this member started running it, ms. */
  readonly startedAt: number;
  /** Events held by the state it restored. */
  readonly restoredApplied: number;
  /** When it first applied an event after starting, ms. */
  readonly firstAppliedAt: number | null;
  /** Events applied (restored ones included). */
  readonly applied: number;
  /** Violations raised (restored ones included). */
  readonly violations: number;
  /** Events received again (redelivered after an owner change, or retried by a sender). */
  readonly duplicates: number;
  /** Events applied after their reorder window. */
  readonly late: number;
  /** Sequence numbers never received nor declared dropped. */
  readonly lost: number;
  /** Instance partitions (keys) known. */
  readonly partitions: number;
  /** Alerts routed here, and re-raised ones not routed again (`alert_ledger.ts`). */
  readonly alerts: AlertLedgerCounts;
}

/**
 * A running cluster member.
 *
 * @example Stop gracefully
 * ```ts ignore
 * const node = await startClusterNode(nc, options);
 * await node.stop();
 * ```
 */
export interface ClusterNode {
  /** Member id. */
  readonly id: string;
  /** Partition count. */
  readonly partitions: number;
  /** The leases and registrations. */
  readonly bucket: ClusterBucket;
  /** Partitions running here, by number. */
  readonly runners: ReadonlyMap<number, PartitionRunner>;
  /** Sets the URL peers reach this member's API at (and registers it at once). */
  setUrl(url: string): void;
  /** What runs here now. */
  owned(): OwnedPartition[];
  /** How long renewals took, and the partitions acquired, lost and handed over. */
  leaseStats(): LeaseStats;
  /** Hands every partition over (save, ack, release) and leaves the cluster. */
  stop(): Promise<void>;
}

/**
 * Joins the cluster: registers, then acquires and runs partitions.
 *
 * @example Join with sixteen partitions
 * ```ts ignore
 * import { startClusterNode } from "./cluster_node.ts";
 * const node = await startClusterNode(nc, { cluster: "vigil", instance: "c1", partitions: 16, core: { specs: [lease] } });
 * ```
 */
export async function startClusterNode(
  nc: NatsConnection,
  options: ClusterNodeOptions,
): Promise<ClusterNode> {
  checkId(options.instance, "instance id");
  checkId(options.cluster, "cluster id");
  const n = options.partitions;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PARTITIONS) {
    throw new RangeError(
      `Partition count must be an integer from 1 to ${MAX_PARTITIONS}, got '${n}'`,
    );
  }
  const log = options.log ?? ((line: string) => console.error(line));
  const replicas = options.replicas ?? 3;
  const stream = options.stream ?? EVENT_STREAM;
  // JetStream can answer "not enabled" or time out for a few seconds while a cluster elects its
  // leaders (servers just started, or one just stopped): retry the set-up for a while.
  const setUp = async () => {
    const jsm = await jetstreamManager(nc);
    try {
      await jsm.streams.info(stream);
    } catch (e) {
      if ((e as { code?: unknown }).code !== 10059) throw e;
      await jsm.streams.add({
        name: stream,
        subjects: [ALL_EVENT_SUBJECTS],
        num_replicas: replicas,
      });
    }
    const bucket = await openClusterBucket(options.leaseConnection ?? nc, {
      cluster: options.cluster,
      replicas,
      ...(options.ttlMs === undefined ? {} : { ttlMs: options.ttlMs }),
    });
    return { bucket, states: await openStateBucket(nc, { replicas }) };
  };
  const setUpUntil = Date.now() + (options.setUpTimeoutMs ?? 30_000);
  let opened: Awaited<ReturnType<typeof setUp>>;
  for (;;) {
    try {
      opened = await setUp();
      break;
    } catch (e) {
      if (Date.now() >= setUpUntil) throw e;
      log(`vigil cluster: JetStream not ready (${(e as Error).message}), retrying`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  const { bucket } = opened;
  const states: StateBucket = opened.states;
  const id = options.instance;
  const since = Date.now();
  let url = "";
  const runners = new Map<number, PartitionRunner>();
  /**
   * Lease revision and last successful renewal (own clock) of each held partition: one record per
   * holding, updated in place by renewals, so a hand-over releases the latest revision and a
   * renewal finishing after a hand-over began never brings the partition back.
   */
  const held = new Map<number, { revision: number; renewedAt: number }>();
  /** Partitions being started or handed over (the assignment loop skips them). */
  const busy = new Set<number>();
  let stopping = false;
  const stats = new LeaseStatsRecorder();

  const record = (): MemberRecord => ({
    id,
    url,
    owned: [...runners.keys()].sort((a, b) => a - b),
    since,
  });

  async function drop(p: number, graceful: boolean, why: string): Promise<void> {
    const lease = held.get(p);
    held.delete(p);
    const runner = runners.get(p);
    runners.delete(p);
    try {
      if (runner !== undefined) await (graceful ? runner.stop() : runner.abandon());
    } catch (e) {
      log(`vigil cluster: stopping partition ${p} failed: ${(e as Error).message}`);
    }
    if (graceful && lease !== undefined) {
      // Read now: a renewal in flight when the hand-over began has updated it meanwhile.
      await bucket.release(p, lease.revision).catch((e) =>
        log(`vigil cluster: releasing partition ${p} failed: ${(e as Error).message}`)
      );
    }
    stats.count(graceful ? "handedOver" : "lost");
    log(`vigil cluster: ${id} ${graceful ? "handed over" : "lost"} partition ${p} (${why})`);
  }

  /**
   * Renewals. Every quarter of the time-to-live (less up to a tenth of it at random, so members do
   * not write in step) the registration and every held lease (those of partitions still starting
   * included: a slow start must not let its lease expire) are rewritten, each on its own: a key
   * whose last write is still unanswered is skipped this time (never two writes of one key in
   * flight), and no write waits for another's answer. A lease found lost (expired or taken) is
   * abandoned at once; so is one not renewed for a whole time-to-live on this member's clock, even
   * while its write is still unanswered (the servers may have expired it already).
   */
  const renewPeriod = Math.max(100, bucket.ttlMs / 4);
  const pending = new Set<number | "member">();
  /** When the renewal timer last fired, and when a slow renewal was last logged (own clock). */
  let lastTickAt = 0;
  let slowLoggedAt = 0;
  /** Logs, at most every 10 s, a renewal timer firing late or a write answered late. */
  function slow(what: string): void {
    const now = Date.now();
    if (now - slowLoggedAt < 10_000) return;
    slowLoggedAt = now;
    log(`vigil cluster: ${id} ${what} (lease TTL ${bucket.ttlMs} ms)`);
  }

  function lose(p: number, lease: { revision: number; renewedAt: number }, why: string): void {
    if (held.get(p) !== lease) return;
    if (busy.has(p)) {
      // Starting (the start abandons it when it finds the lease gone) or being handed over.
      held.delete(p);
      return;
    }
    busy.add(p);
    void drop(p, false, why).finally(() => busy.delete(p));
  }

  async function renewOne(p: number, lease: { revision: number; renewedAt: number }) {
    pending.add(p);
    let lost: string | null = null;
    try {
      const sent = performance.now();
      const rev = await bucket.renew(p, id, url, lease.revision);
      const took = performance.now() - sent;
      stats.renewed(took);
      if (took > bucket.ttlMs / 3) slow(`lease renewal answered after ${Math.round(took)} ms`);
      if (rev === null) lost = "lease expired or taken";
      else if (held.get(p) === lease) {
        lease.revision = rev;
        lease.renewedAt = Date.now();
      }
    } catch (e) {
      if (Date.now() - lease.renewedAt >= bucket.ttlMs) {
        lost = `not renewed for ${bucket.ttlMs} ms: ${(e as Error).message}`;
      }
    } finally {
      pending.delete(p);
    }
    if (lost !== null) lose(p, lease, lost);
  }

  let registerFailedAt = 0;
  async function registerOnce(): Promise<void> {
    pending.add("member");
    try {
      await bucket.register(record());
    } catch (e) {
      // The registration expiring makes the others take this member's partitions: say so.
      if (Date.now() - registerFailedAt >= 10_000 && !stopping) {
        registerFailedAt = Date.now();
        log(`vigil cluster: ${id} could not renew its registration: ${(e as Error).message}`);
      }
    } finally {
      pending.delete("member");
    }
  }

  function renewAll(): void {
    const now = Date.now();
    const late = lastTickAt === 0 ? 0 : now - lastTickAt - renewPeriod;
    lastTickAt = now;
    if (late > bucket.ttlMs / 3) slow(`lease renewal timer fired ${Math.round(late)} ms late`);
    if (!pending.has("member")) void registerOnce();
    for (const [p, lease] of held) {
      if (!pending.has(p)) void renewOne(p, lease);
      else if (now - lease.renewedAt >= bucket.ttlMs) {
        lose(p, lease, `not renewed for ${bucket.ttlMs} ms: the last renewal is still unanswered`);
      }
    }
  }

  async function acquire(p: number): Promise<void> {
    const rev = await bucket.acquire(p, id, url);
    if (rev === null) return;
    held.set(p, { revision: rev, renewedAt: Date.now() });
    const startMs = options.startTimeoutMs ?? 20_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const store = states.partition(p, { cluster: options.cluster, owner: id });
      const starting = startPartitionRunner(nc, store, {
        core: options.core,
        durablePrefix: `vigil-${options.cluster}`,
        stream,
        ...(options.service === undefined ? {} : { service: options.service }),
        onService: (s) => options.onService?.(p, s),
        ledger: { kv: states.kv, cluster: options.cluster, owner: id, log },
        ...(options.onAlert === undefined ? {} : { onRouted: (v) => options.onAlert!(p, v) }),
      });
      let late = false;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          late = true;
          reject(new Error(`not started within ${startMs} ms`));
        }, startMs);
      });
      // A start that never ends must not hold the lease (renewed while held) forever; one that
      // ends after its time is abandoned (its lease was released, nothing of it may be acked).
      void starting.then((r) => late ? r.abandon() : undefined, () => {});
      const runner = await Promise.race([starting, timedOut]);
      if (!held.has(p)) {
        // Lost while starting: nothing of it may be acked.
        await runner.abandon();
        return;
      }
      runners.set(p, runner);
      stats.count("acquired");
      log(
        `vigil cluster: ${id} owns partition ${p} (restored ${runner.restoredApplied} applied events)`,
      );
    } catch (e) {
      const lease = held.get(p);
      held.delete(p);
      if (lease !== undefined) await bucket.release(p, lease.revision).catch(() => {});
      log(`vigil cluster: ${id} could not start partition ${p}: ${(e as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
  }

  async function assign(): Promise<void> {
    const members = (await bucket.members()).map((m) => m.id);
    if (!members.includes(id)) members.push(id);
    const desired = desiredAssignment(members, n);
    // Each hand-over or start runs on its own (`busy` keeps one per partition), so one slow
    // partition never holds up the others.
    const run = (p: number, what: string, work: () => Promise<void>) => {
      busy.add(p);
      work().catch((e) => {
        if (!stopping) {
          log(`vigil cluster: ${what} of partition ${p} failed: ${(e as Error).message}`);
        }
      }).finally(() => busy.delete(p));
    };
    for (const d of desired) {
      const p = d.partition;
      if (busy.has(p) || stopping) continue;
      if (held.has(p) && runners.has(p) && d.owner !== id) {
        run(p, "hand-over", () => drop(p, true, `rebalanced to ${d.owner}`));
      } else if (!held.has(p) && d.owner === id) {
        run(p, "start", () => acquire(p));
      }
    }
  }

  const guard = (what: string, fn: () => Promise<void>) => {
    let running = false;
    return () => {
      if (running || stopping) return;
      running = true;
      fn().catch((e) => {
        if (!stopping) log(`vigil cluster: ${what} failed: ${(e as Error).message}`);
      })
        .finally(() => (running = false));
    };
  };
  await bucket.register(record());
  let renewTimer: ReturnType<typeof setTimeout> | undefined;
  const scheduleRenewal = () => {
    renewTimer = setTimeout(() => {
      if (stopping) return;
      renewAll();
      scheduleRenewal();
    }, renewPeriod * (0.9 + 0.1 * Math.random()));
  };
  scheduleRenewal();
  const assignTimer = setInterval(guard("assignment", assign), options.tickMs ?? 250);

  return {
    id,
    partitions: n,
    bucket,
    runners,
    setUrl(u) {
      url = u;
      // Registered at once, so peers can reach this member's part of the view.
      void bucket.register(record()).catch(() => {});
    },
    leaseStats: () => stats.stats(),
    owned() {
      return [...runners.values()].map((r) => {
        const m = r.service.collector.metrics();
        return {
          partition: r.partition,
          startedAt: r.startedAt,
          restoredApplied: r.restoredApplied,
          firstAppliedAt: r.firstAppliedAt,
          applied: m.applied,
          violations: m.violations,
          duplicates: m.duplicates,
          late: m.late,
          lost: m.lost,
          partitions: r.service.collector.partitions().length,
          alerts: r.alertCounts(),
        };
      }).sort((a, b) => a.partition - b.partition);
    },
    async stop() {
      stopping = true;
      clearTimeout(renewTimer);
      clearInterval(assignTimer);
      // Wait for a start or hand-over in progress, then hand everything over.
      const deadline = Date.now() + 10_000;
      while (busy.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      await Promise.all([...held.keys()].map((p) => drop(p, true, "leaving")));
      await bucket.unregister(id).catch(() => {});
    },
  };
}
