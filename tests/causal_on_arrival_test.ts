/**
 * Handoffs judged on arrival (`docs/causality.md`, "Judged on arrival";
 * `ArrivalJudgement`'s `judge` and `takeBack`) give exactly the verdicts of
 * judging every interval once the horizon passes it
 * (`causalOnArrival: false`): the split-brain simulator's per-node streams
 * (`tests/causal/redelivery.ts`) are delivered again, re-batched, 20% of
 * the batches twice and 5% later than the reorder window (late intervals,
 * and intervals arriving before ones judged on arrival, whose judgements
 * are taken back), to both kinds of judge, once straight through and once
 * restarted from a snapshot every 3 batches (judgements made on arrival are saved
 * as queued); every violation must be the same in full (cut, states,
 * evidence, picture, detection times). Seeded, simulated clock.
 */
import assert from "node:assert/strict";
import type { Violation } from "../edge/engine/types.ts";
import { loadLease } from "./causal/simulator.ts";
import { type Arrival, deliver, redelivered } from "./causal/redelivery.ts";

const specs = await loadLease();
const WINDOW_MS = 250;
const MAX_SKEW_MS = 500;
const RUNS = 30;

function judged(arrivals: readonly Arrival[], onArrival: boolean, restartEvery: number) {
  return deliver(arrivals, {
    specs: [specs.collector],
    windowMs: WINDOW_MS,
    maxSkewMs: MAX_SKEW_MS,
    causalOnArrival: onArrival,
  }, restartEvery);
}

function full(violations: readonly Violation[]): string[] {
  return violations.map((v) => JSON.stringify(v));
}

Deno.test("Handoffs judged on arrival give the verdicts of judging at the horizon, delivery by delivery, across a restart", async () => {
  const mismatches: string[] = [];
  let compared = 0;
  let alerts = 0;
  let causal = 0;
  for (let run = 0; run < RUNS; run++) {
    const seed = 7_100 + run;
    const arrivals = await redelivered(specs, seed, {
      maxSkewMs: MAX_SKEW_MS,
      windowMs: WINDOW_MS,
      splitBrains: 6,
    });
    for (const restartEvery of [0, 3]) {
      const want = full(judged(arrivals, false, restartEvery));
      const got = full(judged(arrivals, true, restartEvery));
      compared++;
      alerts += want.length;
      causal += want.filter((v) => v.includes('"verdict"')).length;
      if (JSON.stringify(got) !== JSON.stringify(want)) {
        const first = got.findIndex((g, k) => g !== want[k]);
        mismatches.push(
          `seed ${seed}${
            restartEvery === 0 ? "" : ` (restarts every ${restartEvery} batches)`
          }: ${got.length} violations, want ${want.length}; first difference at ${first}:\n  got  ${
            got[first]
          }\n  want ${want[first]}`,
        );
      }
    }
  }
  assert.deepEqual(mismatches, [], `${mismatches.length} of ${compared} deliveries differ`);
  assert.equal(compared, 2 * RUNS);
  // Every run injects 6 split brains: the comparison is over alerts, causal ones, not empty lists.
  assert.ok(alerts >= compared * 6, `${alerts} violations over ${compared} deliveries`);
  assert.ok(causal >= compared * 6, `${causal} causal verdicts over ${compared} deliveries`);
});

Deno.test("A hold judged on arrival and pending at a snapshot is judged again by the restored collector when a concurrent hold before it turns up", async () => {
  const { LeaseEvents } = await import("./causal/lease_workload.ts");
  const { createCollector, restoreCollector } = await import("../edge/engine/collector.ts");
  const lease = new LeaseEvents(specs.collector);
  const T0 = 1_700_000_000_000;
  // A and B hand the lease on by message every 100 ms for 3 s, then B holds 3000-3300; C, whose clock
  // is 200 ms slow, holds at true time 3190-3210 (its walls 2990-3010) with no message, and ships
  // 100 ms later: its hold starts before B's in canonical order, and arrives after B's was applied.
  type Sent = { at: number; node: string; seq: number; body: ReturnType<typeof lease.acquire> };
  const sent: Sent[] = [];
  const seqs = new Map<string, number>();
  const send = (node: string, at: number, body: Sent["body"]) => {
    const seq = seqs.get(node) ?? 0;
    seqs.set(node, seq + 1);
    sent.push({ at, node, seq, body });
  };
  let last: { node: string; wall: number } | null = null;
  for (let t = 0; t < 6_000; t += 100) {
    const node = (t / 100) % 2 === 0 ? "A" : "B";
    const deps = last === null
      ? undefined
      : [{ node: last.node, wall: T0 + last.wall, logical: 0 }];
    const hold = t === 3_000 ? 300 : 50;
    send(node, t + 5, lease.acquire(T0 + t, deps === undefined ? {} : { deps }));
    send(node, t + hold + 5, lease.release(T0 + t + hold));
    last = { node, wall: t + hold };
    if (t === 3_000) t += 300; // B's long hold; the next handoff is from B at 3400
  }
  send("C", 3_310, lease.acquire(T0 + 2_990));
  send("C", 3_310, lease.release(T0 + 3_010));
  sent.sort((a, b) => a.at - b.at);
  const run = (onArrival: boolean) => {
    let now = T0;
    const options = {
      specs: [specs.collector],
      now: () => now,
      windowMs: WINDOW_MS,
      maxSkewMs: MAX_SKEW_MS,
      causalOnArrival: onArrival,
    };
    let c = createCollector(options);
    let restarted = false;
    for (const s of sent) {
      if (!restarted && s.at > 3_280) {
        now = T0 + 3_280;
        c.advance(now);
        c = restoreCollector(JSON.parse(JSON.stringify(c.snapshot())), options);
        restarted = true;
      }
      now = T0 + s.at;
      c.advance(now);
      c.ingestBytes(lease.batch(s.node, [s.body], { firstSeq: s.seq }));
    }
    now += 60_000;
    c.advance(now);
    c.flush();
    return c.violations();
  };
  const want = run(false);
  // The scenario is the one meant: one alert, naming the real pair B and C.
  assert.deepEqual(want.map((v) => [v.kind, v.nodes.includes("B") && v.nodes.includes("C")]), [
    ["invariant", true],
  ]);
  assert.deepEqual(full(run(true)), full(want));
});
