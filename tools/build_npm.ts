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
 * The parts live in `tools/build_npm/`, one concept each: `shipping.ts`
 * (entries, stubs, what never ships), `specifiers.ts`, `module_graph.ts`,
 * `toolchain.ts`, `package_json.ts`, `build.ts` (the steps above) and
 * `build_once.ts` (one build shared by the tests); this file re-exports
 * them and runs the build.
 *
 * @module
 */
export {
  BIN_ENTRY,
  DENO_ONLY,
  type DenoOnlyModule,
  NEVER_SHIPPED,
  neverShipped,
  WORKER_ENTRIES,
} from "./build_npm/shipping.ts";
export {
  compiledImport,
  type ModuleImport,
  type NpmImport,
  npmImports,
  type PackageModule,
  parseNpmSpecifier,
  relativeJs,
  rewriteSpecifiers,
  rewrittenSpecifier,
} from "./build_npm/specifiers.ts";
export { reachable } from "./build_npm/module_graph.ts";
export { packageJson, type PackageJsonInput, PINNED_PEERS } from "./build_npm/package_json.ts";
export { runCommand, type RunCommandOptions } from "./build_npm/run_command.ts";
export { underLock } from "./build_npm/under_lock.ts";
export { TYPES_NODE, TYPESCRIPT } from "./build_npm/toolchain.ts";
export {
  buildNpm,
  type BuildNpmOptions,
  type BuildNpmResult,
  type PackageNeeds,
} from "./build_npm/build.ts";
export { BUILD_INPUTS, buildNpmOnce } from "./build_npm/build_once.ts";
import { buildNpm } from "./build_npm/build.ts";

if (import.meta.main) await buildNpm();
