/**
 * Paged listings over the collector's tables: partitions and nodes live in
 * `Map`s in insertion order and are never deleted, so an
 * {@link InsertionIndex} keeps each entry's position and a cursor (the
 * partition id, the node id) resolves to a position at once; a page then
 * costs the entries it holds, not the whole table. Violations are a short
 * array (at most `maxViolations`) whose oldest entries are dropped first:
 * their cursor is the violation's ordinal among all violations raised.
 *
 * @module
 */
import type { Page } from "./types.ts";

/**
 * The positions of a `Map`'s values in insertion order, extended as the map
 * grows. Entries must never be deleted from the map (the collector never
 * deletes partitions or nodes); should the map shrink, the index is rebuilt.
 */
export class InsertionIndex<V> {
  readonly #source: ReadonlyMap<unknown, V>;
  readonly #cursorOf: (value: V, taken: (cursor: string) => boolean) => string;
  readonly #order: V[] = [];
  readonly #cursors: string[] = [];
  readonly #positions = new Map<string, number>();
  /** Counts the entries removed from the map; null when it only grows. */
  readonly #removals: (() => number) | null;
  #removed = 0;

  /**
   * Indexes `source`; `cursorOf` names an entry (it may look at `taken` to
   * make the name unique).
   *
   * @example Page through a map
   * ```ts
   * import assert from "node:assert/strict";
   * import { InsertionIndex } from "./pages.ts";
   * const m = new Map([["a", 1], ["b", 2], ["c", 3]]);
   * const index = new InsertionIndex(m, (v) => `n${v}`);
   * const first = index.page(undefined, 2, (v) => v);
   * assert.deepEqual([first.items, first.next], [[1, 2], "n2"]);
   * assert.deepEqual(index.page("n2", 2, (v) => v).items, [3]);
   * ```
   */
  constructor(
    source: ReadonlyMap<unknown, V>,
    cursorOf: (value: V, taken: (cursor: string) => boolean) => string,
    options: { readonly removals?: () => number } = {},
  ) {
    this.#source = source;
    this.#cursorOf = cursorOf;
    this.#removals = options.removals ?? null;
  }

  /** Brings the index up to the map (costs the entries added since the last call, or nothing). */
  #sync(): void {
    const size = this.#source.size;
    const removed = this.#removals === null ? 0 : this.#removals();
    if (size === this.#order.length && removed === this.#removed) return;
    if (size < this.#order.length || removed !== this.#removed) {
      this.#removed = removed;
      this.#order.length = 0;
      this.#cursors.length = 0;
      this.#positions.clear();
    }
    let i = 0;
    const known = this.#order.length;
    const taken = (c: string) => this.#positions.has(c);
    for (const v of this.#source.values()) {
      if (i++ < known) continue;
      const cursor = this.#cursorOf(v, taken);
      this.#positions.set(cursor, this.#order.length);
      this.#order.push(v);
      this.#cursors.push(cursor);
    }
  }

  /**
   * The page after `after` (`undefined`: the first), of at most `limit`
   * values for which `keep` answers (every value when `keep` is absent).
   * `total` counts the values kept over the whole map.
   *
   * @throws {RangeError} For a cursor this index never gave.
   */
  page<T>(
    after: string | undefined,
    limit: number,
    view: (value: V) => T,
    keep?: (value: V) => boolean,
  ): Page<T> {
    this.#sync();
    let start = 0;
    if (after !== undefined) {
      const at = this.#positions.get(after);
      if (at === undefined) throw new RangeError(`Unknown cursor '${after}'`);
      start = at + 1;
    }
    const items: T[] = [];
    let last = -1;
    let i = start;
    for (; i < this.#order.length && items.length < limit; i++) {
      const v = this.#order[i]!;
      if (keep !== undefined && !keep(v)) continue;
      items.push(view(v));
      last = i;
    }
    let total = this.#order.length;
    let more = false;
    if (keep === undefined) {
      more = i < this.#order.length;
    } else {
      total = 0;
      for (let j = 0; j < this.#order.length; j++) {
        if (!keep(this.#order[j]!)) continue;
        total++;
        if (j >= i) more = true;
      }
    }
    return { items, total, next: more && last >= 0 ? this.#cursors[last]! : null };
  }
}

/**
 * A page of a list whose oldest entries may have been dropped: `list[i]` is
 * entry number `firstOrdinal + i` among all ever added, and a cursor is an
 * ordinal. A cursor older than the oldest kept continues with the oldest kept.
 *
 * @throws {RangeError} For a cursor that is not an ordinal given so far.
 *
 * @example Page through the kept tail of a list
 * ```ts
 * import assert from "node:assert/strict";
 * import { ordinalPage } from "./pages.ts";
 * const kept = ["v3", "v4", "v5"]; // v0..v2 dropped
 * const p = ordinalPage(kept, 3, { limit: 2 }, () => true);
 * assert.deepEqual([p.items, p.next, p.total], [["v3", "v4"], "4", 3]);
 * assert.deepEqual(ordinalPage(kept, 3, { after: "4", limit: 2 }, () => true).items, ["v5"]);
 * ```
 */
export function ordinalPage<V>(
  list: readonly V[],
  firstOrdinal: number,
  options: { readonly after?: string; readonly limit: number },
  keep: (value: V) => boolean,
): Page<V> {
  let start = 0;
  if (options.after !== undefined) {
    const n = /^\d{1,15}$/.test(options.after) ? Number(options.after) : NaN;
    if (!(n < firstOrdinal + list.length)) {
      throw new RangeError(`Unknown cursor '${options.after}'`);
    }
    start = Math.max(0, n + 1 - firstOrdinal);
  }
  const items: V[] = [];
  let total = 0;
  let last = -1;
  let more = false;
  for (let i = 0; i < list.length; i++) {
    const v = list[i]!;
    if (!keep(v)) continue;
    total++;
    if (i < start) continue;
    if (items.length < options.limit) {
      items.push(v);
      last = i;
    } else {
      more = true;
    }
  }
  return { items, total, next: more ? String(firstOrdinal + last) : null };
}
