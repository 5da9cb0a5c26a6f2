/**
 * The `vigil` command: `deno task vigil <command> ...` on Deno,
 * `bun cli/main.ts <command> ...` on Bun, and the npm package's `vigil` bin
 * (`npx vigil <command> ...`) on Node 20+. Every command but `demo` runs on
 * all three: they use `node:` builtins, never `Deno.*`; `demo` says when
 * the runtime is not Deno.
 *
 * Errors: a usage error (`UsageError`: an unknown command or flag, with the
 * closest known one suggested, a bad value) exits 2, a command that cannot
 * run as configured (`CommandError`) exits 1, each as one line on standard
 * error (`vigil <command>: <message>`); an unexpected error is one line
 * too, with its stack only when `VIGIL_DEBUG` is set, and a missing npm
 * package (an optional peer of the npm package) names the `npm install`
 * command that adds it.
 *
 * @module
 */
import process from "node:process";
import { UsageError } from "./flags.ts";
import { CommandError } from "./command_error.ts";
import { COMPILER_PACKAGES, installCommand, missingPackage, packageInfo } from "./package_info.ts";
import { isEntryModule, runtime } from "./runtime.ts";
import { closest } from "./suggest.ts";

type Command = (args: readonly string[]) => Promise<number>;

/** A command: what it does in one line, and its module, imported when it runs. */
interface CommandEntry {
  readonly summary: string;
  readonly load: () => Promise<Command>;
}

/**
 * Each command is imported when it runs, so `vigil collector` does not load
 * the compiler (binaryen and jco: about 190 MB of modules and seconds of
 * start-up) and `vigil compile` does not load NATS.
 */
const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  compile: {
    summary: "compile specs to WebAssembly, bindings and a typed class",
    load: async () => (await import("./compile_command.ts")).compileCommand,
  },
  check: {
    summary: "explore every reachable state of a spec (model checking)",
    load: async () => (await import("./check_command.ts")).checkCommand,
  },
  collector: {
    summary: "merge node streams, check, alert, serve the dashboard",
    load: async () => (await import("./collector/command.ts")).collectorCommand,
  },
  replay: {
    summary: "check NDJSON logs of services without the SDK",
    load: async () => (await import("./replay_command.ts")).replayCommand,
  },
  diff: {
    summary: "what changed between two versions of a spec; can they roll?",
    load: async () => (await import("./diff_command.ts")).diffCommand,
  },
  fmt: {
    summary: "write specs in the canonical layout; --check for CI",
    load: async () => (await import("./fmt_command.ts")).fmtCommand,
  },
  demo: {
    summary: "a lock service, a split brain, the alert, the dashboard",
    load: async () => (await import("./demo_command.ts")).demoCommand,
  },
  lsp: {
    summary: "the language server for editors, over standard input and output",
    load: async () => (await import("./lsp_command.ts")).lspCommand,
  },
};

const COMMAND_NAMES = Object.keys(COMMANDS);

/** `vigil --help`. */
export const HELP: string = [
  "Usage: vigil <command> [options]",
  "       vigil <command> --help",
  "       vigil --version",
  "",
  "Runtime verification for distributed services: compile a spec, guard your",
  "services with it, and let the collector check what no single node can see.",
  "",
  "Commands:",
  ...COMMAND_NAMES.map((n) => `  ${n.padEnd(12)}${COMMANDS[n]!.summary}`),
  "",
  "Options:",
  "  -V, --version          print the version of vigil and of the runtime",
  "  -h, --help             show this help",
  "",
  "Examples:",
  "  vigil compile specs/ --out dist/",
  "  vigil collector --spec dist/lease.js --nats nats://127.0.0.1:4222",
  "  vigil diff specs/lease.vigil specs/lease_v2.vigil",
  "",
  "Exit codes: 0 success; 1 a finding, or a configuration that cannot run; 2 usage",
  "error (each command's --help says more). Documentation: docs/cli.md.",
].join("\n");

/** `vigil <version> (<runtime>)`. */
async function versionLine(): Promise<string> {
  const info = await packageInfo();
  return `vigil ${info.version} (${runtime().label})`;
}

/** A message as one line. */
function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}

function debugging(): boolean {
  try {
    const v = process.env["VIGIL_DEBUG"];
    return v !== undefined && v !== "" && v !== "0";
  } catch {
    return false;
  }
}

/** Reports an error of command `name`; returns the exit code. */
async function report(name: string, e: unknown): Promise<number> {
  if (e instanceof UsageError) {
    console.error(`vigil ${name}: ${oneLine(e.message)}`);
    return 2;
  }
  if (e instanceof CommandError) {
    console.error(`vigil ${name}: ${oneLine(e.message)}`);
    if (debugging() && e.cause !== undefined) console.error(e.cause);
    return e.exitCode;
  }
  const missing = missingPackage(e);
  if (missing !== null) {
    // An optional peer of the npm package that this command loads is not installed.
    const names = COMPILER_PACKAGES.includes(missing) ? COMPILER_PACKAGES : [missing];
    if (debugging()) console.error(e);
    console.error(
      `vigil ${name}: this command needs the npm package '${missing}', which is not ` +
        `installed: run '${await installCommand(names)}'`,
    );
    return 1;
  }
  const message = e instanceof Error ? e.message : String(e);
  if (debugging()) console.error(e);
  console.error(
    `vigil ${name}: unexpected error: ${oneLine(message)}` +
      (debugging() ? "" : " (set VIGIL_DEBUG=1 to see the stack)"),
  );
  return 1;
}

/**
 * Runs the CLI with `args`; returns the exit code.
 *
 * @example Version, help, and a mistyped command
 * ```ts
 * import assert from "node:assert/strict";
 * import { main } from "./main.ts";
 * assert.equal(await main(["--version"]), 0);
 * assert.equal(await main(["help", "diff"]), 0);
 * assert.equal(await main(["colector"]), 2); // prints: did you mean 'collector'?
 * ```
 */
export async function main(args: readonly string[]): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined) {
    console.error(HELP);
    return 2;
  }
  if (name === "--help" || name === "-h") {
    console.log(HELP);
    return 0;
  }
  if (name === "--version" || name === "-V" || name === "version") {
    try {
      console.log(await versionLine());
      return 0;
    } catch (e) {
      return await report("--version", e);
    }
  }
  if (name === "help") {
    const topic = rest[0];
    if (topic === undefined) {
      console.log(HELP);
      return 0;
    }
    return await main([topic, "--help"]);
  }
  const entry = COMMANDS[name];
  if (entry === undefined) {
    const hint = name.startsWith("-")
      ? closest(name.replace(/^--?/, ""), ["help", "version"])
      : closest(name, COMMAND_NAMES);
    const shown = hint === null
      ? ""
      : `; did you mean '${name.startsWith("-") ? "--" : ""}${hint}'?`;
    const what = name.startsWith("-") ? "flag" : "command";
    console.error(`vigil: unknown ${what} '${name}'${shown} (run 'vigil --help' for the commands)`);
    return 2;
  }
  try {
    const command = await entry.load();
    return await command(rest);
  } catch (e) {
    return await report(name, e);
  }
}

if (isEntryModule(import.meta)) process.exit(await main(process.argv.slice(2)));
