/**
 * Differential property test: for every spec in `specs/`, random action
 * sequences with random arguments (in range, out of range, fractional, NaN)
 * run through the compiled component's transpiled bindings and through the
 * reference interpreter; every verdict and every next state must agree, as
 * must `check`, local invariants, liveness bits and global checks. The
 * dispatchers (`dispatch-step`, `dispatch-check`) must agree with the
 * per-action exports (every other step goes through `dispatch-step`).
 *
 * Steps per spec: `VIGIL_DIFF_STEPS` (default 3000; `deno task test:long` runs 1M).
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import * as interp from "../lib/interpreter.ts";
import type { IParam, Program } from "../lib/ir.ts";
import { compileToTemp, specNames, specSource } from "./spec_files.ts";

const STEPS = Number(Deno.env.get("VIGIL_DIFF_STEPS") ?? "3000");
const RUN_LENGTH = 40;

/** Arguments for one parameter: mostly in its domain, sometimes not. */
function argArb(p: IParam): fc.Arbitrary<number> {
  const t = p.type;
  const [lo, hi] = t.kind === "bool"
    ? [0, 1]
    : t.kind === "enum"
    ? [0, t.labels.length - 1]
    : t.kind === "range"
    ? [Number(t.lo), Number(t.hi)]
    : [-1000, 1000];
  return fc.oneof(
    { weight: 12, arbitrary: fc.integer({ min: lo, max: hi }) },
    { weight: 1, arbitrary: fc.integer({ min: lo - 3, max: hi + 3 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        0.5,
        -0.5,
        NaN,
        Infinity,
        -Infinity,
        2 ** 53,
        -(2 ** 63),
        2 ** 63,
        1e300,
      ),
    },
  );
}

function commandArb(program: Program): fc.Arbitrary<{ action: number; args: number[] }> {
  return fc.oneof(
    ...program.actions.map((a, action) =>
      fc.tuple(...a.params.map(argArb)).map((args) => ({ action, args: args as number[] }))
    ),
  );
}

for (const name of specNames()) {
  Deno.test(`compiled ${name} agrees with the interpreter on random action sequences`, async () => {
    const { program, spec } = await compileToTemp(name, specSource(name));
    if (program.actions.length === 0) return;
    const init = interp.initialState(program);
    assert.equal(init.code, 0);
    const steps = { n: 0 };
    fc.assert(
      fc.property(
        fc.array(commandArb(program), { minLength: RUN_LENGTH / 2, maxLength: RUN_LENGTH }),
        (cmds) => {
          const inst = spec.create();
          let state = init.state;
          assert.deepEqual(spec.readSlots(inst), state);
          for (const { action, args } of cmds) {
            const checked = spec.checkFn(action)(inst, ...args);
            const expected = interp.step(program, state, action, args);
            assert.equal(checked, expected.code, `check ${program.actions[action]!.name}(${args})`);
            assert.deepEqual(spec.readSlots(inst), state, "check must not apply");
            const dispatched = spec.dispatchCheck!(inst, action, ...args);
            assert.equal(dispatched, checked, `dispatch-check ${program.actions[action]!.name}`);
            // Every other step goes through dispatch-step, which must agree with step-<a>.
            const code = steps.n % 2 === 1
              ? spec.dispatchStep!(inst, action, ...args)
              : spec.stepFn(action)(inst, ...args);
            assert.equal(code, expected.code, `step ${program.actions[action]!.name}(${args})`);
            state = expected.state;
            assert.deepEqual(
              spec.readSlots(inst),
              state,
              `state after ${program.actions[action]!.name}`,
            );
            assert.equal(spec.checkInvariants(inst), interp.checkInvariants(program, state));
            assert.equal(spec.liveness(inst), interp.liveness(program, state));
            steps.n++;
          }
          const unknown = program.actions.length;
          assert.equal(spec.dispatchStep!(inst, unknown), 1, "unknown action index");
          assert.equal(spec.dispatchCheck!(inst, unknown), 1, "unknown action index");
        },
      ),
      { numRuns: Math.ceil(STEPS / (RUN_LENGTH / 2)), seed: 0x5eed + name.length },
    );
    assert.ok(steps.n >= STEPS, `ran ${steps.n} steps`);
  });

  Deno.test(`compiled ${name} global checks agree with the interpreter`, async () => {
    const { program, spec } = await compileToTemp(name, specSource(name));
    if (program.actions.length === 0 || program.globalInvariants.length === 0) return;
    const init = interp.initialState(program).state;
    fc.assert(
      fc.property(
        fc.array(fc.array(commandArb(program), { maxLength: 12 }), { minLength: 0, maxLength: 5 }),
        (perNode) => {
          const first = spec.create(Math.max(1, perNode.length));
          const states = perNode.map((cmds, i) => {
            let s = init;
            for (const { action, args } of cmds) {
              s = interp.step(program, s, action, args).state;
              spec.stepFn(action)(first + i, ...args);
            }
            return s;
          });
          const n = perNode.length;
          assert.equal(spec.globalCheck(first, n), interp.globalCheck(program, states));
          assert.equal(spec.globalLiveness(first, n), interp.globalLiveness(program, states));
        },
      ),
      { numRuns: 300, seed: 0xc0ffee },
    );
  });
}

/** A random state whose every slot is within its variable's type (ints kept small). */
function stateArb(program: Program): fc.Arbitrary<bigint[]> {
  const slots: fc.Arbitrary<bigint>[] = [];
  for (const v of program.vars) {
    const t = v.type.kind === "map" ? v.type.value : v.type;
    const arb = t.kind === "bool"
      ? fc.bigInt({ min: 0n, max: 1n })
      : t.kind === "enum"
      ? fc.bigInt({ min: 0n, max: BigInt(t.labels.length - 1) })
      : t.kind === "range"
      ? fc.bigInt({ min: t.lo, max: t.hi })
      : fc.bigInt({ min: -4n, max: 4n });
    for (let i = 0; i < v.size; i++) slots.push(arb);
  }
  return fc.tuple(...slots);
}

for (const name of specNames()) {
  Deno.test(`compiled ${name} global checks agree with the interpreter on arbitrary states`, async () => {
    const { program, spec } = await compileToTemp(name, specSource(name));
    if (program.globalInvariants.length === 0 && program.globalLiveness.length === 0) return;
    let failures = 0;
    fc.assert(
      fc.property(fc.array(stateArb(program), { minLength: 0, maxLength: 4 }), (states) => {
        const first = spec.create(Math.max(1, states.length));
        states.forEach((s, i) => assert.equal(spec.writeSlots(first + i, s), 0));
        const code = interp.globalCheck(program, states);
        if (code !== 0) failures++;
        assert.equal(spec.globalCheck(first, states.length), code);
        assert.equal(
          spec.globalLiveness(first, states.length),
          interp.globalLiveness(program, states),
        );
        if (states.length > 0) {
          assert.equal(spec.checkInvariants(first), interp.checkInvariants(program, states[0]!));
        }
      }),
      { numRuns: 500, seed: 0xbadc0de },
    );
    if (program.globalInvariants.length > 0) {
      assert.ok(failures > 0, "no global violation was exercised");
    }
  });
}
