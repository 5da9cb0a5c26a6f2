/**
 * `scan.ts`'s one-pass field finder over the UTF-8 bytes of a line, where
 * they stand in the chunk read from the log: no decoding, no string per
 * line. Indexed byte loads cost a fraction of `charCodeAt` on a string
 * sliced from a decoded chunk (measured here: about 5 ns per character
 * for a sliced string against 1-2 ns per byte), and the bytes need no
 * decoding at all when the fast path maps the line.
 *
 * The structure is the same in bytes as in the decoded text: every byte of
 * a multi-byte UTF-8 sequence (and every invalid byte, which decodes to
 * U+FFFD) is >= 0x80, so none is a quote, a backslash, a brace, a digit or
 * white space, exactly as its decoded characters are not. So
 * `FieldFinder.find` succeeds exactly when `scanRanges` does on the
 * decoded line (a line read from a log, which holds no newline), and finds
 * the same fields; its ranges are byte offsets. `FieldFinder.findLine`
 * also finds where the line ends, in the same pass (a newline ends every
 * scan here), so the reader need not look for it first.
 *
 * @module
 */
import { atomAt } from "./scan.ts";

const QUOTE = 34;
const BACKSLASH = 92;
const NEWLINE = 10;

/**
 * White space between tokens, but a newline: every scan here stops at a
 * newline (the end of a log line), so {@link FieldFinder.findLine} finds a
 * line's end as it scans it. A line handed out by a line reader holds none.
 */
function isWs(c: number): boolean {
  return c === 32 || c === 9 || c === 13;
}

function skipWs(b: Uint8Array, i: number, end: number): number {
  while (i < end && isWs(b[i]!)) i++;
  return i;
}

/**
 * Index just past the closing quote of the string opening at `i`, or -1
 * when it holds a backslash (an escape: the line goes the general way, as
 * `scanRanges` sends every line holding a backslash) or a newline, or
 * does not end.
 */
function stringEnd(b: Uint8Array, i: number, end: number): number {
  for (let j = i + 1; j < end; j++) {
    const c = b[j];
    if (c === QUOTE) return j + 1;
    if (c === BACKSLASH || c === NEWLINE) return -1;
  }
  return -1;
}

/** Index just past the object or array opening at `i`, or -1. */
function compositeEnd(b: Uint8Array, i: number, end: number): number {
  let depth = 0;
  for (let j = i; j < end; j++) {
    const c = b[j]!;
    if (c === QUOTE) {
      j = stringEnd(b, j, end) - 1;
      if (j < 0) return -1;
    } else if (c === 123 || c === 91) depth++;
    else if (c === BACKSLASH || c === NEWLINE) return -1;
    else if (c === 125 || c === 93) {
      if (--depth === 0) return j + 1;
    }
  }
  return -1;
}

/** Index just past a number or literal starting at `i`. */
function atomEnd(b: Uint8Array, i: number, end: number): number {
  let j = i;
  for (; j < end; j++) {
    const c = b[j]!;
    // digits . + - e E and the letters of true, false, null
    if (
      !((c >= 48 && c <= 57) || c === 46 || c === 43 || c === 45 || (c >= 97 && c <= 122) ||
        c === 69)
    ) break;
  }
  return j;
}

/** Index just past the value starting at `i`, or -1. */
function valueEnd(b: Uint8Array, i: number, end: number): number {
  if (i >= end) return -1;
  const c = b[i]!;
  if (c === QUOTE) return stringEnd(b, i, end);
  if (c === 123 || c === 91) return compositeEnd(b, i, end);
  const j = atomEnd(b, i, end);
  return j > i ? j : -1;
}

/** True when `b[i..j)` holds exactly the bytes of `text`. */
export function bytesEqual(b: Uint8Array, i: number, j: number, text: Uint8Array): boolean {
  if (j - i !== text.length) return false;
  for (let x = 0; x < text.length; x++) if (b[i + x] !== text[x]) return false;
  return true;
}

/**
 * Finds the wanted fields of a one-line JSON object in its bytes: a key is
 * hashed while its bytes are scanned for its closing quote and looked up
 * in a small open-addressing table of the wanted names (then compared
 * byte by byte), rather than compared with every wanted name in turn.
 *
 * @example The range of one field
 * ```ts
 * import assert from "node:assert/strict";
 * import { FieldFinder } from "./byte_scan.ts";
 * const text = new TextEncoder();
 * const line = text.encode('{"ts":5,"node":"a","deep":{"n":[1]}}');
 * const finder = new FieldFinder([text.encode("node"), text.encode("gone")]);
 * const ranges = new Int32Array(4);
 * assert.ok(finder.find(line, 0, line.length, ranges));
 * assert.deepEqual([ranges[0], ranges[1], ranges[2]], [15, 18, -1]);
 * ```
 */
export class FieldFinder {
  readonly #keys: readonly Uint8Array[];
  /** Slot -> wanted key index + 1 (0: empty), by the key's {@link hashStep} hash. */
  readonly #table: Int32Array;
  readonly #mask: number;
  /**
   * The wanted key found at each of the first {@link PREDICTED} member
   * positions of the last line (-1: none, or a key not wanted): lines of
   * one log mostly list their fields in one order, so the key there is
   * compared with it first, which finds its end and confirms it in one
   * pass, without hashing.
   */
  readonly #predicted = new Int32Array(PREDICTED).fill(-1);
  /**
   * The bytes of the key found at each of the first {@link PREDICTED}
   * member positions of the last line, wanted or not (null: none yet), so
   * an unwanted key (a message, a level) is recognized there without
   * hashing too.
   */
  readonly #predictedBytes: (Uint8Array | null)[] = new Array(PREDICTED).fill(null);

  /** A finder of the fields named by `keys` (UTF-8 bytes); `ranges` get two entries per key. */
  constructor(keys: readonly Uint8Array[]) {
    this.#keys = keys;
    let size = 8;
    while (size < 4 * keys.length) size *= 2;
    this.#table = new Int32Array(size);
    this.#mask = size - 1;
    keys.forEach((key, k) => {
      if (key.length === 0) return; // as `scanRanges`, which never matches an empty name
      let h = 0;
      for (let x = 0; x < key.length; x++) h = hashStep(h, key[x]!);
      let slot = h & this.#mask;
      while (this.#table[slot] !== 0) slot = (slot + 1) & this.#mask;
      this.#table[slot] = k + 1;
    });
  }

  /** The wanted key equal to `b[i..j)` (hashed `h`), or -1. */
  #wanted(b: Uint8Array, i: number, j: number, h: number): number {
    const table = this.#table;
    const mask = this.#mask;
    for (let slot = h & mask;; slot = (slot + 1) & mask) {
      const k = table[slot]! - 1;
      if (k < 0) return -1;
      if (bytesEqual(b, i, j, this.#keys[k]!)) return k;
    }
  }

  /**
   * Where the wanted top-level fields' values are in the one-line JSON
   * object `b[start..end)`: as `scanRanges` (it succeeds exactly when
   * `scanRanges` does on the decoded line, finding the same fields, the
   * last one when a key repeats) with byte offsets into `b`. A line
   * holding a backslash is refused, as `scanRanges` refuses it: a
   * backslash fails a string, a composite value, or the structure around
   * them. So is one holding a newline (which no line read from a log
   * holds: {@link findLine} stops there).
   */
  find(b: Uint8Array, start: number, end: number, ranges: Int32Array): boolean {
    return this.#scan(b, start, end, ranges) === end;
  }

  /**
   * {@link find} over the line starting at `start` whose end is not known
   * yet: a newline ends it, at or before `limit` (the index of the last
   * newline of the chunk, say). Returns the index of that newline, with
   * the line's fields' ranges, when the line (up to the newline, without a
   * `\r` before it) is one {@link find} accepts; else -1 (and where the
   * line ends is not known). So a reader need not look for a line's end
   * before its fields are found: the scan that finds them finds it.
   *
   * @example Two lines in one buffer
   * ```ts
   * import assert from "node:assert/strict";
   * import { FieldFinder } from "./byte_scan.ts";
   * const text = new TextEncoder();
   * const b = text.encode('{"n":1}\r\n{"n":22}\n');
   * const finder = new FieldFinder([text.encode("n")]);
   * const ranges = new Int32Array(2);
   * assert.equal(finder.findLine(b, 0, b.length - 1, ranges), 8);
   * assert.deepEqual([ranges[0], ranges[1]], [5, 6]);
   * assert.equal(finder.findLine(b, 9, b.length - 1, ranges), b.length - 1);
   * assert.deepEqual([ranges[0], ranges[1]], [14, 16]);
   * ```
   */
  findLine(b: Uint8Array, start: number, limit: number, ranges: Int32Array): number {
    const at = this.#scan(b, start, limit + 1, ranges);
    return at >= 0 && at <= limit && b[at] === NEWLINE ? at : -1;
  }

  /**
   * Scans the one-line JSON object starting at `start` for the wanted
   * fields, up to `end` or a newline: the index just past the object and
   * the white space after it (the end, or a newline, or a byte that is
   * neither), or -1 when it is not an object {@link find} accepts.
   */
  #scan(b: Uint8Array, start: number, end: number, ranges: Int32Array): number {
    for (let x = 2 * this.#keys.length - 1; x >= 0; x--) ranges[x] = -1;
    let i = skipWs(b, start, end);
    if (i >= end || b[i] !== 123) return -1;
    i = skipWs(b, i + 1, end);
    if (i < end && b[i] === 125) return skipWs(b, i + 1, end);
    const predicted = this.#predicted;
    const predictedBytes = this.#predictedBytes;
    for (let member = 0;; member++) {
      if (i >= end || b[i] !== QUOTE) return -1;
      // The key the last line had here, when these bytes are it and a quote follows.
      let k = -1;
      let j = -1;
      if (member < PREDICTED) {
        const key = predictedBytes[member] ?? null;
        if (key !== null) {
          j = i + 1 + key.length;
          if (j < end && b[j] === QUOTE && bytesEqual(b, i + 1, j, key)) k = predicted[member]!;
          else j = -1;
        }
      }
      if (j < 0) {
        // The key: its closing quote found and its hash taken in one pass.
        let h = 0;
        j = i + 1;
        for (; j < end; j++) {
          const c = b[j]!;
          if (c === QUOTE) break;
          if (c === BACKSLASH || c === NEWLINE) return -1;
          h = hashStep(h, c);
        }
        if (j >= end) return -1;
        k = this.#wanted(b, i + 1, j, h);
        // Only keys found by hashing are predicted: never one holding a quote, a backslash or a newline.
        if (member < PREDICTED) {
          predicted[member] = k;
          predictedBytes[member] = k >= 0 ? this.#keys[k]! : b.slice(i + 1, j);
        }
      }
      i = j + 1;
      if (i < end && b[i] === 58) i++;
      else {
        i = skipWs(b, i, end);
        if (i >= end || b[i] !== 58) return -1;
        i++;
      }
      if (i < end && isWs(b[i]!)) i = skipWs(b, i, end);
      // A string, the most common value, without the call to `valueEnd`.
      const vend = i < end && b[i] === QUOTE ? stringEnd(b, i, end) : valueEnd(b, i, end);
      if (vend < 0) return -1;
      if (k >= 0) {
        ranges[2 * k] = i;
        ranges[2 * k + 1] = vend;
      }
      i = skipWs(b, vend, end);
      if (i >= end) return -1;
      const c = b[i];
      if (c === 44) {
        i = skipWs(b, i + 1, end);
        continue;
      }
      if (c !== 125) return -1;
      return skipWs(b, i + 1, end);
    }
  }

  /**
   * The members of a flat JSON object in `b[i..end)` whose keys are
   * wanted: as `scanFlatRanges`, with byte offsets.
   *
   * @example The arguments of a step
   * ```ts
   * import assert from "node:assert/strict";
   * import { FieldFinder } from "./byte_scan.ts";
   * const text = new TextEncoder().encode('{"c":2,"why":"x"}');
   * const ranges = new Int32Array(2);
   * assert.ok(new FieldFinder([new TextEncoder().encode("c")]).findFlat(text, 0, text.length, ranges));
   * assert.deepEqual([ranges[0], ranges[1]], [5, 6]);
   * ```
   */
  findFlat(b: Uint8Array, i: number, end: number, ranges: Int32Array): boolean {
    for (let x = 2 * this.#keys.length - 1; x >= 0; x--) ranges[x] = -1;
    if (i >= end || b[i] !== 123) return false;
    let j = skipWs(b, i + 1, end);
    if (j < end && b[j] === 125) return j + 1 === end;
    for (;;) {
      if (j >= end || b[j] !== QUOTE) return false;
      let h = 0;
      let q = j + 1;
      for (; q < end; q++) {
        const c = b[q]!;
        if (c === QUOTE) break;
        if (c === BACKSLASH) return false;
        h = hashStep(h, c);
      }
      if (q >= end) return false;
      const k = this.#wanted(b, j + 1, q, h);
      j = skipWs(b, q + 1, end);
      if (j >= end || b[j] !== 58) return false;
      j = skipWs(b, j + 1, end);
      if (j >= end) return false;
      let next: number;
      if (b[j] === QUOTE) {
        next = stringEnd(b, j, end);
        if (next < 0) return false;
      } else {
        next = atomEnd(b, j, end);
        if (next === j || byteAtom(b, j, next) === undefined) return false;
      }
      if (k >= 0) {
        ranges[2 * k] = j;
        ranges[2 * k + 1] = next;
      }
      j = skipWs(b, next, end);
      if (j >= end) return false;
      const d = b[j];
      if (d === 44) {
        j = skipWs(b, j + 1, end);
        continue;
      }
      return d === 125 && j + 1 === end;
    }
  }
}

/** Member positions of a line whose key {@link FieldFinder} predicts from the last line. */
const PREDICTED = 16;

/** One byte into a key's hash (a multiplicative hash in 32 bits). */
function hashStep(h: number, c: number): number {
  return (Math.imul(h, 31) + c) | 0;
}

/**
 * The JSON number or literal in `b[i..end)` (ASCII by construction of the
 * ranges found), as `JSON.parse` reads it, or undefined when it is neither:
 * a plain integer read in place, anything else as `atomAt` reads its text.
 *
 * @example A number, a literal, and neither
 * ```ts
 * import assert from "node:assert/strict";
 * import { byteAtom } from "./byte_scan.ts";
 * const b = new TextEncoder().encode("-12 1.5 true 12a 0 01");
 * const at = (i: number, end: number) => byteAtom(b, i, end);
 * assert.deepEqual([at(0, 3), at(4, 7), at(8, 12), at(13, 16), at(17, 18), at(19, 21)], [-12, 1.5, true, undefined, 0, undefined]);
 * ```
 */
export function byteAtom(
  b: Uint8Array,
  i: number,
  end: number,
): number | boolean | null | undefined {
  let j = i;
  let neg = false;
  if (b[j] === 45) neg = (j++, true);
  const first = b[j]!;
  if (end - j <= 15 && first >= 49 && first <= 57) {
    // The first 9 digits, then the rest, in 32-bit integers (no chain of float multiplies).
    let hi = 0;
    const mid = end - j > 9 ? j + 9 : end;
    for (; j < mid; j++) {
      const d = b[j]! - 48;
      if (d < 0 || d > 9) break;
      hi = hi * 10 + d;
    }
    if (j === end) return neg ? -hi : hi;
    if (j === mid) {
      let lo = 0;
      let scale = 1;
      for (; j < end; j++) {
        const d = b[j]! - 48;
        if (d < 0 || d > 9) break;
        lo = lo * 10 + d;
        scale *= 10;
      }
      if (j === end) {
        const n = hi * scale + lo;
        return neg ? -n : n;
      }
    }
  } else if (first === 48 && j + 1 === end) return neg ? -0 : 0;
  const text = asciiText(b, i, end);
  return text === null ? undefined : atomAt(text, 0, text.length);
}

/**
 * The text of `b[i..j)` when every byte is ASCII, else null.
 *
 * @example ASCII only
 * ```ts
 * import assert from "node:assert/strict";
 * import { asciiText } from "./byte_scan.ts";
 * const b = new TextEncoder().encode("api-1 é");
 * assert.equal(asciiText(b, 0, 5), "api-1");
 * assert.equal(asciiText(b, 0, b.length), null);
 * ```
 */
export function asciiText(b: Uint8Array, i: number, j: number): string | null {
  for (let x = i; x < j; x++) if (b[x]! >= 128) return null;
  return LATIN1.decode(b.subarray(i, j));
}

/** ASCII bytes decode alike in every ASCII-compatible encoding; this one never fails. */
const LATIN1 = new TextDecoder("latin1");
