/**
 * What the collector lists: its nodes and partitions as seen now (a
 * partition's verdict, participants and open deadlines; a node's counters
 * and spec versions), and pages of those listings. Re-exported by
 * `types.ts`.
 *
 * @module
 */
import type { CutEntry, Hlc } from "./alerts.ts";

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
