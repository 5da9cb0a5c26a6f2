/**
 * The verdict code space of a compiled spec: the kinds of verdict, the
 * verdict table every spec carries (`SpecMeta.verdicts`, code -> what
 * failed and where), the fixed codes every spec shares, and the two codes a
 * step event may carry that are not in any table (an unknown action, a
 * divergence observed by the SDK).
 *
 * @module
 */
import type { SourceRange } from "./source_range.ts";

/**
 * The verdict kinds. `unknown_action` and `divergence` arise only in the SDK.
 *
 * @example A refused step is a guard failure
 * ```ts
 * import assert from "node:assert/strict";
 * import type { VerdictKind } from "./verdict_codes.ts";
 * const kind: VerdictKind = "guard_failed";
 * assert.notEqual(kind, "ok");
 * ```
 */
export type VerdictKind =
  | "ok"
  | "guard_failed"
  | "invariant_failed"
  | "range_violation"
  | "bad_argument"
  | "unknown_action"
  | "arith_error"
  | "divergence"
  | "liveness_timeout";

/**
 * The code of the `ok` verdict (entry 0 of every verdict table).
 *
 * @example Zero means the step was allowed
 * ```ts
 * import assert from "node:assert/strict";
 * import { VERDICT_OK } from "./verdict_codes.ts";
 * assert.equal(VERDICT_OK, 0);
 * ```
 */
export const VERDICT_OK = 0;

/**
 * The SDK's code for an action name the spec does not declare (entry 1 of
 * every verdict table).
 *
 * @example The fixed codes come first
 * ```ts
 * import assert from "node:assert/strict";
 * import { FIRST_SPEC_CODE, VERDICT_UNKNOWN_ACTION } from "./verdict_codes.ts";
 * assert.ok(VERDICT_UNKNOWN_ACTION < FIRST_SPEC_CODE);
 * ```
 */
export const VERDICT_UNKNOWN_ACTION = 1;

/**
 * The first code of a spec's own verdict table entries.
 *
 * @example A spec's first guard gets code 2 or later
 * ```ts
 * import assert from "node:assert/strict";
 * import { FIRST_SPEC_CODE } from "./verdict_codes.ts";
 * assert.equal(FIRST_SPEC_CODE, 2);
 * ```
 */
export const FIRST_SPEC_CODE = 2;

/**
 * The `verdict` code of a step event whose transition the spec allowed but
 * whose reported actual state differed from the spec's next state (observe
 * mode with `observed`). Not a code of the compiled verdict table.
 *
 * @example Outside every verdict table
 * ```ts
 * import assert from "node:assert/strict";
 * import { VERDICT_DIVERGENCE } from "./verdict_codes.ts";
 * assert.equal(VERDICT_DIVERGENCE, 0xfffffffe);
 * ```
 */
export const VERDICT_DIVERGENCE = 0xfffffffe;

/**
 * The `action` index of a step event for an action name the spec does not declare.
 *
 * @example The largest u32
 * ```ts
 * import assert from "node:assert/strict";
 * import { UNKNOWN_ACTION_INDEX } from "./verdict_codes.ts";
 * assert.equal(UNKNOWN_ACTION_INDEX, 2 ** 32 - 1);
 * ```
 */
export const UNKNOWN_ACTION_INDEX = 0xffffffff;

/**
 * One entry of the verdict table: what a verdict code means and where in the
 * spec it points. `verdicts[code]` for every code; codes 0 and 1 are the
 * fixed `ok` and `unknown_action` entries (their `range` is the spec header).
 *
 * @example The entry of a `require`
 * ```ts
 * import assert from "node:assert/strict";
 * import type { VerdictEntry } from "./verdict_codes.ts";
 * const entry: VerdictEntry = {
 *   code: 3,
 *   kind: "guard_failed",
 *   item: "action acquire",
 *   detail: "require mode == free",
 *   range: { line: 14, column: 5, endLine: 14, endColumn: 25 },
 * };
 * assert.equal(`${entry.kind} in ${entry.item}`, "guard_failed in action acquire");
 * ```
 */
export interface VerdictEntry {
  /** The verdict code. */
  readonly code: number;
  /** What kind of verdict it is. */
  readonly kind: VerdictKind;
  /** The spec item, e.g. `action acquire`, `invariant OneHolder`, `init`. */
  readonly item: string;
  /**
   * What failed, in the spec's words: the `require` source text
   * (`require mode == free`), the variable (`owner`), the parameter (`c`),
   * the operation (`token + 1: overflow`).
   */
  readonly detail: string;
  /** Where the item is in the spec source. */
  readonly range: SourceRange;
}
