/**
 * The `vigil` command: `deno task vigil <command> ...` on Deno,
 * `bun cli/main.ts <command> ...` on Bun, and the npm package's `vigil` bin
 * (`npx vigil <command> ...`) on Node 20+. Every command but `demo` runs on
 * all three: they use `node:` builtins, never `Deno.*`; `demo` says when
 * the runtime is not Deno.
 *
 * @module
 */
import process from "node:process";
import { UsageError } from "./flags.ts";
import { isEntryModule } from "./runtime.ts";

const HELP = `Usage: vigil <command> [options]

Commands:
  compile <spec.vigil | dir>... [--out dir]   compile specs to WebAssembly components and bindings
  check <spec.vigil> [--int-range lo..hi]      explore every reachable state (model checking)
  collector --spec dist/<name>.js [--nats url] [--port n]   merge node streams, check, alert, dashboard
  replay --spec dist/<name>.js --map mapping.json <log>...   check NDJSON logs of services without the SDK
  demo [--duration 20s] [--no-bug] [--nats url]   a lock service of 3 nodes, a split brain, the alert, the dashboard

Run 'vigil <command> --help' for a command's options.`;

type Command = (args: readonly string[]) => Promise<number>;

/**
 * Each command is imported when it runs, so `vigil collector` does not load
 * the compiler (binaryen and jco: about 190 MB of modules and seconds of
 * start-up) and `vigil compile` does not load NATS.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  compile: async () => (await import("./compile_command.ts")).compileCommand,
  check: async () => (await import("./check_command.ts")).checkCommand,
  collector: async () => (await import("./collector_command.ts")).collectorCommand,
  replay: async () => (await import("./replay_command.ts")).replayCommand,
  demo: async () => (await import("./demo_command.ts")).demoCommand,
};

/** Runs the CLI with `args`; returns the exit code. */
export async function main(args: readonly string[]): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(HELP);
    return name === undefined ? 2 : 0;
  }
  const load = COMMANDS[name];
  if (load === undefined) {
    console.error(`vigil: unknown command '${name}'\n\n${HELP}`);
    return 2;
  }
  const command = await load();
  try {
    return await command(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`vigil ${name}: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

if (isEntryModule(import.meta)) process.exit(await main(process.argv.slice(2)));
