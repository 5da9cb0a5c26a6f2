/**
 * The front end: source text to the checked {@link Program}, with every
 * lexical, syntax and checker diagnostic in one run. The checker runs on
 * the tree the parser recovered even after syntax errors: an item abandoned
 * after one is left out, and what it declared is not reported again at its
 * uses, so every independent mistake is reported once.
 *
 * @module
 */
import type { SpecAst } from "./syntax/ast.ts";
import { check } from "./types/checker.ts";
import { type Diagnostic, sortDiagnostics } from "./syntax/diagnostic.ts";
import type { Program } from "./ir.ts";
import { parse } from "./syntax/parser.ts";
import type { SpanTable } from "./syntax/source.ts";

/**
 * What {@link analyze} returns. `program` is `null` when any diagnostic is an error.
 *
 * @example A spec without errors has a program
 * ```ts
 * import assert from "node:assert/strict";
 * import { type Analysis, analyze } from "./frontend.ts";
 * const source = "spec Lease\n  type Client = 0..3\n  state owner: Client = 0\n  action acquire(c: Client)\n    require owner == 0\n    owner := c\n";
 * const analysis: Analysis = analyze(source);
 * assert.deepEqual(analysis.diagnostics, []);
 * assert.equal(analysis.program?.name, "Lease");
 * assert.equal(analysis.ast?.items.length, 3);
 * ```
 */
export interface Analysis {
  /** The syntax tree, or null when no `spec Name` header was found. */
  readonly ast: SpecAst | null;
  /** Source ranges of the tree's nodes, by node id. */
  readonly spans: SpanTable;
  /** The checked program, or null when any diagnostic is an error. */
  readonly program: Program | null;
  /** Sorted by position, then code. */
  readonly diagnostics: Diagnostic[];
}

/**
 * Parses and checks a spec.
 *
 * @example Analyze a spec
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "./frontend.ts";
 * const { program, diagnostics } = analyze("spec Toggle\nstate on: bool = false\naction flip\n  on := not on\n");
 * assert.ok(diagnostics.length === 0 && program?.actions[0]?.name === "flip");
 * ```
 */
export function analyze(source: string): Analysis {
  const parsed = parse(source);
  const checked = check(parsed, source);
  const parseFailed = parsed.diagnostics.some((d) => d.severity === "error");
  return {
    ast: parsed.ast,
    spans: parsed.spans,
    program: parseFailed ? null : checked.program,
    diagnostics: sortDiagnostics([...parsed.diagnostics, ...checked.diagnostics]),
  };
}
