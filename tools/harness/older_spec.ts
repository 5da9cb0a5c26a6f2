/**
 * A compiled spec as it was before an optional export existed: the export
 * is renamed in the core module's bytes (same length, so the module stays
 * valid), and the loader sees no such export. Tests and benchmarks use it
 * to run the fallback path (the full global check) beside the new one.
 *
 * @module
 */

/**
 * `core` (a core module) with export `name` renamed (its last letter
 * replaced), so a loader no longer finds it.
 *
 * @example Hide the incremental global check of lease
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { withoutExport } from "./older_spec.ts";
 * const core = await Deno.readFile("dist/lease.core.wasm");
 * const older = await loadCompiled(withoutExport(core, "global-check-node"));
 * assert.equal(older.globalCheckNode, undefined);
 * ```
 */
export function withoutExport(core: Uint8Array, name: string): Uint8Array {
  const from = new TextEncoder().encode(name);
  const out = core.slice();
  let hits = 0;
  for (let i = 0; i + from.length <= out.length; i++) {
    let same = true;
    for (let j = 0; j < from.length && same; j++) same = out[i + j] === from[j];
    if (!same) continue;
    out[i + from.length - 1] = from[from.length - 1] === 0x78 ? 0x79 : 0x78;
    hits++;
  }
  if (hits !== 1) {
    throw new RangeError(`Export name '${name}' occurs ${hits} times in the core module, not once`);
  }
  return out;
}
