/**
 * Test helper: the `vigil` CLI of the npm package under Node and Bun.
 * `buildNpmOnce` gives the package built from the sources as they are
 * (`deno task build:npm`'s output, shared by the tests that need it and
 * left untouched). Under Node each command runs the bin,
 * `cli/main.js`, through a symbolic link as npm's `node_modules/.bin/vigil`
 * is one (so the shebang and the entry-point check are what start it);
 * under Bun (from npm, `tools/harness/npm_tool.ts`) as `bun cli/main.js`.
 * Each command is one real process with nothing of Deno in it. The
 * package's optional peers (hono, msgpackr, binaryen, jco) resolve from the
 * repository's `node_modules` (the build lies under the repository, in
 * `.vigil-cache/`), the versions `deno.json` pins. Temporary folders are
 * removed when the test process ends.
 *
 * @module
 */
import { rmSync } from "node:fs";
import { mkdir, mkdtemp, stat, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildNpmOnce } from "../../tools/build_npm.ts";
import { npmTool } from "../../tools/harness/npm_tool.ts";
import { ROOT } from "../../tools/harness/spec_files.ts";
import { waitFor } from "../../tools/harness/wait.ts";
import { ChildOutput } from "../../tools/harness/child_output.ts";
import { runToEnd } from "../cli_process.ts";

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

/** A `vigil collector` of the package, listening. */
export interface NodeCollector {
  /** `http://127.0.0.1:<port>` from its start line. */
  readonly base: string;
  /** Everything it printed so far (stdout then stderr, each as it came). */
  output(): string;
  /** SIGTERM (SIGKILL when it has not stopped 15 s later), then its exit code and output. */
  stop(): Promise<NodeRun>;
}

/** The runtimes the package's CLI is run under. */
export type PackageRuntime = "node" | "bun";

/** The package's CLI under one runtime. */
export interface NodeVigil {
  /** The runtime and its version, e.g. `Node v20.20.2`. */
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

/** The built package's folder, and its bin reached through a symbolic link. */
interface BuiltPackage {
  readonly dir: string;
  readonly bin: string;
}

async function buildPackage(): Promise<BuiltPackage> {
  for (const peer of PEERS) {
    await stat(join(ROOT, "node_modules", peer, "package.json")).catch(() => {
      throw new Error(`'node_modules/${peer}' is missing: run 'deno install' first`);
    });
  }
  const { outDir: dir } = await buildNpmOnce({ log: () => {} });
  const work = await tempDir("vigil-node-cli-");
  await mkdir(join(work, "bin"));
  const bin = join(work, "bin", "vigil");
  await symlink(join(dir, "cli", "main.js"), bin);
  return { dir, bin };
}

/** The command line starting the CLI under `rt`, and the runtime's version. */
async function launcher(
  rt: PackageRuntime,
  pkg: BuiltPackage,
): Promise<{ command: string; prefix: string[]; version: string }> {
  if (rt === "bun") {
    const bun = await npmTool("bun");
    const probe = await output(bun, ["--version"], ROOT);
    if (probe.code !== 0) throw new Error(`Bun from npm did not start:\n${probe.stderr}`);
    return {
      command: bun,
      prefix: [join(pkg.dir, "cli", "main.js")],
      version: `Bun ${probe.stdout.trim()}`,
    };
  }
  const probe = await output("node", ["--version"], ROOT).catch((e) => {
    throw new Error(`This test needs Node 20 or later on PATH ('node' did not start: ${e})`);
  });
  const version = probe.stdout.trim();
  const major = Number(/^v(\d+)\./.exec(version)?.[1]);
  if (!(major >= 20)) throw new Error(`This test needs Node 20 or later, found '${version}'`);
  return { command: pkg.bin, prefix: [], version: `Node ${version}` };
}

async function prepare(rt: PackageRuntime): Promise<NodeVigil> {
  built ??= buildPackage();
  const { command, prefix, version } = await launcher(rt, await built);
  return {
    version,
    run: (args, options = {}) => runToEnd(command, [...prefix, ...args], options),
    collector: (args) => startCollector(command, [...prefix, "collector", ...args]),
  };
}

async function startCollector(command: string, args: readonly string[]): Promise<NodeCollector> {
  const child = new Deno.Command(command, {
    args: [...args],
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output = new ChildOutput(child);
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  const text = () => output.stdout + output.stderr;
  let base: string;
  try {
    base = await waitFor(
      () => {
        if (exited) throw new Error("The collector ended before it listened");
        return /listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(output.stdout)?.[1];
      },
      { timeoutMs: 60_000, intervalMs: 25, what: "the collector's start line", detail: text },
    );
  } catch (e) {
    if (!exited) child.kill("SIGKILL");
    await status;
    await output.ended;
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
      await output.ended;
      return { code: s.code, stdout: output.stdout, stderr: output.stderr };
    },
  };
}

let built: Promise<BuiltPackage> | null = null;
const prepared = new Map<PackageRuntime, Promise<NodeVigil>>();

/** The package's CLI under `rt` (default Node); the package is built once per test process. */
export function nodeVigil(rt: PackageRuntime = "node"): Promise<NodeVigil> {
  let p = prepared.get(rt);
  if (p === undefined) {
    p = prepare(rt);
    prepared.set(rt, p);
  }
  return p;
}

/** A fresh temporary folder, removed when the test process ends. */
export function scratchDir(prefix = "vigil-node-cli-"): Promise<string> {
  return tempDir(prefix);
}
