import assert from "node:assert/strict";
import { componentize, transpileComponent } from "./component.ts";
import { witOf, worldOf } from "./wit.ts";
import { buildHandCore, DIAL, TOGGLE } from "./testdata/hand_specs.ts";
import { META_SECTION } from "../abi/meta.ts";
import type { HandSpec } from "./testdata/hand_specs.ts";

async function componentOf(spec: HandSpec): Promise<Uint8Array> {
  return await componentize(buildHandCore(spec), witOf(spec.meta), worldOf(spec.meta));
}

Deno.test("componentize wraps a core module into a component", async () => {
  const component = await componentOf(TOGGLE);
  // Component binaries have layer 1 in the version field: 0d 00 01 00.
  assert.deepEqual([...component.slice(0, 8)], [0, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00]);
});

Deno.test("componentize fails with the world named when the core lacks an export", async () => {
  const meta = {
    ...TOGGLE.meta,
    actions: [...TOGGLE.meta.actions, {
      ...TOGGLE.meta.actions[0]!,
      name: "x",
      stepExport: "step-x",
      checkExport: "check-x",
    }],
  };
  await assert.rejects(
    componentize(buildHandCore(TOGGLE), witOf(meta), worldOf(meta)),
    /Cannot make a component of world 'toggle'/,
  );
});

Deno.test("componentize fails when the WIT text does not parse", async () => {
  await assert.rejects(
    componentize(buildHandCore(TOGGLE), "package nope", "toggle"),
    /Cannot embed WIT world 'toggle'/,
  );
});

Deno.test("transpileComponent emits bindings, types and a core module keeping the vigil section", async () => {
  const files = await transpileComponent(await componentOf(DIAL), "dial");
  assert.deepEqual(Object.keys(files), ["dial.core.wasm", "dial.d.ts", "dial.js"]);
  const module = new WebAssembly.Module(files["dial.core.wasm"]!);
  const [section] = WebAssembly.Module.customSections(module, META_SECTION);
  assert.ok(section !== undefined);
  assert.deepEqual(
    JSON.parse(new TextDecoder().decode(section)),
    JSON.parse(JSON.stringify(DIAL.meta)),
  );
  assert.ok(
    WebAssembly.Module.exports(module).some((e) => e.name === "memory" && e.kind === "memory"),
  );
  const js = new TextDecoder().decode(files["dial.js"]);
  assert.match(
    js,
    /^export function instantiate\(getCoreModule, imports, instantiateCore = WebAssembly.instantiate\)/,
  );
  assert.match(js, /function stepBump\(arg0, arg1\)/);
  assert.doesNotMatch(js, /process/);
  assert.match(
    new TextDecoder().decode(files["dial.d.ts"]),
    /stepSet\(inst: number, m: number\): number/,
  );
});

Deno.test("transpileComponent output is deterministic", async () => {
  const component = await componentOf(TOGGLE);
  const a = await transpileComponent(component, "toggle");
  const b = await transpileComponent(component, "toggle");
  assert.deepEqual(a, b);
});

Deno.test("transpileComponent rejects a file name with a path separator", async () => {
  await assert.rejects(transpileComponent(new Uint8Array(), "../x"), TypeError);
});
