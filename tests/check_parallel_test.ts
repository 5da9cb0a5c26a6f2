/**
 * The sharded (parallel) explorer agrees with the single-threaded one:
 * in-process shards for exact comparisons, and real Web Workers once.
 */
import assert from "node:assert/strict";
import { analyze } from "../lib/frontend.ts";
import { initialState } from "../lib/interpreter/interpreter.ts";
import { buildMeta } from "../lib/wasm/meta_build.ts";
import { buildCoreModule } from "../lib/wasm/codegen/codegen.ts";
import { exploreProgram } from "../lib/explore/model_checker.ts";
import { exploreShards, inProcessDrivers, workerDriver } from "../lib/explore/parallel.ts";
import { specSource } from "../tools/harness/spec_files.ts";

function setup(source: string) {
  const { program } = analyze(source);
  const meta = buildMeta(program!, initialState(program!).state);
  return { program: program!, meta, wasm: buildCoreModule(program!, meta).wasm };
}

const BUGGY_MUTEX = specSource("mutex").replace("turn := 1 - p", "turn := p");

for (
  const [name, source] of [
    ["toggle", specSource("toggle")],
    ["counter3", specSource("counter3")],
    ["mutex", specSource("mutex")],
    ["raft", specSource("raft")],
    ["buggy mutex", BUGGY_MUTEX],
    ["stuck counter", "spec S state n: 0..3 = 0 action inc require n < 3 n := n + 1"],
  ] as const
) {
  Deno.test(`parallel exploration of ${name} with 3 shards matches the single-threaded one`, async () => {
    const s = setup(source);
    const single = exploreProgram(s.program, { liveness: false });
    const par = await exploreShards(s.program, s.meta, inProcessDrivers(s, 3));
    assert.equal(par.distinctStates, single.distinctStates);
    assert.equal(par.statesGenerated, single.statesGenerated);
    assert.equal(par.depth, single.depth);
    assert.equal(par.transitionsTried, single.transitionsTried);
    assert.equal(par.complete, true);
    assert.deepEqual(
      par.violations.map((v) => [v.item, v.trace.length]),
      single.violations.map((v) => [v.item, v.trace.length]),
    );
    assert.equal(par.deadlockCount, single.deadlockCount);
    assert.deepEqual(
      par.deadlocks.map((d) => d.trace.length),
      single.deadlocks.map((d) => d.trace.length),
    );
    assert.deepEqual(par.neverEnabled, single.neverEnabled);
    assert.deepEqual(par.deadGuards, single.deadGuards);
  });
}

Deno.test("parallel exploration honours max-states and max-depth", async () => {
  const s = setup(specSource("lease"));
  const cut = await exploreShards(s.program, s.meta, inProcessDrivers(s, 2), { maxStates: 100 });
  assert.equal(cut.complete, false);
  assert.equal(cut.cutBy, "max-states");
  assert.ok(cut.distinctStates <= 100);
  const c = setup(specSource("counter3"));
  const shallow = await exploreShards(c.program, c.meta, inProcessDrivers(c, 2), { maxDepth: 3 });
  assert.equal(shallow.distinctStates, 4);
  assert.equal(shallow.cutBy, "max-depth");
});

Deno.test("parallel exploration in two Web Workers counts Peterson's 20 states", async () => {
  const s = setup(specSource("mutex"));
  const url = new URL("../lib/explore/worker.ts", import.meta.url);
  const drivers = [0, 1].map((part) =>
    workerDriver(new Worker(url, { type: "module" }), { ...s, part, parts: 2 })
  );
  const report = await exploreShards(s.program, s.meta, drivers);
  assert.equal(report.distinctStates, 20);
  assert.equal(report.statesGenerated, 35);
  assert.equal(report.complete, true);
});
