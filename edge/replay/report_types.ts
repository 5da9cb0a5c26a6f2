/**
 * What `replay` reports: violations pointing at log lines (file and line
 * number), lines that could not be mapped, lines out of the reorder window,
 * partitions and a summary. Plain JSON (`--json` prints a
 * {@link ReplayReport} as is).
 *
 * @module
 */
import type { CausalEvidence } from "../engine/causal/evidence.ts";
import type { StateView } from "../../lib/abi/compiled.ts";
import type { CutEntry, PartitionStatus } from "../engine/types.ts";

/**
 * A line of a log file (1-based).
 *
 * @example Where the global violation happened
 * ```ts
 * import assert from "node:assert/strict";
 * import type { LineRef, ReplayViolation } from "./report_types.ts";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { parseMapping } from "./mapping.ts";
 * import { replay } from "./replay.ts";
 * const spec = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const mapping = parseMapping({ node: "host", key: "lock", time: "ts", action: "event", args: "args" });
 * const log = (...lines: unknown[]) =>
 *   new Blob([lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n") + "\n"]).stream();
 * const a = log({ host: "api-1", lock: "l1", ts: 1000, event: "acquire", args: { c: 1 } }, "not json");
 * const b = log(
 *   { host: "api-2", lock: "l1", ts: 1001, event: "acquire", args: { c: 2 } },
 *   { host: "api-2", lock: "l1", ts: 1002, event: "release", args: { c: 3 } },
 * );
 * const report = await replay([{ name: "a.log", stream: a }, { name: "b.log", stream: b }], { specs: [spec], mapping });
 * const global = report.violations.find((v: ReplayViolation) => v.scope === "global");
 * const at: LineRef | null | undefined = global?.at;
 * assert.deepEqual(at, { file: "b.log", line: 1 });
 * ```
 */
export interface LineRef {
  /** Path of the log file as given to `replay`. */
  readonly file: string;
  /** Line number in the file, from 1. */
  readonly line: number;
}

/**
 * A line that led to a violation: where it is, and the step it mapped to when known.
 *
 * @example The lines that led to a local violation
 * ```ts
 * import assert from "node:assert/strict";
 * import type { ReplayLine } from "./report_types.ts";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { parseMapping } from "./mapping.ts";
 * import { replay } from "./replay.ts";
 * const spec = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const mapping = parseMapping({ node: "host", key: "lock", time: "ts", action: "event", args: "args" });
 * const log = (...lines: unknown[]) =>
 *   new Blob([lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n") + "\n"]).stream();
 * const a = log({ host: "api-1", lock: "l1", ts: 1000, event: "acquire", args: { c: 1 } }, "not json");
 * const b = log(
 *   { host: "api-2", lock: "l1", ts: 1001, event: "acquire", args: { c: 2 } },
 *   { host: "api-2", lock: "l1", ts: 1002, event: "release", args: { c: 3 } },
 * );
 * const report = await replay([{ name: "a.log", stream: a }, { name: "b.log", stream: b }], { specs: [spec], mapping });
 * const local = report.violations.find((v) => v.scope === "local")!;
 * const lines: readonly ReplayLine[] = local.lines;
 * assert.deepEqual(lines.map((l) => [l.file, l.line, l.action ?? null]), [["b.log", 1, null], ["b.log", 2, "release"]]);
 * ```
 */
export interface ReplayLine extends LineRef {
  /** Node id the line was mapped to. */
  readonly node: string;
  /** The step's number in the node's stream (per spec, in merged order, from 0). */
  readonly seq: number;
  /** Action name of the step, when the line mapped to one. */
  readonly action?: string;
  /** The step's arguments by parameter name, when known. */
  readonly args?: Readonly<Record<string, unknown>>;
  /** Local verdict kind of the step (`ok`, `guard_failed`, `divergence`, ...). */
  readonly verdict?: string;
  /** HLC wall part of the step's time, ms. */
  readonly wall?: number;
  /** HLC logical part of the step's time. */
  readonly logical?: number;
  /** Applied after something later in its partition (out-of-window or merged late). */
  readonly late?: boolean;
}

/**
 * One variable whose observed value differs from the spec's next state.
 *
 * @example A variable the log reports differently
 * ```ts
 * import assert from "node:assert/strict";
 * import type { ReplayDivergence } from "./report_types.ts";
 * const d: ReplayDivergence = { variable: "owner", expected: 2, actual: 3 };
 * assert.notEqual(d.expected, d.actual);
 * ```
 */
export interface ReplayDivergence {
  /** The state variable's name. */
  readonly variable: string;
  /** Its value in the spec's next state. */
  readonly expected: unknown;
  /** Its value observed in the log. */
  readonly actual: unknown;
}

/**
 * The spec item a violation names.
 *
 * @example The spec item a refusal names
 * ```ts
 * import assert from "node:assert/strict";
 * import type { ViolatedItem } from "./report_types.ts";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { parseMapping } from "./mapping.ts";
 * import { replay } from "./replay.ts";
 * const spec = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const mapping = parseMapping({ node: "host", key: "lock", time: "ts", action: "event", args: "args" });
 * const log = (...lines: unknown[]) =>
 *   new Blob([lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n") + "\n"]).stream();
 * const a = log({ host: "api-1", lock: "l1", ts: 1000, event: "acquire", args: { c: 1 } }, "not json");
 * const b = log(
 *   { host: "api-2", lock: "l1", ts: 1001, event: "acquire", args: { c: 2 } },
 *   { host: "api-2", lock: "l1", ts: 1002, event: "release", args: { c: 3 } },
 * );
 * const report = await replay([{ name: "a.log", stream: a }, { name: "b.log", stream: b }], { specs: [spec], mapping });
 * const item: ViolatedItem = report.violations.find((v) => v.scope === "local")!.property;
 * assert.equal(item.item, "action release");
 * assert.equal(item.detail, "require mode == held and owner == c");
 * ```
 */
export interface ViolatedItem {
  /** `action acquire`, `invariant TokenNeverGoesBack`, `global invariant OneHolder`, ... */
  readonly item: string;
  /** What failed in the spec's words (`require mode == free`), or the property name. */
  readonly detail: string;
  /** Line of the item in the spec source (1-based). */
  readonly line: number;
  /** Column of the item in the spec source (1-based). */
  readonly column: number;
}

/**
 * A participant of a global violation's cut, with the line that produced its state.
 *
 * @example Every holder at the global violation, with its line
 * ```ts
 * import assert from "node:assert/strict";
 * import type { ReplayCutEntry } from "./report_types.ts";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { parseMapping } from "./mapping.ts";
 * import { replay } from "./replay.ts";
 * const spec = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const mapping = parseMapping({ node: "host", key: "lock", time: "ts", action: "event", args: "args" });
 * const log = (...lines: unknown[]) =>
 *   new Blob([lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n") + "\n"]).stream();
 * const a = log({ host: "api-1", lock: "l1", ts: 1000, event: "acquire", args: { c: 1 } }, "not json");
 * const b = log(
 *   { host: "api-2", lock: "l1", ts: 1001, event: "acquire", args: { c: 2 } },
 *   { host: "api-2", lock: "l1", ts: 1002, event: "release", args: { c: 3 } },
 * );
 * const report = await replay([{ name: "a.log", stream: a }, { name: "b.log", stream: b }], { specs: [spec], mapping });
 * const cut: readonly ReplayCutEntry[] = report.violations.find((v) => v.scope === "global")!.cut ?? [];
 * assert.deepEqual(cut.map((c) => [c.node, c.state.mode, c.at?.file]), [["api-1", "held", "a.log"], ["api-2", "held", "b.log"]]);
 * ```
 */
export interface ReplayCutEntry extends CutEntry {
  /** The line that produced the participant's state, or null when not known. */
  readonly at: LineRef | null;
}

/**
 * A violation found in the logs.
 *
 * @example A local refusal and a global invariant
 * ```ts
 * import assert from "node:assert/strict";
 * import type { ReplayViolation } from "./report_types.ts";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { parseMapping } from "./mapping.ts";
 * import { replay } from "./replay.ts";
 * const spec = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const mapping = parseMapping({ node: "host", key: "lock", time: "ts", action: "event", args: "args" });
 * const log = (...lines: unknown[]) =>
 *   new Blob([lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n") + "\n"]).stream();
 * const a = log({ host: "api-1", lock: "l1", ts: 1000, event: "acquire", args: { c: 1 } }, "not json");
 * const b = log(
 *   { host: "api-2", lock: "l1", ts: 1001, event: "acquire", args: { c: 2 } },
 *   { host: "api-2", lock: "l1", ts: 1002, event: "release", args: { c: 3 } },
 * );
 * const report = await replay([{ name: "a.log", stream: a }, { name: "b.log", stream: b }], { specs: [spec], mapping });
 * const found: readonly ReplayViolation[] = report.violations;
 * // In the order of the lines that showed them: the second acquire (1001), then the refused release.
 * assert.deepEqual(found.map((v) => [v.scope, v.kind]), [["global", "invariant"], ["local", "guard_failed"]]);
 * ```
 */
export interface ReplayViolation {
  /** `local`: one instance's step (a refused transition, a divergence); `global`: across nodes. */
  readonly scope: "local" | "global";
  /** Local: `guard_failed`, `invariant_failed`, `range_violation`, `bad_argument`, `arith_error`, `divergence`; global: `invariant`, `liveness_timeout`. */
  readonly kind: string;
  /** The spec's name, e.g. `Lease`. */
  readonly specName: string;
  /** The instance key, e.g. `lock:orders`. */
  readonly key: string;
  /** Nodes involved (local: the one node). */
  readonly nodes: readonly string[];
  /** The spec item that failed. */
  readonly property: ViolatedItem;
  /** One line: spec item, spec line, where. */
  readonly message: string;
  /** The violating line (null for a liveness deadline passed at the end of the logs). */
  readonly at: LineRef | null;
  /**
   * Lines that led to it, oldest first, ending with the violating one:
   * the instance's previous steps (local) or the partition's merged history
   * (global, every node's lines).
   */
  readonly lines: readonly ReplayLine[];
  /** Global: every participant's state and the line that produced it. */
  readonly cut?: readonly ReplayCutEntry[];
  /** Divergences: the variables whose observed value differs. */
  readonly divergences?: readonly ReplayDivergence[];
  /** Local: the state before the step (decoded). */
  readonly before?: StateView;
  /** The violating line was out of the reorder window (processed out of order). */
  readonly outOfWindow: boolean;
  /** A line of a participant could not be mapped before this: the verdict may rest on a hole. */
  readonly incomplete: boolean;
  /** Global: the collector's violation id. */
  readonly id?: string;
  /**
   * Global invariants, when the collector recorded happened-before around
   * the violation (the logs carry message ids or stamps, `docs/replay.md`):
   * the lanes, events, messages and violating cut that `vigil replay --html`
   * draws.
   */
  readonly causal?: CausalEvidence;
}

/**
 * A line that could not be mapped to a step (never dropped silently).
 *
 * @example A line that is not JSON is reported, not dropped
 * ```ts
 * import assert from "node:assert/strict";
 * import type { UnmappedLine } from "./report_types.ts";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { parseMapping } from "./mapping.ts";
 * import { replay } from "./replay.ts";
 * const spec = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const mapping = parseMapping({ node: "host", key: "lock", time: "ts", action: "event", args: "args" });
 * const log = (...lines: unknown[]) =>
 *   new Blob([lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n") + "\n"]).stream();
 * const a = log({ host: "api-1", lock: "l1", ts: 1000, event: "acquire", args: { c: 1 } }, "not json");
 * const b = log(
 *   { host: "api-2", lock: "l1", ts: 1001, event: "acquire", args: { c: 2 } },
 *   { host: "api-2", lock: "l1", ts: 1002, event: "release", args: { c: 3 } },
 * );
 * const report = await replay([{ name: "a.log", stream: a }, { name: "b.log", stream: b }], { specs: [spec], mapping });
 * const unmapped: readonly UnmappedLine[] = report.unmapped;
 * assert.deepEqual(unmapped.map((u) => [u.file, u.line]), [["a.log", 2]]);
 * ```
 */
export interface UnmappedLine extends LineRef {
  /** Why the line could not be mapped, e.g. a missing field. */
  readonly reason: string;
  /** Node id, when the line got that far. */
  readonly node?: string;
  /** Instance key, when the line got that far. */
  readonly key?: string;
}

/**
 * A line older than the reorder window allows: processed out of order.
 *
 * @example A line 2 s older than its file's newest
 * ```ts
 * import assert from "node:assert/strict";
 * import type { OutOfWindowLine } from "./report_types.ts";
 * const line: OutOfWindowLine = { file: "a.log", line: 9, node: "api-1", key: "l1", behindMs: 2_000 };
 * assert.ok(line.behindMs > 500); // the default window
 * ```
 */
export interface OutOfWindowLine extends LineRef {
  /** Node id of the line. */
  readonly node: string;
  /** Instance key of the line. */
  readonly key: string;
  /** How far (ms) it lies behind the newest line already released from its file. */
  readonly behindMs: number;
}

/**
 * A partition (spec, key) and its verdict.
 *
 * @example The lock's verdict
 * ```ts
 * import assert from "node:assert/strict";
 * import type { ReplayPartition } from "./report_types.ts";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { parseMapping } from "./mapping.ts";
 * import { replay } from "./replay.ts";
 * const spec = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const mapping = parseMapping({ node: "host", key: "lock", time: "ts", action: "event", args: "args" });
 * const log = (...lines: unknown[]) =>
 *   new Blob([lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n") + "\n"]).stream();
 * const a = log({ host: "api-1", lock: "l1", ts: 1000, event: "acquire", args: { c: 1 } }, "not json");
 * const b = log(
 *   { host: "api-2", lock: "l1", ts: 1001, event: "acquire", args: { c: 2 } },
 *   { host: "api-2", lock: "l1", ts: 1002, event: "release", args: { c: 3 } },
 * );
 * const report = await replay([{ name: "a.log", stream: a }, { name: "b.log", stream: b }], { specs: [spec], mapping });
 * const [p]: readonly ReplayPartition[] = report.partitions;
 * assert.deepEqual([p?.key, p?.status, p?.nodes], ["l1", "violated", ["api-1", "api-2"]]);
 * ```
 */
export interface ReplayPartition {
  /** The spec's name, e.g. `Lease`. */
  readonly specName: string;
  /** The instance key, e.g. `lock:orders`. */
  readonly key: string;
  /** `violated`; `unknown` when a participant's lines could not all be mapped (a hole); else `ok`. */
  readonly status: PartitionStatus;
  /** Nodes whose lines stepped this partition. */
  readonly nodes: readonly string[];
  /** Steps applied in this partition. */
  readonly events: number;
  /** Violations found in this partition. */
  readonly violations: number;
}

/**
 * Counts over the whole replay.
 *
 * @example Counts over both files
 * ```ts
 * import assert from "node:assert/strict";
 * import type { ReplaySummary } from "./report_types.ts";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { parseMapping } from "./mapping.ts";
 * import { replay } from "./replay.ts";
 * const spec = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const mapping = parseMapping({ node: "host", key: "lock", time: "ts", action: "event", args: "args" });
 * const log = (...lines: unknown[]) =>
 *   new Blob([lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n") + "\n"]).stream();
 * const a = log({ host: "api-1", lock: "l1", ts: 1000, event: "acquire", args: { c: 1 } }, "not json");
 * const b = log(
 *   { host: "api-2", lock: "l1", ts: 1001, event: "acquire", args: { c: 2 } },
 *   { host: "api-2", lock: "l1", ts: 1002, event: "release", args: { c: 3 } },
 * );
 * const report = await replay([{ name: "a.log", stream: a }, { name: "b.log", stream: b }], { specs: [spec], mapping });
 * const s: ReplaySummary = report.summary;
 * assert.deepEqual([s.files, s.lines, s.mapped, s.unmapped, s.violations], [2, 4, 3, 1, 2]);
 * ```
 */
export interface ReplaySummary {
  /** Log files read. */
  readonly files: number;
  /** Bytes read over all files. */
  readonly bytes: number;
  /** Every line read, blank ones included. */
  readonly lines: number;
  /** Blank lines. */
  readonly blank: number;
  /** Lines the mapping's `where` excludes. */
  readonly filtered: number;
  /** Lines mapped to a step. */
  readonly mapped: number;
  /** Lines that could not be mapped (see `unmapped`). */
  readonly unmapped: number;
  /** Mapped lines released out of order (older than the window allows). */
  readonly outOfWindow: number;
  /** Steps checked (mapped lines minus those whose observed state could not be read). */
  readonly events: number;
  /** (node, key) instances stepped. */
  readonly instances: number;
  /** Partitions (spec, key) seen. */
  readonly partitions: number;
  /** Partitions whose verdict is `ok`. */
  readonly partitionsOk: number;
  /** Partitions with a violation. */
  readonly partitionsViolated: number;
  /** Partitions whose verdict is unknown because of holes (unmapped lines, log sequence gaps). */
  readonly partitionsUnknown: number;
  /** Missing numbers of the logs' own sequence numbers (when mapped). */
  readonly sequenceGaps: number;
  /** Dependencies recorded between nodes (from `stamp`, and from `receives` matched to `sends`). */
  readonly dependencies: number;
  /** Message ids received whose send was not read within the wait (or never sent): no dependency recorded. */
  readonly unmatchedReceives: number;
  /** Violations found (all of them, listed or not). */
  readonly violations: number;
  /** Violations by kind (`guard_failed`, `divergence`, `invariant`, ...). */
  readonly byKind: Readonly<Record<string, number>>;
  /** Wall-clock seconds the replay took. */
  readonly seconds: number;
  /** Lines read per second. */
  readonly linesPerSecond: number;
}

/**
 * Everything `replay` found.
 *
 * @example The report is plain JSON
 * ```ts
 * import assert from "node:assert/strict";
 * import type { ReplayReport } from "./report_types.ts";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { parseMapping } from "./mapping.ts";
 * import { replay } from "./replay.ts";
 * const spec = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const mapping = parseMapping({ node: "host", key: "lock", time: "ts", action: "event", args: "args" });
 * const log = (...lines: unknown[]) =>
 *   new Blob([lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n") + "\n"]).stream();
 * const a = log({ host: "api-1", lock: "l1", ts: 1000, event: "acquire", args: { c: 1 } }, "not json");
 * const b = log(
 *   { host: "api-2", lock: "l1", ts: 1001, event: "acquire", args: { c: 2 } },
 *   { host: "api-2", lock: "l1", ts: 1002, event: "release", args: { c: 3 } },
 * );
 * const report = await replay([{ name: "a.log", stream: a }, { name: "b.log", stream: b }], { specs: [spec], mapping });
 * const copy: ReplayReport = JSON.parse(JSON.stringify(report));
 * assert.deepEqual(copy.summary.byKind, { guard_failed: 1, invariant: 1 });
 * ```
 */
export interface ReplayReport {
  /** Counts over the whole replay. */
  readonly summary: ReplaySummary;
  /**
   * Violations in the canonical order (`canonical_order.ts`: by the merged position of the line
   * that showed them), the first `maxListed`; `summary.violations` counts all.
   */
  readonly violations: readonly ReplayViolation[];
  /** Unmapped lines by file and line, the first `maxListed` (the summary counts all). */
  readonly unmapped: readonly UnmappedLine[];
  /** Unmapped lines by reason, reasons with their variable parts generalized (all lines counted). */
  readonly unmappedReasons: Readonly<Record<string, number>>;
  /** Lines processed out of order, by file and line, the first `maxListed`. */
  readonly outOfWindow: readonly OutOfWindowLine[];
  /** Every partition and its verdict. */
  readonly partitions: readonly ReplayPartition[];
}
