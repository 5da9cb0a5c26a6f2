/**
 * Diagnostics: values with a stable code, a message and a source range.
 *
 * @module
 */
import type { LineIndex, Span } from "./source.ts";

/**
 * Severity of a diagnostic. Only errors stop a compile.
 *
 * @example Only errors stop a compile
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "../frontend.ts";
 * import type { Severity } from "./diagnostic.ts";
 * const severities: Severity[] = analyze("spec S\n  state x: int = \n").diagnostics.map((d) => d.severity);
 * assert.ok(severities.includes("error"));
 * ```
 */
export type Severity = "error" | "warning";

/**
 * One problem found in a spec, with a stable code listed in `docs/diagnostics.md`.
 *
 * @example A diagnostic points at the source
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "../frontend.ts";
 * import type { Diagnostic } from "./diagnostic.ts";
 * const source = "spec S\n  state x: int = y\n";
 * const [d]: Diagnostic[] = analyze(source).diagnostics;
 * assert.match(d!.code, /^VIG\d{3}$/);
 * assert.equal(source.slice(d!.span.start, d!.span.end), "y");
 * ```
 */
export interface Diagnostic {
  /** Stable code, e.g. `VIG101`. */
  readonly code: string;
  /** `error` or `warning`. */
  readonly severity: Severity;
  /** Sentence case, values quoted, no trailing period. */
  readonly message: string;
  /** Offsets into the source. */
  readonly span: Span;
}

/** Builds an error diagnostic. */
export function error(code: string, message: string, span: Span): Diagnostic {
  return { code, severity: "error", message, span };
}

/**
 * Renders a diagnostic as `path:line:col: error VIGnnn: message`, the source
 * line, and a caret line under the range.
 *
 * @example Render a diagnostic
 * ```ts
 * import assert from "node:assert/strict";
 * import { LineIndex } from "./source.ts";
 * import { error, renderDiagnostic } from "./diagnostic.ts";
 * const text = "spec A\nstate x: nat = 0\n";
 * const d = error("VIG201", "Unknown type 'nat'", { start: 16, end: 19 });
 * assert.equal(
 *   renderDiagnostic(d, new LineIndex(text), "a.vigil"),
 *   "a.vigil:2:10: error VIG201: Unknown type 'nat'\nstate x: nat = 0\n         ^^^",
 * );
 * ```
 */
export function renderDiagnostic(d: Diagnostic, index: LineIndex, path: string): string {
  const start = index.position(d.span.start);
  const end = index.position(Math.max(d.span.start, d.span.end));
  const text = index.lineText(start.line);
  const width = end.line === start.line
    ? Math.max(1, end.column - start.column)
    : Math.max(1, text.length - start.column + 1);
  const pad = text.slice(0, start.column - 1).replace(/[^\t]/g, " ");
  return `${path}:${start.line}:${start.column}: ${d.severity} ${d.code}: ${d.message}\n` +
    `${text}\n${pad}${"^".repeat(width)}`;
}

/**
 * Sorts diagnostics by position, then code, for stable output.
 *
 * @example By position, then code
 * ```ts
 * import assert from "node:assert/strict";
 * import { sortDiagnostics } from "./diagnostic.ts";
 * const later = { code: "VIG101", severity: "error", message: "b", span: { start: 9, end: 10 } } as const;
 * const earlier = { code: "VIG201", severity: "error", message: "a", span: { start: 2, end: 3 } } as const;
 * assert.deepEqual(sortDiagnostics([later, earlier]).map((d) => d.code), ["VIG201", "VIG101"]);
 * ```
 */
export function sortDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  return [...ds].sort((a, b) =>
    a.span.start - b.span.start || a.span.end - b.span.end || a.code.localeCompare(b.code)
  );
}
