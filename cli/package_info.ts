/**
 * What the CLI knows about the package it runs from: its name and version
 * (`vigil --version`) and the versions of the npm packages it may load,
 * to say which command installs one that is missing ({@link missingPackage},
 * {@link installCommand}): in the npm package every npm dependency is an
 * optional peer. Read from the manifest
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

/** The npm packages the compiler loads (`vigil compile`, a `.vigil` spec given to a command). */
export const COMPILER_PACKAGES: readonly string[] = ["binaryen", "@bytecodealliance/jco"];

/**
 * The package a failed `import()` could not find, or `null` when the
 * error is something else (the wording of Node, Bun and Deno).
 *
 * @example Missing packages as the runtimes report them
 * ```ts
 * import assert from "node:assert/strict";
 * import { missingPackage } from "./package_info.ts";
 * assert.equal(missingPackage(new Error("Cannot find package 'binaryen' imported from /app/lib/wasm/codegen/func.js")), "binaryen");
 * assert.equal(missingPackage(new Error("Cannot find package '@bytecodealliance/jco' from '/app/x.js'")), "@bytecodealliance/jco");
 * assert.equal(missingPackage(new Error("Cannot find package 'msgpackr/unpack' imported from /app/x.js")), "msgpackr");
 * assert.equal(missingPackage(new Error("Cannot find module './local.js'")), null);
 * assert.equal(missingPackage(new TypeError("x is not a function")), null);
 * ```
 */
export function missingPackage(e: unknown): string | null {
  const message = e instanceof Error ? e.message : String(e);
  const m = /(?:Cannot|Could not) find (?:package|module) '([^']+)'/.exec(message);
  if (m === null) return null;
  const name = m[1]!.replace(/^npm:/, "");
  if (name.startsWith(".") || name.startsWith("/") || /^[a-z]+:/.test(name)) return null;
  // `msgpackr/unpack` and `@scope/name/sub` are their package's.
  const parts = name.split("/");
  return name.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

/**
 * `npm install <name>@<version> ...` for `names`, with the versions the
 * package was built with (a name the manifest does not pin goes bare).
 *
 * @example The compiler's packages
 * ```ts
 * import assert from "node:assert/strict";
 * import { COMPILER_PACKAGES, installCommand } from "./package_info.ts";
 * assert.match(await installCommand(COMPILER_PACKAGES), /^npm install binaryen@\d\S* @bytecodealliance\/jco@\d\S*$/);
 * ```
 */
export async function installCommand(names: readonly string[]): Promise<string> {
  const npm = await packageInfo().then((i) => i.npm, () => ({} as Record<string, string>));
  const spec = (name: string) => (npm[name] === undefined ? name : `${name}@${npm[name]}`);
  return `npm install ${names.map(spec).join(" ")}`;
}
