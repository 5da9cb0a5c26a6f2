/**
 * Test helper: `vigil` as a user runs it, a subprocess of `cli/main.ts`
 * under Deno, to completion ({@link runVigil}) or left running until a
 * line appears ({@link spawnVigil}), with the working directory and
 * environment the test chooses.
 *
 * @module
 */
import { ROOT } from "../tools/harness/spec_files.ts";
import { waitFor } from "../tools/harness/wait.ts";
import { ChildOutput } from "../tools/harness/child_output.ts";

/** What a finished command printed (standard error without Deno's lock-wait line). */
export interface VigilRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link runVigil} and {@link spawnVigil}. */
export interface VigilOptions {
  /** Working directory. Default: the repository root. */
  readonly cwd?: string;
  /** Environment variables set (over the test's own). */
  readonly env?: Readonly<Record<string, string>>;
  /** Kill it after this long, ms. Default 120 000. */
  readonly timeoutMs?: number;
  /** {@link runVigil} and {@link runToEnd} only: this text as its standard input (default: none). */
  readonly stdin?: string;
}

const decoder = new TextDecoder();

/**
 * Deno's own line while another `deno` holds the node_modules lock
 * (subprocesses started together, a loaded machine): not the program's
 * output, so left out of what these helpers return (`NO_COLOR` is set).
 */
const LOCK_WAIT = /^Blocking waiting for file lock on [^\n]*\n/gm;

/** `text` without Deno's lock-wait lines ({@link LOCK_WAIT}). */
function programOutput(text: string): string {
  return text.includes("Blocking waiting") ? text.replace(LOCK_WAIT, "") : text;
}

function command(args: readonly string[], options: VigilOptions): Deno.Command {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}cli/main.ts`, ...args],
    cwd: options.cwd ?? ROOT,
    env: { NO_COLOR: "1", ...(options.env ?? {}) },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  });
}

/**
 * Runs `program ...args` to completion (`options.stdin` written to its
 * standard input, then closed; killed after `options.timeoutMs`, default
 * 120 s): its exit code and output, standard error without Deno's
 * lock-wait line. {@link runVigil} runs the CLI under Deno with it,
 * `tests/node_cli/node_vigil.ts` the package's CLI under Node and Bun.
 *
 * @example A command's output
 * ```ts ignore
 * const r = await runToEnd("node", ["--version"]);
 * assert.match(r.stdout, /^v\d+/);
 * ```
 */
export async function runToEnd(
  program: string,
  args: readonly string[],
  options: VigilOptions = {},
): Promise<VigilRun> {
  const child = new Deno.Command(program, {
    args: [...args],
    cwd: options.cwd ?? ROOT,
    ...(options.env === undefined ? {} : { env: { ...options.env } }),
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(options.timeoutMs ?? 120_000),
  }).spawn();
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(options.stdin));
    await writer.close();
  }
  const out = await child.output();
  return {
    code: out.code,
    stdout: decoder.decode(out.stdout),
    stderr: programOutput(decoder.decode(out.stderr)),
  };
}

/**
 * Runs `vigil ...args` to completion.
 *
 * @example A usage error
 * ```ts ignore
 * const r = await runVigil(["colector"]);
 * assert.equal(r.code, 2);
 * ```
 */
export function runVigil(args: readonly string[], options: VigilOptions = {}): Promise<VigilRun> {
  return runToEnd(Deno.execPath(), ["run", "-A", `${ROOT}cli/main.ts`, ...args], {
    ...options,
    env: { NO_COLOR: "1", ...(options.env ?? {}) },
  });
}

/** A running `vigil` subprocess. */
export interface VigilProcess {
  /** Everything printed on standard output so far. */
  stdout(): string;
  /** Everything printed on standard error so far. */
  stderr(): string;
  /** Waits until standard output matches `pattern` (at most `timeoutMs`, default 60 s); returns the match. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Resolves with the exit code when the process ends. */
  readonly exited: Promise<number>;
  /** SIGTERM (SIGKILL 15 s later if still running), then the exit code. */
  stop(): Promise<number>;
}

/**
 * Starts `vigil ...args` and returns at once; the test waits for what it needs.
 *
 * @example Wait for a collector's start line
 * ```ts ignore
 * const p = spawnVigil(["collector", "--spec", "dist/lease.js", "--port", "0", "--kv", "none"]);
 * const m = await p.waitForOutput(/listening on (\S+)/);
 * await p.stop();
 * ```
 */
export function spawnVigil(args: readonly string[], options: VigilOptions = {}): VigilProcess {
  const child = command(args, options).spawn();
  const output = new ChildOutput(child);
  let done = false;
  const exited = child.status.then(async (s) => {
    done = true;
    await output.ended;
    return s.code;
  });
  return {
    stdout: () => output.stdout,
    stderr: () => programOutput(output.stderr),
    exited,
    async waitForOutput(pattern, timeoutMs = 60_000) {
      const m = await waitFor(() => pattern.exec(output.stdout) ?? (done ? "ended" : null), {
        timeoutMs,
        intervalMs: 20,
        what: `output matching ${pattern}`,
        detail: () => `stdout:\n${output.stdout}\nstderr:\n${output.stderr}`,
      });
      if (m === "ended") {
        await output.ended;
        const again = pattern.exec(output.stdout);
        if (again !== null) return again;
        throw new Error(
          `The process ended before printing ${pattern}:\n${output.stdout}\n${output.stderr}`,
        );
      }
      return m;
    },
    async stop() {
      if (!done) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => {
          if (!done) child.kill("SIGKILL");
        }, 15_000);
        const code = await exited;
        clearTimeout(timer);
        return code;
      }
      return await exited;
    },
  };
}

/**
 * True when no line of `text` looks like a stack frame.
 *
 * @example Lines with and without a stack
 * ```ts ignore
 * assert.equal(noStack("vigil: unknown command 'x'"), true);
 * assert.equal(noStack("Error: x\n    at main (file:///a.ts:1:2)"), false);
 * ```
 */
export function noStack(text: string): boolean {
  return !/^\s+at .+:\d+:\d+\)?$/m.test(text);
}
