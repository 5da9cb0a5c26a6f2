/**
 * What a violation reports: the violated property, the cut (every
 * participant's latest state) and the causal history, with the hybrid
 * logical times and applied events they are made of. Plain JSON data;
 * `violation.ts` builds it. Re-exported by `types.ts`.
 *
 * @module
 */
import type { StateView } from "../../lib/abi/compiled.ts";
import type { CausalEvidence } from "./causal/evidence.ts";

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
