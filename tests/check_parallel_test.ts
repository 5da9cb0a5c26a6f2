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
import { exploreShards } from "../lib/explore/parallel.ts";
import { inProcessDrivers, workerDriver } from "../lib/explore/shard_driver.ts";
import { specSource } from "../tools/harness/spec_files.ts";

/** `explore`: the module has `explore-expand`, so the shards expand a chunk in one call. */
function setup(source: string, explore = false) {
  const { program } = analyze(source);
  const meta = buildMeta(program!, initialState(program!).state);
  return { program: program!, meta, wasm: buildCoreModule(program!, meta, { explore }).wasm };
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
    for (const explore of [false, true]) await matchesSingle(setup(source, explore));
  });
}

async function matchesSingle(s: ReturnType<typeof setup>): Promise<void> {
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
}

Deno.test("parallel exploration honours max-states and max-depth", async () => {
  for (const explore of [false, true]) {
    const s = setup(specSource("lease"), explore);
    const cut = await exploreShards(s.program, s.meta, inProcessDrivers(s, 2), { maxStates: 100 });
    assert.equal(cut.complete, false);
    assert.equal(cut.cutBy, "max-states");
    assert.ok(cut.distinctStates <= 100);
    const c = setup(specSource("counter3"), explore);
    const shallow = await exploreShards(c.program, c.meta, inProcessDrivers(c, 2), { maxDepth: 3 });
    assert.equal(shallow.distinctStates, 4);
    assert.equal(shallow.cutBy, "max-depth");
  }
});

/** `parts` shards, each in its own Web Worker (they run levels on their own, meeting at a barrier). */
function workerDrivers(s: ReturnType<typeof setup>, parts: number) {
  const url = new URL("../lib/explore/worker.ts", import.meta.url);
  return Array.from(
    { length: parts },
    (_, part) => workerDriver(new Worker(url, { type: "module" }), { ...s, part, parts }),
  );
}

Deno.test("Web Workers running levels on their own match the single-threaded explorer", async () => {
  for (const source of [specSource("raft"), BUGGY_MUTEX, specSource("counter3")]) {
    const s = setup(source);
    const single = exploreProgram(s.program, { liveness: false });
    let waits: number[] = [];
    const par = await exploreShards(s.program, s.meta, workerDrivers(s, 2), {
      onShardStats: (stats) => void (waits = stats.map((x) => x.waitMs)),
    });
    assert.deepEqual(
      [par.distinctStates, par.statesGenerated, par.depth, par.transitionsTried, par.complete],
      [single.distinctStates, single.statesGenerated, single.depth, single.transitionsTried, true],
    );
    assert.deepEqual(
      par.violations.map((v) => [v.item, v.trace.length]),
      single.violations.map((v) => [v.item, v.trace.length]),
    );
    assert.deepEqual(
      [par.deadlockCount, par.deadlocks.map((d) => d.trace.length)],
      [single.deadlockCount, single.deadlocks.map((d) => d.trace.length)],
    );
    assert.equal(waits.length, 2);
    assert.ok(waits.every((w) => Number.isFinite(w) && w >= 0), String(waits));
  }
});

Deno.test("Web Workers running levels stop at max-depth and max-states like the coordinator", async () => {
  const c = setup(specSource("counter3"));
  const single = exploreProgram(c.program, { liveness: false, maxDepth: 3 });
  const shallow = await exploreShards(c.program, c.meta, workerDrivers(c, 2), { maxDepth: 3 });
  assert.deepEqual(
    [shallow.distinctStates, shallow.cutBy, shallow.depth],
    [single.distinctStates, "max-depth", single.depth],
  );
  const s = setup(specSource("lease"));
  const cut = await exploreShards(s.program, s.meta, workerDrivers(s, 2), { maxStates: 100 });
  assert.equal(cut.cutBy, "max-states");
  assert.ok(cut.distinctStates <= 100, String(cut.distinctStates));
});

Deno.test("a single in-process shard runs every level on its own and matches the single-threaded explorer", async () => {
  const s = setup(specSource("raft"));
  const drivers = inProcessDrivers(s, 1);
  assert.ok(drivers[0]!.run !== undefined);
  assert.equal(inProcessDrivers(s, 2)[0]!.run, undefined);
  const single = exploreProgram(s.program, { liveness: false });
  const par = await exploreShards(s.program, s.meta, drivers);
  assert.deepEqual(
    [par.distinctStates, par.statesGenerated, par.depth, par.deadlockCount],
    [single.distinctStates, single.statesGenerated, single.depth, single.deadlockCount],
  );
});

Deno.test("a level larger than the set's room is driven by the coordinator, which grows the set", async () => {
  // 5^4 = 625 states in a set made for 16: the wide levels do not fit its
  // room, so the coordinator drives them (growing the set) between runs.
  const source = "spec G type I = 0..3 state c: map[I, 0..4] = 0 " +
    "action inc(i: I) require c[i] < 4 c[i] := c[i] + 1 " +
    "action dec(i: I) require c[i] > 0 c[i] := c[i] - 1";
  const s = setup(source);
  const single = exploreProgram(s.program, { liveness: false });
  let levels = 0;
  const par = await exploreShards(s.program, s.meta, workerDrivers(s, 2), {
    capacity: 16,
    onProgress: () => void levels++,
  });
  // Progress comes after every level the coordinator drives (and after each run).
  assert.ok(levels >= 2, String(levels));
  assert.deepEqual(
    [par.distinctStates, par.statesGenerated, par.depth],
    [single.distinctStates, single.statesGenerated, single.depth],
  );
  assert.equal(par.distinctStates, 625);
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
