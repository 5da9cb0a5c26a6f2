/**
 * `vigil` as a user types it (real subprocesses): `--version` prints the
 * package's version from `deno.json`; each command's `--help` has the same
 * layout and documents every flag the command accepts; a mistyped command
 * or flag is one line on standard error naming the closest known one, exit
 * code 2, no stack; an unexpected error is one line too.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { noStack, runVigil } from "./cli_process.ts";
import { ROOT } from "../tools/harness/spec_files.ts";
import { closest, editDistance } from "../cli/suggest.ts";
import { parseFlags } from "../cli/flags.ts";

const VERSION = JSON.parse(await readFile(`${ROOT}deno.json`, "utf8")).version as string;

/** The commands this file checks the help of (`check` has a help of its own owner). */
const COMMANDS = ["compile", "collector", "replay", "diff", "demo"] as const;

Deno.test("vigil --version and -V print the version of deno.json and the runtime", async () => {
  assert.match(VERSION, /^\d+\.\d+\.\d+/);
  for (const flag of ["--version", "-V", "version"]) {
    const r = await runVigil([flag]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `vigil ${VERSION} (Deno ${Deno.version.deno})\n`);
  }
});

Deno.test("A mistyped command is one line on stderr naming the closest command, exit 2, no stack", async () => {
  const cases: [string, string][] = [["colector", "collector"], ["complie", "compile"], [
    "dif",
    "diff",
  ], ["replya", "replay"]];
  for (const [typed, meant] of cases) {
    const r = await runVigil([typed]);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, "");
    const lines = r.stderr.trimEnd().split("\n");
    assert.equal(lines.length, 1, r.stderr);
    assert.match(
      lines[0]!,
      new RegExp(`^vigil: unknown command '${typed}'; did you mean '${meant}'\\?`),
    );
  }
  const far = await runVigil(["publish"]);
  assert.equal(far.code, 2);
  assert.doesNotMatch(far.stderr, /did you mean/);
  assert.match(far.stderr, /^vigil: unknown command 'publish' \(run 'vigil --help'/);
  const flag = await runVigil(["--versoin"]);
  assert.equal(flag.code, 2);
  assert.match(flag.stderr, /^vigil: unknown flag '--versoin'; did you mean '--version'\?/);
});

Deno.test("A mistyped flag of each command names the closest flag, exit 2, one line, no stack", async () => {
  const cases: [string, string, string][] = [
    ["collector", "--prot", "--port"],
    ["collector", "--sepc", "--spec"],
    ["collector", "--windw", "--window"],
    ["compile", "--ot", "--out"],
    ["replay", "--mpa", "--map"],
    ["diff", "--jsno", "--json"],
    ["demo", "--duraton", "--duration"],
  ];
  for (const [cmd, typed, meant] of cases) {
    const r = await runVigil([cmd, typed, "x"]);
    assert.equal(r.code, 2, `${cmd} ${typed}: ${r.stdout}${r.stderr}`);
    assert.equal(
      r.stderr,
      `vigil ${cmd}: Unknown flag '${typed}'; did you mean '${meant}'?\n`,
      `${cmd} ${typed}`,
    );
    assert.ok(noStack(r.stderr));
  }
});

Deno.test("Each command's --help has the shared layout and lists every flag it parses", async () => {
  for (const cmd of COMMANDS) {
    const r = await runVigil([cmd, "--help"]);
    assert.equal(r.code, 0, `${cmd}: ${r.stderr}`);
    const help = r.stdout;
    assert.match(help, new RegExp(`^Usage: vigil ${cmd} `), cmd);
    const sections = ["Options:", "Examples:", "Exit codes:"].map((s) => help.indexOf(`\n${s}\n`));
    assert.ok(sections.every((i) => i > 0), `${cmd}: sections ${sections}`);
    assert.deepEqual([...sections].sort((a, b) => a - b), sections, `${cmd}: section order`);
    assert.match(help, /\n {2}-h, --help {14}show this help\n/, cmd);
    assert.match(help, /\n {2}2 {2}usage error/, cmd);
    // Every flag listed is accepted: `vigil <cmd> --<flag> ... --help` parses and prints the help.
    const listed = [
      ...help.slice(sections[0]!, sections[1]!).matchAll(
        /^ {2}(?:-\w, )?--([a-z][a-z0-9-]*)( \S+)?/gm,
      ),
    ]
      .map((m) => ({ name: m[1]!, value: m[2] !== undefined }));
    assert.ok(listed.length >= 2, `${cmd}: ${listed.length} flags listed`);
    const args = listed.flatMap((f) => (f.value ? [`--${f.name}`, "1"] : [`--${f.name}`]));
    const all = await runVigil([cmd, ...args.filter((a) => a !== "--help"), "--help"]);
    assert.equal(all.code, 0, `${cmd} with every listed flag: ${all.stderr}`);
    assert.equal(all.stdout, help);
  }
  const top = await runVigil(["--help"]);
  assert.equal(top.code, 0);
  for (const cmd of [...COMMANDS, "check"]) assert.match(top.stdout, new RegExp(`\n {2}${cmd} `));
  for (const cmd of COMMANDS) {
    const viaHelp = await runVigil(["help", cmd]);
    assert.equal(viaHelp.code, 0);
    assert.match(viaHelp.stdout, new RegExp(`^Usage: vigil ${cmd} `));
  }
});

Deno.test("vigil with no command prints the help on stderr and exits 2", async () => {
  const r = await runVigil([]);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, "");
  assert.match(r.stderr, /^Usage: vigil <command> \[options\]/);
});

Deno.test("An error the CLI did not foresee is one line without a stack, unless VIGIL_DEBUG is set", async () => {
  // An output folder that is a file: writing there fails in a way no command turns into a
  // usage error.
  const dir = await Deno.makeTempDir({ prefix: "vigil_usage_" });
  try {
    await Deno.writeTextFile(`${dir}/out`, "a file, not a folder");
    const args = ["compile", `${ROOT}specs/counter3.vigil`, "--out", `${dir}/out`];
    const r = await runVigil(args);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.equal(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
    assert.match(
      r.stderr,
      /^vigil compile: unexpected error: .* \(set VIGIL_DEBUG=1 to see the stack\)$/m,
    );
    assert.ok(noStack(r.stderr), r.stderr);
    const debug = await runVigil(args, { env: { VIGIL_DEBUG: "1" } });
    assert.equal(debug.code, 1);
    assert.ok(!noStack(debug.stderr), `the stack is shown with VIGIL_DEBUG: ${debug.stderr}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("editDistance counts a swap of neighbours as one edit; closest keeps far words out", () => {
  assert.equal(editDistance("prot", "port"), 1);
  assert.equal(editDistance("kitten", "sitting"), 3);
  assert.equal(editDistance("abc", "abc"), 0);
  assert.equal(closest("spce", ["spec", "port"]), "spec");
  assert.equal(closest("x", ["spec", "port"]), null);
  assert.throws(
    () => parseFlags(["--jsn"], { boolean: ["json"], string: ["spec"] }),
    /Unknown flag '--jsn'; did you mean '--json'\?/,
  );
  assert.throws(
    () => parseFlags(["--json=yes"], { boolean: ["json"] }),
    /Flag '--json' takes no value, got 'yes'/,
  );
});
