/**
 * Test helpers: the example specs and compiling them to a temporary directory.
 *
 * @module
 */
import { compile } from "../../lib/compile.ts";
import { loadCompiled } from "../../lib/abi/mod.ts";
import type { CompiledSpec } from "../../lib/abi/mod.ts";
import type { Program } from "../../lib/ir.ts";

/** The repository root, as a directory path. */
export const ROOT = new URL("../..", import.meta.url).pathname;

/** Fixed compile times so generated provenance is reproducible. */
export const FIXED_TIMES = { start: "2026-01-01T00:00:00.000Z", end: "2026-01-01T00:00:01.000Z" };

/** Names (without extension) of every spec in `specs/`, sorted. */
export function specNames(): string[] {
  const names: string[] = [];
  for (const e of Deno.readDirSync(`${ROOT}specs`)) {
    if (e.isFile && e.name.endsWith(".vigil")) names.push(e.name.slice(0, -6));
  }
  return names.sort();
}

/** The source text of `specs/<name>.vigil`. */
export function specSource(name: string): string {
  return Deno.readTextFileSync(`${ROOT}specs/${name}.vigil`);
}

/** A spec compiled into a fresh temporary directory and loaded through its bindings. */
export interface CompiledForTest {
  readonly dir: string;
  readonly program: Program;
  readonly spec: CompiledSpec;
  readonly files: ReadonlyMap<string, Uint8Array>;
}

/** Compiles `source` (file name `name.vigil`), writes the artifacts to a temp dir, loads them. */
export async function compileToTemp(name: string, source: string): Promise<CompiledForTest> {
  const result = await compile(source, { fileName: `${name}.vigil`, times: FIXED_TIMES });
  if (result.program === null || result.files.size === 0) {
    throw new Error(`Spec '${name}' did not compile: ${JSON.stringify(result.diagnostics)}`);
  }
  const dir = await Deno.makeTempDir({ prefix: `vigil-${name}-` });
  for (const [file, bytes] of result.files) await Deno.writeFile(`${dir}/${file}`, bytes);
  const spec = await loadCompiled(`${dir}/${name}.js`);
  return { dir, program: result.program, spec, files: result.files };
}
