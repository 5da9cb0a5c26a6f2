/**
 * Findings read off the per-action verdict counts of an exploration:
 * actions never enabled and requires never false.
 *
 * @module
 */
import type { Program } from "../ir.ts";
import type { ArgTuples } from "./domains.ts";
import type { DeadGuard, NeverEnabled } from "./report.ts";
import { CLASS_AFTER_REQUIRES, classifyCodes } from "./verdict_classes.ts";

/** Actions that no transition enabled, from the per-action verdict counts. */
export function neverEnabled(
  program: Program,
  codeCounts: readonly Uint32Array[],
  tuples: readonly ArgTuples[],
): NeverEnabled[] {
  const out: NeverEnabled[] = [];
  program.actions.forEach((a, i) => {
    const classes = classifyCodes(program, a);
    const counts = codeCounts[i]!;
    let enabled = 0;
    counts.forEach((c, code) => {
      if (classes[code] === CLASS_AFTER_REQUIRES) enabled += c;
    });
    if (enabled === 0) out.push({ action: a.name, line: a.range.line, tuples: tuples[i]!.count });
  });
  return out;
}

/** Requires never false, from the per-action verdict counts. */
export function deadGuards(program: Program, codeCounts: readonly Uint32Array[]): DeadGuard[] {
  const out: DeadGuard[] = [];
  program.actions.forEach((a, i) => {
    const classes = classifyCodes(program, a);
    const counts = codeCounts[i]!;
    a.requires.forEach((r, j) => {
      let evaluations = 0;
      counts.forEach((c, code) => {
        const cls = classes[code]!;
        if (cls === CLASS_AFTER_REQUIRES || cls >= j) evaluations += c;
      });
      if (counts[r.code] !== 0) return;
      out.push({
        action: a.name,
        text: r.text,
        line: r.range.line,
        column: r.range.column,
        evaluations,
      });
    });
  });
  return out;
}
