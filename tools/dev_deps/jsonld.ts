/**
 * `npm:jsonld@9.0.0`, a package only tests and benchmarks use: pinned here, once, and
 * kept out of the import map so that `deno task demo` and the SDK never fetch it.
 *
 * @module
 */
export * from "npm:jsonld@9.0.0";
export { default } from "npm:jsonld@9.0.0";
