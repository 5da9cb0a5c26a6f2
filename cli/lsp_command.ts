/**
 * `vigil lsp`: the language server for `.vigil` files, speaking the
 * Language Server Protocol over standard input and output
 * (`editor/lsp/`). Editors start it (the VS Code extension in
 * `editor/vscode/` runs the user's `vigil lsp`); `docs/editor.md` says how
 * to set up others. Standard output carries only protocol messages, so
 * anything logged goes to standard error.
 *
 * @module
 */
import process from "node:process";
import { serveLanguage } from "../editor/lsp/mod.ts";
import { parseFlags, UsageError } from "./flags.ts";
import { type CommandHelp, flagSpecOf, formatHelp } from "./help.ts";
import { packageInfo } from "./package_info.ts";

const HELP_SPEC: CommandHelp = {
  usage: ["vigil lsp [--stdio]"],
  summary: `Runs the Vigil language server on standard input and output, for an editor
to start: diagnostics as you type (every one, with its code), hover (types,
constant values, doc comments), go to definition, find references, rename
(refused when the new name would clash), completion, signature help, the
outline of a spec and formatting (the layout of 'vigil fmt'). It stops when
the editor sends 'exit' or closes its input.`,
  options: [{
    flag: "--stdio",
    help: "talk over standard input and output (the default and only transport)",
  }],
  examples: [
    "vigil lsp",
    "# in an editor's server settings: command 'vigil', arguments 'lsp'",
  ],
  exitCodes: [
    [0, "the editor sent 'shutdown' then 'exit'"],
    [1, "the editor sent 'exit' without 'shutdown', or closed the input first"],
    [2, "usage error"],
  ],
  notes: "Setting up VS Code, Neovim, Emacs and Helix: docs/editor.md.",
};

/** `vigil lsp --help`. */
export const HELP: string = formatHelp(HELP_SPEC);

/**
 * Runs `vigil lsp`; returns the exit code when the editor is done.
 *
 * @example The help
 * ```ts
 * import assert from "node:assert/strict";
 * import { HELP, lspCommand } from "./lsp_command.ts";
 * assert.match(HELP, /^Usage: vigil lsp/);
 * assert.equal(await lspCommand(["--help"]), 0);
 * ```
 */
export async function lspCommand(args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, flagSpecOf(HELP_SPEC));
  if (flags.boolean.has("help")) {
    console.log(HELP);
    return 0;
  }
  if (flags.positional.length > 0) {
    throw new UsageError(`Unexpected argument '${flags.positional[0]}': 'vigil lsp' takes none`);
  }
  // Standard output is the protocol's: whatever is logged goes to standard error.
  const toStderr = (...data: unknown[]) => console.error(...data);
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
  const { version } = await packageInfo();
  return await serveLanguage({ input: process.stdin, output: process.stdout }, { version });
}
