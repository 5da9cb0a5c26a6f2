/**
 * The compiled specs a command is given (`--spec dist/<name>.js`, repeatable),
 * loaded in order; a file that cannot be loaded is a usage error naming it.
 *
 * @module
 */
import { loadCompiled, SpecLoadError } from "../lib/abi/mod.ts";
import type { CompiledSpec } from "../lib/abi/mod.ts";
import { UsageError } from "./flags.ts";

/**
 * Loads each compiled spec of `paths`.
 *
 * @throws {UsageError} When one cannot be loaded (missing, not compiled bindings, another ABI).
 *
 * @example A missing file is a usage error naming it
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadSpecFiles } from "./spec_files.ts";
 * await assert.rejects(loadSpecFiles(["no/such/spec.js"]), /Cannot load spec 'no\/such\/spec\.js'/);
 * ```
 */
export async function loadSpecFiles(paths: readonly string[]): Promise<CompiledSpec[]> {
  const specs: CompiledSpec[] = [];
  for (const p of paths) {
    try {
      specs.push(await loadCompiled(p));
    } catch (e) {
      if (e instanceof SpecLoadError) throw new UsageError(`Cannot load spec '${p}': ${e.message}`);
      throw e;
    }
  }
  return specs;
}
