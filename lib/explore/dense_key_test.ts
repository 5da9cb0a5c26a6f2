import assert from "node:assert/strict";
import { analyze } from "../frontend.ts";
import { initialState } from "../interpreter/interpreter.ts";
import type { Program } from "../ir.ts";
import { buildMeta } from "../wasm/meta_build.ts";
import { buildCoreModule } from "../wasm/codegen/codegen.ts";
import { allArgTuples } from "./domains.ts";
import { breadthFirst } from "./breadth_first.ts";
import { DenseKey } from "./dense_key.ts";
import { StateSet } from "./state_set.ts";
import { stateSpaceBound } from "./state_space.ts";
import { WasmStepper } from "./wasm_stepper.ts";

function keyOf(source: string): { key: DenseKey | null; program: Program } {
  const { program } = analyze(source);
  assert.ok(program !== null, source);
  return { key: DenseKey.of(program, buildMeta(program, initialState(program).state)), program };
}

/** Every valuation of the layout's slots, packed as the module packs them. */
function blockOf(program: Program, values: readonly number[]): Uint32Array {
  const meta = buildMeta(program, initialState(program).state);
  const view = new DataView(new ArrayBuffer(meta.stride));
  meta.slots.forEach((s, i) => {
    const v = values[i]!;
    if (s.width === 1) view.setInt8(s.offset, v);
    else if (s.width === 2) view.setInt16(s.offset, v, true);
    else view.setInt32(s.offset, v, true);
  });
  return new Uint32Array(view.buffer);
}

Deno.test("DenseKey numbers every valuation once, signed and wide slots included", () => {
  const source = "spec K type I = 0..1 type Mode = enum { idle, busy, down } " +
    "state a: -3..2 = 0 state b: 0..700 = 0 state m: Mode = idle " +
    "state flags: map[I, bool] = false state w: -200..100 = 0";
  const { key, program } = keyOf(source);
  assert.ok(key !== null);
  assert.equal(key.bound, stateSpaceBound(program));
  const seen = new Set<number>();
  const domains = [[-3, 2], [0, 700], [0, 2], [0, 1], [0, 1], [-200, 100]] as const;
  // A sample of valuations: every slot at its bounds and inside, in all combinations of a few.
  const pick = (lo: number, hi: number) => [lo, hi, Math.floor((lo + hi) / 2)];
  const choices = domains.map(([lo, hi]) => [...new Set(pick(lo, hi))]);
  const walk = (i: number, values: number[]): void => {
    if (i === choices.length) {
      const k = key.key(blockOf(program, values), 0);
      assert.ok(Number.isInteger(k) && k >= 0 && k < key.bound, `${values} -> ${k}`);
      assert.ok(!seen.has(k), `${values} repeats number ${k}`);
      seen.add(k);
      return;
    }
    for (const v of choices[i]!) walk(i + 1, [...values, v]);
  };
  walk(0, []);
  assert.equal(seen.size, choices.reduce((n, c) => n * c.length, 1));
});

Deno.test("DenseKey refuses a slot outside its domain and a set padding bit, saying which", () => {
  const { key, program } = keyOf("spec K state a: -3..2 = 0 state b: 0..5 = 0");
  assert.ok(key !== null);
  assert.throws(
    () => key.key(blockOf(program, [3, 0]), 0),
    /slot 0 \(a\) holds 3, outside -3\.\.2/,
  );
  assert.throws(() => key.key(blockOf(program, [0, 6]), 0), /slot 1 \(b\) holds 6, outside 0\.\.5/);
  const padded = blockOf(program, [0, 0]);
  padded[1] = 0x100;
  assert.throws(() => key.key(padded, 0), /word 1 has padding bits 0x100/);
});

Deno.test("DenseKey is null for int variables and beyond its bound", () => {
  assert.equal(keyOf("spec K state n: int = 0").key, null);
  assert.equal(keyOf("spec K type I = 0..4 state d: map[I, 0..127] = 0").key, null); // 2^35
  const { program } = analyze("spec K type I = 0..2 state d: map[I, 0..127] = 0");
  const meta = buildMeta(program!, initialState(program!).state);
  assert.equal(DenseKey.of(program!, meta, 128 ** 3 - 1), null);
  assert.ok(DenseKey.of(program!, meta, 128 ** 3) !== null);
});

Deno.test("a dense StateSet explores the example specs as the hashed one does", async () => {
  let dense = 0;
  for (const name of ["mutex", "lease", "counter3", "toggle", "raft", "order", "calc", "account"]) {
    const source = await Deno.readTextFile(new URL(`../../specs/${name}.vigil`, import.meta.url));
    const { program } = analyze(source);
    const meta = buildMeta(program!, initialState(program!).state);
    const wasm = buildCoreModule(program!, meta).wasm;
    const key = DenseKey.of(program!, meta);
    if (key === null) continue;
    dense++;
    const run = (k: DenseKey | null) => {
      const stepper = new WasmStepper(wasm, meta);
      const initial = stepper.block.slice(stepper.at, stepper.at + stepper.words);
      const states = new StateSet(stepper.words, 16, k);
      const tuples = allArgTuples(program!, { lo: -2n, hi: 2n });
      return breadthFirst(program!, stepper, tuples, initial, {
        states,
        keepEdges: true,
        maxStates: 200_000,
      });
    };
    const a = run(null), b = run(key);
    assert.equal(b.states.size, a.states.size, name);
    assert.equal(b.generated, a.generated, name);
    assert.deepEqual(b.parent, a.parent, name);
    assert.deepEqual(b.edgeTarget, a.edgeTarget, name);
    assert.deepEqual(
      b.states.store.subarray(0, b.states.size * b.states.words),
      a.states.store.subarray(0, a.states.size * a.states.words),
      name,
    );
  }
  assert.ok(dense >= 3, `only ${dense} example specs are indexed densely`);
});

Deno.test("DenseKey's number is the mixed-radix number of the slots' digits, one-byte slots included", () => {
  for (
    const source of [
      "spec K type I = 0..1 state a: -3..2 = 0 state f: map[I, bool] = false state b: 0..5 = 0",
      "spec K state a: -3..2 = 0 state w: -200..100 = 0 state b: 0..5 = 0",
    ]
  ) {
    const { key, program } = keyOf(source);
    assert.ok(key !== null);
    const meta = buildMeta(program, initialState(program).state);
    const los = meta.slots.map((_, s) => key.plan.lo[s]!), sizes = [...key.plan.size];
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (let round = 0; round < 500; round++) {
      const values = sizes.map((size, s) => los[s]! + (next() % size));
      const want = values.reduce((n, v, s) => n * sizes[s]! + (v - los[s]!), 0);
      assert.equal(key.key(blockOf(program, values), 0), want, `${source}: ${values}`);
    }
    // A value just outside a slot's domain is refused on either path.
    const low = sizes.map((_, s) => los[s]!);
    low[0] = los[0]! - 1;
    assert.throws(
      () => key.key(blockOf(program, low), 0),
      /slot 0 \(a\) holds -4, outside -3\.\.2/,
    );
  }
});
