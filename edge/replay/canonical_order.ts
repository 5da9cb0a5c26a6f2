/**
 * The canonical order of what a replay lists, so a report does not depend
 * on how the work was split (`vigil replay --workers n`) or on the order in
 * which files were read:
 *
 * - violations by the place in the merged logs of the line that showed
 *   them (the event's ordinal: its place in the replay's processing order,
 *   the same in every worker), local before global at the same line, then
 *   by spec, key, kind, property and nodes; those found at the end of the
 *   logs (an obligation still open) come last;
 * - unmapped and out-of-window lines by file (in the order given), then line.
 *
 * Each list keeps the first `limit` items of that order (everything is
 * counted elsewhere), in bounded memory: {@link BoundedList}.
 *
 * @module
 */

/**
 * Where a violation sorts: `[ordinal, scope (0 local, 1 global), tie-break text]`.
 *
 * @example A global violation found at the line of ordinal 12
 * ```ts
 * import assert from "node:assert/strict";
 * import type { ViolationOrder } from "./canonical_order.ts";
 * const order: ViolationOrder = [12, 1, "Lease\u0000lock:7\u0000invariant\u0000OneHolder"];
 * assert.equal(order[1], 1);
 * ```
 */
export type ViolationOrder = readonly [number, number, string];

/**
 * Compares two violation orders.
 *
 * @example The earlier line first, local before global on the same line
 * ```ts
 * import assert from "node:assert/strict";
 * import { compareViolationOrder } from "./canonical_order.ts";
 * assert.ok(compareViolationOrder([3, 1, "a"], [7, 0, "a"]) < 0);
 * assert.ok(compareViolationOrder([7, 0, "z"], [7, 1, "a"]) < 0);
 * assert.ok(compareViolationOrder([Infinity, 0, "a"], [7, 1, "a"]) > 0);
 * ```
 */
export function compareViolationOrder(a: ViolationOrder, b: ViolationOrder): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  if (a[1] !== b[1]) return a[1] - b[1];
  return a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0;
}

/**
 * The order of a file line: file index, then line number (one number).
 *
 * @example File before line
 * ```ts
 * import assert from "node:assert/strict";
 * import { lineOrder } from "./canonical_order.ts";
 * assert.ok(lineOrder(0, 900) < lineOrder(1, 2));
 * ```
 */
export function lineOrder(file: number, line: number): number {
  return file * 4294967296 + line;
}

/**
 * The first `limit` items of a canonical order, kept while items come in
 * any order: up to twice the limit are held, then sorted and cut; an item
 * that sorts after the last kept one once the list is full is not admitted.
 *
 * @example Keep the two smallest
 * ```ts
 * import assert from "node:assert/strict";
 * import { BoundedList } from "./canonical_order.ts";
 * const list = new BoundedList<number, string>(2, (a, b) => a - b);
 * for (const n of [5, 1, 9, 3, 7]) if (list.admits(n)) list.push(n, `#${n}`);
 * assert.deepEqual(list.items(), ["#1", "#3"]);
 * ```
 */
export class BoundedList<K, T> {
  readonly #limit: number;
  readonly #compare: (a: K, b: K) => number;
  #entries: { key: K; item: T }[] = [];
  /** Set once the list was cut: items sorting after it are not kept. */
  #threshold: { key: K } | null = null;

  /** A list of at most `limit` items in the order `compare` defines. */
  constructor(limit: number, compare: (a: K, b: K) => number) {
    this.#limit = limit;
    this.#compare = compare;
  }

  /** False when an item of this key would not be kept (describe it only when true). */
  admits(key: K): boolean {
    if (this.#limit <= 0) return false;
    return this.#threshold === null || this.#compare(key, this.#threshold.key) < 0;
  }

  /** Adds an item (dropped at once when not admitted). */
  push(key: K, item: T): void {
    if (!this.admits(key)) return;
    this.#entries.push({ key, item });
    if (this.#entries.length >= 2 * this.#limit) this.#cut();
  }

  /** The kept entries, sorted. */
  entries(): readonly { readonly key: K; readonly item: T }[] {
    this.#cut();
    return this.#entries;
  }

  /** The kept items, sorted. */
  items(): T[] {
    return this.entries().map((e) => e.item);
  }

  #cut(): void {
    const c = this.#compare;
    this.#entries.sort((a, b) => c(a.key, b.key));
    if (this.#entries.length >= this.#limit) {
      this.#entries.length = this.#limit;
      this.#threshold = { key: this.#entries[this.#limit - 1]!.key };
    }
  }
}
