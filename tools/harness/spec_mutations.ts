/**
 * Mutations of spec sources, shared by the fuzz test of the front end and
 * the formatter's tests: a small deterministic generator and a mutator
 * that drops, swaps, duplicates or replaces pieces of a spec's text and
 * inserts random characters.
 *
 * @module
 */

/**
 * xorshift32: a small deterministic PRNG, numbers in `[0, 1)`.
 *
 * @example The same seed gives the same numbers
 * ```ts
 * import assert from "node:assert/strict";
 * import { rng } from "./spec_mutations.ts";
 * const a = rng(7);
 * const b = rng(7);
 * assert.equal(a(), b());
 * ```
 */
export function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

/** Spec fragments a mutation may put in place of a piece of text. */
export const PIECES: readonly string[] = [
  "(",
  ")",
  "[",
  "]",
  "{",
  "}",
  ":=",
  "==",
  ":",
  ",",
  ".",
  "..",
  "+",
  "*",
  "/",
  "%",
  "-",
  "require",
  "action",
  "state",
  "invariant",
  "global",
  "liveness",
  "within",
  "when",
  "then",
  "eventually",
  "forall",
  "exists",
  "count(",
  "sum(",
  "in nodes",
  "prev(",
  "if",
  "else",
  "map[",
  "enum {",
  "0",
  "-1",
  "9223372036854775807",
  "99999999999999999999",
  "30s",
  "5h",
  "true",
  "not",
  "implies",
  "\n",
  "\u0000",
  "€",
  '"',
  "#",
  "@",
  "init",
  "spec X",
];

/**
 * One to four random mutations of `source`, drawn from `next`.
 *
 * @example Mutations are deterministic
 * ```ts
 * import assert from "node:assert/strict";
 * import { mutate, rng } from "./spec_mutations.ts";
 * const spec = "spec A\n  state x: int = 0\n";
 * assert.equal(mutate(spec, rng(3)), mutate(spec, rng(3)));
 * ```
 */
export function mutate(source: string, next: () => number): string {
  const tokens = source.split(/(\s+)/);
  const pick = () => Math.floor(next() * tokens.length);
  const ops = 1 + Math.floor(next() * 4);
  for (let i = 0; i < ops; i++) {
    const op = Math.floor(next() * 5);
    const at = pick();
    if (op === 0) tokens.splice(at, 1);
    else if (op === 1) tokens.splice(at, 0, tokens[pick()] ?? "");
    else if (op === 2) [tokens[at], tokens[pick()]] = [tokens[pick()] ?? "", tokens[at] ?? ""];
    else if (op === 3) tokens[at] = PIECES[Math.floor(next() * PIECES.length)]!;
    else tokens.splice(at, 0, String.fromCharCode(Math.floor(next() * 0x250)));
  }
  return tokens.join("");
}
