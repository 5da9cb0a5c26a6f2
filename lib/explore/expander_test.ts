import assert from "node:assert/strict";
import { analyze } from "../frontend.ts";
import { initialState } from "../interpreter/interpreter.ts";
import { buildMeta } from "../wasm/meta_build.ts";
import { buildCoreModule } from "../wasm/codegen/codegen.ts";
import { allArgTuples } from "./domains.ts";
import { VerdictTally } from "./verdict_tally.ts";
import { breadthFirst, expanderStates, type Exploration } from "./breadth_first.ts";
import { Expander, type ExpandExports } from "./expander.ts";
import { StateSet } from "./state_set.ts";
import { WasmStepper } from "./wasm_stepper.ts";

// specs/order.vigil and specs/account.vigil try too many argument tuples a state for a unit test.
const SPECS = ["mutex", "lease", "counter3", "toggle", "raft", "calc"];

function explore(
  source: string,
  batched: boolean,
  states?: number,
  outOfBounds?: (words: Uint32Array) => boolean,
): Exploration {
  const { program } = analyze(source);
  const meta = buildMeta(program!, initialState(program!).state);
  const stepper = new WasmStepper(buildCoreModule(program!, meta, { explore: true }).wasm, meta);
  const tuples = allArgTuples(program!, { lo: -2n, hi: 2n });
  const expander = batched ? stepper.expander(tuples, states ?? expanderStates(tuples)) : null;
  assert.equal(expander === null, !batched);
  const initial = stepper.block.slice(stepper.at, stepper.at + stepper.words);
  return breadthFirst(program!, stepper, tuples, initial, {
    states: new StateSet(stepper.words, 16),
    keepEdges: true,
    maxStates: 20_000,
    expander,
    ...(outOfBounds === undefined ? {} : { outOfBounds }),
  });
}

Deno.test("expanding batches in one call explores the example specs as stepping one by one does", async () => {
  for (const name of SPECS) {
    const source = await Deno.readTextFile(new URL(`../../specs/${name}.vigil`, import.meta.url));
    const one = explore(source, false);
    // The default batch, and one state a call (batches end inside levels).
    for (const states of [undefined, 1]) {
      const many = explore(source, true, states);
      const label = `${name}, ${states ?? "default"} states a call`;
      assert.equal(many.states.size, one.states.size, label);
      assert.equal(many.generated, one.generated, label);
      assert.deepEqual(many.parent, one.parent, label);
      assert.deepEqual(many.parentAction, one.parentAction, label);
      assert.deepEqual(many.parentTuple, one.parentTuple, label);
      assert.deepEqual(many.liveBits, one.liveBits, label);
      assert.deepEqual(many.edgeTarget, one.edgeTarget, label);
      assert.deepEqual(many.codeCounts, one.codeCounts, label);
      assert.deepEqual([...many.violations], [...one.violations], label);
      assert.deepEqual(many.deadlocks, one.deadlocks, label);
      assert.deepEqual(
        [many.deadlockCount, many.cutBy, many.maxLevel],
        [one.deadlockCount, one.cutBy, one.maxLevel],
        label,
      );
    }
  }
});

Deno.test("with states outside the bounds, expanding batches in one call explores as stepping one by one does", async () => {
  // Any predicate of the state's words: a state is left unexpanded where it holds.
  const outside = (words: Uint32Array) => (words[0]! ^ words[words.length - 1]!) % 3 === 1;
  let beyond = 0;
  for (const name of SPECS) {
    const source = await Deno.readTextFile(new URL(`../../specs/${name}.vigil`, import.meta.url));
    const one = explore(source, false, undefined, outside);
    const many = explore(source, true, undefined, outside);
    assert.equal(many.outOfBounds, one.outOfBounds, name);
    assert.deepEqual(
      [many.states.size, many.generated, many.expanded, many.deadlockCount],
      [one.states.size, one.generated, one.expanded, one.deadlockCount],
      name,
    );
    assert.deepEqual(many.parent, one.parent, name);
    assert.deepEqual(many.edgeStart, one.edgeStart, name);
    assert.deepEqual(many.edgeTarget, one.edgeTarget, name);
    assert.deepEqual(many.codeCounts, one.codeCounts, name);
    beyond += one.outOfBounds;
  }
  assert.ok(beyond > 0, "some states were outside");
});

Deno.test("a module built without explore: true has no expander, and an expander refuses too many states", () => {
  const { program } = analyze("spec C state n: 0..3 = 0 action inc require n < 3 n := n + 1");
  const meta = buildMeta(program!, initialState(program!).state);
  const tuples = allArgTuples(program!);
  const plain = new WasmStepper(buildCoreModule(program!, meta).wasm, meta);
  assert.equal(plain.expander(tuples, 4), null);
  const wasm = buildCoreModule(program!, meta, { explore: true }).wasm;
  const exports = new WebAssembly.Instance(new WebAssembly.Module(wasm as BufferSource)).exports;
  const x = new Expander(exports as unknown as ExpandExports, meta.stride / 4, tuples, 4);
  const tally = new VerdictTally(program!, tuples, 8);
  assert.throws(() => x.expand(5, tally), /Cannot expand '5' states at once \(room for 4\)/);
  assert.throws(
    () => new Expander(exports as unknown as ExpandExports, 2, tuples, 0),
    /Invalid number/,
  );
});
