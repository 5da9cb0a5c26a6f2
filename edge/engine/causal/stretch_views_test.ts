/**
 * The kept views of `stretch_views.ts` against views built anew: after
 * every change a judge makes to lanes of P-intervals only (a new interval,
 * an end, an older event's split or shortened interval, a pruning, a lane
 * replaced, an interval reused from the pool), the kept views must equal
 * fresh ones, and a lane that did not change must keep its view's objects.
 */
import assert from "node:assert/strict";
import { CausalPartition, Interval } from "./lanes.ts";
import { StateArena } from "./state_arena.ts";
import { CutVerdicts } from "./cut_verdicts.ts";
import { StretchViews } from "./stretch_views.ts";
import { rng } from "../../../tests/collector_core_fixture.ts";

const LANES = 4;
const W = 1_732_170_000_000;

/** Lanes of P-intervals as a judge changes them, with a clock per lane and a pool of dropped intervals. */
class Lanes {
  readonly cp = new CausalPartition(
    new StateArena(4),
    new CutVerdicts({ stride: 4, slots: [{ offset: 0, width: 4 }] }),
  );
  readonly #at: number[] = [];
  readonly #seq: number[] = [];
  readonly #pool: Interval[] = [];
  readonly #random: () => number;

  constructor(seed: number) {
    this.#random = rng(seed);
    for (let z = 0; z < LANES; z++) {
      this.cp.lanes.push([]);
      this.#at.push(W + z);
      this.#seq.push(0);
    }
    this.cp.fit(LANES);
  }

  /** The next event of lane `z`: its sequence number and HLC (logical 0 or 1). */
  #tick(z: number): { seq: number; wall: number; logical: number } {
    this.#at[z]! += 1 + Math.floor(this.#random() * 20);
    return { seq: ++this.#seq[z]!, wall: this.#at[z]!, logical: this.#random() < 0.2 ? 1 : 0 };
  }

  #interval(z: number): Interval {
    const t = this.#tick(z);
    const start = { nid: z, seq: t.seq, action: 0, wall: t.wall, logical: t.logical, block: 8 };
    const who = { node: `node-${z}`, index: z, boot: "b1" };
    const reused = this.#pool.pop();
    if (reused === undefined) return new Interval(who, start);
    reused.reset(who, start);
    return reused;
  }

  /** One change of a random kind to a random lane; returns its name. */
  change(): string {
    const z = Math.floor(this.#random() * LANES);
    const lane = this.cp.lanes[z]!;
    const last = lane.at(-1);
    const kind = Math.floor(this.#random() * 8);
    if (kind === 0 || lane.length === 0) {
      // A new P-interval: starts where the open one ends (no stretch), or after a stretch outside P.
      const i = this.#interval(z);
      if (last !== undefined && last.endWall === Infinity) {
        last.endWall = i.wall;
        last.endLogical = i.logical;
        last.endSeq = i.seq;
        last.endAction = 0;
      }
      lane.push(i);
      return "push";
    }
    if (kind === 1 && last !== undefined && last.endWall === Infinity) {
      // The open one ends (an event leaves P).
      const t = this.#tick(z);
      last.endWall = t.wall;
      last.endLogical = t.logical;
      last.endSeq = t.seq;
      last.endAction = 1;
      return "end";
    }
    if (kind === 2 && lane.length >= 2) {
      // An older event shortens a closed interval in the middle (a stretch outside P starts earlier).
      const m = Math.floor(this.#random() * (lane.length - 1));
      const i = lane[m]!;
      const next = lane[m + 1]!;
      const wall = i.wall + Math.floor((Math.min(i.endWall, next.wall) - i.wall) / 2);
      if (wall > i.wall) {
        i.endWall = wall;
        i.endLogical = 0;
        i.endSeq = i.seq + 1;
        i.endAction = 1;
      }
      return "shorten";
    }
    if (kind === 3 && lane.length >= 2) {
      // An older event's P-interval spliced in before the lane's last, in the stretch before it.
      const m = lane.length - 2;
      const i = lane[m]!;
      const next = lane[m + 1]!;
      if (i.endWall !== Infinity && i.endWall + 2 < next.wall) {
        const split = new Interval({ node: `node-${z}`, index: z, boot: "b1" }, {
          nid: z,
          seq: i.seq + 1,
          action: 0,
          wall: i.endWall + 1,
          logical: 0,
          block: 8,
        });
        split.endWall = next.wall;
        split.endLogical = next.logical;
        lane.splice(m + 1, 0, split);
      }
      return "splice";
    }
    if (kind === 4 && lane.length >= 2) {
      // A pruning from the front; the dropped ones go to the pool (reused by later pushes, any lane).
      const k = 1 + Math.floor(this.#random() * (lane.length - 1));
      for (const i of lane.slice(0, k)) this.#pool.push(i);
      const n = lane.length;
      for (let d = k; d < n; d++) lane[d - k] = lane[d]!;
      lane.length = n - k;
      return "prune";
    }
    if (kind === 5) {
      // The lane replaced by a copy (a restore gives new arrays of new intervals).
      this.cp.lanes[z] = lane.map((i) => {
        const c = new Interval({ node: i.node, index: i.lane, boot: i.boot }, i);
        c.endWall = i.endWall;
        c.endLogical = i.endLogical;
        c.endSeq = i.endSeq;
        c.endAction = i.endAction;
        return c;
      });
      return "replace";
    }
    if (kind === 6 && lane.length >= 2) {
      // The newest dropped in place (a restore keeps a lane's intervals in P only, in the same array).
      lane.length -= 1;
      return "drop newest";
    }
    // The state outside P kept (shown by a found cut) or let go of.
    this.cp.setGapBlock(z, this.#random() < 0.5 ? -1 : 4 * Math.floor(this.#random() * 4));
    return "gap state";
  }
}

/** A stretch's fields, or where the lane interval is in its lane (-1: not there; by identity). */
function shape(lane: readonly Interval[], i: Interval): unknown {
  if (i.block >= 0) return { at: lane.indexOf(i) };
  return {
    node: i.node,
    nid: i.nid,
    lane: i.lane,
    boot: i.boot,
    seq: i.seq,
    action: i.action,
    wall: i.wall,
    logical: i.logical,
    endWall: i.endWall,
    endLogical: i.endLogical,
    endSeq: i.endSeq,
    endAction: i.endAction,
    block: i.block,
    dropped: i.dropped,
  };
}

Deno.test("Kept stretch views equal views built anew after every change a judge makes to lanes of P-intervals", () => {
  for (let seed = 1; seed <= 20; seed++) {
    const lanes = new Lanes(seed);
    const kept = new StretchViews();
    for (let step = 0; step < 400; step++) {
      const what = lanes.change();
      const got = kept.of(lanes.cp);
      const want = new StretchViews().of(lanes.cp);
      const of = (views: readonly Interval[][]) =>
        views.map((l, z) => l.map((i) => shape(lanes.cp.lanes[z]!, i)));
      assert.deepEqual(of(got.lanes), of(want.lanes), `seed ${seed}, step ${step} (${what})`);
      const shown = (m: ReadonlyMap<Interval, number>) =>
        [...m].map(([i, b]) => [shape(lanes.cp.lanes[i.lane]!, i), b]);
      assert.deepEqual(shown(got.shown), shown(want.shown), `seed ${seed}, step ${step}, shown`);
    }
    const c = kept.counts();
    assert.ok(c.held > 0 && c.built > 0 && c.reused > 0, JSON.stringify(c));
  }
});

Deno.test("A lane that did not change keeps its view's stretch objects (and their vector clocks); a changed one keeps those that still fit", () => {
  const lanes = new Lanes(7);
  for (let step = 0; step < 60; step++) lanes.change();
  const views = new StretchViews();
  const before = views.of(lanes.cp).lanes.map((l) => [...l]);
  const again = views.of(lanes.cp).lanes;
  before.forEach((l, z) => l.forEach((i, k) => assert.equal(again[z]![k], i)));
  // A new interval at the end of lane 0, after its open stretch: the stretches before it are the same objects.
  const lane = lanes.cp.lanes[0]!;
  const last = lane.at(-1)!;
  if (last.endWall === Infinity) {
    last.endWall = last.wall + 5;
    last.endSeq = last.seq + 1;
  }
  views.of(lanes.cp);
  const kept = views.of(lanes.cp).lanes[0]!.filter((i) => i.block < 0);
  lane.push(
    new Interval({ node: "node-0", index: 0, boot: "b1" }, {
      nid: 0,
      seq: last.seq + 10,
      action: 0,
      wall: last.endWall + 50,
      logical: 0,
      block: 8,
    }),
  );
  const after = views.of(lanes.cp).lanes[0]!.filter((i) => i.block < 0);
  assert.equal(after.length, kept.length);
  kept.forEach((s, k) => assert.equal(after[k], s, `stretch ${k} kept`));
  assert.equal(after.at(-1)!.endWall, last.endWall + 50); // the open stretch now ends at the new start
});
