/**
 * Growable typed arrays for the explorer's per-state and per-edge columns.
 *
 * @module
 */

/**
 * An `Int32Array` column that doubles its capacity as needed.
 *
 * @example Push and read
 * ```ts
 * import assert from "node:assert/strict";
 * import { IntColumn } from "./growable.ts";
 * const c = new IntColumn(2);
 * for (let i = 0; i < 5; i++) c.set(i, i * 10);
 * assert.ok(c.get(4) === 40 && c.length === 5);
 * ```
 */
export class IntColumn {
  #data: Int32Array;
  #length = 0;

  /** A column with room for `capacity` values before growing. */
  constructor(capacity = 1024) {
    this.#data = new Int32Array(Math.max(16, capacity));
  }

  /** One past the highest index set. */
  get length(): number {
    return this.#length;
  }

  /** The backing array (valid until the next `set` or `push` that grows it). */
  get data(): Int32Array {
    return this.#data;
  }

  /** Sets index `i` (growing the column). */
  set(i: number, value: number): void {
    if (i >= this.#data.length) this.#grow(i + 1);
    this.#data[i] = value;
    if (i >= this.#length) this.#length = i + 1;
  }

  /** Appends `value`. */
  push(value: number): void {
    this.set(this.#length, value);
  }

  /** The value at `i` (0 beyond the end). */
  get(i: number): number {
    return this.#data[i] ?? 0;
  }

  #grow(need: number): void {
    let size = this.#data.length * 2;
    while (size < need) size *= 2;
    const bigger = new Int32Array(size);
    bigger.set(this.#data);
    this.#data = bigger;
  }
}
