/**
 * Command-line tools the tests run from npm (Bun, workerd, esbuild,
 * TypeScript): each pinned here once, installed on first use into
 * `test-artifacts/npm-tools/<name>@<version>/` with the machine's own
 * `npm`, and found there afterwards. `tools/test_setup.ts` installs them
 * all before the suite starts, so parallel test files never race to
 * install one; a test that still finds one missing installs it under a
 * lock directory.
 *
 * @module
 */
import { mkdir, rm, stat } from "node:fs/promises";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { waitFor } from "./wait.ts";

/** The tools the tests use, pinned: package, version, and the binary's path in the package. */
export const NPM_TOOLS = {
  bun: { pkg: "bun", version: "1.4.4", bin: "node_modules/bun/bin/bun.exe" },
  workerd: { pkg: "workerd", version: "1.20261117.1", bin: "node_modules/workerd/bin/workerd" },
  esbuild: { pkg: "esbuild", version: "0.28.2", bin: "node_modules/esbuild/bin/esbuild" },
  typescript: { pkg: "typescript", version: "5.9.3", bin: "node_modules/typescript/bin/tsc" },
  // The VS Code extension: packaged by vsce (3.9 is the last for Node 20), its grammar read by
  // the editor's own TextMate engine and regular expressions.
  vsce: { pkg: "@vscode/vsce", version: "3.9.1", bin: "node_modules/@vscode/vsce/vsce" },
  textmate: {
    pkg: "vscode-textmate",
    version: "9.3.2",
    bin: "node_modules/vscode-textmate/release/main.js",
  },
  oniguruma: {
    pkg: "vscode-oniguruma",
    version: "2.0.1",
    bin: "node_modules/vscode-oniguruma/release/main.js",
  },
} as const;

/** A tool of {@link NPM_TOOLS}. */
export type NpmToolName = keyof typeof NPM_TOOLS;

const ROOT = fileURLToPath(new URL("../../test-artifacts/npm-tools/", import.meta.url));

/** The folder a tool is installed into. */
export function npmToolDir(name: NpmToolName): string {
  const t = NPM_TOOLS[name];
  // A scoped package (`@scope/name`) gets one folder, `@scope+name@version`.
  return `${ROOT}${t.pkg.replace("/", "+")}@${t.version}`;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The absolute path of a tool's binary, installing the tool first when it
 * is missing. Throws with npm's own output when the install fails.
 *
 * @example Find Bun (installs it on first use)
 * ```ts ignore
 * import { npmTool } from "./npm_tool.ts";
 * const bun = await npmTool("bun");
 * ```
 */
export async function npmTool(name: NpmToolName): Promise<string> {
  const dir = npmToolDir(name);
  const bin = `${dir}/${NPM_TOOLS[name].bin}`;
  if (await exists(bin)) return bin;
  await mkdir(ROOT, { recursive: true });
  const lock = `${dir}.lock`;
  let locked = false;
  await waitFor(async () => {
    if (await exists(bin)) return true;
    try {
      await mkdir(lock);
      locked = true;
      return true;
    } catch {
      return false;
    }
  }, { timeoutMs: 300_000, intervalMs: 200, what: `the install of ${name} by another test` });
  if (!locked) return bin;
  try {
    if (!(await exists(bin))) installInto(name, dir);
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
  if (!(await exists(bin))) throw new Error(`npm installed '${name}' but '${bin}' is missing`);
  return bin;
}

function installInto(name: NpmToolName, dir: string): void {
  const t = NPM_TOOLS[name];
  const out = spawnSync(
    "npm",
    [
      "install",
      "--prefix",
      dir,
      "--no-audit",
      "--no-fund",
      "--loglevel=error",
      `${t.pkg}@${t.version}`,
    ],
    { encoding: "utf8" },
  );
  if (out.error !== undefined || out.status !== 0) {
    const why = out.error?.message ?? `${out.stderr}${out.stdout}`.trim();
    throw new Error(`Cannot install '${t.pkg}@${t.version}' with npm: ${why}`);
  }
}
