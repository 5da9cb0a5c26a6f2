import assert from "node:assert/strict";
import { EventRing, Origins } from "./event_ring.ts";
import { RingArena } from "./ring_arena.ts";
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

Deno.test("EventRing.touch reads the record the next push overwrites (the mirrored ring's while mirroring)", () => {
  const origins = new Origins();
  const history = new EventRing(4, origins);
  const mine = new EventRing(2, origins);
  assert.ok(mine.mirror(history));
  assert.equal(mine.touch(), 0); // nothing recorded yet
  for (const seq of [1, 2, 3, 4, 5]) history.pushSnapshot(ev(seq, []));
  // The history holds 2..5 in a room of 4: the next push overwrites 2's record.
  assert.equal(history.touch(), ev(2, []).wall);
  assert.equal(mine.touch(), history.touch());
  mine.detach();
  for (const seq of [6, 7, 8]) mine.pushSnapshot(ev(seq, []));
  assert.equal(mine.touch(), ev(7, []).wall);
});

Deno.test("EventRing records store slots exactly as their snapshots", () => {
  const s = new EventStore(8);
  const origins = new Origins();
  const r = new EventRing(8, origins);
  const expected: EventSnapshot[] = [];
  for (const [i, args] of [[], [1], [2, 3], [4, 5, 6], [7, 8, 9, 10, 11]].entries()) {
    const slot = s.alloc();
    const e = ev(i, args, `n${i % 2}`);
    s.setHlc(slot, e.wall, e.logical, e.seq);
    s.setCodes(slot, e.action, e.verdict);
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

/** Puts snapshot `e` in a fresh store slot (the store's origins are the rings'). */
function slotOf(s: EventStore, e: EventSnapshot): number {
  const slot = s.alloc();
  s.setHlc(slot, e.wall, e.logical, e.seq);
  s.setCodes(slot, e.action, e.verdict);
  s.setArgs(slot, e.args);
  return slot;
}

Deno.test("A ring mirroring a history holds what a ring pushed every event would, before and after it detaches", () => {
  for (const [cut, size] of [[5, 32], [2, 2], [1, 7], [5, 8]] as const) {
    for (const detachAt of [0, 1, cut - 1, cut, cut + 3, size, size + 5, 3 * size, -1]) {
      const origins = new Origins();
      const s = new EventStore(8);
      const history = new EventRing(size, origins);
      const mirror = new EventRing(cut, origins);
      const plain = new EventRing(cut, origins);
      assert.ok(mirror.mirror(history));
      for (let i = 0; i < 3 * size + 7; i++) {
        const e = ev(i, i % 5 === 4 ? [i, i, i] : i % 3 === 0 ? [] : [i, -i], "n1");
        const slot = slotOf(s, e);
        const origin = origins.of(e.node, e.boot);
        if (i === detachAt) mirror.detach(); // a second participant joined
        if (mirror.mirrored) history.pushSlot(s, slot, origin, e.late);
        else history.pushSlotBoth(mirror, s, slot, origin, e.late);
        plain.pushSlot(s, slot, origin, e.late);
        s.retire(slot);
        s.free(slot);
        assert.equal(mirror.mirrored, detachAt < 0 || i < detachAt);
        assert.deepEqual(
          mirror.toArray(),
          plain.toArray(),
          `cut ${cut}, detached at ${detachAt}, event ${i}`,
        );
        assert.equal(mirror.size, plain.size);
      }
    }
  }
});

Deno.test("A ring mirrors only an empty, large enough ring, and stores its own events once pushed to", () => {
  const origins = new Origins();
  const history = new EventRing(4, origins);
  assert.equal(new EventRing(5, origins).mirror(history), false, "a smaller source");
  history.pushSnapshot(ev(1, []));
  assert.equal(new EventRing(2, origins).mirror(history), false, "a source holding events");
  const fresh = new EventRing(4, origins);
  const ring = new EventRing(2, origins);
  assert.ok(ring.mirror(fresh));
  fresh.pushSnapshot(ev(2, [1]));
  ring.pushSnapshot(ev(3, [2])); // pushed to directly: it keeps what it mirrored, then its own
  fresh.pushSnapshot(ev(4, [3]));
  assert.equal(ring.mirrored, false);
  assert.deepEqual(ring.toArray(), [ev(2, [1]), ev(3, [2])]);
});

Deno.test("Rings sharing an arena keep their own events, and a released ring gives its room back", () => {
  const origins = new Origins();
  const arena = new RingArena();
  const rings = [3, 8, 1].map((cap) => new EventRing(cap, origins, { arena }));
  // Pushed by turns, so each ring grows while the others hold room after it.
  for (let seq = 1; seq <= 20; seq++) {
    rings.forEach((r, k) => r.pushSnapshot(ev(seq * 10 + k, seq % 3 === 0 ? [seq, 1, 2] : [seq])));
  }
  rings.forEach((r, k) => {
    const newest = Array.from({ length: r.capacity }, (_, j) => 20 - r.capacity + 1 + j);
    assert.deepEqual(
      r.toArray(),
      newest.map((seq) => ev(seq * 10 + k, seq % 3 === 0 ? [seq, 1, 2] : [seq])),
    );
  });
  const used = arena.used;
  rings[1]!.release();
  assert.equal(rings[1]!.size, 0);
  assert.equal(arena.used, used - 8 * 8, "its 8 records are free again");
  const next = new EventRing(8, origins, { arena });
  for (let seq = 1; seq <= 8; seq++) next.pushSnapshot(ev(seq, []));
  assert.equal(arena.used, used, "a ring of the same room reuses them");
  assert.deepEqual(rings[0]!.toArray().map((e) => e.seq), [180, 190, 200]);
});

Deno.test("Rings keep their events when their arena starts new chunks as they grow", () => {
  const origins = new Origins();
  const arena = new RingArena();
  // 40 rings growing by turns to 32 records each, none wrapping: past the first chunk (64
  // records), so some rings grow from one chunk into the next and every record they held counts.
  const rings = Array.from({ length: 40 }, () => new EventRing(32, origins, { arena }));
  for (let seq = 1; seq <= 32; seq++) {
    rings.forEach((r, k) => r.pushSnapshot(ev(seq * 100 + k, [k])));
  }
  rings.forEach((r, k) => {
    assert.deepEqual(
      r.toArray(),
      Array.from({ length: 32 }, (_, j) => ev((j + 1) * 100 + k, [k])),
      `ring ${k}`,
    );
  });
  assert.equal(arena.used, 40 * 32 * 8, "only the rooms held (the outgrown ones given back)");
});
