/**
 * The persisted form of a collector: every stream's applied position, every
 * partition's applied state and every node's counters, with the violations
 * kept. JSON-serializable; the reorder buffer is not part of it.
 * Re-exported by `types.ts`.
 *
 * @module
 */
import type { Hlc, Violation } from "./alerts.ts";
import type { MixedEntry } from "./listings.ts";
import type { CausalPartitionPart, CausalSnapshot } from "./causal/causal_snapshot.ts";

/**
 * Serialized per-stream position (what is applied; never the reorder buffer).
 *
 * @example A stream's applied numbers in a snapshot
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { encodeBatch } from "../../lib/wire/encode.ts";
 * import { createCollector } from "./collector.ts";
 * const lease = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const acquire = (node: string, c: number) => {
 *   const inst = lease.create();
 *   const action = lease.actionIndex("acquire");
 *   const verdict = lease.stepFn(action)(inst, c);
 *   const header = { spec: lease.meta.sourceHash, specName: "Lease", node, boot: "b1", firstSeq: 0, dropped: [] };
 *   const state = lease.stateBytes(inst);
 *   return encodeBatch(header, [{ key: "lock:a", wall: 1_000, logical: 0, action, args: [c], state, verdict }]);
 * };
 * import type { StreamSnapshot } from "./types.ts";
 * const collector = createCollector({ specs: [lease], windowMs: 0 });
 * collector.ingestBytes(acquire("api-1", 1));
 * collector.ingestBytes(acquire("api-2", 2));
 * collector.flush();
 * const streams: readonly StreamSnapshot[] = collector.snapshot().streams;
 * assert.deepEqual(streams.map((s) => [s.node, s.applied, s.next]), [["api-1", [[0, 0]], 1], ["api-2", [[0, 0]], 1]]);
 * ```
 */
export interface StreamSnapshot {
  /** Spec content hash. */
  readonly spec: string;
  /** The spec's name, e.g. `Lease`. */
  readonly specName: string;
  /** Node id of the stream. */
  readonly node: string;
  /** Boot id of the stream. */
  readonly boot: string;
  /** Applied event numbers, as inclusive ranges, ascending. */
  readonly applied: readonly (readonly [number, number])[];
  /** Highest number accounted (event or drop) plus one. */
  readonly next: number;
  /** Open holes: `[first, last, since (collector ms; -1: buffered at the snapshot, restarts at restore), declared]`. */
  readonly holes: readonly (readonly [number, number, number, boolean])[];
  /** Collector clock (ms) when the stream's first batch arrived. */
  readonly firstSeenAt: number;
}

/**
 * A serialized applied event (history and cut rings).
 *
 * @example The history of a partition in a snapshot
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { encodeBatch } from "../../lib/wire/encode.ts";
 * import { createCollector } from "./collector.ts";
 * const lease = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const acquire = (node: string, c: number) => {
 *   const inst = lease.create();
 *   const action = lease.actionIndex("acquire");
 *   const verdict = lease.stepFn(action)(inst, c);
 *   const header = { spec: lease.meta.sourceHash, specName: "Lease", node, boot: "b1", firstSeq: 0, dropped: [] };
 *   const state = lease.stateBytes(inst);
 *   return encodeBatch(header, [{ key: "lock:a", wall: 1_000, logical: 0, action, args: [c], state, verdict }]);
 * };
 * import type { EventSnapshot } from "./types.ts";
 * const collector = createCollector({ specs: [lease], windowMs: 0 });
 * collector.ingestBytes(acquire("api-1", 1));
 * collector.ingestBytes(acquire("api-2", 2));
 * collector.flush();
 * const history: readonly EventSnapshot[] = collector.snapshot().partitions[0]!.history;
 * assert.deepEqual(history.map((e) => [e.node, e.args]), [["api-1", [1]], ["api-2", [2]]]);
 * ```
 */
export interface EventSnapshot {
  /** Node id that sent the event. */
  readonly node: string;
  /** Boot id of the event's stream. */
  readonly boot: string;
  /** The event's sequence number in its stream. */
  readonly seq: number;
  /** HLC wall part of the event's stamp, ms. */
  readonly wall: number;
  /** HLC logical part of the event's stamp. */
  readonly logical: number;
  /** Action index in the spec. */
  readonly action: number;
  /** Encoded arguments, in parameter order. */
  readonly args: readonly number[];
  /** Verdict code of the node's local check. */
  readonly verdict: number;
  /** True when the event was applied late. */
  readonly late: boolean;
  /** Spec hash of the older version that produced the event; absent for the partition's own. */
  readonly spec?: string;
}

/**
 * Serialized participant.
 *
 * @example Participants keep their packed state
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { encodeBatch } from "../../lib/wire/encode.ts";
 * import { createCollector } from "./collector.ts";
 * const lease = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const acquire = (node: string, c: number) => {
 *   const inst = lease.create();
 *   const action = lease.actionIndex("acquire");
 *   const verdict = lease.stepFn(action)(inst, c);
 *   const header = { spec: lease.meta.sourceHash, specName: "Lease", node, boot: "b1", firstSeq: 0, dropped: [] };
 *   const state = lease.stateBytes(inst);
 *   return encodeBatch(header, [{ key: "lock:a", wall: 1_000, logical: 0, action, args: [c], state, verdict }]);
 * };
 * import type { ParticipantSnapshot } from "./types.ts";
 * const collector = createCollector({ specs: [lease], windowMs: 0 });
 * collector.ingestBytes(acquire("api-1", 1));
 * collector.ingestBytes(acquire("api-2", 2));
 * collector.flush();
 * const participants: readonly ParticipantSnapshot[] = collector.snapshot().partitions[0]!.participants;
 * assert.deepEqual(participants.map((p) => p.node), ["api-1", "api-2"]);
 * assert.ok(participants.every((p) => p.state.length > 0));
 * ```
 */
export interface ParticipantSnapshot {
  /** Node id of the participant. */
  readonly node: string;
  /** Boot id of the participant's stream. */
  readonly boot: string;
  /** Sequence number of the event that produced its state. */
  readonly seq: number;
  /** HLC wall part of that event's stamp, ms. */
  readonly wall: number;
  /** HLC logical part of that event's stamp. */
  readonly logical: number;
  /** Latest packed state, base64. */
  readonly state: string;
  /** The participant's last few applied events, oldest first. */
  readonly lastEvents: readonly EventSnapshot[];
  /** Spec hash of the older version its latest event came from; absent for the partition's own. */
  readonly spec?: string;
  /**
   * Per local liveness item (by index): open deadline wall ms, `-1` none,
   * `-2` expired until cleared; absent when none is open or expired.
   */
  readonly localDeadlines?: readonly number[];
}

/**
 * Serialized partition.
 *
 * @example The open invariant episode is kept
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { encodeBatch } from "../../lib/wire/encode.ts";
 * import { createCollector } from "./collector.ts";
 * const lease = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const acquire = (node: string, c: number) => {
 *   const inst = lease.create();
 *   const action = lease.actionIndex("acquire");
 *   const verdict = lease.stepFn(action)(inst, c);
 *   const header = { spec: lease.meta.sourceHash, specName: "Lease", node, boot: "b1", firstSeq: 0, dropped: [] };
 *   const state = lease.stateBytes(inst);
 *   return encodeBatch(header, [{ key: "lock:a", wall: 1_000, logical: 0, action, args: [c], state, verdict }]);
 * };
 * import type { PartitionSnapshot } from "./types.ts";
 * const collector = createCollector({ specs: [lease], windowMs: 0 });
 * collector.ingestBytes(acquire("api-1", 1));
 * collector.ingestBytes(acquire("api-2", 2));
 * collector.flush();
 * const [p]: readonly PartitionSnapshot[] = collector.snapshot().partitions;
 * assert.equal(p?.key, "lock:a");
 * assert.notEqual(p?.episode, 0);
 * ```
 */
export interface PartitionSnapshot {
  /** Spec content hash. */
  readonly spec: string;
  /** Instance key, e.g. `lock:orders`. */
  readonly key: string;
  /** The participants and their latest states. */
  readonly participants: readonly ParticipantSnapshot[];
  /** The partition's last merged events, oldest first. */
  readonly history: readonly EventSnapshot[];
  /** Highest applied HLC, or null when nothing was applied. */
  readonly lastApplied: Hlc | null;
  /** The last applied event's merge position (late detection after restore). */
  readonly lastPos?: {
    readonly wall: number;
    readonly logical: number;
    readonly node: string;
    readonly boot: string;
    readonly seq: number;
  } | null;
  /** Events applied in this partition. */
  readonly applied: number;
  /** Open invariant episode: the failing verdict code, 0 when none. */
  readonly episode: number;
  /** Per global liveness item (by bit): open deadline wall ms, `-1` none, `-2` expired until cleared. */
  readonly deadlines: readonly number[];
  /** A permanent hole affected a participant (sticky). */
  readonly incomplete: boolean;
  /** Violations raised in this partition. */
  readonly violations: number;
  /** Participants whose state did not convert from an older version (absent when none). */
  readonly mixed?: readonly MixedEntry[];
  /**
   * The causal judge's side of the partition (`causal/causal_snapshot.ts`):
   * present when causal verdicts are on and it holds anything, written
   * again only when it changed. Snapshots written before kept it in
   * `CollectorSnapshot.causal.partitions`; both restore.
   */
  readonly causal?: CausalPartitionPart;
}

/**
 * Everything needed to resume: JSON-serializable, excludes the reorder buffer.
 *
 * @example Restore a collector from its snapshot
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { encodeBatch } from "../../lib/wire/encode.ts";
 * import { createCollector } from "./collector.ts";
 * const lease = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const acquire = (node: string, c: number) => {
 *   const inst = lease.create();
 *   const action = lease.actionIndex("acquire");
 *   const verdict = lease.stepFn(action)(inst, c);
 *   const header = { spec: lease.meta.sourceHash, specName: "Lease", node, boot: "b1", firstSeq: 0, dropped: [] };
 *   const state = lease.stateBytes(inst);
 *   return encodeBatch(header, [{ key: "lock:a", wall: 1_000, logical: 0, action, args: [c], state, verdict }]);
 * };
 * import { restoreCollector } from "./collector.ts";
 * import type { CollectorSnapshot } from "./types.ts";
 * const collector = createCollector({ specs: [lease], windowMs: 0 });
 * collector.ingestBytes(acquire("api-1", 1));
 * collector.ingestBytes(acquire("api-2", 2));
 * collector.flush();
 * const snapshot: CollectorSnapshot = JSON.parse(JSON.stringify(collector.snapshot()));
 * const restored = restoreCollector(snapshot, { specs: [lease] });
 * assert.equal(restored.violations().length, 1);
 * assert.equal(restored.partition("Lease", "lock:a")?.status, "violated");
 * ```
 */
export interface CollectorSnapshot {
  /** Snapshot format version. */
  readonly version: 1;
  /** Collector clock when taken. */
  readonly takenAt: number;
  /** Every stream's applied position. */
  readonly streams: readonly StreamSnapshot[];
  /** Every partition's applied state. */
  readonly partitions: readonly PartitionSnapshot[];
  /** Every node's counters. */
  readonly nodes: readonly {
    readonly node: string;
    /** Boot id of the node's newest stream (added after the first commit; optional). */
    readonly boot?: string;
    readonly lastSeenAt: number;
    readonly lastHlc: Hlc;
    readonly events: number;
    readonly duplicates: number;
    readonly late: number;
    readonly lostEvents: number;
    /** Numbers declared dropped (added with the lost/dropped split; optional, 0 when absent). */
    readonly droppedEvents?: number;
    readonly localVerdicts: Readonly<Record<string, number>>;
  }[];
  /** Violations kept (oldest first). */
  readonly violations: readonly Violation[];
  /** Counters (gauges are recomputed). */
  readonly counters: Readonly<Record<string, number>>;
  /**
   * The causal judge's lanes, queues, open episodes and dependency entries
   * (`causal/causal_snapshot.ts`); present only when causal verdicts are on.
   * Absent at restore (an older snapshot): the judge starts from the
   * restored states, each an interval of unknown start.
   */
  readonly causal?: CausalSnapshot;
  /**
   * Tombstones of retired streams (`retirement.ts`: departed nodes'
   * streams, each with its next sequence number); absent when none (and
   * in older snapshots).
   */
  readonly tombstones?: readonly TombstoneSnapshot[];
}

/**
 * A retired stream's tombstone, as a snapshot saves it
 * (`CollectorSnapshot.tombstones`, `retirement.ts`).
 *
 * @example A tombstone
 * ```ts
 * import type { TombstoneSnapshot } from "./snapshot.ts";
 * const t: TombstoneSnapshot = { spec: "ab", node: "api-7", boot: "b1", next: 120 };
 * console.log(`${t.node} resumes at ${t.next}`);
 * ```
 */
export interface TombstoneSnapshot {
  /** Spec hash of the stream. */
  readonly spec: string;
  /** Node id. */
  readonly node: string;
  /** Boot id. */
  readonly boot: string;
  /** The stream's next sequence number when it was retired (every number below it counts as received). */
  readonly next: number;
}
