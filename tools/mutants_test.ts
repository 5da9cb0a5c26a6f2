import assert from "node:assert/strict";
import { casesFailed } from "./mutants.ts";

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
