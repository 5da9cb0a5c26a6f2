/**
 * The component layer: wraps a compiled core module into a WebAssembly
 * component with its WIT world, and transpiles the component to JavaScript
 * bindings with jco 1.10.2. This module is the only wall around jco.
 *
 * The bindings are generated in `async` instantiation mode: the `<name>.js`
 * file exports `instantiate(getCoreModule, imports, instantiateCore)` and
 * loads nothing by itself, so the loader (`lib/abi/loader.ts`) supplies the
 * core module and captures its instance and memory. The core module keeps
 * its `vigil` custom section through `componentNew` and `transpile`.
 *
 * @module
 */
import { componentEmbed, componentNew, transpile } from "@bytecodealliance/jco";

/**
 * Embeds the WIT world into a core module and makes a component of it.
 *
 * @param core The core module's bytes; its exports must match the world.
 * @param wit The WIT package text (see `witOf`).
 * @param world The world name as `worldOf` returns it.
 * @returns The component's bytes.
 * @throws {Error} When the WIT text does not parse or the core module does
 * not implement the world (a compiler bug; the jco message is the cause).
 *
 * @example Make a component
 * ```ts ignore
 * import { componentize } from "./component.ts";
 * import { witOf, worldOf } from "./wit.ts";
 * // const component = await componentize(core, witOf(meta), worldOf(meta));
 * ```
 */
export async function componentize(
  core: Uint8Array,
  wit: string,
  world: string,
): Promise<Uint8Array<ArrayBuffer>> {
  let embedded: Uint8Array;
  try {
    embedded = await componentEmbed({ binary: core, witSource: wit, world });
  } catch (cause) {
    throw new Error(`Cannot embed WIT world '${world}': ${String(cause)}`, { cause });
  }
  try {
    return await componentNew(embedded, []) as Uint8Array<ArrayBuffer>;
  } catch (cause) {
    throw new Error(`Cannot make a component of world '${world}': ${String(cause)}`, { cause });
  }
}

/**
 * Transpiles a component to JavaScript bindings loadable with no compiler
 * present: `<name>.js` (async instantiation mode, not minified), its
 * `<name>.d.ts`, and the core module `<name>.core.wasm`.
 *
 * @param component The component's bytes (see `componentize`).
 * @param name The base name of the generated files, e.g. `lease`.
 * @returns File name to bytes.
 *
 * @example Transpile and list the files
 * ```ts ignore
 * import { transpileComponent } from "./component.ts";
 * // const files = await transpileComponent(component, "lease");
 * // Object.keys(files) -> ["lease.core.wasm", "lease.d.ts", "lease.js"]
 * ```
 */
export async function transpileComponent(
  component: Uint8Array,
  name: string,
): Promise<Record<string, Uint8Array<ArrayBuffer>>> {
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) {
    throw new TypeError(`Invalid bindings name '${name}': use letters, digits, '_', '.' or '-'`);
  }
  const { files } = await transpile(component, {
    name,
    instantiation: "async",
    // No `process` probe and no Node file reading in the bindings.
    nodejsCompat: false,
    minify: false,
    optimize: false,
    tlaCompat: false,
  });
  // jco names files by the `name` option; keep them sorted for stable output.
  const sorted = Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1));
  return Object.fromEntries(sorted) as Record<string, Uint8Array<ArrayBuffer>>;
}
