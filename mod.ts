/**
 * Vigil: runtime monitoring from a spec. This entry point is what a service
 * imports; it never pulls in the compiler (binaryen, jco).
 *
 * @example Load a compiled spec and step an instance
 * ```ts
 * import { loadCompiled } from "./mod.ts";
 * // const lease = await loadCompiled(new URL("./dist/lease.js", import.meta.url));
 * // const inst = lease.create();
 * // const code = lease.stepFn(lease.actionIndex("acquire"))(inst, 2);
 * ```
 *
 * @module
 */
export * from "./lib/abi/mod.ts";
