import assert from "node:assert/strict";
import { analyze } from "../frontend.ts";
import { initialState } from "../interpreter/interpreter.ts";
import { buildMeta } from "../wasm/meta_build.ts";
import { buildCoreModule } from "../wasm/codegen/codegen.ts";
import { crossChecker, CrossCheckError } from "./cross_check.ts";
import { allArgTuples } from "./domains.ts";
import { breadthFirst } from "./breadth_first.ts";
import { StateSet } from "./state_set.ts";
import { WasmStepper } from "./wasm_stepper.ts";

function program(source: string) {
  const { program } = analyze(source);
  assert.ok(program);
  return program;
}

Deno.test("the cross-check fails when the module and the interpreted program differ", () => {
  const compiled = program("spec C state n: 0..3 = 0 action inc require n < 3 n := n + 1");
  const other = program("spec C state n: 0..3 = 0 action inc require n < 2 n := n + 1");
  const meta = buildMeta(compiled, initialState(compiled).state);
  const stepper = new WasmStepper(buildCoreModule(compiled, meta).wasm, meta);
  const tuples = allArgTuples(compiled);
  const states = new StateSet(stepper.words);
  const initial = stepper.block.slice(stepper.at, stepper.at + stepper.words);
  assert.throws(
    () =>
      breadthFirst(compiled, stepper, tuples, initial, {
        states,
        onTransition: crossChecker(other, meta, stepper, tuples, () => states),
      }),
    (e) => {
      assert.ok(e instanceof CrossCheckError);
      assert.equal(e.action, "inc");
      assert.deepEqual(e.state, [2n]);
      return true;
    },
  );
});
