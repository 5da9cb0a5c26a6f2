/**
 * `FieldFinder.findLine` for every line of a chunk in one WebAssembly call
 * (`line_scan.wat`, assembled into `line_scan_wasm.ts`): the chunk's
 * complete lines are copied into the module's memory (up to
 * {@link WINDOW} bytes or {@link MAX_LINES} lines at a time), one call
 * scans them all, and each line's newline and fields' ranges are then read
 * from the records it wrote. The same results as `FieldFinder.findLine`
 * (`line_scan_test.ts` compares them on random lines), at a fraction of the
 * CPU: a byte loop in WebAssembly has no bounds or type checks, and the
 * call is paid once per chunk rather than per line.
 *
 * @module
 */
import { LINE_SCAN_WASM } from "./line_scan_wasm.ts";

/** Bytes of a chunk scanned per call. */
const WINDOW = 128 << 10;
/** Lines scanned per call at most. */
const MAX_LINES = 4096;
/** Wanted keys at most (their table must fit the module's layout). */
const MAX_KEYS = 32;
/** Bytes of all wanted keys together at most. */
const MAX_KEY_BYTES = 4096;
/** The module's layout (`line_scan.wat`). */
const KEYS = 0;
const TABLE = 1024;
const KEY_BYTES = 2048;
const IN = 8192;
const OUT = IN + WINDOW;

/** What `line_scan.wat` exports. */
interface LineScanExports {
  readonly memory: WebAssembly.Memory;
  setup(nkeys: number, mask: number): void;
  scan(start: number, limit: number, out: number, max: number, delta: number): number;
}

/**
 * The hash `line_scan.wat` takes of a key (its bytes between the quotes,
 * at least one): by its length and its first and last bytes, which need
 * no loop over the key.
 */
function keyHash(key: Uint8Array): number {
  const len1 = key.length + 1; // the distance from the opening quote to the closing one
  return (Math.imul(Math.imul(len1, 31) + key[0]!, 31) + key[key.length - 1]!) | 0;
}

let compiled: WebAssembly.Module | null | undefined;

/**
 * The compiled module, once per process; null where WebAssembly or its
 * 128-bit SIMD is missing (`FieldFinder` does the work then).
 */
function lineScanModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(LINE_SCAN_WASM as BufferSource);
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/**
 * Finds the wanted top-level fields of the lines of a chunk, chunk by
 * chunk.
 *
 * @example Two lines of one chunk
 * ```ts
 * import assert from "node:assert/strict";
 * import { LineScanner } from "./line_scan.ts";
 * const text = new TextEncoder();
 * const b = text.encode('{"n":1}\n{"n":22}\n');
 * const scanner = LineScanner.of([text.encode("n")])!;
 * const ranges = new Int32Array(2);
 * assert.equal(scanner.findLine(b, 0, b.length - 1, 1, ranges), 7);
 * assert.deepEqual([ranges[0], ranges[1]], [5, 6]);
 * assert.equal(scanner.findLine(b, 8, b.length - 1, 1, ranges), b.length - 1);
 * assert.deepEqual([ranges[0], ranges[1]], [13, 15]);
 * ```
 */
export class LineScanner {
  readonly #exports: LineScanExports;
  readonly #keys: number;
  /** Int32s per line record: start, newline, accepted, then two per key. */
  readonly #record: number;
  #words: Int32Array;
  #bytes: Uint8Array;
  /** The chunk the records are of (its number, `RawLine.chunk`), or -1. */
  #chunk = -1;
  #count = 0;
  #cursor = 0;

  /**
   * A scanner of the fields named by `keys` (UTF-8 bytes), or null when
   * they do not fit it (too many, too long) or WebAssembly is missing: use
   * `FieldFinder` then.
   */
  static of(keys: readonly Uint8Array[]): LineScanner | null {
    const bytes = keys.reduce((n, k) => n + k.length, 0);
    if (keys.length > MAX_KEYS || bytes > MAX_KEY_BYTES) return null;
    const module = lineScanModule();
    if (module === null) return null;
    return new LineScanner(new WebAssembly.Instance(module, {}), keys);
  }

  private constructor(instance: WebAssembly.Instance, keys: readonly Uint8Array[]) {
    const x = instance.exports as unknown as LineScanExports;
    this.#exports = x;
    this.#keys = keys.length;
    this.#record = 3 + 2 * keys.length;
    const need = OUT + 4 * this.#record * MAX_LINES;
    const have = x.memory.buffer.byteLength;
    if (need > have) x.memory.grow(Math.ceil((need - have) / 65536));
    this.#words = new Int32Array(x.memory.buffer);
    this.#bytes = new Uint8Array(x.memory.buffer);
    // The wanted keys and their table, by `keyHash`.
    let size = 8;
    while (size < 4 * keys.length) size *= 2;
    let at = KEY_BYTES;
    keys.forEach((key, k) => {
      this.#words[(KEYS >> 2) + 2 * k] = at;
      this.#words[(KEYS >> 2) + 2 * k + 1] = key.length;
      this.#bytes.set(key, at);
      at += key.length;
      if (key.length === 0) return; // never matched, as `FieldFinder`
      let slot = keyHash(key) & (size - 1);
      while (this.#words[(TABLE >> 2) + slot] !== 0) slot = (slot + 1) & (size - 1);
      this.#words[(TABLE >> 2) + slot] = k + 1;
    });
    x.setup(keys.length, size - 1);
  }

  /**
   * `FieldFinder.findLine` of the line starting at `start` in `b`, whose
   * last newline is at `limit`; `chunk` names the chunk (the same number
   * for the same bytes: `RawLine.chunk`), so its lines are scanned in one
   * call. Returns the line's newline with its fields' ranges, -1 when the
   * line is not one `FieldFinder` accepts, or -2 when it is longer than
   * this scanner takes (use `FieldFinder` for it).
   */
  findLine(
    b: Uint8Array,
    start: number,
    limit: number,
    chunk: number,
    ranges: Int32Array,
  ): number {
    if (chunk !== this.#chunk || !this.#seek(start)) {
      if (!this.#fill(b, start, limit, chunk)) return -2;
    }
    const w = this.#words;
    const r = (OUT >> 2) + this.#cursor++ * this.#record;
    if (w[r + 2] === 0) return -1;
    for (let x = 2 * this.#keys - 1; x >= 0; x--) ranges[x] = w[r + 3 + x]!;
    return w[r + 1]!;
  }

  /** Moves to the record of the line starting at `start`; false when there is none. */
  #seek(start: number): boolean {
    const w = this.#words;
    const size = this.#record;
    while (this.#cursor < this.#count) {
      const s = w[(OUT >> 2) + this.#cursor * size]!;
      if (s === start) return true;
      if (s > start) return false;
      this.#cursor++;
    }
    return false;
  }

  /** Scans the lines from `start` (as many as fit); false when the first is too long. */
  #fill(b: Uint8Array, start: number, limit: number, chunk: number): boolean {
    let last = limit;
    if (limit + 1 - start > WINDOW) {
      last = b.subarray(start, start + WINDOW).lastIndexOf(10);
      if (last < 0) return false;
      last += start;
    }
    if (this.#words.buffer !== this.#exports.memory.buffer) {
      this.#words = new Int32Array(this.#exports.memory.buffer);
      this.#bytes = new Uint8Array(this.#exports.memory.buffer);
    }
    this.#bytes.set(b.subarray(start, last + 1), IN);
    this.#count = this.#exports.scan(IN, IN + last - start, OUT, MAX_LINES, start - IN);
    this.#cursor = 0;
    this.#chunk = chunk;
    return true;
  }
}
