/**
 * The counts of a Prometheus histogram: observations counted into buckets
 * by upper bound (`le`), with their sum and count, kept since start. The
 * registry (`metrics.ts`) renders them in the text format as cumulative
 * `<name>_bucket{le="..."}` series ending with `le="+Inf"`, then
 * `<name>_sum` and `<name>_count`; a dashboard reads a quantile over any
 * time range with `histogram_quantile(0.99, rate(<name>_bucket[5m]))`.
 *
 * @module
 */

/**
 * A histogram's counts at one moment.
 *
 * @example Two observations in buckets 0.1 and 1
 * ```ts
 * import assert from "node:assert/strict";
 * import { HistogramCounts, type HistogramSnapshot } from "./histogram.ts";
 * const h = new HistogramCounts([0.1, 1]);
 * h.observe(0.05);
 * h.observe(0.5);
 * const s: HistogramSnapshot = h.snapshot();
 * assert.deepEqual(s.cumulative, [1, 2]);
 * assert.equal(s.count, 2);
 * ```
 */
export interface HistogramSnapshot {
  /** The buckets' upper bounds, increasing, without `+Inf`. */
  readonly bounds: readonly number[];
  /** Per bound, the observations at or below it (cumulative, as exposed). */
  readonly cumulative: readonly number[];
  /** The sum of every observation. */
  readonly sum: number;
  /** How many observations (the `+Inf` bucket). */
  readonly count: number;
}

/**
 * Checks a histogram's upper bounds: at least one, each finite, strictly
 * increasing. Throws `RangeError` naming the first bad one.
 *
 * @example Bounds out of order
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkBounds } from "./histogram.ts";
 * assert.throws(() => checkBounds([1, 0.5]), RangeError);
 * checkBounds([0.5, 1]);
 * ```
 */
export function checkBounds(bounds: readonly number[]): void {
  if (bounds.length === 0) throw new RangeError("A histogram needs at least one bucket bound");
  for (let i = 0; i < bounds.length; i++) {
    const b = bounds[i]!;
    if (!Number.isFinite(b)) {
      throw new RangeError(
        `Histogram bucket bound ${i} is '${b}': bounds are finite (+Inf is always added)`,
      );
    }
    if (i > 0 && b <= bounds[i - 1]!) {
      throw new RangeError(
        `Histogram bucket bound ${i} is '${b}', not above bound ${i - 1} '${bounds[i - 1]}'`,
      );
    }
  }
}

/**
 * Counts observations into buckets.
 *
 * @example Observe round trips in seconds
 * ```ts
 * import assert from "node:assert/strict";
 * import { HistogramCounts } from "./histogram.ts";
 * const h = new HistogramCounts([0.25, 0.5, 1]);
 * for (const s of [0.2, 0.25, 0.7, 3]) h.observe(s);
 * const { cumulative, sum, count } = h.snapshot();
 * assert.deepEqual(cumulative, [2, 2, 3]);
 * assert.equal(count, 4);
 * assert.equal(sum, 4.15);
 * ```
 */
export class HistogramCounts {
  readonly #bounds: readonly number[];
  /** Per bound (and one past the last: above every bound), observations in that bucket alone. */
  readonly #counts: Float64Array;
  #sum = 0;
  #count = 0;

  /** Buckets with these upper bounds (`le`), finite and increasing; `+Inf` is implied. */
  constructor(bounds: readonly number[]) {
    checkBounds(bounds);
    this.#bounds = [...bounds];
    this.#counts = new Float64Array(bounds.length + 1);
  }

  /** The upper bounds. */
  get bounds(): readonly number[] {
    return this.#bounds;
  }

  /** Counts `value` in the first bucket whose bound is at least it. `RangeError` on NaN. */
  observe(value: number): void {
    if (Number.isNaN(value)) throw new RangeError("A histogram cannot observe NaN");
    const b = this.#bounds;
    let lo = 0;
    let hi = b.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (value <= b[mid]!) hi = mid;
      else lo = mid + 1;
    }
    this.#counts[lo]!++;
    this.#sum += value;
    this.#count++;
  }

  /** The counts now, cumulative per bound. */
  snapshot(): HistogramSnapshot {
    const cumulative: number[] = [];
    let running = 0;
    for (let i = 0; i < this.#bounds.length; i++) {
      running += this.#counts[i]!;
      cumulative.push(running);
    }
    return { bounds: this.#bounds, cumulative, sum: this.#sum, count: this.#count };
  }
}
