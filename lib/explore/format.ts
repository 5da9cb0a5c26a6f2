/**
 * The human-readable form of a {@link ExploreReport}: counts, then each
 * violation, deadlock and liveness lasso as a table (step, action,
 * arguments, state after), then never-enabled actions and dead guards.
 *
 * @module
 */
import { showValue, type Valuation } from "./valuation.ts";
import type { ExploreReport, TraceStep } from "./report.ts";

function showArgs(args: Valuation): string {
  return Object.entries(args).map(([k, v]) => `${k}=${showValue(v)}`).join(", ");
}

function showState(state: Valuation | null): string {
  if (state === null) return "(no state: the step failed)";
  return Object.entries(state).map(([k, v]) => `${k}=${showValue(v)}`).join("  ");
}

/**
 * Renders trace rows as an aligned table.
 *
 * @example Render a trace
 * ```ts
 * import assert from "node:assert/strict";
 * import { traceTable } from "./format.ts";
 * const text = traceTable([{ step: 0, action: null, args: {}, state: { on: false } }]);
 * assert.ok(text.includes("(initial)") && text.includes("on=false"));
 * ```
 */
export function traceTable(rows: readonly TraceStep[], first = "(initial)"): string {
  const cells = rows.map((r) => [
    String(r.step),
    r.action ?? first,
    showArgs(r.args),
    showState(r.state),
  ]);
  const header = ["step", "action", "arguments", "state after"];
  const widths = header.map((h, c) => Math.max(h.length, ...cells.map((row) => row[c]!.length)));
  const line = (row: readonly string[]) =>
    "  " + row.map((cell, c) => c === 3 ? cell : cell.padEnd(widths[c]!)).join("  ").trimEnd();
  return [line(header), ...cells.map(line)].join("\n");
}

function rate(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e4 ? `${(n / 1e3).toFixed(1)}k` : String(n);
}

function summary(r: ExploreReport): string[] {
  const lines = [
    `spec ${r.spec}: ${r.distinctStates} distinct states, ${r.statesGenerated} states generated, ` +
    `depth ${r.depth} (diameter ${r.diameter})`,
    `${r.transitionsTried} transitions tried in ${(r.exploreMs / 1000).toFixed(2)} s ` +
    `(${rate(r.statesPerSecond)} distinct states/s; ${(r.elapsedMs / 1000).toFixed(2)} s in all)`,
  ];
  if (r.complete) lines.push("complete: every reachable state was explored");
  else {
    const why = r.cutBy === "max-states" ? "--max-states" : "--max-depth";
    lines.push(
      `INCOMPLETE: ${why} cut the search; states beyond the bound were not explored, ` +
        `so the absence of errors below proves nothing about them`,
    );
  }
  if (r.crossChecked) lines.push("cross-check: the interpreter agreed on every transition");
  return lines;
}

/**
 * Renders the whole report.
 *
 * @example Print a report
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatReport } from "./format.ts";
 * import { exploreSource } from "./model_checker.ts";
 * const { report } = exploreSource("spec T state on: bool = false action flip on := not on");
 * assert.ok(formatReport(report!).includes("2 distinct states"));
 * ```
 */
export function formatReport(r: ExploreReport): string {
  const out = summary(r);
  for (const v of r.violations) {
    out.push("", `VIOLATION ${v.kind} in ${v.item}: ${v.detail} (line ${v.line}:${v.column})`);
    out.push(`shortest counterexample, ${v.trace.length - 1} steps:`, traceTable(v.trace));
  }
  for (const d of r.deadlocks) {
    out.push("", `DEADLOCK: no action is enabled after ${d.trace.length - 1} steps:`);
    out.push(traceTable(d.trace));
  }
  if (r.deadlockCount > r.deadlocks.length) {
    out.push(`(${r.deadlockCount} deadlocked states in all; the shortest are shown)`);
  }
  for (const l of r.liveness) {
    out.push(
      "",
      `LIVENESS ${l.item} (line ${l.line}:${l.column}) violated by a cycle that avoids Q:`,
    );
    out.push(`prefix (the 'when' predicate holds at step ${l.whenStep}):`, traceTable(l.prefix));
    out.push("cycle (repeats forever; its last state is its first):");
    out.push(traceTable(l.cycle, "(cycle start)"));
  }
  if (r.neverEnabled.length > 0) out.push("", "actions never enabled:");
  for (const n of r.neverEnabled) {
    out.push(`  ${n.action} (line ${n.line}, ${n.tuples} argument tuples)`);
  }
  if (r.deadGuards.length > 0) out.push("", "requires never false (dead guards):");
  for (const g of r.deadGuards) {
    const note = g.evaluations === 0
      ? "never evaluated"
      : `held in all ${g.evaluations} evaluations`;
    out.push(`  action ${g.action}: ${g.text} (line ${g.line}): ${note}`);
  }
  const failures = r.violations.length + r.liveness.length + r.deadlockCount;
  out.push("", failures === 0 ? "no errors found" : "errors found");
  return out.join("\n");
}
