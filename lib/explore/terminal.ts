/**
 * Terminal states: a state with no enabled action where a `terminal` item's
 * predicate holds is an intended end of the workflow, not a deadlock. The
 * predicates are evaluated by the reference interpreter, and only on states
 * with no enabled action, so they cost nothing on the others.
 *
 * @module
 */
import type { SpecMeta } from "../abi/meta.ts";
import type { Program } from "../ir.ts";
import { ArithTrap, evaluate } from "../interpreter/eval.ts";
import { slotsOf } from "./valuation.ts";

/**
 * A `terminal` item and what exploring found for it.
 *
 * @example A counter that stops at its top
 * ```ts
 * import assert from "node:assert/strict";
 * import { exploreSource } from "./model_checker.ts";
 * import type { TerminalFinding } from "./terminal.ts";
 * const source = "spec C state n: 0..3 = 0 action inc require n < 3 n := n + 1 terminal Full n == 3";
 * const report = exploreSource(source).report!;
 * const [full]: readonly TerminalFinding[] = report.terminals;
 * assert.deepEqual([full?.item, full?.states, report.deadlockCount], ["terminal Full", 1, 0]);
 * ```
 */
export interface TerminalFinding {
  /** `terminal Done`. */
  readonly item: string;
  /** 1-based line of the item. */
  readonly line: number;
  /** States with no enabled action where this item held (the first that held, in order). */
  readonly states: number;
  /** The first arithmetic error evaluating the predicate (it then counts as false), else `null`. */
  readonly error: string | null;
}

/**
 * Evaluates the terminal items of a program on stored states of `copies`
 * monitors laid end to end (a state of several monitors is terminal when
 * every monitor's is).
 *
 * @example Match a state
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "../frontend.ts";
 * import { initialState } from "../interpreter/interpreter.ts";
 * import { buildMeta } from "../wasm/meta_build.ts";
 * import { TerminalMatcher } from "./terminal.ts";
 * const source = "spec C state n: 0..3 = 0 action inc require n < 3 n := n + 1 terminal Full n == 3";
 * const { program } = analyze(source);
 * const meta = buildMeta(program!, initialState(program!).state);
 * const matcher = new TerminalMatcher(program!, meta);
 * assert.equal(matcher.match(new Uint32Array(meta.stride / 4)), -1); // n = 0
 * ```
 */
export class TerminalMatcher {
  readonly #program: Program;
  readonly #meta: SpecMeta;
  readonly #copies: number;
  readonly #errors: (string | null)[];

  /** A matcher for the terminal items of `program`. */
  constructor(program: Program, meta: SpecMeta, copies = 1) {
    this.#program = program;
    this.#meta = meta;
    this.#copies = copies;
    this.#errors = (program.terminals ?? []).map(() => null);
  }

  /** The number of terminal items. */
  get count(): number {
    return this.#errors.length;
  }

  /**
   * The index of the first terminal item that holds in the state `words`
   * (for several monitors: of the first monitor, when one item or another
   * holds in every monitor), or -1.
   */
  match(words: Uint32Array): number {
    const stride = this.#meta.stride / 4;
    let first = -1;
    for (let copy = 0; copy < this.#copies; copy++) {
      const state = slotsOf(this.#meta.slots, words, copy * stride, stride);
      const found = this.#matchOne(state);
      if (found < 0) return -1;
      if (copy === 0) first = found;
    }
    return first;
  }

  #matchOne(state: readonly bigint[]): number {
    const terminals = this.#program.terminals ?? [];
    for (let k = 0; k < terminals.length; k++) {
      const t = terminals[k]!;
      try {
        const env = { state, pre: state, args: [], frame: new Array(t.locals).fill(0n), nodes: [] };
        if (evaluate(t.expr, env) !== 0n) return k;
      } catch (e) {
        if (!(e instanceof ArithTrap)) throw e;
        const v = t.verdicts[e.code];
        this.#errors[k] ??= v === undefined
          ? `verdict ${e.code}`
          : `${v.detail} (line ${v.range.line})`;
      }
    }
    return -1;
  }

  /** The findings, given how many states each item matched. */
  findings(counts: readonly number[]): TerminalFinding[] {
    return (this.#program.terminals ?? []).map((t, k) => ({
      item: `terminal ${t.name}`,
      line: t.range.line,
      states: counts[k] ?? 0,
      error: this.#errors[k] ?? null,
    }));
  }
}
