/**
 * Test helper: runs `vigil demo` as a subprocess on a free port, collects
 * its standard output, waits (bounded) for text to appear, and always ends
 * the process.
 *
 * @module
 */
import { waitFor as waitUntil } from "../tools/harness/wait.ts";
import { ChildOutput } from "../tools/harness/child_output.ts";

const ROOT = new URL("..", import.meta.url).pathname;

/** A running `vigil demo`. */
export interface DemoProcess {
  /** Everything printed on standard output so far. */
  readonly output: () => string;
  /** The dashboard URL printed by the demo (`http://127.0.0.1:<port>/`). */
  readonly url: string;
  /** Resolves with the match once `re` matches the output; rejects after `ms` or when the process ends first. */
  waitFor(re: RegExp, ms?: number): Promise<RegExpMatchArray>;
  /** GETs a JSON path of the dashboard's API. */
  json<T>(path: string): Promise<T>;
  /** Sends `signal` and waits for the exit code (SIGKILL after `ms`). */
  stop(signal?: Deno.Signal, ms?: number): Promise<number>;
  /** Waits for the process to end on its own (SIGKILL after `ms`). */
  exited(ms?: number): Promise<number>;
}

/**
 * Starts `deno run -A cli/main.ts demo --port 0 ...args` and waits for its dashboard URL.
 *
 * @example Run the embedded demo
 * ```ts ignore
 * const demo = await startDemo(["--bug-after", "2s"]);
 * try { await demo.waitFor(/ALERT/); } finally { await demo.stop(); }
 * ```
 */
export async function startDemo(args: readonly string[]): Promise<DemoProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "cli/main.ts", "demo", "--port", "0", ...args],
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output = new ChildOutput(child);
  let ended = false;
  const status = child.status.then(async (s) => {
    ended = true;
    await output.ended;
    return s.code;
  });
  const kill = (signal: Deno.Signal) => {
    try {
      child.kill(signal);
    } catch { /* already gone */ }
  };
  const bounded = async (ms: number) => {
    const t = setTimeout(() => kill("SIGKILL"), ms);
    try {
      return await status;
    } finally {
      clearTimeout(t);
    }
  };
  const outputs = () => `--- stdout\n${output.stdout}\n--- stderr\n${output.stderr}`;
  const waitFor = async (re: RegExp, ms = 60_000) => {
    const seen = await waitUntil(() => output.stdout.match(re) ?? (ended && "ended"), {
      timeoutMs: ms,
      intervalMs: 50,
      what: `${re} in the demo's output`,
      detail: outputs,
    });
    if (seen === "ended") throw new Error(`demo ended before ${re}:\n${outputs()}`);
    return seen;
  };
  let url = "";
  try {
    url = (await waitFor(/dashboard: (http:\/\/127\.0\.0\.1:\d+\/)/))[1]!;
  } catch (e) {
    kill("SIGKILL");
    await status;
    throw e;
  }
  return {
    output: () => output.stdout + (output.stderr === "" ? "" : `\n--- stderr\n${output.stderr}`),
    url,
    waitFor,
    json: async <T>(path: string) => (await (await fetch(`${url}${path}`)).json()) as T,
    stop: (signal: Deno.Signal = "SIGINT", ms = 30_000) => {
      if (!ended) kill(signal);
      return bounded(ms);
    },
    exited: (ms = 60_000) => bounded(ms),
  };
}
