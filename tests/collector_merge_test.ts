/**
 * Merge order independence, the reorder window's release, and restart
 * safety, against the independent oracle of `merge_oracle.ts` (the
 * reference interpreter over a sorted merge), never against the collector
 * itself.
 *
 * The runs are simulated in time: three nodes step Lease instances on three
 * keys for several seconds (passing HLC stamps, refusing steps, sometimes
 * rebooting), their batchers cut batches, the network delays them, and the
 * collector clock advances in ticks of 1-10 ms with `advance(now)` at every
 * tick and batches ingested when they arrive; the reorder window (20-50 ms)
 * is much shorter than the run, so events are released as they come due and
 * only what is left goes out with the final `flush()`.
 *
 * What is compared:
 * - at every tick, the number of applied events equals that of the window
 *   model (`WindowModel`: arrival + window, in merge order within a
 *   partition, late when ordered before the last applied event);
 * - at the end, every verdict equals the window model's: partitions,
 *   statuses, participants and their exact final state bytes, every
 *   violation (property, HLC, nodes, cut, history with late flags), every
 *   episode end, local verdicts, event/duplicate/late counts;
 * - without late events, every verdict equals the sorted merge (an
 *   uninterrupted run): any interleaving, batch splitting, network delay
 *   and redelivery gives the verdicts of the sorted merge;
 * - with late events, the verdicts may differ from the sorted merge (the
 *   merged order the checks saw is not merge order), and what must still
 *   agree is what does not depend on the order of application: the
 *   partitions, their participants and final states, the final statuses
 *   and open episodes, local verdicts and counts.
 */
import assert from "node:assert/strict";
import fc from "../tools/dev_deps/fast_check.ts";
import { decodeReference } from "../lib/wire/decode.ts";
import type { DecodedBatch } from "../lib/wire/event.ts";
import { createCollector, restoreCollector } from "../edge/engine/collector.ts";
import type { Collector, CollectorSnapshot } from "../edge/engine/types.ts";
import { loadPair } from "./collector_core_fixture.ts";
import { batchStream, leaseTraffic, type SentBatch } from "./collector_traffic.ts";
import { expectedVerdicts, record, settled, verdictsOf } from "./collector_verdicts.ts";
import { eventsOf, OracleSpec, sortedMerge, WindowModel } from "./merge_oracle.ts";
import { specSource } from "../tools/harness/spec_files.ts";

const lease = await loadPair("lease");
const oracle = await OracleSpec.fromSource(specSource("lease"));
const NODES = ["a", "b", "c"];
const KEYS = ["lock:1", "lock:2", "lock:3"];

Deno.test("The oracle reads the same spec the collector runs", () => {
  assert.equal(oracle.hash, lease.collector.meta.sourceHash);
  assert.equal(oracle.stride, lease.collector.meta.stride);
});

/** A batch delivered to the collector at a time (a redelivery is a second delivery). */
interface Delivery {
  readonly at: number;
  readonly batch: DecodedBatch;
}

/** What one simulated run looked like, for the coverage figures. */
interface RunFacts {
  readonly appliedBeforeFlush: number;
  readonly violations: number;
  readonly clears: number;
  readonly late: number;
  readonly duplicates: number;
}

/**
 * Feeds `deliveries` to a collector and the window model tick by tick,
 * checking the applied count at every tick, then flushes both and compares
 * every verdict.
 */
function simulate(deliveries: readonly Delivery[], windowMs: number, tickMs: number) {
  const order = [...deliveries].sort((x, y) => x.at - y.at);
  let now = order[0]!.at;
  const c = createCollector({ specs: [lease.collector], now: () => now, windowMs });
  const log = record(c);
  const model = new WindowModel([oracle], { windowMs });
  let next = 0;
  while (next < order.length) {
    now += tickMs;
    while (next < order.length && order[next]!.at <= now) {
      const { batch } = order[next++]!;
      c.ingest(batch);
      model.ingest(eventsOf(batch), now);
      assert.equal(c.metrics().applied, model.run.applied, `applied after an ingest at ${now}`);
    }
    c.advance(now);
    model.advance(now);
    assert.equal(c.metrics().applied, model.run.applied, `applied after advance(${now})`);
  }
  const appliedBeforeFlush = c.metrics().applied;
  c.flush();
  model.flush();
  const observed = verdictsOf(c, log);
  const expected = expectedVerdicts(model.run);
  assert.equal(c.metrics().livenessTimeouts, 0, "the oracle does not model liveness");
  assert.equal(c.metrics().buffered, 0);
  assert.deepEqual(observed, expected);
  return { c, observed, appliedBeforeFlush };
}

/** Every event of every delivery (duplicates included). */
const allEvents = (ds: readonly Delivery[]) => ds.flatMap((d) => eventsOf(d.batch));

Deno.test("The oracle on fixed traffic has violations, clears, local verdicts and a reboot to compare", () => {
  const streams = leaseTraffic(lease.nodes, {
    seed: 42,
    steps: 400,
    nodes: NODES,
    keys: KEYS,
    skews: [30, -20, 0],
    rebootShare: 0.01,
  });
  const events = streams.flatMap((s) =>
    batchStream(s, [50], 0).flatMap((b) => eventsOf(decodeReference(b.bytes)))
  );
  const run = expectedVerdicts(sortedMerge([oracle], events));
  assert.ok(run.violations.length >= 3, `${run.violations.length} violations`);
  assert.ok(run.clears.length >= 1, `${run.clears.length} clears`);
  assert.ok(run.localVerdicts.length > 0);
  assert.ok(streams.length > NODES.length, "some node rebooted");
  assert.equal(run.partitions.length, KEYS.length);
  assert.equal(run.events, events.length);
  assert.equal(run.duplicates, 0);
});

Deno.test("Events are released as they come due, and verdicts equal the oracle's whatever the interleaving, splitting, delay and redelivery", () => {
  const runs: (RunFacts & { calm: boolean })[] = [];
  fc.assert(
    fc.property(
      fc.record({
        seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        calm: fc.boolean(),
        windowMs: fc.integer({ min: 20, max: 50 }),
        tickMs: fc.integer({ min: 1, max: 10 }),
        sizes: fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 5 }),
        skews: fc.array(fc.integer({ min: -200, max: 200 }), { minLength: 3, maxLength: 3 }),
        delays: fc.array(fc.nat(999), { minLength: 1, maxLength: 40 }),
        redeliver: fc.array(fc.nat(), { maxLength: 20 }),
        rebootShare: fc.constantFrom(0, 0, 0.01),
      }),
      (r) => {
        // Calm: no skew, and batching plus network delay plus a tick under the
        // window, so no event can arrive after a later one of its partition was
        // applied: no late event is possible. Otherwise: skewed clocks, delays
        // up to ten windows and some batches held back a second.
        const w = r.windowMs;
        const maxDelayMs = r.calm ? Math.floor((w - r.tickMs) / 2) : 3 * w;
        const netMs = r.calm ? w - r.tickMs - maxDelayMs : 10 * w;
        const streams = leaseTraffic(lease.nodes, {
          seed: r.seed,
          steps: 300,
          nodes: NODES,
          keys: KEYS,
          skews: r.calm ? [0, 0, 0] : r.skews,
          rebootShare: r.rebootShare,
        });
        const deliveries: Delivery[] = [];
        let k = 0;
        for (const stream of streams) {
          for (const b of batchStream(stream, r.sizes, maxDelayMs)) {
            const d = r.delays[k++ % r.delays.length]!;
            const held = !r.calm && d % 17 === 0 ? 1_000 : 0;
            const batch = decodeReference(b.bytes);
            const at = b.sentAt + Math.floor(netMs * d / 1_000) + held;
            deliveries.push({ at, batch });
            const again = r.redeliver[k % Math.max(1, r.redeliver.length)];
            if (again !== undefined && again % 4 === 0) {
              deliveries.push({ at: at + (again % 400), batch: decodeReference(b.bytes) });
            }
          }
        }
        const { observed, appliedBeforeFlush } = simulate(deliveries, w, r.tickMs);
        const merged = expectedVerdicts(sortedMerge([oracle], allEvents(deliveries)));
        if (r.calm) assert.equal(observed.late, 0, "a calm run has no late event");
        if (observed.late === 0) assert.deepEqual(observed, merged);
        else assert.deepEqual(settled(observed), settled(merged));
        assert.ok(appliedBeforeFlush > 0, "events were released before the flush");
        runs.push({
          calm: r.calm,
          appliedBeforeFlush,
          violations: observed.violations.length,
          clears: observed.clears.length,
          late: observed.late,
          duplicates: observed.duplicates,
        });
      },
    ),
    { numRuns: 60 },
  );
  // Coverage: the property compared something in a good share of the runs.
  const share = (f: (x: RunFacts) => boolean) => runs.filter(f).length / runs.length;
  assert.ok(runs.length >= 60);
  assert.equal(share((x) => x.appliedBeforeFlush > 0), 1, "every run released events before flush");
  assert.ok(share((x) => x.violations > 0) >= 0.5, "violations raised in most runs");
  assert.ok(share((x) => x.clears > 0) >= 0.3, "episodes ended in many runs");
  assert.ok(share((x) => x.late === 0) >= 0.2, "many runs without late events");
  assert.ok(share((x) => x.late > 0) >= 0.2, "many runs with late events");
  assert.ok(share((x) => x.duplicates > 0) >= 0.2, "many runs with redeliveries");
  assert.ok(
    runs.filter((x) => x.late === 0 && x.violations > 0).length >= 5,
    "runs compared with the sorted merge raised violations",
  );
});

/** Three nodes' streams cut in batches of 7, 3 and 11 events, round-robin. */
function fixedBatches(): SentBatch[] {
  const streams = leaseTraffic(lease.nodes, { seed: 42, steps: 400, nodes: NODES, keys: KEYS });
  const queues = streams.map((s) => batchStream(s, [7, 3, 11], 1_000));
  const out: SentBatch[] = [];
  for (let i = 0; queues.some((q) => i < q.length); i++) {
    for (const q of queues) if (i < q.length) out.push(q[i]!);
  }
  return out;
}

Deno.test("Snapshot, restore and redelivery of unacknowledged batches end like an uninterrupted run and like the oracle", () => {
  const batches = fixedBatches().map((b) => decodeReference(b.bytes));
  const merged = expectedVerdicts(sortedMerge([oracle], batches.flatMap(eventsOf)));
  for (const cut of [25, 33, 40]) {
    const run = (restartAt: number | null) => {
      let now = 0;
      // A window covering the arrival disorder: an uninterrupted run has no late
      // events (lateness depends on arrival times, which a restart changes).
      const opts = { specs: [lease.collector], now: () => now, windowMs: 1_000 };
      let c: Collector = createCollector(opts);
      let log = record(c);
      const acked = new Set<number>();
      let redelivered = 0;
      for (let i = 0; i < batches.length; i++) {
        if (i === restartAt) {
          assert.ok(c.metrics().applied > 0, "some events applied before the restart");
          assert.ok(c.metrics().buffered > 0, "some events buffered at the restart");
          // Ack what is applied, persist, "crash", restore, redeliver the rest.
          batches.forEach((b, j) => {
            if (j < i && c.isApplied(b, b.firstSeq, b.events.length)) acked.add(j);
          });
          const saved = JSON.stringify(c.snapshot());
          const earlier = log;
          c = restoreCollector(JSON.parse(saved) as CollectorSnapshot, opts);
          log = record(c);
          log.unshift(...earlier);
          for (let j = 0; j < i; j++) {
            if (!acked.has(j) || j % 4 === 0) c.ingest(batches[j]!), redelivered++;
          }
          assert.ok(acked.size > 0 && acked.size < i, "some batches acked, some not");
        }
        c.ingest(batches[i]!);
        now += 50;
        c.advance();
      }
      c.flush();
      return { v: verdictsOf(c, log), redelivered, duplicates: c.metrics().duplicates };
    };
    const straight = run(null);
    const restarted = run(cut);
    assert.equal(straight.v.late, 0);
    assert.deepEqual(straight.v, merged, "the uninterrupted run is the sorted merge");
    assert.ok(restarted.redelivered > 0 && restarted.duplicates > 0, "duplicates were redelivered");
    // Duplicates are counted only by the restored collector's own deliveries.
    assert.deepEqual(
      { ...restarted.v, duplicates: 0 },
      { ...straight.v, duplicates: 0 },
      `restart at batch ${cut}`,
    );
  }
});

Deno.test("Lossy, duplicated, reordered delivery never throws, settles to known statuses, matches the window model and restores identically", () => {
  const sent = fixedBatches();
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 50 }),
      fc.integer({ min: 0, max: 300 }),
      (fate, window) => {
        let now = 0;
        const opts = {
          specs: [lease.collector],
          now: () => now,
          windowMs: window,
          gapTimeoutMs: 1_000,
        };
        const c = createCollector(opts);
        const log = record(c);
        const model = new WindowModel([oracle], { windowMs: window });
        const feed = (b: DecodedBatch) => {
          c.ingest(b);
          model.ingest(eventsOf(b), now);
        };
        let delivered = 0;
        let k = 0;
        const later: DecodedBatch[] = [];
        for (const s of sent) {
          const b = decodeReference(s.bytes);
          const f = fate[k++ % fate.length]!;
          if (f === 0) continue; // lost in transit
          if (f === 1) {
            // the sender declares it dropped in an event-less batch
            feed({
              ...b,
              firstSeq: b.firstSeq + b.events.length,
              events: [],
              dropped: [[b.firstSeq, b.firstSeq + b.events.length - 1]],
            });
            continue;
          }
          if (f === 2) {
            later.push(b);
            continue;
          }
          feed(b);
          delivered += b.events.length;
          if (f === 3) feed(b);
          now += f * 7;
          c.advance();
          model.advance(now);
        }
        for (const b of later) {
          feed(b);
          delivered += b.events.length;
        }
        c.flush();
        model.flush();
        assert.equal(c.metrics().applied, delivered);
        assert.equal(c.metrics().events, delivered);
        now += 1_001;
        c.advance();
        for (const p of c.partitions()) assert.notEqual(p.status, "unknown", p.id);
        // Holes time out as `incomplete`, statuses then follow the checks: the
        // window model's verdicts hold whatever was lost.
        assert.deepEqual(verdictsOf(c, log), expectedVerdicts(model.run));
        const back = restoreCollector(
          JSON.parse(JSON.stringify(c.snapshot())) as CollectorSnapshot,
          opts,
        );
        assert.deepEqual(back.partitions(), c.partitions());
        assert.deepEqual(back.metrics(), c.metrics());
      },
    ),
    { numRuns: 40 },
  );
});

Deno.test("Every buffered event is applied by its arrival plus the window, also when a batch's events of one key go back in time", () => {
  const spec = lease.collector;
  const inst = spec.create();
  const free = spec.stateBytes(inst);
  const acquire = spec.actionIndex("acquire");
  assert.equal(spec.stepFn(acquire)(inst, 1), 0);
  const held = spec.stateBytes(inst);
  const header = { spec: spec.meta.sourceHash, specName: "Lease", boot: "b1", dropped: [] };
  const ev = (seq: number, key: string, wall: number, logical: number) => ({
    seq,
    key,
    wall,
    logical,
    action: acquire,
    args: [1],
    state: seq % 2 === 0 ? held : free,
    verdict: 0,
  });
  // Node a's clock steps back within a batch after its latest event on lock:1 (by wall) and on
  // lock:3 (by logical); lock:2 stays in order.
  const walls: [string, number, number][] = [
    ["lock:1", 4_000, 0],
    ["lock:1", 7_000, 0],
    ["lock:1", 5_000, 0],
    ["lock:3", 4_000, 0],
    ["lock:3", 8_000, 3],
    ["lock:3", 8_000, 2],
    ["lock:2", 4_500, 0],
    ["lock:2", 4_600, 0],
  ];
  let now = 0;
  const c = createCollector({ specs: [spec], now: () => now, windowMs: 100 });
  c.ingest({
    version: 1,
    ...header,
    node: "a",
    firstSeq: 0,
    events: walls.map(([key, wall, logical], seq) => ev(seq, key, wall, logical)),
  });
  now = 50;
  c.ingest({ version: 1, ...header, node: "b", firstSeq: 0, events: [ev(0, "lock:2", 4_700, 0)] });
  now = 99;
  c.advance(now);
  assert.equal(c.metrics().applied, 0, "nothing is due before its window closes");
  now = 100;
  c.advance(now);
  assert.equal(
    c.metrics().applied,
    walls.length,
    "node a's batch is due at 100: all of it applied",
  );
  now = 150;
  c.advance(now);
  assert.equal(c.metrics().applied, walls.length + 1);
  assert.equal(c.metrics().late, 0);
});
