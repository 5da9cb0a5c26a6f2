/**
 * Running a test file again under `--unstable-unsafe-proto`, where an
 * assignment to a `__proto__` key sets the object's prototype as it does
 * on Node and Bun (Deno has no `Object.prototype.__proto__` setter
 * otherwise). A test file registers {@link registerUnsafeProtoRerun}: in
 * the normal run it reruns the file under the flag and requires every test
 * of the rerun to pass (the rerun is not type-checked again: the normal
 * run did that); in the rerun it checks the flag took effect.
 *
 * @module
 */
import assert from "node:assert/strict";

/** True inside the rerun. */
export const UNSAFE_PROTO_RERUN = Deno.env.get("VIGIL_UNSAFE_PROTO") === "1";

/**
 * Registers the rerun of `file` (its `import.meta.url`) under the flag,
 * expecting `passed` tests to pass there (the file's own tests, the flag
 * check included), and the flag check itself.
 *
 * @example Register the rerun of a test file
 * ```ts ignore
 * registerUnsafeProtoRerun(import.meta.url, { passed: 4, name: "scanFields and toItf" });
 * ```
 */
export function registerUnsafeProtoRerun(
  file: string,
  options: {
    readonly passed: number;
    readonly name: string;
    readonly env?: Record<string, string>;
  },
): void {
  Deno.test({
    name: `${options.name} (the tests again under --unstable-unsafe-proto)`,
    ignore: UNSAFE_PROTO_RERUN,
    fn: async () => {
      const run = await new Deno.Command(Deno.execPath(), {
        // The run that registered the rerun type-checked this file already: checking it again
        // in the subprocess cost ~5 of the names property rerun's 12 s (load 14).
        args: ["test", "-A", "--no-check", "--unstable-unsafe-proto", new URL(file).pathname],
        env: { ...options.env, VIGIL_UNSAFE_PROTO: "1", NO_COLOR: "1" },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const out = new TextDecoder().decode(run.stdout) + new TextDecoder().decode(run.stderr);
      assert.equal(run.code, 0, out);
      assert.match(
        out,
        new RegExp(`ok \\| ${options.passed} passed \\| 0 failed \\| 1 ignored`),
        out,
      );
    },
  });
  Deno.test({
    name: "Under --unstable-unsafe-proto an assignment to a __proto__ key sets the prototype",
    ignore: !UNSAFE_PROTO_RERUN,
    fn: () => {
      const o: Record<string, unknown> = {};
      o["__proto__"] = { inherited: 1 };
      assert.deepEqual(Object.keys(o), []);
    },
  });
}
