/**
 * Partition ownership leases and collector registrations in one JetStream
 * KV bucket (`VIGIL_CLUSTER` by default, replicated), whose `max_age` is
 * the lease time-to-live. Nothing here is a protocol of its own: NATS
 * does the agreeing.
 *
 * - A lease is the key `lease.<cluster>.<partition>` holding
 *   `{ owner, url }`. Acquiring creates it (`create`: refused while the
 *   key holds a value); renewing rewrites it on the revision last written
 *   (`update`: compare-and-set), which refreshes its age; releasing
 *   deletes it on that revision. A lease not renewed within the bucket's
 *   `max_age` is removed by the servers themselves: expiry is judged by
 *   the stream's own clock on the message's store time, never by a
 *   collector's (skewed) clock. After expiry the holder's next renewal
 *   fails (the revision is gone), so it learns it lost the partition.
 * - A registration is the key `member.<cluster>.<id>` holding the
 *   collector's {@link MemberRecord}, rewritten on every renewal, expiring
 *   the same way: the live members are the keys present (listed by one
 *   stream info request with a subject filter, which creates no consumer).
 *
 * nats-server 2.9 has all of this (KV buckets, `max_age`, expected last
 * subject sequence on publish). Removal by `max_age` is not announced to
 * watchers on 2.9 (per-message delete markers came in 2.11), so standbys
 * read the lease on their own timer.
 *
 * @module
 */
import { jetstreamManager } from "@nats-io/jetstream";
import { type KV, type KvEntry, Kvm } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/nats-core";

/** Characters allowed in a cluster id and a member id (they become KV key tokens). */
const ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Throws a `TypeError` unless `id` is a valid cluster or member id.
 *
 * @example Ids are one KV key token
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkId } from "./leases.ts";
 * checkId("collector-1", "member id");
 * assert.throws(() => checkId("a.b", "member id"), /Member id must be 1 to 64 of/);
 * ```
 */
export function checkId(id: string, what: string): void {
  if (!ID.test(id)) {
    throw new TypeError(
      `${what[0]!.toUpperCase()}${what.slice(1)} must be 1 to 64 of [A-Za-z0-9_-], got '${id}'`,
    );
  }
}

/**
 * What a collector registers about itself.
 *
 * @example A collector owning two partitions
 * ```ts
 * import assert from "node:assert/strict";
 * import type { MemberRecord } from "./leases.ts";
 * const m: MemberRecord = { id: "c1", url: "http://127.0.0.1:8080", owned: [0, 3], since: 1 };
 * assert.equal(m.owned.length, 2);
 * ```
 */
export interface MemberRecord {
  /** Member id (`--instance`). */
  readonly id: string;
  /** Where its HTTP API answers (peers fetch its view there); empty before it listens. */
  readonly url: string;
  /** Partitions it runs now. */
  readonly owned: readonly number[];
  /** When it started, ms since the epoch (its own clock: informative only). */
  readonly since: number;
}

/**
 * A lease as read: its owner and revision.
 *
 * @example A lease held by c1
 * ```ts
 * import assert from "node:assert/strict";
 * import type { LeaseInfo } from "./leases.ts";
 * const l: LeaseInfo = { partition: 3, owner: "c1", revision: 42 };
 * assert.equal(l.owner, "c1");
 * ```
 */
export interface LeaseInfo {
  readonly partition: number;
  /** Holder, or `null` when nobody holds it. */
  readonly owner: string | null;
  /** KV revision of the lease (0 when free). */
  readonly revision: number;
}

/**
 * Options of {@link openClusterBucket}.
 *
 * @example Three replicas, 3 s leases
 * ```ts
 * import assert from "node:assert/strict";
 * import type { ClusterBucketOptions } from "./leases.ts";
 * const o: ClusterBucketOptions = { cluster: "vigil", replicas: 3, ttlMs: 3000 };
 * assert.equal(o.ttlMs, 3000);
 * ```
 */
export interface ClusterBucketOptions {
  /** Cluster id: key prefix, so several deployments can share a bucket. */
  readonly cluster: string;
  /** Bucket name. Default `VIGIL_CLUSTER`. */
  readonly bucket?: string;
  /** Replicas when the bucket is created. Default 3 (1 on a single server). */
  readonly replicas?: number;
  /** Lease and registration time-to-live (the bucket's `max_age`) when created, ms. Default 3000. */
  readonly ttlMs?: number;
}

/**
 * The leases and registrations of one cluster.
 *
 * @example Acquire, renew, release
 * ```ts ignore
 * const bucket = await openClusterBucket(nc, { cluster: "vigil" });
 * const rev = await bucket.acquire(3, "c1", "http://127.0.0.1:8080");
 * const next = await bucket.renew(3, "c1", "http://127.0.0.1:8080", rev!);
 * await bucket.release(3, next!);
 * ```
 */
export interface ClusterBucket {
  /** The lease time-to-live in force (the bucket's `max_age`), ms. */
  readonly ttlMs: number;
  /** Takes a free lease; its revision, or `null` when someone holds it. */
  acquire(partition: number, owner: string, url: string): Promise<number | null>;
  /**
   * Renews a held lease by compare-and-set on `revision`; its new revision, or
   * `null` when refused (expired, taken, or already renewed from `revision`).
   * `options.timeoutMs`: how long to wait for the answer (default the client's, 5 s).
   */
  renew(
    partition: number,
    owner: string,
    url: string,
    revision: number,
    options?: { readonly timeoutMs?: number },
  ): Promise<number | null>;
  /** Releases a held lease (nothing when it was lost meanwhile). */
  release(partition: number, revision: number): Promise<void>;
  /** The lease of a partition as the stream's leader stores it now. */
  lease(partition: number): Promise<LeaseInfo>;
  /**
   * Writes (registers or renews) a member's record; its new revision, or `null` when refused.
   * `options.timeoutMs`: how long to wait for the answer (default the client's, 5 s).
   * `options.revision`: a compare-and-set on that revision of the record (0: only when it holds no
   * value), refused otherwise; absent: written whatever it holds.
   */
  register(
    record: MemberRecord,
    options?: { readonly timeoutMs?: number; readonly revision?: number },
  ): Promise<number | null>;
  /** The revision of member `id`'s record as the leader stores it (a delete's included), 0 when none. */
  registration(id: string): Promise<number>;
  /** Removes a member's record (graceful leave). */
  unregister(id: string): Promise<void>;
  /** The live members' records. */
  members(): Promise<MemberRecord[]>;
}

/**
 * A member's first registration write (before its keeper renews it): a compare-and-set on the
 * revision its key holds now (an earlier life's record, a leave's delete marker, or none), like
 * every later write of it. A plain put whose answer was lost (timed out, then retried) could land
 * after the keeper's writes and put back this older record (no URL, no partitions) over a newer
 * one; this one is refused then. Throws when another write came between the read and the write
 * (the caller tries again), or when the write fails; resolves with the stored revision.
 *
 * @example Register once the bucket is open
 * ```ts ignore
 * import { openClusterBucket, registerFirst } from "./leases.ts";
 * const bucket = await openClusterBucket(nc, { cluster: "vigil" });
 * await registerFirst(bucket, { id: "c1", url: "", owned: [], since: Date.now() });
 * ```
 */
export async function registerFirst(
  bucket: Pick<ClusterBucket, "register" | "registration">,
  record: MemberRecord,
): Promise<number> {
  const revision = await bucket.registration(record.id);
  const stored = await bucket.register(record, { revision });
  if (stored === null) {
    throw new Error(
      `the registration of '${record.id}' moved from revision ${revision} before it was written`,
    );
  }
  return stored;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

/** True when the entry holds a value (not a delete or purge marker). */
function live(e: KvEntry | null): e is KvEntry {
  return e !== null && e.operation === "PUT";
}

/** True for the KV's "wrong last sequence" / "key exists" refusals of a compare-and-set. */
function isConflict(e: unknown): boolean {
  const text = `${(e as Error)?.message ?? ""} ${String((e as { cause?: unknown })?.cause ?? "")}`;
  return /wrong last sequence|key exists|10071/i.test(text) ||
    (e as { code?: unknown })?.code === 10071 ||
    (e as { api_error?: { err_code?: number } })?.api_error?.err_code === 10071;
}

/**
 * Opens (creating it when absent) the cluster bucket.
 *
 * @example Open on a connection
 * ```ts ignore
 * import { openClusterBucket } from "./leases.ts";
 * const bucket = await openClusterBucket(nc, { cluster: "vigil", replicas: 3, ttlMs: 3000 });
 * console.log(bucket.ttlMs);
 * ```
 */
export async function openClusterBucket(
  nc: NatsConnection,
  options: ClusterBucketOptions,
): Promise<ClusterBucket> {
  checkId(options.cluster, "cluster id");
  const ttlMs = options.ttlMs ?? 3000;
  if (!(ttlMs >= 500)) throw new RangeError(`Lease time-to-live must be >= 500 ms, got '${ttlMs}'`);
  const bucketName = options.bucket ?? "VIGIL_CLUSTER";
  const jsm = await jetstreamManager(nc);
  const kv: KV = await new Kvm(nc).create(bucketName, {
    history: 1,
    replicas: options.replicas ?? 3,
    ttl: ttlMs,
  });
  const status = await kv.status();
  const inForce = status.ttl;
  if (!(inForce > 0)) {
    throw new TypeError(
      `KV bucket '${status.bucket}' has no max_age: leases could never expire; delete it or name another bucket`,
    );
  }
  const c = options.cluster;
  const leaseKey = (p: number) => `lease.${c}.${p}`;
  const memberKey = (id: string) => `member.${c}.${id}`;
  /**
   * The last write of `key` as the stream's leader has it (`STREAM.MSG.GET`, answered by the
   * leader), or null. Not a direct get: on a replicated bucket any replica answers those, and one
   * behind the leader (or one that expired an older write on its own clock) can show a lease free
   * or at an older revision while the leader, which judges the compare-and-sets, holds it.
   */
  const lastWrite = async (key: string) => {
    const sm = await jsm.streams.getMessage(`KV_${bucketName}`, {
      last_by_subj: `$KV.${bucketName}.${key}`,
    });
    if (sm === null) return null;
    const op = sm.header?.get("KV-Operation") ?? "";
    return { revision: sm.seq, live: op === "" || op === "PUT", data: sm.data };
  };
  const value = (owner: string, url: string) => enc.encode(JSON.stringify({ owner, url }));
  return {
    ttlMs: inForce,
    async acquire(p, owner, url) {
      try {
        return await kv.create(leaseKey(p), value(owner, url));
      } catch (e) {
        if (isConflict(e)) return null;
        throw e;
      }
    },
    async renew(p, owner, url, revision, options) {
      try {
        // `update` publishes with `Nats-Expected-Last-Subject-Sequence: revision`: the servers
        // refuse it once the key holds any later write, or none (expired).
        return await kv.update(leaseKey(p), value(owner, url), revision, options?.timeoutMs);
      } catch (e) {
        if (isConflict(e)) return null;
        throw e;
      }
    },
    async release(p, revision) {
      try {
        await kv.delete(leaseKey(p), { previousSeq: revision });
      } catch (e) {
        if (!isConflict(e)) throw e;
      }
    },
    async lease(p) {
      const w = await lastWrite(leaseKey(p));
      if (w === null || !w.live) return { partition: p, owner: null, revision: 0 };
      const { owner } = JSON.parse(dec.decode(w.data)) as { owner: string };
      return { partition: p, owner, revision: w.revision };
    },
    async register(record, options) {
      checkId(record.id, "member id");
      try {
        return await kv.put(memberKey(record.id), enc.encode(JSON.stringify(record)), {
          ...(options?.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
          // `Nats-Expected-Last-Subject-Sequence`, 0 included (no value for the key).
          ...(options?.revision === undefined ? {} : { previousSeq: options.revision }),
        });
      } catch (e) {
        if (options?.revision !== undefined && isConflict(e)) return null;
        throw e;
      }
    },
    async registration(id) {
      checkId(id, "member id");
      return (await lastWrite(memberKey(id)))?.revision ?? 0;
    },
    async unregister(id) {
      await kv.delete(memberKey(id));
    },
    async members() {
      // The keys present, from one stream info request (listing keys through a consumer would
      // create one on every call: a JetStream meta operation in a cluster).
      const prefix = `$KV.${bucketName}.`;
      const info = await jsm.streams.info(`KV_${bucketName}`, {
        subjects_filter: `${prefix}member.${c}.*`,
      });
      const keys = Object.keys(info.state.subjects ?? {}).map((s) => s.slice(prefix.length));
      const out: MemberRecord[] = [];
      for (const k of keys) {
        const e = await kv.get(k);
        if (live(e)) out.push(e.json<MemberRecord>());
      }
      return out.sort((a, b) => a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    },
  };
}
