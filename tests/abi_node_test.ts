/**
 * The loader runs under Node for real: `lib/abi/loader.ts` bundled alone
 * (`deno bundle`, no `node:` import left in it), then a small `.mjs` that
 * imports nothing of ours but that bundle loads a compiled spec by path
 * (of `<name>.core.wasm`, `<name>.js` and the component `<name>.wasm`),
 * relative path, URL, bytes and `WebAssembly.Module` under `node`, steps
 * it, and reports a missing file as Node sees it.
 */
import assert from "node:assert/strict";
import { compiledDir } from "../tools/harness/sdk_fixture.ts";

const ROOT = new URL("../", import.meta.url);
const decoder = new TextDecoder();

/** Runs a command to completion (at most `seconds`); its exit code and output. */
async function run(
  command: string,
  args: string[],
  options: { cwd: string; seconds: number },
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(command, {
    args,
    cwd: options.cwd,
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
    signal: AbortSignal.timeout(options.seconds * 1000),
  }).output();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

/** The script Node runs: it imports only the bundled loader and Node's own modules. */
const SCRIPT = `
import { loadCompiled } from "./loader.mjs";
import { readFile } from "node:fs/promises";
import { relative } from "node:path";
import { pathToFileURL } from "node:url";

const dir = process.argv[2];
const core = await readFile(dir + "/lease.core.wasm");
const sources = {
  "core path": dir + "/lease.core.wasm",
  "bindings path": dir + "/lease.js",
  "component path": dir + "/lease.wasm",
  "relative path": relative(process.cwd(), dir + "/lease.js"),
  "file URL": pathToFileURL(dir + "/lease.wasm"),
  "bytes": core,
  "component bytes": await readFile(dir + "/lease.wasm"),
  "module": new WebAssembly.Module(core),
};
const out = { node: process.version, verdicts: {} };
for (const [name, source] of Object.entries(sources)) {
  const spec = await loadCompiled(source);
  const inst = spec.create();
  const acquire = spec.actionIndex("acquire");
  const codes = [2, 3].map((c) => spec.stepFn(acquire)(inst, ...spec.encodeArgs(acquire, { c })));
  out.verdicts[name] = codes.map((code) => spec.verdict(code).kind).join(",") + " " +
    spec.view(spec.readSlots(inst)).owner;
}
try {
  await loadCompiled(dir + "/missing.core.wasm");
  out.missing = "loaded";
} catch (e) {
  out.missing = e.name + " " + e.reason;
}
console.log(JSON.stringify(out));
`;

Deno.test("the loader bundled alone loads and steps a compiled spec from every source under Node", async () => {
  const dir = await compiledDir("lease");
  const work = await Deno.makeTempDir({ prefix: "vigil-node-loader-" });
  try {
    const bundle = await run(Deno.execPath(), [
      "bundle",
      "--platform",
      "browser",
      "--output",
      `${work}/loader.mjs`,
      new URL("lib/abi/loader.ts", ROOT).pathname,
    ], { cwd: ROOT.pathname, seconds: 120 });
    assert.equal(bundle.code, 0, `deno bundle failed:\n${bundle.stderr}`);
    const text = await Deno.readTextFile(`${work}/loader.mjs`);
    assert.match(text, /export\s*\{[^}]*loadCompiled/, "the bundle exports loadCompiled");
    assert.doesNotMatch(text, /(from|import)\s*["']node:/, "no static node: import in the loader");
    await Deno.writeTextFile(`${work}/run.mjs`, SCRIPT);
    const node = await run("node", ["run.mjs", dir], { cwd: work, seconds: 60 });
    assert.equal(node.code, 0, `node failed:\n${node.stderr}`);
    const out = JSON.parse(node.stdout);
    assert.match(out.node, /^v(2\d|[3-9]\d)\./, `Node 20 or later, got ${out.node}`);
    const expected = "ok,guard_failed 2";
    assert.deepEqual(out.verdicts, {
      "core path": expected,
      "bindings path": expected,
      "component path": expected,
      "relative path": expected,
      "file URL": expected,
      "bytes": expected,
      "component bytes": expected,
      "module": expected,
    });
    assert.equal(out.missing, "SpecLoadError not_found");
  } finally {
    await Deno.remove(work, { recursive: true });
  }
});
