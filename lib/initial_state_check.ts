/**
 * The check `vigil compile` makes after the front end and before code
 * generation: the initial state (defaults, then `init`, then the local
 * invariants) is evaluated by the reference interpreter, and a failure is
 * VIG501 at the failing site. Shared by the compiler (`compile.ts`) and the
 * language server (`editor/lsp/initial_state.ts`), so the editor reports
 * exactly what the compiler would; it loads no code generator.
 *
 * @module
 */
import type { Program } from "./ir.ts";
import { initialState } from "./interpreter/interpreter.ts";
import { type Diagnostic, error } from "./syntax/diagnostic.ts";
import type { LineIndex } from "./syntax/source.ts";

/** The outcome of {@link checkInitialState}: the initial state's slots, or the VIG501 diagnostic. */
export type InitialStateCheck =
  | { readonly initial: bigint[]; readonly diagnostic: null }
  | { readonly initial: null; readonly diagnostic: Diagnostic };

/**
 * Evaluates the checked program's initial state; a failing one is VIG501
 * spanning the failing item (verdict ranges are 1-based lines and columns,
 * mapped back to offsets of the source by `index`).
 *
 * @throws {Error} When the failing verdict code has no entry in the program's verdict table
 * (a compiler bug, never a spec's mistake).
 *
 * @example An initial state that breaks an invariant, and one that holds
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "./frontend.ts";
 * import { LineIndex } from "./syntax/source.ts";
 * import { checkInitialState } from "./initial_state_check.ts";
 * const bad = "spec S\n  state n: int = 5\n  invariant Small\n    n < 3\n";
 * const failed = checkInitialState(analyze(bad).program!, new LineIndex(bad));
 * assert.equal(failed.diagnostic?.code, "VIG501");
 * assert.equal(bad.slice(failed.diagnostic!.span.start, failed.diagnostic!.span.end), "invariant Small\n    n < 3");
 * const good = "spec S\n  state n: int = 1\n  invariant Small\n    n < 3\n";
 * const held = checkInitialState(analyze(good).program!, new LineIndex(good));
 * assert.deepEqual([held.diagnostic, held.initial], [null, [1n]]);
 * ```
 */
export function checkInitialState(program: Program, index: LineIndex): InitialStateCheck {
  const { code, state } = initialState(program);
  if (code === 0) return { initial: state, diagnostic: null };
  const entry = program.verdicts[code];
  if (entry === undefined) {
    throw new Error(`Initial state verdict code '${code}' has no entry in the verdict table`);
  }
  const r = entry.range;
  const span = {
    start: index.offset({ line: r.line, column: r.column }),
    end: index.offset({ line: r.endLine, column: r.endColumn }),
  };
  const what = `${entry.kind} in ${entry.item}: ${entry.detail}`;
  return {
    initial: null,
    diagnostic: error("VIG501", `The initial state fails: ${what}`, span),
  };
}
