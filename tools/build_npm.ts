/**
 * `deno task build:npm`: writes the npm package `@vigil/vigil` to `npm/`,
 * ESM JavaScript with `.d.ts` beside each module, the same subpaths as
 * `deno.json` "exports", and the `vigil` bin (`cli/main.js`).
 *
 * Steps:
 *
 * 1. **Graph.** `deno info --json` on every export and on `cli/main.ts`
 *    gives the modules they reach (dynamic imports included) and, for each
 *    import, what it resolved to. Only those modules ship: tests,
 *    benchmarks, examples and fixtures are never reached (a reached test
 *    file stops the build).
 * 2. **Stage.** Each module is copied to `.vigil-cache/build_npm/src/` with
 *    its import specifiers rewritten for Node: a relative `./x.ts` becomes
 *    `./x.js`, an import-map name of the project (`@vigil/vigil/hono`)
 *    becomes the relative path of its module, and an import-map name of an
 *    npm package (`hono`, `msgpackr/unpack`) becomes the package's own name
 *    with its subpath. `node:` builtins stay. A module that runs on Deno
 *    only ({@link DENO_ONLY}: the demo) is replaced by a stub that says
 *    where it runs, and what only it imports is not shipped.
 * 3. **Compile.** The TypeScript compiler from npm ({@link TYPESCRIPT},
 *    the JavaScript compiler whose checker Deno uses) emits ES2022 modules
 *    and declarations with the project's strict options, `NodeNext`
 *    resolution (so every specifier resolves as Node resolves it) and no
 *    DOM: only ES2022 and what `@types/node` declares for Node 20 (fetch,
 *    streams, `WebAssembly`, timers). Any diagnostic stops the build.
 * 4. **Package.** `package.json` (name and version from `deno.json`,
 *    `exports` with `types` and `import` per subpath, the bin), the
 *    `LICENSE` and the `README.md`.
 *
 * Dependencies: the package has none that always install. Every npm
 * package a module imports is an optional peer dependency, so
 * `npm install @vigil/vigil` brings the core SDK alone (a service that
 * ships over HTTP needs nothing else) and a user adds what a subpath
 * loads: `/hono` and `/nats` import only the types of `hono` and NATS (the
 * app and the connection are the user's own), `/edge` loads `hono` and
 * `msgpackr`, `/compiler` and `vigil compile` load `binaryen` and
 * `@bytecodealliance/jco`. The build prints, for each subpath and each CLI
 * command, the packages it loads at run time and those its declarations
 * name. Peers accept the tested version and later compatible ones (`^`),
 * except the compiler's code generators ({@link PINNED_PEERS}), whose
 * output the compiled artifacts depend on.
 *
 * @module
 */
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The TypeScript compiler that emits the package (its checker is the one Deno 2.9 uses). */
export const TYPESCRIPT = "6.0.3";
/** Declarations of Node's builtins and web globals, for Node 20 (the oldest Node supported). */
export const TYPES_NODE = "20.19.43";
/** Peers whose exact version the package requires: the compiler's code generators. */
export const PINNED_PEERS: ReadonlySet<string> = new Set(["binaryen", "@bytecodealliance/jco"]);
/** The module the `vigil` bin runs, besides the exports. */
export const BIN_ENTRY = "cli/main.ts";

/**
 * Modules the package runs that no import reaches: Web Worker entries,
 * started with `new Worker(new URL(...))` (`vigil check --workers N` runs
 * `lib/explore/worker.ts` in each worker).
 */
export const WORKER_ENTRIES: readonly string[] = ["lib/explore/worker.ts"];
/** A Deno-only module the package replaces with a stub, and why. */
export interface DenoOnlyModule {
  /** Why it cannot run from the package. */
  readonly reason: string;
  /** The TypeScript module shipped in its place (same exports; no imports). */
  readonly stub: string;
}

/**
 * Modules that run on Deno only, by repository path. The package ships a
 * stub in place of each (what they import is not shipped unless something
 * else reaches it), so the bin still type-checks and says what to do.
 */
export const DENO_ONLY: Readonly<Record<string, DenoOnlyModule>> = {
  "cli/demo_command.ts": {
    reason: "vigil demo compiles the repository's specs/lease.vigil, serves with Deno.serve and " +
      "starts its NATS nodes with deno run: it runs from a checkout of the repository on Deno",
    stub: `/**
 * \`vigil demo\` in the npm package: the demo runs from a checkout of the
 * repository on Deno (\`deno task demo\`); this module says so.
 *
 * @module
 */

/** Says where the demo runs; exits 1. */
export function demoCommand(_args: readonly string[]): Promise<number> {
  console.error(
    "vigil demo: the demo runs on Deno from a checkout of the repository ('deno task demo'); " +
      "'vigil compile', 'vigil collector', 'vigil replay' and 'vigil check' run here",
  );
  return Promise.resolve(1);
}
`,
  },
};

/** Path fragments that never ship (a reached module matching one stops the build). */
export const NEVER_SHIPPED: readonly RegExp[] = [
  /(^|\/)[^/]*_test\.ts$/,
  /(^|\/)tests?\//,
  /^bench\//,
  /^examples\//,
  /^tools\//,
  /(^|\/)testdata\//,
  /(^|\/)fixtures?\//,
  /_fixture\.ts$/,
];

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
 * import { parseNpmSpecifier } from "./build_npm.ts";
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
 * import { npmImports } from "./build_npm.ts";
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
 * import { relativeJs } from "./build_npm.ts";
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
 * import { rewrittenSpecifier } from "./build_npm.ts";
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
 * import { rewriteSpecifiers } from "./build_npm.ts";
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
 * import { compiledImport } from "./build_npm.ts";
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

/**
 * Reads the import specifiers (and `/// <reference path>`s) of compiled
 * modules or declarations with the TypeScript compiler's own scanner (run by Node from the toolchain), so that text
 * in strings or templates is never taken for an import.
 */
async function compiledImports(
  work: string,
  outDir: string,
  files: readonly string[],
): Promise<Map<string, { specifier: string; dynamic: boolean }[]>> {
  const script = `
import ts from "typescript";
import { readFileSync } from "node:fs";
import { join } from "node:path";
const [outDir, ...files] = process.argv.slice(1);
const out = {};
for (const f of files) {
  const text = readFileSync(join(outDir, f), "utf8");
  const info = ts.preProcessFile(text, true, true);
  const source = ts.createSourceFile(f, text, ts.ScriptTarget.ES2022, false);
  const statics = new Set();
  for (const node of source.statements) {
    const spec = (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier;
    if (spec && ts.isStringLiteral(spec)) statics.add(spec.text);
  }
  out[f] = [...info.importedFiles, ...info.referencedFiles].map((i) => ({
    specifier: i.fileName,
    dynamic: !statics.has(i.fileName),
  }));
}
process.stdout.write(JSON.stringify(out));
`;
  const text = await run("node", ["--input-type=module", "-e", script, outDir, ...files], {
    cwd: work,
    what: "reading the compiled modules' imports",
  });
  type Found = { specifier: string; dynamic: boolean }[];
  return new Map(Object.entries(JSON.parse(text) as Record<string, Found>));
}

/** The first pattern of {@link NEVER_SHIPPED} a path matches, or `null`. */
export function neverShipped(path: string): RegExp | null {
  return NEVER_SHIPPED.find((re) => re.test(path)) ?? null;
}

/**
 * Every module reachable from `roots` (repository-relative paths), through
 * static and dynamic imports (static ones only with `staticOnly`), in
 * `modules`, and the npm packages they import.
 *
 * @example Follow imports, dynamic ones included
 * ```ts
 * import assert from "node:assert/strict";
 * import { reachable } from "./build_npm.ts";
 * const mod = (path: string, ...deps: string[]) => ({
 *   path,
 *   imports: deps.map((d) => ({ specifier: d, resolved: d.startsWith("npm:") ? d : `file:///r/${d}`, dynamic: false })),
 * });
 * const modules = new Map([
 *   ["a.ts", mod("a.ts", "b.ts", "npm:hono@4")],
 *   ["b.ts", mod("b.ts")],
 *   ["c.ts", mod("c.ts", "a.ts")],
 * ]);
 * const got = reachable(["a.ts"], modules, "file:///r/");
 * assert.deepEqual([...got.files].sort(), ["a.ts", "b.ts"]);
 * assert.deepEqual([...got.packages], ["hono"]);
 * ```
 */
export function reachable(
  roots: readonly string[],
  modules: ReadonlyMap<string, PackageModule>,
  root: string,
  options: { readonly staticOnly?: boolean } = {},
): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const todo = [...roots];
  for (let path = todo.pop(); path !== undefined; path = todo.pop()) {
    if (files.has(path)) continue;
    files.add(path);
    for (const imp of modules.get(path)?.imports ?? []) {
      if (imp.dynamic && options.staticOnly === true) continue;
      const npm = parseNpmSpecifier(imp.resolved);
      if (npm !== null) packages.add(npm.name);
      else if (imp.resolved.startsWith(root)) todo.push(imp.resolved.slice(root.length));
    }
  }
  return { files, packages };
}

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
 * import { packageJson } from "./build_npm.ts";
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

// ---------------------------------------------------------------------------
// The build itself (subprocesses and files).

interface DenoInfoSpan {
  readonly specifier: string;
}
interface DenoInfoDependency {
  readonly specifier: string;
  readonly code?: DenoInfoSpan;
  readonly type?: DenoInfoSpan;
  readonly isDynamic?: boolean;
}
interface DenoInfoModule {
  readonly specifier: string;
  readonly kind?: string;
  readonly dependencies?: readonly DenoInfoDependency[];
  readonly error?: string;
}

/** Options of {@link runCommand}. */
export interface RunCommandOptions {
  /** Working directory. */
  readonly cwd: string;
  /** What the command does, for the error message. Default: the command line. */
  readonly what?: string;
  /** Stop it after this long, ms (it then fails). Default 600 000. */
  readonly timeoutMs?: number;
}

/**
 * Runs a command to completion with no input; resolves with what it
 * printed when it exits 0, else rejects with its exit code (or the timeout)
 * and its output.
 *
 * @example Run Node
 * ```ts
 * import assert from "node:assert/strict";
 * import { runCommand } from "./build_npm.ts";
 * const { stdout } = await runCommand("node", ["-e", "console.log(6 * 7)"], { cwd: "." });
 * assert.equal(stdout.trim(), "42");
 * await assert.rejects(
 *   runCommand("node", ["-e", "process.exit(3)"], { cwd: ".", what: "a failing script" }),
 *   /a failing script failed \(exit 3\)/,
 * );
 * ```
 */
export async function runCommand(
  command: string,
  args: readonly string[],
  options: RunCommandOptions,
): Promise<{ stdout: string; stderr: string }> {
  const timeoutMs = options.timeoutMs ?? 600_000;
  const what = options.what ?? `'${[command, ...args].join(" ")}'`;
  const out = await new Deno.Command(command, {
    args: [...args],
    cwd: options.cwd,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(timeoutMs),
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  const stderr = new TextDecoder().decode(out.stderr);
  if (out.signal !== null) {
    throw new Error(`${what} was stopped after ${timeoutMs} ms:\n${stdout}${stderr}`);
  }
  if (!out.success) {
    throw new Error(`${what} failed (exit ${out.code}) in '${options.cwd}':\n${stdout}${stderr}`);
  }
  return { stdout, stderr };
}

async function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; what: string },
): Promise<string> {
  return (await runCommand(command, args, options)).stdout;
}

/** The module graph of `entries` (repository-relative), merged. */
async function moduleGraph(
  root: string,
  entries: readonly string[],
): Promise<Map<string, PackageModule>> {
  const rootUrl = pathToFileURL(root + "/").href;
  const modules = new Map<string, PackageModule>();
  const graphs = await Promise.all(entries.map(async (entry) => {
    const text = await run(Deno.execPath(), ["info", "--json", entry], {
      cwd: root,
      what: `deno info ${entry}`,
    });
    return JSON.parse(text) as { modules: DenoInfoModule[] };
  }));
  for (const graph of graphs) {
    for (const m of graph.modules) {
      if (!m.specifier.startsWith(rootUrl) || modules.has(m.specifier.slice(rootUrl.length))) {
        continue;
      }
      const path = m.specifier.slice(rootUrl.length);
      if (m.error !== undefined) throw new Error(`Module '${path}': ${m.error}`);
      const imports = (m.dependencies ?? []).flatMap((d) => {
        const resolved = d.code?.specifier ?? d.type?.specifier;
        if (resolved === undefined) {
          throw new Error(`Module '${path}': import '${d.specifier}' did not resolve`);
        }
        return [{ specifier: d.specifier, resolved, dynamic: d.isDynamic === true }];
      });
      modules.set(path, { path, imports });
    }
  }
  return modules;
}

/**
 * Runs `fn` holding the lock directory `lock` unless `ready()` gives a
 * result first: a process that holds the lock is awaited (at most 10 min),
 * one that died holding it (its pid gone from `/proc`) is taken over, and
 * `ready()` is asked again once the lock is held.
 *
 * @example Take over the lock of a process that died
 * ```ts
 * import assert from "node:assert/strict";
 * import { underLock } from "./build_npm.ts";
 * const lock = `${await Deno.makeTempDir()}/lock`;
 * const dead = new Deno.Command("true").spawn();
 * await dead.status;
 * await Deno.mkdir(lock);
 * await Deno.writeTextFile(`${lock}/pid`, String(dead.pid));
 * assert.equal(await underLock(lock, () => Promise.resolve(null), () => Promise.resolve("built")), "built");
 * await assert.rejects(Deno.stat(lock), Deno.errors.NotFound);
 * ```
 */
export async function underLock<T>(
  lock: string,
  ready: () => Promise<T | null>,
  fn: () => Promise<T>,
): Promise<T> {
  const deadline = Date.now() + 600_000;
  for (;;) {
    const found = await ready();
    if (found !== null) return found;
    try {
      await Deno.mkdir(lock);
      await Deno.writeTextFile(join(lock, "pid"), String(Deno.pid));
      break;
    } catch (e) {
      if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
      const pid = await Deno.readTextFile(join(lock, "pid")).catch(() => null);
      const gone = pid !== null && /^\d+$/.test(pid) &&
        await Deno.stat("/proc/self").then(
          () => Deno.stat(`/proc/${pid}`).then(() => false, () => true),
          () => false,
        );
      if (gone) {
        await Deno.remove(lock, { recursive: true }).catch(() => {});
        continue;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `Another build holds '${lock}' for over 10 minutes; remove it if none runs`,
        );
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    return await ready() ?? await fn();
  } finally {
    await Deno.remove(lock, { recursive: true });
  }
}

/**
 * Installs the compiler, Node's declarations and the peers (for their
 * types) into `dir` once per set of versions. Builds running at the same
 * time wait for one another's install ({@link underLock}).
 */
async function ensureToolchain(dir: string, peers: readonly NpmImport[]): Promise<void> {
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

/** Runs `tsc` in `dir`; diagnostics name the repository's files, not the staged copies. */
async function tsc(work: string, dir: string, args: readonly string[]): Promise<void> {
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

/** Options of {@link buildNpm}. */
export interface BuildNpmOptions {
  /** The repository root. Default: the parent of `tools/`. */
  readonly root?: string;
  /** Where the package is written. Default `<root>/npm`. */
  readonly outDir?: string;
  /** Progress lines. Default `console.log`. */
  readonly log?: (line: string) => void;
}

/** The npm packages one subpath or command needs. */
export interface PackageNeeds {
  /** Imported statically by its compiled modules: they must be installed for it to load. */
  readonly runtime: readonly string[];
  /** Imported only by `import()` (e.g. `vigil collector` loads NATS only with `--nats`). */
  readonly onDemand: readonly string[];
  /** Named by its sources, type-only imports included (what its declarations need). */
  readonly types: readonly string[];
}

/** What {@link buildNpm} wrote. */
export interface BuildNpmResult {
  readonly outDir: string;
  /** Modules shipped (repository-relative `.ts` paths). */
  readonly modules: readonly string[];
  /**
   * npm packages each subpath and each CLI command (`vigil compile`, ...)
   * reaches: `runtime`, those its compiled modules import (what must be
   * installed for it to load); `types`, those its declarations name too.
   */
  readonly needs: Readonly<Record<string, PackageNeeds>>;
  /** The compiled modules each subpath loads at run time (package-relative `.js` paths). */
  readonly loads: Readonly<Record<string, readonly string[]>>;
  readonly packageJson: ReturnType<typeof packageJson>;
}

/**
 * Builds the npm package (see the module doc).
 *
 * @example Build the package
 * ```ts ignore
 * import { buildNpm } from "./build_npm.ts";
 * const { outDir, needs } = await buildNpm();
 * console.log(outDir, needs["./edge"]); // .../npm { runtime: [ "hono", "msgpackr" ], types: [ ... ] }
 * ```
 */
export async function buildNpm(options: BuildNpmOptions = {}): Promise<BuildNpmResult> {
  const root = options.root ?? fileURLToPath(new URL("..", import.meta.url)).replace(/\/$/, "");
  const outDir = resolve(options.outDir ?? join(root, "npm"));
  const log = options.log ?? console.log;
  const rootUrl = pathToFileURL(root + "/").href;
  const config = JSON.parse(await Deno.readTextFile(join(root, "deno.json"))) as {
    name: string;
    version: string;
    exports: Record<string, string>;
    imports: Record<string, string>;
    compilerOptions?: Record<string, unknown>;
  };
  const npm = npmImports(config.imports);
  const exportEntries = Object.entries(config.exports).map(([k, v]) =>
    [k, v.replace(/^\.\//, "")] as const
  );
  const entries = [
    ...new Set([...exportEntries.map(([, v]) => v), BIN_ENTRY, ...WORKER_ENTRIES]),
  ];

  const modules = await moduleGraph(root, entries);
  for (const path of Object.keys(DENO_ONLY)) {
    if (modules.has(path)) modules.set(path, { path, imports: [] });
  }
  const shipped = reachable(entries, modules, rootUrl);
  for (const path of shipped.files) {
    const hit = neverShipped(path);
    if (hit !== null) {
      throw new Error(`Module '${path}' is reached from the package's entries but matches ${hit}`);
    }
    if (!path.endsWith(".ts")) {
      throw new Error(`Module '${path}' is not TypeScript; the build ships .ts modules only`);
    }
  }
  const peers = [...shipped.packages].sort().map((name) => {
    const pinned = npm.get(name);
    if (pinned === undefined) {
      throw new Error(`npm package '${name}' is not listed in deno.json "imports"`);
    }
    return pinned;
  });
  // Stage and compile. The toolchain is shared; each build stages into its own directory beside
  // it (so the staged modules resolve packages from the toolchain's node_modules), removed after.
  const files = [...shipped.files].sort();
  const work = join(root, ".vigil-cache", "build_npm");
  await Deno.mkdir(work, { recursive: true });
  const stageDir = await Deno.makeTempDir({ dir: work, prefix: "stage-" });
  try {
    await stageModules(join(stageDir, "src"));
    await ensureToolchain(work, peers);
    await Deno.remove(outDir, { recursive: true }).catch((e) => {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    });
    const tsconfig = {
      compilerOptions: {
        ...(config.compilerOptions ?? {}),
        target: "ES2022",
        lib: ["ES2023", "ES2024.String", "WebWorker"],
        types: ["node"],
        module: "NodeNext",
        moduleResolution: "NodeNext",
        isolatedModules: true,
        declaration: true,
        rootDir: "./src",
        outDir,
        newLine: "lf",
        noEmitOnError: true,
        skipLibCheck: true,
        forceConsistentCasingInFileNames: true,
      },
      files: files.map((f) => `./src/${f}`),
    };
    const tsconfigText = JSON.stringify(tsconfig, null, 2) + "\n";
    await Deno.writeTextFile(join(stageDir, "tsconfig.json"), tsconfigText);
    // Pass 1 checks everything and writes the declarations (with their docs); pass 2 writes the
    // JavaScript without comments (the docs live in the .d.ts) and checks nothing twice.
    await tsc(work, stageDir, ["--emitDeclarationOnly"]);
    await tsc(work, stageDir, ["--declaration", "false", "--removeComments", "--noCheck"]);
    await Deno.chmod(join(outDir, BIN_ENTRY.replace(/\.ts$/, ".js")), 0o755);
    await pruneDeclarations();
  } finally {
    await Deno.remove(stageDir, { recursive: true });
  }

  /**
   * Keeps the declarations that a subpath's declaration reaches; the others
   * (the CLI's, and those of modules whose types no public type mentions)
   * could only be reached by deep imports, which "exports" forbids.
   */
  async function pruneDeclarations(): Promise<void> {
    const dts = files.map((f) => f.replace(/\.ts$/, ".d.ts"));
    const graph = new Map<string, PackageModule>();
    for (const [path, found] of await compiledImports(work, outDir, dts)) {
      const imports = found.map(({ specifier: s }) =>
        compiledImport(path, s.startsWith(".") ? s.replace(/\.js$/, ".d.ts") : s, "pkg:/")
      );
      graph.set(path, { path, imports });
    }
    const entries = exportEntries.map(([, module]) => module.replace(/\.ts$/, ".d.ts"));
    const kept = reachable(entries, graph, "pkg:/").files;
    for (const path of kept) {
      if (!graph.has(path)) {
        throw new Error(`Declaration '${path}' is imported but was not emitted`);
      }
    }
    const dropped = dts.filter((path) => !kept.has(path));
    for (const path of dropped) await Deno.remove(join(outDir, path));
    log(`build:npm: kept ${kept.size} declaration files; ${dropped.length} no subpath reaches`);
  }

  async function stageModules(stage: string): Promise<void> {
    for (const path of files) {
      const replacements = new Map<string, string>();
      for (const imp of modules.get(path)!.imports) {
        replacements.set(imp.specifier, rewrittenSpecifier(path, imp, { npm, root: rootUrl }));
      }
      let text = DENO_ONLY[path]?.stub ??
        rewriteSpecifiers(await Deno.readTextFile(join(root, path)), replacements);
      if (path === BIN_ENTRY) text = `#!/usr/bin/env node\n${text.replace(/^#!.*\n/, "")}`;
      await Deno.mkdir(dirname(join(stage, path)), { recursive: true });
      await Deno.writeTextFile(join(stage, path), text);
    }
    await Deno.writeTextFile(join(stage, "package.json"), '{ "type": "module" }\n');
    log(`build:npm: staged ${files.length} modules`);
    for (const [path, { reason }] of Object.entries(DENO_ONLY)) {
      if (shipped.files.has(path)) log(`build:npm: '${path}' ships as a stub: ${reason}`);
    }
  }

  // Package.
  const pkg = packageJson({
    name: config.name,
    version: config.version,
    exports: Object.fromEntries(exportEntries),
    bin: BIN_ENTRY,
    peers,
    description:
      "Runtime monitoring from a spec: compile a spec to WebAssembly, guard and monitor services, " +
      "merge their events in a collector",
  });
  await Deno.writeTextFile(join(outDir, "package.json"), JSON.stringify(pkg, null, 2) + "\n");
  for (const file of ["LICENSE", "README.md"]) {
    try {
      await Deno.copyFile(join(root, file), join(outDir, file));
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) {
        throw new Error(
          `File '${file}' not found at the repository root; the package must ship it`,
        );
      }
      throw e;
    }
  }
  log(`build:npm: wrote ${pkg.name}@${pkg.version} to ${outDir} (${files.length} modules)`);

  // What each subpath and command needs: at run time from the compiled modules' imports (type-only
  // imports are gone), for the declarations from the sources' imports.
  const pkgRoot = "pkg:/";
  const compiled = new Map<string, PackageModule>();
  const jsFiles = files.map((f) => f.replace(/\.ts$/, ".js"));
  for (const [js, found] of await compiledImports(work, outDir, jsFiles)) {
    const imports = found.map(({ specifier, dynamic }) => ({
      ...compiledImport(js, specifier, pkgRoot),
      dynamic,
    }));
    compiled.set(js, { path: js, imports });
  }
  const needs: Record<string, PackageNeeds> = {};
  const loads: Record<string, string[]> = {};
  const need = (module: string): PackageNeeds => {
    const js = module.replace(/\.ts$/, ".js");
    const runtime = reachable([js], compiled, pkgRoot, { staticOnly: true }).packages;
    const all = reachable([js], compiled, pkgRoot).packages;
    return {
      runtime: [...runtime].sort(),
      onDemand: [...all].filter((p) => !runtime.has(p)).sort(),
      types: [...reachable([module], modules, rootUrl).packages].sort(),
    };
  };
  for (const [subpath, module] of exportEntries) {
    needs[subpath] = need(module);
    loads[subpath] = [...reachable([module.replace(/\.ts$/, ".js")], compiled, pkgRoot).files]
      .sort();
  }
  for (const imp of modules.get(BIN_ENTRY)?.imports ?? []) {
    if (!imp.dynamic || !imp.resolved.startsWith(rootUrl)) continue;
    const command = imp.resolved.slice(rootUrl.length);
    needs[`vigil ${command.replace(/^cli\//, "").replace(/_command\.ts$/, "")}`] = need(command);
  }
  const list = (names: readonly string[]) => names.length === 0 ? "(none)" : names.join(", ");
  log("  packages needed      to load (+ imported on demand) | by the declarations");
  for (const [what, { runtime, onDemand, types }] of Object.entries(needs)) {
    const later = onDemand.length === 0 ? "" : ` (+ ${onDemand.join(", ")})`;
    log(`  ${what.padEnd(18)}   ${list(runtime)}${later} | ${list(types)}`);
  }
  return { outDir, modules: files, needs, loads, packageJson: pkg };
}

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
 * import { buildNpmOnce } from "./build_npm.ts";
 * const { outDir } = await buildNpmOnce(); // builds, or finds the build of these sources
 * ```
 */
export async function buildNpmOnce(
  options: Omit<BuildNpmOptions, "outDir"> = {},
): Promise<BuildNpmResult> {
  const root = options.root ?? fileURLToPath(new URL("..", import.meta.url)).replace(/\/$/, "");
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

if (import.meta.main) await buildNpm();
