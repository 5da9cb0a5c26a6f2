import assert from "node:assert/strict";
import type { ReplayEvent } from "./extract.ts";
import { ReorderWindow } from "./window.ts";

function ev(wall: number, line: number): ReplayEvent {
  return {
    wall,
    logical: 0,
    file: 0,
    line,
    spec: null as unknown as ReplayEvent["spec"],
    node: "n",
    key: "k",
    action: 0,
    args: [],
    observed: null,
    logSeq: -1,
    deps: null,
    sends: null,
    receives: null,
    late: false,
  };
}

function drain(w: ReorderWindow): number[] {
  const out: number[] = [];
  for (let e = w.pop(); e !== undefined; e = w.pop()) out.push(e.line);
  return out;
}

Deno.test("ReorderWindow sorts lines displaced within the window and holds the rest", () => {
  const w = new ReorderWindow(100);
  for (const [t, l] of [[1000, 1], [1050, 2], [1020, 3], [1100, 4]] as const) w.push(ev(t, l));
  // 1000 is ready (1000 + 100 <= 1100); 1020 and 1050 are not yet.
  assert.deepEqual(drain(w), [1]);
  w.push(ev(1130, 5));
  assert.deepEqual(drain(w), [3]);
  w.close();
  assert.deepEqual(drain(w), [2, 4, 5]);
  assert.equal(w.size, 0);
});

Deno.test("ReorderWindow flags a line older than what it released as late and releases it at once", () => {
  const w = new ReorderWindow(50);
  w.push(ev(1000, 1));
  w.push(ev(1200, 2));
  assert.deepEqual(drain(w), [1]);
  const late = ev(900, 3);
  assert.equal(w.push(late), true);
  assert.equal(late.late, true);
  assert.deepEqual(drain(w), [3]);
  w.close();
  assert.deepEqual(drain(w), [2]);
});

Deno.test("ReorderWindow keeps line order for equal times", () => {
  const w = new ReorderWindow(0);
  for (let l = 1; l <= 4; l++) w.push(ev(1000, l));
  w.close();
  assert.deepEqual(drain(w), [1, 2, 3, 4]);
});
