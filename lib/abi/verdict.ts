/**
 * Verdicts: what a checked transition produced, pointing back to the spec.
 *
 * @module
 */
import type { VerdictKind } from "./verdict_codes.ts";
import type { SpecMeta } from "./meta.ts";

/**
 * A verdict with the spec location of what failed.
 *
 * @example Where a refusal points in the spec
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeVerdict, type Verdict } from "./verdict.ts";
 * import { TOGGLE_META } from "./testdata/hand_metas.ts";
 * const v: Verdict = describeVerdict(TOGGLE_META, 3);
 * assert.deepEqual([v.kind, v.detail, v.line], ["guard_failed", "require not on", 7]);
 * ```
 */
export interface Verdict {
  /** The verdict code (0 is ok). */
  readonly code: number;
  /** What kind of verdict it is: `ok`, `guard_failed`, `invariant_failed`, ... */
  readonly kind: VerdictKind;
  /** The spec item, e.g. `action acquire` or `invariant OneHolder`. */
  readonly item: string;
  /** What failed in the spec's words, e.g. `require mode == free`. */
  readonly detail: string;
  /** Line of the item in the spec source (1-based; 0 for ok). */
  readonly line: number;
  /** Column of the item in the spec source (1-based; 0 for ok). */
  readonly column: number;
}

/**
 * The shared `ok` verdict (code 0).
 *
 * @example A step that passes returns OK
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatVerdict, OK } from "./verdict.ts";
 * assert.equal(OK.code, 0);
 * assert.equal(formatVerdict(OK), "ok");
 * ```
 */
export const OK: Verdict = Object.freeze({
  code: 0,
  kind: "ok",
  item: "",
  detail: "",
  line: 0,
  column: 0,
});

/**
 * Describes a verdict code of a compiled spec.
 *
 * @example Explain a verdict code returned by a step export
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeVerdict } from "./verdict.ts";
 * import { TOGGLE_META } from "./testdata/hand_metas.ts";
 * const v = describeVerdict(TOGGLE_META, 3);
 * assert.equal(`${v.kind} in ${v.item} at line ${v.line}: ${v.detail}`,
 *   "guard_failed in action turnOn at line 7: require not on");
 * assert.equal(describeVerdict(TOGGLE_META, 0).kind, "ok");
 * assert.throws(() => describeVerdict(TOGGLE_META, 99), RangeError);
 * ```
 */
export function describeVerdict(meta: SpecMeta, code: number): Verdict {
  if (code === 0) return OK;
  const entry = meta.verdicts[code];
  if (entry === undefined) {
    throw new RangeError(`Unknown verdict code ${code} for spec '${meta.name}'`);
  }
  return {
    code,
    kind: entry.kind,
    item: entry.item,
    detail: entry.detail,
    line: entry.range.line,
    column: entry.range.column,
  };
}

/**
 * Formats a verdict for messages: `guard_failed in action acquire: require mode == free (line 14:5)`.
 *
 * @example With and without the spec name
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatVerdict, type Verdict } from "./verdict.ts";
 * const v: Verdict = { code: 3, kind: "guard_failed", item: "action acquire", detail: "require mode == free", line: 14, column: 5 };
 * assert.equal(formatVerdict(v), "guard_failed in action acquire: require mode == free (line 14:5)");
 * assert.equal(formatVerdict(v, "Lease"), "guard_failed in action acquire: require mode == free (Lease:14:5)");
 * ```
 */
export function formatVerdict(v: Verdict, specName?: string): string {
  if (v.kind === "ok") return "ok";
  const where = specName ? `${specName}:${v.line}:${v.column}` : `line ${v.line}:${v.column}`;
  return `${v.kind} in ${v.item}: ${v.detail} (${where})`;
}

/**
 * Thrown when an enforced transition is refused. Carries the verdict with
 * the spec item and line that refused it.
 *
 * @example Catch a refused transition
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeVerdict, GuardError } from "./verdict.ts";
 * import { TOGGLE_META } from "./testdata/hand_metas.ts";
 * const refuse = () => {
 *   throw new GuardError("turnOn", describeVerdict(TOGGLE_META, 3), "Toggle");
 * };
 * assert.throws(refuse, (e) =>
 *   e instanceof GuardError && e.verdict.detail === "require not on" && e.verdict.line === 7 &&
 *   e.message === "Transition 'turnOn' refused: guard_failed in action turnOn: require not on (Toggle:7:3)");
 * ```
 */
export class GuardError extends Error {
  /** The verdict that refused the transition. */
  readonly verdict: Verdict;
  /** The action name as the caller gave it. */
  readonly action: string;

  /** Builds the error for `action` refused by `verdict`; `specName` goes into the message. */
  constructor(action: string, verdict: Verdict, specName?: string) {
    super(`Transition '${action}' refused: ${formatVerdict(verdict, specName)}`);
    this.name = "GuardError";
    this.action = action;
    this.verdict = verdict;
  }
}
