/**
 * The little of the WebAssembly binary format the loader reads itself:
 * whether bytes are a core module or a component (the 8-byte preamble),
 * and the core modules a component holds (its core module sections, id 1,
 * each a whole core module). Nothing is compiled here.
 *
 * A component's preamble is the magic `\0asm`, a 2-byte version and the
 * layer `01 00`; a core module's is the magic and version `01 00 00 00`.
 * Then come sections: an id byte, the body size as an unsigned LEB128,
 * and the body.
 *
 * @module
 */
import { SpecLoadError } from "./bindings.ts";

/** What the first 8 bytes say a WebAssembly binary is. */
export type WasmKind = "module" | "component";

const MAGIC = [0x00, 0x61, 0x73, 0x6d] as const;
/** The section id of a nested core module in a component. */
const CORE_MODULE_SECTION = 1;

/**
 * Tells a core module from a component by the preamble; `undefined` when
 * the bytes are not WebAssembly at all.
 *
 * @example Tell the two kinds apart
 * ```ts
 * import assert from "node:assert/strict";
 * import { wasmKind } from "./wasm_binary.ts";
 * assert.equal(wasmKind(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])), "module");
 * assert.equal(wasmKind(new Uint8Array([0, 97, 115, 109, 13, 0, 1, 0])), "component");
 * assert.equal(wasmKind(new TextEncoder().encode("export {};")), undefined);
 * ```
 */
export function wasmKind(bytes: Uint8Array): WasmKind | undefined {
  if (bytes.length < 8 || MAGIC.some((b, i) => bytes[i] !== b)) return undefined;
  if (bytes[4] === 1 && bytes[5] === 0 && bytes[6] === 0 && bytes[7] === 0) return "module";
  if (bytes[6] === 1 && bytes[7] === 0) return "component";
  return undefined;
}

/** Reads an unsigned LEB128 (at most 5 bytes, a u32) at `at`; `undefined` past the end. */
function readU32(bytes: Uint8Array, at: number): { value: number; next: number } | undefined {
  let value = 0;
  for (let i = 0; i < 5; i++) {
    const b = bytes[at + i];
    if (b === undefined) return undefined;
    value += (b & 0x7f) * 2 ** (7 * i);
    if ((b & 0x80) === 0) return { value, next: at + i + 1 };
  }
  return undefined;
}

/**
 * The core modules of a component, in order: the bodies of its top-level
 * core module sections (views into `bytes`, not copies).
 *
 * @param bytes A component (see {@link wasmKind}).
 * @param where Where the bytes came from, for error messages.
 * @throws {SpecLoadError} `not_wasm` when a section runs past the end.
 *
 * @example Extract the core module of a hand-made component
 * ```ts
 * import assert from "node:assert/strict";
 * import { componentCoreModules } from "./wasm_binary.ts";
 * const core = [0, 97, 115, 109, 1, 0, 0, 0];
 * const component = new Uint8Array([0, 97, 115, 109, 13, 0, 1, 0, 1, core.length, ...core]);
 * const [found] = componentCoreModules(component, "tiny.wasm");
 * assert.deepEqual([...found!], core);
 * ```
 */
export function componentCoreModules(bytes: Uint8Array, where: string): Uint8Array[] {
  const modules: Uint8Array[] = [];
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at]!;
    const size = readU32(bytes, at + 1);
    if (size === undefined || size.next + size.value > bytes.length) {
      const msg =
        `Component '${where}' is truncated: section ${id} at byte ${at} runs past its end (${bytes.length} bytes)`;
      throw new SpecLoadError("not_wasm", msg, { where });
    }
    if (id === CORE_MODULE_SECTION) {
      modules.push(bytes.subarray(size.next, size.next + size.value));
    }
    at = size.next + size.value;
  }
  return modules;
}
