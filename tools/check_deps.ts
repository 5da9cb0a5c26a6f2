/**
 * `deno task check:deps`: keeps the layering of `docs/architecture.md`. It
 * reads every import specifier of the project's TypeScript files and fails
 * when a module imports across a wall:
 *
 * - **Ground**: `lib/abi` (the compiled-spec contract), `lib/wire` (the
 *   protocol both ends speak) and `lib/ports` (capability interfaces) import
 *   only each other.
 * - **Compiler**: the rest of `lib/` imports `lib/` only.
 * - **SDK and collector**: `runtime/` and `edge/` are siblings on the
 *   ground: each imports itself and the ground, never the other, never the
 *   compiler.
 * - **Editor** (`editor/`, the language server) imports `lib/` and the
 *   ground; only the CLI (`vigil lsp`) and tests import it.
 * - **CLI** (`cli/`) may import everything but tests and benchmarks;
 *   `tools/` (development tasks: layering, fuzzing, mutants) may import
 *   tests' harnesses too.
 * - **Benchmarks** (`bench/`) import neither `tests/` nor `cli/` (their
 *   harness, shared with the tests, is `tools/harness/`).
 * - **Examples** (`examples/`) import only public specifiers (`@vigil/vigil`,
 *   `@vigil/vigil/...`), packages, and files of `examples/`.
 * - **The SDK's face**: nothing `mod.ts` reaches (transitively) imports
 *   `@nats-io/*`, `hono` or msgpackr.
 * - **Third-party walls**: each package only in the folders listed in
 *   {@link WALLS} (examples and benchmarks use packages as users do).
 *
 * Tests (`*_test.ts` and `tests/`) may import anything and are not checked;
 * neither are doc examples (they import as a user would).
 * `tools/check_deps_test.ts` shows each rule can fail.
 *
 * @module
 */

/** A project area, by path prefix. */
export type Area =
  | "lib/abi"
  | "lib/wire"
  | "lib/ports"
  | "lib"
  | "editor"
  | "runtime"
  | "edge"
  | "cli"
  | "bench"
  | "examples"
  | "tools"
  | "root";

const GROUND: readonly Area[] = ["lib/abi", "lib/wire", "lib/ports"];

/** Project areas each area may import from (itself included). */
export const ALLOWED: Readonly<Record<Area, readonly Area[]>> = {
  "lib/abi": GROUND,
  "lib/wire": GROUND,
  "lib/ports": GROUND,
  lib: ["lib", ...GROUND],
  editor: ["editor", "lib", ...GROUND],
  runtime: ["runtime", ...GROUND],
  edge: ["edge", ...GROUND],
  cli: ["cli", "editor", "edge", "runtime", "lib", ...GROUND, "root"],
  bench: ["bench", "tools", "edge", "runtime", "lib", ...GROUND, "root"],
  examples: ["examples"],
  tools: ["tools", "edge", "runtime", "lib", ...GROUND, "root"],
  root: ["runtime", ...GROUND, "root"],
};

/** Third-party packages and the path prefixes allowed to import them. */
export const WALLS: Readonly<Record<string, readonly string[]>> = {
  binaryen: ["lib/wasm/"],
  "@bytecodealliance/jco": ["lib/wasm/"],
  msgpackr: ["lib/wire/decode"],
  hono: ["edge/server/", "runtime/hono/"],
  // The language server's protocol library (and its text document) stays in the language server.
  "vscode-languageserver": ["editor/lsp/"],
  // cli/demo/node_process.ts is a demo service process: like any SDK user it opens its own connection.
  "@nats-io/": [
    "runtime/transports/nats",
    "runtime/transports/jetstream",
    "edge/ingest/nats",
    // The partitioned collector: ownership leases and partition state in JetStream KV (issue 14).
    "edge/cluster/",
    "cli/demo/node_process",
  ],
  "@nats-io/kv": ["edge/cluster/"],
};

/** Packages the SDK's face (`mod.ts` and all it reaches) must not load. */
export const NOT_IN_SDK_FACE: readonly string[] = ["@nats-io/", "hono", "msgpackr"];

/** The area of a path from the project root, or `null` for files outside the checked areas. */
export function areaOf(path: string): Area | null {
  for (const a of GROUND) if (path.startsWith(`${a}/`)) return a;
  for (
    const a of ["lib", "editor", "runtime", "edge", "cli", "bench", "examples", "tools"] as const
  ) {
    if (path.startsWith(`${a}/`)) return a;
  }
  return path.includes("/") ? null : "root";
}

/** True for test files, which may import anything. */
export function isTest(path: string): boolean {
  return path.startsWith("tests/") || /_test\.ts$/.test(path);
}

const IMPORT_RE =
  /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|(?:^|[\s;])import\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

/** The import specifiers of a module's text (JSDoc examples excluded). */
export function importsOf(text: string): string[] {
  // Doc examples inside comments are documentation: they import as a user would.
  const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const out: string[] = [];
  for (const m of code.matchAll(IMPORT_RE)) out.push(m[1] ?? m[2] ?? m[3]!);
  return out;
}

/** Resolves a relative specifier against the importing file's path. */
export function resolve(from: string, spec: string): string {
  const parts = from.split("/").slice(0, -1);
  for (const seg of spec.split("/")) {
    if (seg === "..") parts.pop();
    else if (seg !== ".") parts.push(seg);
  }
  return parts.join("/");
}

function bare(spec: string): string {
  return spec.replace(/^npm:/, "");
}

/**
 * Every layering problem of a project given as `path -> text` (paths from
 * the project root, `.ts` files only).
 *
 * @example An SDK module reaching into the collector
 * ```ts
 * import assert from "node:assert/strict";
 * import { layeringProblems } from "./check_deps.ts";
 * const files = new Map([
 *   ["runtime/a.ts", 'import { b } from "../edge/b.ts";'],
 *   ["edge/b.ts", "export const b = 1;"],
 * ]);
 * assert.equal(layeringProblems(files).length, 1);
 * ```
 */
export function layeringProblems(files: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  const graph = new Map<string, string[]>();
  for (const [file, text] of files) {
    if (isTest(file)) continue;
    const from = areaOf(file);
    if (from === null) continue;
    const edges: string[] = [];
    graph.set(file, edges);
    for (const spec of importsOf(text)) {
      if (spec.startsWith(".")) {
        const target = resolve(file, spec);
        edges.push(target);
        const to = areaOf(target);
        if (from === "examples" && to !== "examples") {
          problems.push(
            `${file}: imports '${spec}': examples use only public specifiers ('@vigil/vigil', '@vigil/vigil/...')`,
          );
        } else if (from === "bench" && target.startsWith("tests/")) {
          problems.push(`${file}: imports '${spec}' from tests/`);
        } else if (from === "bench" && to === "cli") {
          problems.push(`${file}: imports '${spec}': benchmarks do not import cli/ internals`);
        } else if (to !== null && !isTest(target) && !ALLOWED[from].includes(to)) {
          problems.push(`${file}: imports '${spec}' (${to}) from ${from}`);
        }
        continue;
      }
      const pkg = bare(spec);
      for (const [name, allowed] of Object.entries(WALLS)) {
        if (
          pkg.startsWith(name) && from !== "examples" && from !== "bench" &&
          !allowed.some((p) => file.startsWith(p))
        ) {
          problems.push(`${file}: imports '${spec}' outside its wall (${allowed.join(", ")})`);
        }
      }
      edges.push(`pkg:${pkg}`);
    }
  }
  // The SDK's face: what mod.ts reaches, transitively.
  if (files.has("mod.ts")) {
    const seen = new Set<string>();
    const path = new Map<string, string>();
    const stack = ["mod.ts"];
    while (stack.length > 0) {
      const f = stack.pop()!;
      if (seen.has(f)) continue;
      seen.add(f);
      for (const t of graph.get(f) ?? []) {
        if (t.startsWith("pkg:")) {
          const pkg = t.slice(4);
          if (NOT_IN_SDK_FACE.some((p) => pkg.startsWith(p))) {
            const chain = [f];
            for (let x = path.get(f); x !== undefined; x = path.get(x)) chain.unshift(x);
            problems.push(`mod.ts reaches '${pkg}' (${chain.join(" -> ")})`);
          }
        } else if (!seen.has(t)) {
          if (!path.has(t)) path.set(t, f);
          stack.push(t);
        }
      }
    }
  }
  return problems;
}

async function* sources(dir: string, prefix: string): AsyncGenerator<string> {
  for await (const e of Deno.readDir(dir)) {
    const rel = prefix === "" ? e.name : `${prefix}/${e.name}`;
    if (e.isDirectory) {
      if (
        ["node_modules", "dist", ".git", "golden", "testdata", "test-artifacts"].includes(e.name)
      ) {
        continue;
      }
      yield* sources(`${dir}/${e.name}`, rel);
    } else if (e.name.endsWith(".ts")) {
      yield rel;
    }
  }
}

/** Reads the project's `.ts` files under `root`. */
export async function readProject(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for await (const rel of sources(root, "")) {
    if (areaOf(rel) === null) continue;
    files.set(rel, await Deno.readTextFile(`${root}/${rel}`));
  }
  return files;
}

if (import.meta.main) {
  const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
  const problems = layeringProblems(await readProject(root));
  if (problems.length > 0) {
    console.error(problems.join("\n"));
    console.error(`check:deps: ${problems.length} layering problem(s) (docs/architecture.md)`);
    Deno.exit(1);
  }
  console.log("check:deps: layering ok");
}
