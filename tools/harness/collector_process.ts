/**
 * `vigil collector` as a user starts it, a subprocess of `cli/main.ts`
 * with `--port 0` (and `--kv none` unless the caller keeps its state) and
 * the given arguments, awaited until its start line (and the lines printed
 * right after it): for the tests (`tests/collector_kill_fixture.ts` and
 * many more) and the benchmarks that run collectors as processes
 * (`bench/cluster_bench.ts`).
 *
 * @module
 */
import { ROOT } from "./spec_files.ts";
import { waitFor } from "./wait.ts";
import { ChildOutput } from "./child_output.ts";
import { compiledDir } from "./sdk_fixture.ts";

/** A running `vigil collector` subprocess. */
export interface CollectorProcess {
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  /** The subprocess (its pid, its status). */
  readonly process: Deno.ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** SIGTERM, then its exit status. */
  stop(): Promise<Deno.CommandStatus>;
  /** Sends `signal` (if still running) and waits for the process to end. */
  kill(signal: Deno.Signal): Promise<Deno.CommandStatus>;
}

/** Options of {@link startCollectorProcess}. */
export interface CollectorProcessOptions {
  /**
   * `--kv none` before `args` (default true): state in memory. False: the
   * caller's arguments say where the state goes (`--kv <path>`,
   * `--partitions`).
   */
  readonly kvNone?: boolean;
}

/**
 * Starts `vigil collector --port 0 [--kv none] ...args`; rejects (after
 * killing it) when it exits or does not listen within 60 s (subprocesses
 * started together wait in turn for the node_modules lock first; at a tenth
 * of a core three did not listen in 30 s).
 *
 * @example Start a collector and read its start line
 * ```ts ignore
 * const c = await startCollectorProcess(["--spec", "dist/lease.js", "--allow-anonymous"]);
 * assert.match(c.output(), /reads open/);
 * await c.stop();
 * ```
 */
export async function startCollectorProcess(
  args: readonly string[],
  options: CollectorProcessOptions = {},
): Promise<CollectorProcess> {
  const kv = options.kvNone ?? true ? ["--kv", "none"] : [];
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "cli/main.ts", "collector", "--port", "0", ...kv, ...args],
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output = new ChildOutput(child);
  const text = () => output.text;
  let exited = false;
  void child.status.then(() => (exited = true));
  const kill = async (signal: Deno.Signal) => {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
    return await child.status;
  };
  // The start line, then the line it announces (on stdout or stderr): the generated read token,
  // or the --public-read warning.
  const started = /listening on (http:\/\/127\.0\.0\.1:\d+)\/ \((.*)\)\n/;
  const followUp = (summary: string): RegExp | null =>
    summary.includes("(--public-read)")
      ? /warning: --public-read/
      : summary.includes("generated at start")
      ? /\?token=/
      : null;
  // "exited" ends the wait at once (a check that throws would be retried until the timeout).
  const base = await waitFor(() => {
    const m = started.exec(text());
    if (m === null) return exited && "exited before it listened";
    const next = followUp(m[2]!);
    return (next === null || next.test(text())) && m[1]!;
  }, {
    timeoutMs: 60_000,
    intervalMs: 20,
    what: "the collector's start line",
  }).catch(() => "timed out after 60 s");
  if (!base.startsWith("http")) {
    await kill("SIGKILL");
    throw new Error(`Collector did not start (${base}):\n${text()}`);
  }
  return {
    base,
    process: child,
    output: text,
    kill,
    async stop() {
      const status = await kill("SIGTERM");
      await output.ended;
      return status;
    },
  };
}

/**
 * `vigil collector` serving the Lease spec with no reorder window, ingest
 * tokens for `node-a` (`tok-a`) and `node-b` (`tok-b`), and `readToken` for
 * the read side: what the dashboard's browser tests drive.
 *
 * @example A collector the dashboard reads with a token
 * ```ts ignore
 * const c = await startTokenCollector("read-1");
 * const res = await fetch(`${c.base}/api/status?token=read-1`);
 * await c.stop();
 * ```
 */
export async function startTokenCollector(readToken: string): Promise<CollectorProcess> {
  return startCollectorProcess([
    "--window-ms",
    "0",
    "--spec",
    `${await compiledDir("lease")}/lease.js`,
    "--token",
    "node-a=tok-a",
    "--token",
    "node-b=tok-b",
    "--read-token",
    readToken,
  ]);
}
