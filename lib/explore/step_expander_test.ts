import assert from "node:assert/strict";
import { analyze } from "../frontend.ts";
import { initialState } from "../interpreter/interpreter.ts";
import { buildMeta } from "../wasm/meta_build.ts";
import { buildCoreModule } from "../wasm/codegen/codegen.ts";
import { allArgTuples } from "./domains.ts";
import { breadthFirst } from "./breadth_first.ts";
import type { StateExpander } from "./expander.ts";
import { StateSet } from "./state_set.ts";
import { StepExpander } from "./step_expander.ts";
import { WasmStepper } from "./wasm_stepper.ts";

/** A spec's first reachable states, its stepper, and its module's own expander. */
async function fixture(name: string, states: number) {
  const source = await Deno.readTextFile(new URL(`../../specs/${name}.vigil`, import.meta.url));
  const program = analyze(source).program!;
  const meta = buildMeta(program, initialState(program).state);
  const stepper = new WasmStepper(buildCoreModule(program, meta, { explore: true }).wasm, meta);
  const tuples = allArgTuples(program, { lo: -2n, hi: 2n });
  const module = stepper.expander(tuples, states)!;
  const initial = stepper.block.slice(stepper.at, stepper.at + stepper.words);
  const set = new StateSet(stepper.words, 16);
  breadthFirst(program, stepper, tuples, initial, { states: set, maxStates: 200 });
  return { program, stepper, tuples, module, set };
}

/** Expands `set`'s states `first..first+count` with `x`: the codes and the successor blocks. */
function expandWith(x: StateExpander, set: StateSet, first: number, count: number) {
  for (let j = 0; j < count; j++) set.copyOut(first + j, x.block, x.srcAt + j * x.words);
  const made = x.expand(count);
  return {
    made,
    codes: [...x.codes.subarray(x.codesAt, x.codesAt + count * x.perState)],
    successors: [...x.block.subarray(x.outAt, x.outAt + made * x.words)],
  };
}

Deno.test("a StepExpander writes the codes and successors the module's explore-expand writes", async () => {
  for (const name of ["mutex", "calc", "raft"]) {
    const { stepper, tuples, module, set } = await fixture(name, 16);
    const stepped = new StepExpander(stepper, tuples, 16);
    assert.equal(stepped.perState, module.perState, name);
    let successors = 0;
    // Full batches, and a short one at the end.
    for (let first = 0; first < set.size; first += 16) {
      const count = Math.min(16, set.size - first);
      const a = expandWith(stepped, set, first, count), b = expandWith(module, set, first, count);
      assert.deepEqual(a, b, `${name}, states ${first} to ${first + count}`);
      successors += a.made;
    }
    assert.ok(successors > 0, name);
  }
});

Deno.test("a StepExpander tells onTransition each transition while the stepper holds its successor", async () => {
  const { stepper, tuples, set } = await fixture("mutex", 4);
  const seen: string[] = [];
  const x = new StepExpander(stepper, tuples, 4, {
    onTransition: (position, action, tuple, code) => {
      seen.push(`${position} ${action} ${tuple} ${code} ${stepper.block[stepper.at]}`);
    },
  });
  const { made, codes, successors } = expandWith(x, set, 0, 3);
  assert.equal(seen.length, 3 * x.perState);
  let k = 0;
  for (let c = 0; c < codes.length; c++) {
    const [position, , , code, word] = seen[c]!.split(" ").map(Number);
    assert.equal(position, Math.floor(c / x.perState));
    assert.equal(code, codes[c]);
    // An ok step's successor is in the stepper when the hook runs: its first word.
    if (code === 0) assert.equal(word, successors[x.words * k++]);
  }
  assert.equal(k, made);
});

Deno.test("a StepExpander refuses too many states, and a batch of none", () => {
  const program = analyze("spec C state n: 0..3 = 0 action inc require n < 3 n := n + 1").program!;
  const meta = buildMeta(program, initialState(program).state);
  const stepper = new WasmStepper(buildCoreModule(program, meta).wasm, meta);
  const x = new StepExpander(stepper, allArgTuples(program), 4);
  assert.throws(() => x.expand(5), /Cannot expand '5' states at once \(room for 4\)/);
  assert.throws(() => new StepExpander(stepper, allArgTuples(program), 0), /Invalid number/);
  assert.equal(x.expand(0), 0);
});
