/**
 * Splitting a replay across workers (`vigil replay --workers n`): the
 * partition of an event is a function of its key, so each worker reads
 * every file, maps and orders every line (the same line numbers, reorder
 * windows, merge and per-node step numbers as one worker), and steps and
 * checks only the keys of its shard. A line without a key (blank, filtered,
 * unmapped before its key was read) is counted by shard 0; what it means
 * for verdicts (a hole of its node or file) holds in every shard.
 *
 * @module
 */

/**
 * One worker's share: shard `index` of `count`.
 *
 * @example The second of three shards
 * ```ts
 * import assert from "node:assert/strict";
 * import type { ReplayShard } from "./shard.ts";
 * const shard: ReplayShard = { index: 1, count: 3 };
 * assert.ok(shard.index < shard.count);
 * ```
 */
export interface ReplayShard {
  /** This worker's shard, from 0. */
  readonly index: number;
  /** How many shards there are. */
  readonly count: number;
}

/**
 * The shard of a key: FNV-1a (32 bits) of its UTF-16 code units, modulo
 * `count`. The same on every runtime and in every worker.
 *
 * @example Every key has one shard
 * ```ts
 * import assert from "node:assert/strict";
 * import { shardOf } from "./shard.ts";
 * const s = shardOf("lock:17", 3);
 * assert.ok(s >= 0 && s < 3);
 * assert.equal(shardOf("lock:17", 3), s);
 * assert.equal(shardOf("lock:17", 1), 0);
 * ```
 */
export function shardOf(key: string, count: number): number {
  if (count <= 1) return 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % count;
}

/**
 * Checks a shard option: a `RangeError` naming what is wrong.
 *
 * @example A shard beyond the count
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkShard } from "./shard.ts";
 * assert.throws(() => checkShard({ index: 3, count: 3 }), RangeError);
 * ```
 */
export function checkShard(shard: ReplayShard): void {
  const { index, count } = shard;
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`Option 'shard.count' must be a positive integer, got '${count}'`);
  }
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw new RangeError(
      `Option 'shard.index' must be an integer in 0..${count - 1}, got '${index}'`,
    );
  }
}
