import assert from "node:assert/strict";
import { decodeMeta, SpecLoadError } from "./bindings.ts";
import { TOGGLE_META } from "./testdata/hand_metas.ts";

/** An empty core module carrying one custom section (hand-assembled bytes). */
function moduleWith(name: string, payload: string): WebAssembly.Module {
  const enc = new TextEncoder();
  const body = [name.length, ...enc.encode(name), ...enc.encode(payload)];
  const size: number[] = [];
  let n = body.length;
  do {
    size.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
    n >>>= 7;
  } while (n > 0);
  return new WebAssembly.Module(
    new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0, ...size, ...body]),
  );
}

Deno.test("decodeMeta returns the metadata of a module with a vigil section", () => {
  const meta = decodeMeta(moduleWith("vigil", JSON.stringify(TOGGLE_META)), "t.wasm");
  assert.deepEqual(meta, JSON.parse(JSON.stringify(TOGGLE_META)));
});

Deno.test("decodeMeta returns undefined for a module without a vigil section", () => {
  assert.equal(decodeMeta(moduleWith("other", "{}"), "t.wasm"), undefined);
});

Deno.test("decodeMeta names both ABI versions when they differ", () => {
  assert.throws(
    () => decodeMeta(moduleWith("vigil", JSON.stringify({ ...TOGGLE_META, abi: 2 })), "t.wasm"),
    (e: unknown) =>
      e instanceof SpecLoadError && e.reason === "abi_mismatch" && e.where === "t.wasm" &&
      e.message ===
        "Compiled spec 'Toggle' in 't.wasm' uses ABI version 2, this loader understands version 1: recompile the spec",
  );
});

Deno.test("decodeMeta rejects a section without an ABI version", () => {
  assert.throws(
    () => decodeMeta(moduleWith("vigil", "[1]"), "t.wasm"),
    (e: unknown) => e instanceof SpecLoadError && e.reason === "bad_meta",
  );
});
