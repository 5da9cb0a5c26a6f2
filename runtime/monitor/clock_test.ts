import assert from "node:assert/strict";
import fc from "../../tools/dev_deps/fast_check.ts";
import { ClockDriftError, compareHlc, createClock } from "./clock.ts";
import { type HlcTimestamp, parseStamp } from "../../lib/wire/stamp.ts";

function fakeNow(start: number): { now: () => number; set(t: number): void } {
  let t = start;
  return { now: () => t, set: (v) => (t = v) };
}

Deno.test("Clock ticks follow the physical clock and count within one millisecond", () => {
  const p = fakeNow(1000);
  const c = createClock({ now: p.now });
  c.tick();
  assert.deepEqual(c.peek(), { wall: 1000, logical: 0 });
  c.tick();
  assert.deepEqual(c.peek(), { wall: 1000, logical: 1 });
  p.set(1005);
  c.tick();
  assert.deepEqual(c.peek(), { wall: 1005, logical: 0 });
});

Deno.test("Clock never goes backwards when the physical clock does", () => {
  const p = fakeNow(2000);
  const c = createClock({ now: p.now });
  c.tick();
  p.set(1500);
  c.tick();
  assert.deepEqual(c.peek(), { wall: 2000, logical: 1 });
});

Deno.test("Clock orders a receipt after its send when the receiver's wall clock is behind", () => {
  const sender = createClock({ now: () => 10_000 });
  const receiver = createClock({ now: () => 4_000 });
  receiver.tick();
  const stamp = sender.stamp();
  receiver.observe(stamp);
  receiver.tick();
  assert.ok(compareHlc(receiver.peek(), parseStamp(stamp)) > 0);
  assert.equal(receiver.wall, 10_000);
});

Deno.test("Clock observe applies the counter rules of each case", () => {
  const p = fakeNow(100);
  const c = createClock({ now: p.now });
  c.tick(); // 100.0
  c.observe({ wall: 100, logical: 7 }); // equal walls: max + 1
  assert.deepEqual(c.peek(), { wall: 100, logical: 8 });
  c.observe({ wall: 50, logical: 99 }); // local ahead: local + 1
  assert.deepEqual(c.peek(), { wall: 100, logical: 9 });
  c.observe({ wall: 120, logical: 3 }); // remote ahead: remote + 1
  assert.deepEqual(c.peek(), { wall: 120, logical: 4 });
  p.set(200);
  c.observe({ wall: 130, logical: 3 }); // physical ahead: 0
  assert.deepEqual(c.peek(), { wall: 200, logical: 0 });
});

Deno.test("Clock rejects a remote stamp beyond maxDriftMs and stays unchanged", () => {
  const c = createClock({ now: () => 1_000, maxDriftMs: 500 });
  c.tick();
  assert.throws(() => c.observe({ wall: 1_501, logical: 0 }), (e: unknown) => {
    assert.ok(e instanceof ClockDriftError);
    assert.equal(e.physical, 1_000);
    assert.equal(e.maxDriftMs, 500);
    assert.match(e.message, /501 ms ahead/);
    return true;
  });
  assert.deepEqual(c.peek(), { wall: 1_000, logical: 0 });
  c.observe({ wall: 1_500, logical: 0 });
  assert.deepEqual(c.peek(), { wall: 1_500, logical: 1 });
});

Deno.test("Clock refuses to observe a timestamp that is not one, with TypeError", () => {
  const c = createClock({ now: () => 1_000 });
  assert.throws(() => c.observe({ wall: -1, logical: 0 }), TypeError);
  assert.throws(() => c.observe("1-2-3"), TypeError);
  assert.deepEqual(c.peek(), { wall: 0, logical: 0 });
});

Deno.test("Clock timestamps are strictly increasing for any mix of ticks and observations", () => {
  const op = fc.oneof(
    fc.record({ kind: fc.constant("tick" as const), dt: fc.integer({ min: -50, max: 50 }) }),
    fc.record({
      kind: fc.constant("observe" as const),
      dt: fc.integer({ min: -50, max: 50 }),
      wall: fc.integer({ min: 0, max: 2_000 }),
      logical: fc.integer({ min: 0, max: 5 }),
    }),
  );
  fc.assert(fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
    const p = fakeNow(1_000);
    const c = createClock({ now: p.now, maxDriftMs: 10_000 });
    let last: HlcTimestamp = { wall: -1, logical: 0 };
    let t = 1_000;
    for (const o of ops) {
      t = Math.max(0, t + o.dt);
      p.set(t);
      if (o.kind === "tick") c.tick();
      else {
        const remote = { wall: o.wall, logical: o.logical };
        c.observe(remote);
        assert.ok(compareHlc(c.peek(), remote) > 0);
      }
      assert.ok(compareHlc(c.peek(), last) > 0);
      last = c.peek();
    }
  }));
});

/** Waits (busily: no turn of the event loop passes) until `Date.now()` has moved past `t`. */
function spinPast(t: number): void {
  while (Date.now() <= t + 1) {
    // spin
  }
}

Deno.test("The default clock reuses a Date.now reading for at most maxReuse ticks of one turn", async () => {
  const c = createClock({ maxReuse: 3 });
  c.tick();
  const first = c.peek();
  spinPast(first.wall);
  c.tick();
  c.tick();
  assert.deepEqual(c.peek(), { wall: first.wall, logical: 2 }, "ticks 2 and 3 reuse the reading");
  c.tick();
  assert.ok(c.peek().wall > first.wall, "the 4th tick reads afresh");
  const second = c.peek();
  spinPast(second.wall);
  await Promise.resolve();
  c.tick();
  assert.ok(c.peek().wall > second.wall, "a new turn reads afresh");
  // And every later turn too (the expiry is queued again once it has run).
  for (let turn = 0; turn < 3; turn++) {
    const before = c.peek();
    spinPast(before.wall);
    await Promise.resolve();
    c.tick();
    assert.ok(c.peek().wall > before.wall, `turn ${turn + 3} reads afresh`);
  }
});

Deno.test("maxReuse 1 reads Date.now on every tick; invalid values are refused", () => {
  const c = createClock({ maxReuse: 1 });
  c.tick();
  const first = c.peek();
  spinPast(first.wall);
  c.tick();
  assert.ok(c.peek().wall > first.wall);
  assert.throws(() => createClock({ maxReuse: 0 }), RangeError);
  assert.throws(() => createClock({ maxReuse: 1.5 }), RangeError);
});
