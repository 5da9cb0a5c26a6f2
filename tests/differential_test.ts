/**
 * Differential property test: for every spec in `specs/`, random action
 * sequences with random arguments (in range, out of range, fractional, NaN)
 * run through the compiled component's transpiled bindings and through the
 * reference interpreter; every verdict and every next state must agree, as
 * must `check`, local invariants, liveness bits and global checks. The
 * dispatchers (`dispatch-step`, `dispatch-check`) must agree with the
 * per-action exports (every other step goes through `dispatch-step`).
 *
 * Agreement on verdicts that never occur proves nothing, so the generation
 * is steered and the coverage is asserted:
 * - runs start from the initial state or from an arbitrary in-type state
 *   (where invariants fail and sums overflow);
 * - most commands are picked among those the interpreter accepts (with
 *   arguments drawn from the type bounds and the current state's values), so
 *   traces go deep; the rest are raw random commands, refused in every way;
 * - global traces either walk each node independently or replay one walk on
 *   every node (identical monitors are what global invariants forbid).
 * Each test then asserts that every `require` was refused, every parameter
 * rejected, every local invariant that does not use `prev` failed, every
 * global invariant failed and passed, every liveness bit was seen set and
 * clear, and that the verdict kinds hit are exactly those a reading of the
 * spec says it can produce. Global tests exist only for specs with global
 * items, and a test checks that set against the spec sources.
 *
 * Steps per spec: `VIGIL_DIFF_STEPS` (default 3000; `deno task test:long` runs 1M).
 */
import assert from "node:assert/strict";
import fc from "../tools/dev_deps/fast_check.ts";
import type { CompiledSpec } from "../lib/abi/mod.ts";
import { analyze } from "../lib/frontend.ts";
import * as interp from "../lib/interpreter/interpreter.ts";
import type { IParam, Program, Type } from "../lib/ir.ts";
import type { VerdictKind } from "../lib/abi/verdict_codes.ts";
import { compileToTemp, specNames, specSource } from "../tools/harness/spec_files.ts";

const STEPS = Number(Deno.env.get("VIGIL_DIFF_STEPS") ?? "3000");
const RUN_LENGTH = 40;
/** Percent of commands picked among the candidates the interpreter accepts. */
const ACCEPTED_PERCENT = 60;
/** Up to this percent, commands are picked among the candidates it refuses; the rest are raw. */
const REFUSED_PERCENT = 80;

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

/**
 * The step verdict kinds each spec can produce from some in-type state, read
 * from its source (an independent oracle: the test fails when a kind listed
 * here is never hit, or when a kind not listed is hit).
 */
const STEP_KINDS: Readonly<Record<string, readonly VerdictKind[]>> = {
  // deposit overflows a huge balance; withdraw's guards keep withdrawn in range.
  account: ["ok", "guard_failed", "bad_argument", "invariant_failed", "arith_error"],
  // every operation on an int can overflow or divide by zero; store/shift leave Small.
  calc: [
    "ok",
    "guard_failed",
    "bad_argument",
    "invariant_failed",
    "arith_error",
    "range_violation",
  ],
  // tick keeps n within 0..7 and arithmetic on it cannot overflow.
  counter3: ["ok", "invariant_failed"],
  // token + 1 overflows a huge token; owner := c is always a Client.
  lease: ["ok", "guard_failed", "bad_argument", "invariant_failed", "arith_error"],
  mutex: ["ok", "guard_failed", "bad_argument", "invariant_failed"],
  order: ["ok", "guard_failed", "bad_argument", "invariant_failed"],
  raft: ["ok", "guard_failed", "bad_argument", "invariant_failed"],
  toggle: ["ok"],
};

interface SpecCase {
  readonly name: string;
  readonly source: string;
  readonly program: Program;
}

const SPECS: readonly SpecCase[] = specNames().map((name) => {
  const source = specSource(name);
  const { program, diagnostics } = analyze(source);
  if (program === null) {
    throw new Error(`Spec '${name}' does not check: ${diagnostics[0]?.message}`);
  }
  return { name, source, program };
});

const GLOBAL_SPECS = SPECS.filter(({ program: p }) =>
  p.globalInvariants.length + p.globalLiveness.length > 0
);

interface Command {
  readonly action: number;
  readonly args: number[];
}

/** One step of a walk: `steer` picks accepted, refused or raw (see {@link commandFor}). */
interface Choice {
  readonly steer: number;
  readonly pick: number;
  readonly raw: Command;
}

/** Arguments for one parameter: mostly in its domain, sometimes not. */
function argArb(p: IParam): fc.Arbitrary<number> {
  const [lo, hi] = paramBounds(p);
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

function paramBounds(p: IParam): [number, number] {
  const t = p.type;
  if (t.kind === "bool") return [0, 1];
  if (t.kind === "enum") return [0, t.labels.length - 1];
  if (t.kind === "range") return [Number(t.lo), Number(t.hi)];
  return [-1000, 1000];
}

function commandArb(program: Program): fc.Arbitrary<Command> {
  return fc.oneof(
    ...program.actions.map((a, action) =>
      fc.tuple(...a.params.map(argArb)).map((args) => ({ action, args: args as number[] }))
    ),
  );
}

function choiceArb(program: Program): fc.Arbitrary<Choice> {
  return fc.record({ steer: fc.nat(99), pick: fc.nat(), raw: commandArb(program) });
}

/**
 * Values worth trying for a parameter in `state`: its whole domain when
 * small, else its bounds, small numbers, and the state's values and the
 * spec's constants (and their neighbours) that fit, so guards such as
 * `amount == price` or `withdrawn[atm] + amount <= AtmLimit` go both ways.
 */
function candidateValues(
  p: IParam,
  state: readonly bigint[],
  consts: readonly bigint[],
): number[] {
  const [lo, hi] = paramBounds(p);
  if (p.type.kind !== "int" && hi - lo < 16) {
    return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
  }
  const out = new Set<number>([lo, lo + 1, hi - 1, hi, -1, 0, 1, 2, 7, 1000, 1_000_000]);
  const near = [...state, ...consts];
  for (const s of near) for (const d of [-1n, 0n, 1n]) out.add(Number(s + d));
  const fits = (v: number) =>
    Number.isSafeInteger(v) && (p.type.kind === "int" || v >= lo && v <= hi);
  return [...out].filter(fits);
}

/** The candidate argument lists of action `action` in `state` (a product over candidate values). */
function candidateArgs(program: Program, action: number, state: readonly bigint[]): number[][] {
  const consts = program.consts.map((c) => c.value);
  let tuples: number[][] = [[]];
  for (const p of program.actions[action]!.params) {
    const values = candidateValues(p, state, consts);
    tuples = tuples.flatMap((t) => values.map((v) => [...t, v]));
  }
  return tuples;
}

/**
 * The command `choice` stands for in `state`: below {@link ACCEPTED_PERCENT}
 * a candidate the interpreter accepts, then up to {@link REFUSED_PERCENT}
 * one it refuses, else the raw random command. The action is picked first
 * (the next one when none of its candidates has the wanted verdict), then
 * its candidates are tried from a picked offset; when no action has such a
 * candidate, the raw command.
 */
function commandFor(program: Program, state: readonly bigint[], choice: Choice): Command {
  if (choice.steer >= REFUSED_PERCENT) return choice.raw;
  const accepted = choice.steer < ACCEPTED_PERCENT;
  const n = program.actions.length;
  for (let i = 0; i < n; i++) {
    const action = (choice.pick + i) % n;
    const list = candidateArgs(program, action, state);
    const start = Math.floor(choice.pick / n) % list.length;
    for (let j = 0; j < list.length; j++) {
      const args = list[(start + j) % list.length]!;
      if ((interp.check(program, state, action, args) === 0) === accepted) return { action, args };
    }
  }
  return choice.raw;
}

/**
 * A random state whose every slot is within its variable's type. Each
 * variable leans low, high or neither: its ranges then mostly take their
 * lowest or highest values (sums over a map reach their limits), its ints
 * values near the 64-bit bounds (arithmetic overflows); otherwise ranges
 * take any value, an edge or a value next to a spec constant, and ints stay
 * small.
 */
function stateArb(program: Program): fc.Arbitrary<bigint[]> {
  const consts = program.consts.map((c) => c.value);
  const small = fc.bigInt({ min: -8n, max: 8n });
  const slotArb = (t: Type, lean: "low" | "high" | "none"): fc.Arbitrary<bigint> => {
    if (t.kind === "int") {
      if (lean === "none") return small;
      const edge = lean === "high"
        ? fc.bigInt({ min: I64_MAX - 2n, max: I64_MAX })
        : fc.bigInt({ min: I64_MIN, max: I64_MIN + 2n });
      return fc.oneof({ weight: 1, arbitrary: edge }, { weight: 2, arbitrary: small });
    }
    const [lo, hi] = t.kind === "bool"
      ? [0n, 1n]
      : t.kind === "enum"
      ? [0n, BigInt(t.labels.length - 1)]
      : t.kind === "range"
      ? [t.lo, t.hi]
      : [0n, 0n];
    const any = fc.bigInt({ min: lo, max: hi });
    const clip = (v: bigint) => v < lo ? lo : v > hi ? hi : v;
    if (lean !== "none") {
      const end = lean === "high" ? [hi, clip(hi - 1n)] : [lo, clip(lo + 1n)];
      return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...end) }, {
        weight: 1,
        arbitrary: any,
      });
    }
    const near = consts.flatMap((c) => [c - 1n, c, c + 1n]).filter((v) => v >= lo && v <= hi);
    return fc.oneof(any, fc.constantFrom(lo, hi, clip(lo + 1n), clip(hi - 1n), ...near));
  };
  const leans = fc.constantFrom("low" as const, "high" as const, "none" as const);
  const vars = program.vars.map((v) =>
    leans.chain((lean) => {
      const arb = slotArb(v.type.kind === "map" ? v.type.value : v.type, lean);
      return fc.array(arb, { minLength: v.size, maxLength: v.size });
    })
  );
  return fc.tuple(...vars).map((slots) => slots.flat());
}

/** Tallies the verdicts and liveness bits a test exercised. */
class Coverage {
  readonly #program: Program;
  readonly #codes = new Set<number>();
  readonly #bitsSet = new Set<number>();
  readonly #bitsClear = new Set<number>();

  constructor(program: Program) {
    this.#program = program;
  }

  code(code: number): void {
    this.#codes.add(code);
  }

  bits(mask: number, items: number): void {
    for (let b = 0; b < 2 * items; b++) {
      ((mask >>> b) & 1 ? this.#bitsSet : this.#bitsClear).add(b);
    }
  }

  /** The codes among `codes` never seen, described. */
  missing(codes: readonly number[]): string[] {
    return codes.filter((c) => !this.#codes.has(c)).map((c) => this.describe(c));
  }

  /** The liveness bits never seen set, and never seen clear, of `items` items. */
  missingBits(items: number): string[] {
    const out: string[] = [];
    for (let b = 0; b < 2 * items; b++) {
      const what = `item ${b >> 1} ${b & 1 ? "eventually" : "when"}`;
      if (!this.#bitsSet.has(b)) out.push(`${what} never held`);
      if (!this.#bitsClear.has(b)) out.push(`${what} always held`);
    }
    return out;
  }

  /** The verdict kinds seen, sorted. */
  kinds(): VerdictKind[] {
    const kinds = new Set([...this.#codes].map((c) => this.#program.verdicts[c]!.kind));
    return [...kinds].sort();
  }

  describe(code: number): string {
    const v = this.#program.verdicts[code];
    return v === undefined ? `code ${code}` : `${v.kind} ${v.item} ${v.detail}`;
  }
}

Deno.test("the step kinds table covers exactly the specs in specs/", () => {
  assert.deepEqual(Object.keys(STEP_KINDS).sort(), SPECS.map((s) => s.name));
  assert.ok(SPECS.length >= 8, `only ${SPECS.length} specs`);
});

Deno.test("global differential tests cover exactly the specs that declare global items", () => {
  const declared = SPECS.filter((s) => /^\s*global\s+(invariant|liveness)\b/m.test(s.source));
  assert.deepEqual(GLOBAL_SPECS.map((s) => s.name), declared.map((s) => s.name));
  assert.ok(GLOBAL_SPECS.length >= 3, `only ${GLOBAL_SPECS.length} specs with global items`);
});

/** Steps `cmd` through the component and the interpreter, asserting they agree; returns the next state. */
function stepBoth(
  { program, spec, inst, state, viaDispatch }: {
    program: Program;
    spec: CompiledSpec;
    inst: number;
    state: bigint[];
    viaDispatch: boolean;
  },
  { action, args }: Command,
): { code: number; state: bigint[] } {
  const name = program.actions[action]!.name;
  const checked = spec.checkFn(action)(inst, ...args);
  const expected = interp.step(program, state, action, args);
  assert.equal(checked, expected.code, `check ${name}(${args})`);
  assert.deepEqual(spec.readSlots(inst), state, "check must not apply");
  assert.equal(spec.dispatchCheck!(inst, action, ...args), checked, `dispatch-check ${name}`);
  const code = viaDispatch
    ? spec.dispatchStep!(inst, action, ...args)
    : spec.stepFn(action)(inst, ...args);
  assert.equal(code, expected.code, `step ${name}(${args})`);
  assert.deepEqual(spec.readSlots(inst), expected.state, `state after ${name}`);
  return expected;
}

for (const { name, program } of SPECS) {
  Deno.test(`compiled ${name} agrees with the interpreter on random action sequences, every verdict kind exercised`, async () => {
    assert.ok(program.actions.length > 0, `${name} declares no action`);
    const { spec } = await compileToTemp(name, specSource(name));
    const init = interp.initialState(program);
    assert.equal(init.code, 0);
    const coverage = new Coverage(program);
    const steps = { n: 0 };
    fc.assert(
      fc.property(
        fc.option(stateArb(program), { freq: 2 }),
        fc.array(choiceArb(program), { minLength: RUN_LENGTH / 2, maxLength: RUN_LENGTH }),
        (start, choices) => {
          const inst = spec.create();
          let state = init.state;
          if (start !== null) {
            assert.equal(spec.writeSlots(inst, start), 0, "an in-type state is written");
            state = start;
          }
          assert.deepEqual(spec.readSlots(inst), state);
          for (const choice of choices) {
            const cmd = commandFor(program, state, choice);
            const viaDispatch = steps.n % 2 === 1;
            const next = stepBoth({ program, spec, inst, state, viaDispatch }, cmd);
            coverage.code(next.code);
            state = next.state;
            const invariants = interp.checkInvariants(program, state);
            assert.equal(spec.checkInvariants(inst), invariants);
            coverage.code(invariants);
            const bits = interp.liveness(program, state);
            assert.equal(spec.liveness(inst), bits);
            coverage.bits(bits, program.liveness.length);
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
    const guards = program.actions.flatMap((a) => a.requires.map((r) => r.code));
    assert.deepEqual(coverage.missing(guards), [], "requires never refused");
    const params = program.actions.flatMap((a) => a.params.map((p) => p.code));
    assert.deepEqual(coverage.missing(params), [], "parameters never rejected");
    assert.deepEqual(coverage.missingBits(program.liveness.length), [], "liveness bits");
    assert.deepEqual(coverage.kinds(), [...STEP_KINDS[name]!].sort(), "verdict kinds hit");
  });
}

const LOCAL_SPECS = SPECS.filter(({ program: p }) => p.invariants.length + p.liveness.length > 0);

Deno.test("local state tests cover exactly the specs that declare invariants or liveness", () => {
  const declared = SPECS.filter((s) => /^\s*(invariant|liveness)\b/m.test(s.source));
  assert.deepEqual(LOCAL_SPECS.map((s) => s.name), declared.map((s) => s.name));
  assert.ok(LOCAL_SPECS.length >= 7, `only ${LOCAL_SPECS.length} specs with local properties`);
});

for (const { name, program } of LOCAL_SPECS) {
  Deno.test(`compiled ${name} local invariants and liveness agree with the interpreter on arbitrary states, each failing`, async () => {
    const { spec } = await compileToTemp(name, specSource(name));
    const coverage = new Coverage(program);
    const inst = spec.create();
    fc.assert(
      fc.property(stateArb(program), (state) => {
        assert.equal(spec.writeSlots(inst, state), 0, "an in-type state is written");
        const code = interp.checkInvariants(program, state);
        assert.equal(spec.checkInvariants(inst), code);
        coverage.code(code);
        const bits = interp.liveness(program, state);
        assert.equal(spec.liveness(inst), bits);
        coverage.bits(bits, program.liveness.length);
      }),
      { numRuns: 1000, seed: 0x10ca1 + name.length },
    );
    // With prev(x) = x an invariant over prev may hold on every state; the others must each fail.
    const failing = program.invariants.filter((i) => !i.usesPrev).map((i) => i.code);
    assert.deepEqual(coverage.missing([0, ...failing]), [], "invariant verdicts never exercised");
    assert.deepEqual(coverage.missingBits(program.liveness.length), [], "liveness bits");
  });
}

/** Asserts that `coverage` saw a pass, every global invariant fail and every global liveness bit both ways. */
function assertGlobalCoverage(program: Program, coverage: Coverage): void {
  const codes = program.globalInvariants.map((i) => i.code);
  assert.deepEqual(coverage.missing([0, ...codes]), [], "global verdicts never exercised");
  assert.deepEqual(coverage.missingBits(program.globalLiveness.length), [], "global liveness bits");
}

/** Per-node walks: independent, or one walk replayed on every node. */
function nodeWalksArb(program: Program): fc.Arbitrary<Choice[][]> {
  const walk = fc.array(choiceArb(program), { maxLength: 16 });
  return fc.oneof(
    fc.array(walk, { minLength: 0, maxLength: 5 }),
    fc.tuple(walk, fc.integer({ min: 2, max: 5 })).map(([w, n]) => Array(n).fill(w)),
  );
}

for (const { name, program } of GLOBAL_SPECS) {
  Deno.test(`compiled ${name} global checks agree with the interpreter on walked traces, every verdict exercised`, async () => {
    const { spec } = await compileToTemp(name, specSource(name));
    const init = interp.initialState(program).state;
    const coverage = new Coverage(program);
    fc.assert(
      fc.property(nodeWalksArb(program), (walks) => {
        const first = spec.create(Math.max(1, walks.length));
        const states = walks.map((choices, i) => {
          let state = init;
          for (const choice of choices) {
            const cmd = commandFor(program, state, choice);
            const inst = first + i;
            state = stepBoth({ program, spec, inst, state, viaDispatch: false }, cmd).state;
          }
          return state;
        });
        const n = walks.length;
        const code = interp.globalCheck(program, states);
        assert.equal(spec.globalCheck(first, n), code);
        coverage.code(code);
        const bits = interp.globalLiveness(program, states);
        assert.equal(spec.globalLiveness(first, n), bits);
        coverage.bits(bits, program.globalLiveness.length);
      }),
      { numRuns: 300, seed: 0xc0ffee },
    );
    assertGlobalCoverage(program, coverage);
  });

  Deno.test(`compiled ${name} global checks agree with the interpreter on arbitrary states, every verdict exercised`, async () => {
    const { spec } = await compileToTemp(name, specSource(name));
    const coverage = new Coverage(program);
    fc.assert(
      fc.property(fc.array(stateArb(program), { minLength: 0, maxLength: 4 }), (states) => {
        const first = spec.create(Math.max(1, states.length));
        states.forEach((s, i) => assert.equal(spec.writeSlots(first + i, s), 0));
        const code = interp.globalCheck(program, states);
        assert.equal(spec.globalCheck(first, states.length), code);
        coverage.code(code);
        const bits = interp.globalLiveness(program, states);
        assert.equal(spec.globalLiveness(first, states.length), bits);
        coverage.bits(bits, program.globalLiveness.length);
        if (states.length > 0) {
          assert.equal(spec.checkInvariants(first), interp.checkInvariants(program, states[0]!));
        }
      }),
      { numRuns: 500, seed: 0xbadc0de },
    );
    assertGlobalCoverage(program, coverage);
  });
}
