/**
 * Every command's `--help` in one layout: usage, what it does, options,
 * examples, exit codes. The options listed are also the flags the command
 * parses ({@link flagSpecOf}), so a flag cannot be accepted without being
 * documented, nor documented without being accepted.
 *
 * @module
 */
import type { FlagSpec } from "./flags.ts";

/** One option line: the flag as shown and what it does. */
export interface OptionHelp {
  /**
   * The flag as shown: `--port n` (takes a value), `--json` (boolean),
   * `-q, --quiet` (with a one-letter alias).
   */
  readonly flag: string;
  /** What it does; wrapped at 80 columns, and `\n` starts a new line. */
  readonly help: string;
}

/** A command's help. */
export interface CommandHelp {
  /** Usage lines without `Usage: ` (`vigil diff <old> <new> [options]`). */
  readonly usage: readonly string[];
  /** What the command does, as lines of text. */
  readonly summary: string;
  /** Options in the order shown; `-h, --help` is added last. */
  readonly options: readonly OptionHelp[];
  /** Example command lines (a `# ...` line comments the next one). */
  readonly examples: readonly string[];
  /** Exit codes and what each means. */
  readonly exitCodes: readonly (readonly [number, string])[];
  /** A closing paragraph (notes, where the docs are). */
  readonly notes?: string;
}

const HELP_OPTION: OptionHelp = { flag: "-h, --help", help: "show this help" };
const COLUMN = 26;
const WIDTH = 80;

/** Splits `text` into lines of at most `width` characters at spaces (a longer word stays whole). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const piece of text.split("\n")) {
    let line = "";
    for (const word of piece.split(" ")) {
      if (line !== "" && line.length + 1 + word.length > width) {
        lines.push(line);
        line = word;
      } else line = line === "" ? word : `${line} ${word}`;
    }
    lines.push(line);
  }
  return lines;
}

function optionLines(o: OptionHelp): string[] {
  const [first = "", ...rest] = wrap(o.help, WIDTH - COLUMN);
  const head = `  ${o.flag}`;
  const pad = " ".repeat(COLUMN);
  const lines = head.length < COLUMN - 1 ? [head.padEnd(COLUMN) + first] : [head, pad + first];
  for (const r of rest) lines.push(pad + r);
  return lines;
}

/**
 * Renders a command's help.
 *
 * @example The layout every command shares
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatHelp } from "./help.ts";
 * const text = formatHelp({
 *   usage: ["vigil hello [options]"],
 *   summary: "Says hello.",
 *   options: [{ flag: "--name s", help: "whom to greet" }],
 *   examples: ["vigil hello --name Ada"],
 *   exitCodes: [[0, "greeted"], [2, "usage error"]],
 * });
 * assert.equal(text.split("\n")[0], "Usage: vigil hello [options]");
 * assert.match(text, /\nOptions:\n  --name s {16}whom to greet\n  -h, --help {14}show this help\n/);
 * assert.match(text, /\nExamples:\n  vigil hello --name Ada\n/);
 * assert.match(text, /\nExit codes:\n  0  greeted\n  2  usage error$/);
 * ```
 */
export function formatHelp(help: CommandHelp): string {
  const out: string[] = [];
  help.usage.forEach((u, i) => out.push(`${i === 0 ? "Usage:" : "      "} ${u}`));
  out.push("", help.summary.trimEnd(), "", "Options:");
  for (const o of [...help.options, HELP_OPTION]) out.push(...optionLines(o));
  if (help.examples.length > 0) {
    out.push("", "Examples:");
    for (const e of help.examples) out.push(`  ${e}`);
  }
  out.push("", "Exit codes:");
  for (const [code, what] of help.exitCodes) {
    const [first = "", ...rest] = wrap(what, WIDTH - 5);
    out.push(`  ${code}  ${first}`, ...rest.map((r) => `     ${r}`));
  }
  if (help.notes !== undefined) out.push("", help.notes.trimEnd());
  return out.join("\n");
}

/**
 * The flags a help's options declare: `--name value` takes a value,
 * `--name` alone is a boolean, `-x, --name` adds the alias `x`; `-h,
 * --help` is always there. `extra` adds flags accepted but not shown
 * (older spellings kept for scripts).
 *
 * @example Flags from options
 * ```ts
 * import assert from "node:assert/strict";
 * import { flagSpecOf } from "./help.ts";
 * const spec = flagSpecOf({
 *   usage: ["vigil x"],
 *   summary: "",
 *   options: [{ flag: "--out dir", help: "" }, { flag: "-q, --quiet", help: "" }],
 *   examples: [],
 *   exitCodes: [],
 * }, { string: ["window-ms"] });
 * assert.deepEqual(spec.string, ["out", "window-ms"]);
 * assert.deepEqual(spec.boolean, ["quiet", "help"]);
 * assert.deepEqual(spec.alias, { q: "quiet", h: "help" });
 * ```
 */
export function flagSpecOf(help: CommandHelp, extra: FlagSpec = {}): FlagSpec {
  const string: string[] = [];
  const boolean: string[] = [];
  const alias: Record<string, string> = {};
  for (const o of [...help.options, HELP_OPTION]) {
    const m = /^(?:-([A-Za-z]), )?--([a-z][a-z0-9-]*)( \S.*)?$/.exec(o.flag);
    if (m === null) throw new TypeError(`Option '${o.flag}' is not '[-x, ]--name [value]'`);
    (m[3] === undefined ? boolean : string).push(m[2]!);
    if (m[1] !== undefined) alias[m[1]] = m[2]!;
  }
  return {
    string: [...string, ...(extra.string ?? [])],
    boolean: [...boolean, ...(extra.boolean ?? [])],
    alias: { ...alias, ...(extra.alias ?? {}) },
  };
}
