/**
 * What the CLI needs to know about the runtime running it, on Deno, Node
 * and Bun alike: its name and version (for messages about what only Deno
 * has), and whether a module is the program's entry point, so that
 * `cli/main.ts` dispatches when run as `deno run cli/main.ts`, as
 * `bun cli/main.ts` or as the npm package's `vigil` bin under Node.
 *
 * @module
 */
import { realpathSync } from "node:fs";
import process from "node:process";
import { fileURLToPath } from "node:url";

/** The runtimes the CLI tells apart. */
export type RuntimeKind = "deno" | "bun" | "node";

/** The runtime running this process. */
export interface RuntimeInfo {
  readonly kind: RuntimeKind;
  /** Its name and version for messages, e.g. `Node 20.20.2`. */
  readonly label: string;
}

interface RuntimeGlobals {
  readonly Deno?: { readonly version?: { readonly deno?: string } };
  readonly Bun?: { readonly version?: string };
}

/**
 * Which runtime runs this process. Deno and Bun both report a Node version
 * too (`process.versions.node`), so they are told apart first.
 *
 * @example The runtime running this example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runtime } from "./runtime.ts";
 * const r = runtime();
 * assert.equal(r.kind, "deno"); // `deno test --doc` runs the examples
 * assert.match(r.label, /^Deno \d+\.\d+/);
 * ```
 */
export function runtime(): RuntimeInfo {
  const g = globalThis as RuntimeGlobals;
  const deno = g.Deno?.version?.deno;
  if (deno !== undefined) return { kind: "deno", label: `Deno ${deno}` };
  const bun = g.Bun?.version;
  if (bun !== undefined) return { kind: "bun", label: `Bun ${bun}` };
  return { kind: "node", label: `Node ${process.versions.node}` };
}

/** The part of `import.meta` {@link isEntryModule} reads. */
export interface EntryMeta {
  readonly url: string;
  /** Set by Deno, Bun and recent Node; absent on Node 20. */
  readonly main?: boolean;
}

function realFile(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

/**
 * True when the module of `meta` is the program's entry point:
 * `import.meta.main` where the runtime sets it, else (Node 20) when the
 * script Node was started with (`process.argv[1]`, through the symbolic
 * link npm makes for a bin) is this module's file.
 *
 * @example A module imported by another one is not the entry point
 * ```ts
 * import assert from "node:assert/strict";
 * import { isEntryModule } from "./runtime.ts";
 * assert.equal(isEntryModule(import.meta), false);
 * assert.equal(isEntryModule({ url: "file:///elsewhere/main.js" }), false);
 * assert.equal(isEntryModule({ url: import.meta.url, main: true }), true);
 * ```
 */
export function isEntryModule(meta: EntryMeta): boolean {
  if (meta.main !== undefined) return meta.main;
  const script = process.argv[1];
  if (script === undefined || !meta.url.startsWith("file:")) return false;
  const self = realFile(fileURLToPath(meta.url));
  return self !== null && self === realFile(script);
}
