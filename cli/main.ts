/**
 * The `vigil` command: `deno task vigil <command> ...`.
 *
 * @module
 */
import { collectorCommand } from "./collector_command.ts";
import { checkCommand } from "./check_command.ts";
import { compileCommand } from "./compile_command.ts";
import { demoCommand } from "./demo_command.ts";
import { replayCommand } from "./replay_command.ts";
import { UsageError } from "./flags.ts";

const HELP = `Usage: vigil <command> [options]

Commands:
  compile <spec.vigil | dir>... [--out dir]   compile specs to WebAssembly components and bindings
  check <spec.vigil> [--int-range lo..hi]      explore every reachable state (model checking)
  collector --spec dist/<name>.js [--nats url] [--port n]   merge node streams, check, alert, dashboard
  replay --spec dist/<name>.js --map mapping.json <log>...   check NDJSON logs of services without the SDK
  demo [--duration 20s] [--no-bug] [--nats url]   a lock service of 3 nodes, a split brain, the alert, the dashboard

Run 'vigil <command> --help' for a command's options.`;

const COMMANDS: Record<string, (args: readonly string[]) => Promise<number>> = {
  compile: compileCommand,
  check: checkCommand,
  collector: collectorCommand,
  replay: replayCommand,
  demo: demoCommand,
};

/** Runs the CLI with `args`; returns the exit code. */
export async function main(args: readonly string[]): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(HELP);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    console.error(`vigil: unknown command '${name}'\n\n${HELP}`);
    return 2;
  }
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

if (import.meta.main) Deno.exit(await main(Deno.args));
