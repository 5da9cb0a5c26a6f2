/**
 * `deno task package:vscode [--out dir]`: builds the VS Code extension of
 * `editor/vscode/` into `<dir>/vigil-<version>.vsix` (default
 * `test-artifacts/vscode/`) with `@vscode/vsce` from npm (pinned in
 * `tools/harness/npm_tool.ts`). The extension's files are copied to a
 * staging folder with the repository's LICENSE and the version of
 * `deno.json`, its one dependency (`vscode-languageclient`) is installed
 * there with npm, and vsce packs the folder. Needs Node and npm (vsce runs
 * on Node 20+); the registry only the first time, to install vsce and the
 * client library.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { copyFile, cp, mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { npmTool } from "./harness/npm_tool.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** The extension's files, from `editor/vscode/`. */
const FILES = [
  "package.json",
  "extension.js",
  "language-configuration.json",
  "README.md",
  "syntaxes",
];

/** Options of {@link packageVscode}. */
export interface PackageOptions {
  /** Where the `.vsix` goes. Default `test-artifacts/vscode/` of the repository. */
  readonly outDir?: string;
  /** Progress lines. Default: standard error. */
  readonly log?: (line: string) => void;
}

/** What {@link packageVscode} built. */
export interface VsixPackage {
  /** The `.vsix` file. */
  readonly path: string;
  /** Its size in bytes. */
  readonly bytes: number;
  /** The extension's version (the project's, from `deno.json`). */
  readonly version: string;
}

/** Runs a command; throws with its output when it fails. */
function run(command: string, args: readonly string[], cwd: string): void {
  const out = spawnSync(command, [...args], { cwd, encoding: "utf8" });
  if (out.error !== undefined || out.status !== 0) {
    const why = out.error?.message ?? `${out.stderr}${out.stdout}`.trim();
    throw new Error(`'${command} ${args.join(" ")}' failed in '${cwd}': ${why}`);
  }
}

/**
 * Builds the extension's `.vsix`.
 *
 * @example Package the extension
 * ```ts ignore
 * import { packageVscode } from "./package_vscode.ts";
 * const { path } = await packageVscode({ outDir: "/tmp/vsix" });
 * ```
 */
export async function packageVscode(options: PackageOptions = {}): Promise<VsixPackage> {
  const log = options.log ?? ((line: string) => console.error(line));
  const outDir = options.outDir ?? `${ROOT}test-artifacts/vscode`;
  const deno = JSON.parse(await readFile(`${ROOT}deno.json`, "utf8")) as { version?: unknown };
  if (typeof deno.version !== "string") {
    throw new Error(`deno.json has no 'version' string to give the extension`);
  }
  const version = deno.version;
  const stage = `${outDir}/stage`;
  await rm(stage, { recursive: true, force: true });
  await mkdir(stage, { recursive: true });
  for (const f of FILES) {
    await cp(`${ROOT}editor/vscode/${f}`, `${stage}/${f}`, { recursive: true });
  }
  await copyFile(`${ROOT}LICENSE`, `${stage}/LICENSE`);
  const manifest = JSON.parse(await readFile(`${stage}/package.json`, "utf8"));
  manifest.version = version;
  await writeFile(`${stage}/package.json`, JSON.stringify(manifest, null, 2) + "\n");
  log(`package:vscode: installing the extension's dependencies in ${stage}`);
  run("npm", ["install", "--omit=dev", "--no-audit", "--no-fund", "--loglevel=error"], stage);
  const vsce = await npmTool("vsce");
  const path = `${outDir}/vigil-${version}.vsix`;
  await rm(path, { force: true });
  log(`package:vscode: packing with ${vsce}`);
  run("node", [
    vsce,
    "package",
    "--out",
    path,
    "--allow-missing-repository",
    "--no-update-package-json",
  ], stage);
  const { size } = await stat(path);
  log(`package:vscode: wrote ${path} (${size} bytes)`);
  return { path, bytes: size, version };
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { out: { type: "string" } }, strict: true });
  const built = await packageVscode(values.out === undefined ? {} : { outDir: values.out });
  console.log(built.path);
}
