/**
 * The maintained node aggregates of a compiled spec, from its optional
 * exports `global-agg-size`, `global-agg-add`, `global-check-agg` and
 * `global-liveness-agg` (see `docs/abi.md`): a collector keeps one record
 * of running counts and sums per set of instances and re-evaluates the
 * global items from it instead of visiting every instance.
 *
 * @module
 */
import type { GlobalAggregates } from "./compiled.ts";
import { GLOBAL_AFTER_AGG_EXPORT } from "./global_after.ts";

type Fn = (...args: number[]) => number;

/**
 * The aggregates of a core module's exports; undefined when the module
 * lacks the exports (compiled before them) or its global items have no
 * term to maintain (`global-agg-size` is 0).
 *
 * @example A spec with a sum and a count over nodes
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "./loader.ts";
 * const calc = await loadCompiled(new URL("../../dist/calc.core.wasm", import.meta.url));
 * const agg = calc.globalAggregates!;
 * const nodes = calc.create(2);
 * const cells = calc.create(Math.ceil(agg.size / calc.meta.stride));
 * agg.clear(cells);
 * for (const inst of [nodes, nodes + 1]) assert.equal(agg.add(inst, cells, 1), 0);
 * assert.equal(agg.check(nodes, 2, 2, cells), calc.globalCheck(nodes, 2));
 * assert.equal(agg.liveness(nodes, 2, cells), calc.globalLiveness(nodes, 2));
 * ```
 */
export function aggregatesOf(exports: WebAssembly.Exports): GlobalAggregates | undefined {
  const size = exports["global-agg-size"];
  const add = exports["global-agg-add"];
  const check = exports["global-check-agg"];
  const liveness = exports["global-liveness-agg"];
  if (
    typeof size !== "function" || typeof add !== "function" || typeof check !== "function" ||
    typeof liveness !== "function"
  ) return undefined;
  const bytes = (size as Fn)() >>> 0;
  if (bytes === 0) return undefined;
  const rawAdd = add as Fn;
  const rawCheck = check as Fn;
  const rawLiveness = liveness as Fn;
  const statePtr = exports["state-ptr"] as Fn;
  const memory = exports["memory"] as WebAssembly.Memory;
  const rawAfter = exports[GLOBAL_AFTER_AGG_EXPORT];
  const after = typeof rawAfter !== "function" ? {} : {
    after: (
      first: number,
      count: number,
      node: number,
      pinned: boolean,
      cells: number,
      add: boolean,
    ) => {
      if (node >= count || node < 0) {
        throw new RangeError(`Node position ${node} is outside the ${count} instances checked`);
      }
      return (rawAfter as Fn)(first, count, node, pinned ? 1 : 0, cells, add ? 1 : 0) >>> 0;
    },
  };
  return {
    ...after,
    size: bytes,
    clear: (cells) => void new Uint8Array(memory.buffer, statePtr(cells) >>> 0, bytes).fill(0),
    add: (inst, cells, delta) => {
      if (delta !== 1 && delta !== -1) {
        throw new RangeError(`Aggregate delta must be 1 or -1, got '${delta}'`);
      }
      return rawAdd(inst, cells, delta) >>> 0;
    },
    check: (first, count, node, cells) => rawCheck(first, count, node, cells) >>> 0,
    liveness: (first, count, cells) => rawLiveness(first, count, cells) >>> 0,
  };
}
