/**
 * Constant overrides (`vigil check --const MaxAmount=3`): check a smaller
 * model of a spec without editing it, as TLC's model values do. The named
 * `const` items get the given values before the spec is checked, so every
 * type, guard and invariant that uses them follows (a range `0..MaxAmount`
 * becomes `0..3`). The report lists the overrides: what it says is about
 * the model with those values.
 *
 * @module
 */
import type { Expr } from "../syntax/ast.ts";
import type { Diagnostic } from "../syntax/diagnostic.ts";
import { sortDiagnostics } from "../syntax/diagnostic.ts";
import { parse } from "../syntax/parser.ts";
import { check } from "../types/checker.ts";
import type { Program } from "../ir.ts";

/**
 * A constant's value for one check, and the text it replaces.
 *
 * @example Override MaxAmount
 * ```ts
 * import assert from "node:assert/strict";
 * import { type ConstOverride, parseConstOverride } from "./constants.ts";
 * const o: ConstOverride = parseConstOverride("MaxAmount=3");
 * assert.deepEqual(o, { name: "MaxAmount", value: "3" });
 * ```
 */
export interface ConstOverride {
  /** The constant's name. */
  readonly name: string;
  /** Its value for this check: a decimal integer, `true` or `false`. */
  readonly value: string;
  /** The expression it replaced, as written in the spec (set once applied). */
  readonly was?: string;
}

/**
 * Parses `NAME=VALUE`, VALUE an integer (optionally negative) or `true` / `false`.
 *
 * @example A bool and a negative integer
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseConstOverride } from "./constants.ts";
 * assert.equal(parseConstOverride("Strict=true").value, "true");
 * assert.equal(parseConstOverride("Low=-5").value, "-5");
 * assert.throws(() => parseConstOverride("Low=x"), /expected NAME=integer/);
 * ```
 */
export function parseConstOverride(text: string): ConstOverride {
  const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(-?\d+|true|false)\s*$/.exec(text);
  if (m === null) {
    throw new RangeError(
      `Invalid constant '${text}': expected NAME=integer, NAME=true or NAME=false, e.g. MaxAmount=3`,
    );
  }
  const value = m[2]!;
  if (/^-?\d+$/.test(value)) {
    const v = BigInt(value);
    if (v < -(1n << 63n) || v >= 1n << 63n) {
      throw new RangeError(`Invalid constant '${text}': the value does not fit 64 bits`);
    }
  }
  return { name: m[1]!, value };
}

/**
 * Thrown when an override names no `const` item of the spec, or one twice.
 *
 * @example An unknown constant
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyzeWithConstants, ConstOverrideError } from "./constants.ts";
 * const source = "spec S const N = 2 state x: 0..N = 0";
 * assert.throws(() => analyzeWithConstants(source, [{ name: "M", value: "1" }]), ConstOverrideError);
 * ```
 */
export class ConstOverrideError extends RangeError {
  /** The override's constant name. */
  readonly constant: string;

  /** Creates the error for `constant`, with `message`. */
  constructor(constant: string, message: string) {
    super(message);
    this.name = "ConstOverrideError";
    this.constant = constant;
  }
}

/**
 * What {@link analyzeWithConstants} returns.
 *
 * @example A checked spec with its overrides
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyzeWithConstants, type ConstAnalysis } from "./constants.ts";
 * const result: ConstAnalysis = analyzeWithConstants("spec S const N = 2 state x: 0..N = 0", []);
 * assert.deepEqual(result.overrides, []);
 * ```
 */
export interface ConstAnalysis {
  /** Every diagnostic of the spec with the overrides applied. */
  readonly diagnostics: readonly Diagnostic[];
  /** The checked program, `null` when there are errors. */
  readonly program: Program | null;
  /** The overrides, each with the text it replaced. */
  readonly overrides: readonly ConstOverride[];
}

/**
 * Parses and checks `source` with the `const` items named by `overrides`
 * set to their values. Throws {@link ConstOverrideError} for a name that is
 * not a `const` item and for a constant given twice.
 *
 * @example A smaller model
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyzeWithConstants } from "./constants.ts";
 * const source = "spec S const N = 1000 state x: 0..N = 0 action inc require x < N x := x + 1";
 * const { program, overrides } = analyzeWithConstants(source, [{ name: "N", value: "3" }]);
 * assert.equal(program!.vars[0]!.type.kind === "range" ? program!.vars[0]!.type.hi : null, 3n);
 * assert.equal(overrides[0]!.was, "1000");
 * ```
 */
export function analyzeWithConstants(
  source: string,
  overrides: readonly ConstOverride[],
): ConstAnalysis {
  const parsed = parse(source);
  if (parsed.ast === null || parsed.diagnostics.some((d) => d.severity === "error")) {
    return { diagnostics: sortDiagnostics([...parsed.diagnostics]), program: null, overrides };
  }
  const byName = new Map<string, ConstOverride>();
  for (const o of overrides) {
    if (byName.has(o.name)) {
      throw new ConstOverrideError(o.name, `Constant '${o.name}' given twice`);
    }
    byName.set(o.name, o);
  }
  const applied: ConstOverride[] = [];
  const items = parsed.ast.items.map((item) => {
    if (item.kind !== "const") return item;
    const o = byName.get(item.name);
    if (o === undefined) return item;
    byName.delete(item.name);
    const span = parsed.spans.get(item.value.id);
    applied.push({ ...o, was: source.slice(span.start, span.end).replace(/\s+/g, " ").trim() });
    const id = item.value.id;
    const value: Expr = o.value === "true" || o.value === "false"
      ? { kind: "bool", id, value: o.value === "true" }
      : { kind: "int", id, value: BigInt(o.value) };
    return { ...item, value };
  });
  const missing = [...byName.keys()];
  if (missing.length > 0) {
    const names = parsed.ast.items.flatMap((i) => i.kind === "const" ? [`'${i.name}'`] : []);
    const have = names.length === 0 ? "it has none" : `it has ${names.join(", ")}`;
    throw new ConstOverrideError(
      missing[0]!,
      `Constant '${missing[0]}' is not a 'const' item of the spec (${have})`,
    );
  }
  const checked = check({ ...parsed, ast: { ...parsed.ast, items } }, source);
  return {
    diagnostics: sortDiagnostics([...parsed.diagnostics, ...checked.diagnostics]),
    program: checked.program,
    overrides: applied,
  };
}
