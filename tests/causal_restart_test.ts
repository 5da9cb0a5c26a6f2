/**
 * The causal judge's state survives a restart (`edge/engine/causal/causal_snapshot.ts`):
 * the batches of seeded split-brain runs (`tests/causal/simulator.ts`: 3
 * nodes, clocks skewed within ±500 ms, shipping delays up to 40 ms,
 * injected split brains from 1 ms to 3 s) are replayed into a collector
 * with causal verdicts, once uninterrupted and once snapshotted (through
 * JSON) and restored at many points: at random ones, while an episode is
 * open and not raised, and while it is raised and not closed. After each
 * restore the batches the snapshot left out (buffered in the reorder
 * window) are delivered again, as a durable consumer would. Both must
 * raise exactly the same violations: kind, property, partition, HLC,
 * nodes, causal verdict, and the evidence drawn (events, their
 * concurrency, the messages). Each partition's causal side travels in its
 * own snapshot (`PartitionSnapshot.causal`); a snapshot of the older form,
 * with every side in `CollectorSnapshot.causal.partitions`, restores too.
 */
import assert from "node:assert/strict";
import { loadLease, Rng, splitBrainRun } from "./causal/simulator.ts";
import { createCollector, restoreCollector } from "../edge/engine/collector.ts";
import { memoryStore } from "../edge/store/store.ts";
import type { Collector, CollectorSnapshot, Violation } from "../edge/engine/types.ts";
import type { CausalPartitionSnapshot } from "../edge/engine/causal/causal_snapshot.ts";
import type { EventBody } from "../lib/wire/event.ts";
import { CAUSAL_OPTIONS, ClockedCollector, LeaseEvents } from "./causal/lease_workload.ts";

const specs = await loadLease();
const MAX_SKEW = CAUSAL_OPTIONS.maxSkewMs;
const WINDOW = CAUSAL_OPTIONS.windowMs;

/** A batch as the collector receives it: its bytes and its arrival time. */
interface Arrival {
  readonly at: number;
  readonly bytes: Uint8Array;
}

/** The arrivals of a seeded run (sent by the simulator's nodes, shipped 0-40 ms later). */
async function arrivals(
  seed: number,
  splitBrains: number,
  overlap: readonly [number, number] = [1, 3_000],
): Promise<Arrival[]> {
  const sent: Arrival[] = [];
  await splitBrainRun({
    specs,
    rng: new Rng(seed),
    splitBrains,
    handoffsBetween: 12,
    maxSkewMs: MAX_SKEW,
    skewMs: 500,
    windowMs: WINDOW,
    ship: [0, 40],
    overlap,
    onSend: (bytes, at) => sent.push({ at, bytes }),
  });
  const ship = new Rng(seed * 7 + 1);
  return sent.map((s) => ({ at: s.at + ship.real(0, 40), bytes: s.bytes }))
    .sort((a, b) => a.at - b.at);
}

/** What must be the same: everything a violation says of its judgement. */
function verdicts(c: Collector): string[] {
  return c.violations().map((v: Violation) =>
    JSON.stringify([
      v.kind,
      v.property.name,
      v.partition,
      v.at,
      v.nodes,
      v.causal?.verdict ?? null,
      v.causal?.events.map((e) =>
        `${e.node}@${e.at.wall}.${e.at.logical}${e.concurrent ? "c" : ""}`
      ) ?? null,
      v.causal?.messages ?? null,
    ])
  );
}

/** The causal sides a snapshot holds, in either form. */
function causalSides(s: CollectorSnapshot): Omit<CausalPartitionSnapshot, "spec" | "key">[] {
  const sides: Omit<CausalPartitionSnapshot, "spec" | "key">[] = [...s.causal?.partitions ?? []];
  for (const p of s.partitions) if (p.causal !== undefined) sides.push(p.causal);
  return sides;
}

/**
 * `s` in the form snapshots had before each partition carried its causal
 * side: every side in `causal.partitions`, the watched ones first in the
 * order watched, and no `watched` list.
 */
function wholeForm(s: CollectorSnapshot): CollectorSnapshot {
  const watched = s.causal!.watched ?? [];
  const rank = (p: { spec: string; key: string }) => {
    const i = watched.findIndex(([spec, key]) => spec === p.spec && key === p.key);
    return i < 0 ? watched.length : i;
  };
  const sides: CausalPartitionSnapshot[] = s.partitions.filter((p) => p.causal !== undefined)
    .map((p) => ({ spec: p.spec, key: p.key, ...p.causal! }))
    .sort((a, b) => rank(a) - rank(b));
  const { watched: _watched, ...causal } = s.causal!;
  return {
    ...s,
    partitions: s.partitions.map(({ causal: _side, ...rest }) => rest),
    causal: { ...causal, partitions: sides },
  };
}

/** How a restart's snapshot is given back: as taken, in the older whole form, or without causal state. */
type Form = "parts" | "whole" | "none";

/** Which episodes the snapshot holds open: "raised" and "unraised" counts. */
function episodes(s: CollectorSnapshot): { raised: number; unraised: number } {
  let raised = 0;
  let unraised = 0;
  for (const p of causalSides(s)) {
    if (p.episode === null) continue;
    if (p.episode.raised) raised++;
    else unraised++;
  }
  return { raised, unraised };
}

/**
 * Replays `batches` into a collector; before batch `k` for each `k` that
 * `restartAt(k, snapshot)` accepts, snapshots it, restores a new one from
 * the JSON and delivers again every batch received so far. Returns the
 * collector and the restarts made, with the episodes open at each.
 */
function replay(
  batches: readonly Arrival[],
  restartAt: (k: number, snapshot: () => CollectorSnapshot) => boolean,
  form: Form = "parts",
): { collector: Collector; restarts: { raised: number; unraised: number }[] } {
  let now = batches[0]!.at;
  const options = {
    specs: [specs.collector],
    now: () => now,
    windowMs: WINDOW,
    maxSkewMs: MAX_SKEW,
  };
  let c = createCollector(options);
  const restarts: { raised: number; unraised: number }[] = [];
  for (let k = 0; k < batches.length; k++) {
    const b = batches[k]!;
    now = b.at;
    c.advance(now);
    if (k > 0 && restartAt(k, () => c.snapshot())) {
      let snapshot = JSON.parse(JSON.stringify(c.snapshot())) as CollectorSnapshot;
      if (form === "whole") snapshot = wholeForm(snapshot);
      if (form === "none") {
        const { causal: _causal, ...rest } = snapshot;
        snapshot = { ...rest, partitions: rest.partitions.map(({ causal: _side, ...p }) => p) };
      }
      restarts.push(episodes(snapshot));
      c = restoreCollector(snapshot, options);
      for (let j = 0; j < k; j++) c.ingestBytes(batches[j]!.bytes);
    }
    c.ingestBytes(b.bytes);
  }
  now += 10 * (WINDOW + 2 * MAX_SKEW) + 60_000;
  c.advance(now);
  c.flush();
  return { collector: c, restarts };
}

Deno.test("Restarts at random points and with an episode open (raised or not) raise exactly the violations of an uninterrupted run, from snapshots of either form", async () => {
  let unraised = 0;
  let raised = 0;
  let restarts = 0;
  let alerts = 0;
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    // Seeds 5 and 6 restore snapshots of the older whole form.
    const form: Form = seed >= 5 ? "whole" : "parts";
    // Odd seeds: overlaps of 3 to 10 s, so that episodes stay open after their alert.
    const batches = await arrivals(seed, 4, seed % 2 === 1 ? [3_000, 10_000] : [1, 3_000]);
    const straight = verdicts(replay(batches, () => false).collector);
    assert.ok(
      straight.length >= 4,
      `seed ${seed}: the run raises an alert per split brain, got ${straight.length}`,
    );
    alerts += straight.length;
    const pick = new Rng(seed + 100);
    // Restart at every point an episode is open (raised or not) that follows a non-restart point, and at ~5% of the rest.
    let previous = "";
    const run = replay(batches, (_k, snapshot) => {
      const e = episodes(snapshot());
      const state = e.unraised > 0 ? "unraised" : e.raised > 0 ? "raised" : "";
      const restart = (state !== "" && state !== previous) || pick.next() < 0.05;
      previous = state;
      return restart;
    }, form);
    assert.deepEqual(verdicts(run.collector), straight, `seed ${seed} (${form} form)`);
    restarts += run.restarts.length;
    unraised += run.restarts.filter((r) => r.unraised > 0).length;
    raised += run.restarts.filter((r) => r.raised > 0).length;
  }
  assert.ok(unraised >= 6, `restarts while an episode was open and unraised: ${unraised}`);
  assert.ok(raised >= 6, `restarts while an episode was raised and not closed: ${raised}`);
  assert.ok(restarts > unraised + raised, `restarts with no episode open too: ${restarts}`);
  assert.ok(alerts >= 24);
});

Deno.test("A snapshot without the causal state (an older one) restores and judges on: its open episode is neither lost nor raised twice when raised", async () => {
  const batches = await arrivals(11, 3);
  const straight = verdicts(replay(batches, () => false).collector);
  // Restart once, at a quiet point (no episode open) halfway through: the older form keeps the later verdicts.
  let done = false;
  const half = Math.floor(batches.length / 2);
  const run = replay(batches, (k, snapshot) => {
    if (done || k < half) return false;
    const e = episodes(snapshot());
    if (e.raised + e.unraised > 0) return false;
    done = true;
    return true;
  }, "none");
  assert.equal(run.restarts.length, 1);
  const after = verdicts(run.collector);
  assert.ok(after.length >= 3, `the restored collector judged on: ${after.length} alerts`);
  assert.deepEqual(after, straight);
});

Deno.test("A causal snapshot that does not fit is refused, saying what and where", async () => {
  const batches = await arrivals(21, 1);
  const run = replay(batches, () => false);
  const taken = JSON.parse(JSON.stringify(run.collector.snapshot())) as CollectorSnapshot;
  const options = { specs: [specs.collector], windowMs: WINDOW, maxSkewMs: MAX_SKEW };
  // The newer form: a partition's side that refers to an interval it does not hold.
  const side = taken.partitions.find((p) => p.causal !== undefined)!;
  assert.ok(side !== undefined && side.causal!.intervals.length > 0);
  const badSide = {
    ...taken,
    partitions: taken.partitions.map((p) =>
      p === side ? { ...p, causal: { ...p.causal!, queue: [p.causal!.intervals.length + 2] } } : p
    ),
  };
  assert.throws(
    () => restoreCollector(badSide, options),
    new RegExp(
      `partition '${side.key}' refers to interval ${
        side.causal!.intervals.length + 2
      }, which it does not hold`,
    ),
  );
  const badWatch = {
    ...taken,
    causal: { ...taken.causal!, watched: [[side.spec, "nowhere"] as const] },
  };
  assert.throws(
    () => restoreCollector(badWatch, options),
    /Causal snapshot watches partition 'nowhere' \(spec hash '[0-9a-f]+'\), which the snapshot does not hold/,
  );
  // The older form.
  const snapshot = wholeForm(taken);
  assert.ok(snapshot.causal !== undefined && snapshot.causal.partitions.length > 0);
  const part = snapshot.causal!.partitions[0]!;
  const bad = {
    ...snapshot,
    causal: { ...snapshot.causal!, partitions: [{ ...part, key: "nowhere" }] },
  };
  assert.throws(
    () => restoreCollector(bad, options),
    /Causal snapshot holds partition 'nowhere' \(spec hash '[0-9a-f]+'\), which the snapshot does not/,
  );
  const badLane = {
    ...snapshot,
    causal: {
      ...snapshot.causal!,
      partitions: [{ ...part, lanes: [[part.intervals.length + 5]] }],
    },
  };
  assert.throws(
    () => restoreCollector(badLane, options),
    new RegExp(
      `partition '${part.key}' refers to interval ${
        part.intervals.length + 5
      }, which it does not hold`,
    ),
  );
  // A store keeps it (the incremental one carries it with the rest of the snapshot).
  const store = memoryStore();
  await store.save(run.collector.snapshot());
  await store.save(run.collector.snapshot());
  const loaded = await store.load();
  assert.deepEqual(loaded?.causal, taken.causal);
  assert.deepEqual(loaded?.partitions.map((p) => p.causal), taken.partitions.map((p) => p.causal));
  // Without causal verdicts the snapshot has no causal field at all.
  const plain = createCollector({ specs: [specs.collector], windowMs: WINDOW });
  for (const b of batches) plain.ingestBytes(b.bytes);
  plain.flush();
  assert.equal("causal" in plain.snapshot(), false);
});

Deno.test("A causal snapshot judged with another skew bound is refused, naming both bounds and what to do; one without the bound (older) restores", async () => {
  const batches = await arrivals(22, 1);
  const run = replay(batches, () => false);
  const snapshot = JSON.parse(JSON.stringify(run.collector.snapshot())) as CollectorSnapshot;
  assert.equal(snapshot.causal?.maxSkewMs, MAX_SKEW);
  assert.equal(snapshot.causal?.windowMs, WINDOW);
  const other = MAX_SKEW / 2;
  assert.throws(
    () =>
      restoreCollector(snapshot, { specs: [specs.collector], windowMs: WINDOW, maxSkewMs: other }),
    (e: unknown) =>
      e instanceof RangeError &&
      e.message.includes(`skew bound of '${MAX_SKEW}' ms`) &&
      e.message.includes(`runs with '${other}' ms`) &&
      e.message.includes(`--max-skew ${MAX_SKEW}`),
  );
  // The same bound restores, and so does a snapshot written before the bound was recorded.
  const same = restoreCollector(snapshot, {
    specs: [specs.collector],
    windowMs: WINDOW,
    maxSkewMs: MAX_SKEW,
  });
  assert.deepEqual(same.snapshot().causal, snapshot.causal);
  const { maxSkewMs: _bound, windowMs: _window, ...older } = snapshot.causal!;
  const restored = restoreCollector({ ...snapshot, causal: older }, {
    specs: [specs.collector],
    windowMs: WINDOW,
    maxSkewMs: other,
  });
  assert.equal(restored.snapshot().causal?.maxSkewMs, other);
});

Deno.test("A partition's causal side is written again only when it changed: a quiet partition keeps its snapshot object, one whose judgement moved gets a new one", () => {
  const spec = specs.collector;
  const lease = new LeaseEvents(spec);
  const batch = (firstSeq: number, events: readonly EventBody[]) =>
    lease.batch("n1", events, { firstSeq });
  const clocked = new ClockedCollector(spec, 1_000);
  const c = clocked.collector;
  c.ingestBytes(batch(0, [
    lease.acquire(1_000, { key: "lock:a" }),
    lease.acquire(1_001, { key: "lock:b" }),
    lease.release(1_010, { key: "lock:a" }),
    lease.release(1_011, { key: "lock:b" }),
  ]));
  // Far past the horizon: both partitions judged and quiet.
  clocked.advance(60_000);
  const byKey = (s: CollectorSnapshot) => new Map(s.partitions.map((p) => [p.key, p]));
  const s1 = byKey(c.snapshot());
  assert.ok(s1.get("lock:a")?.causal !== undefined && s1.get("lock:b")?.causal !== undefined);
  clocked.advance(61_000);
  const s2 = byKey(c.snapshot());
  assert.equal(s2.get("lock:a"), s1.get("lock:a"), "a quiet partition keeps its snapshot");
  assert.equal(s2.get("lock:b"), s1.get("lock:b"));
  // lock:a moves on: past the reorder window, an interval queued, not judged yet (within the horizon's lag).
  c.ingestBytes(batch(4, [lease.acquire(61_000, { key: "lock:a" })]));
  clocked.advance(61_300);
  const s3 = byKey(c.snapshot());
  assert.notEqual(s3.get("lock:a"), s2.get("lock:a"));
  assert.equal(s3.get("lock:b"), s2.get("lock:b"));
  assert.equal(s3.get("lock:a")!.causal!.queue.length, 1);
  // Only the collector clock moves: lock:a's horizon does, and only its side is written again.
  clocked.advance(61_400);
  const s4 = byKey(c.snapshot());
  assert.equal(s4.get("lock:a")!.applied, s3.get("lock:a")!.applied);
  assert.notEqual(
    s4.get("lock:a"),
    s3.get("lock:a"),
    "a side whose judgement moved is written again (the judge marked it in the dirty set)",
  );
  assert.notEqual(s4.get("lock:a")!.causal!.horizon, s3.get("lock:a")!.causal!.horizon);
  assert.equal(s4.get("lock:b"), s3.get("lock:b"));
  // And the collector restored from it judges on as the one that took it.
  const restored = restoreCollector(JSON.parse(JSON.stringify(c.snapshot())), {
    specs: [spec],
    now: () => clocked.now,
    ...CAUSAL_OPTIONS,
  });
  assert.deepEqual(restored.snapshot().causal, c.snapshot().causal);
  assert.deepEqual(
    restored.snapshot().partitions.map((p) => p.causal),
    c.snapshot().partitions.map((p) => p.causal),
  );
});

Deno.test("A partition whose causal side passes 125,000 characters (a holder's episode open while 800 nodes pass the lease on) snapshots and restores", () => {
  const lease = new LeaseEvents(specs.collector);
  const base = 1_732_170_000_000;
  const c = new ClockedCollector(specs.collector, base);
  // z acquires and never releases: the episode stays open and every node's hold stays in its lane.
  c.collector.ingestBytes(lease.batch("z", [lease.acquire(base + 5, { key: "lock:0" })]));
  for (let k = 0; k < 800; k++) {
    const w = base + 10 + 20 * k;
    const deps = k === 0 ? {} : { deps: [{ node: `node-${k - 1}`, wall: w - 10, logical: 0 }] };
    c.now = w;
    c.collector.ingestBytes(lease.batch(`node-${k}`, [
      lease.acquire(w, { key: "lock:0", ...deps }),
      lease.release(w + 10, { key: "lock:0" }),
    ]));
    if (k % 50 === 49) c.advance(w);
  }
  c.advance(c.now + 5_000);
  const saved = JSON.parse(JSON.stringify(c.collector.snapshot())) as CollectorSnapshot;
  const side = JSON.stringify(saved.partitions[0]!.causal);
  assert.ok(side.length > 130_000, `a causal side of ${side.length} characters`);
  const back = restoreCollector(saved, {
    specs: [specs.collector],
    ...CAUSAL_OPTIONS,
    now: () => c.now,
  });
  assert.deepEqual(back.violations(), c.collector.violations());
  assert.equal(back.violations().length, 1);
  const again = JSON.parse(JSON.stringify(back.snapshot())) as CollectorSnapshot;
  assert.equal(JSON.stringify(again.partitions[0]!.causal), side);
});
