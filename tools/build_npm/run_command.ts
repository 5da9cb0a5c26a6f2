/**
 * Subprocesses of the npm build: a command run to completion, its output
 * on success, its exit code (or timeout) and output on failure.
 *
 * @module
 */
/** Options of {@link runCommand}. */
export interface RunCommandOptions {
  /** Working directory. */
  readonly cwd: string;
  /** What the command does, for the error message. Default: the command line. */
  readonly what?: string;
  /** Stop it after this long, ms (it then fails). Default 600 000. */
  readonly timeoutMs?: number;
}

/**
 * Runs a command to completion with no input; resolves with what it
 * printed when it exits 0, else rejects with its exit code (or the timeout)
 * and its output.
 *
 * @example Run Node
 * ```ts
 * import assert from "node:assert/strict";
 * import { runCommand } from "./run_command.ts";
 * const { stdout } = await runCommand("node", ["-e", "console.log(6 * 7)"], { cwd: "." });
 * assert.equal(stdout.trim(), "42");
 * await assert.rejects(
 *   runCommand("node", ["-e", "process.exit(3)"], { cwd: ".", what: "a failing script" }),
 *   /a failing script failed \(exit 3\)/,
 * );
 * ```
 */
export async function runCommand(
  command: string,
  args: readonly string[],
  options: RunCommandOptions,
): Promise<{ stdout: string; stderr: string }> {
  const timeoutMs = options.timeoutMs ?? 600_000;
  const what = options.what ?? `'${[command, ...args].join(" ")}'`;
  const out = await new Deno.Command(command, {
    args: [...args],
    cwd: options.cwd,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(timeoutMs),
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  const stderr = new TextDecoder().decode(out.stderr);
  if (out.signal !== null) {
    throw new Error(`${what} was stopped after ${timeoutMs} ms:\n${stdout}${stderr}`);
  }
  if (!out.success) {
    throw new Error(`${what} failed (exit ${out.code}) in '${options.cwd}':\n${stdout}${stderr}`);
  }
  return { stdout, stderr };
}

/**
 * Runs a command as {@link runCommand} does, saying what it does; resolves
 * with its standard output.
 *
 * @example What Node prints
 * ```ts
 * import assert from "node:assert/strict";
 * import { run } from "./run_command.ts";
 * assert.equal(await run("node", ["-p", "6 * 7"], { cwd: ".", what: "node" }), "42\n");
 * ```
 */
export async function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; what: string },
): Promise<string> {
  return (await runCommand(command, args, options)).stdout;
}
