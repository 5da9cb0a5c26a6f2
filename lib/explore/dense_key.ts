/**
 * A state's valuation number: when every state variable of a spec has a
 * finite domain (bool, enum, range) and their product (the state-space
 * bound, `state_space.ts`) is small, each packed state block maps to one
 * number `0 .. bound-1` (its slots' values, offset by their lower bounds,
 * read as the digits of a mixed-radix number, the first slot most
 * significant). The map is exact and one-to-one, so the explorer's state
 * sets can index states directly by it (a table of `bound` 32-bit entries)
 * instead of hashing and probing: two states share a number only if they
 * are equal, and a lookup is one read of one entry.
 *
 * A block whose slot holds a value outside its domain, or whose padding
 * bytes (not covered by any slot) are not 0, has no number: {@link
 * DenseKey.key} throws, saying which slot and value, rather than
 * mistake it for another state.
 *
 * The plan ({@link DensePlan}) is plain typed arrays, so it is posted to
 * the parallel explorer's workers as it is.
 *
 * @module
 */
import type { SpecMeta } from "../abi/meta.ts";
import type { Program, ScalarType } from "../ir.ts";

/**
 * The most valuations a spec may have for its states to be indexed
 * directly: a table of 2^24 entries is 64 MiB (memory touched only where
 * states are found), no more than the hash table of the set presized for
 * as many states (`state_space.ts`) would take.
 */
export const DENSE_MAX_BOUND = 1 << 24;

/**
 * How to read a block's valuation number: per slot (in slot order) the
 * word that holds it, the shifts that extract it, its lower bound and its
 * number of values; per word the bits no slot covers.
 *
 * @example The plan of three dials 0..127 (one byte each, in word 0)
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "../frontend.ts";
 * import { initialState } from "../interpreter/interpreter.ts";
 * import { buildMeta } from "../wasm/meta_build.ts";
 * import { DenseKey, type DensePlan } from "./dense_key.ts";
 * const { program } = analyze("spec D type I = 0..2 state d: map[I, 0..127] = 0");
 * const plan: DensePlan = DenseKey.of(program!, buildMeta(program!, initialState(program!).state))!.plan;
 * assert.deepEqual([plan.bound, [...plan.word], [...plan.size]], [128 ** 3, [0, 0, 0], [128, 128, 128]]);
 * ```
 */
export interface DensePlan {
  /** The number of valuations (numbers are `0 .. bound-1`). */
  readonly bound: number;
  /** Words per state block. */
  readonly words: number;
  /** Per slot: the index of the word holding it. */
  readonly word: Int32Array;
  /** Per slot: left shift that drops the bits above it. */
  readonly left: Int32Array;
  /** Per slot: right shift (after `left`) that drops the bits below it. */
  readonly right: Int32Array;
  /** Per slot: 1 when its value is sign-extended. */
  readonly signed: Uint8Array;
  /** Per slot: its lowest value. */
  readonly lo: Float64Array;
  /** Per slot: its number of values. */
  readonly size: Float64Array;
  /** Per word: the bits no slot covers (0 in every state). */
  readonly padding: Uint32Array;
}

function domainOf(type: ScalarType): { lo: number; size: number } | null {
  switch (type.kind) {
    case "bool":
      return { lo: 0, size: 2 };
    case "enum":
      return { lo: 0, size: type.labels.length };
    case "range":
      return { lo: Number(type.lo), size: Number(type.hi - type.lo) + 1 };
    case "int":
      return null;
  }
}

/**
 * Maps packed state blocks to their valuation numbers (see the module
 * doc).
 *
 * @example Number two states of three dials
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "../frontend.ts";
 * import { initialState } from "../interpreter/interpreter.ts";
 * import { buildMeta } from "../wasm/meta_build.ts";
 * import { DenseKey } from "./dense_key.ts";
 * const { program } = analyze("spec D type I = 0..2 state d: map[I, 0..127] = 0");
 * const key = DenseKey.of(program!, buildMeta(program!, initialState(program!).state))!;
 * // d[0] = 1, d[1] = 2, d[2] = 3: bytes 0, 1, 2 of word 0.
 * assert.equal(key.key(new Uint32Array([0x030201, 0]), 0), (1 * 128 + 2) * 128 + 3);
 * assert.equal(key.key(new Uint32Array([0, 0]), 0), 0);
 * assert.throws(() => key.key(new Uint32Array([0x80, 0]), 0), /outside 0\.\.127/);
 * ```
 */
export class DenseKey {
  /** The plan, as posted to workers. */
  readonly plan: DensePlan;
  /** The number of valuations. */
  readonly bound: number;
  readonly #names: readonly string[];
  /**
   * When every slot is one byte: per byte of the block (`256 * byte +
   * value`), what that byte adds to the number (its slot's digit times
   * the slot's weight; 0 for a padding byte holding 0), `-bound` for a
   * value no state has (the valid entries add up to less than `bound`, so
   * one such byte makes the sum negative); else `null`. Integers, so the
   * sum is a small integer in every tier of the JIT: a `Float64Array`
   * made each key a heap number until the function was optimized (49 MB
   * of garbage in a worker's cold run of 2M states).
   */
  readonly #bytes: Int32Array | null;

  /** A key reading blocks by `plan`; `names[i]` names slot `i` in errors (default `slot i`). */
  constructor(plan: DensePlan, names: readonly string[] = []) {
    this.plan = plan;
    this.bound = plan.bound;
    this.#names = names;
    this.#bytes = plan.right.every((r) => r === 24) && plan.bound <= 2 ** 30
      ? byteTable(plan)
      : null;
  }

  /**
   * The key of `program`'s states laid out by `meta`, or `null` when they
   * cannot be numbered directly: a variable is an `int`, a slot is 8 bytes
   * wide, or there are more than `maxBound` valuations (default
   * {@link DENSE_MAX_BOUND}).
   */
  static of(program: Program, meta: SpecMeta, maxBound = DENSE_MAX_BOUND): DenseKey | null {
    if (meta.stride % 4 !== 0) return null;
    const words = meta.stride / 4, n = meta.slots.length;
    const plan: DensePlan = {
      bound: 1,
      words,
      word: new Int32Array(n),
      left: new Int32Array(n),
      right: new Int32Array(n),
      signed: new Uint8Array(n),
      lo: new Float64Array(n),
      size: new Float64Array(n),
      padding: new Uint32Array(words).fill(0xffffffff),
    };
    const names: string[] = new Array<string>(n).fill("");
    let bound = 1;
    for (const v of program.vars) {
      const domain = domainOf(v.type.kind === "map" ? v.type.value : v.type);
      if (domain === null) return null;
      for (let i = 0; i < v.size; i++) {
        const s = v.base + i, layout = meta.slots[s];
        if (layout === undefined || layout.width > 4) return null;
        bound *= domain.size;
        if (bound > maxBound) return null;
        const bits = layout.width * 8, word = layout.offset >> 2, shift = (layout.offset & 3) * 8;
        if (shift + bits > 32 || word >= words) return null;
        plan.word[s] = word;
        plan.left[s] = 32 - shift - bits;
        plan.right[s] = 32 - bits;
        plan.signed[s] = layout.signed ? 1 : 0;
        plan.lo[s] = domain.lo;
        plan.size[s] = domain.size;
        plan.padding[word]! &= ~(bits === 32 ? 0xffffffff : ((1 << bits) - 1) << shift);
        names[s] = v.type.kind === "map" ? `${v.name}[entry ${i}]` : v.name;
      }
    }
    if (names.length !== n || plan.size.some((size) => size === 0)) return null;
    return new DenseKey({ ...plan, bound }, names);
  }

  /**
   * The valuation number of the block at `block[at..]`. Throws when a slot
   * is outside its domain or a padding bit is set.
   */
  key(block: Uint32Array, at: number): number {
    const bytes = this.#bytes;
    if (bytes !== null) {
      // The sum of one table entry per byte: negative when a byte is out of place.
      let key = 0;
      for (let i = 0, b = 0; i < this.plan.words; i++, b += 1024) {
        const x = block[at + i]!;
        key += bytes[b + (x & 255)]! + bytes[b + 256 + ((x >>> 8) & 255)]! +
          bytes[b + 512 + ((x >>> 16) & 255)]! + bytes[b + 768 + (x >>> 24)]!;
      }
      if (key >= 0) return key;
    }
    return this.#slotKey(block, at);
  }

  /** {@link key} slot by slot (and the errors). */
  #slotKey(block: Uint32Array, at: number): number {
    const p = this.plan, n = p.size.length;
    const word = p.word, left = p.left, right = p.right, signed = p.signed;
    const lo = p.lo, size = p.size;
    let key = 0;
    for (let s = 0; s < n; s++) {
      const x = block[at + word[s]!]! << left[s]!;
      const digit = (signed[s] === 1 ? x >> right[s]! : x >>> right[s]!) - lo[s]!;
      const values = size[s]!;
      if (!(digit >= 0 && digit < values)) this.#outside(s, digit + lo[s]!);
      key = key * values + digit;
    }
    const padding = p.padding;
    for (let i = 0; i < padding.length; i++) {
      if ((block[at + i]! & padding[i]!) !== 0) this.#padded(block, at, i);
    }
    return key;
  }

  #outside(slot: number, value: number): never {
    const p = this.plan, lo = p.lo[slot]!;
    throw new RangeError(
      `State slot ${slot} (${this.#names[slot] || "?"}) holds ${value}, outside ${lo}..${
        lo + p.size[slot]! - 1
      }: the block is not a state of this spec`,
    );
  }

  #padded(block: Uint32Array, at: number, word: number): never {
    const bits = (block[at + word]! & this.plan.padding[word]!) >>> 0;
    throw new RangeError(
      `State word ${word} has padding bits 0x${
        bits.toString(16)
      } set (no slot covers them): the block is not a state of this spec`,
    );
  }
}

/** The per-byte table of {@link DenseKey} for a plan whose slots are all one byte wide. */
function byteTable(plan: DensePlan): Int32Array {
  const n = plan.size.length, invalid = -plan.bound;
  const table = new Int32Array(plan.words * 4 * 256).fill(invalid);
  // A byte no slot covers adds 0 when it is 0.
  for (let b = 0; b < plan.words * 4; b++) table[b * 256] = 0;
  let weight = 1;
  for (let s = n - 1; s >= 0; s--) {
    const byte = plan.word[s]! * 4 + (24 - plan.left[s]!) / 8;
    const lo = plan.lo[s]!, size = plan.size[s]!;
    for (let raw = 0; raw < 256; raw++) {
      const value = plan.signed[s] === 1 ? (raw << 24) >> 24 : raw;
      const digit = value - lo;
      table[byte * 256 + raw] = digit >= 0 && digit < size ? digit * weight : invalid;
    }
    weight *= size;
  }
  return table;
}
