import assert from "node:assert/strict";
import { type LevelLimits, LevelSchedule, type LevelStates, LevelStop } from "./level_schedule.ts";

/** A stand-in for the state set: per part its count (changed by the test), and its room. */
function states(counts: number[], part: number, room = Infinity): LevelStates {
  return {
    parts: counts.length,
    part,
    countOf: (p) => counts[p]!,
    get room() {
      return room;
    },
  };
}

/** Claims with every view in turn until none is left; returns the positions each took. */
function claimAll(views: readonly LevelSchedule[], count: number): number[][] {
  const taken = views.map(() => [] as number[]);
  for (let live = true; live;) {
    live = false;
    views.forEach((v, i) => {
      const pos = v.claim(count);
      if (pos < 0) return;
      live = true;
      for (let k = 0; k < v.claimSize; k++) taken[i]!.push(pos + k);
    });
  }
  return taken;
}

Deno.test("LevelSchedule hands out every position of a level exactly once, own part first", () => {
  const counts = [1000, 37, 400];
  const views = [0, 1, 2].map((part) => states(counts, part));
  const coordinator = LevelSchedule.create(views[0]!);
  assert.equal(coordinator.nextLevel(), 1437);
  const schedules = views.map((s) => new LevelSchedule(coordinator.buffer, s));
  const taken = claimAll(schedules, 64);
  const all = taken.flat().sort((a, b) => a - b);
  assert.deepEqual(all, Array.from({ length: 1437 }, (_, i) => i));
  // Each view's first claim is in its own part's positions (part 1: 1000..1036).
  assert.deepEqual(taken.map((t) => t[0]), [0, 1000, 1037]);
  // Claims shrink near a range's end, but take at least 16 states.
  assert.ok(taken.every((t) => t.length >= 16));
});

Deno.test("LevelSchedule's next level is the states stored since the previous one started", () => {
  const counts = [5, 3];
  const schedule = LevelSchedule.create(states(counts, 0));
  assert.equal(schedule.nextLevel(), 8);
  counts[0] = 9, counts[1] = 3;
  assert.equal(schedule.nextLevel(), 4);
  const ranges = new Int32Array(4);
  schedule.levelRanges(ranges);
  assert.deepEqual([...ranges], [5, 9, 3, 3]);
  // Part 1's range is empty: every position is part 0's.
  assert.deepEqual([schedule.claim(100), schedule.claimSize], [0, 4]);
  assert.equal(schedule.claim(100), -1);
  assert.equal(schedule.nextLevel(), 0);
  assert.equal(schedule.levelWidth, 0);
});

Deno.test("LevelSchedule's barrier stops a lone worker for each reason, and counts levels", () => {
  const limits: LevelLimits = { perState: 4, maxDepth: 3 };
  const waited = new Float64Array(1);
  const counts = [1];
  const run = (room: number, maxDepth = limits.maxDepth) => {
    counts[0] = 1;
    const schedule = LevelSchedule.create(states(counts, 0, room));
    schedule.nextLevel();
    schedule.runLevels(0);
    counts[0] = 2; // level 0 stored one state
    const goes = [schedule.endLevel({ ...limits, maxDepth }, waited)];
    return { schedule, goes };
  };
  const roomy = run(Infinity);
  assert.deepEqual([roomy.goes, roomy.schedule.level, roomy.schedule.stop], [
    [true],
    1,
    LevelStop.running,
  ]);
  // Level 1 stores nothing: the next level is empty.
  assert.equal(roomy.schedule.endLevel(limits, waited), false);
  assert.equal(roomy.schedule.stop, LevelStop.done);
  const shallow = run(Infinity, 1);
  assert.deepEqual([shallow.goes, shallow.schedule.stop], [[false], LevelStop.maxDepth]);
  // One state in the next level, four successors at most: three states of room are too few.
  const cramped = run(3);
  assert.deepEqual([cramped.goes, cramped.schedule.stop], [[false], LevelStop.room]);
  assert.equal(waited[0], 0);
});

Deno.test("LevelSchedule refuses a buffer sized for another number of parts", () => {
  const schedule = LevelSchedule.create(states([0, 0], 0));
  assert.throws(
    () => new LevelSchedule(schedule.buffer, states([0, 0, 0], 1)),
    /The schedule has '\d+' bytes, not '\d+' for '3' parts/,
  );
});
