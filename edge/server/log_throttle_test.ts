import assert from "node:assert/strict";
import { createThrottledLog } from "./log_throttle.ts";

const summary = (n: number, s: number) => `${n} more in the last ${s} s`;

Deno.test("ThrottledLog tells each key once at once, then one count per interval, and flush tells what is due", () => {
  let t = 0;
  const lines: string[] = [];
  const log = createThrottledLog({ onLog: (l) => lines.push(l), now: () => t, intervalMs: 1000 });
  log.note("a", () => "a first", summary);
  log.note("b", () => "b first", summary);
  for (let i = 0; i < 5; i++) log.note("a", () => "a again", summary);
  assert.deepEqual(lines, ["a first", "b first"]);
  t = 500;
  log.flush();
  assert.equal(lines.length, 2, "nothing is due before the interval");
  t = 1000;
  log.note("a", () => "a again", summary);
  assert.deepEqual(lines.slice(2), ["6 more in the last 1 s"]);
  log.note("a", () => "a again", summary);
  t = 2600;
  log.flush();
  assert.deepEqual(lines.slice(3), ["1 more in the last 2 s"]);
  log.flush({ all: true });
  assert.equal(lines.length, 4, "nothing pending: nothing more");
});

Deno.test("ThrottledLog builds a line only when it writes one, and survives a throwing sink", () => {
  let built = 0;
  const log = createThrottledLog({
    onLog: () => {
      throw new Error("sink down");
    },
  });
  for (let i = 0; i < 100; i++) log.note("k", () => `line ${++built}`, summary);
  assert.equal(built, 1);
  log.flush({ all: true });
});
