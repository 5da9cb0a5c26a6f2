/**
 * `npm:fast-check@4.10.2`, a package only tests and benchmarks use: pinned here, once, and
 * kept out of the import map so that `deno task demo` and the SDK never fetch it.
 *
 * @module
 */
export * from "npm:fast-check@4.10.2";
export { default } from "npm:fast-check@4.10.2";
