/**
 * Where a compiled spec comes from ({@link SpecSource}) and how its core
 * module is found there: a URL or a path names the jco bindings
 * `<name>.js` (then its sibling `<name>.core.wasm` is read), the core
 * module `<name>.core.wasm`, or the component `<name>.wasm`; bytes are a
 * core module or a component; a `WebAssembly.Module` is the core module
 * (what a Worker gets from `import wasm from "./lease.core.wasm"`).
 *
 * Only what a source needs is touched: `file:` URLs are read with
 * `node:fs/promises`, imported on first use (Deno, Node and Bun have it,
 * and nothing else of the SDK imports a `node:` module), other URLs
 * (`http:`, `https:`, `data:`, `blob:`) with `fetch`. The glue of the
 * bindings is never imported.
 *
 * @module
 */
import { decodeMeta, SpecLoadError } from "./bindings.ts";
import type { SpecMeta } from "./meta.ts";
import { componentCoreModules, wasmKind } from "./wasm_binary.ts";

/**
 * A compiled spec to load: a `URL` or a string (a file path, relative to
 * the working directory, or a URL) naming `<name>.js`, `<name>.core.wasm`
 * or `<name>.wasm`; the bytes of the core module or the component; or the
 * compiled core module.
 *
 * @example The same spec from a path, bytes and a compiled module
 * ```ts
 * import assert from "node:assert/strict";
 * import { readFile } from "node:fs/promises";
 * import { loadCompiled } from "./loader.ts";
 * import type { SpecSource } from "./spec_source.ts";
 * const bytes = new Uint8Array(await readFile("dist/lease.core.wasm"));
 * const sources: SpecSource[] = ["dist/lease.js", bytes, new WebAssembly.Module(bytes)];
 * for (const source of sources) assert.equal((await loadCompiled(source)).meta.name, "Lease");
 * ```
 */
export type SpecSource = URL | string | Uint8Array | ArrayBuffer | WebAssembly.Module;

/** A compiled spec's core module, found in a {@link SpecSource}. */
export interface CompiledModule {
  /** The core module that carries the `vigil` section. */
  readonly module: WebAssembly.Module;
  /** Its decoded metadata. */
  readonly meta: SpecMeta;
  /** Where it came from: the URL read, or a description of the bytes or module. */
  readonly where: string;
}

/** A narrow view of the host's `process` global (Deno 2, Node, Bun), if any. */
type Host = { process?: { cwd?: () => string } };

/** The part of `node:fs/promises` the loader uses. */
type ReadFile = (path: URL) => Promise<Uint8Array>;

/**
 * Resolves a path or URL string to a URL: a URL (`file:`, `https:`, ...)
 * as it is, an absolute path as a `file:` URL, a relative path against the
 * working directory.
 *
 * @throws {SpecLoadError} `relative_path` for a relative path where there
 * is no working directory (a Worker, a browser).
 *
 * @example Resolve a relative path
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveSpecUrl } from "./spec_source.ts";
 * assert.equal(resolveSpecUrl("/tmp/dist/lease.js").href, "file:///tmp/dist/lease.js");
 * assert.equal(resolveSpecUrl("dist/lease.js").href, `file://${Deno.cwd()}/dist/lease.js`);
 * assert.equal(resolveSpecUrl("https://example.com/lease.wasm").protocol, "https:");
 * ```
 */
export function resolveSpecUrl(source: URL | string): URL {
  if (source instanceof URL) return source;
  if (/^[A-Za-z][A-Za-z0-9+.-]+:/.test(source)) return new URL(source);
  const path = source.replaceAll("\\", "/");
  const url = new URL("file:///");
  if (path.startsWith("/") || /^[A-Za-z]:\//.test(path)) {
    url.pathname = path;
    return url;
  }
  const cwd = (globalThis as Host).process?.cwd?.();
  if (cwd === undefined) {
    const msg =
      `Cannot resolve relative path '${source}' without a working directory: pass a URL, the bytes or a WebAssembly.Module`;
    throw new SpecLoadError("relative_path", msg, { where: source });
  }
  url.pathname = `${cwd.replaceAll("\\", "/").replace(/\/?$/, "/")}`;
  return new URL(path, url);
}

/**
 * The file a spec URL is read from: the core module `<name>.core.wasm`
 * beside jco bindings `<name>.js` (or `.mjs`, `.cjs`), any other URL as it is.
 *
 * @example The core module beside the bindings
 * ```ts
 * import assert from "node:assert/strict";
 * import { specFileUrl } from "./spec_source.ts";
 * const core = specFileUrl(new URL("file:///srv/dist/lease.js"));
 * assert.equal(core.href, "file:///srv/dist/lease.core.wasm");
 * assert.equal(specFileUrl(new URL("https://cdn.test/lease.wasm?v=2")).href, "https://cdn.test/lease.wasm?v=2");
 * ```
 */
export function specFileUrl(url: URL): URL {
  if (!/\.[cm]?js$/.test(url.pathname)) return url;
  const core = new URL(url.href);
  core.pathname = url.pathname.replace(/\.[cm]?js$/, ".core.wasm");
  return core;
}

/** `readFile` of `node:fs/promises`, imported on first use; `undefined` where there is none. */
async function nodeReadFile(): Promise<ReadFile | undefined> {
  // A specifier bundlers leave alone: a Worker bundle must not need `node:fs`.
  const specifier = "node:fs/promises";
  try {
    const fs = await import(specifier) as { readFile?: ReadFile };
    return typeof fs.readFile === "function" ? fs.readFile : undefined;
  } catch {
    return undefined;
  }
}

/** The error code of a `node:fs` failure, if any. */
function errorCode(error: unknown): unknown {
  return typeof error === "object" && error !== null
    ? (error as { code?: unknown }).code
    : undefined;
}

async function readFileUrl(url: URL, what: string): Promise<Uint8Array> {
  const where = url.href;
  const readFile = await nodeReadFile();
  if (readFile === undefined) {
    const msg =
      `Cannot read ${what} '${where}': this runtime has no 'node:fs/promises' (pass the bytes or a WebAssembly.Module)`;
    throw new SpecLoadError("unreadable", msg, { where });
  }
  try {
    return await readFile(url);
  } catch (cause) {
    const code = errorCode(cause);
    if (code === "ENOENT" || code === "ENOTDIR") {
      throw new SpecLoadError("not_found", `No ${what} at '${where}'`, { where, cause });
    }
    throw new SpecLoadError("unreadable", `Cannot read ${what} '${where}'`, { where, cause });
  }
}

async function fetchUrl(url: URL, what: string): Promise<Uint8Array> {
  const where = url.href;
  let response: Response;
  try {
    response = await fetch(url);
  } catch (cause) {
    throw new SpecLoadError("unreadable", `Cannot fetch ${what} '${where}'`, { where, cause });
  }
  if (response.status === 404 || response.status === 410) {
    await response.body?.cancel();
    const msg = `No ${what} at '${where}' (HTTP status ${response.status})`;
    throw new SpecLoadError("not_found", msg, { where });
  }
  if (!response.ok) {
    await response.body?.cancel();
    const msg = `Cannot fetch ${what} '${where}': HTTP status ${response.status}`;
    throw new SpecLoadError("unreadable", msg, { where });
  }
  try {
    return new Uint8Array(await response.arrayBuffer());
  } catch (cause) {
    throw new SpecLoadError("unreadable", `Cannot fetch ${what} '${where}'`, { where, cause });
  }
}

/** Reads the bytes a URL names (`file:` from disk, anything else by `fetch`). */
function readUrl(url: URL, what: string): Promise<Uint8Array> {
  return url.protocol === "file:" ? readFileUrl(url, what) : fetchUrl(url, what);
}

/** Compiles synchronously, or asynchronously where the host refuses (a RangeError). */
async function compile(bytes: Uint8Array, where: string): Promise<WebAssembly.Module> {
  const owned: Uint8Array<ArrayBuffer> = bytes.buffer instanceof ArrayBuffer
    ? bytes as Uint8Array<ArrayBuffer>
    : new Uint8Array(bytes);
  try {
    try {
      // Synchronous compilation: async compile is far slower with other WASM loaded.
      return new WebAssembly.Module(owned);
    } catch (error) {
      // A browser's main thread refuses to compile large modules synchronously.
      if (error instanceof RangeError) return await WebAssembly.compile(owned);
      throw error;
    }
  } catch (cause) {
    const detail = cause instanceof Error ? `: ${cause.message}` : "";
    const hint = /disallowed/i.test(detail)
      ? " (where WebAssembly cannot be compiled at run time, import the .core.wasm as a module and pass it)"
      : "";
    const msg = `Cannot compile '${where}' as WebAssembly${detail}${hint}`;
    throw new SpecLoadError("not_wasm", msg, { where, cause });
  }
}

/** The first bytes of a non-WebAssembly source, for the error message. */
function peek(bytes: Uint8Array): string {
  if (bytes.length === 0) return "it is empty";
  const head = [...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, "0")).join(" ");
  return `it starts with bytes ${head}, not the WebAssembly magic 00 61 73 6d`;
}

/** The core module with the `vigil` section in a core module's or a component's bytes. */
async function moduleOfBytes(bytes: Uint8Array, where: string): Promise<CompiledModule> {
  const kind = wasmKind(bytes);
  if (kind === undefined) {
    const msg = `'${where}' is not WebAssembly (${
      peek(bytes)
    }): pass a compiled spec's '<name>.core.wasm', '<name>.wasm' or '<name>.js'`;
    throw new SpecLoadError("not_wasm", msg, { where });
  }
  if (kind === "module") {
    const module = await compile(bytes, where);
    const meta = decodeMeta(module, where);
    if (meta === undefined) {
      const msg = `Core module '${where}' has no 'vigil' custom section: not a compiled Vigil spec`;
      throw new SpecLoadError("missing_meta", msg, { where });
    }
    return { module, meta, where };
  }
  const parts = componentCoreModules(bytes, where);
  for (const part of parts) {
    const module = await compile(part, where);
    const meta = decodeMeta(module, where);
    if (meta !== undefined) return { module, meta, where };
  }
  const msg =
    `Component '${where}' holds no core module with a 'vigil' custom section (${parts.length} core modules): not a compiled Vigil spec`;
  throw new SpecLoadError("missing_meta", msg, { where });
}

/**
 * Finds a compiled spec's core module and its metadata in a source:
 * reads the file or URL, extracts the core module of a component, and
 * checks the `vigil` section.
 *
 * @throws {SpecLoadError} When the source cannot be read, is not
 * WebAssembly, has no `vigil` section, or was compiled for another ABI.
 * @throws {TypeError} When `source` is none of the {@link SpecSource} kinds.
 *
 * @example Find the core module in a module's bytes
 * ```ts
 * import assert from "node:assert/strict";
 * import { compiledModuleOf } from "./spec_source.ts";
 * import { SpecLoadError } from "./bindings.ts";
 * // An empty core module: WebAssembly, but not a compiled spec.
 * const empty = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
 * await assert.rejects(
 *   compiledModuleOf(empty),
 *   (e) => e instanceof SpecLoadError && e.reason === "missing_meta",
 * );
 * ```
 */
export async function compiledModuleOf(source: SpecSource): Promise<CompiledModule> {
  if (source instanceof WebAssembly.Module) {
    const where = "WebAssembly.Module";
    const meta = decodeMeta(source, where);
    if (meta === undefined) {
      const msg =
        "The WebAssembly.Module has no 'vigil' custom section: pass a compiled spec's core module ('<name>.core.wasm')";
      throw new SpecLoadError("missing_meta", msg, { where });
    }
    return { module: source, meta, where };
  }
  if (source instanceof Uint8Array) {
    return await moduleOfBytes(source, `Uint8Array of ${source.length} bytes`);
  }
  if (source instanceof ArrayBuffer) {
    return await moduleOfBytes(new Uint8Array(source), `ArrayBuffer of ${source.byteLength} bytes`);
  }
  if (typeof source === "string" || source instanceof URL) {
    const named = resolveSpecUrl(source);
    const file = specFileUrl(named);
    const what = file === named
      ? "compiled spec"
      : `core module (beside the bindings '${named.href}')`;
    return await moduleOfBytes(await readUrl(file, what), file.href);
  }
  const got = source === null ? "null" : typeof source;
  throw new TypeError(
    `Expected a URL, a path, bytes or a WebAssembly.Module as the spec source, got '${got}'`,
  );
}
