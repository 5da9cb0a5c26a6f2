/**
 * Sequence tracking costs in the collector:
 * - declaring a batch's drop ranges, 20,000 and 100,000 one-number ranges
 *   every other number (so each range also leaves an undeclared number
 *   between it and the next: twice as many holes as ranges), fresh and as a
 *   retry of the same batch (the case that used to take seconds and then
 *   overflow the stack), on a `StreamState` and through `Collector.ingest`
 *   (which also announces each hole and closes those over the per-stream
 *   limit);
 * - receiving 100,000 numbers in order, the common path (O(1) per number).
 *
 * Run: `deno bench -A bench/streams_bench.ts`.
 *
 * @module
 */
import { compileToTemp, specSource } from "../tools/harness/spec_files.ts";
import { createCollector } from "../edge/engine/collector.ts";
import { EventStore } from "../edge/engine/event_store.ts";
import { StreamState } from "../edge/engine/stream_state.ts";
import type { Collector } from "../edge/engine/types.ts";
import type { DecodedBatch } from "../lib/wire/event.ts";

const { spec } = await compileToTemp("lease", specSource("lease"));
const ID = { spec: spec.meta.sourceHash, specName: spec.meta.name, node: "n1", boot: "b1" };

/** `k` one-number ranges every other number from 0. */
function everyOther(k: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < k; i++) out.push([2 * i, 2 * i]);
  return out;
}

/** An event-less batch declaring `k` ranges. */
function dropBatch(k: number): DecodedBatch {
  return { version: 1, ...ID, firstSeq: 2 * k, dropped: everyOther(k), events: [] };
}

const collector = (): Collector => createCollector({ specs: [spec], now: () => 0 });

for (const k of [20_000, 100_000]) {
  const ranges = everyOther(k);
  const batch = dropBatch(k);
  const group = `declare ${k.toLocaleString("en-US")} drop ranges`;
  Deno.bench({
    name: `StreamState, fresh (${k})`,
    group,
    baseline: true,
    fn: (b) => {
      const s = new StreamState(ID, 0, new EventStore(8));
      b.start();
      s.declareAll(ranges, 1);
      b.end();
    },
  });
  const declared = new StreamState(ID, 0, new EventStore(8));
  declared.declareAll(ranges, 1);
  Deno.bench({
    name: `StreamState, retry (${k})`,
    group,
    fn: () => void declared.declareAll(ranges, 2),
  });
  Deno.bench({
    name: `Collector.ingest, fresh (${k})`,
    group,
    fn: (b) => {
      const c = collector();
      b.start();
      c.ingest(batch);
      b.end();
    },
  });
  const ingested = collector();
  ingested.ingest(batch);
  Deno.bench({
    name: `Collector.ingest, retry (${k})`,
    group,
    fn: () => void ingested.ingest(batch),
  });
}

const IN_ORDER = 100_000;
Deno.bench({
  name: `StreamState.receive, ${IN_ORDER.toLocaleString("en-US")} numbers in order`,
  group: "receive",
  baseline: true,
  fn: (b) => {
    const s = new StreamState(ID, 0, new EventStore(8));
    b.start();
    for (let seq = 0; seq < IN_ORDER; seq++) s.receive(seq, 0);
    b.end();
  },
});
Deno.bench({
  name: `StreamState.receive, ${IN_ORDER.toLocaleString("en-US")} numbers, every other one missing`,
  group: "receive",
  fn: (b) => {
    const s = new StreamState(ID, 0, new EventStore(8));
    b.start();
    for (let seq = 1; seq < 2 * IN_ORDER; seq += 2) s.receive(seq, 0);
    b.end();
  },
});
