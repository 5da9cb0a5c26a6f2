/**
 * A partition's collector state in a replicated JetStream KV bucket
 * (`VIGIL_STATE` by default, no `max_age`): the {@link CollectorStore}
 * of the collector running that partition, so the state (merge position,
 * per-node sequence numbers, instance states, counters, violations: the
 * collector snapshot of that partition's streams) survives its owner and
 * the next owner restores it.
 *
 * Layout for partition `p` of cluster `c`:
 * - `state.<c>.<p>`: the head `{ slot, chunks, bytes, gen, owner, writer }`;
 * - `chunk.<c>.<p>.<writer>.<slot>.<i>`: chunk `i` of the packed snapshot (`edge/store/snapshot_bytes.ts`) of
 *   the head's generation, each starting with `<gen>\n` (at most 256 KiB
 *   each), written by `writer`.
 *
 * A save writes the chunks in the writer's slot the head does not name
 * (each owner has two slots of its own, which alternate, and owners never
 * write each other's chunks), then
 * moves the head by compare-and-set on the
 * revision this store last wrote or read. So a save is all or nothing for
 * `load`, and it is fenced: `claim()` (run by a new owner right after it
 * acquired the lease) rewrites the head, after which a previous owner's
 * save fails with {@link StateFencedError} instead of overwriting the new
 * owner's state, and its acknowledgements are not sent. That fence alone
 * is not enough on nats-server 2.9.10, which lets both compare-and-sets on
 * one revision succeed when the second reaches the stream leader before the
 * first is applied: so a save also counts only if its head write was
 * answered before the lease's deadline (`lease_deadline.ts`), else it waits
 * for a renewal to show the lease held throughout, or fails as fenced.
 * Reads go to the stream leader (no direct gets), and each chunk's
 * generation is checked.
 *
 * Tidy: once an owner's first save of a partition succeeded (never before:
 * until then the previous owner's chunks are the state), it purges every
 * chunk of that partition written by another owner id, so the bucket holds
 * the chunks of the current owner of each partition only (at most two
 * snapshots each), however many member ids (a fresh one per start without
 * `--instance`) held it before; an owner that takes back a partition whose
 * head it wrote (its lease lost and taken again) purges at its claim. A purge
 * that fails is logged and tried again on a timer with backoff (up to every
 * 30 s) until it succeeds or the store is closed: not only after the next
 * save, since a partition that went quiet may never save again. Besides
 * the chunks, a partition has one head and one alert ledger
 * (`alert_ledger.ts`), whatever its owners, and the held alerts of a lost
 * lease waiting for the next owner (`handover_store.ts`).
 *
 * @module
 */
import { type JetStreamManager, jetstreamManager } from "@nats-io/jetstream";
import { type KV, Kvm } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/nats-core";
import type { CollectorStore } from "../store/store.ts";
import { decodeSnapshot, encodeSnapshot } from "../store/snapshot_bytes.ts";
import { checkId } from "./leases.ts";
import { leaseClock } from "./lease_deadline.ts";
import { type HandoverBucket, streamHandoverBucket } from "./handover_store.ts";

const CHUNK = 256 * 1024;

/** The head of a partition's state. */
interface Head {
  readonly slot: 0 | 1;
  readonly chunks: number;
  readonly bytes: number;
  readonly gen: number;
  /** Who claimed the partition last. */
  readonly owner: string;
  /** Who wrote the chunks the head names. */
  readonly writer: string;
}

/**
 * A save refused because another owner wrote the partition's state since
 * this store last did: this collector no longer owns the partition.
 *
 * @example Recognise a fenced save
 * ```ts
 * import assert from "node:assert/strict";
 * import { StateFencedError } from "./partition_store.ts";
 * const e = new StateFencedError(3, "c2");
 * assert.match(e.message, /Partition '3' state was taken over by 'c2'/);
 * assert.equal(e.partition, 3);
 * ```
 */
export class StateFencedError extends Error {
  /** The partition. */
  readonly partition: number;
  /** Who wrote it since (when known). */
  readonly by: string | null;
  /** Partition `partition` written by `by` (null: unknown), or refused for `why`. */
  constructor(partition: number, by: string | null, why?: string) {
    super(
      why !== undefined
        ? `Partition '${partition}' state save was fenced: ${why}`
        : by === null
        ? `Partition '${partition}' state was written by another collector`
        : `Partition '${partition}' state was taken over by '${by}'`,
    );
    this.name = "StateFencedError";
    this.partition = partition;
    this.by = by;
  }
}

/**
 * The partition store: a {@link CollectorStore} plus the fence.
 *
 * @example Claim, load, save
 * ```ts ignore
 * const states = await openStateBucket(nc, { replicas: 3 });
 * const store = states.partition(3, { cluster: "vigil", owner: "c1" });
 * await store.claim();
 * const saved = await store.load();
 * ```
 */
export interface PartitionStore extends CollectorStore {
  /** The partition. */
  readonly partition: number;
  /** Makes this store the only writer of the partition's state (call once the lease is held). */
  claim(): Promise<void>;
  /** Refuses every later save (the lease was lost), so nothing more is acked. */
  fence(): void;
}

/**
 * The state bucket.
 *
 * @example Open and get a partition's store
 * ```ts ignore
 * const states = await openStateBucket(nc);
 * const store = states.partition(0, { cluster: "vigil", owner: "c1" });
 * ```
 */
export interface StateBucket {
  /** The bucket (the partitions' alert ledgers live in it too: `alert_ledger.ts`). */
  readonly kv: KV;
  /** The same bucket as the held alerts handed over use it (`handover_store.ts`). */
  readonly handover: HandoverBucket;
  /**
   * The store of partition `p`, written as `owner`; `log` gets a line per
   * failed purge of previous owners' chunks (default `console.error`).
   */
  partition(p: number, options: PartitionStoreOptions): PartitionStore;
}

/**
 * Options of a partition's store ({@link StateBucket.partition}).
 *
 * @example Member `c1` of cluster `vigil`, failed purges logged to a list
 * ```ts
 * import assert from "node:assert/strict";
 * import type { PartitionStoreOptions } from "./partition_store.ts";
 * const lines: string[] = [];
 * const o: PartitionStoreOptions = { cluster: "vigil", owner: "c1", log: (line) => lines.push(line) };
 * o.log?.("purge failed");
 * assert.deepEqual(lines, ["purge failed"]);
 * ```
 */
export interface PartitionStoreOptions {
  /** The cluster id (the keys' second part). */
  readonly cluster: string;
  /** The member id the store writes as (its chunks' writer, the head's owner once it claims). */
  readonly owner: string;
  /** Gets a line per failed purge of previous owners' chunks. Default `console.error`. */
  readonly log?: (line: string) => void;
  /** Saves wait while it is closed (the lease is uncertain, `save_gate.ts`). */
  readonly gate?: { wait(): Promise<void> };
  /**
   * The lease's deadline (`lease_deadline.ts`): a save whose head write was answered after it
   * counts only once a renewal moved it past the answer, and fails as fenced when the lease is
   * lost. Without it every answered save counts (a store without a lease: tests, tools).
   */
  readonly lease?: SaveDeadline;
  /**
   * Called once per save answered after the lease's deadline (`late`), then once with how it
   * ended (`counted` or `fenced`) and how long it waited from its answer, ms.
   */
  readonly onLate?: (outcome: "late" | "counted" | "fenced", waitedMs: number) => void;
}

/**
 * What a partition store asks of its lease's deadline (a `LeaseDeadline`, `lease_deadline.ts`).
 *
 * @example A lease that never ends (for a store of its own)
 * ```ts
 * import assert from "node:assert/strict";
 * import type { SaveDeadline } from "./partition_store.ts";
 * const always: SaveDeadline = { before: () => true, counts: () => Promise.resolve(true) };
 * assert.equal(always.before(0), true);
 * ```
 */
export interface SaveDeadline {
  /** True when an answer at `at` (`leaseClock`) came before the deadline. */
  before(at: number): boolean;
  /** Resolves true once an answer at `at` counts, false when the lease was lost first. */
  counts(at: number): Promise<boolean>;
}

/**
 * Options of {@link openStateBucket}.
 *
 * @example Three replicas
 * ```ts
 * import assert from "node:assert/strict";
 * import type { StateBucketOptions } from "./partition_store.ts";
 * const o: StateBucketOptions = { replicas: 3 };
 * assert.equal(o.replicas, 3);
 * ```
 */
export interface StateBucketOptions {
  /** Bucket name. Default `VIGIL_STATE`. */
  readonly bucket?: string;
  /** Replicas when the bucket is created. Default 3. */
  readonly replicas?: number;
}

/**
 * Opens (creating it when absent) the state bucket.
 *
 * @example Open
 * ```ts ignore
 * import { openStateBucket } from "./partition_store.ts";
 * const states = await openStateBucket(nc, { replicas: 3 });
 * ```
 */
export async function openStateBucket(
  nc: NatsConnection,
  options: StateBucketOptions = {},
): Promise<StateBucket> {
  const name = options.bucket ?? "VIGIL_STATE";
  const kv = await new Kvm(nc).create(name, {
    history: 1,
    replicas: options.replicas ?? 3,
    allow_direct: false,
  });
  const jsm = await jetstreamManager(nc);
  return {
    kv,
    handover: streamHandoverBucket(kv, jsm, name),
    partition: (p, o) => partitionStore({ kv, jsm, name }, p, o),
  };
}

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Longest wait between two tries of a purge that failed, ms. */
const TIDY_RETRY_MAX_MS = 30_000;

function partitionStore(
  bucket: { readonly kv: KV; readonly jsm: JetStreamManager; readonly name: string },
  p: number,
  options: PartitionStoreOptions,
): PartitionStore {
  const { kv, jsm, name } = bucket;
  checkId(options.cluster, "cluster id");
  checkId(options.owner, "member id");
  const c = options.cluster;
  const headKey = `state.${c}.${p}`;
  const chunkKey = (writer: string, slot: number, i: number) =>
    `chunk.${c}.${p}.${writer}.${slot}.${i}`;
  /** Revision of the head this store last read or wrote (0: absent). */
  let revision = 0;
  let head: Head | null = null;
  let fenced = false;
  let claimed = false;
  let tidied = false;
  let tidying: Promise<void> | null = null;
  let tidyTimer: ReturnType<typeof setTimeout> | undefined;
  let tidyFailures = 0;
  let closed = false;

  /**
   * Purges the partition's chunks written by other owners (previous owners' ids). The keys come
   * from one stream info request with a subject filter, which creates no consumer (listing keys
   * through one is a JetStream meta operation in a cluster, slow or timing out under load); a
   * subject whose last message is already a delete or purge marker is skipped.
   */
  async function removeOthers(): Promise<void> {
    const prefix = `$KV.${name}.`;
    const info = await jsm.streams.info(`KV_${name}`, {
      subjects_filter: `${prefix}chunk.${c}.${p}.>`,
    });
    for (const subject of Object.keys(info.state.subjects ?? {})) {
      const k = subject.slice(prefix.length);
      if (k.split(".")[3] === options.owner) continue;
      const e = await kv.get(k);
      if (e !== null && e.operation === "PUT") await kv.purge(k);
    }
  }

  /**
   * Tidies once: a purge that fails is logged and tried again on a timer (with backoff), not only
   * after the next save: a partition that went quiet may never save again, and the chunks would
   * stay.
   */
  function tidy(): Promise<void> {
    if (tidied || closed) return Promise.resolve();
    clearTimeout(tidyTimer);
    tidying ??= removeOthers().then(
      () => {
        tidied = true;
        tidyFailures = 0;
      },
      (e) => {
        tidyFailures++;
        const wait = Math.min(TIDY_RETRY_MAX_MS, 500 * 2 ** Math.min(tidyFailures, 6));
        (options.log ?? ((l: string) => console.error(l)))(
          `vigil cluster: purging previous owners' state chunks of partition ${p} failed ` +
            `(${(e as Error)?.message ?? e}), trying again in ${wait} ms`,
        );
        if (!closed) tidyTimer = setTimeout(() => void tidy(), wait);
      },
    ).finally(() => (tidying = null));
    return tidying;
  }

  async function readHead(): Promise<void> {
    const e = await kv.get(headKey);
    if (e === null || e.operation !== "PUT") {
      revision = e?.revision ?? 0;
      head = null;
      return;
    }
    revision = e.revision;
    head = e.json<Head>();
  }

  /** Writes the head on the last revision; throws {@link StateFencedError} when it moved. */
  async function writeHead(next: Head): Promise<void> {
    const bytes = enc.encode(JSON.stringify(next));
    try {
      revision = revision === 0
        ? await kv.create(headKey, bytes)
        : await kv.update(headKey, bytes, revision);
    } catch (e) {
      const text = `${(e as Error)?.message ?? ""}`;
      if (/wrong last sequence|key exists/i.test(text)) {
        const now = await kv.get(headKey).catch(() => null);
        const by = now !== null && now.operation === "PUT" ? now.json<Head>().owner : null;
        throw new StateFencedError(p, by);
      }
      throw e;
    }
    head = next;
  }

  /**
   * A head write answered at `at` counts only before the lease's deadline: one answered later may
   * have raced a new owner's claim on the same revision (both pass on nats-server 2.9.10) and
   * be lost to it. It waits for a renewal to move the deadline past it, or fails as fenced.
   */
  async function counted(at: number): Promise<void> {
    const lease = options.lease;
    if (lease === undefined || lease.before(at)) return;
    options.onLate?.("late", 0);
    (options.log ?? ((l: string) => console.error(l)))(
      `vigil cluster: partition ${p}'s save was answered after its lease's deadline: ` +
        `not acknowledged until a renewal shows the lease held throughout (fenced if it is lost)`,
    );
    const held = await lease.counts(at);
    const waitedMs = leaseClock() - at;
    if (held && !fenced) {
      options.onLate?.("counted", waitedMs);
      return;
    }
    fenced = true;
    options.onLate?.("fenced", waitedMs);
    throw new StateFencedError(
      p,
      null,
      `its head was answered after the lease's deadline, and ${
        held ? "the partition was given up meanwhile" : "the lease was lost"
      }`,
    );
  }

  return {
    kind: "nats-kv",
    partition: p,
    async claim() {
      for (let attempt = 0;; attempt++) {
        await readHead();
        const h: Head = head ??
          { slot: 1, chunks: 0, bytes: 0, gen: 0, owner: options.owner, writer: options.owner };
        try {
          await writeHead({ ...h, owner: options.owner });
          claimed = true;
          if (h.writer === options.owner && h.chunks > 0) {
            // This member wrote the state it takes back (a lease lost and taken again before
            // its first save of this claim): the other writers' chunks are unneeded already.
            await tidy();
          }
          return;
        } catch (e) {
          // Written between our read and our claim: read again (a previous owner's last save).
          if (!(e instanceof StateFencedError) || attempt >= 5) throw e;
        }
      }
    },
    fence() {
      fenced = true;
    },
    async load() {
      if (!claimed) throw new TypeError(`Partition '${p}' state loaded before it was claimed`);
      const h = head as Head | null;
      if (h === null || h.chunks === 0) return null;
      const parts: Uint8Array[] = [];
      for (let i = 0; i < h.chunks; i++) {
        const e = await kv.get(chunkKey(h.writer, h.slot, i));
        if (e === null || e.operation !== "PUT") {
          throw new Error(
            `Partition '${p}' state chunk '${i}' of generation '${h.gen}' is missing`,
          );
        }
        const nl = e.value.indexOf(10);
        const gen = Number(dec.decode(e.value.subarray(0, nl)));
        if (gen !== h.gen) {
          throw new Error(
            `Partition '${p}' state chunk '${i}' is of generation '${gen}', expected '${h.gen}'`,
          );
        }
        parts.push(e.value.subarray(nl + 1));
      }
      const all = new Uint8Array(h.bytes);
      let at = 0;
      for (const part of parts) {
        all.set(part, at);
        at += part.length;
      }
      // Packed records (`encodeSnapshot`), or a state an earlier version saved as plain JSON.
      return decodeSnapshot(all);
    },
    async save(snapshot) {
      // While the lease is uncertain nothing is saved (and so nothing acknowledged).
      if (options.gate !== undefined) await options.gate.wait();
      if (fenced) throw new StateFencedError(p, null);
      if (!claimed) throw new TypeError(`Partition '${p}' state saved before it was claimed`);
      const h = head as Head | null;
      const me = options.owner;
      const slot: 0 | 1 = h === null || h.writer !== me || h.slot === 1 ? 0 : 1;
      const gen = (h?.gen ?? 0) + 1;
      const bytes = encodeSnapshot(snapshot);
      const chunks = Math.max(1, Math.ceil(bytes.length / CHUNK));
      const prefix = enc.encode(`${gen}\n`);
      await Promise.all(Array.from({ length: chunks }, (_, i) => {
        const body = bytes.subarray(i * CHUNK, (i + 1) * CHUNK);
        const value = new Uint8Array(prefix.length + body.length);
        value.set(prefix);
        value.set(body, prefix.length);
        return kv.put(chunkKey(me, slot, i), value);
      }));
      if (fenced) throw new StateFencedError(p, null);
      await writeHead({ slot, chunks, bytes: bytes.length, gen, owner: me, writer: me });
      await counted(leaseClock());
      // This owner's first save made every other writer's chunks of the partition unneeded.
      if (!tidied) await tidy();
    },
    close() {
      closed = true;
      clearTimeout(tidyTimer);
    },
  };
}
