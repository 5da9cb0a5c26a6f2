/**
 * Merge order independence and restart safety. The same per-node streams
 * (random lease traffic on two keys, three skewed nodes exchanging HLC
 * stamps, with refused steps and double holds) must give the same verdicts
 * and final statuses whatever the interleaving of the nodes' batches, the
 * batch sizes and the redeliveries (within the reorder window); and a
 * collector snapshotted, restored and fed the unacknowledged batches again
 * must end exactly like an uninterrupted one.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { createClock } from "../runtime/clock.ts";
import { createNode } from "../runtime/node.ts";
import type { DecodedBatch, StepEvent } from "../runtime/event.ts";
import { createCollector, restoreCollector } from "../edge/collector.ts";
import type { Collector, CollectorSnapshot } from "../edge/types.ts";
import { listen, loadPair, Recorder, rng, splitStream } from "./collector_core_fixture.ts";

const lease = await loadPair("lease");

/** Random lease traffic: 3 nodes with skewed clocks, 2 keys, stamps passed around. */
function traffic(seed: number, steps: number): StepEvent[][] {
  const random = rng(seed);
  const rec = new Recorder();
  let t = 1_700_000_000_000;
  const ids = ["a", "b", "c"];
  const skew = [300, -400, 0];
  const ctx = ids.map((id, i) =>
    createNode({ id, boot: `${id}-1`, clock: createClock({ now: () => t + skew[i]! }) })
  );
  const monitors = ctx.map((node) =>
    ["lock:1", "lock:2"].map((key) =>
      lease.nodes.monitor({ node, key, sink: rec, mode: "observe" })
    )
  );
  for (let s = 0; s < steps; s++) {
    t += Math.floor(random() * 40);
    const n = Math.floor(random() * 3);
    const m = monitors[n]![Math.floor(random() * 2)]!;
    const r = random();
    if (r < 0.2) {
      const to = (n + 1 + Math.floor(random() * 2)) % 3;
      monitors[to]![0]!.observe(m.stamp());
    } else {
      m.step(r < 0.6 ? "acquire" : "release", { c: n + 1 });
    }
  }
  return ids.map((id) => rec.of(id));
}

/** Everything a run decides, without collector times. */
function verdicts(c: Collector, log: ReturnType<typeof listen>) {
  const byKey = <T extends { key: string }>(a: T, b: T) =>
    a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
  return {
    // Partitions are independent: order violations by partition, then by their order within it.
    violations: [...log.violations()].sort((a, b) =>
      byKey({ key: a.partition }, { key: b.partition })
    ).map((v) => ({
      id: v.id,
      kind: v.kind,
      name: v.property.name,
      partition: v.partition,
      at: v.at,
      nodes: v.nodes,
      cut: v.cut,
      history: v.history.map((e) => [e.node, e.seq, e.late]),
    })),
    partitions: [...c.partitions()].sort(byKey).map((p) => ({
      key: p.key,
      status: p.status,
      violated: p.violated,
      applied: p.applied,
      participants: p.participants.map((x) => [x.node, x.seq, x.state]),
    })),
    events: c.metrics().events,
    applied: c.metrics().applied,
    localVerdicts: [...c.nodes()].sort((a, b) => byKey({ key: a.node }, { key: b.node })).map((
      n,
    ) => [
      n.node,
      n.localVerdicts,
    ]),
  };
}

const STREAMS = traffic(42, 400);

function baseline() {
  const c = createCollector({ specs: [lease.collector], now: () => 0 });
  const log = listen(c);
  for (const s of STREAMS) for (const b of splitStream(s, [s.length])) c.ingest(b);
  c.flush();
  return verdicts(c, log);
}

const BASE = baseline();

Deno.test("The random traffic has violations, clears and local verdicts to compare", () => {
  assert.ok(BASE.violations.length >= 3, `${BASE.violations.length} violations`);
  assert.ok(BASE.localVerdicts.some(([, v]) => Object.keys(v as object).length > 0));
  assert.equal(BASE.applied, STREAMS.reduce((n, s) => n + s.length, 0));
});

Deno.test("Any interleaving, batch splitting and redelivery within the window gives the same verdicts", () => {
  fc.assert(
    fc.property(
      fc.array(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 5 }), {
        minLength: 3,
        maxLength: 3,
      }),
      fc.array(fc.nat(), { minLength: 1, maxLength: 400 }),
      fc.array(fc.nat(), { maxLength: 20 }),
      fc.integer({ min: 0, max: 3 }),
      (sizes, order, redeliver, tick) => {
        let now = 0;
        const c = createCollector({ specs: [lease.collector], now: () => now, windowMs: 10_000 });
        const log = listen(c);
        const queues = STREAMS.map((s, i) => splitStream(s, sizes[i]!));
        const sent: DecodedBatch[] = [];
        let k = 0;
        while (queues.some((q) => q.length > 0)) {
          const open = queues.filter((q) => q.length > 0);
          const b = open[order[k++ % order.length]! % open.length]!.shift()!;
          c.ingest(b);
          sent.push(b);
          const again = redeliver[k % Math.max(1, redeliver.length)];
          if (again !== undefined && again % 5 === 0) c.ingest(sent[again % sent.length]!);
          now += tick;
          c.advance();
        }
        c.flush();
        assert.deepEqual(verdicts(c, log), BASE);
      },
    ),
    { numRuns: 60 },
  );
});

Deno.test("Snapshot, restore and redelivery of unacknowledged batches end like an uninterrupted run", () => {
  for (const cut of [25, 33, 40]) {
    const batches = interleave(STREAMS.map((s) => splitStream(s, [7, 3, 11])));
    const run = (restartAt: number | null) => {
      let now = 0;
      // A window covering the arrival disorder: an uninterrupted run has no late
      // events (lateness depends on arrival times, which a restart changes).
      const opts = { specs: [lease.collector], now: () => now, windowMs: 1_000 };
      let c = createCollector(opts);
      let log = listen(c);
      const acked = new Set<number>();
      for (let i = 0; i < batches.length; i++) {
        if (i === restartAt) {
          assert.ok(
            c.metrics().applied > 0 && c.metrics().buffered > 0,
            "some applied, some buffered",
          );
          // Ack what is applied, persist, "crash", restore, redeliver the rest.
          batches.forEach((b, j) => {
            if (j < i && c.isApplied(b, b.firstSeq, b.events.length)) acked.add(j);
          });
          const saved = JSON.stringify(c.snapshot());
          const earlier = log.all;
          c = restoreCollector(JSON.parse(saved) as CollectorSnapshot, opts);
          log = listen(c);
          log.all.unshift(...earlier);
          for (let j = 0; j < i; j++) if (!acked.has(j) || j % 4 === 0) c.ingest(batches[j]!);
        }
        c.ingest(batches[i]!);
        now += 50;
        c.advance();
      }
      c.flush();
      assert.equal(c.metrics().late, 0);
      return verdicts(c, log);
    };
    const straight = run(null);
    const restarted = run(cut);
    assert.deepEqual(restarted, straight, `restart at batch ${cut}`);
  }
});

/** Round-robin interleaving of the nodes' batches. */
function interleave(queues: DecodedBatch[][]): DecodedBatch[] {
  const out: DecodedBatch[] = [];
  for (let i = 0; queues.some((q) => i < q.length); i++) {
    for (const q of queues) if (i < q.length) out.push(q[i]!);
  }
  return out;
}

Deno.test("Lossy, duplicated, reordered delivery never throws, settles to known statuses and restores identically", () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 4 }),
      fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 50 }),
      fc.integer({ min: 0, max: 300 }),
      (sizes, fate, window) => {
        let now = 0;
        const opts = {
          specs: [lease.collector],
          now: () => now,
          windowMs: window,
          gapTimeoutMs: 1_000,
        };
        const c = createCollector(opts);
        let delivered = 0;
        let k = 0;
        const later: DecodedBatch[] = [];
        for (const s of STREAMS) {
          for (const b of splitStream(s, sizes)) {
            const f = fate[k++ % fate.length]!;
            if (f === 0) continue; // lost in transit
            if (f === 1) {
              // the sender declares it dropped in an event-less batch
              c.ingest({
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
            c.ingest(b);
            delivered += b.events.length;
            if (f === 3) c.ingest(b);
            now += f * 7;
            c.advance();
          }
        }
        for (const b of later) {
          c.ingest(b);
          delivered += b.events.length;
        }
        c.flush();
        assert.equal(c.metrics().applied, delivered);
        assert.equal(c.metrics().events, delivered);
        now += 1_001;
        c.advance();
        for (const p of c.partitions()) assert.notEqual(p.status, "unknown", p.id);
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
