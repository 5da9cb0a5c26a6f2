import assert from "node:assert/strict";
import { requestTimers } from "./request_timers.ts";

/** Underlying timers under the test's control: `fire()` runs what a live request would. */
function manualTimers() {
  const set: { fn: () => void; ms: number }[] = [];
  return {
    set,
    timers: {
      setTimeout: (fn: () => void, ms: number) => set.push({ fn, ms }),
      clearTimeout: () => {
        throw new Error("Another request's timer must never be cleared");
      },
    },
    fire: () => set.splice(0).forEach((t) => t.fn()),
  };
}

Deno.test("requestTimers runs a timer once when its own request is alive to fire it", () => {
  const base = manualTimers();
  let now = 0;
  const timers = requestTimers({ timers: base.timers, now: () => now });
  let runs = 0;
  timers.setTimeout(() => runs++, 20);
  assert.deepEqual(base.set.map((t) => t.ms), [20]);
  base.fire();
  now = 100;
  assert.equal(timers.runDue(), 0, "already run: not run again");
  assert.equal(runs, 1);
  assert.equal(timers.pending, 0);
});

Deno.test("requestTimers runs only the due timers of an ended request, in set order", () => {
  const base = manualTimers();
  let now = 1_000;
  const timers = requestTimers({ timers: base.timers, now: () => now });
  const order: string[] = [];
  timers.setTimeout(() => order.push("retry"), 400);
  timers.setTimeout(() => order.push("flush"), 50);
  timers.setTimeout(() => order.push("late"), 5_000);
  now = 1_450;
  assert.equal(timers.runDue(), 2);
  assert.deepEqual(order, ["retry", "flush"]);
  assert.equal(timers.pending, 1);
  now = 6_000;
  assert.equal(timers.runDue(), 1);
  assert.deepEqual(order, ["retry", "flush", "late"]);
});

Deno.test("requestTimers forgets a cleared timer without clearing the underlying one", () => {
  const base = manualTimers();
  let now = 0;
  const timers = requestTimers({ timers: base.timers, now: () => now });
  let runs = 0;
  const id = timers.setTimeout(() => runs++, 10);
  timers.clearTimeout(id);
  timers.clearTimeout("not an id");
  now = 50;
  assert.equal(timers.runDue(), 0);
  base.fire();
  assert.equal(runs, 0, "the underlying timer fires into nothing");
});

Deno.test("requestTimers counts a negative or missing delay as zero and refuses a non-function", () => {
  const base = manualTimers();
  const timers = requestTimers({ timers: base.timers, now: () => 0 });
  let runs = 0;
  timers.setTimeout(() => runs++, -5);
  timers.setTimeout(() => runs++, NaN);
  assert.deepEqual(base.set.map((t) => t.ms), [0, 0]);
  assert.equal(timers.runDue(), 2);
  assert.equal(runs, 2);
  assert.throws(
    () => timers.setTimeout("run()" as unknown as () => void, 1),
    { name: "TypeError", message: "Timer callback must be a function, got 'string'" },
  );
});
