/**
 * `vigil check` from the command line: exit codes, the `--json` shape and
 * the `--itf` counterexample.
 */
import assert from "node:assert/strict";
import { ROOT, specSource } from "../tools/harness/spec_files.ts";

async function vigil(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}cli/main.ts`, "check", ...args],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

Deno.test("vigil check --json prints one object with the documented fields and exits 0", async () => {
  const { code, stdout } = await vigil("specs/mutex.vigil", "--json", "--quiet");
  assert.equal(code, 0);
  const report = JSON.parse(stdout);
  assert.equal(report.distinctStates, 20);
  assert.equal(typeof report.statesGenerated, "number");
  assert.equal(report.depth, 7);
  assert.equal(report.complete, true);
  assert.deepEqual(report.violations, []);
  assert.deepEqual(report.deadlocks, []);
});

Deno.test("vigil check exits 1 on a violation and writes the ITF counterexample", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const spec = `${dir}/buggy.vigil`;
    await Deno.writeTextFile(spec, specSource("mutex").replace("turn := 1 - p", "turn := p"));
    const itfPath = `${dir}/cex.itf.json`;
    const { code, stdout } = await vigil(spec, "--json", "--quiet", "--itf", itfPath);
    assert.equal(code, 1);
    const report = JSON.parse(stdout);
    const v = report.violations[0];
    assert.equal(v.item, "invariant MutualExclusion");
    assert.equal(v.line, 32);
    assert.equal(v.trace.length, 7);
    const itf = JSON.parse(await Deno.readTextFile(itfPath));
    assert.equal(itf["#meta"].format, "ITF");
    assert.equal(itf["#meta"].source, "buggy.vigil");
    assert.deepEqual(itf.vars, ["flag", "pc", "turn", "mbt::actionTaken", "mbt::nondetPicks"]);
    assert.equal(itf.states.length, 7);
    itf.states.forEach((s: { "#meta": { index: number } }, i: number) => {
      assert.equal(s["#meta"].index, i);
    });
    const first = itf.states[0];
    assert.deepEqual(first.turn, { "#bigint": "0" });
    assert.deepEqual(first.pc, {
      "#map": [[{ "#bigint": "0" }, "idle"], [{ "#bigint": "1" }, "idle"]],
    });
    assert.deepEqual(first.flag["#map"][0], [{ "#bigint": "0" }, false]);
    assert.equal(first["mbt::actionTaken"], "init");
    const last = itf.states[6];
    assert.equal(last["mbt::actionTaken"], "enter");
    assert.deepEqual(last["mbt::nondetPicks"], { p: { "#bigint": "1" } });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("vigil check exits 4 and says INCOMPLETE when --max-states cuts an error-free search", async () => {
  const { code, stdout } = await vigil("specs/lease.vigil", "--max-states", "300", "--quiet");
  assert.equal(code, 4);
  assert.match(stdout, /300 distinct states/);
  assert.match(stdout, /INCOMPLETE: --max-states cut the search/);
  assert.match(stdout, /no errors found in the states explored, but the search is INCOMPLETE/);
});

Deno.test("vigil check exits 2 for an int parameter without --int-range", async () => {
  const { code, stderr } = await vigil("specs/calc.vigil", "--quiet");
  assert.equal(code, 2);
  assert.match(stderr, /Parameter 'v' of action 'put' has type 'int'/);
  assert.match(stderr, /--int-range/);
});

Deno.test("vigil check exits 2 for a bad flag value and for a spec that does not compile", async () => {
  assert.equal((await vigil("specs/toggle.vigil", "--max-states", "zero")).code, 2);
  assert.equal((await vigil("specs/toggle.vigil", "--int-range", "5..1")).code, 2);
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/bad.vigil`, "spec Bad\nstate x: nat = 0\n");
    const { code, stderr } = await vigil(`${dir}/bad.vigil`);
    assert.equal(code, 2);
    assert.match(stderr, /VIG/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("vigil check accepts a negative --int-range and reports the deadlock-free calc", async () => {
  const { code, stdout } = await vigil(
    "specs/calc.vigil",
    "--int-range",
    "-2..2",
    "--max-states",
    "200",
    "--json",
    "--quiet",
  );
  const report = JSON.parse(stdout);
  assert.equal(report.complete, false);
  assert.ok(report.violations.some((v: { kind: string }) => v.kind === "arith_error"));
  assert.equal(code, 1);
});
