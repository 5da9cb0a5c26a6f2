/**
 * The human-readable report of a replay: the summary first, then each
 * violation with the log lines that led to it (file:line, node, step,
 * verdict), the cut of a global violation, unmapped and out-of-window
 * lines. Long lists are cut at `maxShown` with the number left out (the
 * JSON report lists up to `maxListed`, and the summary counts everything).
 *
 * @module
 */
import type { ReplayLine, ReplayReport, ReplayViolation } from "./report_types.ts";

/**
 * Options of {@link formatReport}.
 *
 * @example Show at most one item per list
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatReport, type FormatOptions } from "./report.ts";
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
 * const options: FormatOptions = { maxShown: 1 };
 * const text = formatReport(report, options);
 * assert.match(text, /guard_failed/);
 * ```
 */
export interface FormatOptions {
  /** Items shown per list (violations, unmapped lines, ...). Default 20. */
  readonly maxShown?: number;
}

/** A value as both reports show it (text and HTML): strings bare, objects as `{ k: v, ... }`. */
export function show(v: unknown): string {
  if (typeof v === "string") return v;
  if (v !== null && typeof v === "object") {
    return `{ ${Object.entries(v).map(([k, x]) => `${k}: ${show(x)}`).join(", ")} }`;
  }
  return String(v);
}

/** A line's step as both reports show it, `acquire(c: 1)`; "" for a line without an action. */
export function stepCall(l: ReplayLine): string {
  if (l.action === undefined) return "";
  const args = Object.entries(l.args ?? {}).map(([k, x]) => `${k}: ${show(x)}`).join(", ");
  return `${l.action}(${args})`;
}

function step(l: ReplayLine): string {
  if (l.action === undefined) return "";
  const late = l.late ? " (late)" : "";
  return `${stepCall(l)} ${l.verdict ?? ""}${late}`;
}

function lineTable(lines: readonly ReplayLine[], at: string | null): string[] {
  const where = lines.map((l) => `${l.file}:${l.line}`);
  const width = Math.max(...where.map((w) => w.length), 0);
  return lines.map((l, i) => {
    const mark = where[i] === at && i === lines.length - 1 ? "  <- violating line" : "";
    return `      ${where[i]!.padEnd(width)}  ${l.node} #${l.seq}  ${step(l)}${mark}`.trimEnd();
  });
}

function violationText(v: ReplayViolation, n: number): string[] {
  const at = v.at === null ? null : `${v.at.file}:${v.at.line}`;
  const out = [`  ${n}. ${v.message}`];
  const notes = [
    v.outOfWindow ? "the violating line was out of the reorder window" : "",
    v.incomplete ? "a participant had unmapped lines: the verdict may rest on a hole" : "",
  ].filter((x) => x !== "");
  for (const note of notes) out.push(`     note: ${note}`);
  for (const d of v.divergences ?? []) {
    out.push(`     ${d.variable}: spec ${show(d.expected)}, observed ${show(d.actual)}`);
  }
  if (v.before !== undefined) out.push(`     state before: ${show(v.before)}`);
  out.push(v.scope === "local" ? "     lines of this instance:" : "     merged history:");
  out.push(...lineTable(v.lines, at));
  if (v.cut !== undefined) {
    out.push("     cut (each node's latest state):");
    for (const c of v.cut) {
      const where = c.at === null ? "" : ` from ${c.at.file}:${c.at.line}`;
      out.push(`      ${c.node}${where}: ${show(c.state)}`);
    }
  }
  return out;
}

function more(total: number, shown: number, what: string): string[] {
  return total > shown ? [`  ... and ${total - shown} more ${what} (see --json)`] : [];
}

/**
 * Formats a report for a terminal.
 *
 * @example Print a report
 * ```ts ignore
 * console.log(formatReport(await replay(sources, { specs, mapping })));
 * ```
 */
export function formatReport(r: ReplayReport, options: FormatOptions = {}): string {
  const max = options.maxShown ?? 20;
  const s = r.summary;
  const out: string[] = [];
  const kinds = Object.entries(s.byKind).map(([k, n]) => `${n} ${k}`).join(", ");
  out.push(
    `replay: ${s.files} file(s), ${s.lines} lines (${s.mapped} mapped, ${s.filtered} filtered, ` +
      `${s.unmapped} unmapped, ${s.blank} blank), ${s.events} events, ${s.instances} instances`,
    `partitions: ${s.partitions} (${s.partitionsOk} ok, ${s.partitionsViolated} violated, ` +
      `${s.partitionsUnknown} unknown)` +
      (s.outOfWindow > 0 ? `; ${s.outOfWindow} line(s) out of the reorder window` : "") +
      (s.sequenceGaps > 0 ? `; ${s.sequenceGaps} line(s) missing by sequence number` : ""),
    ...(s.dependencies + s.unmatchedReceives > 0
      ? [
        `causality: ${s.dependencies} dependencies between nodes` +
        (s.unmatchedReceives > 0
          ? `; ${s.unmatchedReceives} message(s) received whose send was not read in time (no dependency: widen --window or log stamps)`
          : ""),
      ]
      : []),
    `violations: ${s.violations}${kinds === "" ? "" : ` (${kinds})`}`,
    `time: ${s.seconds.toFixed(3)} s (${s.linesPerSecond} lines/s)`,
  );
  if (s.events === 0) {
    out.push("note: no line was mapped to a step, so nothing was checked (see the mapping)");
  }
  if (r.violations.length > 0) {
    out.push("", "Violations:");
    r.violations.slice(0, max).forEach((v, i) => out.push(...violationText(v, i + 1)));
    out.push(...more(s.violations, Math.min(max, r.violations.length), "violations"));
  }
  if (r.unmapped.length > 0) {
    out.push("", "Unmapped lines:");
    for (const u of r.unmapped.slice(0, max)) out.push(`  ${u.file}:${u.line}: ${u.reason}`);
    out.push(...more(s.unmapped, Math.min(max, r.unmapped.length), "unmapped lines"));
  }
  if (r.outOfWindow.length > 0) {
    out.push("", "Out-of-window lines (processed out of order):");
    for (const l of r.outOfWindow.slice(0, max)) {
      out.push(
        `  ${l.file}:${l.line}: ${l.behindMs} ms behind lines already checked (${l.node}, '${l.key}')`,
      );
    }
    out.push(...more(s.outOfWindow, Math.min(max, r.outOfWindow.length), "lines"));
  }
  const unknown = r.partitions.filter((p) => p.status === "unknown");
  if (unknown.length > 0) {
    out.push("", "Unknown partitions (lines missing or unmapped):");
    for (const p of unknown.slice(0, max)) {
      out.push(`  ${p.specName}/${p.key} (nodes ${p.nodes.join(", ")})`);
    }
    out.push(...more(unknown.length, Math.min(max, unknown.length), "partitions"));
  }
  return out.join("\n");
}
