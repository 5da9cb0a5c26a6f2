/**
 * The handoff test's dependency carried with the applied event
 * (`EventStore.setFirstDep`, `DependencyRecording.senders`,
 * `ExclusionLanes.#handedOn`): an event's first dependency, numbered by the
 * causal judge at ingest, proves a handoff only as the dependency table
 * would:
 *
 * - a node number written at ingest is not taken for the node that got
 *   the number after a retirement (the table dropped the entry with the
 *   old node): the verdicts are those of an event that carried no stamp;
 * - a stamp the table refused (naming a retired node, the node itself, or
 *   not before its event) is carried as none, also where an earlier
 *   batch's dependency at the same place named a node.
 *
 * @module
 */
import assert from "node:assert/strict";
import { laneKinds, loadLease } from "./causal/simulator.ts";
import type { CompiledSpec } from "../lib/abi/compiled.ts";
import { LeaseEvents, SequencedNodes } from "./causal/lease_workload.ts";
import { engineOf } from "../edge/engine/collector.ts";

const specs = await loadLease();
const BASE = 1_732_170_000_000;
const KEY = "lock:0";

/**
 * b holds from 101 ms, carrying (when `stamped`) a stamp of node z at 100 ms,
 * a node that sends nothing; then (when `retire`) z is retired, and y, the
 * next new node (given z's number then), holds from 90 to 99 ms, within the
 * skew bound of b's hold: only a stamp of y would order the two. Returns
 * the alerts (JSON) and y's number against z's.
 */
function zStampThenY(
  spec: CompiledSpec,
  stamped: boolean,
  retire: boolean,
): { alerts: string[]; reused: boolean } {
  const lease = new LeaseEvents(spec);
  const n = new SequencedNodes(lease, BASE);
  const judge = engineOf(n.c.collector).causal!;
  const deps = stamped ? { deps: [{ node: "z", wall: BASE + 100, logical: 0 }] } : {};
  n.send("b", [
    lease.acquire(BASE + 101, { key: KEY, ...deps }),
    lease.release(BASE + 110, { key: KEY }),
  ], 1);
  const z = judge.deps.nodeId("z");
  if (retire) assert.equal(judge.retireNode("z"), stamped ? 1 : 0, "b's entry naming z is freed");
  n.send("y", [lease.acquire(BASE + 90, { key: KEY }), lease.release(BASE + 99, { key: KEY })], 2);
  const reused = judge.deps.nodeId("y") === z;
  n.c.advance(BASE + 5_000);
  return { alerts: n.c.collector.violations().map((v) => JSON.stringify(v)), reused };
}

for (const [kind, spec] of laneKinds(specs)) {
  Deno.test(`A sender's number carried from ingest is not taken for the node given it after a retirement (${kind})`, () => {
    const retired = zStampThenY(spec, true, true);
    assert.ok(retired.reused, "y got z's number");
    const none = zStampThenY(spec, false, false);
    assert.ok(none.alerts.length > 0, "y's and b's holds are not ordered: the overlap is raised");
    assert.deepEqual(retired.alerts, none.alerts);
  });
}

Deno.test("The senders a batch's dependencies carry to their slots are those the table recorded (-1 for a refused stamp)", () => {
  const lease = new LeaseEvents(specs.collector);
  const n = new SequencedNodes(lease, BASE);
  const judge = engineOf(n.c.collector).causal!;
  const a = judge.deps.nodeId("a");
  n.send("b", [
    lease.acquire(BASE + 20, { key: KEY, deps: [{ node: "z", wall: BASE + 10, logical: 0 }] }),
    lease.release(BASE + 22, {
      key: KEY,
      deps: [
        { node: "a", wall: BASE + 15, logical: 2 },
        { node: "b", wall: BASE + 16, logical: 0 }, // b's own
        { node: "a", wall: BASE + 30, logical: 0 }, // after its event: refused
      ],
    }),
  ], 1);
  assert.deepEqual([...judge.senders.subarray(0, 4)], [judge.deps.nodeId("z"), a, -1, -1]);
  assert.equal(judge.deps.stampsAfter, 1);
  judge.retireNode("z");
  // Named again at the same place: retired, not recorded, and carried as none (not the last batch's number).
  n.send("b", [
    lease.acquire(BASE + 40, { key: KEY, deps: [{ node: "z", wall: BASE + 10, logical: 0 }] }),
  ], 3);
  assert.equal(judge.stampsOfRetired, 1);
  assert.equal(judge.senders[0], -1);
});
