/**
 * Argument domains for exploration: every action is tried with every tuple
 * of arguments in the finite domains of its parameters (bool `0..1`, an
 * enum's label indices, a range's integers). An `int` parameter has no
 * finite domain; the user bounds it with an explicit range.
 *
 * @module
 */
import type { IAction, IParam, Program } from "../ir.ts";

/**
 * An inclusive integer range `lo..hi` for `int` parameters.
 *
 * @example Values of an int parameter
 * ```ts
 * import assert from "node:assert/strict";
 * import { exploreSource } from "./model_checker.ts";
 * import type { IntRange } from "./domains.ts";
 * const intRange: IntRange = { lo: 0n, hi: 2n };
 * const report = exploreSource("spec A state x: int = 0 action set(v: int) x := v", { intRange }).report!;
 * assert.equal(report.distinctStates, 3);
 * ```
 */
export interface IntRange {
  /** Lowest value, inclusive. */
  readonly lo: bigint;
  /** Highest value, inclusive. */
  readonly hi: bigint;
}

/** The argument tuples of one action, flattened: tuple `t` is `arity` numbers at `t * arity`. */
export interface ArgTuples {
  readonly arity: number;
  readonly count: number;
  readonly values: Float64Array;
}

/**
 * Thrown when an `int` parameter needs a bound and none was given.
 *
 * @example An int parameter needs a range
 * ```ts
 * import assert from "node:assert/strict";
 * import { exploreSource } from "./model_checker.ts";
 * import { UnboundedParameterError } from "./domains.ts";
 * assert.throws(() => exploreSource("spec A state x: int = 0 action set(v: int) x := v"), UnboundedParameterError);
 * ```
 */
export class UnboundedParameterError extends Error {
  /** The action whose parameter is unbounded. */
  readonly action: string;
  /** The parameter's name. */
  readonly param: string;

  /** Creates the error for `action(param: int)`. */
  constructor(action: string, param: string) {
    super(
      `Parameter '${param}' of action '${action}' has type 'int': give its values with --int-range lo..hi`,
    );
    this.name = "UnboundedParameterError";
    this.action = action;
    this.param = param;
  }
}

/**
 * Thrown when an action has more argument tuples than the explorer will try per state.
 *
 * @example What an action with too many argument tuples reports
 * ```ts
 * import assert from "node:assert/strict";
 * import { TooManyArgumentsError } from "./domains.ts";
 * const e = new TooManyArgumentsError("transfer", 2e8, 1e8);
 * assert.ok(e instanceof RangeError);
 * assert.equal(e.tuples, 2e8);
 * ```
 */
export class TooManyArgumentsError extends RangeError {
  /** The action. */
  readonly action: string;
  /** Its number of argument tuples. */
  readonly tuples: number;

  /** Creates the error for `action` with `tuples` tuples over `limit`. */
  constructor(action: string, tuples: number, limit: number) {
    super(
      `Action '${action}' has '${tuples}' argument tuples per state, more than the limit of ${limit}: narrow its parameter types for checking`,
    );
    this.name = "TooManyArgumentsError";
    this.action = action;
    this.tuples = tuples;
  }
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Parses `lo..hi` (each an optionally negative integer, |v| <= 2^53 - 1).
 *
 * @example Parse a range
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseIntRange } from "./domains.ts";
 * const r = parseIntRange("-2..5");
 * assert.ok(r.lo === -2n && r.hi === 5n);
 * ```
 */
export function parseIntRange(text: string): IntRange {
  const m = /^\s*(-?\d+)\s*\.\.\s*(-?\d+)\s*$/.exec(text);
  if (m === null) throw new RangeError(`Invalid range '${text}': expected lo..hi, e.g. -2..5`);
  const lo = BigInt(m[1]!);
  const hi = BigInt(m[2]!);
  if (lo > hi) throw new RangeError(`Invalid range '${text}': lo is greater than hi`);
  if (lo < -MAX_SAFE || hi > MAX_SAFE) {
    throw new RangeError(`Invalid range '${text}': bounds must be within +-(2^53 - 1)`);
  }
  return { lo, hi };
}

function domainOf(
  action: IAction,
  param: IParam,
  intRange: IntRange | undefined,
): [number, number] {
  const t = param.type;
  switch (t.kind) {
    case "bool":
      return [0, 1];
    case "enum":
      return [0, t.labels.length - 1];
    case "range":
      return [Number(t.lo), Number(t.hi)];
    case "int":
      if (intRange === undefined) throw new UnboundedParameterError(action.name, param.name);
      return [Number(intRange.lo), Number(intRange.hi)];
  }
}

/**
 * Enumerates the argument tuples of `action` in lexicographic order (first
 * parameter slowest). Throws {@link UnboundedParameterError} for an `int`
 * parameter without `intRange`, and {@link TooManyArgumentsError} above `limit` tuples.
 *
 * @example Tuples of a two-parameter action
 * ```ts
 * import assert from "node:assert/strict";
 * import { argTuples } from "./domains.ts";
 * import { analyze } from "../frontend.ts";
 * const { program } = analyze("spec S state x: bool = false action set(a: bool, b: 0..2) x := a");
 * const t = argTuples(program!.actions[0]!);
 * assert.ok(t.count === 6 && t.arity === 2 && t.values[2] === 0 && t.values[3] === 1);
 * ```
 */
export function argTuples(action: IAction, intRange?: IntRange, limit = 1e8): ArgTuples {
  const arity = action.params.length;
  const ranges = action.params.map((p) => domainOf(action, p, intRange));
  let count = 1;
  for (const [lo, hi] of ranges) count *= hi - lo + 1;
  if (count > limit) throw new TooManyArgumentsError(action.name, count, limit);
  const values = new Float64Array(count * arity);
  const current = ranges.map(([lo]) => lo);
  for (let t = 0; t < count; t++) {
    for (let i = 0; i < arity; i++) values[t * arity + i] = current[i]!;
    for (let i = arity - 1; i >= 0; i--) {
      if (current[i]! < ranges[i]![1]) {
        current[i] = current[i]! + 1;
        break;
      }
      current[i] = ranges[i]![0];
    }
  }
  return { arity, count, values };
}

/** The tuples of every action of `program`, in action order. */
export function allArgTuples(program: Program, intRange?: IntRange): ArgTuples[] {
  return program.actions.map((a) => argTuples(a, intRange));
}
