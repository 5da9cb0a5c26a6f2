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
import { CAUSAL_OPTIONS, ClockedCollector, LeaseEvents } from "./causal/lease_workload.ts";
import { createCollector } from "../edge/engine/collector.ts";
import { laneKinds, loadLease } from "./causal/simulator.ts";
import type { CompiledSpec } from "../lib/abi/compiled.ts";
import type { Violation } from "../edge/engine/types.ts";

const specs = await loadLease();
const T = 1_700_000_000_000;

/** A dependency on `node`'s event at `wall` (relative to `T`). */
const dep = (node: string, wall: number) => ({ node, wall: T + wall, logical: 0 });

/** The alerts of the case, `ordered`: whether D's late batch with A's and C's stamps is delivered. */
function run(spec: CompiledSpec, ordered: boolean): Violation[] {
  const l = new LeaseEvents(spec);
  const c = new ClockedCollector(spec, T + 1_200);
  const alerts: Violation[] = [];
  c.collector.on((e) => {
    if (e.type === "violation") alerts.push(e.violation);
  });
  const deliver = (bytes: Uint8Array, at: number) => {
    c.now = T + at;
    c.collector.ingestBytes(bytes);
  };
  deliver(l.batch("A", [l.acquire(T + 1_000), l.release(T + 1_100)]), 1_200);
  deliver(l.batch("C", [l.acquire(T + 1_130), l.release(T + 1_200)]), 1_250);
  c.advance(T + 2_600);
  // E: another key, a dependency on A (no epoch bump): the recheck confirms the cut of A's and C's holds.
  deliver(
    l.batch("E", [l.acquire(T + 2_640, { key: "lock:other", deps: [dep("A", 1_050)] })]),
    2_650,
  );
  // D holds from 1 210 on (an open hold: its end would recheck the episode itself), within 2S of A's and
  // C's holds, with no stamp yet.
  deliver(l.batch("D", [l.acquire(T + 1_210)]), 2_660);
  c.advance(T + 2_950); // past D's batch's reorder window: D's hold is judged
  if (ordered) {
    // D's late batch: at 1 205 (before its hold; nothing named D, so no epoch bump) D had A's and C's releases.
    deliver(
      l.batch("D", [
        l.acquire(T + 1_205, { key: "lock:third", deps: [dep("A", 1_100), dep("C", 1_200)] }),
      ], { firstSeq: 1 }),
      2_960,
    );
  }
  for (let t = 3_000; t <= 8_000; t += 500) c.advance(T + t);
  c.collector.flush();
  return alerts.filter((v) => v.partition === "lock:one");
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
  const l = new LeaseEvents(spec);
  let now = T + 1_200;
  const collector = createCollector({
    specs: [spec],
    now: () => now,
    ...CAUSAL_OPTIONS,
    retireIdleMs: 1_500,
  });
  const alerts: Violation[] = [];
  collector.on((e) => {
    if (e.type === "violation") alerts.push(e.violation);
  });
  const deliver = (bytes: Uint8Array, at: number) => {
    now = T + at;
    collector.ingestBytes(bytes);
  };
  const advance = (at: number) => {
    now = T + at;
    collector.advance(now);
  };
  deliver(l.batch("A", [l.acquire(T + 1_000), l.release(T + 1_100)]), 1_200);
  deliver(
    l.batch("F", [
      l.acquire(T + 1_005, { key: "lock:x" }),
      l.acquire(T + 1_010),
      l.release(T + 1_050),
    ]),
    1_210,
  );
  deliver(l.batch("C", [l.acquire(T + 1_130), l.release(T + 1_200)]), 1_250);
  advance(2_450); // the cuts are found; the first sweep retires nothing (F silent 1 240 ms)
  deliver(
    l.batch("E", [l.acquire(T + 2_440, { key: "lock:other", deps: [dep("A", 1_050)] })]),
    2_460,
  );
  // A and C go on (on other keys, no stamps): only F goes silent.
  deliver(l.batch("A", [l.acquire(T + 3_290, { key: "lock:a" })], { firstSeq: 2 }), 3_300);
  deliver(l.batch("C", [l.acquire(T + 3_290, { key: "lock:c" })], { firstSeq: 2 }), 3_300);
  advance(3_450); // F silent 2 240 ms: its lock:one participant (released) is retired
  deliver(l.batch("D", [l.acquire(T + 1_210)]), 3_460);
  advance(3_720); // past D's reorder window: D's hold is judged, it joins with A and with C
  if (ordered) {
    deliver(
      l.batch("D", [
        l.acquire(T + 1_205, { key: "lock:third", deps: [dep("A", 1_100), dep("C", 1_200)] }),
      ], { firstSeq: 1 }),
      3_730,
    );
  }
  for (let t = 4_000; t <= 9_000; t += 500) advance(t);
  collector.flush();
  const retired = collector.metrics().retiredParticipants;
  assert.ok(retired >= 1, `F's lock:one participant was retired (${retired})`);
  return alerts.filter((v) => v.partition === "lock:one");
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
