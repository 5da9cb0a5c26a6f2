import assert from "node:assert/strict";
import fc from "fast-check";
import { addToSet, hasInRanges, type Range, removeFromSet } from "./seq_ranges.ts";

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
