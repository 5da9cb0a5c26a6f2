import assert from "node:assert/strict";
import { DeadlineQueue } from "./liveness.ts";
import type { Partition } from "./partition.ts";
import { rng } from "../../tools/harness/spec_mutations.ts";

Deno.test("DeadlineQueue gives each partition once, at its earliest queued time, in time order, whatever the pushes", () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const next = rng(seed);
    const q = new DeadlineQueue();
    const parts = Array.from({ length: 20 }, (_, i) => ({ queuedAt: Infinity, i }));
    // The oracle: each partition's earliest time pushed since it was last given out.
    const want = new Map<number, number>();
    let time = 0;
    for (let step = 0; step < 400; step++) {
      if (next() < 0.7) {
        const p = parts[Math.floor(next() * parts.length)]!;
        const at = time + Math.floor(next() * 50) + next(); // doubles, not only integers
        q.push(at, p as unknown as Partition);
        if (!(want.get(p.i)! <= at)) want.set(p.i, at);
      } else {
        time += Math.floor(next() * 20);
        const due = q.popDue(time) as unknown as typeof parts;
        const expected = [...want].filter(([, at]) => at < time).sort((a, b) => a[1] - b[1]);
        assert.deepEqual(
          due.map((p) => p.i).sort((a, b) => a - b),
          expected.map(([i]) => i).sort((a, b) => a - b),
          `seed ${seed}, step ${step}`,
        );
        for (const [i] of expected) want.delete(i);
        for (const p of due) assert.equal(p.queuedAt, Infinity);
      }
    }
  }
});
