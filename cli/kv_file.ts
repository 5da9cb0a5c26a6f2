/**
 * The collector's `--kv <path>`: a Deno KV file, which only Deno can open.
 * On Node and Bun (or on Deno without KV enabled) opening one is a usage
 * error that names the runtime and what to give instead, never a stack
 * trace; `--kv none` (state in memory only) works on every runtime.
 *
 * @module
 */
import type { Kv } from "../lib/ports/kv.ts";
import { runtime, type RuntimeInfo } from "./runtime.ts";
import { UsageError } from "./flags.ts";

/** A KV handle the caller closes. */
export interface KvFile extends Kv {
  close(): void;
}

interface DenoKvGlobal {
  readonly Deno?: { readonly openKv?: (path?: string) => Promise<KvFile> };
}

/** Whether `--kv <path>` can open a file here: on Deno with KV enabled. */
export function kvFilesAvailable(): boolean {
  return typeof (globalThis as DenoKvGlobal).Deno?.openKv === "function";
}

/**
 * Why `--kv <path>` cannot open a file on this runtime, or `null` when it can.
 *
 * @example On another runtime the message names it and the alternatives
 * ```ts
 * import assert from "node:assert/strict";
 * import { kvUnavailableReason } from "./kv_file.ts";
 * const why = kvUnavailableReason("state.kv", { kind: "node", label: "Node 20.20.2" });
 * assert.match(why ?? "", /only Deno can open .* Node 20\.20\.2/);
 * assert.match(why ?? "", /'--kv none'/);
 * ```
 */
export function kvUnavailableReason(path: string, rt: RuntimeInfo = runtime()): string | null {
  if (rt.kind === "deno") {
    if (kvFilesAvailable()) return null;
    return `Flag '--kv ${path}' names a Deno KV file, and Deno KV is not enabled in this ` +
      `process: run with '--unstable-kv' (or "unstable": ["kv"] in deno.json), or give ` +
      `'--kv none' to keep state in memory only`;
  }
  return `Flag '--kv ${path}' names a Deno KV file, which only Deno can open (this is ` +
    `${rt.label}): give '--kv none' to keep state in memory only, or run the collector ` +
    `on Deno to keep it across restarts`;
}

/**
 * Opens the Deno KV file at `path` (`:memory:` for a store that lives as
 * long as the process).
 *
 * @throws {UsageError} When this runtime cannot open Deno KV files (see {@link kvUnavailableReason}).
 *
 * @example Open an in-memory Deno KV store
 * ```ts
 * import assert from "node:assert/strict";
 * import { openKvFile } from "./kv_file.ts";
 * const kv = await openKvFile(":memory:");
 * assert.equal((await kv.get(["absent"])).versionstamp, null);
 * kv.close();
 * ```
 */
export async function openKvFile(path: string): Promise<KvFile> {
  const why = kvUnavailableReason(path);
  if (why !== null) throw new UsageError(why);
  return await (globalThis as DenoKvGlobal).Deno!.openKv!(path);
}
