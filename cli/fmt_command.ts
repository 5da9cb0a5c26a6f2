/**
 * `vigil fmt [--check] <files or folders>...`: writes specs in the one
 * canonical layout (`lib/format/`, described in `docs/formatting.md`).
 * Folders are searched for `.vigil` files, their subfolders too (not
 * `node_modules` nor hidden folders). Without `--check` each spec whose
 * layout differs is rewritten in place; with `--check` nothing is written
 * and the specs that would change are listed (exit 1), for CI. A spec that
 * does not parse is reported with its diagnostics (exit 2) and the other
 * specs are still handled. `-` reads a spec from standard input and writes
 * it formatted to standard output (for editors), or with `--check` only
 * says whether it is formatted.
 *
 * @module
 */
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { Buffer } from "node:buffer";
import process from "node:process";
import { formatSpec } from "../lib/format/mod.ts";
import { renderDiagnostic } from "../lib/syntax/diagnostic.ts";
import { LineIndex } from "../lib/syntax/source.ts";
import { parseFlags, UsageError } from "./flags.ts";
import { type CommandHelp, flagSpecOf, formatHelp } from "./help.ts";

const HELP_SPEC: CommandHelp = {
  usage: ["vigil fmt [--check] <file.vigil | folder>...", "vigil fmt [--check] -"],
  summary: `Writes specs in the one canonical layout: two spaces per level, one item or
statement per line, a blank line around actions, invariants and other items
with a body, spaces around operators, long expressions broken before their
loosest operators at 100 columns, comments kept where they are, \\n line
ends. Only the layout changes: the formatted spec compiles to the same
WebAssembly. Folders are searched for .vigil files, subfolders included.
With -, the spec is read from standard input and written formatted to
standard output.`,
  options: [{
    flag: "--check",
    help: "write nothing; list the specs whose layout differs and exit 1 if any",
  }],
  examples: [
    "vigil fmt specs/",
    "# in CI: fail when a spec is not formatted",
    "vigil fmt --check specs/ examples/",
    "# an editor's format command",
    "vigil fmt - < specs/lease.vigil",
  ],
  exitCodes: [
    [0, "every spec is formatted (or was rewritten)"],
    [1, "with --check: some specs are not formatted (they are listed)"],
    [2, "usage error, a path that cannot be read, or a spec that does not parse"],
  ],
  notes: "The layout is described in docs/formatting.md.",
};

/** `vigil fmt --help`. */
export const HELP: string = formatHelp(HELP_SPEC);

/** Folders never searched for specs. */
function skipped(name: string): boolean {
  return name === "node_modules" || name.startsWith(".");
}

/** The `.vigil` files under `folder`, subfolders included, sorted by path. */
async function specsUnder(folder: string): Promise<string[]> {
  const found: string[] = [];
  const base = folder.replace(/\/+$/, "") || "/";
  const entries = await readdir(base, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const path = base === "/" ? `/${e.name}` : `${base}/${e.name}`;
    if (e.isDirectory() && !skipped(e.name)) found.push(...await specsUnder(path));
    else if (e.isFile() && e.name.endsWith(".vigil")) found.push(path);
  }
  return found;
}

/**
 * The spec files named by the arguments: a file as given, a folder as its
 * `.vigil` files (subfolders included); each file once.
 *
 * @throws {UsageError} When a path does not exist.
 */
async function specFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const p of paths) {
    if (p === "-") {
      files.push(p);
      continue;
    }
    const info = await stat(p).catch(() => null);
    if (info === null) throw new UsageError(`No such file or directory '${p}'`);
    files.push(...(info.isDirectory() ? await specsUnder(p) : [p]));
  }
  return [...new Set(files)];
}

/** All of standard input, as text. */
async function standardInput(): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Uint8Array);
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Runs `vigil fmt`; returns the exit code.
 *
 * @example Check a formatted spec, then show the help
 * ```ts
 * import assert from "node:assert/strict";
 * import { fmtCommand } from "./fmt_command.ts";
 * assert.equal(await fmtCommand(["--check", "specs/lease.vigil"]), 0);
 * assert.equal(await fmtCommand(["--help"]), 0);
 * ```
 */
export async function fmtCommand(args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, flagSpecOf(HELP_SPEC));
  if (flags.boolean.has("help")) {
    console.log(HELP);
    return 0;
  }
  if (flags.positional.length === 0) {
    throw new UsageError("Expected at least one spec file or folder");
  }
  const check = flags.boolean.has("check");
  const files = await specFiles(flags.positional);
  let unparsed = 0;
  const differing: string[] = [];
  for (const file of files) {
    let source: string;
    try {
      source = file === "-" ? await standardInput() : await readFile(file, "utf8");
    } catch (e) {
      console.error(`vigil fmt: cannot read '${file}': ${(e as Error).message}`);
      unparsed++;
      continue;
    }
    const result = formatSpec(source);
    if ("diagnostics" in result) {
      const index = new LineIndex(source);
      const name = file === "-" ? "<stdin>" : file;
      for (const d of result.diagnostics) console.error(renderDiagnostic(d, index, name) + "\n");
      console.error(`vigil fmt: '${name}' does not parse; it was left as it is`);
      unparsed++;
      continue;
    }
    if (file === "-" && !check) {
      process.stdout.write(result.text);
      continue;
    }
    if (result.text === source) continue;
    differing.push(file);
    if (check) {
      console.log(`not formatted: ${file === "-" ? "<stdin>" : file}`);
    } else {
      await writeFile(file, result.text);
      console.log(`formatted ${file}`);
    }
  }
  if (files.length === 1 && files[0] === "-" && unparsed === 0) {
    return check && differing.length > 0 ? 1 : 0;
  }
  const verb = check ? "not formatted" : "formatted";
  const problems = unparsed === 0 ? "" : `, ${unparsed} could not be read or parsed`;
  const specs = `${files.length} spec${files.length === 1 ? "" : "s"}`;
  console.error(`vigil fmt: ${specs}, ${differing.length} ${verb}${problems}`);
  if (unparsed > 0) return 2;
  return check && differing.length > 0 ? 1 : 0;
}
