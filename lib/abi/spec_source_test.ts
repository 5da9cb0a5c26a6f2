import assert from "node:assert/strict";
import { resolveSpecUrl, specFileUrl } from "./spec_source.ts";
import { componentCoreModules, wasmKind } from "./wasm_binary.ts";
import { SpecLoadError } from "./bindings.ts";

Deno.test("resolveSpecUrl accepts URLs, URL strings and absolute paths", () => {
  const url = new URL("file:///a/b.js");
  assert.equal(resolveSpecUrl(url), url);
  assert.equal(
    resolveSpecUrl("https://example.com/x/lease.js").href,
    "https://example.com/x/lease.js",
  );
  assert.equal(resolveSpecUrl("/tmp/my dist/lease.js").href, "file:///tmp/my%20dist/lease.js");
  assert.equal(resolveSpecUrl("C:\\specs\\lease.wasm").href, "file:///C:/specs/lease.wasm");
});

Deno.test("resolveSpecUrl resolves a relative path against the working directory", () => {
  const expected = new URL(`file://${Deno.cwd()}/dist/lease.js`).href;
  assert.equal(resolveSpecUrl("dist/lease.js").href, expected);
  assert.equal(resolveSpecUrl("./dist/lease.js").href, expected);
});

Deno.test("specFileUrl reads the core module beside bindings and any other file as it is", () => {
  const core = (s: string) => specFileUrl(new URL(s)).href;
  assert.equal(core("file:///d/lease.js"), "file:///d/lease.core.wasm");
  assert.equal(core("file:///d/lease.mjs"), "file:///d/lease.core.wasm");
  assert.equal(
    core("https://cdn.test/v1/lease.cjs?x=1#y"),
    "https://cdn.test/v1/lease.core.wasm?x=1#y",
  );
  assert.equal(core("file:///d/lease.core.wasm"), "file:///d/lease.core.wasm");
  assert.equal(core("file:///d/lease.wasm"), "file:///d/lease.wasm");
  assert.equal(core("file:///d/lease.json"), "file:///d/lease.json");
});

Deno.test("wasmKind needs the whole 8-byte preamble", () => {
  assert.equal(wasmKind(new Uint8Array([0, 97, 115, 109, 1, 0, 0])), undefined);
  assert.equal(wasmKind(new Uint8Array([0, 97, 115, 109, 2, 0, 0, 0])), undefined);
  assert.equal(wasmKind(new Uint8Array([0, 97, 115, 109, 13, 0, 2, 0])), undefined);
  assert.equal(wasmKind(new Uint8Array([0, 97, 115, 109, 10, 0, 1, 0])), "component");
});

Deno.test("componentCoreModules skips other sections and reads multi-byte sizes", () => {
  const big = new Uint8Array(300).fill(7);
  const component = new Uint8Array([
    ...[0, 97, 115, 109, 13, 0, 1, 0],
    ...[7, 2, 0xaa, 0xbb], // a type section
    ...[1, 0xac, 0x02, ...big], // 300 = 0xac 0x02
    ...[1, 1, 9],
  ]);
  const modules = componentCoreModules(component, "c.wasm");
  assert.deepEqual(modules.map((m) => m.length), [300, 1]);
  assert.equal(modules[0]![0], 7);
  assert.equal(modules[1]![0], 9);
});

Deno.test("componentCoreModules reports a truncated section with its offset", () => {
  const truncated = new Uint8Array([0, 97, 115, 109, 13, 0, 1, 0, 1, 5, 1, 2]);
  assert.throws(
    () => componentCoreModules(truncated, "t.wasm"),
    (e: unknown) =>
      e instanceof SpecLoadError && e.reason === "not_wasm" && e.where === "t.wasm" &&
      e.message ===
        "Component 't.wasm' is truncated: section 1 at byte 8 runs past its end (12 bytes)",
  );
  const badSize = new Uint8Array([0, 97, 115, 109, 13, 0, 1, 0, 1, 0x80, 0x80]);
  assert.throws(() => componentCoreModules(badSize, "s.wasm"), SpecLoadError);
});
