/**
 * The modules of the package and what they import: the graph `deno info`
 * gives for the sources, the imports of compiled modules and declarations
 * (read with the TypeScript compiler's own scanner), and what is reachable
 * from a set of roots through them.
 *
 * @module
 */
import { pathToFileURL } from "node:url";
import { type PackageModule, parseNpmSpecifier } from "./specifiers.ts";
import { run } from "./run_command.ts";

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

/**
 * The module graph of `entries` (repository-relative), merged: every
 * module of the repository they reach (dynamic imports included) with each
 * import and what it resolved to, as `deno info --json` gives them.
 *
 * @throws {Error} When a module has an error or an import does not resolve.
 *
 * @example The modules the core entry reaches
 * ```ts
 * import assert from "node:assert/strict";
 * import { fileURLToPath } from "node:url";
 * import { moduleGraph } from "./module_graph.ts";
 * const root = fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");
 * const modules = await moduleGraph(root, ["lib/wire/subjects.ts"]);
 * assert.ok(modules.has("lib/wire/subjects.ts"));
 * assert.ok([...modules.keys()].every((path) => !path.startsWith("file:")));
 * ```
 */
export async function moduleGraph(
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
 * Reads the import specifiers (and `/// <reference path>`s) of compiled
 * modules or declarations with the TypeScript compiler's own scanner (run by Node from the toolchain), so that text
 * in strings or templates is never taken for an import.
 *
 * @example The imports of the compiled package's modules
 * ```ts ignore
 * const found = await compiledImports(".vigil-cache/build_npm", "npm", ["mod.d.ts"]);
 * console.log(found.get("mod.d.ts")); // [{ specifier: "./runtime/monitor/load_spec.js", dynamic: false }, ...]
 * ```
 */
export async function compiledImports(
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

/**
 * Every module reachable from `roots` (repository-relative paths), through
 * static and dynamic imports (static ones only with `staticOnly`), in
 * `modules`, and the npm packages they import.
 *
 * @example Follow imports, dynamic ones included
 * ```ts
 * import assert from "node:assert/strict";
 * import { reachable } from "./module_graph.ts";
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
