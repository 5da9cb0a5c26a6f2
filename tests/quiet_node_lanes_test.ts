/**
 * What the causal judge keeps of a node that goes quiet. Every lane of a
 * partition is pruned by the partition's horizon, not only when its own
 * node acts (`LanePruning.sweep`: one more lane in turn every
 * `SWEEP_EVERY` events of the partition), so a quiet node's lane drops to
 * what judgements can still meet: its last interval (before the sweep it
 * kept its last window, the holds ending within 4S plus the window before
 * its last event, 141 per lane here, until its node acted again; a
 * departed node's for good).
 *
 * Measured exactly by difference: collector X is fed a first group of
 * nodes (`q-*`) handing a lease round for 3 s, then a second group (`a-*`)
 * doing the same for 12 s more; collector Y, on the same clock, is fed the
 * second group's events only. The second group's lanes see the same events
 * in both, so X's intervals less Y's are what the quiet nodes' lanes hold.
 * Finally the quiet nodes act once more.
 */
import assert from "node:assert/strict";
import { loadCompiled } from "../lib/abi/loader.ts";
import type { EventBody } from "../lib/wire/event.ts";
import { CAUSAL_OPTIONS, ClockedCollector, LeaseEvents } from "./causal/lease_workload.ts";
import { engineOf } from "../edge/engine/collector.ts";

const spec = await loadCompiled(new URL("../dist/lease.core.wasm", import.meta.url));

const BASE = 1_732_170_000_000;
/** Milliseconds between two events of the partition (an acquire and its release make a turn). */
const EVERY_MS = 2;
/** Nodes per group, taking turns on one lease. */
const GROUP = 4;
/** A node holds the lease once every this many milliseconds. */
const PERIOD_MS = 2 * GROUP * EVERY_MS;
/** How long the first group runs, then how long the second runs after it. */
const QUIET_AFTER_MS = 3_000;
const END_MS = 15_000;
/** Batches are cut every this many milliseconds of event time (one per node with events in it). */
const SLICE_MS = 20;
/**
 * What pruning lets a lane hold at its node's latest event: the holds that
 * end within 4S plus the window before it (one every {@link PERIOD_MS},
 * plus one straddling that edge), and its last one.
 */
const PER_LANE = Math.ceil((4 * CAUSAL_OPTIONS.maxSkewMs + CAUSAL_OPTIONS.windowMs) / PERIOD_MS) +
  2;

interface Timed {
  readonly node: string;
  readonly body: EventBody;
}

/** Handoffs of `lock:0` among `nodes` from `fromMs` to `toMs`, each acquire ordered after the previous release. */
function handoffs(
  lease: LeaseEvents,
  nodes: readonly string[],
  fromMs: number,
  toMs: number,
  prev: { node: string; wall: number } | null,
): { events: Timed[]; last: { node: string; wall: number } | null } {
  const events: Timed[] = [];
  let last = prev;
  for (let t = fromMs, turn = 0; t + EVERY_MS < toMs; t += 2 * EVERY_MS, turn++) {
    const node = nodes[turn % nodes.length]!;
    const wall = BASE + t;
    const deps = last !== null && last.node !== node
      ? [{ node: last.node, wall: last.wall, logical: 0 }]
      : undefined;
    events.push({
      node,
      body: lease.acquire(wall, { key: "lock:0", ...(deps === undefined ? {} : { deps }) }),
    });
    events.push({ node, body: lease.release(wall + EVERY_MS, { key: "lock:0" }) });
    last = { node, wall: wall + EVERY_MS };
  }
  return { events, last };
}

/** Feeds events (in time order) in slices of {@link SLICE_MS}, the clock at each slice's end. */
class Feeder {
  readonly c: ClockedCollector;
  readonly #lease: LeaseEvents;
  readonly #seq = new Map<string, number>();

  constructor(lease: LeaseEvents) {
    this.#lease = lease;
    this.c = new ClockedCollector(lease.spec, BASE);
  }

  /** Delivers `events` up to wall `untilMs` (from {@link BASE}); returns the rest. */
  feed(events: readonly Timed[], untilMs: number): Timed[] {
    let i = 0;
    while (i < events.length && events[i]!.body.wall < BASE + untilMs) {
      const sliceEnd = Math.floor((events[i]!.body.wall - BASE) / SLICE_MS + 1) * SLICE_MS;
      const byNode = new Map<string, EventBody[]>();
      for (; i < events.length && events[i]!.body.wall < BASE + sliceEnd; i++) {
        const e = events[i]!;
        const list = byNode.get(e.node) ?? [];
        list.push(e.body);
        byNode.set(e.node, list);
      }
      for (const [node, list] of byNode) {
        const firstSeq = this.#seq.get(node) ?? 0;
        this.c.collector.ingestBytes(this.#lease.batch(node, list, { firstSeq }));
        this.#seq.set(node, firstSeq + list.length);
      }
      this.c.advance(BASE + sliceEnd);
    }
    return events.slice(i);
  }

  get intervals(): number {
    return this.c.collector.causalIntervals();
  }

  /** The intervals the lanes of `nodes` hold in the partition of `lock:0`. */
  laneHeld(nodes: readonly string[]): number {
    const engine = engineOf(this.c.collector);
    const p = [...engine.state.partitions.values()].find((q) => q.key === "lock:0")!;
    let n = 0;
    for (const node of nodes) n += engine.causal!.laneHeld(p, p.indexOf(node));
    return n;
  }
}

Deno.test("A quiet node's lane drops to its last interval while its partition goes on", () => {
  const lease = new LeaseEvents(spec);
  const quiet = Array.from({ length: GROUP }, (_, i) => `q-${i}`);
  const active = Array.from({ length: GROUP }, (_, i) => `a-${i}`);
  const first = handoffs(lease, quiet, 0, QUIET_AFTER_MS, null);
  const second = handoffs(lease, active, QUIET_AFTER_MS, END_MS, first.last);
  const x = new Feeder(lease); // both groups
  const y = new Feeder(lease); // the second group only
  let xs: Timed[] = [...first.events, ...second.events];
  let ys: Timed[] = second.events;

  // What the quiet lanes hold at their last event: the window's rule, more than one interval each.
  xs = x.feed(xs, QUIET_AFTER_MS);
  ys = y.feed(ys, QUIET_AFTER_MS);
  const atLast = x.intervals - y.intervals;
  assert.ok(atLast > 2 * GROUP, `quiet lanes hold ${atLast} at their last event`);
  assert.ok(atLast <= GROUP * PER_LANE, `quiet lanes hold ${atLast}, more than the window's rule`);

  // Samples of what the quiet lanes hold, each second once the window has passed their last events.
  const kept: number[] = [];
  for (let at = QUIET_AFTER_MS + 1_000; at <= END_MS; at += 1_000) {
    xs = x.feed(xs, at);
    ys = y.feed(ys, at);
    kept.push(x.laneHeld(quiet));
    // By difference too while the window's rule still keeps their holds (the sweep also prunes the
    // active lanes, in turn, so X's and Y's may differ by an interval or two after that).
    if (at === QUIET_AFTER_MS + 1_000) assert.equal(kept[0], x.intervals - y.intervals);
    // The kept count is what the lanes hold.
    assert.equal(x.intervals, x.c.collector.causalIntervals(true), `at ${at} ms`);
    assert.equal(y.intervals, y.c.collector.causalIntervals(true), `at ${at} ms`);
  }
  assert.equal(xs.length + ys.length, 0);
  const m = x.c.collector.metrics();
  assert.equal(m.events, first.events.length + second.events.length);
  assert.equal(m.late + m.duplicates + m.gaps, 0);
  assert.equal(x.c.collector.violations().length, 0, "the handoffs are ordered");

  // Once the horizon passed their last holds' ends by 2S (horizon: merged time less 2S and the
  // window): each quiet lane keeps its last interval only.
  const passed = Math.ceil((4 * CAUSAL_OPTIONS.maxSkewMs + CAUSAL_OPTIONS.windowMs) / 1_000);
  assert.ok(kept[0]! > 2 * GROUP, `quiet lanes hold ${kept[0]} 1 s after their last event`);
  assert.deepEqual(
    kept.slice(passed),
    kept.slice(passed).map(() => GROUP),
    `quiet lanes hold ${kept} while their nodes are quiet, not their last interval each`,
  );

  // Until they act again: one hold each, and each lane drops to it.
  const back = handoffs(lease, quiet, END_MS, END_MS + 2 * GROUP * EVERY_MS, second.last);
  x.feed(back.events, END_MS + 1_000);
  x.c.collector.flush();
  y.c.collector.flush();
  assert.ok(
    x.intervals - y.intervals <= 2 * GROUP,
    `after acting again the quiet lanes hold ${x.intervals - y.intervals}`,
  );
});
