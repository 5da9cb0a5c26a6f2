/**
 * What a step's verdict code says to the explorer. Per action, each code is
 * classified once from the IR: an argument outside its type, a `require`
 * that was false or failed arithmetically (with the require's index), or a
 * failure after the requires held (range, arithmetic in an assignment,
 * invariant). The step evaluates requires in order, so a verdict also tells
 * which requires were evaluated.
 *
 * @module
 */
import type { IAction, IExpr, Program } from "../ir.ts";
import type { VerdictKind } from "../abi/verdict_codes.ts";

/** The class of a code that comes from the arguments (`bad_argument`). */
export const CLASS_ARGUMENT = -2;
/** The class of `ok` and of failures after every require held. */
export const CLASS_AFTER_REQUIRES = -1;

/** The verdict kinds that are violations of the spec when an explored step returns them. */
export const VIOLATION_KINDS: ReadonlySet<VerdictKind> = new Set([
  "invariant_failed",
  "range_violation",
  "arith_error",
]);

function collectCodes(e: IExpr, out: number[]): void {
  switch (e.kind) {
    case "const":
    case "slot":
    case "param":
    case "local":
    case "nodeSlot":
      return;
    case "map":
    case "nodeMap":
      out.push(e.code);
      return collectCodes(e.key, out);
    case "neg":
      out.push(e.code);
      return collectCodes(e.operand, out);
    case "not":
      return collectCodes(e.operand, out);
    case "arith":
      out.push(e.code);
      collectCodes(e.left, out);
      return collectCodes(e.right, out);
    case "cmp":
    case "logic":
      collectCodes(e.left, out);
      return collectCodes(e.right, out);
    case "if":
      collectCodes(e.cond, out);
      collectCodes(e.then, out);
      return collectCodes(e.else, out);
    case "quant":
    case "nodeQuant":
      if (e.code >= 0) out.push(e.code);
      return collectCodes(e.body, out);
  }
}

/**
 * Classifies every verdict code for `action`: `classes[code]` is
 * {@link CLASS_ARGUMENT}, the index of the require the code belongs to, or
 * {@link CLASS_AFTER_REQUIRES}.
 *
 * @example Classify the codes of an action
 * ```ts
 * import assert from "node:assert/strict";
 * import { classifyCodes, CLASS_AFTER_REQUIRES } from "./verdict_classes.ts";
 * import { analyze } from "../frontend.ts";
 * const { program } = analyze("spec S state x: 0..3 = 0 action inc require x < 3 x := x + 1");
 * const a = program!.actions[0]!;
 * const classes = classifyCodes(program!, a);
 * assert.ok(classes[a.requires[0]!.code] === 0 && classes[0] === CLASS_AFTER_REQUIRES);
 * ```
 */
export function classifyCodes(program: Program, action: IAction): Int32Array {
  const classes = new Int32Array(program.verdicts.length).fill(CLASS_AFTER_REQUIRES);
  for (const p of action.params) classes[p.code] = CLASS_ARGUMENT;
  action.requires.forEach((r, j) => {
    const codes = [r.code];
    collectCodes(r.expr, codes);
    for (const c of codes) classes[c] = j;
  });
  return classes;
}

/**
 * Whether the action was enabled given its verdict `code`: its arguments were
 * in type and every require held (the step may still have failed after).
 */
export function isEnabled(classes: Int32Array, code: number): boolean {
  return code === 0 || classes[code] === CLASS_AFTER_REQUIRES;
}

/** Whether `code` is a violation: a failure other than a false require or a bad argument. */
export function violationCodes(program: Program): Uint8Array {
  const out = new Uint8Array(program.verdicts.length);
  for (const v of program.verdicts) {
    if (VIOLATION_KINDS.has(v.kind)) out[v.code] = 1;
  }
  return out;
}
