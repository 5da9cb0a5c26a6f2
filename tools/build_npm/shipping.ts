/**
 * What the npm package ships besides what its exports reach: the bin's
 * module, the Web Worker entries no import reaches, the Deno-only modules
 * replaced by a stub, and the paths that must never ship (a reached module
 * matching one stops the build).
 *
 * @module
 */
/** The module the `vigil` bin runs, besides the exports. */
export const BIN_ENTRY = "cli/main.ts";

/**
 * Modules the package runs that no import reaches: Web Worker entries,
 * started with `new Worker(new URL(...))` (`vigil check --workers N` runs
 * `lib/explore/worker.ts` in each worker).
 */
export const WORKER_ENTRIES: readonly string[] = [
  "lib/explore/worker.ts",
  "cli/replay_worker.ts",
  "edge/cluster/lease_keeper/worker.ts",
];
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

/** The first pattern of {@link NEVER_SHIPPED} a path matches, or `null`. */
export function neverShipped(path: string): RegExp | null {
  return NEVER_SHIPPED.find((re) => re.test(path)) ?? null;
}
