/**
 * Cuts that a dependency arriving later orders away (`Episodes.recheck`,
 * `edge/engine/causal/episodes.ts`, called by `DependencyRecording.record`
 * when the dependency table's generation moves): a lease passed A -> B -> C by
 * stamps, on clocks within the skew bound of each other (S = 500 ms, so
 * physical time orders none of these events), B's batch shipped after the
 * judge found the cut of A's and C's holds. The unraised episode is
 * cancelled (no alert), or keeps only the cuts still consistent (the alert
 * names the real pair only), as the in-order delivery judges.
 */
import assert from "node:assert/strict";
import { CAUSAL_OPTIONS, ClockedCollector, LeaseEvents } from "./causal/lease_workload.ts";
import { laneKinds, loadLease } from "./causal/simulator.ts";
import type { CompiledSpec } from "../lib/abi/compiled.ts";
import type { Collector, CollectorEvent } from "../edge/engine/types.ts";
import { restoreCollector } from "../edge/engine/collector.ts";
import type { CollectorSnapshot } from "../edge/engine/snapshot.ts";

/** Lease is of the exclusion shape (lanes of P-intervals only); without the marker, full lanes. */
const LANES = laneKinds(await loadLease());
const T = 1_700_000_000_000;
const KEY = "lock:one";

/** Per node, the events of its batch (walls relative to `T`). */
type Script = Record<string, (events: LeaseEvents) => Uint8Array>;

/**
 * A holds [1 000, 1 100] and hands the lease to B (B's acquire at 1 110
 * carries A's release stamp); B holds to 1 120 and hands it to C (C's
 * acquire at 1 130 carries B's release stamp). No real overlap; only the
 * chain through B orders A's hold before C's. With `d` (a wall), D also
 * acquires, at `d` with the stamps of A's and B's releases, and holds to
 * 1 300 with no message to C: a real split brain of C and D.
 */
function chain(d?: number): Script {
  const dep = (node: string, wall: number) => ({ node, wall: T + wall, logical: 0 });
  const script: Script = {
    A: (l) => l.batch("A", [l.acquire(T + 1_000), l.release(T + 1_100)]),
    B: (l) =>
      l.batch("B", [l.acquire(T + 1_110, { deps: [dep("A", 1_100)] }), l.release(T + 1_120)]),
    C: (l) =>
      l.batch("C", [l.acquire(T + 1_130, { deps: [dep("B", 1_120)] }), l.release(T + 1_200)]),
  };
  if (d !== undefined) {
    script.D = (l) =>
      l.batch("D", [
        l.acquire(T + d, { deps: [dep("A", 1_100), dep("B", 1_120)] }),
        l.release(T + 1_300),
      ]);
  }
  return script;
}

/**
 * As {@link chain}, but B's hold is of another key (`lock:two`): B's batch
 * changes no interval of `lock:one`, only the dependencies, so only the
 * recheck of `DependencyRecording.record` can order the cut of A's and C's
 * holds away (an end applied in `lock:one` rechecks it too, and would hide a
 * missing one).
 */
function chainElsewhere(): Script {
  const dep = (node: string, wall: number) => ({ node, wall: T + wall, logical: 0 });
  const two = { key: "lock:two" };
  return {
    ...chain(),
    B: (l) =>
      l.batch("B", [
        l.acquire(T + 1_110, { ...two, deps: [dep("A", 1_100)] }),
        l.release(T + 1_120, two),
      ]),
  };
}

/**
 * A collector of `spec` on a clock starting at `start`, fed `script`'s
 * batches (all but B's when `late`), with every event it emitted.
 */
class Delivery {
  readonly clock: ClockedCollector;
  collector: Collector;
  readonly events: LeaseEvents;
  readonly seen: CollectorEvent[] = [];
  readonly #spec: CompiledSpec;
  readonly #delivered: Uint8Array[] = [];

  constructor(spec: CompiledSpec, script: Script, options: { start: number; late: boolean }) {
    this.#spec = spec;
    this.clock = new ClockedCollector(spec, options.start);
    this.collector = this.clock.collector;
    this.events = new LeaseEvents(spec);
    this.collector.on((e) => void this.seen.push(e));
    for (const [node, batch] of Object.entries(script)) {
      if (node !== "B" || !options.late) this.#delivered.push(batch(this.events));
    }
    for (const bytes of this.#delivered) this.collector.ingestBytes(bytes);
  }

  /** Sets the clock to `t` and lets the collector judge up to it. */
  advance(t: number): void {
    this.clock.now = t;
    this.collector.advance(t);
  }

  /** Snapshots the collector (through JSON) and goes on with a restored one, given the batches delivered before again. */
  restart(): void {
    const snapshot = JSON.parse(JSON.stringify(this.collector.snapshot())) as CollectorSnapshot;
    this.collector = restoreCollector(snapshot, {
      specs: [this.#spec],
      now: () => this.clock.now,
      ...CAUSAL_OPTIONS,
    });
    this.collector.on((e) => void this.seen.push(e));
    for (const bytes of this.#delivered) this.collector.ingestBytes(bytes);
  }

  /** The invariant the lease key's partition violates now, null when none. */
  violated(): string | null {
    return this.collector.partitions().find((p) => p.key === KEY)?.violated ?? null;
  }
}

/** What a run saw: the alerts, the clears, and whether the partition was violated before and after B's batch. */
interface Run {
  readonly alerts: {
    property: string;
    nodes: string[];
    verdict: string | undefined;
    at: unknown;
    /** The collector clock when it was raised. */
    raisedAt: number;
  }[];
  readonly cleared: number;
  readonly violatedBeforeB: string | null;
  readonly violatedAfterB: string | null;
}

/**
 * Delivers `script`: every batch but B's at real 1 200; B's with them
 * (`late` false) or at real 2 700, after the judge's horizon
 * (collector clock less 2S and the window) passed C's acquire at 2 600,
 * and well before the raise point (1 130 + 4S + 2 windows in judgement).
 * With `restart`, the collector is snapshotted (through JSON) at 2 600 and
 * a restored one, given the batches delivered before again, goes on.
 */
function deliver(spec: CompiledSpec, script: Script, late: boolean, restart = false): Run {
  const d = new Delivery(spec, script, { start: T + 1_200, late });
  d.advance(T + 2_600);
  if (restart) d.restart();
  const violatedBeforeB = d.violated();
  if (late) {
    d.clock.now = T + 2_700;
    d.collector.ingestBytes(script.B!(d.events));
  }
  const violatedAfterB = d.violated();
  for (let t = T + 3_000; t <= T + 8_000; t += 500) d.advance(t);
  d.collector.flush();
  const seen = d.seen;
  const alerts = seen.flatMap((e) =>
    e.type === "violation"
      ? [{
        property: e.violation.property.name,
        nodes: [...e.violation.nodes].sort(),
        verdict: e.violation.causal?.verdict,
        at: e.violation.at,
        raisedAt: e.violation.detectedAt,
      }]
      : []
  );
  const cleared = seen.filter((e) => e.type === "violation_cleared").length;
  return { alerts, cleared, violatedBeforeB, violatedAfterB };
}

for (const [kind, spec] of LANES) {
  Deno.test(`A chain's middle batch arriving after the cut of its ends was found cancels the unraised episode: no alert, as in order (${kind})`, () => {
    const inOrder = deliver(spec, chain(), false);
    assert.deepEqual(inOrder.alerts, []);
    assert.equal(inOrder.violatedBeforeB, null, "in order, A's hold is ordered before C's");
    const late = deliver(spec, chain(), true);
    // Before B's batch, nothing orders A's hold before C's: the judge found their cut and opened an episode.
    assert.equal(late.violatedBeforeB, "OneHolder", "the cut of A's and C's holds was found");
    // B's batch carries A's release stamp: its dependencies order the cut away, and the episode is cancelled
    // at ingest (not closed: it never raised, so nothing is cleared).
    assert.equal(late.violatedAfterB, null, "the episode was cancelled when B's stamps arrived");
    assert.deepEqual(late.alerts, inOrder.alerts);
    assert.equal(late.cleared, 0);
  });

  Deno.test(`A chain's middle batch of another key, arriving after the cut of its ends was found, cancels the unraised episode, after a restart too (${kind})`, () => {
    const inOrder = deliver(spec, chainElsewhere(), false);
    assert.deepEqual(inOrder.alerts, []);
    assert.equal(inOrder.violatedBeforeB, null, "in order, A's hold is ordered before C's");
    for (const restart of [false, true]) {
      const late = deliver(spec, chainElsewhere(), true, restart);
      assert.equal(late.violatedBeforeB, "OneHolder", "the cut of A's and C's holds was found");
      assert.equal(
        late.violatedAfterB,
        null,
        `B's stamps cancel the episode (restart: ${restart})`,
      );
      assert.deepEqual(late.alerts, inOrder.alerts);
      assert.equal(late.cleared, 0);
    }
  });

  Deno.test(`A late dependency that orders away one of two found cuts leaves the other: the alert names the real pair only, as in order (${kind})`, () => {
    const inOrder = deliver(spec, chain(1_125), false);
    assert.equal(inOrder.alerts.length, 1);
    assert.deepEqual(inOrder.alerts[0]!.nodes, ["C", "D"]);
    const late = deliver(spec, chain(1_125), true);
    assert.equal(late.violatedBeforeB, "OneHolder");
    assert.equal(late.violatedAfterB, "OneHolder", "C's and D's cut still holds");
    assert.equal(late.alerts.length, 1);
    assert.deepEqual(late.alerts[0]!.nodes, ["C", "D"], "A's cut with C was ordered away by B");
    assert.deepEqual(late.alerts, inOrder.alerts);
  });

  Deno.test(`A late dependency that orders away the cut that opened the episode leaves the alert at the remaining cut's detection, as in order (${kind})`, () => {
    // D acquires at 1 160, after C: the cut of A's and C's holds (found judging C's acquire at 1 130)
    // opens the episode when B is late, the cut of C's and D's is found later (judging D's at 1 160).
    const inOrder = deliver(spec, chain(1_160), false);
    assert.equal(inOrder.alerts.length, 1);
    assert.deepEqual(inOrder.alerts[0]!.nodes, ["C", "D"]);
    assert.deepEqual(inOrder.alerts[0]!.at, { wall: T + 1_160, logical: 0 });
    const late = deliver(spec, chain(1_160), true);
    assert.equal(late.violatedBeforeB, "OneHolder");
    assert.equal(late.violatedAfterB, "OneHolder", "C's and D's cut still holds");
    assert.equal(late.alerts.length, 1);
    // The episode's start (the alert's `at`) and its raise point move to the earliest cut kept.
    assert.deepEqual(
      late.alerts,
      inOrder.alerts,
      "the alert's at and raise time are those of in-order delivery",
    );
    // Where each cut was found survives a restart between the finding and B's batch.
    const restarted = deliver(spec, chain(1_160), true, true);
    assert.equal(restarted.violatedBeforeB, "OneHolder", "the restored episode is open");
    assert.deepEqual(restarted.alerts, inOrder.alerts, "after a restart too");
  });
}

/**
 * A real split brain of D [1 000, 1 050] and E [1 010, 1 040] (no
 * messages), then the chain A [2 300, 2 350] -> B [2 360, 2 370] -> C
 * [2 380, 2 450]. Delivered at real 2 500; with `late`, B's batch only at
 * real 4 000, after the judge found the cut of A's and C's holds (judging
 * C's acquire at 2 380) and before the raise point (1 010 + 4S + 2
 * windows). The collector advances by 50 ms to 8 000; returns the clears'
 * HLCs and the alerts' nodes.
 */
function deliverLastCut(spec: CompiledSpec, late: boolean, restart = false) {
  const dep = (node: string, wall: number) => ({ node, wall: T + wall, logical: 0 });
  const script: Script = {
    D: (l) => l.batch("D", [l.acquire(T + 1_000), l.release(T + 1_050)]),
    E: (l) => l.batch("E", [l.acquire(T + 1_010), l.release(T + 1_040)]),
    A: (l) => l.batch("A", [l.acquire(T + 2_300), l.release(T + 2_350)]),
    B: (l) =>
      l.batch("B", [l.acquire(T + 2_360, { deps: [dep("A", 2_350)] }), l.release(T + 2_370)]),
    C: (l) =>
      l.batch("C", [l.acquire(T + 2_380, { deps: [dep("B", 2_370)] }), l.release(T + 2_450)]),
  };
  const d = new Delivery(spec, script, { start: T + 2_500, late });
  for (let t = T + 2_550; t <= T + 3_950; t += 50) d.advance(t);
  if (restart) d.restart();
  const violatedBeforeB = d.violated();
  d.clock.now = T + 4_000;
  if (late) d.collector.ingestBytes(script.B!(d.events));
  for (let t = T + 4_000; t <= T + 8_000; t += 50) d.advance(t);
  d.collector.flush();
  const seen = d.seen;
  return {
    violatedBeforeB,
    alerts: seen.flatMap((e) =>
      e.type === "violation" ? [{ nodes: [...e.violation.nodes].sort(), at: e.violation.at }] : []
    ),
    clears: seen.flatMap((e) => e.type === "violation_cleared" ? [e] : []),
  };
}

for (const [kind, spec] of LANES) {
  Deno.test(`A late dependency that orders away the episode's last failing cut leaves the clear where in-order delivery puts it (${kind})`, () => {
    const inOrder = deliverLastCut(spec, false);
    assert.equal(inOrder.alerts.length, 1);
    assert.deepEqual(inOrder.alerts[0]!.nodes, ["D", "E"]);
    assert.equal(inOrder.clears.length, 1);
    const late = deliverLastCut(spec, true);
    assert.equal(late.violatedBeforeB, "OneHolder", "the cut of A's and C's holds was found");
    assert.deepEqual(late.alerts, inOrder.alerts);
    // The episode closes 2S plus the window after its last failing cut: the kept one's, not the dropped one's.
    assert.deepEqual(late.clears, inOrder.clears, "the clear's HLC is that of in-order delivery");
    const restarted = deliverLastCut(spec, true, true);
    assert.equal(restarted.violatedBeforeB, "OneHolder", "the restored episode is open");
    assert.deepEqual(restarted.clears, inOrder.clears, "after a restart too");
  });
}
