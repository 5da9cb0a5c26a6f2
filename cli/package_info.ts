/**
 * What the CLI knows about the package it runs from: its name and version
 * (`vigil --version`) and the versions of the npm packages it may load
 * (to say which command installs a missing one). Read from the manifest
 * beside the CLI's folder: `deno.json` in the repository or the JSR
 * package, `package.json` in the npm package (whose build copies the
 * version from `deno.json` and lists the npm packages as peers).
 *
 * @module
 */

/** The package's name, version and the npm packages it may load, by name. */
export interface PackageInfo {
  /** `@vigil/vigil`. */
  readonly name: string;
  /** E.g. `0.1.0`. */
  readonly version: string;
  /** npm package name -> the version (or range) the package was tested with. */
  readonly npm: Readonly<Record<string, string>>;
  /** Where it was read from, e.g. `file:///.../deno.json`. */
  readonly manifest: string;
}

interface Manifest {
  readonly name?: unknown;
  readonly version?: unknown;
  readonly imports?: Readonly<Record<string, unknown>>;
  readonly peerDependencies?: Readonly<Record<string, unknown>>;
}

/** The manifests tried, in order, relative to this module's folder. */
const MANIFESTS = ["../deno.json", "../package.json"] as const;

async function readText(url: URL): Promise<string | null> {
  try {
    if (url.protocol === "file:") {
      const { readFile } = await import("node:fs/promises");
      return await readFile(url, "utf8");
    }
    const res = await fetch(url);
    if (!res.ok) {
      await res.body?.cancel();
      return null;
    }
    return await res.text();
  } catch {
    return null;
  }
}

/**
 * The npm packages a manifest names: `deno.json` "imports" values
 * `npm:<name>@<version>`, or `package.json` "peerDependencies".
 *
 * @example Both kinds of manifest
 * ```ts
 * import assert from "node:assert/strict";
 * import { npmPackagesOf } from "./package_info.ts";
 * assert.deepEqual(
 *   npmPackagesOf({ imports: { binaryen: "npm:binaryen@122.0.0", "@vigil/vigil": "./mod.ts" } }),
 *   { binaryen: "122.0.0" },
 * );
 * assert.deepEqual(npmPackagesOf({ peerDependencies: { hono: "^4.13.19" } }), { hono: "^4.13.19" });
 * ```
 */
export function npmPackagesOf(manifest: {
  readonly imports?: Readonly<Record<string, unknown>>;
  readonly peerDependencies?: Readonly<Record<string, unknown>>;
}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const value of Object.values(manifest.imports ?? {})) {
    const m = typeof value === "string" ? /^npm:(@?[^@/]+(?:\/[^@/]+)?)@([^/]+)/.exec(value) : null;
    if (m !== null) out[m[1]!] = m[2]!;
  }
  for (const [name, range] of Object.entries(manifest.peerDependencies ?? {})) {
    if (typeof range === "string") out[name] = range;
  }
  return out;
}

/**
 * Reads the package's manifest.
 *
 * @throws {Error} When no manifest of `@vigil/vigil` with a version is found beside the CLI.
 *
 * @example The version of the repository's package
 * ```ts
 * import assert from "node:assert/strict";
 * import { readFile } from "node:fs/promises";
 * import { packageInfo } from "./package_info.ts";
 * const info = await packageInfo();
 * const denoJson = JSON.parse(await readFile(new URL("../deno.json", import.meta.url), "utf8"));
 * assert.equal(info.version, denoJson.version);
 * assert.equal(info.name, "@vigil/vigil");
 * assert.match(info.npm["binaryen"] ?? "", /^\d+\.\d+\.\d+$/);
 * ```
 */
export async function packageInfo(): Promise<PackageInfo> {
  for (const rel of MANIFESTS) {
    const url = new URL(rel, import.meta.url);
    const text = await readText(url);
    if (text === null) continue;
    let m: Manifest;
    try {
      m = JSON.parse(text) as Manifest;
    } catch {
      continue;
    }
    if (m.name !== "@vigil/vigil" || typeof m.version !== "string") continue;
    return { name: m.name, version: m.version, npm: npmPackagesOf(m), manifest: url.href };
  }
  throw new Error(
    `No manifest of @vigil/vigil found beside the CLI (tried ${
      MANIFESTS.map((r) => `'${new URL(r, import.meta.url).href}'`).join(", ")
    })`,
  );
}
