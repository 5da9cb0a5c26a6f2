/**
 * Differential test: every spec in `specs/` compiled to a core module and
 * driven directly (no component) with random action sequences, compared
 * with the reference interpreter on every verdict code and every next state.
 */
import assert from "node:assert/strict";
import { analyze } from "../../frontend.ts";
import type { IParam, Program, ScalarType } from "../../ir.ts";
import * as interp from "../../interpreter/interpreter.ts";
import { callAction, type CoreExports, instantiateProgram, prng, readState } from "./fixtures.ts";
import type { SpecMeta } from "../../abi/meta.ts";

const STEPS = 2500;
const INSTANCES = 3;
const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;

function bounds(type: ScalarType): { lo: bigint; hi: bigint } {
  switch (type.kind) {
    case "bool":
      return { lo: 0n, hi: 1n };
    case "enum":
      return { lo: 0n, hi: BigInt(type.labels.length - 1) };
    case "range":
      return { lo: type.lo, hi: type.hi };
    case "int":
      return { lo: I64_MIN, hi: I64_MAX };
  }
}

const INVALID = [NaN, Infinity, -Infinity, 0.5, -1.5, 2 ** 63, -(2 ** 64), 1e300];
const INT_EDGES = [0, 1, -1, 2, 2 ** 31, -(2 ** 31), 2 ** 53, -(2 ** 53), -(2 ** 63), 2 ** 62];

/** An argument: mostly valid, biased towards bounds and values present in the state. */
function randomArg(rand: () => number, p: IParam, state: readonly bigint[]): number {
  const r = rand();
  const { lo, hi } = bounds(p.type);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  if (r < 0.06) return pick(INVALID);
  if (r < 0.12) return Number(pick([lo - 1n, hi + 1n]));
  if (r < 0.35 && state.length > 0) return Number(pick(state));
  if (p.type.kind === "int") return r < 0.5 ? pick(INT_EDGES) : Math.floor(rand() * 21) - 10;
  if (r < 0.5) return Number(pick([lo, lo + 1n, hi - 1n, hi]));
  const span = Number(hi - lo) + 1;
  return Number(lo) + Math.floor(rand() * span);
}

/** A value for write-slot: usually in the slot's type, near its edges. */
function randomSlotValue(rand: () => number, type: ScalarType): bigint {
  const { lo, hi } = bounds(type);
  const candidates = [lo, hi, lo + 1n, hi - 1n, 0n, 1n, -1n, hi + 1n, lo - 1n, 5n, 1000n];
  const v = candidates[Math.floor(rand() * candidates.length)]!;
  return BigInt.asIntN(64, v);
}

function slotTypes(program: Program): ScalarType[] {
  const out: ScalarType[] = [];
  for (const v of program.vars) {
    const t = v.type.kind === "map" ? v.type.value : v.type;
    for (let i = 0; i < v.size; i++) out[v.base + i] = t;
  }
  return out;
}

/** Reads instance `inst` straight from memory per `meta.slots`. */
function memoryState(exports: CoreExports, meta: SpecMeta, inst: number): bigint[] {
  const view = new DataView(exports.memory.buffer);
  const ptr = exports["state-ptr"](inst);
  return meta.slots.map((s) => {
    const at = ptr + s.offset;
    if (s.width === 8) return view.getBigInt64(at, true);
    if (s.width === 4) return BigInt(s.signed ? view.getInt32(at, true) : view.getUint32(at, true));
    if (s.width === 2) return BigInt(s.signed ? view.getInt16(at, true) : view.getUint16(at, true));
    return BigInt(s.signed ? view.getInt8(at) : view.getUint8(at));
  });
}

function comparePropertyExports(
  program: Program,
  exports: CoreExports,
  states: readonly bigint[][],
  where: string,
): void {
  for (let i = 0; i < states.length; i++) {
    assert.equal(
      exports["check-invariants"](i),
      interp.checkInvariants(program, states[i]!),
      where,
    );
    assert.equal(exports.liveness(i) >>> 0, interp.liveness(program, states[i]!), where);
  }
  for (const [first, count] of [[0, states.length], [1, states.length - 1], [0, 1], [0, 0]]) {
    const set = states.slice(first!, first! + count!);
    assert.equal(exports["global-check"](first!, count!), interp.globalCheck(program, set), where);
    assert.equal(
      exports["global-liveness"](first!, count!) >>> 0,
      interp.globalLiveness(program, set),
      where,
    );
  }
}

/** Runs the random sequence; returns how often each verdict kind occurred. */
function runDifferential(
  file: string,
  program: Program,
  seed: number,
  optimize = true,
): Map<string, number> {
  const kinds = new Map<string, number>();
  const { exports, meta, initial } = instantiateProgram(program, optimize);
  const rand = prng(seed);
  const types = slotTypes(program);
  assert.equal(exports.create(INSTANCES), 0);
  const states = Array.from({ length: INSTANCES }, () => [...initial]);
  for (let n = 0; n < STEPS; n++) {
    const inst = Math.floor(rand() * INSTANCES);
    const state = states[inst]!;
    const where = `${file} step ${n} seed ${seed}`;
    if (rand() < 0.04 && types.length > 0) {
      const slot = Math.floor(rand() * types.length);
      const value = randomSlotValue(rand, types[slot]!);
      const ok = interp.inBounds(types[slot]!, value);
      assert.equal(exports["write-slot"](inst, slot, value), ok ? 0 : 1, where);
      if (ok) state[slot] = value;
    } else if (rand() < 0.02) {
      exports.reset(inst);
      states[inst] = [...initial];
    } else {
      const a = Math.floor(rand() * program.actions.length);
      const action = program.actions[a]!;
      const args = action.params.map((p) => randomArg(rand, p, state));
      const apply = rand() < 0.8;
      const name = apply ? meta.actions[a]!.stepExport : meta.actions[a]!.checkExport;
      const got = callAction(exports, name, inst, args);
      const want = interp.step(program, state, a, args);
      assert.equal(got, want.code, `${where}: ${name}(${args.join(", ")})`);
      const kind = program.verdicts[want.code]!.kind;
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      if (apply) states[inst] = want.state;
    }
    assert.deepEqual(readState(exports, program.slotCount, inst), states[inst], where);
    if (n % 50 === 0) {
      assert.deepEqual(memoryState(exports, meta, inst), states[inst], where);
      comparePropertyExports(program, exports, states, where);
    }
  }
  return kinds;
}

const dir = new URL("../../../specs/", import.meta.url);
const files = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.endsWith(".vigil"))
  .sort();

for (const file of files) {
  Deno.test(`core module agrees with the interpreter on ${file} over random steps`, () => {
    const { program, diagnostics } = analyze(Deno.readTextFileSync(new URL(file, dir)));
    assert.ok(program, `${file}: ${diagnostics.map((d) => d.message).join("; ")}`);
    const kinds = new Map<string, number>();
    for (const seed of [1, 2]) {
      for (const [k, n] of runDifferential(file, program, seed * 7919 + file.length)) {
        kinds.set(k, (kinds.get(k) ?? 0) + n);
      }
    }
    if (Deno.env.get("VIGIL_DEBUG")) console.log(file, Object.fromEntries(kinds));
    // The sequences must exercise both accepted and refused steps.
    assert.ok((kinds.get("ok") ?? 0) > 50, `${file}: too few ok steps`);
    const hasParams = program.actions.some((a) => a.params.length > 0);
    assert.ok(!hasParams || (kinds.get("bad_argument") ?? 0) > 0, `${file}: no bad arguments`);
  });
}

Deno.test("the unoptimized core module agrees with the interpreter too", () => {
  for (const file of ["lease.vigil", "raft.vigil", "calc.vigil"].filter((f) => files.includes(f))) {
    const { program } = analyze(Deno.readTextFileSync(new URL(file, dir)));
    assert.ok(program);
    runDifferential(file, program, 4242, false);
  }
});

Deno.test("buildCoreModule output is deterministic", () => {
  const { program } = analyze(Deno.readTextFileSync(new URL("lease.vigil", dir)));
  assert.ok(program);
  const a = instantiateProgram(program).core;
  const b = instantiateProgram(program).core;
  assert.equal(a.text, b.text);
  assert.deepEqual(a.wasm, b.wasm);
});
