/**
 * Test helper: `vigil collector` as a user starts it, a subprocess of
 * `cli/main.ts` with `--port 0 --kv none` and the given arguments, awaited
 * until its start line (and the lines printed right after it).
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
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** SIGTERM, then its exit status. */
  stop(): Promise<Deno.CommandStatus>;
}

/**
 * Starts `vigil collector --port 0 --kv none ...args`; rejects (after
 * killing it) when it does not listen within 60 s (subprocesses started
 * together wait in turn for the node_modules lock first).
 *
 * @example Start a collector and read its start line
 * ```ts ignore
 * const c = await startCollectorProcess(["--spec", "dist/lease.js", "--allow-anonymous"]);
 * assert.match(c.output(), /reads open/);
 * await c.stop();
 * ```
 */
export async function startCollectorProcess(args: readonly string[]): Promise<CollectorProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "cli/main.ts", "collector", "--port", "0", "--kv", "none", ...args],
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output = new ChildOutput(child);
  const text = () => output.text;
  // The start line, then the line it announces (on stdout or stderr): the generated read token,
  // or the --public-read warning.
  const started = /listening on (http:\/\/127\.0\.0\.1:\d+)\/ \((.*)\)\n/;
  const followUp = (summary: string): RegExp | null =>
    summary.includes("(--public-read)")
      ? /warning: --public-read/
      : summary.includes("generated at start")
      ? /\?token=/
      : null;
  let base: string;
  try {
    base = await waitFor(() => {
      const m = started.exec(text());
      const next = m === null ? null : followUp(m[2]!);
      return m !== null && (next === null || next.test(text())) && m[1]!;
    }, {
      timeoutMs: 60_000,
      intervalMs: 20,
      what: "the collector's start line",
      detail: text,
    });
  } catch (e) {
    child.kill("SIGKILL");
    await child.status;
    throw new Error(`Collector did not start:\n${text()}`, { cause: e });
  }
  return {
    base,
    output: text,
    async stop() {
      child.kill("SIGTERM");
      const status = await child.status;
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
