/**
 * Fuzz test: thousands of random mutations of the example specs (tokens
 * dropped, swapped, duplicated, replaced; random bytes inserted) must only
 * ever produce diagnostics, never an exception, and every diagnostic must
 * point inside the text. Mutants that still check have their initial state
 * evaluated and, when it holds, are compiled to a core module, which
 * WebAssembly must validate. The counts of each outcome are asserted, so a
 * fuzzer that stopped reaching code generation fails.
 *
 * No input may hang the front end or the compile-time evaluation: the
 * checker bounds expression depth (VIG413) and quantifier cost (VIG415).
 *
 * Mutations per run: `VIGIL_FUZZ` (default 3000). Deterministic seed.
 */
import assert from "node:assert/strict";
import { analyze } from "../lib/frontend.ts";
import { initialState } from "../lib/interpreter/interpreter.ts";
import { buildMeta } from "../lib/wasm/meta_build.ts";
import { buildCoreModule } from "../lib/wasm/codegen/codegen.ts";
import { specNames, specSource } from "../tools/harness/spec_files.ts";
import { mutate, rng } from "../tools/harness/spec_mutations.ts";

const COUNT = Number(Deno.env.get("VIGIL_FUZZ") ?? "3000");

/** Asserts that every diagnostic of `result` is well formed and lies inside `source`. */
function assertDiagnosticsInside(result: ReturnType<typeof analyze>, source: string): void {
  for (const d of result.diagnostics) {
    assert.match(d.code, /^VIG\d{3}$/);
    assert.ok(d.span.start >= 0 && d.span.end <= source.length && d.span.start <= d.span.end);
    assert.ok(d.message.length > 0);
  }
}

Deno.test("mutated specs only ever yield diagnostics, with ranges inside the text", () => {
  const next = rng(0x7e57);
  const sources = specNames().map(specSource);
  assert.ok(sources.length >= 8, `only ${sources.length} specs to mutate`);
  const outcomes = { errors: 0, initialFails: 0, compiled: 0 };
  for (let i = 0; i < COUNT; i++) {
    const source = mutate(sources[i % sources.length]!, next);
    let result: ReturnType<typeof analyze>;
    try {
      result = analyze(source);
    } catch (e) {
      throw new Error(`analyze threw on mutant #${i}:\n${source}\n---\n${e}`);
    }
    assertDiagnosticsInside(result, source);
    if (result.diagnostics.some((d) => d.severity === "error")) {
      assert.equal(result.program, null, `mutant #${i} has errors and a program`);
      outcomes.errors++;
      continue;
    }
    assert.ok(result.program !== null, `mutant #${i} has neither errors nor a program`);
    const init = initialState(result.program);
    if (init.code !== 0) {
      outcomes.initialFails++;
      continue;
    }
    const meta = buildMeta(result.program, init.state);
    const { wasm } = buildCoreModule(result.program, meta, { optimize: false });
    assert.ok(
      WebAssembly.validate(new Uint8Array(wasm)),
      `mutant #${i} compiled to an invalid module:\n${source}`,
    );
    outcomes.compiled++;
  }
  assert.equal(outcomes.errors + outcomes.initialFails + outcomes.compiled, COUNT);
  assert.ok(outcomes.errors > COUNT / 2, `only ${outcomes.errors} mutants had errors`);
  assert.ok(outcomes.compiled >= COUNT / 20, `only ${outcomes.compiled} mutants compiled`);
});

Deno.test("random bytes never make the front end throw", () => {
  const next = rng(0xb17e5);
  let refused = 0;
  for (let i = 0; i < 500; i++) {
    const len = Math.floor(next() * 300);
    let s = "";
    for (let j = 0; j < len; j++) s += String.fromCharCode(Math.floor(next() * 128));
    const source = i % 2 === 0 ? s : `spec Fuzz\n${s}`;
    const result = analyze(source);
    assertDiagnosticsInside(result, source);
    assert.ok(result.diagnostics.length > 0 || result.program !== null);
    if (result.program === null) refused++;
  }
  assert.ok(refused >= 400, `only ${refused} of 500 random texts refused`);
});
