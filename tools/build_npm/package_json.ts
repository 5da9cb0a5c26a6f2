/**
 * The `package.json` of the npm package: its exports per subpath, the bin,
 * and every npm package it imports as an optional peer.
 *
 * @module
 */
import type { NpmImport } from "./specifiers.ts";

/** Peers whose exact version the package requires: the compiler's code generators. */
export const PINNED_PEERS: ReadonlySet<string> = new Set(["binaryen", "@bytecodealliance/jco"]);

/** What `package.json` is made of. */
export interface PackageJsonInput {
  readonly name: string;
  readonly version: string;
  /** `deno.json` "exports": subpath -> repository-relative `.ts` module. */
  readonly exports: Readonly<Record<string, string>>;
  /** The bin's module, repository-relative (`cli/main.ts`). */
  readonly bin: string;
  /** Every npm package the shipped modules import, with the version `deno.json` pins. */
  readonly peers: readonly NpmImport[];
  readonly description?: string;
}

/**
 * The npm `package.json` of the package: ESM, an `exports` entry per
 * subpath with `types` before `import`, the `vigil` bin, and every npm
 * package as an optional peer (`^version`, exact for {@link PINNED_PEERS}).
 *
 * @example The manifest of a two-subpath package
 * ```ts
 * import assert from "node:assert/strict";
 * import { packageJson } from "./package_json.ts";
 * const pkg = packageJson({
 *   name: "@vigil/vigil",
 *   version: "0.1.0",
 *   exports: { ".": "./mod.ts", "./hono": "./runtime/hono/mod.ts" },
 *   bin: "cli/main.ts",
 *   peers: [{ name: "hono", version: "4.13.19" }, { name: "binaryen", version: "122.0.0" }],
 * });
 * assert.equal(pkg.type, "module");
 * assert.deepEqual(pkg.exports["./hono"], {
 *   types: "./runtime/hono/mod.d.ts",
 *   import: "./runtime/hono/mod.js",
 * });
 * assert.deepEqual(pkg.bin, { vigil: "./cli/main.js" });
 * assert.deepEqual(pkg.peerDependencies, { binaryen: "122.0.0", hono: "^4.13.19" });
 * assert.deepEqual(pkg.peerDependenciesMeta.hono, { optional: true });
 * assert.deepEqual(pkg.dependencies, {});
 * ```
 */
export function packageJson(input: PackageJsonInput): {
  name: string;
  version: string;
  type: "module";
  exports: Record<string, { types: string; import: string } | string>;
  bin: Record<string, string>;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional: true }>;
  [field: string]: unknown;
} {
  const js = (p: string) => `./${p.replace(/^\.\//, "").replace(/\.ts$/, ".js")}`;
  const dts = (p: string) => `./${p.replace(/^\.\//, "").replace(/\.ts$/, ".d.ts")}`;
  const exports: Record<string, { types: string; import: string } | string> = {};
  for (const [subpath, module] of Object.entries(input.exports)) {
    if (!module.endsWith(".ts")) {
      throw new Error(`Export '${subpath}' maps to '${module}', not a TypeScript module`);
    }
    exports[subpath] = { types: dts(module), import: js(module) };
  }
  exports["./package.json"] = "./package.json";
  const peers = [...input.peers].sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return {
    name: input.name,
    version: input.version,
    ...(input.description === undefined ? {} : { description: input.description }),
    license: "MIT",
    type: "module",
    engines: { node: ">=20" },
    exports,
    bin: { vigil: js(input.bin) },
    dependencies: {},
    peerDependencies: Object.fromEntries(
      peers.map((p) => [p.name, PINNED_PEERS.has(p.name) ? p.version : `^${p.version}`]),
    ),
    peerDependenciesMeta: Object.fromEntries(peers.map((p) => [p.name, { optional: true }])),
  };
}
