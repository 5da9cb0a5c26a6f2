/**
 * The human-readable form of a {@link ExploreReport}: counts, then each
 * violation, deadlock and liveness lasso as a table (step, action,
 * arguments, state after), then never-enabled actions and dead guards.
 *
 * @module
 */
import { showValue, type Valuation } from "./valuation.ts";
import type { GrowthStop } from "./growth.ts";
import type { NodesReport, NodeTraceStep } from "./nodes.ts";
import { type ExploreReport, failed, incomplete, type TraceStep } from "./report.ts";

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

/**
 * Renders the rows of a trace over several nodes: the node that moved, its
 * action and arguments, then each node's state (`n0: ... | n1: ...`).
 *
 * @example Render two nodes
 * ```ts
 * import assert from "node:assert/strict";
 * import { nodeTraceTable } from "./format.ts";
 * const text = nodeTraceTable([{ step: 0, node: null, action: null, args: {}, states: [{ on: false }, { on: true }] }]);
 * assert.ok(text.includes("n0: on=false | n1: on=true"));
 * ```
 */
export function nodeTraceTable(rows: readonly NodeTraceStep[], first = "(initial)"): string {
  const cells = rows.map((r) => [
    String(r.step),
    r.node === null ? "" : `n${r.node}`,
    r.action ?? first,
    showArgs(r.args),
    r.states.map((st, i) => `n${i}: ${showState(st)}`).join(" | "),
  ]);
  const header = ["step", "node", "action", "arguments", "states after"];
  const widths = header.map((h, c) => Math.max(h.length, ...cells.map((row) => row[c]!.length)));
  const line = (row: readonly string[]) =>
    "  " + row.map((cell, c) => c === 4 ? cell : cell.padEnd(widths[c]!)).join("  ").trimEnd();
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
  const bounded = r.bounds.length === 0 ? "" : " within the bounds";
  if (r.complete) lines.push(`complete: every reachable state${bounded} was explored`);
  else if (r.growth !== null) lines.push(...growthLines(r.growth));
  else {
    const why = r.cutBy === "max-states" ? "--max-states" : "--max-depth";
    lines.push(
      `INCOMPLETE: ${why} cut the search; states beyond the bound were not explored, ` +
        `so the absence of errors below proves nothing about them`,
    );
  }
  if (r.bounds.length > 0) {
    const list = r.bounds.map((b) => `${b.variable} in ${b.lo}..${b.hi}`).join(", ");
    lines.push(
      `bounded: ${list}; ${r.outOfBounds} states outside the bounds were reached and checked ` +
        `but not expanded, so the report speaks of the states within them only`,
    );
  }
  if (r.constants.length > 0) {
    const list = r.constants.map((c) => `${c.name} = ${c.value} (the spec says ${c.was ?? "?"})`);
    lines.push(`constants: ${list.join(", ")}; the report is about this model`);
  }
  if (r.crossChecked) lines.push("cross-check: the interpreter agreed on every transition");
  return lines;
}

function growthLines(g: GrowthStop): string[] {
  const names = g.variables.map((v) => `'${v.name}'`).join(" and ");
  const one = g.variables.length === 1;
  const lines = [
    `INCOMPLETE: stopped after ${g.states} distinct states: ${names} ` +
    `${one ? "keeps" : "keep"} growing with depth (${one ? "it" : "each"} reached a new ` +
    `largest value in the third and in the last quarter of the ${g.level} levels), so the ` +
    `state space is probably infinite`,
  ];
  for (const v of g.variables) {
    const samples = v.samples.map((s) => `${s.max} at level ${s.level}`).join(", ");
    lines.push(`  ${v.name}: largest absolute value ${samples}`);
  }
  const first = g.variables[0]!.name;
  lines.push(
    `  to finish, bound it: give it a range type (state ${first}: 0..10), or explore only ` +
      `the states within a bound (--bound ${first}=10), or set a limit (--max-states N); ` +
      `--no-growth-stop explores on`,
    `  the absence of errors below says nothing about the states beyond level ${g.level}`,
  );
  return lines;
}

function itemLines(r: ExploreReport): string[] {
  if (r.items.length === 0) return [];
  const header = incomplete(r) ? "items (in the states explored only):" : "items:";
  const lines = ["", header];
  for (const item of r.items) {
    const where = item.line === null ? "" : ` (line ${item.line})`;
    const status = item.checked ? "checked    " : "NOT CHECKED";
    lines.push(`  ${status}  ${item.item}${where}: ${item.how}`);
  }
  for (const t of r.terminals) {
    const note = t.states === 0
      ? "never held in a state without enabled actions"
      : `${t.states} end states where no action is enabled`;
    const error = t.error === null ? "" : `; arithmetic error (counted as false): ${t.error}`;
    lines.push(`  terminal     ${t.item} (line ${t.line}): ${note}${error}`);
  }
  return lines;
}

function nodesLines(n: NodesReport): string[] {
  const out = [
    "",
    `global items over ${n.nodes} monitors: ${n.distinctStates} distinct states (up to a ` +
    `renaming of the nodes), ${n.statesGenerated} states generated, depth ${n.depth}, ` +
    `${(n.exploreMs / 1000).toFixed(2)} s`,
  ];
  if (n.complete) out.push("complete: every reachable combination of the monitors was explored");
  else if (n.growth !== null) out.push(...growthLines(n.growth));
  else {
    const why = n.cutBy === "max-states" ? "--max-states" : "--max-depth";
    out.push(`INCOMPLETE: ${why} cut the search over ${n.nodes} monitors`);
  }
  for (const v of n.violations) {
    out.push(
      "",
      `VIOLATION ${v.kind} in ${v.item} over ${n.nodes} monitors: ${v.detail} (line ${v.line}:${v.column})`,
      `shortest counterexample, ${v.trace.length - 1} steps (each monitor follows the spec on ` +
        `its own; the spec alone does not rule this out):`,
      nodeTraceTable(v.trace),
    );
  }
  for (const l of n.liveness) {
    out.push(
      "",
      `LIVENESS ${l.item} (line ${l.line}:${l.column}) violated over ${n.nodes} monitors by a cycle that avoids Q:`,
      `prefix (the 'when' predicate holds at step ${l.whenStep}):`,
      nodeTraceTable(l.prefix),
      "cycle (repeats forever; its last state is its first, up to a renaming of the nodes):",
      nodeTraceTable(l.cycle, "(cycle start)"),
    );
  }
  return out;
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
  if (r.nodes !== null) out.push(...nodesLines(r.nodes));
  out.push(...itemLines(r));
  const unchecked = r.items.filter((i) => !i.checked).length;
  const tail = unchecked === 0 ? "" : `; ${unchecked} items NOT CHECKED (listed above)`;
  const verdict = failed(r)
    ? "errors found"
    : incomplete(r)
    ? "no errors found in the states explored, but the search is INCOMPLETE"
    : "no errors found";
  out.push("", verdict + tail);
  return out.join("\n");
}
