import assert from "node:assert/strict";
import { requestTimers } from "./request_timers.ts";

Deno.test("requestTimers runs only the due callbacks, in the order they were set, once", () => {
  let now = 1_000;
  const timers = requestTimers({ now: () => now });
  const order: string[] = [];
  timers.setTimeout(() => order.push("retry"), 400);
  timers.setTimeout(() => order.push("flush"), 0);
  timers.setTimeout(() => order.push("late"), 5_000);
  assert.equal(timers.runDue(), 1);
  assert.deepEqual(order, ["flush"]);
  now = 1_450;
  assert.equal(timers.runDue(), 1);
  assert.equal(timers.runDue(), 0, "a callback runs once");
  assert.deepEqual(order, ["flush", "retry"]);
  assert.equal(timers.pending, 1);
  now = 6_000;
  assert.equal(timers.runDue(), 1);
  assert.deepEqual(order, ["flush", "retry", "late"]);
  assert.equal(timers.pending, 0);
});

Deno.test("requestTimers never runs a cleared callback", () => {
  let now = 0;
  const timers = requestTimers({ now: () => now });
  let runs = 0;
  const id = timers.setTimeout(() => runs++, 10);
  timers.clearTimeout(id);
  timers.clearTimeout("not an id");
  now = 50;
  assert.equal(timers.runDue(), 0);
  assert.equal(runs, 0);
  assert.equal(timers.pending, 0);
});

Deno.test("requestTimers: a due callback cleared by an earlier one in the same run does not run", () => {
  const timers = requestTimers({ now: () => 0 });
  const ran: string[] = [];
  let second: unknown = null;
  timers.setTimeout(() => {
    ran.push("first");
    timers.clearTimeout(second);
    timers.setTimeout(() => ran.push("set by first"), 0);
  }, 0);
  second = timers.setTimeout(() => ran.push("second"), 0);
  assert.equal(timers.runDue(), 1);
  assert.deepEqual(ran, ["first"], "one set during a run waits for the next run");
  assert.equal(timers.runDue(), 1);
  assert.deepEqual(ran, ["first", "set by first"]);
});

Deno.test("requestTimers counts a negative or missing delay as zero and refuses a non-function", () => {
  const timers = requestTimers({ now: () => 0 });
  let runs = 0;
  timers.setTimeout(() => runs++, -5);
  timers.setTimeout(() => runs++, NaN);
  assert.equal(timers.runDue(), 2);
  assert.equal(runs, 2);
  assert.throws(
    () => timers.setTimeout("run()" as unknown as () => void, 1),
    { name: "TypeError", message: "Timer callback must be a function, got 'string'" },
  );
});
