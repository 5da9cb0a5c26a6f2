import assert from "node:assert/strict";
import { EventStore } from "./event_store.ts";
import { Scheduler, type SchedulerParts } from "./scheduler.ts";

/**
 * A scheduler on a real store whose events the test frees itself once a
 * window old (the parts a release would use are absent: `dueBy` and `due`
 * use the store and the arrival queue only).
 */
function fill(batches: readonly { at: number; events: number }[], windowMs = 250) {
  const store = new EventStore(44);
  const state = { options: { windowMs } } as unknown as SchedulerParts["state"];
  const scheduler = new Scheduler({ state, store } as unknown as SchedulerParts);
  const held: { at: number; slots: number[] }[] = [];
  const rooms = [store.capacity];
  let peak = 0;
  for (const { at, events } of batches) {
    while (held.length > 0 && held[0]!.at + windowMs <= at) {
      for (const slot of held.shift()!.slots) {
        store.retire(slot);
        store.free(slot);
      }
    }
    scheduler.dueBy(at + windowMs, events);
    const slots = Array.from({ length: events }, () => store.alloc());
    scheduler.due(slots[slots.length - 1]!);
    held.push({ at, slots });
    peak = Math.max(peak, store.size);
    if (store.capacity !== rooms[rooms.length - 1]) rooms.push(store.capacity);
  }
  return { rooms, peak };
}

Deno.test("The store is sized from the rate of arrival while the window fills: three steps to a window of 64k events, not eight doublings", () => {
  // 16 nodes' batches of 256 events, one a millisecond, a 250 ms window (the causal bench's traffic).
  const { rooms, peak } = fill(Array.from({ length: 600 }, (_, i) => ({ at: i + 1, events: 256 })));
  assert.equal(peak, 250 * 256);
  assert.deepEqual(rooms, [256, 4096, 65_536]);
});

Deno.test("A burst early in the window does not size the store for a window of bursts", () => {
  // 200,000 events in the first two milliseconds, then 10 a millisecond: the held peak is the burst.
  const burst = Array.from({ length: 200 }, (_, i) => ({ at: i < 100 ? 1 : 2, events: 1000 }));
  const trickle = Array.from({ length: 400 }, (_, i) => ({ at: 3 + i, events: 10 }));
  const { rooms, peak } = fill([...burst, ...trickle]);
  assert.ok(peak >= 200_000, `peak ${peak}`);
  const room = rooms[rooms.length - 1]!;
  assert.ok(room >= peak && room <= 2 * peak, `room ${room} for a peak of ${peak} (${rooms})`);
});
