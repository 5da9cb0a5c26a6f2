/**
 * The files of a git revision beside the working tree, for benchmarks that
 * compare this tree's code with an older one in one process (an anchor
 * measured in the same run): `git archive <rev> <paths>` extracted to a
 * temporary directory, whose modules are then imported from there (bare
 * specifiers resolve through this tree's `deno.json`).
 *
 * @module
 */

/**
 * Extracts `paths` (folders or files of the repository) of revision `rev`
 * into a fresh temporary directory and returns its path; throws with git's
 * message when the revision or a path does not exist.
 *
 * @example The engine of the previous commit
 * ```ts ignore
 * const dir = await treeAt("HEAD~1", ["edge", "lib"]);
 * const { createCollector } = await import(`file://${dir}/edge/engine/collector.ts`);
 * ```
 */
export async function treeAt(rev: string, paths: readonly string[]): Promise<string> {
  if (!/^[\w./~^-]+$/.test(rev)) throw new RangeError(`Not a revision: '${rev}'`);
  for (const p of paths) {
    if (!/^[\w./-]+$/.test(p)) throw new RangeError(`Not a repository path: '${p}'`);
  }
  const dir = await Deno.makeTempDir({ prefix: "vigil-tree-" });
  const root = new URL("../..", import.meta.url).pathname;
  const out = await new Deno.Command("sh", {
    args: [
      "-c",
      `git -C '${root}' archive -o '${dir}/tree.tar' '${rev}' ${paths.join(" ")} && ` +
      `tar -x -C '${dir}' -f '${dir}/tree.tar' && rm '${dir}/tree.tar'`,
    ],
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(`Extracting revision '${rev}' failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  return dir;
}
