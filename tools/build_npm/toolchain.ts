/**
 * The npm build's toolchain: the TypeScript compiler, Node's declarations
 * and the peers (for their types), installed once per set of versions into
 * the build's cache, and `tsc` run on the staged modules.
 *
 * @module
 */
import { join } from "node:path";
import type { NpmImport } from "./specifiers.ts";
import { run } from "./run_command.ts";
import { underLock } from "./under_lock.ts";

/** The TypeScript compiler that emits the package (its checker is the one Deno 2.9 uses). */
export const TYPESCRIPT = "6.0.3";
/** Declarations of Node's builtins and web globals, for Node 20 (the oldest Node supported). */
export const TYPES_NODE = "20.19.43";

/**
 * Installs the compiler, Node's declarations and the peers (for their
 * types) into `dir` once per set of versions. Builds running at the same
 * time wait for one another's install ({@link underLock}).
 *
 * @example Install the toolchain of a build with one peer
 * ```ts ignore
 * await ensureToolchain(".vigil-cache/build_npm", [{ name: "hono", version: "4.13.19" }]);
 * ```
 */
export async function ensureToolchain(dir: string, peers: readonly NpmImport[]): Promise<void> {
  const manifest = JSON.stringify(
    {
      name: "vigil-build-npm-toolchain",
      private: true,
      devDependencies: Object.fromEntries([
        ["typescript", TYPESCRIPT],
        ["@types/node", TYPES_NODE],
        ...peers.map((p) => [p.name, p.version]),
      ]),
    },
    null,
    2,
  ) + "\n";
  const marker = join(dir, ".installed");
  const current = () => Deno.readTextFile(marker).then((t) => t === manifest || null, () => null);
  if (await current()) return;
  await Deno.mkdir(dir, { recursive: true });
  await underLock(join(dir, ".install-lock"), current, async () => {
    await Deno.writeTextFile(join(dir, "package.json"), manifest);
    console.log(
      `build:npm: installing typescript@${TYPESCRIPT}, @types/node@${TYPES_NODE} and the peers`,
    );
    const args = ["install", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"];
    await run("npm", args, { cwd: dir, what: "npm install (the build's toolchain)" });
    await Deno.writeTextFile(marker, manifest);
    return true;
  });
}

/**
 * Runs `tsc` (of the toolchain in `work`) in `dir`; diagnostics name the
 * repository's files, not the staged copies.
 *
 * @example Check the staged modules and write their declarations
 * ```ts ignore
 * await tsc(".vigil-cache/build_npm", stageDir, ["--emitDeclarationOnly"]);
 * ```
 */
export async function tsc(work: string, dir: string, args: readonly string[]): Promise<void> {
  const bin = join(work, "node_modules", "typescript", "bin", "tsc");
  try {
    await run("node", [bin, "-p", "tsconfig.json", "--pretty", "false", ...args], {
      cwd: dir,
      what: `tsc ${TYPESCRIPT}`,
    });
  } catch (e) {
    throw new Error((e as Error).message.replace(/^src\//gm, ""));
  }
}
