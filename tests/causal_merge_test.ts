/**
 * Causal verdicts do not depend on delivery (issue 13's must-hold "any
 * interleaving, splitting or redelivery of the same per-node streams gives
 * the same verdicts", with `maxSkewMs` on): the per-node streams the
 * split-brain simulator (`tests/causal/simulator.ts`) records are
 * delivered again to a fresh collector, cut into batches of 1-8 events,
 * interleaved across nodes by random shipping delays, 20% of the batches
 * delivered twice; every delivery must give the violation list of the
 * simulator's own delivery (kind, property, partition, at, nodes,
 * verdict). Seeded; every run is bounded in steps and runs on a simulated
 * clock.
 */
import assert from "node:assert/strict";
import { encodeBatch } from "../lib/wire/encode.ts";
import { decodeBatch } from "../lib/wire/decode.ts";
import type { DecodedBatch, DecodedEvent } from "../lib/wire/event.ts";
import { createCollector } from "../edge/engine/collector.ts";
import type { Violation } from "../edge/engine/types.ts";
import { type LeaseSpecs, loadLease, Rng, splitBrainRun } from "./causal/simulator.ts";

const specs = await loadLease();
const WINDOW_MS = 250;
const MAX_SKEW_MS = 500;
/** A batch spans at most this much sending time, and ships within this much after: within the window. */
const SPAN_MS = 150;
const SHIP_MS = 90;
/** Simulator runs, each delivered again three times. */
const RUNS = 60;

/** One event as a node sent it, with the real time it was sent at. */
interface Sent {
  readonly at: number;
  readonly batch: DecodedBatch;
  readonly event: DecodedEvent;
}

/** What a verdict must keep across deliveries. */
function verdictsOf(violations: readonly Violation[]): string[] {
  return violations.map((v) =>
    JSON.stringify({
      kind: v.kind,
      property: v.property.name,
      partition: v.partition,
      at: v.at,
      nodes: [...v.nodes].sort(),
      verdict: v.causal?.verdict ?? null,
    })
  );
}

/**
 * Delivers the per-node streams `sent` again: batches of 1-8 events spanning at most 100 ms,
 * shipped 0-90 ms after their last event, 20% of them again up to 4 windows later (every event
 * arrives within the reorder window of being sent, as the causal verdicts assume).
 */
function redeliver(sent: readonly Sent[], rng: Rng, lease: LeaseSpecs): Violation[] {
  const byNode = new Map<string, Sent[]>();
  for (const s of sent) {
    const list = byNode.get(s.batch.node) ?? [];
    list.push(s);
    byNode.set(s.batch.node, list);
  }
  const arrivals: { at: number; order: number; bytes: Uint8Array }[] = [];
  let order = 0;
  for (const stream of byNode.values()) {
    stream.sort((a, b) => a.event.seq - b.event.seq);
    for (let i = 0; i < stream.length;) {
      // Like a batcher: at most 1-8 events, sent at most 150 ms after the first.
      const most = rng.int(1, 8);
      let n = 1;
      while (n < most && i + n < stream.length && stream[i + n]!.at - stream[i]!.at <= SPAN_MS) n++;
      const part = stream.slice(i, i + n);
      i += n;
      const head = part[0]!.batch;
      const bytes = encodeBatch(
        {
          spec: head.spec,
          specName: head.specName,
          node: head.node,
          boot: head.boot,
          firstSeq: part[0]!.event.seq,
          dropped: [],
        },
        part.map((p) => p.event),
      );
      // A batch leaves with its last event.
      const leaves = part[n - 1]!.at;
      arrivals.push({ at: leaves + rng.real(0, SHIP_MS), order: order++, bytes });
      if (rng.next() < 0.2) {
        arrivals.push({ at: leaves + rng.real(0, 4 * WINDOW_MS), order: order++, bytes });
      }
    }
  }
  arrivals.sort((a, b) => a.at - b.at || a.order - b.order);
  let now = arrivals[0]!.at;
  const collector = createCollector({
    specs: [lease.collector],
    now: () => now,
    windowMs: WINDOW_MS,
    maxSkewMs: MAX_SKEW_MS,
  });
  for (const a of arrivals) {
    now = a.at;
    collector.advance(now);
    collector.ingestBytes(a.bytes);
  }
  now += 10 * (WINDOW_MS + 2 * MAX_SKEW_MS) + 60_000;
  collector.advance(now);
  collector.flush();
  return collector.violations().filter((v) => v.kind === "invariant");
}

/** A simulator run recording every batch sent, and its alerts. */
async function recorded(seed: number) {
  const sent: Sent[] = [];
  const r = await splitBrainRun({
    specs,
    maxSkewMs: MAX_SKEW_MS,
    skewMs: 500,
    windowMs: WINDOW_MS,
    rng: new Rng(seed),
    splitBrains: 6,
    handoffsBetween: 10,
    ship: [0, 40],
    overlap: [1, 3_000],
    onSend: (bytes, at) => {
      const batch = decodeBatch(bytes);
      for (const event of batch.events) sent.push({ at, batch, event });
    },
  });
  return { sent, alerts: r.alerts, injected: r.injected };
}

Deno.test("Re-batched, interleaved and redelivered streams give the simulator's causal verdicts", async () => {
  let deliveries = 0;
  let alerts = 0;
  const mismatches: string[] = [];
  for (let run = 0; run < RUNS; run++) {
    const seed = 1_300 + run;
    const { sent, alerts: expected } = await recorded(seed);
    assert.ok(sent.length > 60, `seed ${seed}: the run sent ${sent.length} events`);
    assert.ok(expected.length >= 6, `seed ${seed}: ${expected.length} alerts for 6 split brains`);
    const want = verdictsOf(expected);
    for (let k = 0; k < 3; k++) {
      deliveries++;
      alerts += want.length;
      const got = verdictsOf(redeliver(sent, new Rng(seed * 100 + k), specs));
      if (JSON.stringify(got) !== JSON.stringify(want)) {
        mismatches.push(
          `seed ${seed} delivery ${k}: ${got.length} alerts, want ${want.length}\n  got  ${
            got.join("\n       ")
          }\n  want ${want.join("\n       ")}`,
        );
      }
    }
  }
  assert.deepEqual(mismatches, [], `${mismatches.length} of ${deliveries} deliveries differ`);
  assert.equal(deliveries, RUNS * 3);
  assert.ok(alerts >= RUNS * 3 * 6);
});
