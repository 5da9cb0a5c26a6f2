/**
 * Test helper: the lease Worker of `examples/worker/` built as a user
 * builds it from npm. The npm package is built once per source state and
 * shared with the other package tests (`buildNpmOnce`, what `deno task
 * build:npm` runs) and packed with `npm pack`; a fresh project installs the tarball and `hono` with `npm
 * install`, gets the Worker's files and the compiled spec's core module,
 * and esbuild (from npm, pinned in `tools/harness/npm_tool.ts`) bundles the
 * Worker into one ES module with `./lease.core.wasm` kept external, as
 * `config.capnp` expects.
 *
 * @module
 */
import { buildNpmOnce, runCommand } from "../../tools/build_npm.ts";
import { npmTool } from "../../tools/harness/npm_tool.ts";
import { ROOT } from "../../tools/harness/spec_files.ts";

/** The files of `examples/worker/` a Worker project holds. */
export const WORKER_FILES = ["worker.ts", "app.ts", "request_timers.ts", "config.capnp"] as const;

/** esbuild's arguments for the Worker (run in the project directory), as the example's README gives them. */
export const BUNDLE_ARGS = [
  "worker.ts",
  "--bundle",
  "--format=esm",
  "--platform=neutral",
  "--conditions=workerd,worker,browser",
  "--external:./lease.core.wasm",
  "--external:node:*",
  "--outfile=build/worker.mjs",
] as const;

/** A Worker project built from the packed npm package. */
export interface WorkerProject {
  /** The project directory (holding `config.capnp`, `build/worker.mjs`, `build/lease.core.wasm`). */
  readonly dir: string;
  /** `<dir>/config.capnp` */
  readonly config: string;
  /** The bundle's inputs (esbuild's metafile), relative to the project. */
  readonly inputs: readonly string[];
  /** Deletes everything the build wrote. */
  remove(): Promise<void>;
}

/** Options of {@link buildWorkerProject}. */
export interface WorkerProjectOptions {
  /** The compiled spec's core module, `<dir>/lease.core.wasm`. */
  readonly coreWasm: string;
}

/** How long one command of the build may take, ms. */
const COMMAND_TIMEOUT_MS = 300_000;

/** Runs a command to completion (at most {@link COMMAND_TIMEOUT_MS}). */
function run(command: string, args: readonly string[], cwd: string) {
  return runCommand(command, args, { cwd, timeoutMs: COMMAND_TIMEOUT_MS });
}

/** The version of an npm package in the import map of `deno.json` (`npm:<name>@<version>`). */
function importMapVersion(name: string): string {
  const config = JSON.parse(Deno.readTextFileSync(`${ROOT}deno.json`)) as {
    imports: Record<string, string>;
  };
  const m = /^npm:(?:@[^/]+\/)?[^@]+@(.+)$/.exec(config.imports[name] ?? "");
  if (m === null) throw new Error(`deno.json maps no npm version of '${name}'`);
  return m[1]!;
}

/**
 * Builds and packs the npm package, installs it into a fresh project with
 * `hono`, and bundles the Worker there.
 *
 * @example Build the Worker and start it
 * ```ts ignore
 * const project = await buildWorkerProject({ coreWasm: `${dist}/lease.core.wasm` });
 * const w = await startWorkerd(project.config, { sockets: ["edge-a", "edge-b"], env });
 * ```
 */
export async function buildWorkerProject(options: WorkerProjectOptions): Promise<WorkerProject> {
  const root = await Deno.makeTempDir({ prefix: "vigil-workerd-" });
  const remove = () => Deno.remove(root, { recursive: true });
  try {
    const esbuild = await npmTool("esbuild");
    const { outDir } = await buildNpmOnce({ log: () => {} });
    const packed = await run("npm", ["pack", outDir, "--pack-destination", root, "--silent"], root);
    const tarball = packed.stdout.trim().split("\n").at(-1)!;
    const dir = `${root}/project`;
    await Deno.mkdir(`${dir}/build`, { recursive: true });
    await Deno.writeTextFile(
      `${dir}/package.json`,
      JSON.stringify({ name: "lease-worker", private: true, type: "module" }, null, 2) + "\n",
    );
    await run("npm", [
      "install",
      "--no-audit",
      "--no-fund",
      "--loglevel=error",
      `${root}/${tarball}`,
      `hono@${importMapVersion("hono")}`,
    ], dir);
    for (const file of WORKER_FILES) {
      await Deno.copyFile(`${ROOT}examples/worker/${file}`, `${dir}/${file}`);
    }
    await Deno.copyFile(options.coreWasm, `${dir}/build/lease.core.wasm`);
    await run(esbuild, [...BUNDLE_ARGS, "--metafile=build/meta.json"], dir);
    const meta = JSON.parse(await Deno.readTextFile(`${dir}/build/meta.json`)) as {
      inputs: Record<string, unknown>;
    };
    return {
      dir,
      config: `${dir}/config.capnp`,
      inputs: Object.keys(meta.inputs),
      remove,
    };
  } catch (e) {
    await remove();
    throw e;
  }
}
