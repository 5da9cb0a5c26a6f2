/**
 * Import specifiers as the npm build rewrites them: npm specifiers and the
 * npm packages of `deno.json` "imports", the relative `.js` path between
 * two compiled modules, the specifier a compiled module uses for each
 * import (or why the import cannot ship), the rewriting of module source,
 * and how a compiled module's import resolves inside the package.
 *
 * @module
 */
/** An npm package as `deno.json` "imports" names it: `npm:name@version`. */
export interface NpmImport {
  readonly name: string;
  readonly version: string;
}

/** One import of a module, as the build rewrites it. */
export interface ModuleImport {
  /** The specifier as written in the source. */
  readonly specifier: string;
  /** What it resolved to: a `file:`, `npm:` or `node:` specifier. */
  readonly resolved: string;
  /** True for `import(...)`. */
  readonly dynamic: boolean;
}

/** A module of the package, by repository-relative path. */
export interface PackageModule {
  readonly path: string;
  readonly imports: readonly ModuleImport[];
}

/**
 * Parses an `npm:` specifier: `npm:name@version/sub`, `npm:@scope/name@version`,
 * or the resolved form `npm:/name@version/sub`; `null` for anything else.
 *
 * @example Parse scoped, unscoped and subpath specifiers
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseNpmSpecifier } from "./specifiers.ts";
 * assert.deepEqual(parseNpmSpecifier("npm:/msgpackr@2.1.3/unpack"), {
 *   name: "msgpackr",
 *   version: "2.1.3",
 *   subpath: "/unpack",
 * });
 * assert.deepEqual(parseNpmSpecifier("npm:@nats-io/jetstream@3.4.0"), {
 *   name: "@nats-io/jetstream",
 *   version: "3.4.0",
 *   subpath: "",
 * });
 * assert.equal(parseNpmSpecifier("node:http"), null);
 * ```
 */
export function parseNpmSpecifier(
  specifier: string,
): { name: string; version: string; subpath: string } | null {
  const m = /^npm:\/?((?:@[^/@]+\/)?[^/@]+)(?:@([^/]+))?(\/.*)?$/.exec(specifier);
  if (m === null) return null;
  return { name: m[1]!, version: m[2] ?? "", subpath: m[3] ?? "" };
}

/**
 * The npm packages of `deno.json` "imports", by package name. Entries that
 * map to files (the project's own `@vigil/vigil` names) are skipped.
 *
 * @example Read the npm entries of an import map
 * ```ts
 * import assert from "node:assert/strict";
 * import { npmImports } from "./specifiers.ts";
 * const map = npmImports({ hono: "npm:hono@4.13.19", "@vigil/vigil": "./mod.ts" });
 * assert.deepEqual([...map], [["hono", { name: "hono", version: "4.13.19" }]]);
 * assert.throws(() => npmImports({ hono: "npm:hono" }), /Import 'hono' .* no version/);
 * ```
 */
export function npmImports(imports: Readonly<Record<string, string>>): Map<string, NpmImport> {
  const out = new Map<string, NpmImport>();
  for (const [key, value] of Object.entries(imports)) {
    if (!value.startsWith("npm:")) continue;
    const parsed = parseNpmSpecifier(value);
    if (parsed === null || parsed.version === "") {
      throw new Error(`Import '${key}' maps to '${value}', an npm specifier with no version`);
    }
    out.set(parsed.name, { name: parsed.name, version: parsed.version });
  }
  return out;
}

/**
 * The specifier a module at `fromPath` uses for the module at `toPath`
 * once both are compiled (repository-relative paths, `.ts` becomes `.js`).
 *
 * @example Sibling, parent and child modules
 * ```ts
 * import assert from "node:assert/strict";
 * import { relativeJs } from "./specifiers.ts";
 * assert.equal(relativeJs("runtime/hono/guard.ts", "runtime/hono/guard_store.ts"), "./guard_store.js");
 * assert.equal(relativeJs("runtime/hono/guard.ts", "lib/wire/problem.ts"), "../../lib/wire/problem.js");
 * assert.equal(relativeJs("mod.ts", "runtime/monitor/load_spec.ts"), "./runtime/monitor/load_spec.js");
 * ```
 */
export function relativeJs(fromPath: string, toPath: string): string {
  const from = fromPath.split("/").slice(0, -1);
  const to = toPath.split("/");
  let common = 0;
  while (common < from.length && common < to.length - 1 && from[common] === to[common]) common++;
  const up = from.length - common;
  const rest = to.slice(common).join("/").replace(/\.ts$/, ".js");
  return up === 0 ? `./${rest}` : `${"../".repeat(up)}${rest}`;
}

/**
 * The specifier a compiled module uses for one import, or an error message
 * when the import cannot ship (a module outside the package, an npm
 * package `deno.json` does not list, a remote or `jsr:` module).
 *
 * @example Rewrite relative, self and package imports
 * ```ts
 * import assert from "node:assert/strict";
 * import { rewrittenSpecifier } from "./specifiers.ts";
 * const npm = new Map([["msgpackr", { name: "msgpackr", version: "2.1.3" }]]);
 * const at = (specifier: string, resolved: string) =>
 *   rewrittenSpecifier("edge/mod.ts", { specifier, resolved, dynamic: false }, { npm, root: "file:///r/" });
 * assert.equal(at("./engine/engine.ts", "file:///r/edge/engine/engine.ts"), "./engine/engine.js");
 * assert.equal(at("@vigil/vigil/abi", "file:///r/lib/abi/mod.ts"), "../lib/abi/mod.js");
 * assert.equal(at("msgpackr/unpack", "npm:/msgpackr@2.1.3/unpack"), "msgpackr/unpack");
 * assert.equal(at("node:http", "node:http"), "node:http");
 * assert.throws(() => at("hono", "npm:/hono@4.13.19"), /'hono', which deno\.json "imports" does not list/);
 * assert.throws(() => at("jsr:@std/path", "jsr:@std/path"), /cannot ship/);
 * ```
 */
export function rewrittenSpecifier(
  fromPath: string,
  imp: ModuleImport,
  context: { readonly npm: ReadonlyMap<string, NpmImport>; readonly root: string },
): string {
  const { resolved } = imp;
  if (resolved.startsWith("node:")) return resolved;
  if (resolved.startsWith("file:")) {
    if (!resolved.startsWith(context.root)) {
      throw new Error(`Module '${fromPath}' imports '${imp.specifier}', outside the repository`);
    }
    return relativeJs(fromPath, resolved.slice(context.root.length));
  }
  const npm = parseNpmSpecifier(resolved);
  if (npm !== null) {
    if (!context.npm.has(npm.name)) {
      throw new Error(
        `Module '${fromPath}' imports npm package '${npm.name}', which deno.json "imports" does not list`,
      );
    }
    return `${npm.name}${npm.subpath}`;
  }
  throw new Error(
    `Module '${fromPath}' imports '${imp.specifier}' ('${resolved}'), which cannot ship`,
  );
}

/**
 * Replaces import specifiers in module source: every string literal after
 * `from`, `import` or `import(` whose text is a key of `replacements`.
 *
 * @example Rewrite static, type-only, re-export and dynamic imports
 * ```ts
 * import assert from "node:assert/strict";
 * import { rewriteSpecifiers } from "./specifiers.ts";
 * const source = [
 *   'import { a } from "./a.ts";',
 *   "import type { B } from './b.ts';",
 *   'export * from "./a.ts";',
 *   'const c = await import("./c.ts");',
 *   'import "./d.ts";',
 *   'const text = "./a.ts";',
 * ].join("\n");
 * const map = new Map([["./a.ts", "./a.js"], ["./b.ts", "./b.js"], ["./c.ts", "./c.js"], ["./d.ts", "./d.js"]]);
 * assert.equal(rewriteSpecifiers(source, map), [
 *   'import { a } from "./a.js";',
 *   "import type { B } from './b.js';",
 *   'export * from "./a.js";',
 *   'const c = await import("./c.js");',
 *   'import "./d.js";',
 *   'const text = "./a.ts";',
 * ].join("\n"));
 * ```
 */
export function rewriteSpecifiers(
  source: string,
  replacements: ReadonlyMap<string, string>,
): string {
  return source.replace(
    /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(["'])([^"'\n]+)\2/g,
    (whole, lead: string, quote: string, specifier: string) => {
      const to = replacements.get(specifier);
      return to === undefined ? whole : `${lead}${quote}${to}${quote}`;
    },
  );
}

/**
 * One import of a compiled module at `fromPath` (package-relative), resolved
 * as {@link reachable} follows it: a relative specifier to `root` + the
 * package-relative path, a package to `npm:<name>` (its subpath dropped), a
 * `node:` builtin as it is.
 *
 * @example Relative, package and builtin imports
 * ```ts
 * import assert from "node:assert/strict";
 * import { compiledImport } from "./specifiers.ts";
 * const at = (specifier: string) => compiledImport("x/y.js", specifier, "pkg:/").resolved;
 * assert.equal(at("./a.js"), "pkg:/x/a.js");
 * assert.equal(at("../b.js"), "pkg:/b.js");
 * assert.equal(at("msgpackr/unpack"), "npm:msgpackr");
 * assert.equal(at("@nats-io/jetstream"), "npm:@nats-io/jetstream");
 * assert.equal(at("node:http"), "node:http");
 * ```
 */
export function compiledImport(fromPath: string, specifier: string, root: string): ModuleImport {
  let resolved: string;
  if (specifier.startsWith(".")) {
    resolved = `${root}${new URL(specifier, new URL(fromPath, "file:///")).pathname.slice(1)}`;
  } else if (specifier.startsWith("node:")) {
    resolved = specifier;
  } else {
    resolved = `npm:${/^(@[^/]+\/[^/]+|[^/]+)/.exec(specifier)![1]!}`;
  }
  return { specifier, resolved, dynamic: false };
}
