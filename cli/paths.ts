/**
 * Command-line path arguments: files as given, directories expanded to the
 * files in them that a command reads.
 *
 * @module
 */
import { readdir, stat } from "node:fs/promises";
import { UsageError } from "./flags.ts";

/** Options of {@link expandPaths}. */
export interface ExpandOptions {
  /** The file names a directory contributes, e.g. `/\.vigil$/`. */
  readonly match: RegExp;
  /** Keep `-` (standard input) as it is. Default false. */
  readonly stdin?: boolean;
}

/**
 * Expands path arguments in order: a file stays, a directory becomes its
 * matching files (not recursive, sorted by name).
 *
 * @throws {UsageError} When a path does not exist.
 *
 * @example Specs of a directory
 * ```ts ignore
 * import { expandPaths } from "./paths.ts";
 * await expandPaths(["specs/"], { match: /\.vigil$/ }); // ["specs/account.vigil", ...]
 * ```
 */
export async function expandPaths(
  paths: readonly string[],
  options: ExpandOptions,
): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    if (options.stdin === true && p === "-") {
      out.push(p);
      continue;
    }
    const info = await stat(p).catch(() => null);
    if (info === null) throw new UsageError(`No such file or directory '${p}'`);
    if (!info.isDirectory()) {
      out.push(p);
      continue;
    }
    const names: string[] = [];
    for (const e of await readdir(p, { withFileTypes: true })) {
      if (e.isFile() && options.match.test(e.name)) {
        names.push(`${p.replace(/\/$/, "")}/${e.name}`);
      }
    }
    out.push(...names.sort());
  }
  return out;
}
