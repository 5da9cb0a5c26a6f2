/**
 * What `vigil collector` prints on standard output while it runs: its
 * start line, one line per violation as it is raised, its stop line. Human
 * lines by default; with `--log json` one JSON object per line, each with
 * `time` (ISO) and `type` (`listening`, `violation`, `stopping`), for a log
 * pipeline. Warnings and refusal lines go to standard error as text.
 *
 * A violation line names the time it was detected, the spec, the property
 * and its line in the spec, the instance key and the nodes involved:
 *
 * ```text
 * 2026-01-01T12:00:00.000Z VIOLATION Lease global invariant OneHolder (line 33) key 'lock:1' nodes api-1, api-2
 * ```
 *
 * @module
 */
import type { Violation } from "../../edge/engine/types.ts";

/** `human` (default) or `json`. */
export type LogFormat = "human" | "json";

/** The formats `--log` accepts. */
export const LOG_FORMATS: readonly LogFormat[] = ["human", "json"];

/** The JSON object of one violation line. */
export interface ViolationRecord {
  readonly time: string;
  readonly type: "violation";
  readonly id: string;
  readonly spec: string;
  readonly specHash: string;
  /** `global invariant`, `global liveness`, ... */
  readonly item: string;
  /** The property's name. */
  readonly property: string;
  readonly line: number;
  readonly column: number;
  /** The instance key (the partition). */
  readonly key: string;
  readonly nodes: readonly string[];
  /** HLC wall time (ms) of the event after which it failed. */
  readonly eventWall: number;
  /** True when the cut may be stale (a hole, or a state that did not convert). */
  readonly incomplete: boolean;
  readonly message: string;
}

/**
 * The JSON record of a violation.
 *
 * @example Fields of a violation line
 * ```ts
 * import assert from "node:assert/strict";
 * import { violationRecord } from "./log.ts";
 * import type { Violation } from "../../edge/engine/types.ts";
 * const v = {
 *   id: "ab12:lock:1:1", kind: "invariant", specName: "Lease", spec: "ab12", partition: "lock:1",
 *   property: { item: "global invariant", name: "OneHolder", code: 9, line: 33, column: 3, detail: "" },
 *   at: { wall: 1_000, logical: 0 }, detectedAt: 0, nodes: ["api-1", "api-2"], cut: [], history: [],
 *   incomplete: false, message: "Lease: global invariant OneHolder (line 33:3) violated in 'lock:1' by api-1, api-2",
 * } satisfies Violation;
 * const r = violationRecord(v);
 * assert.equal(r.time, "1970-01-01T00:00:00.000Z");
 * assert.deepEqual([r.spec, r.property, r.line, r.key, r.nodes], ["Lease", "OneHolder", 33, "lock:1", ["api-1", "api-2"]]);
 * ```
 */
export function violationRecord(v: Violation): ViolationRecord {
  return {
    time: new Date(v.detectedAt).toISOString(),
    type: "violation",
    id: v.id,
    spec: v.specName,
    specHash: v.spec,
    item: v.property.item,
    property: v.property.name,
    line: v.property.line,
    column: v.property.column,
    key: v.partition,
    nodes: [...v.nodes],
    eventWall: v.at.wall,
    incomplete: v.incomplete,
    message: v.message,
  };
}

/**
 * One line for a violation in `format`.
 *
 * @example A human line and a JSON line
 * ```ts
 * import assert from "node:assert/strict";
 * import { violationLine } from "./log.ts";
 * import type { Violation } from "../../edge/engine/types.ts";
 * const v = {
 *   id: "ab12:lock:1:1", kind: "invariant", specName: "Lease", spec: "ab12", partition: "lock:1",
 *   property: { item: "global invariant", name: "OneHolder", code: 9, line: 33, column: 3, detail: "" },
 *   at: { wall: 1_000, logical: 0 }, detectedAt: 0, nodes: ["api-1", "api-2"], cut: [], history: [],
 *   incomplete: true, message: "",
 * } satisfies Violation;
 * assert.equal(
 *   violationLine(v, "human"),
 *   "1970-01-01T00:00:00.000Z VIOLATION Lease global invariant OneHolder (line 33) key 'lock:1' nodes api-1, api-2 (incomplete: a stream had a hole or a state did not convert)",
 * );
 * assert.equal(JSON.parse(violationLine(v, "json")).property, "OneHolder");
 * ```
 */
export function violationLine(v: Violation, format: LogFormat): string {
  const r = violationRecord(v);
  if (format === "json") return JSON.stringify(r);
  const incomplete = r.incomplete
    ? " (incomplete: a stream had a hole or a state did not convert)"
    : "";
  return `${r.time} VIOLATION ${r.spec} ${r.item} ${r.property} (line ${r.line}) key '${r.key}' ` +
    `nodes ${r.nodes.join(", ")}${incomplete}`;
}

/** A start or stop line: its type, its fields, and its human text. */
export interface LogEvent {
  /** `listening`, `stopping`. */
  readonly type: string;
  /** The JSON fields besides `time` and `type`. */
  readonly fields: Readonly<Record<string, unknown>>;
  /** The human line. */
  readonly text: string;
  /** Default now. */
  readonly at?: Date;
}

/**
 * A start or stop line: the text as given (human), or a JSON object of
 * its type and fields with the time.
 *
 * @example The start line in both formats
 * ```ts
 * import assert from "node:assert/strict";
 * import { eventLine } from "./log.ts";
 * const e = { type: "listening", fields: { url: "u" }, text: "listening on u", at: new Date(0) };
 * assert.equal(eventLine("human", e), "listening on u");
 * assert.deepEqual(JSON.parse(eventLine("json", e)), { time: "1970-01-01T00:00:00.000Z", type: "listening", url: "u" });
 * ```
 */
export function eventLine(format: LogFormat, event: LogEvent): string {
  if (format === "human") return event.text;
  const time = (event.at ?? new Date()).toISOString();
  return JSON.stringify({ time, type: event.type, ...event.fields });
}
