/**
 * `npm:xstate@5.33.3`, a package only tests and benchmarks use: pinned here, once, and
 * kept out of the import map so that `deno task demo` and the SDK never fetch it.
 *
 * @module
 */
export * from "npm:xstate@5.33.3";
