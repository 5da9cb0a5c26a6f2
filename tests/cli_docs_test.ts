/**
 * `docs/cli.md` documents every command of `vigil --help` and, in each
 * command's section, every flag its `--help` lists, and no flag the
 * command does not have. The help texts come from the CLI's `main` in this
 * process (`tests/cli_usage_test.ts` runs `vigil <command> --help` as a
 * process: its layout, and every flag it lists parsed).
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { main } from "../cli/main.ts";
import { ROOT } from "../tools/harness/spec_files.ts";

/** What `vigil ...args` prints on standard output, run in this process (exit code 0 expected). */
async function helpOf(args: readonly string[]): Promise<string> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...data: unknown[]) => void lines.push(data.map(String).join(" "));
  let code: number;
  try {
    code = await main(args);
  } finally {
    console.log = log;
  }
  assert.equal(code, 0, `vigil ${args.join(" ")}`);
  return lines.map((l) => `${l}\n`).join("");
}

const DOC = await readFile(`${ROOT}docs/cli.md`, "utf8");

/** The text of the section `## \`vigil <command>\`` (up to the next `## `). */
function section(command: string): string {
  const start = DOC.indexOf(`\n## \`vigil ${command}\`\n`);
  assert.ok(start >= 0, `docs/cli.md has a section for 'vigil ${command}'`);
  const end = DOC.indexOf("\n## ", start + 1);
  return DOC.slice(start, end < 0 ? undefined : end);
}

function flagsIn(text: string): Set<string> {
  return new Set([...text.matchAll(/--([a-z][a-z0-9-]*)/g)].map((m) => m[1]!));
}

Deno.test("docs/cli.md documents every command, and in each every flag its --help lists and no other", async () => {
  const top = await helpOf(["--help"]);
  const commands = [...top.matchAll(/^ {2}([a-z]+) {2,}/gm)].map((m) => m[1]!);
  assert.deepEqual(commands, [
    "compile",
    "check",
    "collector",
    "replay",
    "diff",
    "fmt",
    "demo",
    "lsp",
  ]);
  for (const command of commands) {
    const help = await helpOf([command, "--help"]);
    const options = help.slice(
      help.indexOf("\nOptions:\n"),
      help.search(/\n(Examples:|Exit codes)/),
    );
    const listed = [...options.matchAll(/^ {2}(?:-\w, )?--([a-z][a-z0-9-]*)/gm)].map((m) => m[1]!)
      .filter((f) => f !== "help");
    assert.ok(listed.length > 0, `${command}: flags listed`);
    const documented = flagsIn(section(command));
    const missing = listed.filter((f) => !documented.has(f));
    assert.deepEqual(missing, [], `flags of 'vigil ${command}' missing from docs/cli.md`);
    const known = flagsIn(help);
    const stale = [...documented].filter((f) => !known.has(f) && f !== "help");
    assert.deepEqual(
      stale,
      [],
      `flags in docs/cli.md that 'vigil ${command} --help' does not know`,
    );
  }
});
