/**
 * The causal judge keeps at most `MAX_LANE` intervals per node and
 * partition; intervals it drops at that cap while later judgements could
 * still meet them are counted (`causalLaneDrops` in the metrics) and said
 * once in the collector service's log, not lost silently.
 */
import assert from "node:assert/strict";
import { loadCompiled } from "../lib/abi/loader.ts";
import { MAX_LANE } from "../edge/engine/causal/causal_judge.ts";
import { CausalPartition, Interval } from "../edge/engine/causal/lanes.ts";
import { LanePruning } from "../edge/engine/causal/lane_pruning.ts";
import { StateArena } from "../edge/engine/causal/state_arena.ts";
import { CutVerdicts } from "../edge/engine/causal/cut_verdicts.ts";
import { serviceLog } from "../tools/harness/service_log.ts";
import { ClockedCollector, LeaseEvents } from "./causal/lease_workload.ts";

const spec = await loadCompiled(new URL("../dist/lease.core.wasm", import.meta.url));
const T = 1_700_000_000_000;

/**
 * `count` state changes of node A in one partition, 1 ms apart (acquire, release, ...), and one of
 * B. Lease's lanes hold its holds only (lanes of P-intervals): `count / 2` intervals.
 */
function flips(count: number): Uint8Array[] {
  const lease = new LeaseEvents(spec);
  const flip = (k: number) => k % 2 === 0 ? lease.acquire(T + k) : lease.release(T + k);
  return [
    lease.batch("B", [lease.release(T)]),
    lease.batch("A", Array.from({ length: count }, (_, k) => flip(k))),
  ];
}

function drops(count: number): number {
  const c = new ClockedCollector(spec, T);
  for (const b of flips(count)) c.collector.ingestBytes(b);
  c.advance(T + count);
  c.collector.flush();
  return c.collector.metrics().causalLaneDrops;
}

Deno.test("A lane that outgrows its cap within the horizon counts every interval it drops", () => {
  assert.equal(drops(2 * (MAX_LANE + 44)), 44);
});

Deno.test("A lane within its cap drops nothing and counts nothing", () => {
  assert.equal(drops(2 * (MAX_LANE - 6)), 0);
});

Deno.test("The collector service says a lane's drops once in its log, with the count", async () => {
  const clocked = new ClockedCollector(spec, T);
  const c = clocked.collector;
  const lines = await serviceLog(c, {
    now: () => clocked.now,
    run: () => {
      for (const b of flips(2 * (MAX_LANE + 44))) c.ingestBytes(b);
      clocked.advance(T + 2 * (MAX_LANE + 44));
    },
    until: "causal verdicts dropped",
  });
  // Stopping flushes the log: one drop gives one line, and no summary of repeats.
  const said = lines.filter((l) => l.includes("causal verdicts dropped"));
  assert.equal(said.length, 1, lines.join("\n"));
  assert.match(said[0]!, /dropped 44 state intervals .*vigil_causal_lane_drops/);
});

/**
 * A lane of `MAX_LANE + 1` closed P-intervals starting at walls 0, 10, 20, ... (each 5 ms long) of
 * a partition whose handoff chain's last is its newest (judged on arrival), with the partition's
 * horizon at `horizon`; pruned by a horizon that makes no end due: the cap drops the oldest alone.
 * Returns how often the pruning took the judgements on arrival back.
 */
function capWithHorizon(horizon: number): { takenBack: number; held: number; capped: number } {
  const cp = new CausalPartition(
    new StateArena(4),
    new CutVerdicts({ stride: 4, slots: [{ offset: 0, width: 4 }] }),
  );
  cp.sparse = true;
  const lane = Array.from({ length: MAX_LANE + 1 }, (_, k) => {
    const i = new Interval({ node: "A", index: 0, boot: "b" }, {
      nid: 0,
      seq: k,
      action: 0,
      wall: 10 * k,
      logical: 0,
      block: cp.arena.alloc(),
    });
    i.endWall = 10 * k + 5;
    return i;
  });
  cp.lanes.push(lane);
  cp.fit(1);
  cp.horizon = horizon;
  cp.chainLast = lane[MAX_LANE]!;
  cp.chain = true;
  let takenBack = 0;
  const pruning = new LanePruning({ maxSkewMs: 5, takeBack: () => takenBack++ });
  pruning.due = 0; // ends before 0 - 2S are due: none
  const capped = pruning.prune(cp, 0);
  return { takenBack, held: cp.lanes[0]!.length, capped };
}

Deno.test("The cap takes judgements on arrival back only when it drops one of them", () => {
  assert.ok(capWithHorizon(100).held === MAX_LANE && capWithHorizon(100).capped === 1);
  // The interval the cap drops (wall 0) starts before the horizon: it was judged once the horizon
  // passed it, not on arrival; the ones judged on arrival stay judged (a hot key's lane drops its
  // oldest at each event: taking them back each time made every event a scan and a requeue).
  assert.equal(capWithHorizon(100).takenBack, 0);
  assert.equal(capWithHorizon(1).takenBack, 0);
  // It starts at the horizon: it may have been judged on arrival, and the cap drops it.
  assert.equal(capWithHorizon(0).takenBack, 1);
  assert.equal(capWithHorizon(-50).takenBack, 1);
});
