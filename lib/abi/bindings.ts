/**
 * Binding a compiled spec's core module: the error every load failure
 * throws ({@link SpecLoadError}), the `vigil` custom section decoded and
 * checked against this ABI version ({@link decodeMeta}), and the module
 * instantiated with nothing imported ({@link instantiateCore}). No jco
 * glue is involved: every export of the world is scalar, so the core
 * exports are called as they are.
 *
 * @module
 */
import { ABI_VERSION, META_SECTION } from "./meta.ts";
import type { SpecMeta } from "./meta.ts";

/**
 * Why a compiled spec could not be loaded:
 * - `not_found`: no file at the path or URL (or an HTTP 404);
 * - `unreadable`: the file or URL exists but could not be read;
 * - `relative_path`: a relative path where there is no working directory (a Worker);
 * - `not_wasm`: the bytes are neither a WebAssembly core module nor a component, or do not compile;
 * - `missing_meta`: no core module carries the `vigil` section;
 * - `bad_meta`: the `vigil` section is not the metadata JSON;
 * - `abi_mismatch`: compiled for another ABI version;
 * - `bad_bindings`: the core module lacks an export the metadata names, imports something, or does not instantiate;
 * - `source_mismatch`: compiled from another spec source than the caller expects.
 *
 * @example Tell a missing file from a file that is not WebAssembly
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "./loader.ts";
 * import { SpecLoadError, type SpecLoadReason } from "./bindings.ts";
 * const reasonOf = (e: unknown): SpecLoadReason | undefined => e instanceof SpecLoadError ? e.reason : undefined;
 * assert.equal(reasonOf(await loadCompiled("dist/no-such.core.wasm").catch((e) => e)), "not_found");
 * assert.equal(reasonOf(await loadCompiled(new TextEncoder().encode("spec Lease")).catch((e) => e)), "not_wasm");
 * ```
 */
export type SpecLoadReason =
  | "not_found"
  | "unreadable"
  | "relative_path"
  | "not_wasm"
  | "missing_meta"
  | "bad_meta"
  | "abi_mismatch"
  | "bad_bindings"
  | "source_mismatch";

/**
 * Options of {@link SpecLoadError}.
 *
 * @example Name where the spec came from, and why it failed
 * ```ts
 * import assert from "node:assert/strict";
 * import { SpecLoadError, type SpecLoadErrorOptions } from "./bindings.ts";
 * const options: SpecLoadErrorOptions = { where: "dist/lease.core.wasm", cause: new Error("EACCES") };
 * const e = new SpecLoadError("unreadable", "Cannot read 'dist/lease.core.wasm'", options);
 * assert.ok(e.where === "dist/lease.core.wasm" && e.cause instanceof Error);
 * ```
 */
export interface SpecLoadErrorOptions extends ErrorOptions {
  /** Where the spec was loaded from: a URL, or a description of bytes or a module. */
  readonly where: string;
}

/**
 * Thrown by `loadCompiled` and `loadSpec` when a source is not a loadable
 * compiled spec: `reason` says why, `where` names the file, URL, bytes
 * or module.
 *
 * @example Tell an ABI mismatch apart
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeMeta, SpecLoadError } from "./bindings.ts";
 * // A core module whose `vigil` section claims ABI version 99.
 * const name = [...new TextEncoder().encode("vigil")];
 * const body = [...new TextEncoder().encode('{"abi":99}')];
 * const bytes = [0, 97, 115, 109, 1, 0, 0, 0, 0, 1 + name.length + body.length, name.length];
 * const module = new WebAssembly.Module(new Uint8Array([...bytes, ...name, ...body]));
 * assert.throws(
 *   () => decodeMeta(module, "old.wasm"),
 *   (e) => e instanceof SpecLoadError && e.reason === "abi_mismatch" && e.where === "old.wasm",
 * );
 * ```
 */
export class SpecLoadError extends Error {
  /** Why the load failed. */
  readonly reason: SpecLoadReason;
  /** Where the spec was loaded from: a URL, or a description of bytes or a module. */
  readonly where: string;

  /** An error of `reason`; `options.where` names the source, `options.cause` the underlying error. */
  constructor(reason: SpecLoadReason, message: string, options: SpecLoadErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "SpecLoadError";
    this.reason = reason;
    this.where = options.where;
  }
}

/**
 * Decodes and checks the `vigil` section of a core module; `undefined` when it has none.
 *
 * @param module A compiled core module.
 * @param where Where it came from, for error messages.
 * @throws {SpecLoadError} When the section is not JSON metadata of this ABI version.
 *
 * @example Read a module's metadata
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeMeta } from "./bindings.ts";
 * // An empty module (no custom section) has no metadata.
 * const module = new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
 * assert.equal(decodeMeta(module, "empty.wasm"), undefined);
 * ```
 */
export function decodeMeta(module: WebAssembly.Module, where: string): SpecMeta | undefined {
  const sections = WebAssembly.Module.customSections(module, META_SECTION);
  const section = sections[0];
  if (section === undefined) return undefined;
  let meta: Partial<Record<keyof SpecMeta, unknown>>;
  try {
    meta = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(section));
  } catch (cause) {
    const msg = `Section '${META_SECTION}' of '${where}' is not UTF-8 JSON`;
    throw new SpecLoadError("bad_meta", msg, { where, cause });
  }
  if (typeof meta !== "object" || meta === null || typeof meta.abi !== "number") {
    const msg = `Section '${META_SECTION}' of '${where}' has no ABI version`;
    throw new SpecLoadError("bad_meta", msg, { where });
  }
  if (meta.abi !== ABI_VERSION) {
    const msg =
      `Compiled spec '${String(meta.name)}' in '${where}' uses ABI version ${meta.abi}, ` +
      `this loader understands version ${ABI_VERSION}: recompile the spec`;
    throw new SpecLoadError("abi_mismatch", msg, { where });
  }
  const arrays = ["slots", "vars", "initial", "actions", "verdicts"] as const;
  const missing = arrays.find((k) => !Array.isArray(meta[k]));
  if (typeof meta.name !== "string" || typeof meta.stride !== "number" || missing !== undefined) {
    const msg = `Section '${META_SECTION}' of '${where}' lacks field '${missing ?? "name/stride"}'`;
    throw new SpecLoadError("bad_meta", msg, { where });
  }
  return meta as unknown as SpecMeta;
}

/** Instantiates synchronously, or asynchronously where the host refuses (a RangeError). */
async function instantiated(module: WebAssembly.Module): Promise<WebAssembly.Instance> {
  try {
    return new WebAssembly.Instance(module, {});
  } catch (error) {
    // A browser's main thread refuses to instantiate large modules synchronously.
    if (error instanceof RangeError) return await WebAssembly.instantiate(module, {});
    throw error;
  }
}

/** An instantiated compiled spec: the core exports by WIT name, and the memory. */
export interface CoreInstance {
  /** The core module's exports, named as in the WIT world (`step-acquire`). */
  readonly exports: WebAssembly.Exports;
  /** The memory holding the instance blocks. */
  readonly memory: WebAssembly.Memory;
}

/**
 * Instantiates a compiled spec's core module, which imports nothing:
 * synchronously (no other work is queued; asynchronously only where the
 * host refuses to instantiate large modules synchronously).
 *
 * @param module The core module carrying the `vigil` section.
 * @param where Where it came from, for error messages.
 * @throws {SpecLoadError} `bad_bindings` when the module imports anything,
 * does not instantiate or exports no `memory`.
 *
 * @example Instantiate a module that exports its memory
 * ```ts
 * import assert from "node:assert/strict";
 * import { instantiateCore } from "./bindings.ts";
 * // (module (memory (export "memory") 1))
 * const bytes = [0, 97, 115, 109, 1, 0, 0, 0, 5, 3, 1, 0, 1, 7, 10, 1, 6, 109, 101, 109, 111, 114, 121, 2, 0];
 * const { memory } = await instantiateCore(new WebAssembly.Module(new Uint8Array(bytes)), "m.wasm");
 * assert.equal(memory.buffer.byteLength, 65536);
 * ```
 */
export async function instantiateCore(
  module: WebAssembly.Module,
  where: string,
): Promise<CoreInstance> {
  const imports = WebAssembly.Module.imports(module);
  if (imports.length > 0) {
    const names = imports.map((i) => `${i.module}.${i.name}`).join("', '");
    const msg = `The core module of '${where}' imports '${names}': a compiled spec imports nothing`;
    throw new SpecLoadError("bad_bindings", msg, { where });
  }
  let instance: WebAssembly.Instance;
  try {
    instance = await instantiated(module);
  } catch (cause) {
    const msg = `Cannot instantiate the core module of '${where}'`;
    throw new SpecLoadError("bad_bindings", msg, { where, cause });
  }
  const memory = instance.exports["memory"];
  if (!(memory instanceof WebAssembly.Memory)) {
    const msg = `The core module of '${where}' exports no 'memory'`;
    throw new SpecLoadError("bad_bindings", msg, { where });
  }
  return { exports: instance.exports, memory };
}
