/**
 * Where the held alerts of a lost lease wait for the partition's next owner
 * (`alert_handover.ts`): one key of the state bucket per alert,
 * `handover.<cluster>.<p>.<h>`, where `<h>` is the first 128 bits of the
 * SHA-256 of the entry's id `<violation id>@<member>` (hex), holding the
 * JSON `{ id, from, lostAt, violation }`. An alert is written by `create`,
 * so writing it twice (a retry) leaves one entry; the keys are listed by
 * one stream info request with a subject filter (no consumer), and a
 * decided entry is erased by a stream purge of its subject (no delete
 * marker left behind, so the listing does not grow with every alert ever
 * handed over).
 *
 * Bounds, each alert past them said whole in the log by the writer and
 * counted `unhanded` (`alert_ledger.ts`): one entry's JSON at most
 * {@link MAX_HANDOVER_ENTRY_BYTES} (under NATS' default 1 MiB payload; a
 * server configured lower refuses the write, which is said the same way),
 * and at most {@link MAX_HANDOVER_ALERTS} entries waiting per partition.
 *
 * Members before this layout wrote every alert into one JSON map at
 * `handover.<cluster>.<p>` ({@link legacyHandoverKey}, at most 256 KiB,
 * 7 to 12 causal violations with their evidence): it is still read and its
 * entries removed once decided (a member not yet upgraded may have written
 * it during a rolling upgrade), never written.
 *
 * @module
 */
import type { KV } from "@nats-io/kv";
import type { JetStreamManager } from "@nats-io/jetstream";
import type { Violation } from "../engine/types.ts";
import { readJson, removeEntries, within } from "./kv_json.ts";

/**
 * Where a handed-over alert comes from.
 *
 * @example Given up by `c1`
 * ```ts
 * import assert from "node:assert/strict";
 * import type { HandedOver } from "./handover_store.ts";
 * const h: HandedOver = { from: "c1", lostAt: 1_700_000_000_000 };
 * assert.equal(h.from, "c1");
 * ```
 */
export interface HandedOver {
  /** The member that raised it and lost the partition's lease while holding it. */
  readonly from: string;
  /** When it gave the alert up, ms (`Date.now` on that member). */
  readonly lostAt: number;
}

/**
 * One alert waiting for the next owner, as read.
 *
 * @example An entry of the per-alert layout
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Violation } from "../engine/types.ts";
 * import type { HandoverEntry } from "./handover_store.ts";
 * const e: HandoverEntry = {
 *   id: "abc:lock:1:3@c1", from: "c1", lostAt: 5, violation: { id: "abc:lock:1:3" } as Violation,
 *   source: "handover.vigil.0.00112233445566778899aabbccddeeff",
 * };
 * assert.ok(e.id.startsWith(e.violation.id));
 * ```
 */
export interface HandoverEntry extends HandedOver {
  /** `<violation id>@<from>`. */
  readonly id: string;
  /** The violation, whole. */
  readonly violation: Violation;
  /** The key it was read from: its own, or the old layout's record ({@link legacyHandoverKey}). */
  readonly source: string;
}

/**
 * What the hand-over needs of the state bucket: its KV (get, create, and the old layout's
 * compare-and-set), a listing of keys and an erase that leaves no marker.
 *
 * @example A bucket on a plain KV (tests, tools; erasing leaves purge markers)
 * ```ts ignore
 * const bucket = kvHandoverBucket(kv);
 * console.log(await bucket.keys("handover.vigil.0.*", 5_000));
 * ```
 */
export interface HandoverBucket {
  /** The state bucket. */
  readonly kv: KV;
  /** Keys matching the subject filter `filter` (a deleted key may be among them). */
  keys(filter: string, timeoutMs: number): Promise<string[]>;
  /** Removes `key`. */
  erase(key: string, timeoutMs: number): Promise<void>;
}

/**
 * The hand-over bucket of the KV bucket `name` (the stream `KV_<name>`): keys listed by one stream
 * info request with a subject filter, which creates no consumer (listing keys through one is a
 * JetStream meta operation in a cluster, slow or timing out under load), and erased by a stream
 * purge of the key's subject, which leaves no marker.
 *
 * @example The state bucket's
 * ```ts ignore
 * const bucket = streamHandoverBucket(kv, await jetstreamManager(nc), "VIGIL_STATE");
 * ```
 */
export function streamHandoverBucket(
  kv: KV,
  jsm: JetStreamManager,
  name: string,
): HandoverBucket {
  const stream = `KV_${name}`;
  const prefix = `$KV.${name}.`;
  return {
    kv,
    async keys(filter, timeoutMs) {
      const info = await within(
        jsm.streams.info(stream, { subjects_filter: `${prefix}${filter}` }),
        timeoutMs,
      );
      return Object.keys(info.state.subjects ?? {}).map((s) => s.slice(prefix.length));
    },
    async erase(key, timeoutMs) {
      await within(jsm.streams.purge(stream, { filter: `${prefix}${key}` }), timeoutMs);
    },
  };
}

/**
 * The hand-over bucket of a plain KV: keys listed through the KV's own lister (a consumer),
 * erased by `purge` (a marker stays per key). For a ledger without a state bucket (tests, tools).
 *
 * @example On a KV
 * ```ts ignore
 * const bucket = kvHandoverBucket(kv);
 * ```
 */
export function kvHandoverBucket(kv: KV): HandoverBucket {
  return {
    kv,
    keys: (filter, timeoutMs) =>
      within(
        (async () => {
          const keys: string[] = [];
          for await (const k of await kv.keys(filter)) keys.push(k);
          return keys;
        })(),
        timeoutMs,
      ),
    erase: async (key, timeoutMs) => void await within(kv.purge(key), timeoutMs),
  };
}

/**
 * The old layout's record of partition `p`: one JSON map of every alert handed over (read, never
 * written).
 *
 * @example Partition 3 of cluster `vigil`
 * ```ts
 * import assert from "node:assert/strict";
 * import { legacyHandoverKey } from "./handover_store.ts";
 * assert.equal(legacyHandoverKey("vigil", 3), "handover.vigil.3");
 * ```
 */
export function legacyHandoverKey(cluster: string, p: number): string {
  return `handover.${cluster}.${p}`;
}

/**
 * The subject filter of partition `p`'s hand-over keys, one per alert.
 *
 * @example Partition 3 of cluster `vigil`
 * ```ts
 * import assert from "node:assert/strict";
 * import { handoverKeys } from "./handover_store.ts";
 * assert.equal(handoverKeys("vigil", 3), "handover.vigil.3.*");
 * ```
 */
export function handoverKeys(cluster: string, p: number): string {
  return `handover.${cluster}.${p}.*`;
}

/**
 * The key of the hand-over entry `id` (`<violation id>@<member>`) of partition `p`.
 *
 * @example The same id, the same key
 * ```ts
 * import assert from "node:assert/strict";
 * import { handoverEntryKey } from "./handover_store.ts";
 * const key = await handoverEntryKey("vigil", 3, "abc:lock:1:3@c1");
 * assert.match(key, /^handover\.vigil\.3\.[0-9a-f]{32}$/);
 * assert.equal(await handoverEntryKey("vigil", 3, "abc:lock:1:3@c1"), key);
 * ```
 */
export async function handoverEntryKey(cluster: string, p: number, id: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", enc.encode(id)));
  const hex = [...digest.subarray(0, 16)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `handover.${cluster}.${p}.${hex}`;
}

/**
 * One entry's JSON at most, bytes: an alert past it is not written (said in the log whole
 * instead). Under the NATS default payload limit (1 MiB) with room for the headers.
 */
export const MAX_HANDOVER_ENTRY_BYTES = 768 * 1024;

/** Entries waiting per partition at most: an alert past it is not written (said in the log). */
export const MAX_HANDOVER_ALERTS = 1_024;

/** Writes (and reads) in flight at once. */
const IN_FLIGHT = 16;

const enc = new TextEncoder();

/**
 * What {@link writeHandover} did not write, and why.
 *
 * @example A refused alert
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Violation } from "../engine/types.ts";
 * import type { NotHandedOver } from "./handover_store.ts";
 * const n: NotHandedOver = { violation: { id: "a:k:1" } as Violation, why: "no answer within 5000 ms" };
 * assert.match(n.why, /no answer/);
 * ```
 */
export interface NotHandedOver {
  /** The alert. */
  readonly violation: Violation;
  /** Why it was not written. */
  readonly why: string;
}

/** Options of {@link writeHandover}. */
export interface WriteHandoverOptions {
  /** Cluster id. */
  readonly cluster: string;
  /** The partition. */
  readonly partition: number;
  /** One KV request at most, ms. */
  readonly timeoutMs: number;
  /** Clock, ms. Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * Writes `violations`, raised by `from` and held when it lost the partition's lease, one key each.
 * Returns how many are there now (written, or there already: a retry) and those that are not
 * (past a bound, or their write failed). Throws when the partition's keys could not be listed
 * (NATS out of reach): nothing was written.
 *
 * @example Hand two held alerts over
 * ```ts ignore
 * const { written, left } = await writeHandover(bucket, "c1", held, {
 *   cluster: "vigil", partition: 3, timeoutMs: 5_000,
 * });
 * ```
 */
export async function writeHandover(
  bucket: HandoverBucket,
  from: string,
  violations: readonly Violation[],
  options: WriteHandoverOptions,
): Promise<{ written: number; left: NotHandedOver[] }> {
  const { cluster, partition: p, timeoutMs } = options;
  const lostAt = (options.now ?? Date.now)();
  const waiting = new Set(await bucket.keys(handoverKeys(cluster, p), timeoutMs));
  const left: NotHandedOver[] = [];
  const writes: { violation: Violation; key: string; bytes: Uint8Array }[] = [];
  let room = MAX_HANDOVER_ALERTS - waiting.size;
  for (const violation of violations) {
    const id = `${violation.id}@${from}`;
    const key = await handoverEntryKey(cluster, p, id);
    if (waiting.has(key)) continue; // written before (a retry)
    const bytes = enc.encode(JSON.stringify({ id, from, lostAt, violation }));
    if (bytes.length > MAX_HANDOVER_ENTRY_BYTES) {
      left.push({
        violation,
        why: `its JSON is ${bytes.length} bytes, past the ${MAX_HANDOVER_ENTRY_BYTES} of an entry`,
      });
    } else if (room <= 0) {
      left.push({
        violation,
        why: `the partition's hand-over holds ${MAX_HANDOVER_ALERTS} alerts already`,
      });
    } else {
      room--;
      writes.push({ violation, key, bytes });
    }
  }
  await inFlight(writes, async ({ violation, key, bytes }) => {
    try {
      await within(bucket.kv.create(key, bytes), timeoutMs);
    } catch (e) {
      const text = `${(e as Error)?.message ?? e}`;
      // There already: the same id written by an earlier try.
      if (!/wrong last sequence|key exists/i.test(text)) left.push({ violation, why: text });
    }
  });
  return { written: violations.length - left.length, left };
}

/**
 * What {@link readHandover} read: the entries, and the keys or record ids that held no entry
 * (malformed).
 */
export interface HandoverRead {
  /** Well-formed entries not skipped. */
  readonly entries: HandoverEntry[];
  /**
   * Malformed ones, by id (the key's when its value cannot be read: the old record's own key when
   * it is not JSON) and source.
   */
  readonly malformed: { readonly id: string; readonly source: string }[];
}

/**
 * Reads partition `p`'s waiting alerts: the old layout's record (whole), and each per-alert key
 * for which `skip(key)` is false. A key whose value is gone (erased meanwhile) is left out.
 *
 * @example Read what the intake has not seen yet
 * ```ts ignore
 * const { entries, malformed } = await readHandover(bucket, "vigil", 3, (k) => seen.has(k), 5_000);
 * ```
 */
export async function readHandover(
  bucket: HandoverBucket,
  cluster: string,
  p: number,
  skip: (key: string) => boolean,
  timeoutMs: number,
): Promise<HandoverRead> {
  const entries: HandoverEntry[] = [];
  const malformed: { id: string; source: string }[] = [];
  const legacy = legacyHandoverKey(cluster, p);
  const add = (id: string, source: string, value: unknown) => {
    const e = value as Partial<HandoverEntry> | null;
    if (
      typeof e?.violation?.id !== "string" || typeof e.from !== "string" ||
      typeof e.lostAt !== "number"
    ) {
      malformed.push({ id, source });
      return;
    }
    entries.push({ id, from: e.from, lostAt: e.lostAt, violation: e.violation, source });
  };
  let record: Record<string, unknown> = {};
  try {
    record = await readJson<Record<string, unknown>>(bucket.kv, legacy, timeoutMs);
  } catch (e) {
    // A record that is not JSON holds no entry to route: said as one malformed entry (removed whole),
    // not a read that fails at every poll and hides the per-alert keys.
    if (!(e instanceof SyntaxError)) throw e;
    malformed.push({ id: legacy, source: legacy });
  }
  for (const [id, value] of Object.entries(record)) add(id, legacy, value);
  const keys = (await bucket.keys(handoverKeys(cluster, p), timeoutMs)).filter((k) => !skip(k));
  await inFlight(keys, async (key) => {
    const e = await within(bucket.kv.get(key), timeoutMs);
    if (e === null || e.operation !== "PUT") return;
    let value: { id?: unknown } | null;
    try {
      value = e.json<{ id?: unknown }>();
    } catch {
      value = null;
    }
    if (typeof value?.id === "string") add(value.id, key, value);
    else malformed.push({ id: key, source: key });
  });
  return { entries, malformed };
}

/**
 * Removes entries of partition `p`: those of the old layout's record by id (one compare-and-set),
 * the others by erasing their keys (and the old record itself when the item's id is its key: a
 * record that is not JSON, {@link readHandover}).
 *
 * @example Forget two decided entries
 * ```ts ignore
 * await removeHandover(bucket, "vigil", 3, [{ id: "a:k:1@c1", source: key }], 5_000);
 * ```
 */
export async function removeHandover(
  bucket: HandoverBucket,
  cluster: string,
  p: number,
  items: Iterable<{ readonly id: string; readonly source: string }>,
  timeoutMs: number,
): Promise<void> {
  const legacy = legacyHandoverKey(cluster, p);
  const inRecord: string[] = [];
  const keys = new Set<string>();
  for (const { id, source } of items) {
    // The old record itself (malformed): erased whole.
    if (source === legacy && id !== legacy) inRecord.push(id);
    else keys.add(source);
  }
  if (inRecord.length > 0) await removeEntries(bucket.kv, legacy, inRecord, timeoutMs);
  await inFlight([...keys], (key) => bucket.erase(key, timeoutMs));
}

/** Runs `work` on each item, {@link IN_FLIGHT} at a time; rejects with the first failure. */
async function inFlight<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, items.length) }, worker));
}
