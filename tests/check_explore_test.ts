/**
 * `vigil check` exploration on specs whose answers are known by hand:
 * state counts, shortest counterexample lengths, deadlocks, liveness
 * lassos, bounds, dead guards, and the interpreter cross-check.
 */
import assert from "node:assert/strict";
import { exploreSource, type SourceExploration } from "../lib/explore/model_checker.ts";
import type { ExploreOptions } from "../lib/explore/model_checker.ts";
import { UnboundedParameterError } from "../lib/explore/domains.ts";
import { failed } from "../lib/explore/report.ts";
import { specSource } from "../tools/harness/spec_files.ts";

function run(source: string, options: ExploreOptions = {}): SourceExploration & {
  report: NonNullable<SourceExploration["report"]>;
} {
  const result = exploreSource(source, { crossCheck: true, ...options });
  assert.equal(result.report === null, false, result.diagnostics.map((d) => d.message).join("\n"));
  return result as SourceExploration & { report: NonNullable<SourceExploration["report"]> };
}

Deno.test("check counts 2 states for the toggle, the initial state included", () => {
  const { report } = run(specSource("toggle"));
  assert.equal(report.distinctStates, 2);
  // Initial state + flip from each of the 2 states.
  assert.equal(report.statesGenerated, 3);
  assert.equal(report.depth, 2);
  assert.equal(report.complete, true);
  assert.equal(failed(report), false);
  assert.equal(report.crossChecked, true);
});

Deno.test("check counts 8 states for the 3-bit counter, in 8 levels", () => {
  const { report } = run(specSource("counter3"));
  assert.equal(report.distinctStates, 8);
  assert.equal(report.depth, 8);
  assert.equal(report.diameter, 7);
  assert.deepEqual(report.violations, []);
  assert.equal(report.deadlockCount, 0);
});

/*
 * Peterson (specs/mutex.vigil), worked out on paper. FlagRaisedWhileBusy
 * ties flag[p] to pc[p] != idle, so a state is (pc0, pc1, turn): at most
 * 4 * 4 * 2 = 32. Call idle/trying "A" (no giveTurn in this round) and
 * waiting/critical "B"; turn is 1 - p for the LAST process p that gave it.
 * - both in A: turn 0 (initially) or 1 (after a full round of process 0): 4 * 2 = 8;
 * - p0 in B, p1 in A: p0 gave the turn after p1's last giveTurn (p1 cannot
 *   have left B past a p0 in B holding turn 0), so turn = 1: 4 states;
 * - p1 in B, p0 in A: symmetrically turn = 0: 4 states;
 * - both waiting: turn 0 or 1: 2 states;
 * - (critical, waiting): p0 entered with flag[1] down or turn = 0, and p1's
 *   giveTurn then (or before) left turn = 0: 1 state; (waiting, critical, 1): 1;
 * - both critical: none (the invariant).
 * Total 8 + 4 + 4 + 2 + 1 + 1 = 20.
 */
Deno.test("check counts the 20 reachable states of Peterson's protocol and finds no error", () => {
  const { report } = run(specSource("mutex"));
  assert.equal(report.distinctStates, 20);
  assert.equal(report.complete, true);
  assert.deepEqual(report.violations, []);
  assert.equal(report.deadlockCount, 0);
  // A process waiting cannot be starved by a cycle of the other: it blocks after giveTurn.
  assert.deepEqual(report.liveness, []);
  assert.deepEqual(report.neverEnabled, []);
});

/** Peterson with the turn kept instead of given away: both can enter. */
const BUGGY_MUTEX = specSource("mutex").replace("turn := 1 - p", "turn := p");

Deno.test("check finds the 6-step shortest counterexample of a broken Peterson", () => {
  assert.notEqual(BUGGY_MUTEX, specSource("mutex"));
  const { report } = run(BUGGY_MUTEX);
  const v = report.violations.find((v) => v.item === "invariant MutualExclusion");
  assert.ok(v, "MutualExclusion violated");
  assert.equal(v.kind, "invariant_failed");
  // Each process needs request, giveTurn and enter: 6 steps at least, and 6 suffice.
  assert.equal(v.trace.length - 1, 6);
  assert.equal(v.trace[0]!.action, null);
  assert.equal(v.trace[6]!.action, "enter");
  const last = v.trace[6]!.state as { pc: Record<string, string> };
  assert.deepEqual(last.pc, { "0": "critical", "1": "critical" });
  assert.equal(v.line, 32);
  assert.equal(failed(report), true);
});

const STUCK = `spec Stuck
state n: 0..3 = 0
action inc
  require n < 3
  n := n + 1`;

Deno.test("check reports a deadlock with its shortest trace, unless told not to", () => {
  const { report } = run(STUCK);
  assert.equal(report.distinctStates, 4);
  assert.equal(report.deadlockCount, 1);
  const trace = report.deadlocks[0]!.trace;
  assert.equal(trace.length, 4);
  assert.deepEqual(trace[3]!.state, { n: 3 });
  assert.equal(failed(report), true);
  const quiet = run(STUCK, { deadlock: false }).report;
  assert.equal(quiet.deadlockCount, 0);
  assert.equal(failed(quiet), false);
});

const SPIN = `spec Spin
type Phase = enum { idle, busy, done }
state phase: Phase = idle
state k: 0..1 = 0
action start
  require phase == idle
  phase := busy
action spin
  require phase == busy
  k := 1 - k
action finish
  require phase == busy and k == 1
  phase := done
action again
  require phase == done
  phase := idle
  k := 0
liveness Finishes within 1s
  when phase == busy then eventually phase == done`;

Deno.test("check finds a liveness lasso: a cycle where eventually never holds", () => {
  const { report } = run(SPIN);
  // (idle, 0), (busy, 0), (busy, 1), (done, 1).
  assert.equal(report.distinctStates, 4);
  assert.equal(report.deadlockCount, 0);
  assert.equal(report.liveness.length, 1);
  const l = report.liveness[0]!;
  assert.equal(l.item, "liveness Finishes");
  assert.equal(l.line, 18);
  // init -> start: busy with k = 0, where the when predicate first holds.
  assert.equal(l.whenStep, 1);
  assert.equal(l.prefix.length, 2);
  assert.deepEqual(l.prefix[1]!.state, { phase: "busy", k: 0 });
  // busy,0 -> spin -> busy,1 -> spin -> busy,0.
  assert.deepEqual(l.cycle.map((r) => r.action), [null, "spin", "spin"]);
  assert.deepEqual(l.cycle[2]!.state, l.cycle[0]!.state);
  assert.equal(failed(report), true);
});

Deno.test("check finds no lasso when every cycle passes through eventually", () => {
  const fixed = SPIN.replace("k := 1 - k", "k := 1").replace(
    "require phase == busy\n",
    "require phase == busy and k == 0\n",
  );
  const { report } = run(fixed);
  assert.deepEqual(report.liveness, []);
});

Deno.test("check with max-states stops storing states and says the search is incomplete", () => {
  const { report } = run(specSource("lease"), { maxStates: 500 });
  assert.equal(report.distinctStates, 500);
  assert.equal(report.complete, false);
  assert.equal(report.cutBy, "max-states");
  assert.equal(report.statesExpanded, 500);
});

Deno.test("check with max-depth expands only states within the depth", () => {
  const { report } = run(specSource("counter3"), { maxDepth: 3 });
  // Levels 0..3 are stored; level 3 is not expanded.
  assert.equal(report.distinctStates, 4);
  assert.equal(report.statesExpanded, 3);
  assert.equal(report.complete, false);
  assert.equal(report.cutBy, "max-depth");
});

Deno.test("check reports actions never enabled and requires never false", () => {
  const { report } = run(`spec S
state n: 0..3 = 0
action inc
  require n < 3
  n := n + 1
action jump
  require n == 7
  n := 0
action noop
  require n <= 3
  require n < 3
  n := n`);
  assert.deepEqual(report.neverEnabled.map((n) => n.action), ["jump"]);
  const dead = report.deadGuards.map((g) => [g.action, g.text, g.line, g.evaluations]);
  assert.deepEqual(dead, [["noop", "require n <= 3", 10, 4]]);
});

Deno.test("check refuses an int parameter without --int-range, naming it", () => {
  assert.throws(() => exploreSource(specSource("calc")), (e) => {
    assert.ok(e instanceof UnboundedParameterError);
    assert.equal(e.action, "put");
    assert.equal(e.param, "v");
    return true;
  });
});

Deno.test("check agrees with the interpreter on arithmetic edge cases and finds the errors", () => {
  const { report } = run(specSource("calc"), {
    intRange: { lo: -2n, hi: 2n },
    maxStates: 3000,
  });
  assert.equal(report.crossChecked, true);
  const kinds = new Set(report.violations.map((v) => v.kind));
  assert.ok(kinds.has("arith_error"), "division by zero found");
  for (const v of report.violations) {
    // Every counterexample ends with the failing step and is shortest-first ordered.
    assert.ok(v.trace.length >= 2);
    assert.notEqual(v.trace[v.trace.length - 1]!.action, null);
  }
});

Deno.test("check cross-checks raft (maps, counts, int-free parameters) completely", () => {
  const { report } = run(specSource("raft"));
  assert.equal(report.complete, true);
  assert.equal(report.crossChecked, true);
  assert.ok(report.distinctStates > 100);
  assert.deepEqual(report.violations, []);
});

Deno.test("check reports an initial state that fails an invariant as a 0-step violation", () => {
  const result = exploreSource("spec S\nstate n: 0..3 = 0\ninvariant Positive\n  n > 0\n");
  const report = result.report!;
  assert.equal(report.distinctStates, 0);
  assert.equal(report.violations.length, 1);
  assert.equal(report.violations[0]!.item, "invariant Positive");
  assert.equal(report.violations[0]!.trace.length, 1);
  assert.equal(failed(report), true);
});

Deno.test("check treats a spec without actions as one deadlocked state", () => {
  const { report } = run("spec S\nstate n: 0..3 = 2\n");
  assert.equal(report.distinctStates, 1);
  assert.equal(report.deadlockCount, 1);
  assert.equal(report.depth, 1);
});
