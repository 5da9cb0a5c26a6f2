/**
 * `vigil check` progress lines are throttled by time (at most one a
 * second, plus the final one), whether the explorer runs single-threaded
 * (it reports about once a second) or in Web Workers (it reports after
 * every breadth-first level): a real CLI run on a spec with as many levels
 * as states prints far fewer lines than levels.
 */
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { runVigil } from "./cli_process.ts";

/** A counter from 0 to `TOP`: `TOP + 1` states, one per breadth-first level. */
const TOP = 1500;
const SPEC = `spec Count
state n: 0..${TOP} = 0
action inc
  require n < ${TOP}
  n := n + 1
action stay
  require n == ${TOP}
  n := n
`;
const LEVELS = TOP + 1;
const PROGRESS = /^(\d+) states, \d+ states\/s, queue \d+, level (\d+)$/;

async function checkRun(workers: number): Promise<{ lines: string[]; stdout: string }> {
  const dir = await Deno.makeTempDir({ prefix: "vigil_progress_" });
  try {
    await writeFile(`${dir}/count.vigil`, SPEC);
    const r = await runVigil(["check", `${dir}/count.vigil`, "--workers", String(workers)]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stderr.split("\n").filter((l) => PROGRESS.test(l));
    return { lines, stdout: r.stdout };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("vigil check --workers 2 prints far fewer progress lines than levels, the last with the final count", async () => {
  const { lines, stdout } = await checkRun(2);
  assert.match(stdout, new RegExp(`${LEVELS} distinct states`));
  assert.ok(lines.length >= 1, "no progress line at all");
  assert.ok(lines.length * 10 < LEVELS, `${lines.length} progress lines for ${LEVELS} levels`);
  const last = PROGRESS.exec(lines.at(-1)!)!;
  assert.equal(Number(last[1]), LEVELS, lines.at(-1));
});

Deno.test("vigil check single-threaded prints far fewer progress lines than levels", async () => {
  const { lines, stdout } = await checkRun(1);
  assert.match(stdout, new RegExp(`${LEVELS} distinct states`));
  assert.ok(lines.length * 10 < LEVELS, `${lines.length} progress lines for ${LEVELS} levels`);
  for (const line of lines) assert.ok(Number(PROGRESS.exec(line)![1]) <= LEVELS, line);
});
