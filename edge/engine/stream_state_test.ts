import assert from "node:assert/strict";
import { EventStore } from "./event_store.ts";
import { MAX_HOLES_PER_STREAM, StreamState } from "./stream_state.ts";

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
    s.track(slot, STORE.genOf(slot), seq);
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
      s.track(slot, store.genOf(slot), seq);
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

Deno.test("StreamState times out an old hole restored after a newer one below it", () => {
  const store = new EventStore(8);
  const s = new StreamState(ID, 0, store);
  s.receive(0, 0);
  const slot = store.alloc();
  s.track(slot, store.genOf(slot), 0); // 0 is still buffered at the snapshot
  s.reach(5, 1);
  const back = StreamState.restore(s.snapshot(), 10, new EventStore(8));
  assert.deepEqual(back.holes, [[0, 0, 10, false], [1, 4, 1, false]]);
  assert.deepEqual(
    back.expire(1),
    [[1, 4, 1, false]],
    "the restored hole's since is the older one",
  );
  assert.deepEqual(back.expire(9), []);
  assert.deepEqual(back.expire(10), [[0, 0, 10, false]]);
});

/** `k` one-number drop ranges every other number from `base`: `base`, `base + 2`, ... */
function everyOther(base: number, k: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < k; i++) out.push([base + 2 * i, base + 2 * i]);
  return out;
}

Deno.test("StreamState declares 100,000 drop ranges at once, a retry changes nothing, and the limit closes the lowest holes", () => {
  const k = 100_000;
  const ranges = everyOther(0, k);
  const s = new StreamState(ID, 0, STORE);
  const r = s.declareAll(ranges, 1);
  assert.equal(r.count, k);
  assert.equal(r.holes.length, 2 * k - 1, "each range and each skipped number between two");
  assert.equal(s.openHoles, 2 * k - 1);
  assert.equal(s.next, 2 * k - 1);
  const before = s.holes.map((h) => [...h]);
  const again = s.declareAll(ranges, 2);
  assert.deepEqual([again.count, again.holes.length], [0, 0]);
  assert.deepEqual(s.holes.map((h) => [...h]), before);
  const closed = s.closeOverLimit();
  assert.equal(closed.length, 2 * k - 1 - MAX_HOLES_PER_STREAM);
  assert.deepEqual(closed[0], [0, 0, 1, true]);
  assert.deepEqual(closed[1], [1, 1, 1, false]);
  assert.deepEqual(s.holes.map((h) => [...h]), before.slice(closed.length));
  assert.equal(s.declareAll(ranges, 3).count, 0, "closed numbers are not declared again");
  assert.equal(s.openHoles, MAX_HOLES_PER_STREAM);
});

Deno.test("StreamState takes drop batches of 100,000, 60,000 and 60,000 ranges and expires them in one pass", () => {
  const s = new StreamState(ID, 0, STORE);
  let base = 0;
  let declared = 0;
  for (const k of [100_000, 60_000, 60_000]) {
    declared += s.declareAll(everyOther(base, k), 5).count;
    base += 2 * k;
    assert.deepEqual(s.reach(base, 5), [base - 1, base - 1, 5, false], "the batch's first number");
  }
  assert.equal(declared, 220_000);
  assert.equal(s.declareAll(everyOther(0, 100_000), 6).count, 0, "a late retry of the first batch");
  assert.deepEqual(s.expire(4), []);
  const gone = s.expire(5);
  assert.equal(s.openHoles, 0);
  let declaredGone = 0;
  let undeclaredGone = 0;
  for (const h of gone) {
    if (h[3]) declaredGone += h[1] - h[0] + 1;
    else undeclaredGone += h[1] - h[0] + 1;
  }
  assert.deepEqual([declaredGone, undeclaredGone], [220_000, 220_000]);
});
