import assert from "node:assert/strict";
import { analyze } from "../frontend.ts";
import { initialState } from "../interpreter/interpreter.ts";
import { buildMeta } from "../wasm/meta_build.ts";
import { buildCoreModule } from "../wasm/codegen/codegen.ts";
import type { Program } from "../ir.ts";
import { allArgTuples, type ArgTuples } from "./domains.ts";
import { breadthFirst } from "./breadth_first.ts";
import type { StateExpander } from "./expander.ts";
import { StateSet } from "./state_set.ts";
import { StepExpander } from "./step_expander.ts";
import { VerdictTally } from "./verdict_tally.ts";
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

/**
 * Expands `set`'s states `first..first+count` with `x`, read by a fresh
 * tally: the codes (`codes` gives those of the call), the successor
 * blocks, and what the tally read.
 */
function expandWith(
  x: StateExpander,
  codes: () => number[],
  program: Program,
  tuples: readonly ArgTuples[],
  set: StateSet,
  first: number,
  count: number,
) {
  for (let j = 0; j < count; j++) set.copyOut(first + j, x.block, x.srcAt + j * x.words);
  const tally = new VerdictTally(program, tuples, x.states);
  tally.begin(Int32Array.from({ length: count }, (_, j) => 1000 + first + j), 3);
  const made = x.expand(count, tally);
  const n = tally.successors;
  return {
    made,
    codes: codes(),
    successors: [...x.block.subarray(x.outAt, x.outAt + made * x.words)],
    tally: {
      n,
      parent: [...tally.parent.subarray(0, n)],
      action: [...tally.action.subarray(0, n)],
      tuple: [...tally.tuple.subarray(0, n)],
      dead: [...tally.dead.subarray(0, tally.deadCount)],
      counts: tally.codeCounts.map((c) => [...c]),
      violations: [...tally.violations.values()],
    },
  };
}

Deno.test("a StepExpander writes the codes and successors the module's explore-expand writes, and its tally reads the same", async () => {
  for (const name of ["mutex", "calc", "raft"]) {
    const { program, stepper, tuples, module, set } = await fixture(name, 16);
    // The StepExpander's codes, as its hook sees them; the module's, in its memory.
    const seen: number[] = [];
    const stepped = new StepExpander(stepper, tuples, 16, {
      onTransition: (_j, _a, _t, code) => seen.push(code),
    });
    const stepCodes = () => [...seen.splice(0)];
    const moduleCodes = (count: number) => () => [
      ...module.codes.subarray(module.codesAt, module.codesAt + count * module.perState),
    ];
    assert.equal(stepped.perState, module.perState, name);
    let successors = 0, codesRead = 0;
    // Full batches, and a short one at the end.
    for (let first = 0; first < set.size; first += 16) {
      const count = Math.min(16, set.size - first);
      const a = expandWith(stepped, stepCodes, program, tuples, set, first, count);
      const b = expandWith(module, moduleCodes(count), program, tuples, set, first, count);
      assert.equal(a.codes.length, count * stepped.perState, name);
      assert.deepEqual(a, b, `${name}, states ${first} to ${first + count}`);
      // The tally read every state's codes: as many successors as ok codes, every code counted.
      assert.equal(a.tally.n, a.made, name);
      const counted = a.tally.counts.flat().reduce((x, y) => x + y, 0);
      assert.equal(counted, count * stepped.perState, name);
      successors += a.made, codesRead += counted;
    }
    assert.ok(successors > 0 && codesRead > successors, name);
  }
});

Deno.test("a StepExpander tells onTransition each transition while the stepper holds its successor", async () => {
  const { program, stepper, tuples, set } = await fixture("mutex", 4);
  const seen: string[] = [];
  const x = new StepExpander(stepper, tuples, 4, {
    onTransition: (position, action, tuple, code) => {
      seen.push(`${position} ${action} ${tuple} ${code} ${stepper.block[stepper.at]}`);
    },
  });
  // The hook's codes are the ones the tally read: as many ok as successors, each counted once.
  const hookCodes = () => seen.map((line) => Number(line.split(" ")[3]));
  const { made, codes, successors, tally } = expandWith(x, hookCodes, program, tuples, set, 0, 3);
  assert.equal(seen.length, 3 * x.perState);
  assert.equal(codes.filter((c) => c === 0).length, tally.n);
  const counted = new Map<number, number>();
  for (const c of codes) counted.set(c, (counted.get(c) ?? 0) + 1);
  for (const [c, times] of counted) {
    assert.equal(tally.counts.reduce((sum, perAction) => sum + perAction[c]!, 0), times);
  }
  let k = 0;
  for (let c = 0; c < codes.length; c++) {
    const [position, action, tuple, code, word] = seen[c]!.split(" ").map(Number);
    assert.equal(position, Math.floor(c / x.perState));
    // An ok step's origin is what the tally lists for that successor.
    if (code === 0) assert.deepEqual([tally.action[k], tally.tuple[k]], [action, tuple]);
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
  const tally = new VerdictTally(program, allArgTuples(program), 8);
  tally.begin(new Int32Array(8), 0);
  assert.throws(() => x.expand(5, tally), /Cannot expand '5' states at once \(room for 4\)/);
  assert.throws(() => new StepExpander(stepper, allArgTuples(program), 0), /Invalid number/);
  assert.equal(x.expand(0, tally), 0);
  assert.equal(tally.successors, 0);
});
