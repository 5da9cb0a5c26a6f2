/**
 * Drop declarations and hole accounting through the collector: declared
 * drops are counted `dropped` when declared and never `lost`; undeclared
 * holes are counted `lost` when they close (gap timeout or the per-stream
 * hole limit), never both; drop batches at the sizes that used to stall or
 * crash the collector (100,000 ranges, then 60,000 twice) are accepted and
 * a retry changes nothing; bad drop ranges are refused before anything
 * changes. Expected counts come from how each test builds its batches.
 */
import assert from "node:assert/strict";
import { createCollector, restoreCollector } from "../edge/engine/collector.ts";
import { InvalidBatchError } from "../edge/engine/errors.ts";
import { MAX_HOLES_PER_STREAM } from "../edge/engine/stream_state.ts";
import type { Collector, CollectorEvent, CollectorOptions } from "../edge/engine/types.ts";
import type { DecodedBatch } from "../lib/wire/event.ts";
import type { SeqRange } from "../lib/wire/seq_ranges.ts";
import { createClock } from "../runtime/monitor/clock.ts";
import { createNode } from "../runtime/monitor/node.ts";
import type { StepEvent } from "../lib/wire/event.ts";
import { batchOf, listen, loadPair, Recorder } from "./collector_core_fixture.ts";

const lease = await loadPair("lease");
const HASH = lease.nodes.hash;
const NAME = lease.collector.meta.name;
const GAP_MS = 1_000;

/** Events of node `id` on key `lock:1`: `n` acquire/release cycles. */
function cycles(id: string, n: number): StepEvent[] {
  const rec = new Recorder();
  const clock = { t: 1_000_000 };
  const ctx = createNode({ id, boot: `${id}-1`, clock: createClock({ now: () => clock.t }) });
  const m = lease.nodes.monitor({ node: ctx, key: "lock:1", sink: rec, mode: "observe" });
  for (let i = 0; i < n; i++) {
    m.step("acquire", { c: 1 });
    clock.t += 10;
    m.step("release", { c: 1 });
    clock.t += 10;
  }
  return rec.of(id);
}

/** An event-less batch of node `node` declaring `dropped`, with the next number `firstSeq`. */
function drops(node: string, firstSeq: number, dropped: readonly SeqRange[]): DecodedBatch {
  return {
    version: 1,
    spec: HASH,
    specName: NAME,
    node,
    boot: `${node}-1`,
    firstSeq,
    dropped,
    events: [],
  };
}

/** `k` one-number ranges every other number from `base`: `base`, `base + 2`, ... */
function everyOther(base: number, k: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < k; i++) out.push([base + 2 * i, base + 2 * i]);
  return out;
}

/** `k` one-number ranges of consecutive numbers from `base` (nothing skipped). */
function consecutive(base: number, k: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < k; i++) out.push([base + i, base + i]);
  return out;
}

function setup(): { c: Collector; now: { t: number }; options: CollectorOptions } {
  const now = { t: 0 };
  const options = {
    specs: [lease.collector],
    now: () => now.t,
    windowMs: 100,
    gapTimeoutMs: GAP_MS,
  };
  return { c: createCollector(options), now, options };
}

const holesOf = (all: readonly CollectorEvent[]) =>
  all.flatMap((e) => e.type === "hole" ? [[e.first, e.last, e.declared, e.reason] as const] : []);

const node = (c: Collector, id: string) => c.nodes().find((n) => n.node === id)!;

Deno.test("A node that declares drops of numbers it never sent counts them dropped, and not lost after the gap timeout", () => {
  const { c, now } = setup();
  const log = listen(c);
  c.ingest(batchOf(cycles("a", 1), 0, 2));
  const r = c.ingest(drops("a", 7, [[2, 6]]));
  assert.equal(r.dropped, 5);
  assert.equal(c.metrics().dropped, 5);
  assert.equal(c.partition(HASH, "lock:1")!.status, "unknown", "unknown while the hole is open");
  now.t = GAP_MS;
  c.advance();
  const m = c.metrics();
  assert.deepEqual([m.dropped, m.lost, m.gaps], [5, 0, 0]);
  assert.deepEqual([node(c, "a").droppedEvents, node(c, "a").lostEvents], [5, 0]);
  const p = c.partition(HASH, "lock:1")!;
  assert.deepEqual([p.status, p.incomplete], ["ok", true], "the verdict is no longer certain");
  assert.deepEqual(holesOf(log.all), [[2, 6, true, "timeout"]]);
});

Deno.test("A node with an undeclared gap counts it lost, and not dropped", () => {
  const { c, now } = setup();
  const log = listen(c);
  const evs = cycles("a", 3);
  c.ingest(batchOf(evs, 0, 2));
  c.ingest(batchOf(evs, 4, 6));
  assert.equal(c.metrics().gaps, 1);
  now.t = GAP_MS;
  c.advance();
  const m = c.metrics();
  assert.deepEqual([m.dropped, m.lost], [0, 2]);
  assert.deepEqual([node(c, "a").droppedEvents, node(c, "a").lostEvents], [0, 2]);
  assert.equal(c.partition(HASH, "lock:1")!.incomplete, true);
  assert.deepEqual(holesOf(log.all), [[2, 3, false, "timeout"]]);
});

Deno.test("Numbers declared dropped after their gap opened are counted dropped, never also lost", () => {
  const { c, now } = setup();
  const log = listen(c);
  const evs = cycles("a", 3);
  c.ingest(batchOf(evs, 0, 2));
  now.t = 10;
  c.ingest(batchOf(evs, 4, 6)); // 2 and 3 missing: a gap
  now.t = 20;
  assert.equal(c.ingest(drops("a", 6, [[2, 3]])).dropped, 2);
  assert.equal(c.ingest(drops("a", 6, [[2, 3]])).dropped, 0, "declared once");
  now.t = 10 + GAP_MS;
  c.advance();
  const m = c.metrics();
  assert.deepEqual([m.gaps, m.dropped, m.lost], [1, 2, 0]);
  assert.deepEqual([node(c, "a").droppedEvents, node(c, "a").lostEvents], [2, 0]);
  assert.deepEqual(holesOf(log.all), [[2, 3, true, "timeout"]], "the gap's timeout kept running");
});

Deno.test("A batch of 100,000 drop ranges is accepted, closes the lowest holes over the limit, and its retry changes nothing", () => {
  const { c, now, options } = setup();
  const log = listen(c);
  const k = 100_000;
  const batch = drops("a", 2 * k, everyOther(0, k));
  assert.equal(c.ingest(batch).dropped, k);
  // Holes: [0] declared, [1] undeclared, ..., [2k - 2] declared, [2k - 1] undeclared (before seq 2k).
  const holes = 2 * k;
  const closed = holes - MAX_HOLES_PER_STREAM;
  const lostAtOnce = closed / 2; // every other closed hole is undeclared, one number each
  let m = c.metrics();
  assert.deepEqual([m.dropped, m.gaps, m.lost], [k, k, lostAtOnce]);
  assert.equal(node(c, "a").openHoles, MAX_HOLES_PER_STREAM);
  const limit = holesOf(log.all);
  assert.equal(limit.length, closed);
  assert.deepEqual(limit.slice(0, 2), [[0, 0, true, "limit"], [1, 1, false, "limit"]]);

  const before = { metrics: c.metrics(), nodes: c.nodes(), events: log.all.length };
  assert.deepEqual(c.ingest(batch), { accepted: 0, duplicates: 0, late: 0, dropped: 0 });
  assert.deepEqual(c.metrics(), { ...before.metrics, batches: before.metrics.batches + 1 });
  assert.deepEqual(c.nodes(), before.nodes);
  assert.equal(log.all.length, before.events, "nothing announced");

  const back = restoreCollector(JSON.parse(JSON.stringify(c.snapshot())), options);
  assert.deepEqual(back.metrics(), c.metrics());
  assert.equal(node(back, "a").openHoles, MAX_HOLES_PER_STREAM);

  now.t = GAP_MS;
  for (const x of [c, back]) {
    x.advance();
    m = x.metrics();
    assert.deepEqual([m.dropped, m.lost], [k, k], "every skipped number lost, no declared one");
    assert.equal(m.dropped + m.lost, 2 * k, "each number counted once");
    assert.equal(node(x, "a").openHoles, 0);
  }
});

Deno.test("Drop batches of 100,000, 60,000 and 60,000 ranges then the gap timeout: no crash, declared numbers dropped, not lost", () => {
  const { c, now } = setup();
  let a = 0; // node a skips a number after each declared one
  let b = 0; // node b declares every number
  for (const k of [100_000, 60_000, 60_000]) {
    c.ingest(drops("a", a + 2 * k, everyOther(a, k)));
    a += 2 * k;
    c.ingest(drops("b", b + k, consecutive(b, k)));
    b += k;
    now.t += 100;
    c.advance();
  }
  now.t += GAP_MS;
  c.advance();
  const m = c.metrics();
  assert.equal(m.dropped, 220_000 + 220_000);
  assert.equal(m.lost, 220_000, "only node a's skipped numbers");
  assert.deepEqual([node(c, "b").droppedEvents, node(c, "b").lostEvents], [220_000, 0]);
  assert.deepEqual([node(c, "a").droppedEvents, node(c, "a").lostEvents], [220_000, 220_000]);
  assert.equal(node(c, "a").droppedEvents + node(c, "a").lostEvents, a, "each number once");
  assert.deepEqual([node(c, "a").openHoles, node(c, "b").openHoles], [0, 0]);
});

Deno.test("A node that skips a number in every batch keeps at most MAX_HOLES_PER_STREAM holes; the lowest close at once as lost", () => {
  const { c, now, options } = setup();
  const log = listen(c);
  const extra = 10;
  const batches = MAX_HOLES_PER_STREAM + extra;
  const evs = cycles("a", batches);
  for (let i = 0; i < batches; i++) {
    c.ingest(batchOf(evs, 2 * i + 1, 2 * i + 2)); // skips 2i
    if (i === 0) c.flush(); // the node joins lock:1, so holes now concern it
  }
  assert.equal(node(c, "a").openHoles, MAX_HOLES_PER_STREAM);
  assert.deepEqual(
    holesOf(log.all),
    Array.from({ length: extra }, (_, i) => [2 * i, 2 * i, false, "limit"]),
  );
  assert.equal(c.metrics().lost, extra);
  assert.equal(c.partition(HASH, "lock:1")!.incomplete, true);

  c.flush(); // nothing buffered: a restore would otherwise wait for redelivery of those numbers
  const back = restoreCollector(JSON.parse(JSON.stringify(c.snapshot())), options);
  assert.equal(node(back, "a").openHoles, MAX_HOLES_PER_STREAM);
  now.t = GAP_MS;
  for (const x of [c, back]) {
    x.advance();
    assert.equal(x.metrics().lost, batches, "every skipped number, once");
    assert.equal(x.metrics().dropped, 0);
    assert.equal(node(x, "a").openHoles, 0);
  }
});

Deno.test("An event splitting a hole of a stream at the hole limit closes the lowest hole on the next advance", () => {
  const { c, now } = setup();
  const log = listen(c);
  const evs = cycles("a", 2 * MAX_HOLES_PER_STREAM);
  for (let i = 0; i < MAX_HOLES_PER_STREAM; i++) {
    c.ingest(batchOf(evs, 4 * i + 3, 4 * i + 4)); // skips 4i .. 4i + 2
    if (i === 0) c.flush();
  }
  assert.equal(node(c, "a").openHoles, MAX_HOLES_PER_STREAM);
  assert.equal(c.metrics().lost, 0);
  const top = 4 * (MAX_HOLES_PER_STREAM - 1);
  assert.equal(c.ingest(batchOf(evs, top + 1, top + 2)).accepted, 1); // splits the top hole
  assert.equal(node(c, "a").openHoles, MAX_HOLES_PER_STREAM + 1, "a split is within one batch");
  c.advance();
  assert.equal(node(c, "a").openHoles, MAX_HOLES_PER_STREAM);
  assert.deepEqual(holesOf(log.all), [[0, 2, false, "limit"]]);
  assert.equal(c.metrics().lost, 3);
  now.t = GAP_MS;
  c.advance();
  assert.equal(
    c.metrics().lost,
    3 * MAX_HOLES_PER_STREAM - 1,
    "every skipped number but the filled one",
  );
});

Deno.test("Drop ranges that are not ascending, overlap or reach the batch's first number are refused before anything changes", () => {
  const { c } = setup();
  for (
    const [dropped, at] of [
      [[[3, 5], [5, 6]], "drop[1]"],
      [[[4, 2]], "drop[0]"],
      [[[8, 10]], "drop[0]"],
      [[[0, 1.5]], "drop[0]"],
    ] as const
  ) {
    assert.throws(
      () => c.ingest(drops("a", 10, dropped)),
      (e) => e instanceof InvalidBatchError && e.at === at,
    );
  }
  const m = c.metrics();
  assert.deepEqual([m.batchesRejected, m.batches, m.dropped, m.streams], [4, 0, 0, 0]);
  assert.equal(c.nodes().length, 0);
});

Deno.test("A drop range reaching below the highest number seen counts only the numbers never received", () => {
  const { c, now } = setup();
  const evs = cycles("a", 5); // numbers 0 to 9
  c.ingest(batchOf(evs, 0, 6)); // 0 to 5 received
  // 4 and 5 were received: only 6 to 11 are newly declared (6 events; 6 to 9 also never sent).
  const r = c.ingest(drops("a", 12, [[4, 11]]));
  assert.equal(r.dropped, 6);
  now.t = GAP_MS;
  c.advance();
  const m = c.metrics();
  assert.deepEqual([m.dropped, m.lost], [6, 0]);
  assert.deepEqual([node(c, "a").droppedEvents, node(c, "a").lostEvents], [6, 0]);
});
