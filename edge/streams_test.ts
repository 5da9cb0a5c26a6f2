import assert from "node:assert/strict";
import { EventStore } from "./event_store.ts";
import { StreamState } from "./streams.ts";

const ID = { spec: "ab", specName: "A", node: "n1", boot: "b1" };
const STORE = new EventStore(8);

Deno.test("StreamState detects duplicates, opens a hole over skipped numbers and closes it when filled", () => {
  const s = new StreamState(ID, 0, STORE);
  assert.equal(s.receive(0, 0), 0);
  assert.equal(s.receive(0, 0), -1);
  assert.equal(s.receive(3, 5), 0);
  assert.deepEqual(s.holes, [[1, 2, 5, false]]);
  assert.equal(s.receive(2, 6), 1);
  assert.deepEqual(s.holes, [[1, 1, 5, false]]);
  assert.equal(s.receive(1, 7), 1);
  assert.equal(s.openHoles, 0);
  assert.equal(s.receive(2, 8), -1);
});

Deno.test("StreamState declares drops, lets an event win over a drop, and expires old holes", () => {
  const s = new StreamState(ID, 0, STORE);
  const r = s.declare(2, 4, 10);
  assert.equal(r.count, 3);
  assert.deepEqual(s.holes, [[0, 1, 10, false], [2, 4, 10, true]]);
  assert.equal(s.declare(0, 0, 11).count, 1, "an undeclared hole number becomes declared");
  assert.equal(s.receive(3, 12), 1, "the event wins over the declared drop");
  assert.deepEqual(s.expire(10).map((h) => [h[0], h[1], h[3]]), [[0, 0, true], [1, 1, false], [
    2,
    2,
    true,
  ], [
    4,
    4,
    true,
  ]]);
  assert.equal(s.openHoles, 0);
});

Deno.test("StreamState reports applied numbers only once nothing below is buffered", () => {
  const s = new StreamState(ID, 0, STORE);
  const b = [0, 1, 2].map(() => STORE.alloc());
  b.forEach((slot, seq) => {
    s.receive(seq, 0);
    s.track(slot, STORE.gen[slot]!, seq);
  });
  assert.equal(s.appliedThrough(), -1);
  STORE.retire(b[1]!);
  s.applied();
  assert.equal(s.appliedThrough(), -1);
  assert.equal(s.isApplied(1, 1), true);
  assert.equal(s.isApplied(0, 2), false);
  STORE.retire(b[0]!);
  s.applied();
  assert.equal(s.appliedThrough(), 1);
  const snap = s.snapshot();
  assert.deepEqual(snap.applied, [[0, 1]]);
  assert.deepEqual(snap.holes, [[2, 2, -1, false]], "buffered numbers reopen as holes on restore");
  const back = StreamState.restore(snap, 99, STORE);
  assert.deepEqual(back.holes, [[2, 2, 99, false]]);
  assert.equal(back.receive(2, 100), 1);
  assert.equal(back.receive(1, 100), -1);
});

Deno.test("StreamState.isApplied agrees with the buffered numbers, in order or not", () => {
  const store = new EventStore(8);
  for (const order of [[0, 1, 2, 3, 4, 5, 6, 7], [3, 0, 7, 1, 6, 2, 5, 4]]) {
    const s = new StreamState(ID, 0, store);
    const slots = new Map<number, number>();
    for (const seq of order) {
      s.receive(seq, 0);
      const slot = store.alloc();
      slots.set(seq, slot);
      s.track(slot, store.gen[slot]!, seq);
    }
    for (const seq of [1, 4, 5]) {
      store.retire(slots.get(seq)!);
      s.applied();
    }
    const pending = new Set([0, 2, 3, 6, 7]);
    for (let first = 0; first < 9; first++) {
      for (let count = 1; first + count <= 9; count++) {
        const expected = ![...pending].some((q) => q >= first && q < first + count);
        assert.equal(s.isApplied(first, count), expected, `${order} [${first}, +${count})`);
      }
    }
  }
});
