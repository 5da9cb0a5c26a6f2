import assert from "node:assert/strict";
import fc from "../../tools/dev_deps/fast_check.ts";
import { EventStore } from "./event_store.ts";
import { compareMerge, compareSlotPos, compareSlots, LanePool, ReorderBuffer } from "./merge.ts";
import { mergeOrder } from "../../tests/merge_oracle.ts";

/**
 * Streams as (node, boot): the same node with two boots, a node id that is a
 * prefix of another, a non-ASCII one. Expectations come from the test
 * oracle's `mergeOrder`, not from the module under test.
 */
const STREAMS = [["a", "x"], ["b", "x"], ["a", "y"], ["ab", "x"], ["é", "x"]] as const;

function store(): EventStore {
  const s = new EventStore(8);
  for (const [n, b] of STREAMS) s.nodes.push(n), s.boots.push(b);
  return s;
}

function ev(s: EventStore, stream: number, seq: number, wall: number, logical: number): number {
  const slot = s.alloc();
  s.place(slot, stream, 0, false);
  s.setHlc(slot, wall, logical, seq);
  return slot;
}

const pos = (s: EventStore, slot: number) => ({
  node: STREAMS[s.streamOf(slot)]![0],
  boot: STREAMS[s.streamOf(slot)]![1],
  seq: s.seqOf(slot),
  wall: s.wallOf(slot),
  logical: s.logicalOf(slot),
});

/** Up to 60 events as (stream, wall, logical). */
const EVENTS = fc.array(
  fc.tuple(fc.nat(STREAMS.length - 1), fc.integer({ min: 0, max: 20 }), fc.nat(3)),
  { maxLength: 60 },
);

/** Asserts that a buffer `fill` pushes random events into pops them in the oracle's merge order. */
function popsInMergeOrder(
  fill: (buf: ReorderBuffer, s: EventStore, evs: readonly number[]) => void,
): void {
  fc.assert(
    fc.property(EVENTS, (items) => {
      const s = store();
      const evs = items.map(([st, w, l], i) => ev(s, st, i, w, l));
      const buf = new ReorderBuffer();
      fill(buf, s, evs);
      assert.equal(buf.size, evs.length);
      const out: number[] = [];
      for (let e = buf.pop(s); e >= 0; e = buf.pop(s)) out.push(e);
      const expected = [...evs].sort((a, b) => mergeOrder(pos(s, a), pos(s, b)));
      assert.deepEqual(out.map((e) => pos(s, e)), expected.map((e) => pos(s, e)));
      assert.equal(buf.size, 0);
    }),
  );
}

Deno.test("ReorderBuffer pops events in merge order whatever the push order", () => {
  popsInMergeOrder((buf, s, evs) => {
    for (const e of evs) buf.push(s, e);
  });
});

Deno.test("ReorderBuffer pops events in merge order when each follow-on event is pushed after the one before it", () => {
  popsInMergeOrder((buf, s, evs) => {
    // As the engine does: an event of the same stream ordering after the one pushed before it
    // goes by `pushAfter` (whether that one ended the in-order run or went to a lane).
    let prev = -1;
    for (const e of evs) {
      const follows = prev >= 0 && s.streamOf(prev) === s.streamOf(e) &&
        mergeOrder(pos(s, prev), pos(s, e)) < 0;
      if (follows) buf.pushAfter(s, e, prev);
      else buf.push(s, e);
      prev = e;
    }
  });
});

Deno.test("compareMerge and the slot comparisons agree with the documented merge order", () => {
  fc.assert(fc.property(
    fc.array(fc.tuple(fc.nat(STREAMS.length - 1), fc.nat(3), fc.nat(2), fc.nat(3)), {
      minLength: 2,
      maxLength: 2,
    }),
    (pair) => {
      const s = store();
      const [a, b] = pair.map(([st, seq, w, l]) => ev(s, st, seq, w, l)) as [number, number];
      const sign = Math.sign(mergeOrder(pos(s, a), pos(s, b)));
      assert.equal(Math.sign(compareMerge(pos(s, a), pos(s, b))), sign);
      assert.equal(Math.sign(compareSlots(s, a, b)), sign);
      assert.equal(Math.sign(compareSlotPos(s, a, pos(s, b))), sign);
    },
  ));
});

Deno.test("Node id breaks HLC ties, then boot, then sequence number", () => {
  const p = (node: string, boot: string, seq: number) => ({ wall: 1, logical: 0, node, boot, seq });
  assert.ok(compareMerge(p("a", "z", 9), p("b", "a", 0)) < 0);
  assert.ok(compareMerge(p("a", "a", 9), p("a", "b", 0)) < 0);
  assert.ok(compareMerge(p("a", "a", 1), p("a", "a", 2)) < 0);
});

Deno.test("ReorderBuffers sharing a lane pool pop in merge order through interleaved pushes and pops over many streams", () => {
  const streams = 24;
  const names = Array.from({ length: streams }, (_, i) => `n${String(i).padStart(2, "0")}`);
  const posOf = (s: EventStore, slot: number) => ({
    node: names[s.streamOf(slot)]!,
    boot: "x",
    seq: s.seqOf(slot),
    wall: s.wallOf(slot),
    logical: s.logicalOf(slot),
  });
  fc.assert(
    fc.property(
      fc.array(
        fc.oneof(
          fc.tuple(fc.nat(1), fc.nat(streams - 1), fc.nat(30), fc.nat(2)),
          fc.tuple(fc.nat(1)),
        ),
        { maxLength: 300 },
      ),
      (ops) => {
        const s = new EventStore(8);
        for (const n of names) s.nodes.push(n), s.boots.push("x");
        const pool = new LanePool();
        const bufs = [new ReorderBuffer(pool), new ReorderBuffer(pool)];
        const held: number[][] = [[], []];
        let seq = 0;
        for (const op of ops) {
          const b = op[0];
          if (op.length === 4) {
            const slot = ev(s, op[1], seq++, op[2], op[3]);
            bufs[b]!.push(s, slot);
            held[b]!.push(slot);
          } else {
            const slot = bufs[b]!.pop(s);
            if (held[b]!.length === 0) {
              assert.equal(slot, -1);
              continue;
            }
            held[b]!.sort((x, y) => compareMerge(posOf(s, x), posOf(s, y)));
            assert.deepEqual(posOf(s, slot), posOf(s, held[b]!.shift()!));
          }
          assert.equal(bufs[b]!.size, held[b]!.length);
        }
        for (const [b, buf] of bufs.entries()) {
          held[b]!.sort((x, y) => compareMerge(posOf(s, x), posOf(s, y)));
          const rest: number[] = [];
          for (let x = buf.pop(s); x >= 0; x = buf.pop(s)) rest.push(x);
          assert.deepEqual(rest.map((x) => posOf(s, x)), held[b]!.map((x) => posOf(s, x)));
        }
      },
    ),
  );
});

Deno.test("ReorderBuffer.popThrough releases exactly the events ordered up to the given one, in merge order, through in-order and out-of-order pushes", () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.oneof(
          fc.tuple(fc.constant(0), fc.nat(STREAMS.length - 1), fc.integer({ min: -3, max: 6 })),
          fc.tuple(fc.constant(1), fc.nat(50)),
        ),
        { maxLength: 200 },
      ),
      (ops) => {
        const s = store();
        const buf = new ReorderBuffer();
        const held: number[] = [];
        const lastWall = new Map<number, number>();
        let seq = 0;
        let clock = 0;
        for (const op of ops) {
          if (op[0] === 0) {
            // Mostly in order (the clock moves on), sometimes behind by a few ms.
            clock += Math.max(0, op[2]);
            const wall = Math.max(lastWall.get(op[1]) ?? 0, clock + Math.min(0, op[2]));
            lastWall.set(op[1], wall);
            const slot = ev(s, op[1], seq++, wall, seq % 2);
            buf.push(s, slot);
            held.push(slot);
            continue;
          }
          if (held.length === 0) {
            assert.equal(buf.popThrough(s, 0), -1);
            continue;
          }
          held.sort((a, b) => mergeOrder(pos(s, a), pos(s, b)));
          const through = held[op[1] % held.length]!;
          const expected = held.splice(0, held.indexOf(through) + 1);
          const out: number[] = [];
          for (let x = buf.popThrough(s, through); x >= 0; x = buf.popThrough(s, through)) {
            out.push(x);
            if (x === through) break;
          }
          assert.deepEqual(out.map((x) => pos(s, x)), expected.map((x) => pos(s, x)));
          assert.equal(buf.size, held.length);
        }
      },
    ),
  );
});

Deno.test("ReorderBuffer keeps merge order while its lanes wrap around, widen and take events behind their last one", () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.oneof(
          { weight: 3, arbitrary: fc.tuple(fc.nat(2), fc.integer({ min: -4, max: 3 })) },
          { weight: 2, arbitrary: fc.tuple(fc.constant(-1)) },
        ),
        { minLength: 200, maxLength: 1500 },
      ),
      (ops) => {
        const s = store();
        const buf = new ReorderBuffer();
        const held: number[] = [];
        const clock = [100, 100, 100];
        let seq = 0;
        for (const op of ops) {
          if (op.length === 2) {
            // Each stream's clock mostly moves on, sometimes steps back (an event behind its lane's last).
            clock[op[0]]! += op[1];
            const slot = ev(s, op[0], seq++, clock[op[0]]!, seq % 3);
            buf.push(s, slot);
            held.push(slot);
            continue;
          }
          const slot = buf.pop(s);
          if (held.length === 0) {
            assert.equal(slot, -1);
            continue;
          }
          held.sort((a, b) => mergeOrder(pos(s, a), pos(s, b)));
          assert.deepEqual(pos(s, slot), pos(s, held.shift()!));
          s.free(slot);
        }
        assert.equal(buf.size, held.length);
        held.sort((a, b) => mergeOrder(pos(s, a), pos(s, b)));
        const rest: number[] = [];
        for (let x = buf.pop(s); x >= 0; x = buf.pop(s)) rest.push(x);
        assert.deepEqual(rest.map((x) => pos(s, x)), held.map((x) => pos(s, x)));
      },
    ),
    { numRuns: 60 },
  );
});
