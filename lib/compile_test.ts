import assert from "node:assert/strict";
import { compile } from "./compile.ts";

const TOGGLE = "spec Toggle\nstate on: bool = false\naction flip\n  on := not on\n";

Deno.test("compile writes the typed class to <name>.monitor.ts, never <name>.ts", async () => {
  const result = await compile(TOGGLE, { fileName: "specs/toggle.vigil" });
  assert.deepEqual(result.diagnostics, []);
  assert.deepEqual([...result.files.keys()].sort(), [
    "toggle.cdx.json",
    "toggle.core.wasm",
    "toggle.d.ts",
    "toggle.js",
    "toggle.monitor.ts",
    "toggle.prov.jsonld",
    "toggle.spdx.json",
    "toggle.wasm",
    "toggle.wit",
  ]);
});

Deno.test("the typed class imports @vigil/vigil by default and loads the core module beside it", async () => {
  const result = await compile(TOGGLE, { fileName: "toggle.vigil" });
  const text = new TextDecoder().decode(result.files.get("toggle.monitor.ts"));
  assert.match(
    text,
    /^import \{ loadSpec as \$loadSpec, TypedMonitor as \$TypedMonitor \} from "@vigil\/vigil";$/m,
  );
  assert.match(
    text,
    /^import type \{\n {2}LoadedSpec as \$LoadedSpec,\n[^}]*\} from "@vigil\/vigil";$/m,
  );
  assert.match(text, /new URL\("\.\/toggle\.core\.wasm", import\.meta\.url\)/);
});

Deno.test("importFrom names the module the typed class imports the SDK from", async () => {
  const result = await compile(TOGGLE, {
    fileName: "toggle.vigil",
    importFrom: "npm:@vigil/vigil@0.1.0",
  });
  const text = new TextDecoder().decode(result.files.get("toggle.monitor.ts"));
  assert.match(
    text,
    /^import \{ loadSpec as \$loadSpec, TypedMonitor as \$TypedMonitor \} from "npm:@vigil\/vigil@0\.1\.0";$/m,
  );
  assert.match(text, /^\} from "npm:@vigil\/vigil@0\.1\.0";$/m);
  assert.doesNotMatch(text, /from "@vigil\/vigil"/);
});
