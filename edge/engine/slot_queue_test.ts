import assert from "node:assert/strict";
import fc from "../../tools/dev_deps/fast_check.ts";
import { SlotQueue } from "./slot_queue.ts";

/** Entries of the model: what the queue must hold, in order. */
interface Entry {
  readonly slot: number;
  readonly gen: number;
  readonly value: number;
}

/** The distinct values as ascending maximal runs of consecutive integers (the model of `liveRuns`). */
function runsOf(values: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const v of [...new Set(values)].sort((a, b) => a - b)) {
    const last = out[out.length - 1];
    if (last !== undefined && last[1] + 1 === v) last[1] = v;
    else out.push([v, v]);
  }
  return out;
}

Deno.test("SlotQueue answers as a plain array of its entries through pushes, shifts, stale drops, wrap-arounds, doublings and reserves", () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.oneof(
          { weight: 5, arbitrary: fc.tuple(fc.constant("push"), fc.integer({ min: -3, max: 6 })) },
          { weight: 3, arbitrary: fc.tuple(fc.constant("shift"), fc.constant(0)) },
          { weight: 1, arbitrary: fc.tuple(fc.constant("apply"), fc.nat(40)) },
          { weight: 1, arbitrary: fc.tuple(fc.constant("drop"), fc.constant(0)) },
          { weight: 1, arbitrary: fc.tuple(fc.constant("ask"), fc.nat(60)) },
          { weight: 1, arbitrary: fc.tuple(fc.constant("reserve"), fc.nat(70)) },
        ),
        { minLength: 50, maxLength: 600 },
      ),
      (ops) => {
        const q = new SlotQueue(4);
        const model: Entry[] = [];
        /** Generation of each slot: an entry is live while its slot still has the generation it was queued with. */
        const gens = new Map<number, number>();
        const store = { live: (slot: number, gen: number) => gens.get(slot) === gen };
        let next = 0;
        let clock = 20;
        for (const [op, arg] of ops) {
          if (op === "push") {
            clock += arg;
            const e = { slot: next, gen: next++ % 3, value: clock };
            gens.set(e.slot, e.gen);
            q.push(e.slot, e.gen, e.value);
            model.push(e);
          } else if (op === "shift") {
            if (model.length === 0) continue;
            const e = model.shift()!;
            assert.equal(q.headValue(), e.value);
            assert.equal(q.headGen(), e.gen);
            assert.equal(q.shift(), e.slot);
          } else if (op === "apply") {
            // The event of some queued slot is applied: its entry goes stale.
            const e = model[arg % Math.max(1, model.length)];
            if (e !== undefined) gens.set(e.slot, e.gen + 1);
          } else if (op === "reserve") {
            // Room made in one step, wrapped or not: the entries stay, in order.
            q.reserve(arg);
            assert.ok(!q.full || model.length >= arg);
          } else if (op === "drop") {
            q.dropStale(store);
            while (model.length > 0 && !store.live(model[0]!.slot, model[0]!.gen)) model.shift();
          } else {
            const live = model.filter((e) => store.live(e.slot, e.gen));
            const lo = arg;
            const hi = arg + 7;
            assert.equal(
              q.anyLiveIn(store, lo, hi),
              live.some((e) => e.value >= lo && e.value < hi),
            );
            assert.equal(q.minLive(store), Math.min(Infinity, ...live.map((e) => e.value)));
            assert.deepEqual(q.liveValues(store), live.map((e) => e.value));
            assert.deepEqual(q.liveRuns(store), runsOf(live.map((e) => e.value)));
            // Entries ahead of the head, stale or not, while due by `hi`.
            for (let k = 0; k <= model.length; k++) {
              const e = model[k];
              assert.equal(q.dueAhead(k, hi), e !== undefined && e.value <= hi ? e.slot : -1);
              if (e !== undefined) assert.equal(q.genAhead(k), e.gen);
            }
          }
          assert.equal(q.length, model.length);
          const sorted = model.every((e, i) => i === 0 || model[i - 1]!.value <= e.value);
          if (!sorted) assert.equal(q.sorted, false);
        }
        const seen: number[] = [];
        q.forEachLive(store, (slot) => void seen.push(slot));
        assert.deepEqual(seen, model.filter((e) => store.live(e.slot, e.gen)).map((e) => e.slot));
      },
    ),
    { numRuns: 150 },
  );
});
