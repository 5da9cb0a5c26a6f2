/**
 * Test helper for lease keepers on a real nats-server (one server,
 * replicas 1) whose writes can be held or rerouted in transit
 * (`cluster_holding_proxy.ts`): the server, the proxy, a connection each
 * way and the cluster bucket ({@link withHeldWrites}); a bucket that
 * records the outcome of each renewal and lease read ({@link spied}); a
 * keeper whose reports are collected ({@link keeperFor}); JetStream's
 * answers read on `_INBOX.>` from another connection ({@link answers});
 * member a holding partition 1 ({@link holdOne}).
 *
 * @module
 */
import { connect } from "@nats-io/transport-node";
import type { NatsConnection } from "@nats-io/nats-core";
import { type ClusterBucket, openClusterBucket } from "../edge/cluster/leases.ts";
import { type Keeper, LeaseKeeper } from "../edge/cluster/lease_keeper/keeper.ts";
import { leaseClock } from "../edge/cluster/lease_deadline.ts";
import { waitFor } from "../tools/harness/wait.ts";
import { startNatsServer } from "../tools/harness/nats_server.ts";
import { type HoldingProxy, startHoldingProxy } from "./cluster_holding_proxy.ts";

const dec = new TextDecoder();

/** A JetStream answer as read on an inbox. */
export interface JsAnswer {
  readonly error?: { readonly err_code?: number };
  readonly seq?: number;
}

/** JetStream's answers on any inbox, by reply subject (read from another connection). */
export function answers(nc: NatsConnection): Map<string, JsAnswer> {
  const seen = new Map<string, JsAnswer>();
  nc.subscribe("_INBOX.>", {
    callback: (_e, m) => {
      try {
        seen.set(m.subject, JSON.parse(dec.decode(m.data)));
      } catch {
        // not a JetStream answer
      }
    },
  });
  return seen;
}

/** What a {@link spied} bucket recorded, in order. */
export interface Outcomes {
  /** Each renewal write's outcome. */
  readonly renewals: ("renewed" | "refused" | "failed")[];
  /** Each lease read's outcome (the keeper reads to settle a refused renewal). */
  readonly reads: ("read" | "failed")[];
  /** Renewal writes sent (counted at the call, before any answer). */
  sent: number;
}

/** The bucket, with each renewal's and each lease read's outcome recorded. */
export function spied(bucket: ClusterBucket): { bucket: ClusterBucket; outcomes: Outcomes } {
  const outcomes: Outcomes = { renewals: [], reads: [], sent: 0 };
  return {
    outcomes,
    bucket: {
      ...bucket,
      ttlMs: bucket.ttlMs,
      renew: (...args) =>
        (outcomes.sent++, bucket.renew(...args)).then((r) => {
          outcomes.renewals.push(r === null ? "refused" : "renewed");
          return r;
        }, (e) => {
          outcomes.renewals.push("failed");
          throw e;
        }),
      lease: (p) =>
        bucket.lease(p).then((l) => {
          outcomes.reads.push("read");
          return l;
        }, (e) => {
          outcomes.reads.push("failed");
          throw e;
        }),
    },
  };
}

/** What a keeper of {@link keeperFor} reported. */
export interface Seen {
  readonly uncertain: string[];
  readonly certain: number[];
  readonly lost: { partition: number; why: string }[];
  readonly renewals: number[];
  readonly retries: number[];
  readonly slow: number[];
  readonly logs: string[];
}

/** Nothing reported yet. */
export const seenNow = (): Seen => ({
  uncertain: [],
  certain: [],
  lost: [],
  renewals: [],
  retries: [],
  slow: [],
  logs: [],
});

/**
 * Member `a`'s keeper on `bucket`, its reports into `seen`; `pauses`: its member pauses uncertain
 * partitions (`onUncertain` given); `maxStallMs`: see {@link LeaseKeeper}; `log`: also called with
 * each line, as it is said.
 */
export function keeperFor(
  bucket: ClusterBucket,
  seen: Seen,
  options: {
    readonly pauses?: boolean;
    readonly maxStallMs?: number;
    readonly log?: (line: string) => void;
  } = {},
): LeaseKeeper {
  return new LeaseKeeper(bucket, {
    id: "a",
    ...(options.pauses
      ? {
        onUncertain: (_p: number, why: string) => seen.uncertain.push(why),
        onCertain: (_p: number, ms: number) => seen.certain.push(ms),
      }
      : {}),
    ...(options.maxStallMs === undefined ? {} : { maxStallMs: options.maxStallMs }),
    onLost: (partition, why) => seen.lost.push({ partition, why }),
    onRenewed: (ms) => seen.renewals.push(ms),
    onRetry: (_p, waitedMs) => seen.retries.push(waitedMs),
    onSlow: (_p, ms) => seen.slow.push(ms),
    log: (line) => {
      seen.logs.push(line);
      options.log?.(line);
    },
  });
}

/**
 * Member `a` acquires partition 1 on `bucket` (it must be free), `keeper`
 * starts and holds it from the acquire's send time, and the keeper's first
 * `renewals` renewals are awaited in `seen` (10 s at most).
 */
export async function holdOne(
  bucket: ClusterBucket,
  keeper: Pick<Keeper, "start" | "hold">,
  seen: Seen,
  renewals: number,
): Promise<void> {
  const sentAt = leaseClock();
  const rev = await bucket.acquire(1, "a", "");
  if (rev === null) throw new Error("Member a could not acquire partition 1: it is held");
  keeper.start({ id: "a", url: "", owned: [1], since: 1 });
  keeper.hold(1, rev, sentAt);
  await waitFor(() => seen.renewals.length >= renewals, {
    timeoutMs: 10_000,
    what: renewals === 1 ? "a renewal" : "renewals",
  });
}

/** What a test of held writes gets: one server, a proxy before it, a connection each way. */
export interface HeldWrites {
  /** The proxy that holds chosen publishes of the connections through it. */
  readonly proxy: HoldingProxy;
  /** A connection straight to the server (JetStream's answers, the other member). */
  readonly nc: NatsConnection;
  /** A connection through the proxy (the keeper's). */
  readonly viaProxy: NatsConnection;
  /** The cluster bucket over `nc`. */
  readonly direct: ClusterBucket;
  /** The lease TTL (ms) the bucket was made with. */
  readonly ttlMs: number;
  /** The subject of partition 1's lease key. */
  readonly subject: string;
  /** The subject of the keeper's reads of a key (the leader's `STREAM.MSG.GET`, any key). */
  readonly readSubject: string;
}

/**
 * Runs `fn` against a fresh nats-server behind a holding proxy, the bucket of `cluster` made with
 * `ttlMs`; stops both after.
 */
export async function withHeldWrites(
  cluster: string,
  ttlMs: number,
  fn: (w: HeldWrites) => Promise<void>,
): Promise<void> {
  const server = await startNatsServer();
  const proxy = await startHoldingProxy(server.port);
  const nc = await connect({ servers: server.url });
  const viaProxy = await connect({ servers: proxy.url });
  try {
    const direct = await openClusterBucket(nc, { cluster, replicas: 1, ttlMs });
    const subject = `$KV.VIGIL_CLUSTER.lease.${cluster}.1`;
    await fn({
      proxy,
      nc,
      viaProxy,
      direct,
      ttlMs,
      subject,
      readSubject: "$JS.API.STREAM.MSG.GET.KV_VIGIL_CLUSTER",
    });
  } finally {
    await viaProxy.close();
    await nc.close();
    await proxy.stop();
    await server.stop();
  }
}
