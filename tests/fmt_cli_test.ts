/**
 * `vigil fmt` as a user and CI run it: a real CLI process on the
 * repository's specs and on a scratch folder of misformatted, formatted
 * and broken specs.
 */
import assert from "node:assert/strict";
import { runVigil } from "./cli_process.ts";
import { ROOT, specSource } from "../tools/harness/spec_files.ts";

/** `vigil fmt ...args` with `input` on its standard input. */
async function fmtStdin(args: readonly string[], input: string) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}cli/main.ts`, "fmt", ...args],
    cwd: ROOT,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(input));
  await writer.close();
  const out = await child.output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

/** A scratch folder with a misformatted spec in a subfolder, a formatted one, and `node_modules`. */
async function scratch(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "vigil-fmt-" });
  await Deno.mkdir(`${dir}/nested/node_modules`, { recursive: true });
  await Deno.writeTextFile(`${dir}/lease.vigil`, specSource("lease"));
  const [comment, ...rest] = specSource("toggle").split("\n");
  assert.match(comment!, /^\/\//);
  const squeezed = `${comment}\n${rest.join(" ").replace(/\s+/g, " ").replaceAll(" := ", ":=")}`;
  await Deno.writeTextFile(`${dir}/nested/toggle.vigil`, squeezed);
  await Deno.writeTextFile(`${dir}/nested/node_modules/skipped.vigil`, "spec   Skipped");
  return dir;
}

Deno.test("vigil fmt --check exits 0 on the repository's specs and examples", async () => {
  const run = await runVigil(["fmt", "--check", "specs/", "examples/"]);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.equal(run.stdout, "");
  assert.match(run.stderr, /vigil fmt: \d+ specs, 0 not formatted/);
});

Deno.test("vigil fmt --check lists a misformatted spec and exits 1; vigil fmt rewrites it; --check then exits 0", async () => {
  const dir = await scratch();
  try {
    const misformatted = await Deno.readTextFile(`${dir}/nested/toggle.vigil`);
    const check = await runVigil(["fmt", "--check", dir]);
    assert.equal(check.code, 1, check.stderr);
    assert.equal(check.stdout, `not formatted: ${dir}/nested/toggle.vigil\n`);
    assert.match(check.stderr, /2 specs, 1 not formatted/);
    assert.equal(await Deno.readTextFile(`${dir}/nested/toggle.vigil`), misformatted);

    const write = await runVigil(["fmt", dir]);
    assert.equal(write.code, 0, write.stderr);
    assert.equal(write.stdout, `formatted ${dir}/nested/toggle.vigil\n`);
    assert.equal(await Deno.readTextFile(`${dir}/nested/toggle.vigil`), specSource("toggle"));
    assert.equal(
      await Deno.readTextFile(`${dir}/nested/node_modules/skipped.vigil`),
      "spec   Skipped",
    );

    const again = await runVigil(["fmt", "--check", dir, `${dir}/lease.vigil`]);
    assert.equal(again.code, 0, again.stdout + again.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("vigil fmt reports a spec that does not parse with its diagnostics (exit 2) and still formats the others", async () => {
  const dir = await scratch();
  try {
    const broken = "spec Broken\n  state x: int = \n";
    await Deno.writeTextFile(`${dir}/broken.vigil`, broken);
    const run = await runVigil(["fmt", dir]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /broken\.vigil:3:1: error VIG101: Expected an expression after '='/);
    assert.match(run.stderr, /'.*broken\.vigil' does not parse; it was left as it is/);
    assert.equal(await Deno.readTextFile(`${dir}/broken.vigil`), broken);
    assert.equal(await Deno.readTextFile(`${dir}/nested/toggle.vigil`), specSource("toggle"));

    const check = await runVigil(["fmt", "--check", `${dir}/broken.vigil`, `${dir}/lease.vigil`]);
    assert.equal(check.code, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("vigil fmt without a path, or with a missing one, is a usage error", async () => {
  const none = await runVigil(["fmt"]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /vigil fmt: Expected at least one spec file or folder/);
  const missing = await runVigil(["fmt", "--check", "no/such/dir"]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /No such file or directory 'no\/such\/dir'/);
  const flag = await runVigil(["fmt", "--chek", "specs/"]);
  assert.equal(flag.code, 2);
  assert.match(flag.stderr, /did you mean '--check'/);
});

Deno.test("vigil fmt - formats standard input to standard output; --check - says whether it is formatted", async () => {
  const squeezed = "spec Toggle state on: bool = false action flip on:=not on";
  const formatted = "spec Toggle\n  state on: bool = false\n\n  action flip\n    on := not on\n";
  const out = await fmtStdin(["-"], squeezed.replaceAll(" ", "\r\n"));
  assert.equal(out.code, 0, out.stderr);
  assert.equal(out.stdout, formatted);
  assert.equal(out.stderr, "");
  const check = await fmtStdin(["--check", "-"], squeezed);
  assert.equal(check.code, 1);
  assert.equal(check.stdout, "not formatted: <stdin>\n");
  assert.equal((await fmtStdin(["--check", "-"], formatted)).code, 0);
  const broken = await fmtStdin(["-"], "spec Toggle state on: bool =");
  assert.equal(broken.code, 2);
  assert.equal(broken.stdout, "");
  assert.match(broken.stderr, /<stdin>:1:29: error VIG101/);
});
