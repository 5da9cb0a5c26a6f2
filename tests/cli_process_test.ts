/**
 * `tests/cli_process.ts` gives a subprocess's own output: Deno's line
 * "Blocking waiting for file lock on node_modules directory", printed when
 * another `deno` holds that lock (subprocesses started together on a
 * loaded machine), is not part of it. Seen in `collector_cli_origin_test`
 * under stalls: the collector's one-line refusal came second, after Deno's
 * line, and the test's `^vigil collector: ...` match failed.
 */
import assert from "node:assert/strict";
import { runVigil, spawnVigil } from "./cli_process.ts";
import { ROOT } from "../tools/harness/spec_files.ts";

/** Holds Deno's node_modules lock (as a running `deno` does, its poll file kept fresh) while `f` runs. */
async function holdingNodeModulesLock<T>(f: () => Promise<T>): Promise<T> {
  const dir = `${ROOT}node_modules/.deno`;
  const lock = await Deno.open(`${dir}/.deno.lock`, { read: true, write: true, create: true });
  await lock.lock(true);
  const poll = () => Deno.writeTextFileSync(`${dir}/.deno.lock.poll`, String(Date.now()));
  poll();
  const timer = setInterval(poll, 100);
  const release = setTimeout(async () => {
    clearInterval(timer);
    await lock.unlock();
  }, 1_500);
  try {
    return await f();
  } finally {
    clearTimeout(release);
    clearInterval(timer);
    try {
      await lock.unlock();
    } catch {
      // released already
    }
    lock.close();
  }
}

Deno.test("runVigil's stderr leaves out Deno's wait for the node_modules lock", async () => {
  const r = await holdingNodeModulesLock(() => runVigil(["--version"]));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^vigil \d/);
  assert.equal(r.stderr, "");
});

Deno.test("spawnVigil's stderr leaves out Deno's wait for the node_modules lock", async () => {
  const p = await holdingNodeModulesLock(async () => {
    const p = spawnVigil(["--version"]);
    await p.exited;
    return p;
  });
  assert.match(p.stdout(), /^vigil \d/);
  assert.equal(p.stderr(), "");
});
