/**
 * The specs a command is given (`--spec`, repeatable), loaded in order:
 * compiled bindings (`dist/<name>.js`, or its `.core.wasm` or component
 * `.wasm`), or a spec source (`<name>.vigil`), compiled in memory. A file
 * that cannot be loaded is a usage error naming it; a source with errors
 * prints its diagnostics and is a {@link CommandError}; and when the
 * compiler's packages are not installed (an npm install without the
 * optional `binaryen` and `@bytecodealliance/jco`), the error says which
 * command installs them, never a stack trace.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { loadCompiled, SpecLoadError } from "../lib/abi/mod.ts";
import type { CompiledSpec } from "../lib/abi/mod.ts";
import { renderDiagnostic } from "../lib/syntax/diagnostic.ts";
import { LineIndex } from "../lib/syntax/source.ts";
import { CommandError } from "./command_error.ts";
import { UsageError } from "./flags.ts";
import { COMPILER_PACKAGES, installCommand, missingPackage } from "./package_info.ts";

/** Options of {@link loadSpecFiles}. */
export interface LoadSpecOptions {
  /** The command, for messages (`vigil collector`). Default `vigil`. */
  readonly command?: string;
  /** Where notes and diagnostics go. Default `console.error`. */
  readonly log?: (line: string) => void;
}

/** The spec name a source file gives its outputs (`specs/lease.vigil` -> `lease`). */
function baseName(path: string): string {
  return path.replace(/^.*[\\/]/, "").replace(/\.vigil$/, "");
}

/**
 * Compiles the spec source at `path` in memory and loads it.
 *
 * @throws {UsageError} When the file cannot be read.
 * @throws {CommandError} When the source has errors (printed first), or
 * the compiler's packages are missing (the message says which command
 * installs them).
 *
 * @example Compile a spec source and load it
 * ```ts
 * import assert from "node:assert/strict";
 * import { compileSpecFile } from "./spec_files.ts";
 * const notes: string[] = [];
 * const lease = await compileSpecFile("specs/lease.vigil", { log: (l) => notes.push(l) });
 * assert.equal(lease.meta.name, "Lease");
 * assert.match(notes[0] ?? "", /compiled 'specs\/lease\.vigil' in memory \(spec Lease, \d+ ms\)/);
 * ```
 */
export async function compileSpecFile(
  path: string,
  options: LoadSpecOptions = {},
): Promise<CompiledSpec> {
  const command = options.command ?? "vigil";
  const log = options.log ?? ((line: string) => console.error(line));
  let source: string;
  try {
    source = await readFile(path, "utf8");
  } catch (e) {
    throw new UsageError(`Cannot read spec '${path}': ${(e as Error).message}`);
  }
  const t0 = performance.now();
  let compiler: typeof import("../lib/compile.ts");
  try {
    compiler = await import("../lib/compile.ts");
  } catch (e) {
    const missing = missingPackage(e);
    if (missing === null) throw e;
    const base = baseName(path);
    throw new CommandError(
      `Compiling '${path}' needs the compiler's packages, and '${missing}' is not installed: ` +
        `run '${await installCommand(
          COMPILER_PACKAGES,
        )}', or compile it where they are installed with ` +
        `'vigil compile ${path} --out dist/' and give '--spec dist/${base}.js'`,
      { cause: e },
    );
  }
  const result = await compiler.compile(source, { fileName: path });
  const index = new LineIndex(source);
  for (const d of result.diagnostics) log(renderDiagnostic(d, index, path) + "\n");
  const core = result.files.get(`${baseName(path)}.core.wasm`);
  if (core === undefined) {
    const errors = result.diagnostics.filter((d) => d.severity === "error").length;
    throw new CommandError(
      `Spec '${path}' does not compile: ${errors} error${errors === 1 ? "" : "s"} (printed above)`,
    );
  }
  const spec = await loadCompiled(core);
  const ms = (performance.now() - t0).toFixed(0);
  log(`${command}: compiled '${path}' in memory (spec ${spec.meta.name}, ${ms} ms)`);
  return spec;
}

/**
 * Loads each spec of `paths`: a `.vigil` source is compiled in memory
 * ({@link compileSpecFile}), anything else is loaded as compiled output.
 *
 * @throws {UsageError} When one cannot be loaded (missing, not compiled bindings, another ABI).
 * @throws {CommandError} When a source does not compile, or the compiler is not installed.
 *
 * @example A missing file is a usage error naming it
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadSpecFiles } from "./spec_files.ts";
 * await assert.rejects(loadSpecFiles(["no/such/spec.js"]), /Cannot load spec 'no\/such\/spec\.js'/);
 * ```
 */
export async function loadSpecFiles(
  paths: readonly string[],
  options: LoadSpecOptions = {},
): Promise<CompiledSpec[]> {
  const specs: CompiledSpec[] = [];
  for (const p of paths) {
    if (p.endsWith(".vigil")) {
      specs.push(await compileSpecFile(p, options));
      continue;
    }
    try {
      specs.push(await loadCompiled(p));
    } catch (e) {
      if (e instanceof SpecLoadError) throw new UsageError(`Cannot load spec '${p}': ${e.message}`);
      throw e;
    }
  }
  return specs;
}
