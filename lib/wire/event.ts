/**
 * Events and batches: what a checked step produces and what travels on the
 * wire. A stream is one (spec hash, node, boot) triple; its sequence numbers
 * are contiguous from 0 at boot, assigned by the batcher when an event enters
 * it, and every number is accounted for exactly once downstream: as an event
 * in some batch, or as a dropped number declared by some batch.
 *
 * @module
 */
import type { SeqRange } from "./seq_ranges.ts";

/**
 * The wire format version this runtime writes and reads.
 *
 * @example Every encoded batch carries the version
 * ```ts
 * import assert from "node:assert/strict";
 * import { WIRE_VERSION } from "./event.ts";
 * import { encodeBatch } from "./encode.ts";
 * import { decodeBatch } from "./decode.ts";
 * const header = { spec: "ab", specName: "Lease", node: "n1", boot: "b1", firstSeq: 0, dropped: [] };
 * assert.equal(decodeBatch(encodeBatch(header, [])).version, WIRE_VERSION);
 * ```
 */
export const WIRE_VERSION = 1;

/**
 * The wire format version of a batch whose events may carry dependencies
 * (an eighth event item, {@link EventDependency}). A batcher writes it only
 * for a batch holding such an event, so a batch without dependencies is
 * byte for byte a version-1 batch; collectors read both (an older
 * collector refuses a version-2 batch by its version, so upgrade
 * collectors first, `docs/upgrades.md`).
 *
 * @example A batch with a dependency is version 2, one without stays version 1
 * ```ts
 * import assert from "node:assert/strict";
 * import { WIRE_VERSION, WIRE_VERSION_DEPS } from "./event.ts";
 * import { encodeBatch } from "./encode.ts";
 * import { decodeBatch } from "./decode.ts";
 * const header = { spec: "ab", specName: "Lease", node: "n2", boot: "b1", firstSeq: 0, dropped: [] };
 * const body = { key: "k", wall: 9, logical: 0, action: 0, args: [], state: new Uint8Array(4), verdict: 0 };
 * assert.equal(decodeBatch(encodeBatch(header, [body])).version, WIRE_VERSION);
 * const received = { ...body, deps: [{ node: "n1", wall: 8, logical: 1 }] };
 * const batch = decodeBatch(encodeBatch(header, [received]));
 * assert.equal(batch.version, WIRE_VERSION_DEPS);
 * assert.deepEqual(batch.events[0]!.deps, [{ node: "n1", wall: 8, logical: 1 }]);
 * ```
 */
export const WIRE_VERSION_DEPS = 2;

/**
 * A recorded dependency: the sending node and the HLC of the stamp the
 * event's node observed before it. It says: every event of `node` with an
 * HLC at or before (`wall`, `logical`) happened before this event and
 * before every later event of its stream. The SDK records it once per
 * stream, on the first event after `observe` (`docs/causality.md`).
 *
 * @example The dependency of an event after receiving a stamp of api-1
 * ```ts
 * import assert from "node:assert/strict";
 * import type { EventDependency } from "./event.ts";
 * const dep: EventDependency = { node: "api-1", wall: 1_700_000_000_000, logical: 3 };
 * assert.equal(dep.node, "api-1");
 * ```
 */
export interface EventDependency {
  /** Node id of the sender (its stamp's `@<node>` part). */
  readonly node: string;
  /** HLC wall part of the stamp received. */
  readonly wall: number;
  /** HLC logical part of the stamp received. */
  readonly logical: number;
}

/**
 * The most dropped ranges one batch may declare. Decoders refuse a batch
 * with more (`WireFormatError` at `drop`); the batcher declares at most
 * this many per batch and carries the rest to the following batches. At
 * most about 19 KiB of header (two 64-bit numbers per range), and a
 * bounded amount of work per batch for a collector.
 *
 * @example A batch declaring one range too many is refused
 * ```ts
 * import assert from "node:assert/strict";
 * import { MAX_DROP_RANGES } from "./event.ts";
 * import type { SeqRange } from "./seq_ranges.ts";
 * import { decodeBatch, WireFormatError } from "./decode.ts";
 * import { encodeBatch } from "./encode.ts";
 * const dropped = (n: number): SeqRange[] => Array.from({ length: n }, (_, i) => [2 * i, 2 * i]);
 * const header = { spec: "ab", specName: "Lease", node: "n1", boot: "b1", firstSeq: 5000 };
 * assert.equal(decodeBatch(encodeBatch({ ...header, dropped: dropped(MAX_DROP_RANGES) }, [])).dropped.length, MAX_DROP_RANGES);
 * assert.throws(() => decodeBatch(encodeBatch({ ...header, dropped: dropped(MAX_DROP_RANGES + 1) }, [])), WireFormatError);
 * ```
 */
export const MAX_DROP_RANGES = 1024;

/**
 * The identity of an event stream (constant per batch).
 *
 * @example The stream of one process of one node for one spec
 * ```ts
 * import assert from "node:assert/strict";
 * import type { StreamId } from "./event.ts";
 * const stream: StreamId = { spec: "ab12", specName: "Lease", node: "api-1", boot: "b-0001" };
 * assert.equal(`${stream.node}/${stream.boot}`, "api-1/b-0001");
 * ```
 */
export interface StreamId {
  /** Spec content hash (SHA-256 of the source, lowercase hex). */
  readonly spec: string;
  /** Spec name (for subjects and dashboards; the hash identifies the spec). */
  readonly specName: string;
  /** Node id, e.g. `api-1`. */
  readonly node: string;
  /** Node boot id: unique per process start, so sequence numbers restart at 0. */
  readonly boot: string;
}

/**
 * The per-event fields of one checked step.
 *
 * @example One step: key, time, action, arguments, state and verdict
 * ```ts
 * import assert from "node:assert/strict";
 * import type { EventBody } from "./event.ts";
 * const body: EventBody = {
 *   key: "lock:orders",
 *   wall: 1_700_000_000_000,
 *   logical: 0,
 *   action: 0,
 *   args: [2],
 *   state: new Uint8Array(8),
 *   verdict: 0,
 * };
 * assert.equal(body.args[0], 2);
 * ```
 */
export interface EventBody {
  /** Instance key, e.g. `lock:orders`. */
  readonly key: string;
  /** HLC wall part (ms since the epoch). */
  readonly wall: number;
  /** HLC logical part. */
  readonly logical: number;
  /** Action index in the spec's action order (u32). */
  readonly action: number;
  /** Arguments as passed to the compiled step (f64). */
  readonly args: ArrayLike<number>;
  /** Post-state: the packed instance block (`stride` bytes of the spec's layout). */
  readonly state: Uint8Array;
  /** Verdict code (u32, 0 = ok). */
  readonly verdict: number;
  /** Dependencies recorded since the stream's previous event (absent or empty: none). */
  readonly deps?: readonly EventDependency[];
}

/**
 * One checked step as the Monitor pushes it into a batcher. The batcher keeps
 * a reference: `args` and `state` must not be mutated after the push.
 *
 * @example A step event is its stream and its body
 * ```ts
 * import assert from "node:assert/strict";
 * import type { StepEvent } from "./event.ts";
 * const event: StepEvent = {
 *   spec: "ab12",
 *   specName: "Lease",
 *   node: "api-1",
 *   boot: "b-0001",
 *   key: "lock:orders",
 *   wall: 1,
 *   logical: 0,
 *   action: 0,
 *   args: [],
 *   state: new Uint8Array(4),
 *   verdict: 0,
 * };
 * assert.equal(event.verdict, 0);
 * ```
 */
export interface StepEvent extends StreamId, EventBody {}

/**
 * The per-batch header: what is constant within one batch.
 *
 * @example A header declaring numbers 3 to 5 dropped
 * ```ts
 * import assert from "node:assert/strict";
 * import type { BatchHeader } from "./event.ts";
 * const header: BatchHeader = {
 *   spec: "ab12",
 *   specName: "Lease",
 *   node: "api-1",
 *   boot: "b-0001",
 *   firstSeq: 6,
 *   dropped: [[3, 5]],
 * };
 * assert.ok(header.dropped.every(([, last]) => last < header.firstSeq));
 * ```
 */
export interface BatchHeader extends StreamId {
  /** Sequence number of the batch's first event (or, with no events, the next number). */
  readonly firstSeq: number;
  /** Sequence numbers dropped since the previous batch of the stream, ascending, all `< firstSeq`. */
  readonly dropped: readonly SeqRange[];
  /**
   * Wire version to write: {@link WIRE_VERSION} (the default) or
   * {@link WIRE_VERSION_DEPS} when an event carries dependencies
   * (`encodeBatch` chooses it; a writer of events one by one says so).
   */
  readonly version?: number;
}

/**
 * An event as decoded from the wire, with its sequence number.
 *
 * @example Events come back numbered from the batch's first number
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeBatch } from "./encode.ts";
 * import { decodeBatch } from "./decode.ts";
 * import type { DecodedEvent } from "./event.ts";
 * const header = { spec: "ab", specName: "Lease", node: "n1", boot: "b1", firstSeq: 7, dropped: [] };
 * const body = { key: "k", wall: 1, logical: 0, action: 0, args: [4], state: new Uint8Array(4), verdict: 0 };
 * const [event]: readonly DecodedEvent[] = decodeBatch(encodeBatch(header, [body])).events;
 * assert.equal(event?.seq, 7);
 * assert.deepEqual(event?.args, [4]);
 * ```
 */
export interface DecodedEvent extends EventBody {
  /** The event's sequence number in its stream. */
  readonly seq: number;
  /** Encoded arguments, in parameter order. */
  readonly args: readonly number[];
}

/**
 * A batch as decoded from the wire.
 *
 * @example Encode a batch and decode it again
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeBatch } from "./encode.ts";
 * import { decodeBatch } from "./decode.ts";
 * import type { DecodedBatch } from "./event.ts";
 * const header = { spec: "ab", specName: "Lease", node: "n1", boot: "b1", firstSeq: 0, dropped: [] };
 * const body = { key: "k", wall: 1, logical: 0, action: 0, args: [], state: new Uint8Array(4), verdict: 0 };
 * const batch: DecodedBatch = decodeBatch(encodeBatch(header, [body, { ...body, wall: 2 }]));
 * assert.equal(batch.node, "n1");
 * assert.deepEqual(batch.events.map((e) => e.wall), [1, 2]);
 * ```
 */
export interface DecodedBatch extends BatchHeader {
  /** Wire format version of the batch. */
  readonly version: number;
  /** The batch's events, in sequence order. */
  readonly events: readonly DecodedEvent[];
}

/**
 * The metadata a transport receives beside the encoded bytes.
 *
 * @example What a transport is told about a batch of 256 events
 * ```ts
 * import assert from "node:assert/strict";
 * import type { BatchMeta } from "./event.ts";
 * const meta: BatchMeta = { spec: "ab", specName: "Lease", node: "n1", boot: "b1", firstSeq: 512, count: 256 };
 * assert.equal(meta.firstSeq + meta.count - 1, 767);
 * ```
 */
export interface BatchMeta {
  /** Spec content hash. */
  readonly spec: string;
  /** The spec's name, e.g. `Lease`. */
  readonly specName: string;
  /** Node id of the sending stream. */
  readonly node: string;
  /** Boot id of the sending stream. */
  readonly boot: string;
  /** Sequence number of the batch's first event. */
  readonly firstSeq: number;
  /** Number of events in the batch (0 for a batch that only declares drops). */
  readonly count: number;
  /** The last sequence number the batch declares dropped, when it declares any. */
  readonly lastDropped?: number;
}

/**
 * The default bound on an instance (partition) key, in UTF-8 bytes: the
 * collector refuses a batch with a longer key (its `maxKeyBytes` limit,
 * which its operator may raise) and the SDK refuses such a key where a
 * monitor is given it. Keys are URLs and composite ids (`order:7`,
 * `lock:/v1/tenants/42/buckets/logs`): HTTP servers refuse request lines
 * past 8 KiB and browsers URLs past a few KB, so 4 KiB is far beyond any
 * real key, and bounds what one partition's key costs (held by the
 * partition, its record in snapshots, the dashboard's pages and alerts) to
 * about twice the ~2 KB the rest of a partition takes, where nothing
 * bounded it but the batch (1 MiB over HTTP).
 *
 * @example A key at the bound is the collector's default too
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_MAX_KEY_BYTES, utf8Length } from "./event.ts";
 * assert.equal(DEFAULT_MAX_KEY_BYTES, 4096);
 * assert.ok(utf8Length("lock:" + "a".repeat(4091)) <= DEFAULT_MAX_KEY_BYTES);
 * ```
 */
export const DEFAULT_MAX_KEY_BYTES = 4096;

/**
 * The default bound on a node id and a boot id (and a node id a
 * dependency names), in UTF-8 bytes, as {@link DEFAULT_MAX_KEY_BYTES} is
 * for keys (the collector's `maxIdBytes`). A node id is a host or pod name
 * (a DNS name: at most 253 bytes), a boot id a UUID (36): 256 bytes holds
 * either, and every id is kept per stream, node and participant.
 *
 * @example A DNS name fits
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_MAX_ID_BYTES } from "./event.ts";
 * assert.ok(253 <= DEFAULT_MAX_ID_BYTES);
 * ```
 */
export const DEFAULT_MAX_ID_BYTES = 256;

/**
 * The UTF-8 length of `s` in bytes (a lone surrogate counts as the 3 bytes
 * of its replacement character, as `TextEncoder` writes it).
 *
 * @example Bytes, not characters
 * ```ts
 * import assert from "node:assert/strict";
 * import { utf8Length } from "./event.ts";
 * assert.equal(utf8Length("lock:ü"), 7);
 * assert.equal(utf8Length("😀"), 4);
 * ```
 */
export function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 2; // 4 bytes for the pair's 2 units
        i++;
      } else n += 2;
    } else n += 2;
  }
  return n;
}
