/**
 * The `global-after` export of a compiled spec (ABI 1, optional): one call
 * after a participant's state is written, answering what a collector asks
 * next in one crossing instead of three.
 *
 * `global-after(first, count, node, pinned) -> u32` returns
 * `code | liveness(first + node) << 16 | global-liveness(first, count) << 24`,
 * where `code` is `global-check-node(first, count, node)` when `pinned` is
 * non-zero, else `global-check(first, count)`.
 *
 * The packing needs every verdict code below 2^16 and at most four local
 * and four global liveness items (two bits each): a spec outside these
 * bounds is compiled without the export (see {@link globalAfterFits}), and
 * callers use the three exports, as they do for a spec compiled before it
 * existed.
 *
 * `global-agg-after(first, count, node, pinned, cells, add) -> u32` is the
 * same for a partition whose checks read the record of maintained
 * aggregates at `cells` (`global_aggregates.ts`): when `add` is non-zero it
 * first adds instance `first + node`'s contributions to the record (the
 * caller removed its old ones before writing its state), then the code is
 * `global-check-agg(first, count, pinned ? node : count, cells)` and the
 * global mask `global-liveness-agg(first, count, cells)`; bit 15 is set
 * when the addition overflowed the record (rebuild it). Emitted for specs
 * whose codes are below 2^15 (and used only when the record has terms).
 *
 * @module
 */
import type { SpecMeta } from "./meta.ts";

/** The export's name. */
export const GLOBAL_AFTER_EXPORT = "global-after";
/** Bit where the local liveness mask starts in the result. */
export const AFTER_LOCAL_SHIFT = 16;
/** Bit where the global liveness mask starts in the result. */
export const AFTER_GLOBAL_SHIFT = 24;
/** The name of the variant for partitions read from a record of maintained aggregates. */
export const GLOBAL_AFTER_AGG_EXPORT = "global-agg-after";
/** Bit of `global-agg-after`'s result set when adding the instance overflowed the record. */
export const AFTER_AGG_OVERFLOW_BIT = 15;

/** Liveness items of each kind the result has room for (two bits each). */
export const AFTER_MAX_LIVENESS = 4;

/**
 * True when a spec's verdict codes fit below bit {@link AFTER_AGG_OVERFLOW_BIT}
 * and its liveness items fit `global-agg-after`'s packed result (the compiler
 * emits that export only then, and only for a spec with maintained aggregates).
 *
 * @example Lease fits
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "./loader.ts";
 * import { globalAfterAggFits } from "./global_after.ts";
 * const lease = await loadCompiled("dist/lease.core.wasm");
 * assert.ok(globalAfterAggFits(lease.meta));
 * ```
 */
export function globalAfterAggFits(
  meta: Pick<SpecMeta, "verdicts" | "liveness" | "globalLiveness">,
): boolean {
  return meta.verdicts.length <= 1 << AFTER_AGG_OVERFLOW_BIT && globalAfterFits(meta);
}

/**
 * True when a spec's verdict codes and liveness items fit the packed
 * result (the compiler emits the export only then).
 *
 * @example Lease fits
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "./loader.ts";
 * import { globalAfterFits } from "./global_after.ts";
 * const lease = await loadCompiled("dist/lease.core.wasm");
 * assert.ok(globalAfterFits(lease.meta));
 * ```
 */
export function globalAfterFits(
  meta: Pick<SpecMeta, "verdicts" | "liveness" | "globalLiveness">,
): boolean {
  return meta.verdicts.length <= 1 << AFTER_LOCAL_SHIFT &&
    meta.liveness.length <= AFTER_MAX_LIVENESS &&
    meta.globalLiveness.length <= AFTER_MAX_LIVENESS;
}
