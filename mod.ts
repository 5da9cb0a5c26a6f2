/**
 * Vigil: runtime monitoring from a spec. This entry point is what a service
 * imports (the in-process SDK, see `runtime/mod.ts`); it never pulls in the
 * compiler (binaryen, jco).
 *
 * @example Load a compiled spec and step a monitor
 * ```ts ignore
 * import { loadSpec } from "./mod.ts";
 * const lease = await loadSpec(new URL("./dist/lease.js", import.meta.url));
 * const m = lease.monitor({ node: "api-1", key: "lock:orders" });
 * m.step("acquire", { c: 2 });
 * ```
 *
 * @module
 */
export * from "./runtime/mod.ts";
