/**
 * `Episodes.recheck`'s fast path (a batch whose dependencies bumped no
 * epoch, every cut of the unraised episode confirmed before it, none of
 * the batch node's failing intervals starting at or after its earliest
 * new entry: nothing to test) must not cover a cut that joined the
 * episode after its last recheck. A and C hold with no stamp (S = 500 ms:
 * possibly together), E's unrelated batch confirms that cut; then D's
 * open hold arrives late and joins the episode with A and with C; then D's
 * late batch says that before its hold D received A's and C's release
 * stamps: those new cuts dissolve, the alert names A and C only. The
 * second case gets there after a retirement dropped confirmed cuts
 * (`CausalJudge.retire` tells `Episodes.forget`).
 */
import assert from "node:assert/strict";
import { CAUSAL_OPTIONS, LeaseEvents } from "./causal/lease_workload.ts";
import { createCollector } from "../edge/engine/collector.ts";
import type { Collector } from "../edge/engine/types.ts";
import { laneKinds, loadLease } from "./causal/simulator.ts";
import type { CompiledSpec } from "../lib/abi/compiled.ts";
import type { Violation } from "../edge/engine/types.ts";

const specs = await loadLease();
const T = 1_700_000_000_000;

/** A dependency on `node`'s event at `wall` (relative to `T`). */
const dep = (node: string, wall: number) => ({ node, wall: T + wall, logical: 0 });

/**
 * A collector of `spec` ({@link CAUSAL_OPTIONS}, retiring after
 * `retireIdleMs` when given) fed batch by batch on a clock the case sets
 * (ms after `T`), keeping its alerts.
 */
class Feed {
  readonly l: LeaseEvents;
  readonly collector: Collector;
  readonly #alerts: Violation[] = [];
  #now = T;

  constructor(spec: CompiledSpec, retireIdleMs = 0) {
    this.l = new LeaseEvents(spec);
    this.collector = createCollector({
      specs: [spec],
      now: () => this.#now,
      ...CAUSAL_OPTIONS,
      retireIdleMs,
    });
    this.collector.on((e) => {
      if (e.type === "violation") this.#alerts.push(e.violation);
    });
  }

  /** Delivers `bytes` with the clock at `at`. */
  deliver(bytes: Uint8Array, at: number): void {
    this.#now = T + at;
    this.collector.ingestBytes(bytes);
  }

  /** Moves the clock to `at`, judging up to it. */
  advance(at: number): void {
    this.#now = T + at;
    this.collector.advance(this.#now);
  }

  /** D's late batch at clock `at`: at 1 205 (before its hold; nothing named D, so no epoch bump) D had A's and C's releases. */
  dLate(at: number): void {
    const l = this.l;
    const stamped = { key: "lock:third", deps: [dep("A", 1_100), dep("C", 1_200)] };
    this.deliver(l.batch("D", [l.acquire(T + 1_205, stamped)], { firstSeq: 1 }), at);
  }

  /** Judgement from `from` past every raise point, the flush: the alerts of `lock:one`. */
  alerts(from: number): Violation[] {
    for (let t = from; t <= from + 5_000; t += 500) this.advance(t);
    this.collector.flush();
    return this.#alerts.filter((v) => v.partition === "lock:one");
  }
}

/** The alerts of the case, `ordered`: whether D's late batch with A's and C's stamps is delivered. */
function run(spec: CompiledSpec, ordered: boolean): Violation[] {
  const f = new Feed(spec);
  const l = f.l;
  f.deliver(l.batch("A", [l.acquire(T + 1_000), l.release(T + 1_100)]), 1_200);
  f.deliver(l.batch("C", [l.acquire(T + 1_130), l.release(T + 1_200)]), 1_250);
  f.advance(2_600);
  // E: another key, a dependency on A (no epoch bump): the recheck confirms the cut of A's and C's holds.
  f.deliver(
    l.batch("E", [l.acquire(T + 2_640, { key: "lock:other", deps: [dep("A", 1_050)] })]),
    2_650,
  );
  // D holds from 1 210 on (an open hold: its end would recheck the episode itself), within 2S of A's and
  // C's holds, with no stamp yet.
  f.deliver(l.batch("D", [l.acquire(T + 1_210)]), 2_660);
  f.advance(2_950); // past D's batch's reorder window: D's hold is judged
  if (ordered) f.dLate(2_960);
  return f.alerts(3_000);
}

for (const [kind, spec] of laneKinds(specs)) {
  Deno.test(`A cut that joined an unraised episode after its last recheck is tested at the next batch that bumps no epoch (${kind})`, () => {
    const unordered = run(spec, false);
    assert.equal(unordered.length, 1);
    assert.deepEqual(
      [...unordered[0]!.nodes].sort(),
      ["A", "C", "D"],
      "D's hold joined the episode",
    );
    const ordered = run(spec, true);
    assert.equal(ordered.length, 1);
    assert.deepEqual(
      [...ordered[0]!.nodes].sort(),
      ["A", "C"],
      "A's and C's releases happened before D's hold: D's cuts dissolve",
    );
  });
}

/**
 * The same fast path after a retirement: F held `lock:one` within A's hold
 * (and holds `lock:x` for good, so F the node stays), the cuts F-A, A-C and
 * F-C are confirmed by E's batch; F goes silent and its `lock:one`
 * participant, at rest, is retired, which drops the cuts naming F
 * (`CausalJudge.retire`); D's open hold then joins with A and with C (as
 * many cuts as were confirmed), and D's late batch orders A's and C's
 * releases before it. The recheck must test D's cuts (`Episodes.forget`):
 * the alert names A and C only.
 */
function runRetired(spec: CompiledSpec, ordered: boolean): Violation[] {
  const f = new Feed(spec, 1_500);
  const l = f.l;
  f.deliver(l.batch("A", [l.acquire(T + 1_000), l.release(T + 1_100)]), 1_200);
  f.deliver(
    l.batch("F", [
      l.acquire(T + 1_005, { key: "lock:x" }),
      l.acquire(T + 1_010),
      l.release(T + 1_050),
    ]),
    1_210,
  );
  f.deliver(l.batch("C", [l.acquire(T + 1_130), l.release(T + 1_200)]), 1_250);
  f.advance(2_450); // the cuts are found; the first sweep retires nothing (F silent 1 240 ms)
  f.deliver(
    l.batch("E", [l.acquire(T + 2_440, { key: "lock:other", deps: [dep("A", 1_050)] })]),
    2_460,
  );
  // A and C go on (on other keys, no stamps): only F goes silent.
  f.deliver(l.batch("A", [l.acquire(T + 3_290, { key: "lock:a" })], { firstSeq: 2 }), 3_300);
  f.deliver(l.batch("C", [l.acquire(T + 3_290, { key: "lock:c" })], { firstSeq: 2 }), 3_300);
  f.advance(3_450); // F silent 2 240 ms: its lock:one participant (released) is retired
  f.deliver(l.batch("D", [l.acquire(T + 1_210)]), 3_460);
  f.advance(3_720); // past D's reorder window: D's hold is judged, it joins with A and with C
  if (ordered) f.dLate(3_730);
  const alerts = f.alerts(4_000);
  const retired = f.collector.metrics().retiredParticipants;
  assert.ok(retired >= 1, `F's lock:one participant was retired (${retired})`);
  return alerts;
}

for (const [kind, spec] of laneKinds(specs)) {
  Deno.test(`A cut that joined after a retirement dropped confirmed cuts is still tested at the next batch that bumps no epoch (${kind})`, () => {
    const unordered = runRetired(spec, false);
    assert.equal(unordered.length, 1);
    assert.ok(unordered[0]!.nodes.includes("D"), `D's hold joined: ${unordered[0]!.nodes}`);
    const ordered = runRetired(spec, true);
    assert.equal(ordered.length, 1);
    assert.deepEqual([...ordered[0]!.nodes].sort(), ["A", "C"], "D's cuts dissolve");
  });
}
