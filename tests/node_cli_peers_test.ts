/**
 * The npm package's `vigil` under Node, installed as a user installs it
 * without the compiler: `npm install @vigil/vigil hono msgpackr` leaves out
 * the optional peers `binaryen` and `@bytecodealliance/jco`. Here the
 * package (built by `buildNpmOnce`) is copied into a project of its own,
 * outside the repository, with only `hono` and `msgpackr` beside it.
 * `--version` prints the version the package was built with (from
 * deno.json); `collector --spec x.vigil` and `compile` say which `npm
 * install` adds the compiler, in one line without a stack; `diff` needs no
 * compiler and runs. With the peers installed, `collector --spec x.vigil`
 * compiles the spec in memory under Node.
 */
import assert from "node:assert/strict";
import { cp, mkdir, readFile, symlink } from "node:fs/promises";
import { join } from "node:path";
import { buildNpmOnce } from "../tools/build_npm.ts";
import { ROOT } from "../tools/harness/spec_files.ts";
import { noStack } from "./cli_process.ts";
import { nodeVigil, scratchDir } from "./node_cli/node_vigil.ts";

const DENO_JSON = JSON.parse(await readFile(`${ROOT}deno.json`, "utf8"));
/** `npm:binaryen@122.0.0` -> `122.0.0`: the versions deno.json pins. */
function pinned(name: string): string {
  const spec = String(DENO_JSON.imports[name]);
  return spec.slice(spec.lastIndexOf("@") + 1);
}

/** A project with the package and only hono and msgpackr installed; returns the bin. */
async function projectWithoutCompiler(): Promise<string> {
  const { outDir } = await buildNpmOnce({ log: () => {} });
  const app = await scratchDir("vigil-no-compiler-");
  const modules = join(app, "node_modules");
  await mkdir(join(modules, "@vigil"), { recursive: true });
  await cp(outDir, join(modules, "@vigil", "vigil"), { recursive: true });
  for (const peer of ["hono", "msgpackr"]) {
    await symlink(join(ROOT, "node_modules", peer), join(modules, peer));
  }
  return join(modules, "@vigil", "vigil", "cli", "main.js");
}

async function node(bin: string, args: readonly string[]) {
  const out = await new Deno.Command("node", {
    args: [bin, ...args],
    cwd: ROOT,
    stdin: "null",
    signal: AbortSignal.timeout(60_000),
  }).output();
  const text = new TextDecoder();
  return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
}

Deno.test("Under Node without the compiler's packages: --version works, a .vigil spec and compile name the npm install, diff runs", async () => {
  const bin = await projectWithoutCompiler();
  const version = await node(bin, ["--version"]);
  assert.equal(version.code, 0, version.stderr);
  assert.match(
    version.stdout,
    new RegExp(`^vigil ${DENO_JSON.version} \\(Node \\d+\\.\\d+\\.\\d+\\)\\n$`),
  );

  const install = `npm install binaryen@${pinned("binaryen")} @bytecodealliance/jco@${
    pinned("@bytecodealliance/jco")
  }`;
  const collector = await node(bin, [
    "collector",
    "--spec",
    "specs/lease.vigil",
    "--port",
    "0",
    "--kv",
    "none",
  ]);
  assert.equal(collector.code, 1, collector.stdout + collector.stderr);
  assert.equal(
    collector.stderr,
    `vigil collector: Compiling 'specs/lease.vigil' needs the compiler's packages, and ` +
      `'binaryen' is not installed: run '${install}', or compile it where they are installed ` +
      `with 'vigil compile specs/lease.vigil --out dist/' and give '--spec dist/lease.js'\n`,
  );
  assert.equal(collector.stdout, "", "nothing started");

  const compile = await node(bin, ["compile", "specs/lease.vigil", "--out", await scratchDir()]);
  assert.equal(compile.code, 1, compile.stdout + compile.stderr);
  assert.match(
    compile.stderr,
    new RegExp(
      `^vigil compile: this command needs the npm package '(binaryen|@bytecodealliance/jco)', which is not installed: run '${
        install.replaceAll(".", "\\.")
      }'\\n$`,
    ),
  );
  for (const r of [collector, compile]) assert.ok(noStack(r.stderr), r.stderr);

  const diff = await node(bin, ["diff", "specs/lease.vigil", "specs/lease.vigil"]);
  assert.equal(diff.code, 0, diff.stderr);
  assert.match(diff.stdout, /^Lease: specs\/lease\.vigil -> specs\/lease\.vigil\nno change/);
});

Deno.test("Under Node with the compiler's packages, collector --spec x.vigil compiles it in memory and serves it", async () => {
  const vigil = await nodeVigil("node");
  const c = await vigil.collector(["--spec", "specs/lease.vigil", "--port", "0", "--kv", "none"]);
  const end = await c.stop();
  assert.equal(end.code, 0, end.stderr);
  assert.match(
    end.stdout,
    /listening on http:\/\/127\.0\.0\.1:\d+\/ \(Lease; HTTP ingest only; fresh state;/,
  );
  assert.match(
    end.stderr,
    /^vigil collector: compiled 'specs\/lease\.vigil' in memory \(spec Lease, \d+ ms\)$/m,
  );
});
