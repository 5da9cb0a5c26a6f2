/**
 * Test helper: `vigil collector` as a user starts it, a subprocess of
 * `cli/main.ts` with `--port 0 --kv none` and the given arguments, awaited
 * until its start line (and the lines printed right after it).
 *
 * @module
 */
import { ROOT } from "./spec_files.ts";

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
 * killing it) when it does not listen within 30 s.
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
  let text = "";
  const pump = async (s: ReadableStream<Uint8Array>) => {
    for await (const chunk of s.pipeThrough(new TextDecoderStream())) text += chunk;
  };
  const pumps = Promise.all([pump(child.stdout), pump(child.stderr)]).catch(() => {});
  const deadline = Date.now() + 30_000;
  for (;;) {
    const m = /listening on (http:\/\/127\.0\.0\.1:\d+)\/ \(.*\)\n/.exec(text);
    if (m !== null) {
      await new Promise((r) => setTimeout(r, 50)); // the lines printed right after it
      return {
        base: m[1]!,
        output: () => text,
        async stop() {
          child.kill("SIGTERM");
          const status = await child.status;
          await pumps;
          return status;
        },
      };
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      await child.status;
      throw new Error(`Collector did not start:\n${text}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}
