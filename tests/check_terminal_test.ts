/**
 * `terminal` items: a workflow's intended end states are not deadlocks, the
 * same spec without the marker still reports them (exit 1), a stuck state
 * the marker does not cover is still a deadlock, and the marker leaves the
 * compiled module unchanged.
 */
import assert from "node:assert/strict";
import { analyze } from "../lib/frontend.ts";
import { initialState } from "../lib/interpreter/interpreter.ts";
import { exploreSource } from "../lib/explore/model_checker.ts";
import { failed } from "../lib/explore/report.ts";
import { buildMeta } from "../lib/wasm/meta_build.ts";
import { buildCoreModule } from "../lib/wasm/codegen/codegen.ts";
import { specSource } from "../tools/harness/spec_files.ts";
import { vigilCheck, withSpec } from "./check_cli_run.ts";

/* A ticket: open -> assigned -> resolved, or closed from open; two end states. */
const TICKET = `spec Ticket
type Status = enum { open, assigned, resolved, closed }
type Agent = 0..2
state status: Status = open
state agent: Agent = 0
action assign(a: Agent)
  require status == open
  status := assigned
  agent := a
action resolve
  require status == assigned
  status := resolved
action close
  require status == open
  status := closed
`;
const MARKER = "terminal Done\n  status == resolved or status == closed\n";

Deno.test("a terminal workflow passes while the same spec without the marker reports its ends as deadlocks", async () => {
  // Ends: resolved with each of 3 agents, and closed (agent 0): 4 states.
  const marked = exploreSource(TICKET + MARKER).report!;
  assert.equal(marked.deadlockCount, 0);
  assert.deepEqual(marked.terminals, [
    { item: "terminal Done", line: 16, states: 4, error: null },
  ]);
  assert.equal(failed(marked), false);
  const plain = exploreSource(TICKET).report!;
  assert.equal(plain.deadlockCount, 4);
  assert.equal(failed(plain), true);
  await withSpec("ticket.vigil", TICKET + MARKER, async (path) => {
    const run = await vigilCheck([path, "-q"]);
    assert.equal(run.code, 0, run.stdout);
    assert.match(run.stdout, /\n {2}terminal {5}terminal Done \(line 16\): 4 end states/);
    assert.match(
      run.stdout,
      /checked {6}deadlock: states where no action is enabled and no terminal item holds/,
    );
  });
  await withSpec("ticket.vigil", TICKET, async (path) => {
    const run = await vigilCheck([path, "-q"]);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /DEADLOCK: no action is enabled after 1 steps/);
  });
});

Deno.test("a stuck state the terminal item does not cover is still a deadlock", () => {
  const stuck = TICKET.replace(
    "action resolve\n  require status == assigned",
    "action resolve\n  require status == assigned and agent != 2",
  );
  const report = exploreSource(stuck + MARKER).report!;
  assert.equal(report.deadlockCount, 1);
  assert.deepEqual(report.deadlocks[0]!.trace.at(-1)!.state, { status: "assigned", agent: 2 });
  assert.equal(report.terminals[0]!.states, 3); // resolved by agents 0 and 1, and closed
  assert.equal(failed(report), true);
});

Deno.test("a terminal item that never holds at an end, or fails arithmetically, is reported", () => {
  const never = exploreSource(TICKET + "terminal Never\n  status == assigned\n" + MARKER).report!;
  assert.deepEqual(never.terminals.map((t) => [t.item, t.states]), [
    ["terminal Never", 0],
    ["terminal Done", 4],
  ]);
  const broken = exploreSource(TICKET + "terminal Odd\n  10 / agent > 0\n" + MARKER).report!;
  const odd = broken.terminals[0]!;
  assert.match(odd.error ?? "", /10 \/ agent: overflow or division by zero \(line 17\)/);
  // With agent 0 the predicate fails and counts as false; Done still covers those ends.
  assert.equal(broken.deadlockCount, 0);
});

Deno.test("specs/order.vigil marks its closed orders terminal: no deadlock, and without the marker there are", () => {
  // A copy small enough to explore: amounts 0..2 instead of 0..1000000.
  const small = specSource("order").replace("const MaxAmount = 1000000", "const MaxAmount = 2");
  assert.match(small, /\n {2}terminal Closed\n/);
  const marked = exploreSource(small).report!;
  assert.equal(marked.complete, true);
  assert.equal(marked.deadlockCount, 0);
  assert.ok(marked.terminals[0]!.states > 0);
  assert.equal(failed(marked), false);
  const unmarked = exploreSource(small.replace(/\n {2}terminal Closed\n[^\n]*\n/, "\n")).report!;
  assert.equal(unmarked.deadlockCount, marked.terminals[0]!.states);
  assert.ok(unmarked.deadlocks.every((d) => {
    const status = d.trace.at(-1)!.state!.status;
    return status === "delivered" || status === "cancelled";
  }));
});

Deno.test("vigil check specs/order.vigil --const MaxAmount=3 checks a smaller model to the end and says so", async () => {
  const run = await vigilCheck(["specs/order.vigil", "--const", "MaxAmount=3", "-q"]);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /complete: every reachable state was explored/);
  assert.match(
    run.stdout,
    /constants: MaxAmount = 3 \(the spec says 1000000\); the report is about this model/,
  );
  assert.match(run.stdout, /terminal {5}terminal Closed \(line 72\): \d+ end states/);
  const unknown = await vigilCheck(["specs/order.vigil", "--const", "Max=3", "-q"]);
  assert.equal(unknown.code, 2);
  assert.match(
    unknown.stderr,
    /Constant 'Max' is not a 'const' item of the spec \(it has 'MaxAmount', 'MaxRefunds'\)/,
  );
  const malformed = await vigilCheck(["specs/order.vigil", "--const", "MaxAmount=many", "-q"]);
  assert.equal(malformed.code, 2);
  assert.match(malformed.stderr, /Invalid constant 'MaxAmount=many'/);
});

Deno.test("vigil check names the actions that try more than 100000 argument tuples per state", async () => {
  const run = await vigilCheck(["specs/order.vigil", "--max-depth", "1"]);
  assert.equal(run.code, 4, run.stderr);
  for (const action of ["setPrice", "pay", "refund"]) {
    assert.match(
      run.stderr,
      new RegExp(`action '${action}' tries 1000001 argument tuples in every state`),
    );
  }
  assert.doesNotMatch(run.stderr, /action '(ship|deliver|cancel)'/);
});

Deno.test("a terminal item leaves the compiled core module byte for byte the same", () => {
  const core = (source: string) => {
    const program = analyze(source).program!;
    return buildCoreModule(program, buildMeta(program, initialState(program).state)).wasm;
  };
  assert.deepEqual(core(TICKET + MARKER), core(TICKET));
});
