/**
 * Naming a spec's actions in the guard: the message for a name that is not
 * an action of the spec, listing the spec's actions and suggesting the
 * nearest one (a typo of one or two letters: `aquire` -> `acquire`).
 *
 * @module
 */

/**
 * The edit distance of `a` and `b`: the fewest insertions, deletions,
 * substitutions and swaps of two neighbouring letters turning one into the
 * other.
 */
function distance(a: string, b: string): number {
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, before[j - 2]! + 1);
      }
      row.push(best);
    }
    before = previous;
    previous = row;
  }
  return previous[b.length]!;
}

/**
 * Why `name` is not an action of spec `spec`: the spec's actions, and the
 * nearest one when it is within two edits (one for names of up to three
 * letters).
 *
 * @example A misspelled action
 * ```ts
 * import assert from "node:assert/strict";
 * import { unknownActionMessage } from "./action_name.ts";
 * assert.equal(
 *   unknownActionMessage("aquire", "Lease", ["acquire", "release"]),
 *   "'aquire' is not an action of spec 'Lease' (did you mean 'acquire'?); its actions are 'acquire', 'release'",
 * );
 * assert.equal(
 *   unknownActionMessage("open", "Lease", ["acquire", "release"]),
 *   "'open' is not an action of spec 'Lease'; its actions are 'acquire', 'release'",
 * );
 * ```
 */
export function unknownActionMessage(
  name: string,
  spec: string,
  actions: readonly string[],
): string {
  const limit = name.length <= 3 ? 1 : 2;
  let best: string | null = null;
  let bestDistance = limit + 1;
  for (const a of actions) {
    const d = distance(name.toLowerCase(), a.toLowerCase());
    if (d < bestDistance) {
      best = a;
      bestDistance = d;
    }
  }
  const hint = best === null ? "" : ` (did you mean '${best}'?)`;
  const all = actions.length === 0
    ? "it has none"
    : `its actions are ${actions.map((a) => `'${a}'`).join(", ")}`;
  return `'${name}' is not an action of spec '${spec}'${hint}; ${all}`;
}
