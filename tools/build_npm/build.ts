/**
 * The npm build itself (`tools/build_npm.ts` describes its steps): the
 * graph of the package's entries, the modules staged with their specifiers
 * rewritten, compiled twice by `tsc` (declarations, then JavaScript), the
 * declarations no subpath reaches pruned, `package.json`, the license and
 * the README written, and what each subpath and command needs.
 *
 * @module
 */
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { BIN_ENTRY, DENO_ONLY, neverShipped, WORKER_ENTRIES } from "./shipping.ts";
import {
  compiledImport,
  npmImports,
  type PackageModule,
  rewriteSpecifiers,
  rewrittenSpecifier,
} from "./specifiers.ts";
import { compiledImports, moduleGraph, reachable } from "./module_graph.ts";
import { packageJson } from "./package_json.ts";
import { ensureToolchain, tsc } from "./toolchain.ts";

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
 * import { buildNpm } from "./build.ts";
 * const { outDir, needs } = await buildNpm();
 * console.log(outDir, needs["./edge"]); // .../npm { runtime: [ "hono", "msgpackr" ], types: [ ... ] }
 * ```
 */
export async function buildNpm(options: BuildNpmOptions = {}): Promise<BuildNpmResult> {
  const root = options.root ?? fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");
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
    // `cli/check_command.ts` and `cli/collector/command.ts` are `vigil check` and `vigil collector`.
    const name = command.replace(/^cli\//, "").replace(/(_command|\/command)\.ts$/, "");
    needs[`vigil ${name}`] = need(command);
  }
  const list = (names: readonly string[]) => names.length === 0 ? "(none)" : names.join(", ");
  log("  packages needed      to load (+ imported on demand) | by the declarations");
  for (const [what, { runtime, onDemand, types }] of Object.entries(needs)) {
    const later = onDemand.length === 0 ? "" : ` (+ ${onDemand.join(", ")})`;
    log(`  ${what.padEnd(18)}   ${list(runtime)}${later} | ${list(types)}`);
  }
  return { outDir, modules: files, needs, loads, packageJson: pkg };
}
