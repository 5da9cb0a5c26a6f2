/**
 * The NATS names both ends agree on: the subjects events and alerts are
 * published on, and the JetStream stream that holds events. The SDK's
 * transports publish on {@link eventSubject}; the collector creates the
 * stream ({@link EVENT_STREAM_CONFIG}), consumes {@link ALL_EVENT_SUBJECTS}
 * and publishes alerts on {@link alertSubject}. Partitioned deployments
 * publish each key on {@link partitionSubject} (partition {@link partitionOf}
 * of the key). `docs/wire-format.md`
 * ("Carriers") tells the same for other languages.
 *
 * @module
 */

/**
 * The JetStream stream of events.
 *
 * @example The stream's name
 * ```ts
 * import assert from "node:assert/strict";
 * import { EVENT_STREAM } from "./subjects.ts";
 * assert.equal(EVENT_STREAM, "VIGIL_EVENTS");
 * ```
 */
export const EVENT_STREAM = "VIGIL_EVENTS";

/**
 * The first tokens of every event subject: `vigil.events.<spec name>`.
 *
 * @example An event subject starts with the prefix
 * ```ts
 * import assert from "node:assert/strict";
 * import { EVENT_SUBJECT_PREFIX, eventSubject } from "./subjects.ts";
 * assert.ok(eventSubject({ spec: "ab", specName: "Lease" }).startsWith(`${EVENT_SUBJECT_PREFIX}.`));
 * ```
 */
export const EVENT_SUBJECT_PREFIX = "vigil.events";

/**
 * Every event subject: the event stream's subject and the collector's default filter.
 *
 * @example The wildcard over every spec
 * ```ts
 * import assert from "node:assert/strict";
 * import { ALL_EVENT_SUBJECTS } from "./subjects.ts";
 * assert.equal(ALL_EVENT_SUBJECTS, "vigil.events.>");
 * ```
 */
export const ALL_EVENT_SUBJECTS = `${EVENT_SUBJECT_PREFIX}.>`;

/**
 * The first tokens of every alert subject: `vigil.alerts.<spec name>`.
 *
 * @example Alerts of a spec go to the prefix and its name
 * ```ts
 * import assert from "node:assert/strict";
 * import { ALERT_SUBJECT_PREFIX, alertSubject } from "./subjects.ts";
 * assert.equal(alertSubject("Lease"), `${ALERT_SUBJECT_PREFIX}.Lease`);
 * ```
 */
export const ALERT_SUBJECT_PREFIX = "vigil.alerts";

/**
 * A JetStream stream's name and subjects.
 *
 * @example A stream of one spec's events
 * ```ts
 * import assert from "node:assert/strict";
 * import type { StreamNames } from "./subjects.ts";
 * const names: StreamNames = { name: "LEASE_EVENTS", subjects: ["vigil.events.Lease"] };
 * assert.equal(names.subjects.length, 1);
 * ```
 */
export interface StreamNames {
  /** Stream name. */
  readonly name: string;
  /** Subjects the stream captures. */
  readonly subjects: readonly string[];
}

/**
 * The event stream as created when absent: {@link EVENT_STREAM} over
 * {@link ALL_EVENT_SUBJECTS}.
 *
 * @example The default stream
 * ```ts
 * import assert from "node:assert/strict";
 * import { EVENT_STREAM_CONFIG } from "./subjects.ts";
 * assert.deepEqual(EVENT_STREAM_CONFIG, { name: "VIGIL_EVENTS", subjects: ["vigil.events.>"] });
 * ```
 */
export const EVENT_STREAM_CONFIG: StreamNames = Object.freeze({
  name: EVENT_STREAM,
  subjects: Object.freeze([ALL_EVENT_SUBJECTS]),
});

/**
 * A spec name as one subject token: every character outside
 * `[A-Za-z0-9_-]` replaced by `_` (so no `.`, `*`, `>` or space).
 *
 * @example Tokens
 * ```ts
 * import assert from "node:assert/strict";
 * import { subjectToken } from "./subjects.ts";
 * assert.equal(subjectToken("my.spec *>"), "my_spec___");
 * assert.equal(subjectToken("Lease"), "Lease");
 * ```
 */
export function subjectToken(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, "_");
}

/**
 * The event subject of a stream: `vigil.events.<spec name>` (the name as a
 * {@link subjectToken}; a stream with no name uses the first 16 hex digits
 * of its spec hash).
 *
 * @example Subject of a Lease batch
 * ```ts
 * import assert from "node:assert/strict";
 * import { eventSubject } from "./subjects.ts";
 * assert.equal(eventSubject({ spec: "ab12", specName: "Lease" }), "vigil.events.Lease");
 * assert.equal(eventSubject({ spec: "0123456789abcdef0123", specName: "" }), "vigil.events.0123456789abcdef");
 * ```
 */
export function eventSubject(stream: { readonly spec: string; readonly specName: string }): string {
  const token = stream.specName !== "" ? subjectToken(stream.specName) : stream.spec.slice(0, 16);
  return `${EVENT_SUBJECT_PREFIX}.${token}`;
}

/**
 * The alert subject of a spec: `<prefix>.<name>` (the name as a
 * {@link subjectToken}, `_` when empty), the prefix
 * {@link ALERT_SUBJECT_PREFIX} unless given.
 *
 * @example Lease alerts
 * ```ts
 * import assert from "node:assert/strict";
 * import { alertSubject } from "./subjects.ts";
 * assert.equal(alertSubject("Lease"), "vigil.alerts.Lease");
 * assert.equal(alertSubject("a.b", "ops.alerts"), "ops.alerts.a_b");
 * ```
 */
export function alertSubject(specName: string, prefix: string = ALERT_SUBJECT_PREFIX): string {
  return `${prefix}.${subjectToken(specName) || "_"}`;
}

/**
 * The largest partition count {@link partitionOf} and
 * {@link partitionSubject} accept.
 *
 * @example A cluster of at most 4096 partitions
 * ```ts
 * import assert from "node:assert/strict";
 * import { MAX_PARTITIONS } from "./subjects.ts";
 * assert.equal(MAX_PARTITIONS, 4096);
 * ```
 */
export const MAX_PARTITIONS = 4096;

/** Throws a `RangeError` unless `n` is a partition count (an integer in 1 .. {@link MAX_PARTITIONS}). */
function checkPartitions(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_PARTITIONS) {
    throw new RangeError(
      `Partition count must be an integer from 1 to ${MAX_PARTITIONS}, got '${n}'`,
    );
  }
}

const utf8 = new TextEncoder();

/**
 * The partition of an instance key among `n`: the 32-bit FNV-1a hash of the
 * key's UTF-8 bytes (offset basis 2166136261, prime 16777619), modulo `n`.
 * Senders (the partitioned batcher) and collectors (HTTP forwarding) use
 * this one function, so every event of a key lands on the same partition
 * subject whoever sends it; other languages compute the same (the hash is
 * the standard FNV-1a). Stable: changing it would move every key.
 *
 * @throws {RangeError} When `n` is not an integer from 1 to {@link MAX_PARTITIONS}.
 *
 * @example Keys and their partitions among 16
 * ```ts
 * import assert from "node:assert/strict";
 * import { partitionOf } from "./subjects.ts";
 * assert.equal(partitionOf("lock:a", 16), 11);
 * assert.equal(partitionOf("lock:a", 1), 0);
 * assert.throws(() => partitionOf("lock:a", 0), RangeError);
 * ```
 */
export function partitionOf(key: string, n: number): number {
  checkPartitions(n);
  let h = 0x811c9dc5;
  // ASCII keys (the common case) hash without encoding; others go through UTF-8.
  let ascii = true;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c > 0x7f) {
      ascii = false;
      break;
    }
    h = Math.imul(h ^ c, 0x01000193);
  }
  if (!ascii) {
    h = 0x811c9dc5;
    for (const b of utf8.encode(key)) h = Math.imul(h ^ b, 0x01000193);
  }
  return (h >>> 0) % n;
}

/**
 * The event subject of one partition of a stream's spec:
 * `vigil.events.<spec name>.<p>` ({@link eventSubject} and the partition
 * number as the last token). A partitioned collector's consumer for
 * partition `p` filters on {@link partitionFilter}.
 *
 * @throws {RangeError} When `p` is not an integer from 0 to {@link MAX_PARTITIONS} - 1.
 *
 * @example Partition 3 of Lease
 * ```ts
 * import assert from "node:assert/strict";
 * import { partitionSubject } from "./subjects.ts";
 * assert.equal(partitionSubject({ spec: "ab12", specName: "Lease" }, 3), "vigil.events.Lease.3");
 * assert.throws(() => partitionSubject({ spec: "ab12", specName: "Lease" }, -1), RangeError);
 * ```
 */
export function partitionSubject(
  stream: { readonly spec: string; readonly specName: string },
  p: number,
): string {
  checkPartition(p);
  return `${eventSubject(stream)}.${p}`;
}

/** Throws a `RangeError` unless `p` is a partition number. */
function checkPartition(p: number): void {
  if (!Number.isInteger(p) || p < 0 || p >= MAX_PARTITIONS) {
    throw new RangeError(
      `Partition must be an integer from 0 to ${MAX_PARTITIONS - 1}, got '${p}'`,
    );
  }
}

/**
 * The subject filter of partition `p` over every spec:
 * `vigil.events.*.<p>` (one durable consumer per partition takes the
 * partition of every spec; unpartitioned subjects `vigil.events.<spec>` do
 * not match it).
 *
 * @throws {RangeError} When `p` is not an integer from 0 to {@link MAX_PARTITIONS} - 1.
 *
 * @example The filter of partition 7
 * ```ts
 * import assert from "node:assert/strict";
 * import { partitionFilter } from "./subjects.ts";
 * assert.equal(partitionFilter(7), "vigil.events.*.7");
 * ```
 */
export function partitionFilter(p: number): string {
  checkPartition(p);
  return `${EVENT_SUBJECT_PREFIX}.*.${p}`;
}

/**
 * The boot id a partitioned sender gives the stream of one partition:
 * `<boot>~p<p>`. Each partition's events are numbered on their own (so
 * every partition's stream is gap-free by itself), and the suffix keeps the
 * streams of one node and boot apart wherever they meet (a collector
 * reading every partition). The node id is unchanged: the node is the same
 * participant in every partition.
 *
 * @example Boot of partition 5
 * ```ts
 * import assert from "node:assert/strict";
 * import { partitionBoot } from "./subjects.ts";
 * assert.equal(partitionBoot("b1", 5), "b1~p5");
 * ```
 */
export function partitionBoot(boot: string, p: number): string {
  checkPartition(p);
  return `${boot}~p${p}`;
}
