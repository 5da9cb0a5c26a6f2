/**
 * The causal judge's lane warm-up (`CausalJudge.warm`, `warmQueued`:
 * `edge/engine/causal/lane_warming.ts`) only reads: the split-brain
 * simulator's per-node streams (`tests/causal/redelivery.ts`), re-batched,
 * 20% of the batches twice and 5% later than the reorder window, are
 * delivered to a collector whose judge warms every lane of the partition
 * before each event it applies (far more than the engine's warm-up) and to
 * one whose judge never warms (the engine's warm-up reaching nothing); the
 * collector snapshots after every batch and the violations at the end must
 * be the same in full. Seeded, simulated clock.
 */
import assert from "node:assert/strict";
import { CausalJudge } from "../edge/engine/causal/causal_judge.ts";
import { createCollector } from "../edge/engine/collector.ts";
import type { Partition } from "../edge/engine/partition.ts";
import { loadLease } from "./causal/simulator.ts";
import { type Arrival, redelivered } from "./causal/redelivery.ts";

const specs = await loadLease();
const WINDOW_MS = 250;
const MAX_SKEW_MS = 500;
const RUNS = 6;

/** What a delivery gives: the snapshot after each batch, then the violations (all as JSON). */
function delivered(arrivals: readonly Arrival[]): string[] {
  let now = arrivals[0]!.at;
  const collector = createCollector({
    specs: [specs.collector],
    windowMs: WINDOW_MS,
    maxSkewMs: MAX_SKEW_MS,
    now: () => now,
  });
  const out: string[] = [];
  for (const a of arrivals) {
    now = a.at;
    collector.advance(now);
    collector.ingestBytes(a.bytes);
    out.push(JSON.stringify(collector.snapshot()));
  }
  now += 10 * (WINDOW_MS + 2 * MAX_SKEW_MS) + 60_000;
  collector.advance(now);
  collector.flush();
  out.push(JSON.stringify(collector.snapshot()), JSON.stringify(collector.violations()));
  return out;
}

/** Runs `f` with the judge's warm-up changed as `how` says, then puts it back. */
function withWarming<T>(how: "never" | "every lane", f: () => T): { result: T; warmed: number } {
  const proto = CausalJudge.prototype;
  const { warm, warmQueued, applied } = proto;
  let warmed = 0;
  if (how === "never") {
    proto.warm = () => {};
    proto.warmQueued = () => 0;
  } else {
    proto.applied = function (this: CausalJudge, p: Partition, participant, e) {
      for (let z = 0; z <= p.participants.length; z++) warm.call(this, p, z);
      warmed += p.participants.length + 1;
      warmQueued.call(this);
      applied.call(this, p, participant, e);
    };
  }
  try {
    return { result: f(), warmed };
  } finally {
    proto.warm = warm;
    proto.warmQueued = warmQueued;
    proto.applied = applied;
  }
}

Deno.test("The judge's lane warm-up changes no snapshot and no verdict, delivery by delivery", async () => {
  const mismatches: string[] = [];
  let violations = 0;
  let warmed = 0;
  for (let run = 0; run < RUNS; run++) {
    const seed = 9_300 + run;
    const arrivals = await redelivered(specs, seed, {
      maxSkewMs: MAX_SKEW_MS,
      windowMs: WINDOW_MS,
      splitBrains: 4,
    });
    const want = withWarming("never", () => delivered(arrivals)).result;
    const got = withWarming("every lane", () => delivered(arrivals));
    warmed += got.warmed;
    violations += (JSON.parse(want.at(-1)!) as unknown[]).length;
    const first = got.result.findIndex((g, k) => g !== want[k]);
    if (first >= 0 || got.result.length !== want.length) {
      mismatches.push(
        `seed ${seed}: first difference after batch ${first} of ${want.length - 2}:\n  got  ${
          got.result[first]?.slice(0, 400)
        }\n  want ${want[first]?.slice(0, 400)}`,
      );
    }
  }
  assert.deepEqual(mismatches, [], `${mismatches.length} of ${RUNS} deliveries differ`);
  // Over split brains and lanes warmed: not empty comparisons.
  assert.ok(violations >= RUNS * 4, `${violations} violations over ${RUNS} deliveries`);
  assert.ok(warmed > 1_000, `${warmed} lanes warmed`);
});
