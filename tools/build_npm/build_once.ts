/**
 * The package built at most once per state of its sources, shared by the
 * tests that need it (`.vigil-cache/build_npm/out-<fingerprint>/`).
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildNpm, type BuildNpmOptions, type BuildNpmResult } from "./build.ts";
import { underLock } from "./under_lock.ts";

/** What the package is built from: {@link buildNpmOnce} rebuilds when any of it changes. */
export const BUILD_INPUTS: readonly string[] = [
  "mod.ts",
  "lib/",
  "runtime/",
  "edge/",
  "cli/",
  "editor/",
  "deno.json",
  "LICENSE",
  "README.md",
  "tools/build_npm.ts",
  "tools/build_npm/",
];

/** A fingerprint of {@link BUILD_INPUTS} under `root` (SHA-256, hex). */
async function inputsFingerprint(root: string): Promise<string> {
  const files: string[] = [];
  async function walk(rel: string): Promise<void> {
    const info = await Deno.stat(join(root, rel));
    if (info.isFile) {
      files.push(rel);
      return;
    }
    for await (const e of Deno.readDir(join(root, rel))) {
      if (e.isDirectory) await walk(`${rel}${e.name}/`);
      else if (e.isFile && e.name.endsWith(".ts")) files.push(`${rel}${e.name}`);
    }
  }
  for (const input of BUILD_INPUTS) await walk(input);
  const parts: Uint8Array[] = [];
  const encoder = new TextEncoder();
  for (const file of files.sort()) {
    parts.push(encoder.encode(`${file}\0`), await Deno.readFile(join(root, file)));
  }
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", all));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The package built from the sources as they are now, built at most once:
 * tests that need the package share one build in
 * `.vigil-cache/build_npm/out-<fingerprint of BUILD_INPUTS>/` (a build
 * running in another process is awaited, at most 10 min; one that died is
 * redone). Treat the directory as read-only.
 *
 * @example Reuse the package between tests
 * ```ts ignore
 * import { buildNpmOnce } from "./build_once.ts";
 * const { outDir } = await buildNpmOnce(); // builds, or finds the build of these sources
 * ```
 */
export async function buildNpmOnce(
  options: Omit<BuildNpmOptions, "outDir"> = {},
): Promise<BuildNpmResult> {
  const root = options.root ?? fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");
  const work = join(root, ".vigil-cache", "build_npm");
  await Deno.mkdir(work, { recursive: true });
  const outDir = join(work, `out-${(await inputsFingerprint(root)).slice(0, 16)}`);
  const done = `${outDir}.json`;
  const read = () =>
    Deno.readTextFile(done).then((t) => JSON.parse(t) as BuildNpmResult, () => null);
  return await underLock(`${outDir}.lock`, read, async () => {
    const result = await buildNpm({ ...options, outDir });
    await Deno.writeTextFile(done, JSON.stringify(result));
    return result;
  });
}
