/**
 * Instantiation of jco bindings (async instantiation mode) without any
 * compiler: imports `<name>.js`, supplies its core modules itself (fetched
 * relative to the bindings URL, compiled synchronously), captures the core
 * instance's `memory`, and decodes the `vigil` custom section.
 *
 * @module
 */
import { ABI_VERSION, META_SECTION } from "./meta.ts";
import type { SpecMeta } from "./meta.ts";

/** Why a compiled spec could not be loaded. */
export type SpecLoadReason = "missing_meta" | "bad_meta" | "abi_mismatch" | "bad_bindings";

/**
 * Thrown by `loadCompiled` when the files are not a loadable compiled spec.
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
 *   (e) => e instanceof SpecLoadError && e.reason === "abi_mismatch" && e.url === "old.wasm",
 * );
 * ```
 */
export class SpecLoadError extends Error {
  readonly reason: SpecLoadReason;
  readonly url: string;

  constructor(reason: SpecLoadReason, url: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "SpecLoadError";
    this.reason = reason;
    this.url = url;
  }
}

/** The instantiated bindings: the component's exports, the core memory, the metadata. */
export interface LoadedBindings {
  /** The root exports of the component, camelCase as jco names them. */
  readonly exports: Readonly<Record<string, unknown>>;
  readonly memory: WebAssembly.Memory;
  readonly meta: SpecMeta;
}

/** The `instantiate` function of jco 1.10.2 bindings in async instantiation mode. */
type Instantiate = (
  getCoreModule: (path: string) => Promise<WebAssembly.Module>,
  imports: Record<string, never>,
  instantiateCore: (
    module: WebAssembly.Module,
    imports: WebAssembly.Imports,
  ) => WebAssembly.Instance,
) => Promise<Record<string, unknown>>;

/** A narrow view of the host's `process` global (Deno 2, Node, Bun), if any. */
type Host = { process?: { cwd?: () => string } };

/**
 * Resolves the bindings location: a URL, a URL string, or a file path (a
 * relative path against the current working directory).
 *
 * @example Resolve a relative path
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveBindingsUrl } from "./bindings.ts";
 * assert.equal(resolveBindingsUrl("/tmp/dist/lease.js").href, "file:///tmp/dist/lease.js");
 * assert.equal(resolveBindingsUrl("dist/lease.js").href, `file://${Deno.cwd()}/dist/lease.js`);
 * ```
 */
export function resolveBindingsUrl(bindings: URL | string): URL {
  if (bindings instanceof URL) return bindings;
  if (/^[A-Za-z][A-Za-z0-9+.-]+:/.test(bindings)) return new URL(bindings);
  const path = bindings.replaceAll("\\", "/");
  const url = new URL("file:///");
  if (path.startsWith("/") || /^[A-Za-z]:\//.test(path)) {
    url.pathname = path;
    return url;
  }
  const cwd = (globalThis as Host).process?.cwd?.();
  if (cwd === undefined) {
    throw new TypeError(`Cannot resolve relative path '${bindings}' without a working directory`);
  }
  url.pathname = `${cwd.replaceAll("\\", "/").replace(/\/?$/, "/")}`;
  return new URL(path, url);
}

/**
 * Decodes and checks the `vigil` section of a core module; `undefined` when it has none.
 *
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
export function decodeMeta(module: WebAssembly.Module, source: string): SpecMeta | undefined {
  const sections = WebAssembly.Module.customSections(module, META_SECTION);
  const section = sections[0];
  if (section === undefined) return undefined;
  let meta: Partial<Record<keyof SpecMeta, unknown>>;
  try {
    meta = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(section));
  } catch (cause) {
    const msg = `Section '${META_SECTION}' of '${source}' is not UTF-8 JSON`;
    throw new SpecLoadError("bad_meta", source, msg, { cause });
  }
  if (typeof meta !== "object" || meta === null || typeof meta.abi !== "number") {
    const msg = `Section '${META_SECTION}' of '${source}' has no ABI version`;
    throw new SpecLoadError("bad_meta", source, msg);
  }
  if (meta.abi !== ABI_VERSION) {
    const msg =
      `Compiled spec '${String(meta.name)}' in '${source}' uses ABI version ${meta.abi}, ` +
      `this loader understands version ${ABI_VERSION}: recompile the spec`;
    throw new SpecLoadError("abi_mismatch", source, msg);
  }
  const arrays = ["slots", "vars", "initial", "actions", "verdicts"] as const;
  const missing = arrays.find((k) => !Array.isArray(meta[k]));
  if (typeof meta.name !== "string" || typeof meta.stride !== "number" || missing !== undefined) {
    const msg = `Section '${META_SECTION}' of '${source}' lacks field '${
      missing ?? "name/stride"
    }'`;
    throw new SpecLoadError("bad_meta", source, msg);
  }
  return meta as unknown as SpecMeta;
}

async function fetchModule(url: URL): Promise<WebAssembly.Module> {
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`Status ${response.status}`);
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (cause) {
    const msg = `Cannot fetch core module '${url.href}'`;
    throw new SpecLoadError("bad_bindings", url.href, msg, { cause });
  }
  // Synchronous compilation: async compile is far slower with other WASM loaded.
  return new WebAssembly.Module(bytes);
}

/**
 * Imports and instantiates jco bindings, capturing the memory and metadata
 * of the core module that carries the `vigil` section.
 *
 * @throws {SpecLoadError} When the files are missing or not a compiled spec of this ABI.
 *
 * @example Instantiate bindings
 * ```ts ignore
 * import { instantiateBindings } from "./bindings.ts";
 * const { exports, meta } = await instantiateBindings(new URL("file:///tmp/dist/lease.js"));
 * ```
 */
export async function instantiateBindings(url: URL): Promise<LoadedBindings> {
  let instantiate: unknown;
  try {
    ({ instantiate } = await import(url.href));
  } catch (cause) {
    throw new SpecLoadError("bad_bindings", url.href, `Cannot import bindings '${url.href}'`, {
      cause,
    });
  }
  if (typeof instantiate !== "function") {
    const msg = `Bindings '${url.href}' export no 'instantiate' (transpile in instantiation mode)`;
    throw new SpecLoadError("bad_bindings", url.href, msg);
  }
  const metas = new Map<WebAssembly.Module, SpecMeta>();
  let found: { meta: SpecMeta; memory: unknown } | undefined;
  const getCoreModule = async (path: string) => {
    const moduleUrl = new URL(path, url);
    const module = await fetchModule(moduleUrl);
    const meta = decodeMeta(module, moduleUrl.href);
    if (meta !== undefined) metas.set(module, meta);
    return module;
  };
  const instantiateCore = (module: WebAssembly.Module, imports: WebAssembly.Imports) => {
    const instance = new WebAssembly.Instance(module, imports);
    const meta = metas.get(module);
    if (meta !== undefined) found = { meta, memory: instance.exports["memory"] };
    return instance;
  };
  const exports = await (instantiate as Instantiate)(getCoreModule, {}, instantiateCore);
  if (found === undefined) {
    const msg = `No core module of '${url.href}' has a '${META_SECTION}' custom section`;
    throw new SpecLoadError("missing_meta", url.href, msg);
  }
  if (!(found.memory instanceof WebAssembly.Memory)) {
    const msg = `The core module of '${url.href}' exports no 'memory'`;
    throw new SpecLoadError("bad_bindings", url.href, msg);
  }
  return { exports, memory: found.memory, meta: found.meta };
}
