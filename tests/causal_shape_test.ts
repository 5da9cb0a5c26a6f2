/**
 * The exclusion shape of global invariants (`SpecMeta.globalShape`,
 * `lib/wasm/meta_build.ts`) and the causal judge's use of it
 * (`edge/engine/causal/cut_search.ts`): for a spec of that shape an
 * interval whose state does not satisfy the invariants' predicate is not
 * searched; a spec of any other shape is searched for every interval.
 */
import assert from "node:assert/strict";
import { analyze } from "../lib/frontend.ts";
import { globalShape } from "../lib/wasm/meta_build.ts";
import { compileToTemp, specSource } from "../tools/harness/spec_files.ts";
import { createCollector } from "../edge/engine/collector.ts";
import type { CompiledSpec } from "../lib/abi/compiled.ts";
import type { DecodedBatch } from "../lib/wire/event.ts";

const T = 1_700_000_000_000;

/** A spec with bool variables `m` and `t`, an action setting each, and global invariant `inv`. */
function pairSource(inv: string): string {
  return "spec Pair\n  state m: bool = false\n  state t: bool = false\n" +
    "  action setM\n    m := true\n  action setT\n    t := true\n" +
    `  global invariant G\n    ${inv}\n`;
}

Deno.test("Only global invariants of the form forall a, b in nodes: P(a) and P(b) implies a == b are marked as exclusion", () => {
  const shape = (source: string) => {
    const program = analyze(source).program;
    assert.ok(program !== null, source);
    return globalShape(program);
  };
  assert.equal(shape(specSource("lease")), "exclusion");
  for (const name of ["raft", "calc", "mutex", "counter3"]) {
    assert.equal(shape(specSource(name)), undefined, name);
  }
  const pair = (inv: string) => shape(pairSource(inv));
  assert.equal(pair("forall a, b in nodes: a.m and b.m implies a == b"), "exclusion");
  assert.equal(
    pair("forall a, b in nodes: a.m and not a.t and b.m and not b.t implies a == b"),
    undefined,
  );
  assert.equal(
    pair("forall a, b in nodes: (a.m and not a.t) and (b.m and not b.t) implies b == a"),
    "exclusion",
  );
  // Not the same predicate on both sides, or one side reads the other node.
  assert.equal(pair("forall a, b in nodes: a.m and b.t implies a == b"), undefined);
  assert.equal(pair("forall a, b in nodes: a.m and b.m == a.t implies a == b"), undefined);
  assert.equal(pair("forall a, b in nodes: a.m or b.m implies a == b"), undefined);
  assert.equal(pair("forall a, b in nodes: a.m and b.m implies a != b"), undefined);
  assert.equal(pair("exists a in nodes: a.m"), undefined);
});

/** Compiles `source` and gives the state after each of `actions` from the initial one. */
async function compiled(name: string, source: string) {
  const { spec } = await compileToTemp(name, source);
  const stateAfter = (actions: string[]) => {
    const inst = spec.create();
    for (const a of actions) assert.equal(spec.stepFn(spec.actionIndex(a))(inst), 0, a);
    return spec.stateBytes(inst);
  };
  return { spec, stateAfter };
}

/** One batch of node `node`: its events `[wall, action, state]` in order. */
function batchOf(
  spec: CompiledSpec,
  node: string,
  events: readonly (readonly [number, string, Uint8Array])[],
): DecodedBatch {
  return {
    version: 1,
    spec: spec.meta.sourceHash,
    specName: spec.meta.name,
    node,
    boot: "boot-1",
    firstSeq: 0,
    dropped: [],
    events: events.map(([wall, action, state], seq) => ({
      key: "k",
      wall: T + wall,
      logical: 0,
      action: spec.actionIndex(action),
      args: [],
      state,
      verdict: 0,
      seq,
    })),
  };
}

Deno.test("A spec not of the exclusion shape is searched for every interval: a node whose state passes with itself still meets another one's", async () => {
  const { spec, stateAfter } = await compiled(
    "pair_mt",
    pairSource("forall a, b in nodes: a.m and b.t implies a == b"),
  );
  assert.equal(spec.meta.globalShape, undefined);
  const collector = createCollector({ specs: [spec], now: () => T, maxSkewMs: 500, windowMs: 0 });
  // B's t and A's m are concurrent (no message): the cut of both fails, though each state passes with itself.
  collector.ingest(batchOf(spec, "B", [[1_000, "setT", stateAfter(["setT"])]]));
  collector.ingest(batchOf(spec, "A", [[1_100, "setM", stateAfter(["setM"])]]));
  collector.flush();
  const v = collector.violations();
  assert.equal(v.length, 1, "the concurrent m and t are one violation");
  assert.deepEqual([...v[0]!.nodes].sort(), ["A", "B"]);
});

Deno.test("An exclusion spec skips the intervals that do not satisfy its predicate and still finds the pair that does", async () => {
  const { spec, stateAfter } = await compiled(
    "pair_mm",
    pairSource("forall a, b in nodes: a.m and b.m implies a == b"),
  );
  assert.equal(spec.meta.globalShape, "exclusion");
  const collector = createCollector({ specs: [spec], now: () => T, maxSkewMs: 500, windowMs: 0 });
  // C's setT starts an interval of its own (its state changed), judged between A's and B's m: not searched.
  collector.ingest(batchOf(spec, "A", [[1_000, "setM", stateAfter(["setM"])]]));
  collector.ingest(batchOf(spec, "C", [[1_050, "setT", stateAfter(["setT"])]]));
  collector.ingest(batchOf(spec, "B", [[1_100, "setM", stateAfter(["setM"])]]));
  collector.flush();
  const v = collector.violations();
  assert.equal(v.length, 1);
  assert.deepEqual([...v[0]!.nodes].sort(), ["A", "B"]);
});
