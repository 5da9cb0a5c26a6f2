/**
 * The one check `vigil compile` makes after the front end that needs no
 * code generation: the initial state (defaults, then `init`, then the local
 * invariants) is evaluated by the reference interpreter, and a failure is
 * VIG501 at the failing site, as the compiler reports it. The language
 * server adds it to the front end's diagnostics, so the editor shows every
 * diagnostic `vigil compile` would print. The check itself is the
 * compiler's (`lib/initial_state_check.ts`), without its code generators.
 *
 * @module
 */
import type { Analysis } from "../../lib/frontend.ts";
import { checkInitialState } from "../../lib/initial_state_check.ts";
import type { Diagnostic } from "../../lib/syntax/diagnostic.ts";
import { LineIndex } from "../../lib/syntax/source.ts";

/**
 * VIG501 when the checked program's initial state fails, else nothing.
 *
 * @example An initial state that breaks an invariant
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "../../lib/frontend.ts";
 * import { initialStateDiagnostics } from "./initial_state.ts";
 * const source = "spec S\n  state n: int = 5\n  invariant Small\n    n < 3\n";
 * const [d] = initialStateDiagnostics(analyze(source), source);
 * assert.equal(d?.code, "VIG501");
 * assert.equal(source.slice(d!.span.start, d!.span.end), "invariant Small\n    n < 3");
 * ```
 */
export function initialStateDiagnostics(analysis: Analysis, source: string): Diagnostic[] {
  const program = analysis.program;
  if (program === null || analysis.diagnostics.some((d) => d.severity === "error")) return [];
  const { diagnostic } = checkInitialState(program, new LineIndex(source));
  return diagnostic === null ? [] : [diagnostic];
}
