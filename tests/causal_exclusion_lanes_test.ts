/**
 * Lanes of P-intervals only (`docs/causality.md`, "Lanes of P-intervals
 * only"): for a spec of the exclusion shape (`SpecMeta.globalShape`), the
 * causal judge keeps an interval only where a node's state satisfies P,
 * ends it explicitly where the node leaves P, and extends a handoff chain
 * with no search. These tests run that path and the full lanes (the same
 * spec with the marker left out: `withoutShape`) on the same streams and
 * require the same alerts: kind, property, partition, HLC, the nodes named
 * (in order) and the verdict. They may differ in what the alert's picture
 * and cut show of nodes outside P (a stretch outside P is one interval;
 * its state is shown only for the lane's current one), which is not
 * compared.
 */
import assert from "node:assert/strict";
import {
  fullLanes,
  loadLease,
  Rng,
  type RunOptions,
  splitBrainRun,
  withoutShape,
} from "./causal/simulator.ts";
import { restoreCollector } from "../edge/engine/collector.ts";
import type { Collector, CollectorSnapshot, Violation } from "../edge/engine/types.ts";
import {
  CAUSAL_OPTIONS,
  ClockedCollector,
  handoffBatches,
  ingestRoundRobin,
  LeaseEvents,
  nodeBatch,
  roundRobin,
} from "./causal/lease_workload.ts";
import { compileToTemp } from "../tools/harness/spec_files.ts";

const specs = await loadLease();
const BASE = { maxSkewMs: 500, skewMs: 500, windowMs: 250 } as const;

/** What both paths must agree on, per alert. */
function said(alerts: readonly Violation[]): string[] {
  return alerts.map((v) =>
    JSON.stringify([
      v.kind,
      v.property.name,
      v.partition,
      v.at,
      v.nodes,
      v.causal?.verdict ?? null,
    ])
  );
}

/** One simulator run on each path (the same seed: the same streams and deliveries). */
async function both(options: Omit<RunOptions, "specs" | "rng">, seed: number) {
  const sparse = await splitBrainRun({ ...options, specs, rng: new Rng(seed) });
  const full = await splitBrainRun({ ...options, specs: fullLanes(specs), rng: new Rng(seed) });
  return { sparse, full };
}

Deno.test("The lease spec is judged with lanes of P-intervals; the spec without its shape marker with full lanes", () => {
  assert.equal(specs.collector.meta.globalShape, "exclusion");
  assert.equal(withoutShape(specs.collector).meta.globalShape, undefined);
  assert.equal(withoutShape(specs.collector).meta.sourceHash, specs.collector.meta.sourceHash);
});

Deno.test("On the simulator's split brains (skew up to S, late batches, S = 25 ms), lanes of P-intervals and full lanes raise the same alerts", async () => {
  const runs: [Omit<RunOptions, "specs" | "rng">, number][] = [];
  for (let k = 0; k < 12; k++) {
    runs.push([{
      ...BASE,
      splitBrains: 10,
      handoffsBetween: 10,
      ship: [0, 40],
      overlap: [1, 3_000],
    }, 70_000 + k]);
  }
  for (let k = 0; k < 4; k++) {
    // Batches later than the window: late intervals, older events splitting lanes.
    runs.push([{
      ...BASE,
      splitBrains: 6,
      handoffsBetween: 30,
      ship: [300, 650],
      overlap: [1, 1_000],
    }, 71_000 + k]);
  }
  for (let k = 0; k < 4; k++) {
    runs.push([{
      maxSkewMs: 25,
      skewMs: 20,
      windowMs: 250,
      splitBrains: 10,
      handoffsBetween: 10,
      ship: [0, 40],
      overlap: [1, 3_000],
    }, 72_000 + k]);
  }
  let alerts = 0;
  let definitely = 0;
  for (const [options, seed] of runs) {
    const { sparse, full } = await both(options, seed);
    assert.deepEqual(said(sparse.alerts), said(full.alerts), `seed ${seed}`);
    alerts += full.alerts.length;
    definitely += full.alerts.filter((a) => a.causal?.verdict === "definitely").length;
  }
  assert.ok(alerts >= 150, `${alerts} alerts compared`);
  assert.ok(definitely >= 20, `${definitely} definitely alerts compared`);
});

Deno.test("A clean run with late batches raises no alert on either path", async () => {
  const { sparse, full } = await both({
    ...BASE,
    splitBrains: 0,
    handoffsBetween: 1_000,
    ship: [300, 650],
    overlap: [1, 1],
  }, 73_000);
  assert.equal(full.handoffs, 1_000);
  assert.deepEqual(said(sparse.alerts), []);
  assert.deepEqual(said(full.alerts), []);
});

Deno.test("At 64 nodes and 256 keys, with stampless overlapping acquires among the handoffs, both paths raise the same alerts", () => {
  const spec = specs.collector;
  const { batches, overlaps } = handoffBatches(spec, {
    nodes: 64,
    keys: 256,
    events: 1 << 16,
    overlapEvery: 997,
  });
  const sparse = ingestRoundRobin(spec, batches);
  const full = ingestRoundRobin(withoutShape(spec), batches);
  assert.ok(overlaps >= 30, `${overlaps} overlaps injected`);
  assert.equal(sparse.metrics().events, 1 << 16);
  const alerts = said(full.violations().filter((v) => v.kind === "invariant"));
  assert.ok(alerts.length >= 30, `${alerts.length} alerts`);
  assert.deepEqual(said(sparse.violations().filter((v) => v.kind === "invariant")), alerts);
});

Deno.test("A snapshot of full lanes (an older one) restores into lanes of P-intervals and judges on as uninterrupted; the other way round is refused, saying why", () => {
  const spec = specs.collector;
  const { batches, overlaps } = handoffBatches(spec, {
    nodes: 4,
    keys: 4,
    events: 4_000,
    overlapEvery: 37,
    everyMs: 5,
    batchSize: 8,
  });
  assert.ok(overlaps >= 20, `${overlaps} overlaps injected`);
  // Arrival order: by the batch's first event (events of different nodes are 5 ms apart).
  const order = roundRobin(batches);
  /** Restarts before batch `restartAt` from `from`'s snapshot into `to`, delivering every batch so far again. */
  const run = (restartAt: number, from: typeof spec, to: typeof spec): Collector => {
    const clocked = new ClockedCollector(from, 0);
    let c = clocked.collector;
    for (let k = 0; k < order.length; k++) {
      clocked.now += 10;
      c.advance(clocked.now);
      if (k === restartAt) {
        const snapshot = JSON.parse(JSON.stringify(c.snapshot())) as CollectorSnapshot;
        c = restoreCollector(snapshot, {
          specs: [to],
          ...CAUSAL_OPTIONS,
          now: () => clocked.now,
        });
        for (let j = 0; j < k; j++) c.ingestBytes(order[j]!);
      }
      c.ingestBytes(order[k]!);
    }
    clocked.now += 60_000;
    c.advance(clocked.now);
    c.flush();
    return c;
  };
  const invariants = (c: Collector) => said(c.violations().filter((v) => v.kind === "invariant"));
  const straight = invariants(run(-1, spec, spec));
  assert.ok(straight.length >= 20, `${straight.length} alerts`);
  assert.deepEqual(invariants(run(-1, withoutShape(spec), withoutShape(spec))), straight);
  for (const at of [37, 150, 301, 444]) {
    assert.deepEqual(
      invariants(run(at, withoutShape(spec), spec)),
      straight,
      `restart before batch ${at}`,
    );
  }
  assert.throws(
    () => run(150, spec, withoutShape(spec)),
    /holds lanes of the intervals in P only \(an exclusion spec's\), which this collector judges with full lanes/,
  );
});

Deno.test("A stamp the new holder got before the last holder's release does not hand the lease on: the handoff chain needs its end", () => {
  const spec = specs.collector;
  const T = 1_700_000_000_000;
  const lease = new LeaseEvents(spec);
  const alerts = (s: typeof spec, stampAt: number) => {
    const c = new ClockedCollector(s, T);
    // A holds from 1 000 to 1 005; B acquires at 1 010 with a stamp of A's at `stampAt`.
    c.collector.ingestBytes(lease.batch("A", [lease.acquire(T + 1_000), lease.release(T + 1_005)]));
    c.collector.ingestBytes(lease.batch("B", [
      lease.acquire(T + 1_010, { deps: [{ node: "A", wall: T + stampAt, logical: 0 }] }),
      lease.release(T + 1_020),
    ]));
    c.advance(T + 10_000);
    c.collector.flush();
    return said(c.collector.violations().filter((v) => v.kind === "invariant"));
  };
  for (const s of [spec, withoutShape(spec)]) {
    // A's acquire stamp (before its release): B's hold may overlap A's, 5 ms apart within S.
    const early = alerts(s, 1_000);
    assert.equal(early.length, 1, early.join("\n"));
    assert.match(early[0]!, /\["A","B"\]|\["B","A"\]/);
    // A's release stamp: a handoff.
    assert.deepEqual(alerts(s, 1_005), []);
  }
});

Deno.test("With two exclusion invariants, a hold of one that coexists with a hold of the other breaks the handoff chain: a later hold of the first is still met", async () => {
  const { spec } = await compileToTemp(
    "two_locks",
    "spec TwoLocks\n  state m: bool = false\n  state t: bool = false\n" +
      "  action setM\n    m := true\n  action clearM\n    m := false\n" +
      "  action setT\n    t := true\n  action clearT\n    t := false\n" +
      "  global invariant OneM\n    forall a, b in nodes: a.m and b.m implies a == b\n" +
      "  global invariant OneT\n    forall a, b in nodes: a.t and b.t implies a == b\n",
  );
  assert.equal(spec.meta.globalShape, "exclusion");
  const state = (m: boolean, t: boolean) => {
    const inst = spec.create();
    if (m) spec.stepFn(spec.actionIndex("setM"))(inst);
    if (t) spec.stepFn(spec.actionIndex("setT"))(inst);
    return spec.stateBytes(inst);
  };
  const T = 1_700_000_000_000;
  const batch = (node: string, events: [number, string, Uint8Array, string?, number?][]) =>
    nodeBatch(spec, {
      node,
      events: events.map(([wall, action, s, from, at]) => ({
        key: "k",
        wall: T + wall,
        logical: 0,
        action: spec.actionIndex(action),
        args: [],
        state: s,
        verdict: 0,
        ...(from === undefined ? {} : { deps: [{ node: from, wall: T + at!, logical: 0 }] }),
      })),
    });
  for (const s of [spec, withoutShape(spec)]) {
    const c = new ClockedCollector(s, T).collector;
    // A holds m from 1 000 to 1 050; B holds t from 1 010 to 1 020 (no conflict: another lock);
    // C takes m at 1 030 by a message from B's release of t: A still holds m.
    c.ingestBytes(
      batch("A", [[1_000, "setM", state(true, false)], [1_050, "clearM", state(false, false)]]),
    );
    c.ingestBytes(
      batch("B", [[1_010, "setT", state(false, true)], [1_020, "clearT", state(false, false)]]),
    );
    c.ingestBytes(
      batch("C", [[1_030, "setM", state(true, false), "B", 1_020], [
        1_040,
        "clearM",
        state(false, false),
      ]]),
    );
    c.flush();
    const v = c.violations().filter((x) => x.kind === "invariant");
    assert.equal(v.length, 1, said(v).join("\n"));
    assert.equal(v[0]!.property.name, "OneM");
    assert.deepEqual([...v[0]!.nodes].sort(), ["A", "C"]);
  }
});
