import assert from "node:assert/strict";
import { PendingQueue, Stream } from "./queue.ts";

/** Writes `n` events of `size(i)` bytes each into `p` (the bytes are the event's index). */
function writeEvents(p: ReturnType<PendingQueue["add"]>, n: number, size: (i: number) => number) {
  for (let i = 0; i < n; i++) {
    const before = p.w.length;
    const b = p.w.reserve(size(i));
    b.fill(i & 0xff, before, before + size(i));
    p.w.advanceTo(before + size(i));
    p.wrote(before);
  }
}

Deno.test("A pending batch finds where its live events start after dropping the oldest, past its ends' growth", () => {
  const q = new PendingQueue();
  const s = new Stream("ab", "Lease", "n1", "b1");
  const p = q.add(s, 0, 64);
  const size = (i: number) => 1 + (i % 7);
  writeEvents(p, 100, size); // the ends array starts at 16 and grows three times
  let offset = 0;
  for (let dropped = 0; dropped < 99; dropped++) {
    assert.equal(p.start, offset, `start after dropping ${dropped}`);
    assert.equal(p.w.view(p.start, p.start + 1)[0], dropped & 0xff);
    p.shift();
    offset += size(dropped);
  }
  assert.equal(p.live, 1);
  assert.equal(p.bytes, size(99));
});

Deno.test("A batch reusing a finished batch's writer and ends reads only its own events", () => {
  const q = new PendingQueue();
  const s = new Stream("ab", "Lease", "n1", "b1");
  const first = q.add(s, 0, 64);
  writeEvents(first, 40, () => 9);
  q.remove(first);
  const next = q.add(s, 40, 64);
  assert.equal(next.w, first.w, "the writer is reused");
  assert.equal(next.ends, first.ends, "and the ends with it");
  writeEvents(next, 3, (i) => 2 + i);
  next.shift();
  assert.equal(next.start, 2);
  next.shift();
  assert.equal(next.start, 5);
  assert.equal(next.live, 1);
});
