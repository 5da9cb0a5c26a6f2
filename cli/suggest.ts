/**
 * "Did you mean ...?" for the command line: the closest of the known
 * commands or flags to what was typed, by edit distance (insertions,
 * deletions, substitutions and swaps of two neighbouring letters each
 * count one), so `colector` finds `collector` and `--prot` finds `--port`.
 *
 * @module
 */

/**
 * The edit distance of `a` and `b`: the fewest insertions, deletions,
 * substitutions and transpositions of adjacent characters turning one into
 * the other (optimal string alignment).
 *
 * @example Typos and their distances
 * ```ts
 * import assert from "node:assert/strict";
 * import { editDistance } from "./suggest.ts";
 * assert.equal(editDistance("colector", "collector"), 1);
 * assert.equal(editDistance("prot", "port"), 1);
 * assert.equal(editDistance("spec", "spec"), 0);
 * assert.equal(editDistance("", "abc"), 3);
 * ```
 */
export function editDistance(a: string, b: string): number {
  // d[i][j]: distance between the first i characters of a and the first j of b.
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    d.push(Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  }
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The candidate closest to `word`, or `null` when none is close enough to
 * be what was meant: at most one edit for words of up to four characters,
 * two up to eight, three beyond; a candidate that `word` starts (`--spe`
 * for `--spec`) counts as close when it is the only one. Ties go to the
 * first candidate.
 *
 * @example Suggest a command and a flag
 * ```ts
 * import assert from "node:assert/strict";
 * import { closest } from "./suggest.ts";
 * const commands = ["compile", "check", "collector", "replay", "demo", "diff"];
 * assert.equal(closest("colector", commands), "collector");
 * assert.equal(closest("prot", ["port", "hostname", "spec"]), "port");
 * assert.equal(closest("coll", commands), "collector");
 * assert.equal(closest("publish", commands), null);
 * ```
 */
export function closest(word: string, candidates: readonly string[]): string | null {
  const limit = word.length <= 4 ? 1 : word.length <= 8 ? 2 : 3;
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  if (best !== null && bestDistance <= limit) return best;
  const prefixed = word.length >= 2 ? candidates.filter((c) => c.startsWith(word)) : [];
  return prefixed.length === 1 ? prefixed[0]! : null;
}

/**
 * `; did you mean 'x'?` for a suggestion, or the empty string for none:
 * what a usage error appends to its message.
 *
 * @example The tail of a usage error
 * ```ts
 * import assert from "node:assert/strict";
 * import { didYouMean } from "./suggest.ts";
 * assert.equal(didYouMean("--prot", ["--port", "--spec"]), "; did you mean '--port'?");
 * assert.equal(didYouMean("--zzz", ["--port", "--spec"]), "");
 * ```
 */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const c = closest(word, candidates);
  return c === null ? "" : `; did you mean '${c}'?`;
}
