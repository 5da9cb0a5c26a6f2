/**
 * `npm:ajv-formats@3.0.1`, a package only tests and benchmarks use: pinned here, once, and
 * kept out of the import map so that `deno task demo` and the SDK never fetch it.
 *
 * @module
 */
export * from "npm:ajv-formats@3.0.1";
export { default } from "npm:ajv-formats@3.0.1";
