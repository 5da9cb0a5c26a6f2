/**
 * The split-brain simulator's per-node streams delivered again
 * (`simulator.ts` records them): re-batched as a batcher would, shipped
 * with random delays (some twice, some later than the reorder window), to
 * fresh collectors on a simulated clock. `tests/causal_merge_test.ts`
 * checks that any such delivery gives the simulator's verdicts;
 * `tests/causal_on_arrival_test.ts` that judging handoffs on arrival gives
 * the verdicts of judging at the horizon, delivery by delivery;
 * `tests/causal_lane_warming_test.ts` that the judge's lane warm-up changes
 * nothing.
 *
 * @module
 */
import { encodeBatch } from "../../lib/wire/encode.ts";
import { decodeBatch } from "../../lib/wire/decode.ts";
import type { DecodedBatch, DecodedEvent } from "../../lib/wire/event.ts";
import { createCollector, restoreCollector } from "../../edge/engine/collector.ts";
import type { CollectorOptions } from "../../edge/engine/options.ts";
import type { Violation } from "../../edge/engine/types.ts";
import { type LeaseSpecs, Rng, splitBrainRun } from "./simulator.ts";

/** One event as a node sent it, with the real time it was sent at. */
export interface Sent {
  readonly at: number;
  readonly batch: DecodedBatch;
  readonly event: DecodedEvent;
}

/** A batch arriving at the collector at real time `at` (ties kept in `order`). */
export interface Arrival {
  readonly at: number;
  readonly order: number;
  readonly bytes: Uint8Array;
}

/** How {@link arrivalsOf} re-batches and ships. */
export interface Shipping {
  /** A batch spans at most this much sending time (ms). */
  readonly spanMs: number;
  /** A batch ships within this much after its last event (ms). */
  readonly shipMs: number;
  /** Share of batches delivered a second time, up to `againMs` later. */
  readonly again: number;
  readonly againMs: number;
  /** Share of batches shipped late instead: `lateMs` (a range) after their last event. */
  readonly late?: number;
  readonly lateMs?: readonly [number, number];
}

/** A simulator run (seeded) recording every event sent, and its alerts. */
export async function recordRun(
  specs: LeaseSpecs,
  seed: number,
  options: { readonly maxSkewMs: number; readonly windowMs: number; readonly splitBrains: number },
): Promise<{ sent: Sent[]; alerts: readonly Violation[] }> {
  const sent: Sent[] = [];
  const r = await splitBrainRun({
    specs,
    maxSkewMs: options.maxSkewMs,
    skewMs: 500,
    windowMs: options.windowMs,
    rng: new Rng(seed),
    splitBrains: options.splitBrains,
    handoffsBetween: 10,
    ship: [0, 40],
    overlap: [1, 3_000],
    onSend: (bytes, at) => {
      const batch = decodeBatch(bytes);
      for (const event of batch.events) sent.push({ at, batch, event });
    },
  });
  return { sent, alerts: r.alerts };
}

/**
 * The streams `sent` (per node and boot) re-batched (1-8 events spanning
 * at most `spanMs`) and shipped as `shipping` says, in order of arrival.
 */
export function arrivalsOf(sent: readonly Sent[], rng: Rng, shipping: Shipping): Arrival[] {
  const byStream = new Map<string, Sent[]>();
  for (const s of sent) {
    const key = `${s.batch.node}\u0000${s.batch.boot}`;
    const list = byStream.get(key) ?? [];
    list.push(s);
    byStream.set(key, list);
  }
  const arrivals: Arrival[] = [];
  let order = 0;
  for (const stream of byStream.values()) {
    stream.sort((a, b) => a.event.seq - b.event.seq);
    for (let i = 0; i < stream.length;) {
      // Like a batcher: at most 1-8 events, sent at most `spanMs` after the first.
      const most = rng.int(1, 8);
      let n = 1;
      while (
        n < most && i + n < stream.length && stream[i + n]!.at - stream[i]!.at <= shipping.spanMs
      ) n++;
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
      const late = shipping.late !== undefined && rng.next() < shipping.late;
      const [lo, hi] = late ? shipping.lateMs ?? [0, 0] : [0, shipping.shipMs];
      arrivals.push({ at: leaves + rng.real(lo, hi), order: order++, bytes });
      if (rng.next() < shipping.again) {
        arrivals.push({ at: leaves + rng.real(0, shipping.againMs), order: order++, bytes });
      }
    }
  }
  return arrivals.sort((a, b) => a.at - b.at || a.order - b.order);
}

/**
 * Run `seed` of the simulator ({@link recordRun}) redelivered roughly:
 * re-batched, shipped within 90 ms, 20% of the batches a second time up to
 * four windows later and 5% later than the window (up to 2.5 s).
 */
export async function redelivered(
  specs: LeaseSpecs,
  seed: number,
  options: { readonly maxSkewMs: number; readonly windowMs: number; readonly splitBrains: number },
): Promise<Arrival[]> {
  const { sent } = await recordRun(specs, seed, options);
  return arrivalsOf(sent, new Rng(seed), {
    spanMs: 150,
    shipMs: 90,
    again: 0.2,
    againMs: 4 * options.windowMs,
    late: 0.05,
    lateMs: [options.windowMs + 50, 2_500],
  });
}

/**
 * Delivers `arrivals` to a fresh collector of `options` (its clock the
 * arrivals' real time), advancing the clock before each batch, then far
 * past the last and flushing; with `restartEvery`, the collector is
 * snapshotted (through JSON) every that many arrivals and a restored one
 * goes on, the batches of the last two windows delivered to it again (as
 * an upstream redelivers what was not acknowledged). Returns every
 * violation.
 */
export function deliver(
  arrivals: readonly Arrival[],
  options: CollectorOptions,
  restartEvery = 0,
): readonly Violation[] {
  let now = arrivals[0]!.at;
  const clocked = { ...options, now: () => now };
  let collector = createCollector(clocked);
  const window = options.windowMs ?? 250;
  arrivals.forEach((a, k) => {
    if (restartEvery > 0 && k > 0 && k % restartEvery === 0) {
      collector = restoreCollector(JSON.parse(JSON.stringify(collector.snapshot())), clocked);
      // The upstream redelivers what was not acknowledged: a snapshot holds only what was applied, so
      // every batch that arrived within two windows (the reorder buffer's) comes again (duplicates drop).
      let from = k;
      while (from > 0 && arrivals[from - 1]!.at >= now - 2 * window) from--;
      for (let j = from; j < k; j++) collector.ingestBytes(arrivals[j]!.bytes);
    }
    now = a.at;
    collector.advance(now);
    collector.ingestBytes(a.bytes);
  });
  now += 10 * (window + 2 * (options.maxSkewMs ?? 0)) + 60_000;
  collector.advance(now);
  collector.flush();
  return collector.violations();
}
