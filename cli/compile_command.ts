/**
 * `vigil compile <spec.vigil | dir>... --out <dir>`: compiles specs and writes
 * their artifacts. Exit code 0 on success, 1 when any spec has diagnostics,
 * 2 for usage errors.
 *
 * @module
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { compile } from "../lib/compile.ts";
import { renderDiagnostic } from "../lib/syntax/diagnostic.ts";
import { LineIndex } from "../lib/syntax/source.ts";
import { parseFlags, UsageError } from "./flags.ts";
import { expandPaths } from "./paths.ts";

const HELP = `Usage: vigil compile <spec.vigil | directory>... [--out dir] [--import-from specifier]

Compiles each spec to dist/: <name>.wasm (component), <name>.wit, <name>.js and
its core module (jco bindings), <name>.monitor.ts (typed class), <name>.prov.jsonld,
<name>.cdx.json and <name>.spdx.json.

Options:
  --out dir               output directory (default: dist)
  --import-from spec      module the generated class imports the SDK from (default: @vigil/vigil)
  --no-optimize           skip binaryen's optimizer
  -q, --quiet             print diagnostics only`;

/** Runs `vigil compile`; returns the process exit code. */
export async function compileCommand(args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, {
    string: ["out", "import-from"],
    boolean: ["no-optimize", "quiet", "help"],
    alias: { q: "quiet", h: "help" },
  });
  if (flags.boolean.has("help")) {
    console.log(HELP);
    return 0;
  }
  if (flags.positional.length === 0) throw new UsageError("Expected at least one spec file");
  const out = (flags.string.get("out") ?? "dist").replace(/\/+$/, "") || ".";
  const files = await expandPaths(flags.positional, { match: /\.vigil$/ });
  let failed = false;
  for (const file of files) {
    const source = await readFile(file, "utf8");
    const t0 = performance.now();
    const importFrom = flags.string.get("import-from");
    const result = await compile(source, {
      fileName: file,
      optimize: !flags.boolean.has("no-optimize"),
      ...(importFrom === undefined ? {} : { importFrom }),
    });
    const index = new LineIndex(source);
    for (const d of result.diagnostics) console.error(renderDiagnostic(d, index, file) + "\n");
    if (result.files.size === 0) {
      failed = true;
      continue;
    }
    await mkdir(out, { recursive: true });
    for (const [name, bytes] of result.files) await writeFile(join(out, name), bytes);
    if (!flags.boolean.has("quiet")) {
      const ms = (performance.now() - t0).toFixed(0);
      console.log(`compiled ${file} -> ${out}/ (${result.files.size} files, ${ms} ms)`);
    }
  }
  return failed ? 1 : 0;
}
