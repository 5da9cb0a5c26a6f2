/**
 * Global items over several monitors (`vigil check --nodes N`): listed as
 * not checked over one monitor; over two, a global invariant that local
 * quotas guarantee holds and the same spec with a looser quota breaks it,
 * the Lease spec's OneHolder is broken by two nodes acquiring on their own,
 * traces follow each node through the symmetry reduction, global liveness
 * lassos are found, and a global invariant false from the start is a
 * 0-step violation.
 */
import assert from "node:assert/strict";
import { exploreSource } from "../lib/explore/model_checker.ts";
import { failed } from "../lib/explore/report.ts";
import type { NodesReport, NodeTraceStep } from "../lib/explore/nodes.ts";
import { vigilCheck, withSpec } from "./check_cli_run.ts";

/* Each node spends at most Quota units; together two may spend 10. */
const budget = (quota: number) =>
  `spec Budget
state spent: 0..9 = 0
action spend
  require spent < ${quota}
  spent := spent + 1
action refund
  require spent > 0
  spent := spent - 1
global invariant WithinBudget
  sum(n in nodes: n.spent) <= 10
`;

function nodesOf(source: string, nodes: number): NodesReport {
  const report = exploreSource(source, { nodes }).report!;
  assert.ok(report.nodes !== null, "no exploration over several monitors");
  return report.nodes;
}

/** Checks that each row changes exactly the state of the node it names. */
function assertStableIdentities(trace: readonly NodeTraceStep[]): void {
  for (let k = 1; k < trace.length; k++) {
    const before = trace[k - 1]!.states, after = trace[k]!.states;
    after.forEach((state, node) => {
      if (node !== trace[k]!.node) {
        assert.deepEqual(state, before[node], `row ${k}: node ${node} changed without a step`);
      }
    });
  }
}

Deno.test("global items are listed as not checked over one monitor and checked with --nodes 2", () => {
  const one = exploreSource(budget(5)).report!;
  assert.equal(one.nodes, null);
  assert.deepEqual(one.items.filter((i) => !i.checked).map((i) => i.item), [
    "global invariant WithinBudget",
  ]);
  const two = exploreSource(budget(5), { nodes: 2 }).report!;
  assert.deepEqual(two.items.filter((i) => !i.checked), []);
});

Deno.test("over 2 monitors a quota of 5 keeps the budget of 10 and a quota of 6 breaks it", () => {
  const kept = nodesOf(budget(5), 2);
  assert.deepEqual(kept.violations, []);
  assert.equal(kept.complete, true);
  // Pairs {a, b} of spent values in 0..5, in either order: 6 * 7 / 2.
  assert.equal(kept.distinctStates, 21);
  const broken = nodesOf(budget(6), 2);
  const [v] = broken.violations;
  assert.equal(v?.item, "global invariant WithinBudget");
  assert.equal(v?.line, 9);
  // 11 spends in all, the shortest way past 10; the last one breaks the budget.
  assert.equal(v!.trace.length, 12);
  const last = v!.trace.at(-1)!;
  const spent = last.states.map((s) => s.spent as number);
  assert.equal(spent[0]! + spent[1]!, 11);
  assertStableIdentities(v!.trace);
  // Over 3 monitors even the quota of 5 can overspend.
  assert.equal(nodesOf(budget(5), 3).violations.length, 1);
});

Deno.test("traces over nodes follow each node through the renamings of the symmetry reduction", () => {
  // Node 1 moves ahead of node 0, which sorts it first; the trace must still call it node 1.
  const source = "spec Race\nstate k: 0..3 = 0\naction step\n  require k < 3\n  k := k + 1\n" +
    "global invariant NotBoth3\n  not (forall n in nodes: n.k == 3)\n";
  const [v] = nodesOf(source, 2).violations;
  assert.ok(v !== undefined);
  assert.equal(v.trace.length, 7);
  assertStableIdentities(v.trace);
  assert.deepEqual(v.trace.at(-1)!.states, [{ k: 3 }, { k: 3 }]);
});

Deno.test("a global liveness item over nodes is violated by a reachable cycle, and holds when none avoids it", () => {
  const head = "spec Flags\nstate on: bool = false\naction flip\n  on := not on\n";
  const violated = nodesOf(
    head + "global liveness AllOff within 1s\n" +
      "  when exists n in nodes: n.on then eventually forall n in nodes: not n.on\n",
    2,
  );
  const [lasso] = violated.liveness;
  assert.equal(lasso?.item, "global liveness AllOff");
  const entry = lasso!.cycle[0]!.states;
  assert.ok(entry.some((s) => s.on === true), "the cycle starts where some flag is on");
  for (const row of lasso!.cycle) assert.ok(row.states.some((s) => s.on === true));
  // Flipping always leaves 'all on', so no cycle stays there.
  const held = nodesOf(
    head + "global liveness SomeOff within 1s\n" +
      "  when forall n in nodes: n.on then eventually exists n in nodes: not n.on\n",
    2,
  );
  assert.deepEqual(held.liveness, []);
});

Deno.test("a global invariant false in the initial state over 2 monitors is a 0-step violation", () => {
  const source = "spec Alone\nstate x: bool = false\naction t\n  x := not x\n" +
    "global invariant Single\n  count(n in nodes: true) <= 1\n";
  assert.equal(nodesOf(source, 2).violations[0]?.trace.length, 1);
  assert.deepEqual(exploreSource(source).report!.nodes, null);
});

Deno.test("the README's 'vigil check specs/lease.vigil --bound token=3 --nodes 2' finds two Lease nodes both holding", async () => {
  const run = await vigilCheck(["specs/lease.vigil", "--bound", "token=3", "--nodes", "2", "-q"]);
  assert.equal(run.code, 1, run.stdout + run.stderr);
  const out = run.stdout;
  assert.match(out, /complete: every reachable state within the bounds was explored/);
  assert.match(out, /complete: every reachable combination of the monitors was explored/);
  assert.match(out, /VIOLATION invariant_failed in global invariant OneHolder over 2 monitors/);
  assert.match(out, /shortest counterexample, 2 steps/);
  assert.match(out, /\n {2}1 +n0 +acquire +c=0 +n0: mode=held/);
  assert.match(out, /\n {2}2 +n1 +acquire +c=0 +n0: mode=held .* \| n1: mode=held/);
  assert.match(
    out,
    /checked {6}global invariant OneHolder \(line 33\): over every interleaving of 2/,
  );
  const json = JSON.parse(
    (await vigilCheck(["specs/lease.vigil", "--bound", "token=2", "--nodes", "2", "--json", "-q"]))
      .stdout,
  );
  assert.equal(failed(json), true);
  assert.deepEqual(json.nodes.violations[0].trace.map((r: NodeTraceStep) => r.node), [null, 0, 1]);
});

Deno.test("vigil check --nodes 2 with a spec that has no global items says so", async () => {
  await withSpec(
    "toggle.vigil",
    "spec T\nstate on: bool = false\naction flip\n  on := not on\n",
    async (path) => {
      const run = await vigilCheck([path, "--nodes", "2"]);
      assert.equal(run.code, 0);
      assert.match(run.stderr, /--nodes 2: the spec has no global items to check/);
      assert.doesNotMatch(run.stdout, /global items over/);
    },
  );
});
