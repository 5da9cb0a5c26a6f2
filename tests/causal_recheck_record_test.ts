/**
 * `Episodes.recheck` skips a found cut whose failing intervals' node
 * generations and ends are as when it last held (`Found.checked`): the
 * record must not hide a change of dependencies. A lease passed A -> B ->
 * C by stamps (S = 500 ms: physical time orders none of it); B's batch
 * comes late. Before it, an unrelated batch with a dependency (E, another
 * key) makes the judge recheck the found cut of A's and C's holds, which
 * still holds and is recorded; then B's batch orders it away, with no
 * interval's end changed: only the nodes' dependency generations tell.
 *
 * A batch whose dependencies bump no epoch moves only its own node's vector
 * clocks, from its earliest new entry on, and the recheck keeps a cut whose
 * intervals of that node start before it without testing it again: the
 * last case has a late batch of C whose new entry comes before C's interval
 * (and after C's last entry), so the cut must still be tested, and dissolves.
 * An episode's cuts that all held are skipped in one test only while none
 * of their open ends closed: the case of A's release arriving late, then
 * an unrelated batch. Since the end closing an interval of a partition
 * whose episode is unraised rechecks it (`CausalJudge.applied`), the cut
 * is dropped at A's release itself: the last case has no later batch.
 */
import assert from "node:assert/strict";
import { ClockedCollector, LeaseEvents } from "./causal/lease_workload.ts";
import { loadLease, withoutShape } from "./causal/simulator.ts";
import type { CollectorEvent } from "../edge/engine/types.ts";

const lease = (await loadLease()).collector;
const LANES = [["lanes of P-intervals", lease], ["full lanes", withoutShape(lease)]] as const;
const T = 1_700_000_000_000;
const KEY = "lock:one";

for (const [kind, spec] of LANES) {
  Deno.test(`A cut rechecked and kept is still ordered away by a later batch that changes only dependencies (${kind})`, () => {
    const dep = (node: string, wall: number) => ({ node, wall: T + wall, logical: 0 });
    const l = new LeaseEvents(spec);
    const c = new ClockedCollector(spec, T + 1_200);
    const seen: CollectorEvent[] = [];
    c.collector.on((e) => void seen.push(e));
    const violated = () => c.collector.partitions().find((p) => p.key === KEY)?.violated ?? null;
    c.collector.ingestBytes(l.batch("A", [l.acquire(T + 1_000), l.release(T + 1_100)]));
    c.collector.ingestBytes(
      l.batch("C", [l.acquire(T + 1_130, { deps: [dep("B", 1_120)] }), l.release(T + 1_200)]),
    );
    c.advance(T + 2_600);
    assert.equal(violated(), "OneHolder", "the cut of A's and C's holds was found");
    // E's dependency (on A, another key) moves the table's generation: the cut is rechecked and holds.
    c.now = T + 2_650;
    c.collector.ingestBytes(
      l.batch("E", [l.acquire(T + 2_640, { key: "lock:other", deps: [dep("A", 1_050)] })]),
    );
    assert.equal(violated(), "OneHolder", "E's dependency orders nothing of the cut");
    c.now = T + 2_700;
    c.collector.ingestBytes(
      l.batch("B", [l.acquire(T + 1_110, { deps: [dep("A", 1_100)] }), l.release(T + 1_120)]),
    );
    assert.equal(
      violated(),
      null,
      "B's stamps order A's hold before C's: the episode is cancelled",
    );
    for (let t = T + 3_000; t <= T + 8_000; t += 500) c.advance(t);
    c.collector.flush();
    const alerts = seen.filter((e) => e.type === "violation");
    assert.equal(alerts.length, 0);
  });
}

for (const [kind, spec] of LANES) {
  Deno.test(`A cut rechecked and kept is ordered away by a late batch of its own node with a dependency before its interval's start (${kind})`, () => {
    const dep = (node: string, wall: number) => ({ node, wall: T + wall, logical: 0 });
    const l = new LeaseEvents(spec);
    const c = new ClockedCollector(spec, T + 1_200);
    const seen: CollectorEvent[] = [];
    c.collector.on((e) => void seen.push(e));
    const violated = () => c.collector.partitions().find((p) => p.key === KEY)?.violated ?? null;
    // A holds [1 000, 1 100], C [1 130, 1 200]: C's acquire carries no stamp, so nothing orders them.
    c.collector.ingestBytes(l.batch("A", [l.acquire(T + 1_000), l.release(T + 1_100)]));
    c.collector.ingestBytes(l.batch("C", [l.acquire(T + 1_130), l.release(T + 1_200)]));
    c.advance(T + 2_600);
    assert.equal(violated(), "OneHolder", "the cut of A's and C's holds was found");
    // E's dependency (on A, another key) moves the table's generation: the cut is rechecked, holds, and
    // its record keeps C's generation.
    c.now = T + 2_650;
    c.collector.ingestBytes(
      l.batch("E", [l.acquire(T + 2_640, { key: "lock:other", deps: [dep("A", 1_050)] })]),
    );
    assert.equal(violated(), "OneHolder", "E's dependency orders nothing of the cut");
    // C's late batch: at 1 125 (after C's last entry: none; before its hold's start at 1 130) C received
    // A's release stamp. No epoch bump (nothing named C), yet C's vector at 1 130 now knows A's release.
    c.now = T + 2_700;
    c.collector.ingestBytes(
      l.batch("C", [l.acquire(T + 1_125, { key: "lock:third", deps: [dep("A", 1_100)] })]),
    );
    assert.equal(
      violated(),
      null,
      "C's entry before its hold orders A's hold before C's: the episode is cancelled",
    );
    for (let t = T + 3_000; t <= T + 8_000; t += 500) c.advance(t);
    c.collector.flush();
    assert.equal(seen.filter((e) => e.type === "violation").length, 0);
  });

  Deno.test(`A cut skipped in one test per episode is tested again once an open end of it closed (${kind})`, () => {
    const dep = (node: string, wall: number) => ({ node, wall: T + wall, logical: 0 });
    const l = new LeaseEvents(spec);
    const c = new ClockedCollector(spec, T + 1_200);
    const seen: CollectorEvent[] = [];
    c.collector.on((e) => void seen.push(e));
    const violated = () => c.collector.partitions().find((p) => p.key === KEY)?.violated ?? null;
    // A holds from 1 000 (its release at 1 100 comes late); C acquires at 1 130 carrying A's release
    // stamp, which orders nothing while A's hold is open: the cut of A's and C's holds is found.
    c.collector.ingestBytes(l.batch("A", [l.acquire(T + 1_000)]));
    c.collector.ingestBytes(
      l.batch("C", [l.acquire(T + 1_130, { deps: [dep("A", 1_100)] }), l.release(T + 1_200)]),
    );
    c.advance(T + 2_600);
    assert.equal(violated(), "OneHolder", "the cut of A's open hold and C's was found");
    // E's dependency (another key, no epoch bump) rechecks: the cut holds, A's end still open.
    c.now = T + 2_650;
    c.collector.ingestBytes(
      l.batch("E", [l.acquire(T + 2_640, { key: "lock:other", deps: [dep("A", 1_050)] })]),
    );
    assert.equal(violated(), "OneHolder", "E's dependency orders nothing of the cut");
    // A's release arrives late: it closes A's hold (its node's newest event; it rechecks now itself).
    c.now = T + 2_700;
    c.collector.ingestBytes(l.batch("A", [l.release(T + 1_100)], { firstSeq: 1 }));
    c.advance(T + 2_700);
    // F's dependency (another key, no epoch bump): the recheck must test the cut again, now that A's end
    // is known before C's stamp.
    c.now = T + 2_750;
    c.collector.ingestBytes(
      l.batch("F", [l.acquire(T + 2_740, { key: "lock:other2", deps: [dep("A", 1_050)] })]),
    );
    assert.equal(violated(), null, "A's release, before C's acquire, orders the cut away");
    for (let t = T + 3_000; t <= T + 8_000; t += 500) c.advance(t);
    c.collector.flush();
    assert.equal(seen.filter((e) => e.type === "violation").length, 0);
  });
}

for (const [kind, spec] of LANES) {
  Deno.test(`An end arriving after its cut was found orders the cut away with no later batch (${kind})`, () => {
    const dep = (node: string, wall: number) => ({ node, wall: T + wall, logical: 0 });
    const l = new LeaseEvents(spec);
    const c = new ClockedCollector(spec, T + 1_200);
    const seen: CollectorEvent[] = [];
    c.collector.on((e) => void seen.push(e));
    const violated = () => c.collector.partitions().find((p) => p.key === KEY)?.violated ?? null;
    // A holds from 1 000 (its release at 1 100 comes late); C acquires at 1 130 carrying A's release
    // stamp, which orders nothing while A's hold is open: the cut of A's and C's holds is found.
    c.collector.ingestBytes(l.batch("A", [l.acquire(T + 1_000)]));
    c.collector.ingestBytes(
      l.batch("C", [l.acquire(T + 1_130, { deps: [dep("A", 1_100)] }), l.release(T + 1_200)]),
    );
    c.advance(T + 2_600);
    assert.equal(violated(), "OneHolder", "the cut of A's open hold and C's was found");
    c.now = T + 2_650;
    c.collector.ingestBytes(
      l.batch("E", [l.acquire(T + 2_640, { key: "lock:other", deps: [dep("A", 1_050)] })]),
    );
    assert.equal(violated(), "OneHolder", "E's dependency orders nothing of the cut");
    // A's release arrives late, its node's newest event, and no batch follows: ending A's hold must
    // itself recheck the unraised episode (the review's R-2: it was dropped only if a batch followed).
    c.now = T + 2_700;
    c.collector.ingestBytes(l.batch("A", [l.release(T + 1_100)], { firstSeq: 1 }));
    assert.equal(violated(), null, "A's release, before C's acquire, orders the cut away");
    for (let t = T + 3_000; t <= T + 8_000; t += 500) c.advance(t);
    c.collector.flush();
    assert.equal(seen.filter((e) => e.type === "violation").length, 0);
  });
}
