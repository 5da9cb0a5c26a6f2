/**
 * Launcher support shared by the examples: run `deno` subprocesses from the
 * repository root, echo their output with a name prefix, wait for a line,
 * send lines on stdin, and stop them (signal, then SIGKILL after a grace
 * period). Only `Deno.Command`; nothing of Vigil.
 *
 * @module
 */

/** The repository root (the examples run from there so `deno.json` applies). */
export const ROOT: string = new URL("../../", import.meta.url).pathname;

/** A running child process. */
export interface Child {
  readonly name: string;
  readonly process: Deno.ChildProcess;
  /** Everything it printed so far (stdout and stderr interleaved). */
  output(): string;
  /** Resolves with the first match of `re` in the output; rejects after `timeoutMs` or on exit. */
  waitFor(re: RegExp, timeoutMs: number): Promise<RegExpExecArray>;
  /** Writes one line to its stdin (when spawned with `stdin: true`). */
  send(line: string): Promise<void>;
  /** Sends `signal`, waits up to `graceMs`, then SIGKILL. Idempotent. */
  stop(signal?: Deno.Signal, graceMs?: number): Promise<Deno.CommandStatus>;
}

/** Options of {@link spawnDeno}. */
export interface SpawnOptions {
  /** Keep stdin open for {@link Child.send}. Default false. */
  readonly stdin?: boolean;
  /** Called with each output line (e.g. to echo it). Default: nothing. */
  readonly echo?: (name: string, line: string) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `deno <args>` from the repository root.
 *
 * @example Run a script and wait for its banner
 * ```ts ignore
 * const child = spawnDeno("server", ["run", "-A", "examples/lock-service/main.ts", "--role", "server"]);
 * await child.waitFor(/ready/, 10_000);
 * await child.stop();
 * ```
 */
export function spawnDeno(
  name: string,
  args: readonly string[],
  options: SpawnOptions = {},
): Child {
  const process = new Deno.Command(Deno.execPath(), {
    args: [...args],
    cwd: ROOT,
    stdin: options.stdin ? "piped" : "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = options.stdin ? process.stdin.getWriter() : null;
  let text = "";
  let exited = false;
  const status = process.status.then((s) => {
    exited = true;
    return s;
  });
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    let partial = "";
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
      text += chunk;
      const lines = (partial + chunk).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) options.echo?.(name, line);
    }
    if (partial !== "") options.echo?.(name, partial);
  };
  const pumps = Promise.all([pump(process.stdout), pump(process.stderr)]).catch(() => {});
  let stopping: Promise<Deno.CommandStatus> | null = null;
  return {
    name,
    process,
    output: () => text,
    async waitFor(re, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const m = re.exec(text);
        if (m !== null) return m;
        if (exited) {
          await pumps;
          const again = re.exec(text);
          if (again !== null) return again;
          throw new Error(`Process '${name}' exited before printing ${re}:\n${text.slice(-2000)}`);
        }
        if (Date.now() > deadline) {
          throw new Error(
            `Process '${name}' did not print ${re} within ${timeoutMs} ms:\n${text.slice(-2000)}`,
          );
        }
        await sleep(20);
      }
    },
    async send(line) {
      if (writer === null) throw new TypeError(`Process '${name}' was spawned without stdin`);
      if (!exited) await writer.write(new TextEncoder().encode(`${line}\n`)).catch(() => {});
    },
    stop(signal = "SIGTERM", graceMs = 5_000) {
      stopping ??= (async () => {
        if (!exited) {
          try {
            process.kill(signal);
          } catch {
            // already gone
          }
          const timer = setTimeout(() => {
            try {
              process.kill("SIGKILL");
            } catch {
              // already gone
            }
          }, graceMs);
          await status;
          clearTimeout(timer);
        }
        await writer?.close().catch(() => {});
        await pumps;
        return await status;
      })();
      return stopping;
    },
  };
}

/**
 * Prints a child's line with its name as prefix, e.g. `[client-1] granted token 4`.
 *
 * @example Echo child output
 * ```ts ignore
 * spawnDeno("server", args, { echo: prefixEcho });
 * ```
 */
export function prefixEcho(name: string, line: string): void {
  console.log(`[${name}] ${line}`);
}

/** A free TCP port on 127.0.0.1 (closed before returning). */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/**
 * Compiles `spec` (a path relative to the repository root) into `outDir`
 * with `vigil compile` unless the output is newer than the spec. Returns the
 * path of the compiled bindings (`<outDir>/<name>.js`).
 *
 * @example Make sure dist/lease.js is current
 * ```ts ignore
 * const js = await ensureCompiled("specs/lease.vigil");
 * ```
 */
export async function ensureCompiled(spec: string, outDir = "dist"): Promise<string> {
  const base = spec.replace(/^.*\//, "").replace(/\.vigil$/, "");
  const js = `${outDir.replace(/\/$/, "")}/${base}.js`;
  const abs = (p: string) => (p.startsWith("/") ? p : `${ROOT}${p}`);
  const [src, out] = await Promise.all([
    Deno.stat(abs(spec)),
    Deno.stat(abs(js)).catch(() => null),
  ]);
  if (out !== null && (out.mtime?.getTime() ?? 0) >= (src.mtime?.getTime() ?? 0)) return js;
  const res = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "cli/main.ts", "compile", spec, "--out", outDir],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!res.success) {
    throw new Error(
      `Compiling '${spec}' failed:\n${new TextDecoder().decode(res.stdout)}${
        new TextDecoder().decode(res.stderr)
      }`,
    );
  }
  return js;
}
