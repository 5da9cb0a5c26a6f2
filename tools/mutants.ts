/**
 * `deno task mutants`: shows that the data-path tests can fail. Each mutant
 * is one planted bug (an exact piece of source replaced by a wrong one) in
 * the wire decoder, the columnar ingest, partitioning, the reorder window's
 * release, de-duplication after a restart, drop accounting, the causal
 * judge, the parallel explorer's shared state set or the cluster's lease
 * renewals. For each, in a scratch copy of the working tree (never the
 * tree itself), the tool plants the bug, runs the tests that guard that
 * part, and expects them to fail.
 *
 * First the same tests run on the unplanted copy and must pass (a mutant
 * "caught" by a test that fails anyway proves nothing). A mutant whose source
 * is not found exactly once is an error of this table (the code moved): the
 * tool fails and says which, so the table is kept up to date. A mutant
 * counts as caught only when a test case fails (or the tests hang): a
 * planted text that stops the test modules from loading makes no test fail
 * and is reported as `NOT RUN`, an error of the table. Exit 0 only when
 * every mutant is caught.
 *
 * Run: `deno task mutants [--only id,...] [--list] [--timeout-s n]`
 *
 * @module
 */
import { parseArgs } from "node:util";

import { type Mutant, MUTANTS } from "./mutant_table.ts";

export { type Mutant, MUTANTS } from "./mutant_table.ts";

interface Outcome {
  readonly code: number;
  readonly timedOut: boolean;
  /** Test cases reported failed in the run's summary (0 when none ran). */
  readonly casesFailed: number;
  readonly tail: string;
}

async function runTests(dir: string, tests: readonly string[], timeoutS: number): Promise<Outcome> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["test", "-A", "--no-check", "--quiet", ...tests],
    cwd: dir,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
  }, timeoutS * 1000);
  const out = await child.output();
  clearTimeout(timer);
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  const failed = text.split("\n").filter((l) => /FAILED|=> .* \.\.\. FAILED|^error/.test(l));
  return {
    code: out.code,
    timedOut,
    casesFailed: casesFailed(text),
    tail: failed.slice(0, 3).join("\n"),
  };
}

/**
 * The number of failed test cases in `deno test`'s summary line
 * (`FAILED | 3 passed | 1 failed (2s)`); 0 when the run never got to its
 * tests (a module that does not load prints no summary).
 */
export function casesFailed(output: string): number {
  const m = /^(?:ok|FAILED) \| \d+ passed(?: \(\d+ steps?\))? \| (\d+) failed/m.exec(output);
  return m === null ? 0 : Number(m[1]);
}

/** Copies the working tree (no `.git`, `node_modules` linked) into a scratch folder. */
async function scratchCopy(root: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "vigil-mutants-" });
  const skip = new Set([".git", "node_modules", "test-artifacts"]);
  async function copy(from: string, to: string): Promise<void> {
    for await (const e of Deno.readDir(from)) {
      if (skip.has(e.name) && from === root) continue;
      const src = `${from}/${e.name}`;
      const dst = `${to}/${e.name}`;
      if (e.isDirectory) {
        await Deno.mkdir(dst);
        await copy(src, dst);
      } else if (e.isFile) {
        await Deno.copyFile(src, dst);
      }
    }
  }
  await copy(root, dir);
  await Deno.symlink(`${root}/node_modules`, `${dir}/node_modules`);
  return dir;
}

/** How many times `piece` occurs in `text` (overlapping occurrences counted). */
export function occurrences(text: string, piece: string): number {
  let n = 0;
  for (let at = text.indexOf(piece); at >= 0; at = text.indexOf(piece, at + 1)) n++;
  return n;
}

/**
 * The entries of `mutants` whose source is not found exactly once in its
 * file under `root`, one line each, naming the entry, the count and the file
 * (a file that cannot be read counts as 0, with the reason). Empty when the
 * table is up to date.
 */
export async function staleMutants(
  root: string,
  mutants: readonly Mutant[],
): Promise<string[]> {
  const stale: string[] = [];
  const texts = new Map<string, string | Error>();
  for (const m of mutants) {
    let text = texts.get(m.file);
    if (text === undefined) {
      try {
        text = await Deno.readTextFile(`${root}/${m.file}`);
      } catch (e) {
        text = e instanceof Error ? e : new Error(String(e));
      }
      texts.set(m.file, text);
    }
    if (text instanceof Error) {
      stale.push(`${m.id}: found 0 times in ${m.file} (${text.message})`);
      continue;
    }
    if (m.from === "") {
      stale.push(`${m.id}: its source is empty (${m.file})`);
      continue;
    }
    const n = occurrences(text, m.from);
    if (n !== 1) stale.push(`${m.id}: found ${n} times in ${m.file}`);
  }
  return stale;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      only: { type: "string" },
      list: { type: "boolean" },
      "timeout-s": { type: "string" },
    },
  });
  const only = values.only?.split(",").map((s) => s.trim()).filter((s) => s !== "");
  const mutants = only === undefined ? MUTANTS : MUTANTS.filter((m) => only.includes(m.id));
  if (only !== undefined && mutants.length !== only.length) {
    const known = new Set(MUTANTS.map((m) => m.id));
    console.error(`mutants: unknown id(s): ${only.filter((id) => !known.has(id)).join(", ")}`);
    return 2;
  }
  if (values.list) {
    for (const m of mutants) console.log(`${m.id}\t${m.file}\t${m.bug}`);
    return 0;
  }
  const timeoutS = Number(values["timeout-s"] ?? 240);
  const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
  try {
    await Deno.stat(`${root}/dist/lease.js`);
  } catch {
    console.error("mutants: dist/ is missing: run 'deno task build' first");
    return 2;
  }

  // Every mutant's source must be found exactly once in the tree as it is.
  const stale = await staleMutants(root, mutants);
  if (stale.length > 0) {
    console.error(`mutants: the table is out of date:\n  ${stale.join("\n  ")}`);
    return 1;
  }

  const dir = await scratchCopy(root);
  try {
    const groups = [...new Set(mutants.map((m) => m.tests.join(" ")))];
    for (const g of groups) {
      const base = await runTests(dir, g.split(" "), timeoutS);
      if (base.code !== 0) {
        console.error(`mutants: the tests fail without any bug planted: ${g}\n${base.tail}`);
        return 1;
      }
    }
    let caught = 0;
    const unloadable: string[] = [];
    const t0 = performance.now();
    for (const m of mutants) {
      const path = `${dir}/${m.file}`;
      const original = await Deno.readTextFile(path);
      await Deno.writeTextFile(path, original.replace(m.from, m.to));
      const started = performance.now();
      let r: Outcome;
      try {
        r = await runTests(dir, m.tests, timeoutS);
      } finally {
        await Deno.writeTextFile(path, original);
      }
      const s = ((performance.now() - started) / 1000).toFixed(0);
      if (r.timedOut || r.casesFailed > 0) {
        caught++;
        const how = r.timedOut
          ? `tests did not finish in ${timeoutS} s`
          : `${r.casesFailed} test case(s) failed`;
        console.log(`caught    ${m.id} (${how}, ${s} s)`);
      } else if (r.code !== 0) {
        // The tests never ran (the planted text does not load): that proves
        // nothing about the tests, so it is an error of the table.
        unloadable.push(m.id);
        console.log(
          `NOT RUN   ${m.id}: with the bug planted no test case ran\n          ${r.tail}`,
        );
      } else {
        console.log(
          `SURVIVED  ${m.id}: ${m.bug}\n          ${m.file}; tests: ${m.tests.join(" ")}`,
        );
      }
    }
    const total = ((performance.now() - t0) / 1000).toFixed(0);
    console.log(`mutants: ${caught} of ${mutants.length} caught in ${total} s`);
    if (unloadable.length > 0) {
      console.error(
        `mutants: ${unloadable.length} planted bug(s) stop the tests from loading, so they test ` +
          `nothing: ${unloadable.join(", ")}; make each a bug the code still runs with`,
      );
    }
    return caught === mutants.length ? 0 : 1;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) Deno.exit(await main());
