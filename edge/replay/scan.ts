/**
 * The fast path of line parsing: a single pass over one JSON object line
 * that materializes only the top-level fields a mapping reads (strings
 * without escapes are sliced, numbers and literals converted in place,
 * nested objects and arrays parsed with `JSON.parse` of their own text) and
 * skips the rest structurally. About three times cheaper than `JSON.parse`
 * of the whole line on typical log lines.
 *
 * It gives up (returns `null`) on anything unusual: an escaped key, a
 * malformed structure, a number it cannot read, trailing text. The caller
 * then runs `JSON.parse` on the line, which either succeeds or says what is
 * wrong, so no line is dropped or misread: the scanner either agrees with
 * `JSON.parse` on the fields it returns or defers to it. What it does not
 * check is the inside of fields it skips (a malformed number within an
 * ignored field is not noticed); `scanFields` is only a filter, never the
 * judge of a field the mapping reads.
 *
 * @module
 */

const QUOTE = 34;

function isWs(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

function skipWs(s: string, i: number): number {
  // Compact JSON has no whitespace: one comparison in the common case.
  if (s.charCodeAt(i) > 32) return i;
  while (i < s.length && isWs(s.charCodeAt(i))) i++;
  return i;
}

/**
 * Index just past the closing quote of the string opening at `i`, or -1.
 * The scanner only runs on lines without a backslash, so a string ends at
 * the next quote.
 */
function stringEnd(s: string, i: number): number {
  const j = s.indexOf('"', i + 1);
  return j < 0 ? -1 : j + 1;
}

/** Index just past the object or array opening at `i`, or -1. */
function compositeEnd(s: string, i: number): number {
  let depth = 0;
  for (let j = i; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === QUOTE) {
      j = stringEnd(s, j) - 1;
      if (j < 0) return -1;
    } else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) {
      if (--depth === 0) return j + 1;
    }
  }
  return -1;
}

/** Index just past a number or literal starting at `i`. */
function atomEnd(s: string, i: number): number {
  let j = i;
  for (; j < s.length; j++) {
    const c = s.charCodeAt(j);
    // digits . + - e E and the letters of true, false, null
    if (
      !((c >= 48 && c <= 57) || c === 46 || c === 43 || c === 45 || (c >= 97 && c <= 122) ||
        c === 69)
    ) break;
  }
  return j;
}

const FAIL = Symbol("fail");
const JSON_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?$/;

/** The value of the field text `s[i..end)`, or FAIL. */
function valueOf(s: string, i: number, end: number): unknown {
  const c = s.charCodeAt(i);
  if (c === QUOTE) {
    return s.slice(i + 1, end - 1);
  }
  if (c === 123) {
    const flat = flatObject(s, i, end);
    return flat !== FAIL ? flat : JSON.parse(s.slice(i, end));
  }
  if (c === 91) return JSON.parse(s.slice(i, end));
  return atomValue(s, i, end);
}

/** A number or literal in `s[i..end)`, or FAIL. */
function atomValue(s: string, i: number, end: number): unknown {
  // Fast path: a plain integer (no leading zero, at most 15 digits) without slicing.
  let j = i;
  let neg = false;
  if (s.charCodeAt(j) === 45) neg = (j++, true);
  const first = s.charCodeAt(j);
  if (end - j <= 15 && first >= 49 && first <= 57) {
    let n = 0;
    for (; j < end; j++) {
      const d = s.charCodeAt(j) - 48;
      if (d < 0 || d > 9) break;
      n = n * 10 + d;
    }
    if (j === end) return neg ? -n : n;
  }
  const text = s.slice(i, end);
  if (text === "true") return true;
  if (text === "false") return false;
  if (text === "null") return null;
  return JSON_NUMBER.test(text) ? +text : FAIL;
}

/** The one key a plain assignment would not store as an own property (on Node and Bun). */
const PROTO = "__proto__";

/** Sets `out[key]` as an own property, as `JSON.parse` does, even for `__proto__`. */
function ownKey(out: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * A flat object (plain keys, string/number/literal values) in `s[i..end)`,
 * built without `JSON.parse`; FAIL for anything else (nesting, escapes).
 */
function flatObject(s: string, i: number, end: number): Record<string, unknown> | typeof FAIL {
  const out: Record<string, unknown> = {};
  let j = skipWs(s, i + 1);
  if (s.charCodeAt(j) === 125) return j + 1 === end ? out : FAIL;
  for (;;) {
    if (s.charCodeAt(j) !== QUOTE) return FAIL;
    const keyEnd = stringEnd(s, j);
    if (keyEnd < 0) return FAIL;
    const key = s.slice(j + 1, keyEnd - 1);
    j = skipWs(s, keyEnd);
    if (s.charCodeAt(j) !== 58) return FAIL;
    j = skipWs(s, j + 1);
    const c = s.charCodeAt(j);
    let v: unknown;
    let next: number;
    if (c === QUOTE) {
      next = stringEnd(s, j);
      if (next < 0) return FAIL;
      v = s.slice(j + 1, next - 1);
    } else {
      next = atomEnd(s, j);
      v = next > j ? atomValue(s, j, next) : FAIL;
      if (v === FAIL) return FAIL;
    }
    if (key === PROTO) ownKey(out, key, v);
    else out[key] = v;
    j = skipWs(s, next);
    const d = s.charCodeAt(j);
    if (d === 44) {
      j = skipWs(s, j + 1);
      continue;
    }
    return d === 125 && j + 1 === end ? out : FAIL;
  }
}

/** Index just past the value starting at `i`, or -1. */
function valueEnd(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c === QUOTE) return stringEnd(s, i);
  if (c === 123 || c === 91) return compositeEnd(s, i);
  const j = atomEnd(s, i);
  return j > i ? j : -1;
}

/** The wanted key equal to `s[i..j)`, or undefined (no allocation). */
function wantedKey(s: string, i: number, j: number, keys: readonly string[]): string | undefined {
  const n = j - i;
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k]!;
    if (key.length === n && s.startsWith(key, i)) return key;
  }
  return undefined;
}

/**
 * Reads the wanted top-level fields of a one-line JSON object. Returns an
 * object holding only those fields (absent ones omitted), or `null` when the
 * line is not a plain JSON object this scanner understands (parse it with
 * `JSON.parse` then).
 *
 * @example Pick two fields
 * ```ts
 * import assert from "node:assert/strict";
 * import { scanFields } from "./scan.ts";
 * const o = scanFields('{"ts":5,"msg":"x","node":"a","deep":{"n":[1]}}', ["ts", "node"]);
 * assert.deepEqual(o, { ts: 5, node: "a" });
 * ```
 */
export function scanFields(
  line: string,
  keys: readonly string[],
): Record<string, unknown> | null {
  const s = line;
  if (s.indexOf("\\") >= 0) return null;
  let i = skipWs(s, 0);
  if (s.charCodeAt(i) !== 123) return null;
  const out: Record<string, unknown> = {};
  i = skipWs(s, i + 1);
  if (s.charCodeAt(i) === 125) return skipWs(s, i + 1) === s.length ? out : null;
  for (;;) {
    if (s.charCodeAt(i) !== QUOTE) return null;
    const keyEnd = stringEnd(s, i);
    if (keyEnd < 0) return null;
    const key = wantedKey(s, i + 1, keyEnd - 1, keys);
    i = skipWs(s, keyEnd);
    if (s.charCodeAt(i) !== 58) return null;
    i = skipWs(s, i + 1);
    const end = valueEnd(s, i);
    if (end < 0) return null;
    if (key !== undefined) {
      let v: unknown;
      try {
        v = valueOf(s, i, end);
      } catch {
        return null;
      }
      if (v === FAIL) return null;
      if (key === PROTO) ownKey(out, key, v);
      else out[key] = v;
    }
    i = skipWs(s, end);
    const c = s.charCodeAt(i);
    if (c === 44) {
      i = skipWs(s, i + 1);
      continue;
    }
    if (c !== 125) return null;
    return skipWs(s, i + 1) === s.length ? out : null;
  }
}

/** The index of the wanted key equal to `s[i..j)`, or -1 (no allocation). */
function wantedIndex(s: string, i: number, j: number, keys: readonly string[]): number {
  const n = j - i;
  const first = s.charCodeAt(i);
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k]!;
    if (key.length === n && key.charCodeAt(0) === first && s.startsWith(key, i)) return k;
  }
  return -1;
}

/**
 * Where the wanted top-level fields' values are in a one-line JSON object,
 * without reading them: `ranges[2k]` and `ranges[2k + 1]` are the start
 * and end of the value of `keys[k]` (a string's range includes its quotes;
 * the last one when a key repeats, as `JSON.parse` keeps), or -1 when the
 * field is absent. Returns false exactly when {@link scanFields} would
 * return null for a structural reason (a backslash, not a plain object,
 * malformed structure, trailing text); the values themselves are not
 * checked here.
 *
 * @example The range of one field
 * ```ts
 * import assert from "node:assert/strict";
 * import { scanRanges } from "./scan.ts";
 * const line = '{"ts":5,"node":"a","deep":{"n":[1]}}';
 * const ranges = new Int32Array(4);
 * assert.ok(scanRanges(line, ["node", "gone"], ranges));
 * assert.equal(line.slice(ranges[0], ranges[1]), '"a"');
 * assert.equal(ranges[2], -1);
 * ```
 */
export function scanRanges(line: string, keys: readonly string[], ranges: Int32Array): boolean {
  const s = line;
  ranges.fill(-1, 0, 2 * keys.length);
  if (s.indexOf("\\") >= 0) return false;
  let i = skipWs(s, 0);
  if (s.charCodeAt(i) !== 123) return false;
  i = skipWs(s, i + 1);
  if (s.charCodeAt(i) === 125) return skipWs(s, i + 1) === s.length;
  for (;;) {
    if (s.charCodeAt(i) !== QUOTE) return false;
    const keyEnd = stringEnd(s, i);
    if (keyEnd < 0) return false;
    const k = wantedIndex(s, i + 1, keyEnd - 1, keys);
    i = skipWs(s, keyEnd);
    if (s.charCodeAt(i) !== 58) return false;
    i = skipWs(s, i + 1);
    const end = valueEnd(s, i);
    if (end < 0) return false;
    if (k >= 0) {
      ranges[2 * k] = i;
      ranges[2 * k + 1] = end;
    }
    i = skipWs(s, end);
    const c = s.charCodeAt(i);
    if (c === 44) {
      i = skipWs(s, i + 1);
      continue;
    }
    if (c !== 125) return false;
    return skipWs(s, i + 1) === s.length;
  }
}

/**
 * The JSON number or literal (`true`, `false`, `null`) in `s[i..end)`, as
 * `JSON.parse` reads it, or undefined when that text is neither.
 *
 * @example A number, a literal, and neither
 * ```ts
 * import assert from "node:assert/strict";
 * import { atomAt } from "./scan.ts";
 * assert.equal(atomAt('{"a":-12.5}', 5, 10), -12.5);
 * assert.equal(atomAt("true", 0, 4), true);
 * assert.equal(atomAt("12a", 0, 3), undefined);
 * ```
 */
export function atomAt(s: string, i: number, end: number): number | boolean | null | undefined {
  const v = atomValue(s, i, end);
  return v === FAIL ? undefined : v as number | boolean | null;
}

/**
 * The members of a flat JSON object in `s[i..end)` whose keys are wanted:
 * their value ranges into `ranges` as {@link scanRanges} does. Returns
 * false when it is not an object of plain keys and string, number or
 * literal values (a nested value, a malformed member).
 *
 * @example The arguments of a step
 * ```ts
 * import assert from "node:assert/strict";
 * import { scanFlatRanges } from "./scan.ts";
 * const text = '{"c":2,"why":"x"}';
 * const ranges = new Int32Array(2);
 * assert.ok(scanFlatRanges(text, 0, text.length, ["c"], ranges));
 * assert.equal(text.slice(ranges[0], ranges[1]), "2");
 * ```
 */
export function scanFlatRanges(
  s: string,
  i: number,
  end: number,
  keys: readonly string[],
  ranges: Int32Array,
): boolean {
  ranges.fill(-1, 0, 2 * keys.length);
  if (s.charCodeAt(i) !== 123) return false;
  let j = skipWs(s, i + 1);
  if (s.charCodeAt(j) === 125) return j + 1 === end;
  for (;;) {
    if (s.charCodeAt(j) !== QUOTE) return false;
    const keyEnd = stringEnd(s, j);
    if (keyEnd < 0) return false;
    const k = wantedIndex(s, j + 1, keyEnd - 1, keys);
    j = skipWs(s, keyEnd);
    if (s.charCodeAt(j) !== 58) return false;
    j = skipWs(s, j + 1);
    const c = s.charCodeAt(j);
    let next: number;
    if (c === QUOTE) {
      next = stringEnd(s, j);
      if (next < 0) return false;
    } else {
      next = atomEnd(s, j);
      if (next === j || atomValue(s, j, next) === FAIL) return false;
    }
    if (k >= 0) {
      ranges[2 * k] = j;
      ranges[2 * k + 1] = next;
    }
    j = skipWs(s, next);
    const d = s.charCodeAt(j);
    if (d === 44) {
      j = skipWs(s, j + 1);
      continue;
    }
    return d === 125 && j + 1 === end;
  }
}
