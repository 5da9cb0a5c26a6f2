import assert from "node:assert/strict";
import { EventRing, Origins } from "./event_ring.ts";
import { EventStore } from "./event_store.ts";
import type { EventSnapshot } from "./types.ts";

const ev = (seq: number, args: number[], node = "n1"): EventSnapshot => ({
  node,
  boot: "b1",
  seq,
  wall: 1_700_000_000_000 + seq,
  logical: seq % 3,
  action: seq % 2,
  args,
  verdict: seq % 5 === 0 ? 2 : 0,
  late: seq % 4 === 0,
});

Deno.test("EventRing keeps the newest events, any argument count, as given", () => {
  const r = new EventRing(3, new Origins());
  const all = [
    ev(1, []),
    ev(2, [7]),
    ev(3, [1.5, -0]),
    ev(4, [1, 2, 3], "n2"),
    ev(5, [9, 8, 7, 6, 5]),
  ];
  for (const e of all) r.pushSnapshot(e);
  assert.deepEqual(r.toArray(), all.slice(2));
  r.pushSnapshot(ev(6, [4]));
  assert.deepEqual(r.toArray(), [...all.slice(3), ev(6, [4])]);
});

Deno.test("EventRing records store slots exactly as their snapshots", () => {
  const s = new EventStore(8);
  const origins = new Origins();
  const r = new EventRing(8, origins);
  const expected: EventSnapshot[] = [];
  for (const [i, args] of [[], [1], [2, 3], [4, 5, 6], [7, 8, 9, 10, 11]].entries()) {
    const slot = s.alloc();
    const e = ev(i, args, `n${i % 2}`);
    s.seq[slot] = e.seq;
    s.wall[slot] = e.wall;
    s.logical[slot] = e.logical;
    s.action[slot] = e.action;
    s.verdict[slot] = e.verdict;
    s.setArgs(slot, args);
    r.pushSlot(s, slot, origins.of(e.node, e.boot), e.late);
    assert.deepEqual(s.snapshotOf(slot, e.node, e.boot, e.late), e);
    expected.push(e);
  }
  assert.deepEqual(r.toArray(), expected);
});

Deno.test("EventRing grows with its events and keeps the newest capacity of them, whatever the count", () => {
  for (const capacity of [1, 2, 5, 32]) {
    for (let n = 0; n <= 3 * capacity + 1; n++) {
      const r = new EventRing(capacity, new Origins());
      const all = Array.from({ length: n }, (_, i) => ev(i, i % 4 === 3 ? [i, i, i] : [i]));
      for (const e of all) r.pushSnapshot(e);
      assert.deepEqual(r.toArray(), all.slice(Math.max(0, n - capacity)));
      assert.equal(r.size, Math.min(n, capacity));
    }
  }
});
