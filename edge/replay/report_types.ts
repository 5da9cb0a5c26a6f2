/**
 * What `replay` reports: violations pointing at log lines (file and line
 * number), lines that could not be mapped, lines out of the reorder window,
 * partitions and a summary. Plain JSON (`--json` prints a
 * {@link ReplayReport} as is).
 *
 * @module
 */
import type { StateView } from "../../lib/abi/compiled.ts";
import type { CutEntry, PartitionStatus } from "../engine/types.ts";

/** A line of a log file (1-based). */
export interface LineRef {
  readonly file: string;
  readonly line: number;
}

/** A line that led to a violation: where it is, and the step it mapped to when known. */
export interface ReplayLine extends LineRef {
  readonly node: string;
  /** The step's number in the node's stream (per spec, in merged order, from 0). */
  readonly seq: number;
  readonly action?: string;
  readonly args?: Readonly<Record<string, unknown>>;
  /** Local verdict kind of the step (`ok`, `guard_failed`, `divergence`, ...). */
  readonly verdict?: string;
  readonly wall?: number;
  readonly logical?: number;
  /** Applied after something later in its partition (out-of-window or merged late). */
  readonly late?: boolean;
}

/** One variable whose observed value differs from the spec's next state. */
export interface ReplayDivergence {
  readonly variable: string;
  readonly expected: unknown;
  readonly actual: unknown;
}

/** The spec item a violation names. */
export interface ViolatedItem {
  /** `action acquire`, `invariant TokenNeverGoesBack`, `global invariant OneHolder`, ... */
  readonly item: string;
  /** What failed in the spec's words (`require mode == free`), or the property name. */
  readonly detail: string;
  readonly line: number;
  readonly column: number;
}

/** A participant of a global violation's cut, with the line that produced its state. */
export interface ReplayCutEntry extends CutEntry {
  readonly at: LineRef | null;
}

/** A violation found in the logs. */
export interface ReplayViolation {
  /** `local`: one instance's step (a refused transition, a divergence); `global`: across nodes. */
  readonly scope: "local" | "global";
  /** Local: `guard_failed`, `invariant_failed`, `range_violation`, `bad_argument`, `arith_error`, `divergence`; global: `invariant`, `liveness_timeout`. */
  readonly kind: string;
  readonly specName: string;
  readonly key: string;
  /** Nodes involved (local: the one node). */
  readonly nodes: readonly string[];
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
}

/** A line that could not be mapped to a step (never dropped silently). */
export interface UnmappedLine extends LineRef {
  readonly reason: string;
  readonly node?: string;
  readonly key?: string;
}

/** A line older than the reorder window allows: processed out of order. */
export interface OutOfWindowLine extends LineRef {
  readonly node: string;
  readonly key: string;
  /** How far (ms) it lies behind the newest line already released from its file. */
  readonly behindMs: number;
}

/** A partition (spec, key) and its verdict. */
export interface ReplayPartition {
  readonly specName: string;
  readonly key: string;
  /** `violated`; `unknown` when a participant's lines could not all be mapped (a hole); else `ok`. */
  readonly status: PartitionStatus;
  readonly nodes: readonly string[];
  readonly events: number;
  readonly violations: number;
}

/** Counts over the whole replay. */
export interface ReplaySummary {
  readonly files: number;
  readonly bytes: number;
  /** Every line read, blank ones included. */
  readonly lines: number;
  readonly blank: number;
  /** Lines the mapping's `where` excludes. */
  readonly filtered: number;
  readonly mapped: number;
  readonly unmapped: number;
  /** Mapped lines released out of order (older than the window allows). */
  readonly outOfWindow: number;
  /** Steps checked (mapped lines minus those whose observed state could not be read). */
  readonly events: number;
  /** (node, key) instances stepped. */
  readonly instances: number;
  readonly partitions: number;
  readonly partitionsOk: number;
  readonly partitionsViolated: number;
  /** Partitions whose verdict is unknown because of holes (unmapped lines, log sequence gaps). */
  readonly partitionsUnknown: number;
  /** Missing numbers of the logs' own sequence numbers (when mapped). */
  readonly sequenceGaps: number;
  readonly violations: number;
  /** Violations by kind (`guard_failed`, `divergence`, `invariant`, ...). */
  readonly byKind: Readonly<Record<string, number>>;
  readonly seconds: number;
  readonly linesPerSecond: number;
}

/** Everything `replay` found. */
export interface ReplayReport {
  readonly summary: ReplaySummary;
  /** Violations in the order found (at most `maxListed`; `summary.violations` counts all). */
  readonly violations: readonly ReplayViolation[];
  /** Unmapped lines (at most `maxListed`; the summary counts all). */
  readonly unmapped: readonly UnmappedLine[];
  /** Unmapped lines by reason, reasons with their variable parts generalized (all lines counted). */
  readonly unmappedReasons: Readonly<Record<string, number>>;
  readonly outOfWindow: readonly OutOfWindowLine[];
  readonly partitions: readonly ReplayPartition[];
}
