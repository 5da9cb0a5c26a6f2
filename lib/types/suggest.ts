/**
 * "Did you mean" suggestions for unknown names.
 *
 * @module
 */

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j]!;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(up + 1, row[j - 1]! + 1, diag + cost);
      diag = up;
    }
  }
  return row[b.length]!;
}

/**
 * The suffix `: did you mean 'x'?`-style hint for the closest candidate
 * within a small edit distance, or `""`.
 *
 * @example Suggest a near name
 * ```ts
 * import assert from "node:assert/strict";
 * import { suggestion } from "./suggest.ts";
 * assert.ok(suggestion("Slott", ["Slot", "Mode"]) === " (did you mean 'Slot'?)");
 * assert.ok(suggestion("zzz", ["Slot"]) === "");
 * ```
 */
export function suggestion(name: string, candidates: Iterable<string>): string {
  const limit = name.length <= 3 ? 1 : 2;
  let best: string | null = null;
  let bestDistance = limit + 1;
  for (const c of candidates) {
    if (c === name) continue;
    const d = distance(name.toLowerCase(), c.toLowerCase());
    if (d < bestDistance || (d === bestDistance && best !== null && c < best)) {
      best = c;
      bestDistance = d;
    }
  }
  return best === null ? "" : ` (did you mean '${best}'?)`;
}
