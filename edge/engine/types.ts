/**
 * The public interface of the collector core: the pure, runtime-neutral
 * logic that merges the event streams of many nodes in causal order, checks
 * the compiled global invariants and global liveness over each partition,
 * and reports violations with a readable counterexample. The collector app
 * (HTTP/JetStream ingest, persistence, SSE, dashboard) drives it through
 * {@link Collector}; `createCollector` and `restoreCollector` in
 * `collector.ts` build one.
 *
 * Everything here is plain data (JSON-serializable where it says so). Time
 * is the collector's injected clock (`now()`, ms), never `Date.now` inside.
 * The exact semantics (ordering, reorder window, late events, gaps, episodes,
 * liveness, restart safety) are documented in `collector.ts`.
 *
 * @module
 */
import type { CompiledSpec, StateView } from "../../lib/abi/compiled.ts";
import type { DecodedBatch, StreamId } from "../../lib/wire/event.ts";
import type { WireColumns } from "../../lib/wire/columns.ts";
import type { LimitName } from "./limits.ts";
import type { CausalEvidence } from "./causal/evidence.ts";

/**
 * Options of `createCollector` and `restoreCollector`.
 *
 * @example A collector on a fake clock with a short window
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
 * import type { CollectorOptions } from "./types.ts";
 * let now = 0;
 * const options: CollectorOptions = { specs: [lease], now: () => now, windowMs: 100 };
 * const collector = createCollector(options);
 * collector.ingestBytes(acquire("api-1", 1));
 * assert.equal(collector.metrics().buffered, 1);
 * now = 100;
 * collector.advance();
 * assert.equal(collector.metrics().applied, 1);
 * ```
 */
export interface CollectorOptions {
  /**
   * The compiled specs served; events are routed by spec hash
   * (`meta.sourceHash`). Several versions of one spec (the same
   * `meta.name`, different hashes) may be served at once, for a rolling
   * upgrade: the last one listed is the newest. Partitions are keyed by spec
   * name and instance key; each node's events are decoded with the version
   * they name, their states converted to the newest version's layout by
   * variable name, and the global items checked with the newest version's
   * code (`docs/upgrades.md`). Listing one hash twice is a `TypeError`.
   */
  readonly specs: readonly CompiledSpec[];
  /** The collector's clock in ms (arrival times, windows, timeouts). Default `Date.now`. */
  readonly now?: () => number;
  /**
   * Reorder window in ms: an event is applied at the latest this long after
   * its arrival (measured on `now()`), after every buffered event of its
   * partition ordered before it. Default 250.
   */
  readonly windowMs?: number;
  /** How long a hole (missing or declared-dropped numbers) keeps partitions `unknown` before it is reported permanent. Default 30 000. */
  readonly gapTimeoutMs?: number;
  /** Merged events kept per partition for counterexamples (the causal history). Default 32. */
  readonly historySize?: number;
  /** Events kept per participant for the cut. Default 5. */
  readonly cutEvents?: number;
  /** Violations kept in memory for `violations()` (oldest dropped first). Default 1000. */
  readonly maxViolations?: number;
  /**
   * Check each participant's local liveness items on its event stream
   * (`local_liveness.ts`): a node's instance whose `when` holds past the
   * item's bound without its `eventually` raises a `liveness_timeout`.
   * Default true; false checks global liveness only.
   */
  readonly localLiveness?: boolean;
  /**
   * Causal verdicts on global invariants (`docs/causality.md`): the bound
   * S, in ms, on every node's clock error against true time. When set,
   * global invariants are judged over the consistent cuts of
   * happened-before (program order plus the dependencies events carry,
   * and physical time with this bound) and each alert says `possibly` or
   * `definitely` (`Violation.causal`). Intervals are judged once the
   * partition's horizon (merged time less 2S and the window) passes them,
   * so verdicts do not depend on batching; the alert of an episode is
   * raised once judgement passes its first detection by 4S plus twice the
   * window, or on flush (about 6S plus three windows after the violating
   * event in merged time). Absent: the merge order's
   * verdicts. `vigil collector --causal` sets 500 unless `--max-skew` says otherwise.
   */
  readonly maxSkewMs?: number;
  /** Participants' instance blocks reserved when a partition is created (grows by doubling). Default 2. */
  readonly initialParticipants?: number;
  /**
   * Partitions in total, over all specs. Default 100 000: about 2 KB each
   * after one handoff, 5 KB in full use (`bench/limits_bench.ts`).
   * Growth limits refuse a whole batch with `LimitError` before anything of
   * it applies; see `limits.ts`.
   */
  readonly maxPartitions?: number;
  /** Node ids. Default 10 000 (a node is a process sending events). */
  readonly maxNodes?: number;
  /**
   * Streams (boot ids) kept per node and spec. Streams carry
   * de-duplication and live as long as the collector's state, so this caps
   * a node's restarts over that life. Default 1 000 (five restarts a day
   * for over six months).
   */
  readonly maxBootsPerNode?: number;
  /**
   * Nodes per partition (participants, and nodes whose first event there
   * waits in the reorder window). Default 1 000: a pairwise global
   * invariant then costs about a million pair evaluations (1 to 3 ms) per
   * applied event of that partition.
   */
  readonly maxParticipants?: number;
  /**
   * New boot ids admitted per node in any 60 s of the collector clock (per
   * token over HTTP, which authenticates node = token). Default 10: a
   * crash-looping process under a usual back-off restarts less often.
   */
  readonly maxNewBootsPerMinute?: number;
}

/**
 * A partition's verdict: `unknown` while a participant's stream has an open
 * hole (or nothing was applied yet); `mixed` while a participant's latest
 * state, reported on an older spec version, does not convert to the newest
 * (`PartitionInfo.mixed` says why). `violated` wins over both.
 *
 * @example Two holders violate the lock's partition
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
 * import type { PartitionStatus } from "./types.ts";
 * const collector = createCollector({ specs: [lease], windowMs: 0 });
 * collector.ingestBytes(acquire("api-1", 1));
 * collector.ingestBytes(acquire("api-2", 2));
 * collector.flush();
 * const status: PartitionStatus | undefined = collector.partition("Lease", "lock:a")?.status;
 * assert.equal(status, "violated");
 * ```
 */
export type PartitionStatus = "ok" | "violated" | "unknown" | "mixed";

/**
 * A participant whose latest state, reported by a node on an older version
 * of the spec, could not be converted to the newest version's layout: its
 * partition is `mixed` until that node reports a state that converts.
 *
 * @example Why a participant's state does not convert
 * ```ts
 * import assert from "node:assert/strict";
 * import type { MixedEntry } from "./types.ts";
 * const entry: MixedEntry = { node: "api-1", spec: "ab12", reason: "Variable 'mode' holds 'paused', a label the new version does not have" };
 * assert.match(entry.reason, /paused/);
 * ```
 */
export interface MixedEntry {
  /** The participant's node. */
  readonly node: string;
  /** Spec hash of the version the state came from. */
  readonly spec: string;
  /** Why it does not convert, e.g. `Variable 'mode' holds 'paused', a label the new version does not have`. */
  readonly reason: string;
}

/**
 * A spec version a node runs, as seen in its newest stream.
 *
 * @example The version each node runs
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
 * import type { NodeVersion } from "./types.ts";
 * const collector = createCollector({ specs: [lease], windowMs: 0 });
 * collector.ingestBytes(acquire("api-1", 1));
 * collector.ingestBytes(acquire("api-2", 2));
 * collector.flush();
 * const versions: readonly NodeVersion[] = collector.nodes()[0]!.versions;
 * assert.deepEqual(versions.map((v) => [v.specName, v.current]), [["Lease", true]]);
 * ```
 */
export interface NodeVersion {
  /** The spec's name, e.g. `Lease`. */
  readonly specName: string;
  /** Spec content hash of the version. */
  readonly spec: string;
  /** True when it is the newest version the collector serves for that name. */
  readonly current: boolean;
}

/**
 * Identifies a partition: one instance key of one spec (by name, whatever the versions served).
 *
 * @example A partition is a spec and an instance key
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
 * import type { PartitionKey } from "./types.ts";
 * const collector = createCollector({ specs: [lease], windowMs: 0 });
 * collector.ingestBytes(acquire("api-1", 1));
 * collector.ingestBytes(acquire("api-2", 2));
 * collector.flush();
 * const { specName, key }: PartitionKey = collector.partitions()[0]!;
 * assert.deepEqual([specName, key], ["Lease", "lock:a"]);
 * ```
 */
export interface PartitionKey {
  /** Spec content hash (of the newest version served, whose layout holds the partition's states). */
  readonly spec: string;
  /** The spec's name, e.g. `Lease`. */
  readonly specName: string;
  /** Instance key, e.g. `lock:orders`. */
  readonly key: string;
}

/**
 * A hybrid logical time, as carried in events.
 *
 * @example Order two times
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Hlc } from "./types.ts";
 * const before = (a: Hlc, b: Hlc) => a.wall < b.wall || (a.wall === b.wall && a.logical < b.logical);
 * assert.ok(before({ wall: 1_000, logical: 0 }, { wall: 1_000, logical: 1 }));
 * ```
 */
export interface Hlc {
  /** Wall-clock part: ms since the epoch on the node that stamped the event. */
  readonly wall: number;
  /** Logical part: orders events stamped within the same wall ms. */
  readonly logical: number;
}

/**
 * One applied event as shown in counterexamples and on the dashboard.
 *
 * @example The events in a violation's history
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
 * import type { EventInfo } from "./types.ts";
 * const collector = createCollector({ specs: [lease], windowMs: 0 });
 * collector.ingestBytes(acquire("api-1", 1));
 * collector.ingestBytes(acquire("api-2", 2));
 * collector.flush();
 * const history: readonly EventInfo[] = collector.violations()[0]!.history;
 * assert.deepEqual(history.map((e) => `${e.node} ${e.action}(${e.args.c})`), ["api-1 acquire(1)", "api-2 acquire(2)"]);
 * ```
 */
export interface EventInfo {
  /** Node id that sent the event. */
  readonly node: string;
  /** Boot id of the node's stream (one per process start). */
  readonly boot: string;
  /** The event's sequence number in its stream. */
  readonly seq: number;
  /** HLC wall part of the event's stamp, ms. */
  readonly wall: number;
  /** HLC logical part of the event's stamp. */
  readonly logical: number;
  /** Action name (or `#<index>` when the index is unknown to the spec). */
  readonly action: string;
  /** Arguments decoded by parameter name (enum labels, booleans, numbers). */
  readonly args: Readonly<Record<string, unknown>>;
  /** Verdict kind of the node's local check: `ok`, `guard_failed`, `divergence`, ... */
  readonly verdict: string;
  /** The local verdict's item and line, e.g. `action acquire: require mode == free (line 14:5)`; empty when ok. */
  readonly verdictDetail: string;
  /** True when the event arrived after something later in its partition was applied. */
  readonly late: boolean;
  /** Spec hash of the older version that produced the event; absent for the partition's own. */
  readonly spec?: string;
}

/**
 * One participant of a cut: a node's latest state in the partition.
 *
 * @example Each holder's state at the violation
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
 * import type { CutEntry } from "./types.ts";
 * const collector = createCollector({ specs: [lease], windowMs: 0 });
 * collector.ingestBytes(acquire("api-1", 1));
 * collector.ingestBytes(acquire("api-2", 2));
 * collector.flush();
 * const cut: readonly CutEntry[] = collector.violations()[0]!.cut;
 * assert.deepEqual(cut.map((c) => [c.node, c.state.owner]), [["api-1", 1], ["api-2", 2]]);
 * ```
 */
export interface CutEntry {
  /** Node id of the participant. */
  readonly node: string;
  /** Boot id of the participant's stream. */
  readonly boot: string;
  /** Sequence number of the event that produced this state. */
  readonly seq: number;
  /** HLC wall part of that event's stamp, ms. */
  readonly wall: number;
  /** HLC logical part of that event's stamp. */
  readonly logical: number;
  /** The decoded state (`view(readSlots(...))`). */
  readonly state: StateView;
  /** The participant's last few applied events in this partition, oldest first. */
  readonly lastEvents: readonly EventInfo[];
  /**
   * Spec hash of the older version the node's latest event came from (its
   * state converted to the partition's layout, or left as it was when it
   * does not convert: see `PartitionInfo.mixed`); absent for the
   * partition's own.
   */
  readonly spec?: string;
}

/**
 * A violated global property and where it is in the spec.
 *
 * @example The violated property and its line
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
 * import type { PropertyRef } from "./types.ts";
 * const collector = createCollector({ specs: [lease], windowMs: 0 });
 * collector.ingestBytes(acquire("api-1", 1));
 * collector.ingestBytes(acquire("api-2", 2));
 * collector.flush();
 * const property: PropertyRef = collector.violations()[0]!.property;
 * assert.deepEqual([property.item, property.name, property.line], ["global invariant", "OneHolder", 33]);
 * ```
 */
export interface PropertyRef {
  /**
   * `global invariant`, `global liveness`, or `liveness` (a local liveness
   * item, checked on one participant's states).
   */
  readonly item: "global invariant" | "global liveness" | "liveness";
  /** The property's name, e.g. `OneHolder`. */
  readonly name: string;
  /** Verdict code (invariants) or liveness bit index (liveness). */
  readonly code: number;
  /** Line of the property in the spec source (1-based). */
  readonly line: number;
  /** Column of the property in the spec source (1-based). */
  readonly column: number;
  /** The failing expression in the spec's words (may be empty). */
  readonly detail: string;
}

/**
 * A violation of a global invariant or a global liveness timeout, with its counterexample. JSON-serializable.
 *
 * @example Two holders of one lock
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
 * import type { Violation } from "./types.ts";
 * const collector = createCollector({ specs: [lease], windowMs: 0 });
 * collector.ingestBytes(acquire("api-1", 1));
 * collector.ingestBytes(acquire("api-2", 2));
 * collector.flush();
 * const [v]: readonly Violation[] = collector.violations();
 * assert.equal(v?.message, "Lease: global invariant OneHolder (line 33:3) violated in 'lock:a' by api-1, api-2");
 * assert.deepEqual(v?.nodes, ["api-1", "api-2"]);
 * ```
 */
export interface Violation {
  /** Unique and stable across restarts: `<spec hash prefix>:<key>:<n>`. */
  readonly id: string;
  /**
   * `invariant` (a global invariant failed) or `liveness_timeout` (a
   * liveness deadline passed: a global item's, or a local item's on one
   * participant, the node `nodes` names).
   */
  readonly kind: "invariant" | "liveness_timeout";
  /** The spec's name, e.g. `Lease`. */
  readonly specName: string;
  /** Spec content hash. */
  readonly spec: string;
  /** The partition's instance key, e.g. `lock:orders`. */
  readonly partition: string;
  /** The violated property and its place in the spec. */
  readonly property: PropertyRef;
  /** HLC of the event after which the invariant failed; for a liveness timeout, the merged time that passed the deadline. */
  readonly at: Hlc;
  /** Liveness only: the deadline (HLC wall ms) that passed. */
  readonly deadline?: number;
  /** Collector clock when detected. */
  readonly detectedAt: number;
  /** Nodes the violation involves: a smallest failing subset of the participants when it can be found, else all. */
  readonly nodes: readonly string[];
  /** Every participant's latest state at the violation. */
  readonly cut: readonly CutEntry[];
  /** The partition's last merged events up to and including the violating one, oldest first. */
  readonly history: readonly EventInfo[];
  /**
   * True when a participant's stream had a hole, or a participant's state
   * from an older version did not convert (`mixed`): the cut may be stale.
   */
  readonly incomplete: boolean;
  /** One-line summary, e.g. `Lease: global invariant OneHolder (line 33:3) violated in 'lock:1' by api-1, api-2`. */
  readonly message: string;
  /**
   * With causal verdicts (option `maxSkewMs`), a global invariant's
   * violation: `possibly` or `definitely`, the lanes, events, messages and
   * violating cut of happened-before around it (`docs/causality.md`).
   * `nodes` then lists the violating cut's failing nodes first.
   */
  readonly causal?: CausalEvidence;
}

/**
 * A node (across its boots) as seen by the collector.
 *
 * @example What the collector knows of a node
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
 * import type { NodeInfo } from "./types.ts";
 * const collector = createCollector({ specs: [lease], windowMs: 0 });
 * collector.ingestBytes(acquire("api-1", 1));
 * collector.ingestBytes(acquire("api-2", 2));
 * collector.flush();
 * const nodes: readonly NodeInfo[] = collector.nodes();
 * assert.deepEqual(nodes.map((n) => [n.node, n.events, n.partitions]), [["api-1", 1, 1], ["api-2", 1, 1]]);
 * ```
 */
export interface NodeInfo {
  /** Node id. */
  readonly node: string;
  /** Specs (hash) the node sends events for. */
  readonly specs: readonly string[];
  /** The boot id of its newest stream. */
  readonly boot: string;
  /** Collector clock at the last batch from the node. */
  readonly lastSeenAt: number;
  /** Highest HLC among its events. */
  readonly lastHlc: Hlc;
  /** Unique events received (duplicates excluded). */
  readonly events: number;
  /** Events received again (already accepted, dropped as duplicates). */
  readonly duplicates: number;
  /** Events applied late (after something later in their partition). */
  readonly late: number;
  /** Open holes (numbers missing or declared dropped, not yet timed out) over its streams. */
  readonly openHoles: number;
  /** Numbers never received nor declared dropped whose hole closed (timed out or over the hole limit). */
  readonly lostEvents: number;
  /** Numbers the node declared dropped (sender backpressure); never counted in `lostEvents`. */
  readonly droppedEvents: number;
  /** Events whose local verdict was not ok, by verdict kind (e.g. `{ guard_failed: 3 }`). */
  readonly localVerdicts: Readonly<Record<string, number>>;
  /** Number of partitions it participates in. */
  readonly partitions: number;
  /** The spec version the node runs, per spec name (that of its newest stream). */
  readonly versions: readonly NodeVersion[];
}

/**
 * A partition as seen by the collector.
 *
 * @example A partition with its participants
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
 * import type { PartitionInfo } from "./types.ts";
 * const collector = createCollector({ specs: [lease], windowMs: 0 });
 * collector.ingestBytes(acquire("api-1", 1));
 * collector.ingestBytes(acquire("api-2", 2));
 * collector.flush();
 * const p: PartitionInfo | undefined = collector.partition("Lease", "lock:a");
 * assert.deepEqual([p?.id, p?.violated, p?.participants.length], ["Lease/lock:a", "OneHolder", 2]);
 * ```
 */
export interface PartitionInfo extends PartitionKey {
  /** `<spec name>/<key>`: the partition's display id. */
  readonly id: string;
  /** The partition's current verdict. */
  readonly status: PartitionStatus;
  /** A permanent hole affected a participant: verdicts may have missed something. Sticky. */
  readonly incomplete: boolean;
  /** Every participant's latest state (the partition's current cut). */
  readonly participants: readonly CutEntry[];
  /** Name of the global invariant currently violated (open episode), or null. */
  readonly violated: string | null;
  /** Violations raised in this partition. */
  readonly violations: number;
  /** Events applied in this partition. */
  readonly applied: number;
  /** Events waiting in the reorder window. */
  readonly buffered: number;
  /** Highest applied HLC. */
  readonly lastApplied: Hlc | null;
  /**
   * Open liveness deadlines: global items' (no `node`), then local items'
   * with the node whose instance owes them.
   */
  readonly deadlines: readonly {
    readonly name: string;
    readonly deadline: number;
    readonly node?: string;
  }[];
  /**
   * Participants whose latest state, from an older version, does not
   * convert to the newest version's layout, with why (status `mixed`);
   * empty otherwise.
   */
  readonly mixed: readonly MixedEntry[];
}

/**
 * Counters (monotone) and gauges, for `/metrics`.
 *
 * @example Counters after two batches
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
 * import type { CollectorMetrics } from "./types.ts";
 * const collector = createCollector({ specs: [lease], windowMs: 0 });
 * collector.ingestBytes(acquire("api-1", 1));
 * collector.ingestBytes(acquire("api-2", 2));
 * collector.flush();
 * const m: CollectorMetrics = collector.metrics();
 * assert.deepEqual([m.batches, m.events, m.applied, m.violations], [2, 2, 2, 1]);
 * ```
 */
export interface CollectorMetrics {
  /** Batches ingested (accepted or refused). */
  readonly batches: number;
  /** Batches refused by `ingest` (unknown spec, invalid for the spec, a growth limit). */
  readonly batchesRejected: number;
  /** Unique events accepted. */
  readonly events: number;
  /** Events applied (released from the reorder window). */
  readonly applied: number;
  /** Events received again and dropped as duplicates. */
  readonly duplicates: number;
  /** Events applied late (after something later in their partition). */
  readonly late: number;
  /** Holes opened (undeclared gaps detected). */
  readonly gaps: number;
  /** Numbers declared dropped by senders, counted when declared (never also lost). */
  readonly dropped: number;
  /** Numbers never received nor declared dropped, counted when their hole times out or is closed at the per-stream hole limit. */
  readonly lost: number;
  /** Global invariant violations raised. */
  readonly violations: number;
  /** Global liveness deadlines that passed. */
  readonly livenessTimeouts: number;
  /** Events with a non-ok local verdict. */
  readonly localVerdicts: number;
  /** Exceptions thrown by listeners (caught and ignored). Added after the first commit. */
  readonly listenerErrors: number;
  /** Events of an older spec version whose state was converted to the newest version's layout. */
  readonly converted: number;
  /** Events of an older spec version whose state did not convert (their partitions marked `mixed`). */
  readonly unconvertible: number;
  /** Batches refused because they name a version of a served spec that the collector was not started with. */
  readonly unknownVersion: number;
  /** Streams of a version no longer served, left out when a snapshot was restored. */
  readonly retiredStreams: number;
  /** Batches refused at a growth limit, by limit option name (also counted in `batchesRejected`). */
  readonly refusedByLimit: Readonly<Record<LimitName, number>>;
  /** Gauges. */
  readonly buffered: number;
  /** Partitions known (gauge). */
  readonly partitions: number;
  /** Nodes known (gauge). */
  readonly nodes: number;
  /** Streams known (gauge). */
  readonly streams: number;
  /** Collector clock minus the arrival of the oldest buffered event (0 when empty). */
  readonly lagMs: number;
  /** Partitions `mixed` now (gauge). */
  readonly mixedPartitions: number;
}

/**
 * What `ingest` did with one batch.
 *
 * @example A batch sent twice is a duplicate the second time
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
 * import type { IngestResult } from "./types.ts";
 * const collector = createCollector({ specs: [lease] });
 * const batch = acquire("api-1", 1);
 * const first: IngestResult = collector.ingestBytes(batch);
 * const again: IngestResult = collector.ingestBytes(batch);
 * assert.deepEqual([first.accepted, again.accepted, again.duplicates], [1, 0, 1]);
 * ```
 */
export interface IngestResult {
  /** New events buffered or applied. */
  readonly accepted: number;
  /** Events of the batch already received (dropped as duplicates). */
  readonly duplicates: number;
  /** Events applied at once because something later in their partition was already applied. */
  readonly late: number;
  /** Numbers newly declared dropped. */
  readonly dropped: number;
}

/**
 * Notifications, as a tagged union. Listeners run synchronously inside `ingest`/`advance`/`flush`.
 *
 * @example Listen for violations
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
 * import type { CollectorEvent } from "./types.ts";
 * const collector = createCollector({ specs: [lease], windowMs: 0 });
 * const types: CollectorEvent["type"][] = [];
 * collector.on((e) => void types.push(e.type));
 * collector.ingestBytes(acquire("api-1", 1));
 * collector.ingestBytes(acquire("api-2", 2));
 * collector.flush();
 * assert.ok(types.includes("violation"));
 * ```
 */
export type CollectorEvent =
  | { readonly type: "violation"; readonly violation: Violation }
  | {
    /** A partition's invariant episode ended: the check passes again. */
    readonly type: "violation_cleared";
    readonly partition: PartitionKey;
    readonly name: string;
    readonly at: Hlc;
  }
  | {
    /** A hole opened: numbers missing (undeclared) or declared dropped. */
    readonly type: "gap";
    readonly stream: StreamId;
    readonly first: number;
    readonly last: number;
    readonly declared: boolean;
  }
  | { readonly type: "gap_filled"; readonly stream: StreamId; readonly seq: number }
  | {
    /**
     * A hole closed: it timed out (`reason` `timeout`) or its stream had too
     * many open holes (`limit`, the lowest-numbered ones close first). The
     * node's partitions are flagged incomplete; its undeclared numbers are
     * counted lost, its declared ones were counted dropped when declared.
     */
    readonly type: "hole";
    readonly stream: StreamId;
    readonly first: number;
    readonly last: number;
    readonly declared: boolean;
    readonly reason: "timeout" | "limit";
  }
  | { readonly type: "late"; readonly partition: PartitionKey; readonly event: EventInfo }
  | {
    /** An event carried a non-ok local verdict (refused step, observed violation, divergence). */
    readonly type: "local_verdict";
    readonly partition: PartitionKey;
    readonly event: EventInfo;
  }
  | {
    readonly type: "status";
    readonly partition: PartitionKey;
    readonly status: PartitionStatus;
    readonly incomplete: boolean;
  }
  | { readonly type: "boot"; readonly stream: StreamId };

/**
 * A listener of collector notifications.
 *
 * @example Unsubscribe a listener
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
 * import type { CollectorListener } from "./types.ts";
 * const collector = createCollector({ specs: [lease], windowMs: 0 });
 * let calls = 0;
 * const listener: CollectorListener = () => void calls++;
 * const off = collector.on(listener);
 * off();
 * collector.ingestBytes(acquire("api-1", 1));
 * collector.flush();
 * assert.equal(calls, 0);
 * ```
 */
export type CollectorListener = (event: CollectorEvent) => void;

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
}

/**
 * Which page of a listing to build.
 *
 * @example The first page of one partition per page
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
 * import type { PageOptions } from "./types.ts";
 * const collector = createCollector({ specs: [lease], windowMs: 0 });
 * collector.ingestBytes(acquire("api-1", 1));
 * collector.ingestBytes(acquire("api-2", 2));
 * collector.flush();
 * const options: PageOptions = { limit: 1 };
 * assert.equal(collector.nodesPage(options).items[0]?.node, "api-1");
 * ```
 */
export interface PageOptions {
  /** The `next` cursor of the previous page; absent for the first page. */
  readonly after?: string;
  /** Items per page, at least 1. */
  readonly limit: number;
}

/**
 * One page of a listing.
 *
 * @example Follow the cursor to the last page
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
 * import type { NodeInfo, Page } from "./types.ts";
 * const collector = createCollector({ specs: [lease], windowMs: 0 });
 * collector.ingestBytes(acquire("api-1", 1));
 * collector.ingestBytes(acquire("api-2", 2));
 * collector.flush();
 * const first: Page<NodeInfo> = collector.nodesPage({ limit: 1 });
 * const second = collector.nodesPage({ limit: 1, after: first.next! });
 * assert.deepEqual([first.total, second.items[0]?.node, second.next], [2, "api-2", null]);
 * ```
 */
export interface Page<T> {
  /** The items of this page. */
  readonly items: readonly T[];
  /** Items matching the filter, over all pages. */
  readonly total: number;
  /** The cursor of the next page (`after`), or `null` when this page is the last. */
  readonly next: string | null;
}

/**
 * The collector core. Single-threaded; not re-entrant from listeners.
 *
 * @example Ingest, apply, and read the violation
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
 * import type { Collector } from "./types.ts";
 * const collector: Collector = createCollector({ specs: [lease], windowMs: 0 });
 * collector.ingestBytes(acquire("api-1", 1));
 * collector.ingestBytes(acquire("api-2", 2));
 * collector.flush();
 * assert.equal(collector.violations().length, 1);
 * assert.equal(collector.metrics().partitions, 1);
 * ```
 */
export interface Collector {
  /** The specs served, by hash. */
  readonly specs: ReadonlyMap<string, CompiledSpec>;
  /**
   * Accepts one decoded batch: dedups, tracks sequence numbers and holes,
   * buffers new events in their partitions' reorder windows (late ones are
   * applied at once), then applies whatever is due at `now()` (hole and
   * liveness timeouts are left to `advance`, which the app calls on a
   * timer, e.g. every 50 ms). Throws
   * `UnknownSpecError` (unknown spec hash; for a version of a served spec
   * the collector was not started with, the message says so and
   * `unknownVersion` counts it), `InvalidBatchError` (a state
   * block of the wrong size, an action index out of range, an event not
   * numbered `firstSeq` plus its index, bad drop ranges) or `LimitError`
   * (admitting the batch would pass a growth limit such as
   * `maxPartitions`) before changing anything. The batch is laid out as
   * columns and goes through {@link ingestColumns}, the one ingest routine.
   */
  ingest(batch: DecodedBatch): IngestResult;
  /**
   * Decodes (`decodeToColumns`, may throw `WireFormatError`) and ingests
   * through {@link ingestColumns}.
   */
  ingestBytes(bytes: Uint8Array): IngestResult;
  /**
   * Ingests a batch that `decodeToColumns` (`lib/wire/decode.ts`) decoded,
   * without an object per event: the one ingest routine every other
   * ingest goes through. The columns are not retained.
   */
  ingestColumns(columns: WireColumns): IngestResult;
  /** Applies every event due at `now` (default `now()`), times out holes and liveness deadlines. */
  advance(now?: number): void;
  /** Applies every buffered event now, in order, whatever its window (shutdown, tests, benchmarks). */
  flush(): void;
  /**
   * The highest sequence number `s` of a stream such that every event
   * numbered `<= s` that the collector received is applied (not buffered);
   * `-1` when none. Batches ending at or below it are safe to acknowledge
   * once a snapshot taken after this call is persisted.
   */
  appliedThrough(stream: StreamId): number;
  /** True when every event of `[first, first + count)` received from the stream is applied. */
  isApplied(stream: StreamId, first: number, count: number): boolean;
  /** Subscribes; returns the unsubscribe function. */
  on(listener: CollectorListener): () => void;
  /** Violations kept (oldest first). */
  violations(): readonly Violation[];
  /** Every node seen (first seen first). */
  nodes(): readonly NodeInfo[];
  /** Every partition (insertion order). */
  partitions(): readonly PartitionInfo[];
  /**
   * One page of `partitions()` (insertion order), optionally only those of
   * one status; costs about the page (a status filter checks statuses, a
   * cheap test per partition). Throws `RangeError` for a cursor it never gave.
   */
  partitionsPage(options: PageOptions & { readonly status?: PartitionStatus }): Page<PartitionInfo>;
  /** One page of `nodes()` (first seen first). Throws `RangeError` for a cursor it never gave. */
  nodesPage(options: PageOptions): Page<NodeInfo>;
  /**
   * One page of `violations()` (oldest first), optionally only those of one
   * partition key. A cursor whose violation was dropped since (only
   * `maxViolations` are kept) continues with the oldest kept.
   */
  violationsPage(options: PageOptions & { readonly partition?: string }): Page<Violation>;
  /** One partition by spec hash (or spec name) and instance key, or undefined. */
  partition(spec: string, key: string): PartitionInfo | undefined;
  /** Counters and gauges at this moment. */
  metrics(): CollectorMetrics;
  /** The persisted form of everything applied (see {@link CollectorSnapshot}). */
  snapshot(): CollectorSnapshot;
}
