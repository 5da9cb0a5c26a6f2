import assert from "node:assert/strict";
import { buildCoreModule } from "./codegen.ts";
import { buildMeta } from "../meta_build.ts";
import { leaseProgram } from "./codegen_fixtures.ts";
import { initialState } from "../interpreter.ts";

Deno.test("smoke", () => {
  const p = leaseProgram();
  const init = initialState(p);
  assert.equal(init.code, 0);
  const meta = buildMeta(p, init.state);
  const { wasm, text } = buildCoreModule(p, meta);
  console.log(wasm.length);
  console.log(text);
  const inst = new WebAssembly.Instance(new WebAssembly.Module(wasm as BufferSource));
  console.log(Object.keys(inst.exports));
});
