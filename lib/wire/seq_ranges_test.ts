import assert from "node:assert/strict";
import fc from "../../tools/dev_deps/fast_check.ts";
import {
  addToRanges,
  addToSet,
  checkDropRanges,
  countRanges,
  hasInRanges,
  mergeRanges,
  type Range,
  removeFromSet,
  subtractRanges,
  subtractSorted,
} from "./seq_ranges.ts";

/** A set of numbers as ascending, disjoint, non-adjacent ranges. */
function rangesOf(set: ReadonlySet<number>): Range[] {
  const out: Range[] = [];
  for (const n of [...set].sort((a, b) => a - b)) addToSet(out, n);
  return out;
}

Deno.test("subtractRanges removes runs as subtractSorted removes their numbers, and as a plain Set does", () => {
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.integer({ min: 0, max: 80 }), { maxLength: 60 }),
      fc.uniqueArray(fc.integer({ min: 0, max: 80 }), { maxLength: 60 }),
      (have, take) => {
        const ranges = rangesOf(new Set(have));
        const removed = [...take].sort((a, b) => a - b);
        const runs = rangesOf(new Set(take));
        const expected = rangesOf(new Set(have.filter((n) => !take.includes(n))));
        assert.deepEqual(subtractRanges(ranges, runs), expected);
        assert.deepEqual(subtractSorted(ranges, removed), expected);
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("Range sets agree with a plain Set under random adds and removes", () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 60 })), { maxLength: 200 }),
      (ops) => {
        const ranges: Range[] = [];
        const set = new Set<number>();
        for (const [add, n] of ops) {
          if (add && !set.has(n)) {
            addToSet(ranges, n);
            set.add(n);
          } else if (!add) {
            removeFromSet(ranges, n);
            set.delete(n);
          }
          for (let i = 0; i < ranges.length; i++) {
            const r = ranges[i]!;
            assert.ok(r[0] <= r[1]);
            if (i > 0) assert.ok(ranges[i - 1]![1] + 1 < r[0], "disjoint and not adjacent");
          }
        }
        for (let n = -1; n <= 61; n++) assert.equal(hasInRanges(ranges, n), set.has(n), `n = ${n}`);
      },
    ),
  );
});

Deno.test("mergeRanges joins two ascending lists in order, merging overlaps and neighbours", () => {
  const numbers = (rs: readonly (readonly [number, number])[]) =>
    rs.flatMap(([a, b]) => Array.from({ length: b - a + 1 }, (_, i) => a + i));
  /** Ascending, disjoint, non-adjacent ranges over a set of numbers. */
  const toRanges = (xs: number[]) =>
    [...new Set(xs)].sort((x, y) => x - y).reduce<[number, number][]>((out, x) => {
      const tail = out.at(-1);
      if (tail !== undefined && tail[1] + 1 === x) tail[1] = x;
      else out.push([x, x]);
      return out;
    }, []);
  const list = fc.array(fc.nat(300), { maxLength: 60 }).map(toRanges);
  fc.assert(fc.property(list, list, (a, b) => {
    const copyA = structuredClone(a);
    const merged = mergeRanges(a, b);
    assert.deepEqual(merged, toRanges([...numbers(a), ...numbers(b)]));
    assert.deepEqual(a, copyA, "inputs unchanged");
  }));
  // Long lists merge without spreading them into a call (no stack overflow).
  const evens = Array.from({ length: 300_000 }, (_, i): [number, number] => [4 * i, 4 * i]);
  const odds = Array.from({ length: 300_000 }, (_, i): [number, number] => [4 * i + 2, 4 * i + 2]);
  assert.equal(mergeRanges(evens, odds).length, 600_000);
});

Deno.test("addToRanges appends ascending numbers as merged ranges that countRanges counts", () => {
  fc.assert(
    fc.property(fc.uniqueArray(fc.nat(500), { maxLength: 80 }), (xs) => {
      const sorted = [...xs].sort((a, b) => a - b);
      const ranges: [number, number][] = [];
      for (const x of sorted) addToRanges(ranges, x);
      assert.equal(countRanges(ranges), sorted.length);
      for (let i = 1; i < ranges.length; i++) assert.ok(ranges[i - 1]![1] + 1 < ranges[i]![0]);
      for (const x of sorted) assert.ok(hasInRanges(ranges, x), `${x}`);
      assert.equal(checkDropRanges(ranges, (sorted.at(-1) ?? -1) + 1), null);
    }),
  );
});

Deno.test("checkDropRanges names the first range breaking the rule and why", () => {
  assert.equal(checkDropRanges([], 0), null);
  assert.equal(checkDropRanges([[0, 2], [4, 8]], 9), null);
  const cases: [readonly (readonly [number, number])[], number, number, RegExp][] = [
    [[[0, 2], [2, 4]], 9, 1, /not after the previous range/],
    [[[0, 2], [5, 4]], 9, 1, /ends before it starts/],
    [[[0, 2], [5, 9]], 9, 1, /not below the batch's first number '9'/],
    [[[-1, 2]], 9, 0, /non-negative safe integers/],
    [[[0, 2 ** 53]], 2 ** 60, 0, /non-negative safe integers/],
    [[[0, 0.5]], 9, 0, /non-negative safe integers/],
  ];
  for (const [ranges, below, index, problem] of cases) {
    const p = checkDropRanges(ranges, below);
    assert.equal(p?.index, index, JSON.stringify(ranges));
    assert.match(p.problem, problem);
  }
});
