/**
 * The front end's diagnostics as editor diagnostics: every one of them,
 * with its stable code (`VIG202`), its severity and its range in editor
 * positions.
 *
 * @module
 */
import { type Diagnostic, DiagnosticSeverity } from "vscode-languageserver";
import { LineMap } from "./line_map.ts";
import type { SpecIndex } from "./spec_index.ts";

/**
 * The diagnostics of an indexed spec, in source order.
 *
 * @example An unknown name on the second line
 * ```ts
 * import assert from "node:assert/strict";
 * import { indexSpec } from "./spec_index.ts";
 * import { editorDiagnostics } from "./diagnostics.ts";
 * const [d] = editorDiagnostics(indexSpec("spec S\r\n  state n: int = m\r\n"));
 * assert.equal(d?.code, "VIG202");
 * assert.deepEqual(d?.range, { start: { line: 1, character: 17 }, end: { line: 1, character: 18 } });
 * ```
 */
export function editorDiagnostics(index: SpecIndex): Diagnostic[] {
  const lines = new LineMap(index.source);
  return index.analysis.diagnostics.map((d) => ({
    range: lines.range(d.span),
    severity: d.severity === "error" ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: d.code,
    source: "vigil",
    message: d.message,
  }));
}
