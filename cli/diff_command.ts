/**
 * `vigil diff <old> <new> [--json]`: what changed between two versions of
 * a spec and whether nodes of both can run side by side during a rolling
 * upgrade (`cli/spec_diff.ts`). Each side is a `.vigil` source (checked,
 * not compiled to WebAssembly: no compiler package is needed) or compiled
 * output (`dist/<name>.js`, `.core.wasm`, `.wasm`). Exit code 0 when
 * compatible, 1 when not (for CI, as `buf breaking` does), 2 for a usage
 * error or a side that cannot be read or does not check.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { loadCompiled, SpecLoadError } from "../lib/abi/mod.ts";
import type { SpecMeta } from "../lib/abi/meta.ts";
import { analyze } from "../lib/frontend.ts";
import { initialState } from "../lib/interpreter/interpreter.ts";
import { renderDiagnostic, type sortDiagnostics } from "../lib/syntax/diagnostic.ts";
import { canonicalText, LineIndex } from "../lib/syntax/source.ts";
import { buildMeta } from "../lib/wasm/meta_build.ts";
import { CommandError } from "./command_error.ts";
import { parseFlags, UsageError } from "./flags.ts";
import { type CommandHelp, flagSpecOf, formatHelp } from "./help.ts";
import { diffSpecs, formatDiff, type SpecSide } from "./spec_diff.ts";

const HELP_SPEC: CommandHelp = {
  usage: ["vigil diff <old.vigil | old.js> <new.vigil | new.js> [--json]"],
  summary: `Says what changed between two versions of a spec (variables added, removed or
retyped, enum labels added or removed, actions and properties added, removed
or changed) and whether nodes of both versions can run side by side during a
rolling upgrade: the collector carries older states to the new layout by
variable name; a retyped variable, or a change that converts only some values
(an enum label removed, a range narrowed), is incompatible. A side is a .vigil
source or compiled output (dist/<name>.js); the text of actions and
properties is compared when both are sources.`,
  options: [{ flag: "--json", help: "print the diff as JSON" }],
  examples: [
    "vigil diff specs/lease.vigil specs/lease_v2.vigil",
    "git show main:specs/lease.vigil > old.vigil && vigil diff old.vigil specs/lease.vigil",
    "vigil diff dist/lease.js specs/lease.vigil --json",
  ],
  exitCodes: [
    [0, "compatible (or identical)"],
    [1, "incompatible for a rolling upgrade (the reasons are printed)"],
    [2, "usage error, or a side that cannot be read or does not check"],
  ],
};

/** `vigil diff --help`. */
export const HELP: string = formatHelp(HELP_SPEC);

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The metadata of a spec source, from the front end alone (no WebAssembly
 * is generated, so no compiler package is loaded).
 *
 * @throws {CommandError} (exit code 2) When the source has errors (printed first).
 *
 * @example The metadata of a small spec
 * ```ts
 * import assert from "node:assert/strict";
 * import { metaOfSource } from "./diff_command.ts";
 * const meta = await metaOfSource("spec Toggle\nstate on: bool = false\naction flip\n  on := not on\n", "toggle.vigil");
 * assert.deepEqual(meta.vars.map((v) => v.name), ["on"]);
 * assert.match(meta.sourceHash, /^[0-9a-f]{64}$/);
 * ```
 */
export async function metaOfSource(
  source: string,
  file: string,
  options: { readonly log?: (line: string) => void } = {},
): Promise<SpecMeta> {
  const log = options.log ?? ((line: string) => console.error(line));
  const front = analyze(source);
  const index = new LineIndex(source);
  const show = (ds: Parameters<typeof sortDiagnostics>[0]) => {
    for (const d of ds) log(renderDiagnostic(d, index, file) + "\n");
  };
  const errors = front.diagnostics.filter((d) => d.severity === "error").length;
  if (front.program === null || errors > 0) {
    show(front.diagnostics);
    throw new CommandError(
      `Spec '${file}' does not check: ${errors} error${errors === 1 ? "" : "s"} (printed above)`,
      { exitCode: 2 },
    );
  }
  // Line ends and a leading byte-order mark do not change what a spec means, nor its hash.
  const program = { ...front.program, sourceHash: await sha256Hex(canonicalText(source)) };
  const init = initialState(program);
  if (init.code !== 0) {
    const entry = program.verdicts[init.code];
    throw new CommandError(
      `Spec '${file}': the initial state fails (${entry?.kind} in ${entry?.item}: ${entry?.detail})`,
      { exitCode: 2 },
    );
  }
  return buildMeta(program, init.state);
}

/** One side: a `.vigil` source, or compiled output. */
async function sideOf(file: string): Promise<SpecSide> {
  if (file.endsWith(".vigil")) {
    let source: string;
    try {
      source = await readFile(file, "utf8");
    } catch (e) {
      throw new UsageError(`Cannot read spec '${file}': ${(e as Error).message}`);
    }
    // The text of actions and properties is compared on the canonical text (LF, no mark).
    return { file, meta: await metaOfSource(source, file), source: canonicalText(source) };
  }
  try {
    return { file, meta: (await loadCompiled(file)).meta };
  } catch (e) {
    if (e instanceof SpecLoadError) {
      throw new UsageError(`Cannot load spec '${file}': ${e.message}`);
    }
    throw e;
  }
}

/** Runs `vigil diff`; returns the exit code. */
export async function diffCommand(args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, flagSpecOf(HELP_SPEC));
  if (flags.boolean.has("help")) {
    console.log(HELP);
    return 0;
  }
  if (flags.positional.length !== 2) {
    throw new UsageError(
      `Expected two specs, the old version and the new one, got ${flags.positional.length}`,
    );
  }
  const [oldFile, newFile] = flags.positional as [string, string];
  const diff = diffSpecs(await sideOf(oldFile), await sideOf(newFile));
  console.log(flags.boolean.has("json") ? JSON.stringify(diff, null, 2) : formatDiff(diff));
  return diff.compatible ? 0 : 1;
}
