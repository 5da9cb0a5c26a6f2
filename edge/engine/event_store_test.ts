import assert from "node:assert/strict";
import { EventStore, LONG_ARGC } from "./event_store.ts";
import { WireColumns } from "../../lib/wire/columns.ts";
import { decodeToColumns } from "../../lib/wire/decode.ts";
import { encodeBatch } from "../../lib/wire/encode.ts";
import type { EventBody } from "../../lib/wire/event.ts";
import { UNKNOWN_ACTION_INDEX, VERDICT_DIVERGENCE } from "../../lib/abi/verdict_codes.ts";

/** `n` distinct arguments (fractions and negative zero included: they are doubles). */
const argsOf = (n: number, base: number): number[] =>
  Array.from({ length: n }, (_, j) => j === 1 ? -0 : base + j + 0.25);

Deno.test("EventStore keeps every argument count in its slots, through reuse of the slots", () => {
  const s = new EventStore(8);
  // Every count from none to past the inline ones, twice over: a slot freed and taken again
  // by an event of another count gives that event's arguments only.
  const counts = [0, 1, 2, 3, 4, 5, 6, 4, 2, 3, 0, 7, 1, 4];
  const live = new Map<number, number[]>();
  counts.forEach((n, i) => {
    const slot = s.alloc();
    const args = argsOf(n, 10 * i);
    s.setArgs(slot, args);
    live.set(slot, args);
    assert.deepEqual(s.argsOf(slot), args, `${n} arguments, set`);
    assert.equal(s.argcOf(slot), n > 4 ? LONG_ARGC : n);
    if (i % 3 === 2) {
      // Free the oldest live slot: the next alloc takes it.
      const [old] = live.keys();
      s.retire(old!);
      s.free(old!);
      live.delete(old!);
    }
  });
  for (const [slot, args] of live) assert.deepEqual(s.argsOf(slot), args);
});

Deno.test("EventStore takes an event's arguments, codes and state from decoded columns", () => {
  const s = new EventStore(8);
  const state = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
  const bodies: EventBody[] = [0, 1, 2, 3, 4, 5, 9].map((n, i) => ({
    key: "k",
    wall: 1_000 + i,
    logical: i,
    action: i === 6 ? UNKNOWN_ACTION_INDEX : i,
    args: argsOf(n, 100 * i),
    state: state.map((b) => b + i),
    verdict: i === 5 ? VERDICT_DIVERGENCE : i,
  }));
  const c = new WireColumns();
  decodeToColumns(
    encodeBatch(
      { spec: "h", specName: "S", node: "n", boot: "b", firstSeq: 40, dropped: [] },
      bodies,
    ),
    c,
  );
  const words = new Int32Array(2);
  const bytes = new Uint8Array(words.buffer);
  bodies.forEach((e, i) => {
    const slot = s.allocEvent(c, i, i - 1);
    assert.equal(s.seqOf(slot), 40 + i);
    assert.equal(s.wallOf(slot), e.wall);
    assert.equal(s.logicalOf(slot), e.logical);
    assert.equal(s.actionOf(slot), e.action, `action of event ${i}`);
    assert.equal(s.verdictOf(slot), e.verdict, `verdict of event ${i}`);
    assert.equal(s.memberOf(slot), i - 1);
    assert.deepEqual(s.argsOf(slot), e.args);
    s.copyState(slot, bytes, words);
    assert.deepEqual(bytes, e.state);
  });
});

Deno.test("EventStore frees the arguments kept aside with their slot", () => {
  const s = new EventStore(8);
  const slot = s.alloc();
  s.setArgs(slot, argsOf(6, 1));
  s.retire(slot);
  s.free(slot);
  const again = s.alloc();
  assert.equal(again, slot);
  s.setArgs(again, [5, 6, 7]);
  assert.deepEqual(s.argsOf(again), [5, 6, 7]);
  s.setArgs(again, argsOf(9, 2));
  assert.deepEqual(s.argsOf(again), argsOf(9, 2));
});

Deno.test("EventStore.reserve makes room in one step and keeps every slot's fields and the free slots", () => {
  const s = new EventStore(8);
  const held = new Map<number, number>();
  for (let i = 0; i < 300; i++) {
    const slot = s.alloc();
    s.setHlc(slot, 1000 + i, 0, i);
    s.setArgs(slot, [i, -i]);
    s.setState(slot, new Uint8Array([i & 0xff, 7]), 0, 2);
    for (let r = 0; r < i % 3; r++) s.retire(slot); // generations 0, 1 and 2
    held.set(slot, i);
  }
  const before = s.capacity;
  s.reserve(before); // room enough: nothing changes
  assert.equal(s.capacity, before);
  s.reserve(before + 1); // at least doubles
  assert.equal(s.capacity, 2 * before);
  s.reserve(10_000); // one step to what was asked
  assert.equal(s.capacity, 10_000);
  for (const [slot, i] of held) {
    assert.equal(s.wallOf(slot), 1000 + i);
    assert.equal(s.genOf(slot), i % 3);
    assert.deepEqual(s.argsOf(slot), [i, -i]);
    const state = new Uint8Array(2);
    s.copyState(slot, state, new Int32Array(0));
    assert.deepEqual([...state], [i & 0xff, 7]);
  }
  // Every free slot is handed out once, none that is held, and nothing grows until all are.
  const taken = new Set<number>();
  while (s.size < 10_000) {
    const slot = s.alloc();
    assert.ok(!held.has(slot) && !taken.has(slot) && slot < 10_000, `slot ${slot}`);
    taken.add(slot);
  }
  assert.equal(s.capacity, 10_000);
});

Deno.test("EventStore keeps each slot's header, state and first two arguments (stored after it) when a larger state widens the blocks", () => {
  const s = new EventStore(8);
  const read = (slot: number, n: number) => {
    const out = new Uint8Array(n);
    s.copyState(slot, out, new Int32Array(out.buffer));
    return [...out];
  };
  const slots = Array.from({ length: 40 }, (_, i) => {
    const slot = s.alloc();
    s.setHlc(slot, 1000 + i, i, 50 + i);
    s.setCodes(slot, 0xffff_ffff - i, i);
    s.place(slot, i, 2 * i, i % 2 === 0);
    s.setMember(slot, i - 1);
    s.setArgs(slot, argsOf(i % 5, 100 * i));
    s.setState(slot, new Uint8Array(8).fill(i + 1), 0, 8);
    return slot;
  });
  // A 20-byte state does not fit in 8: every block moves, arguments included.
  const wide = Array.from({ length: 20 }, (_, j) => 200 + j);
  s.setState(slots[7]!, new Uint8Array(wide), 0, 20);
  const header = (slot: number) => [
    s.wallOf(slot),
    s.logicalOf(slot),
    s.seqOf(slot),
    s.actionOf(slot),
    s.verdictOf(slot),
    s.streamOf(slot),
    s.partOf(slot),
    s.lateOf(slot),
    s.memberOf(slot),
  ];
  slots.forEach((slot, i) => {
    assert.deepEqual(
      header(slot),
      [1000 + i, i, 50 + i, 0xffff_ffff - i, i, i, 2 * i, i % 2 === 0, i - 1],
      `header of slot ${slot}`,
    );
    assert.deepEqual(s.argsOf(slot), argsOf(i % 5, 100 * i), `arguments of slot ${slot}`);
    if (i === 7) assert.deepEqual(read(slot, 20), wide);
    else assert.deepEqual(read(slot, 8), new Array(8).fill(i + 1), `state of slot ${slot}`);
  });
  // Writing a state as long as the room leaves the arguments that follow it alone.
  s.setState(slots[3]!, new Uint8Array(wide), 0, 20);
  assert.deepEqual(s.argsOf(slots[3]!), argsOf(3, 300));
});

/** Columns whose dependency 0 is a stamp at (`wall`, `logical`). */
function stamp(wall: number, logical: number): WireColumns {
  const c = new WireColumns();
  c.depCount = 1;
  c.depWall[0] = wall;
  c.depLogical[0] = logical;
  return c;
}

Deno.test("EventStore keeps a slot's first dependency, none in a slot taken again, and none it cannot hold exactly", () => {
  const s = new EventStore(8);
  const slot = s.alloc();
  assert.equal(s.depFromOf(slot), -1, "none set");
  s.setHlc(slot, 1_732_170_000_100, 0, 0);
  s.setFirstDep(slot, 3, stamp(1_732_170_000_090, 7), 0, 2);
  assert.deepEqual(
    [
      s.depFromOf(slot),
      s.depWallOf(slot),
      s.depBeforeOf(slot),
      s.depLogicalOf(slot),
      s.depRetiredOf(slot),
    ],
    [3, 1_732_170_000_090, 10, 7, 2],
  );
  s.retire(slot);
  s.free(slot);
  const again = s.alloc();
  assert.equal(again, slot);
  assert.equal(s.depFromOf(again), -1, "another event's dependency is not handed on");
  // Kept as none: a sender past 16 bits, a stamp not a whole number of ms before its event.
  s.setHlc(again, 1_732_170_000_100, 0, 1);
  s.setFirstDep(again, 0xffff, stamp(1_732_170_000_090, 0), 0, 0);
  assert.equal(s.depFromOf(again), -1);
  s.setFirstDep(again, 1, stamp(1_732_170_000_099.5, 0), 0, 0);
  assert.equal(s.depFromOf(again), -1);
  s.setFirstDep(again, 1, stamp(1_732_170_000_100 - 2 ** 31, 0), 0, 0);
  assert.equal(s.depFromOf(again), -1);
  s.setFirstDep(again, 0xfffe, stamp(1_732_170_000_100, 0), 0, 0);
  assert.deepEqual([s.depFromOf(again), s.depWallOf(again)], [0xfffe, 1_732_170_000_100]);
});
