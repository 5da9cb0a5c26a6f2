/**
 * The causal judge's queue (`edge/engine/causal/judge_queue.ts`) against a
 * sorted array: random inserts (mostly in order, some out of order, ties),
 * shifts, retains and clears, through several growths of the ring and its
 * wrap-around; and its errors.
 */
import assert from "node:assert/strict";
import { compareStarts, Interval } from "../edge/engine/causal/lanes.ts";
import { JudgeQueue } from "../edge/engine/causal/judge_queue.ts";
import { rng as random } from "./collector_core_fixture.ts";

const interval = (node: string, wall: number, logical: number) =>
  new Interval({ node, index: 0, boot: "b" }, {
    nid: 0,
    seq: 0,
    action: 0,
    wall,
    logical,
    block: 0,
  });

/** The model's insert: after every interval that starts before `i` or at the same point. */
function modelInsert(model: Interval[], i: Interval): void {
  let k = model.length;
  while (k > 0 && compareStarts(model[k - 1]!, i) > 0) k--;
  model.splice(k, 0, i);
}

Deno.test("JudgeQueue keeps canonical order like a sorted array over random inserts, shifts and retains", () => {
  for (let seed = 1; seed <= 20; seed++) {
    const next = random(seed);
    const q = new JudgeQueue();
    const model: Interval[] = [];
    let wall = 1_732_170_000_000;
    for (let step = 0; step < 2_000; step++) {
      const r = next();
      if (r < 0.55) {
        // Mostly in order; sometimes behind the tail (a late event), sometimes a tie on wall.
        wall += Math.floor(next() * 3);
        const w = next() < 0.15 ? wall - Math.floor(next() * 40) : wall;
        const i = interval(next() < 0.5 ? "A" : "B", w, Math.floor(next() * 3));
        q.insert(i);
        modelInsert(model, i);
      } else if (r < 0.95) {
        if (model.length === 0) continue;
        assert.equal(q.shift(), model.shift());
      } else if (r < 0.98) {
        const keep = (i: Interval) => i.logical !== 1;
        q.retain(keep);
        model.splice(0, model.length, ...model.filter(keep));
      } else {
        q.clear();
        model.length = 0;
      }
      assert.equal(q.length, model.length);
      assert.equal(q.firstWall, model.length === 0 ? Infinity : model[0]!.wall);
    }
    assert.deepEqual(q.toArray(), model);
    for (let k = 0; k < model.length; k++) assert.equal(q.at(k), model[k]);
  }
});

Deno.test("JudgeQueue push appends in the given order (a restored queue) and keeps the first wall", () => {
  const q = new JudgeQueue();
  const saved = [interval("A", 10, 0), interval("B", 10, 0), interval("A", 12, 0)];
  for (const i of saved) q.push(i);
  assert.equal(q.firstWall, 10);
  assert.deepEqual(q.toArray(), saved);
  q.insert(interval("B", 11, 0));
  assert.deepEqual(q.toArray().map((i) => [i.node, i.wall]), [["A", 10], ["B", 10], ["B", 11], [
    "A",
    12,
  ]]);
});

Deno.test("JudgeQueue refuses a shift when empty and an index past its end, saying so", () => {
  const q = new JudgeQueue();
  assert.throws(() => q.shift(), { name: "RangeError", message: /shift of an empty queue/ });
  q.insert(interval("A", 1, 0));
  assert.throws(() => q.at(1), { name: "RangeError", message: /no interval '1', it holds 1/ });
  assert.equal(q.at(0).wall, 1);
});
