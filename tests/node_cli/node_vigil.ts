/**
 * Test helper: the `vigil` CLI as the npm package runs it under Node.
 * `buildNpm` (`deno task build:npm`) writes the package to a temporary
 * folder, and each command runs its bin, `cli/main.js`, through a symbolic
 * link as npm's `node_modules/.bin/vigil` is one (so the shebang and the
 * entry-point check are what starts it): one real `node` process, nothing of
 * Deno in it. The package's optional peers (hono, msgpackr, binaryen, jco)
 * resolve from the repository's `node_modules`, the versions `deno.json`
 * pins. Temporary folders are removed when the test process ends.
 *
 * @module
 */
import { rmSync } from "node:fs";
import { mkdir, mkdtemp, stat, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildNpm } from "../../tools/build_npm.ts";
import { ROOT } from "../../tools/harness/spec_files.ts";
import { waitFor } from "../../tools/harness/wait.ts";

/** The npm packages the commands under test load, found in the repository's `node_modules`. */
const PEERS = ["hono", "msgpackr", "binaryen", "@bytecodealliance/jco"];

/** What a finished command printed. */
export interface NodeRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link NodeVigil.run}. */
export interface RunOptions {
  /** Working directory. Default: the repository root. */
  readonly cwd?: string;
  /** Text written to standard input, then closed. Default: no input. */
  readonly stdin?: string;
  /** Kill the process after this long, ms (it then fails the test). Default 120 000. */
  readonly timeoutMs?: number;
}

/** A `vigil collector` run by Node, listening. */
export interface NodeCollector {
  /** `http://127.0.0.1:<port>` from its start line. */
  readonly base: string;
  /** Everything it printed so far (stdout then stderr, each as it came). */
  output(): string;
  /** SIGTERM (SIGKILL when it has not stopped 15 s later), then its exit code and output. */
  stop(): Promise<NodeRun>;
}

/** The Node-run CLI: the command line that starts it, and ways to run it. */
export interface NodeVigil {
  /** `node --version`, e.g. `v20.20.2`. */
  readonly version: string;
  /** Runs `vigil ...args` to completion. */
  run(args: readonly string[], options?: RunOptions): Promise<NodeRun>;
  /** Starts `vigil collector ...args` and waits for its start line (at most 60 s). */
  collector(args: readonly string[]): Promise<NodeCollector>;
}

const decoder = new TextDecoder();
const cleanups: string[] = [];
globalThis.addEventListener("unload", () => {
  for (const dir of cleanups) rmSync(dir, { recursive: true, force: true });
});

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  cleanups.push(dir);
  return dir;
}

async function output(command: string, args: readonly string[], cwd: string): Promise<NodeRun> {
  const out = await new Deno.Command(command, { args: [...args], cwd, stdin: "null" }).output();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

async function prepare(): Promise<NodeVigil> {
  const probe = await output("node", ["--version"], ROOT).catch((e) => {
    throw new Error(`This test needs Node 20 or later on PATH ('node' did not start: ${e})`);
  });
  const version = probe.stdout.trim();
  const major = Number(/^v(\d+)\./.exec(version)?.[1]);
  if (!(major >= 20)) throw new Error(`This test needs Node 20 or later, found '${version}'`);
  for (const peer of PEERS) {
    await stat(join(ROOT, "node_modules", peer, "package.json")).catch(() => {
      throw new Error(`'node_modules/${peer}' is missing: run 'deno install' first`);
    });
  }
  const work = await tempDir("vigil-node-cli-");
  const pkg = join(work, "package");
  await buildNpm({ outDir: pkg, log: () => {} });
  await symlink(join(ROOT, "node_modules"), join(pkg, "node_modules"), "dir");
  await mkdir(join(work, "bin"));
  const bin = join(work, "bin", "vigil");
  await symlink(join(pkg, "cli", "main.js"), bin);
  return {
    version,
    async run(args, options = {}) {
      const child = new Deno.Command(bin, {
        args: [...args],
        cwd: options.cwd ?? ROOT,
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
        stderr: decoder.decode(out.stderr),
      };
    },
    collector: (args) => startCollector(bin, ["collector", ...args]),
  };
}

async function startCollector(bin: string, args: readonly string[]): Promise<NodeCollector> {
  const child = new Deno.Command(bin, {
    args: [...args],
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let stdout = "";
  let stderr = "";
  const pumps = Promise.all([
    (async () => {
      for await (const s of child.stdout.pipeThrough(new TextDecoderStream())) stdout += s;
    })(),
    (async () => {
      for await (const s of child.stderr.pipeThrough(new TextDecoderStream())) stderr += s;
    })(),
  ]).catch(() => {});
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  const text = () => stdout + stderr;
  let base: string;
  try {
    base = await waitFor(
      () => {
        if (exited) throw new Error("The collector ended before it listened");
        return /listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(stdout)?.[1];
      },
      { timeoutMs: 60_000, intervalMs: 25, what: "the collector's start line", detail: text },
    );
  } catch (e) {
    if (!exited) child.kill("SIGKILL");
    await status;
    await pumps;
    throw new Error(`Collector under Node did not start:\n${text()}`, { cause: e });
  }
  return {
    base,
    output: text,
    async stop() {
      if (!exited) child.kill("SIGTERM");
      const killer = setTimeout(() => {
        if (!exited) child.kill("SIGKILL");
      }, 15_000);
      const s = await status;
      clearTimeout(killer);
      await pumps;
      return { code: s.code, stdout, stderr };
    },
  };
}

let prepared: Promise<NodeVigil> | null = null;

/** The Node-run CLI, prepared once per test process. */
export function nodeVigil(): Promise<NodeVigil> {
  prepared ??= prepare();
  return prepared;
}

/** A fresh temporary folder, removed when the test process ends. */
export function scratchDir(prefix = "vigil-node-cli-"): Promise<string> {
  return tempDir(prefix);
}
