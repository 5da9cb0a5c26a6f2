/**
 * What the collector tells its listeners as it goes: violations raised and
 * cleared, holes opened, filled and closed, late events, local verdicts,
 * partition status changes and new boots. Re-exported by `types.ts`.
 *
 * @module
 */
import type { StreamId } from "../../lib/wire/event.ts";
import type { EventInfo, Hlc, Violation } from "./alerts.ts";
import type { PartitionKey, PartitionStatus } from "./listings.ts";

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
  | { readonly type: "boot"; readonly stream: StreamId }
  | {
    /**
     * A sweep of departed nodes retired something (`retireIdleMs`,
     * `retirement.ts`): once per sweep, with its counts.
     */
    readonly type: "retired";
    /** Participants retired by this sweep. */
    readonly participants: number;
    /** Nodes retired by this sweep (their streams leave tombstones). */
    readonly nodes: number;
    /** Tombstones kept now. */
    readonly tombstones: number;
    /** Participants idle past `retireIdleMs` but not at rest, kept. */
    readonly idleHolding: number;
  }
  | {
    /**
     * A participant's node sent nothing for `retireIdleMs` but the
     * participant is not at rest (not the initial state, a deadline, an
     * open episode): kept, as it may be a zombie holder. Said once per
     * participant.
     */
    readonly type: "idle_holding";
    readonly partition: PartitionKey;
    readonly node: string;
    /** How long its node has been silent, ms of the collector clock. */
    readonly idleMs: number;
  }
  | {
    /**
     * With causal verdicts: a node's walls lead every other node's by more
     * than twice `maxSkewMs` and the reorder window (its clock is off by
     * more than the declared bound; `CausalJudge.clockAhead` counts it).
     * Said once per node.
     */
    readonly type: "clock_ahead";
    readonly node: string;
    /** By how much its newest wall led every other node's, ms. */
    readonly aheadMs: number;
  };

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
