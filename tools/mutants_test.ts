import assert from "node:assert/strict";
import { casesFailed, type Mutant, MUTANTS, staleMutants } from "./mutants.ts";

/** Runs `deno test` on one file of `source` and returns its whole output. */
async function denoTestOutput(source: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "vigil-mutants-test-" });
  try {
    await Deno.writeTextFile(`${dir}/x_test.ts`, source);
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["test", "--no-check", "--quiet", "x_test.ts"],
      cwd: dir,
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).output();
    const dec = new TextDecoder();
    return dec.decode(out.stdout) + dec.decode(out.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("casesFailed counts the failed cases of a real deno test run", async () => {
  const out = await denoTestOutput(
    `Deno.test("a", () => { throw new Error("x"); });\n` +
      `Deno.test("b", () => {});\n` +
      `Deno.test("c", async (t) => { await t.step("s", () => {}); throw new Error("y"); });\n`,
  );
  assert.equal(casesFailed(out), 2);
});

Deno.test("casesFailed is 0 when every case passes", async () => {
  const out = await denoTestOutput(
    `Deno.test("a", async (t) => { await t.step("s", () => {}); });\n`,
  );
  assert.equal(casesFailed(out), 0);
});

Deno.test("casesFailed is 0 when the module does not load (no case ran)", async () => {
  assert.equal(
    casesFailed(await denoTestOutput(`import "./missing.ts";\nDeno.test("a", () => {});\n`)),
    0,
  );
  assert.equal(casesFailed(await denoTestOutput(`const x = ;\n`)), 0);
});

const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

Deno.test("every mutant's source is found exactly once in its file (the table is up to date)", async () => {
  assert.ok(MUTANTS.length > 0);
  const stale = await staleMutants(ROOT, MUTANTS);
  assert.deepEqual(stale, [], `the mutant table is out of date:\n  ${stale.join("\n  ")}`);
});

Deno.test("every mutant has its own id and names test files that exist", async () => {
  const ids = MUTANTS.map((m) => m.id);
  assert.deepEqual(ids.filter((id, i) => ids.indexOf(id) !== i), [], "ids used twice");
  const missing: string[] = [];
  for (const t of new Set(MUTANTS.flatMap((m) => m.tests))) {
    try {
      await Deno.stat(`${ROOT}/${t}`);
    } catch {
      missing.push(t);
    }
  }
  assert.deepEqual(missing, [], "test files named by mutants but missing");
});

Deno.test("staleMutants names an entry whose source is missing, found twice, empty or in no file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "vigil-mutants-stale-" });
  try {
    await Deno.writeTextFile(`${dir}/a.ts`, "const x = 1;\nconst y = x + 1;\nconst z = x + 1;\n");
    const entry = (id: string, file: string, from: string): Mutant => ({
      id,
      bug: "test",
      file,
      from,
      to: "",
      tests: [],
    });
    const stale = await staleMutants(dir, [
      entry("ok/once", "a.ts", "const x = 1;"),
      entry("bad/missing", "a.ts", "const w = 1;"),
      entry("bad/twice", "a.ts", "x + 1;"),
      entry("bad/empty", "a.ts", ""),
      entry("bad/no-file", "gone.ts", "const x = 1;"),
    ]);
    assert.equal(stale.length, 4, stale.join("\n"));
    assert.equal(stale[0], "bad/missing: found 0 times in a.ts");
    assert.equal(stale[1], "bad/twice: found 2 times in a.ts");
    assert.equal(stale[2], "bad/empty: its source is empty (a.ts)");
    assert.match(stale[3]!, /^bad\/no-file: found 0 times in gone\.ts \(/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
