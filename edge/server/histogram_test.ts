import assert from "node:assert/strict";
import { checkBounds, HistogramCounts } from "./histogram.ts";

Deno.test("A histogram counts a value equal to a bound in that bound's bucket, and one above every bound only in the count", () => {
  const h = new HistogramCounts([1, 2, 4]);
  for (const v of [-3, 1, 1.5, 2, 4, 4.0001, 100]) h.observe(v);
  const s = h.snapshot();
  assert.deepEqual(s.bounds, [1, 2, 4]);
  // le=1: -3, 1; le=2: + 1.5, 2; le=4: + 4; 4.0001 and 100 only in +Inf (the count).
  assert.deepEqual(s.cumulative, [2, 4, 5]);
  assert.equal(s.count, 7);
  assert.equal(s.sum, -3 + 1 + 1.5 + 2 + 4 + 4.0001 + 100);
});

Deno.test("A histogram matches a linear scan over many random values", () => {
  const bounds = [0.001, 0.01, 0.1, 0.25, 0.5, 1, 2.5, 10];
  const h = new HistogramCounts(bounds);
  let seed = 7;
  const values: number[] = [];
  for (let i = 0; i < 5_000; i++) {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    const v = (seed / 2_147_483_648) ** 3 * 20;
    values.push(v);
    h.observe(v);
  }
  values.push(...bounds);
  for (const b of bounds) h.observe(b);
  assert.deepEqual(h.snapshot().cumulative, bounds.map((b) => values.filter((v) => v <= b).length));
  assert.equal(h.snapshot().count, values.length);
});

Deno.test("A histogram refuses bounds that are empty, not finite or not increasing, and NaN observations", () => {
  assert.throws(() => checkBounds([]), /at least one bucket bound/);
  assert.throws(() => new HistogramCounts([1, Infinity]), /bound 1 is 'Infinity'/);
  assert.throws(() => new HistogramCounts([0.5, NaN]), RangeError);
  assert.throws(() => new HistogramCounts([1, 1]), /bound 1 is '1', not above bound 0 '1'/);
  const h = new HistogramCounts([1]);
  assert.throws(() => h.observe(NaN), RangeError);
  assert.equal(h.snapshot().count, 0);
});
