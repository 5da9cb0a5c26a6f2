/**
 * The split-brain simulator of issue 13 (`tests/causal/simulator.ts`): 3
 * nodes on `specs/lease.vigil`, clocks skewed within +/-500 ms, a stamp on
 * every handoff, shipping delays up to 40 ms, reorder window 250 ms, the
 * collector judging causally with S = 500 ms. Seeded; every run is bounded
 * in steps and runs on a simulated clock.
 */
import assert from "node:assert/strict";
import {
  type Injected,
  leaseLaneKinds,
  loadLease,
  Rng,
  type RunResult,
  splitBrainRun,
} from "./causal/simulator.ts";
import type { Violation } from "../edge/engine/types.ts";

const lease = await loadLease();
/** Lease is of the exclusion shape: its lanes hold P-intervals only; the same spec without the marker keeps full lanes. */
const LANES = leaseLaneKinds(lease);

/** The alerts whose time falls within `i` (widened by the skew bound each side). */
function alertsOf(r: RunResult, i: Injected, skew: number): Violation[] {
  return r.alerts.filter((a) => a.at.wall >= i.from - skew - 100 && a.at.wall <= i.to + skew + 100);
}

for (const [kind, specs] of LANES) {
  const BASE = { specs, maxSkewMs: 500, skewMs: 500, windowMs: 250 } as const;

  Deno.test(`900 injected split brains from 1 ms to 3 s of real overlap: each reported once, naming the real pair; definitely only for it (${kind})`, async () => {
    let injected = 0;
    let possibly = 0;
    let definitely = 0;
    const overlaps: number[] = [];
    for (let run = 0; run < 30; run++) {
      const r = await splitBrainRun({
        ...BASE,
        rng: new Rng(13_000 + run),
        splitBrains: 30,
        handoffsBetween: 10,
        ship: [0, 40],
        overlap: [1, 3_000],
      });
      const claimed = new Set<Violation>();
      for (const i of r.injected) {
        injected++;
        overlaps.push(i.overlapMs);
        const mine = alertsOf(r, i, 500);
        assert.equal(mine.length, 1, `run ${run}: ${JSON.stringify(i)} gave ${mine.length} alerts`);
        const a = mine[0]!;
        claimed.add(a);
        assert.ok(
          a.nodes.includes(i.holder) && a.nodes.includes(i.intruder),
          `run ${run}: ${JSON.stringify(i)} named ${a.nodes}`,
        );
        assert.ok(a.causal !== undefined);
        if (a.causal.verdict === "definitely") {
          definitely++;
          // Only the pair that really overlapped may be named under `definitely`.
          assert.deepEqual([...a.nodes].sort(), [i.holder, i.intruder].sort());
        } else possibly++;
      }
      assert.deepEqual(
        r.alerts.filter((a) => !claimed.has(a)),
        [],
        `run ${run}: alerts outside any split brain`,
      );
    }
    assert.equal(injected, 900);
    assert.equal(possibly + definitely, 900);
    // The generator covers the whole range, short overlaps included.
    assert.ok(overlaps.filter((o) => o <= 50).length >= 200, "many overlaps of 50 ms or less");
    assert.ok(Math.min(...overlaps) <= 2 && Math.max(...overlaps) >= 2_500);
  });

  Deno.test(`30,000 clean handoffs, each ordered by a message, with clocks skewed +/-500 ms raise no alert (${kind})`, async () => {
    let handoffs = 0;
    for (let run = 0; run < 10; run++) {
      const r = await splitBrainRun({
        ...BASE,
        rng: new Rng(30_000 + run),
        splitBrains: 0,
        handoffsBetween: 3_000,
        ship: [0, 40],
        overlap: [1, 1],
      });
      handoffs += r.handoffs;
      assert.deepEqual(
        r.alerts.map((a) => a.message),
        [],
        `run ${run}, skews ${JSON.stringify(r.skews)}`,
      );
    }
    assert.ok(handoffs >= 30_000, `${handoffs} handoffs`);
  });

  Deno.test(`A clean run whose batches arrive later than the reorder window raises no alert (${kind})`, async () => {
    for (let run = 0; run < 3; run++) {
      const r = await splitBrainRun({
        ...BASE,
        rng: new Rng(40_000 + run),
        splitBrains: 0,
        handoffsBetween: 1_000,
        ship: [300, 650],
        overlap: [1, 1],
      });
      assert.equal(r.handoffs, 1_000);
      assert.deepEqual(
        r.alerts.map((a) => a.message),
        [],
        `run ${run}, skews ${JSON.stringify(r.skews)}`,
      );
    }
  });

  Deno.test(`With clocks within 20 ms (S = 25 ms) long split brains are definitely violated, always by the real pair (${kind})`, async () => {
    let definitely = 0;
    for (let run = 0; run < 10; run++) {
      const r = await splitBrainRun({
        specs,
        maxSkewMs: 25,
        skewMs: 20,
        windowMs: 250,
        rng: new Rng(50_000 + run),
        splitBrains: 30,
        handoffsBetween: 10,
        ship: [0, 40],
        overlap: [1, 3_000],
      });
      for (const i of r.injected) {
        const mine = alertsOf(r, i, 25);
        assert.equal(mine.length, 1);
        const a = mine[0]!;
        assert.ok(a.nodes.includes(i.holder) && a.nodes.includes(i.intruder));
        if (a.causal?.verdict !== "definitely") continue;
        definitely++;
        assert.deepEqual([...a.nodes].sort(), [i.holder, i.intruder].sort());
      }
    }
    assert.ok(definitely > 0, "some split brain proven definitely");
  });
}
