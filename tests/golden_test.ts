/**
 * Golden files for the compiled output of every spec in `specs/`: the WIT
 * world, the generated TypeScript class and the printed core module.
 * Regenerate with `UPDATE_GOLDEN=1 deno test -A tests/golden_test.ts` and
 * review the diff.
 */
import assert from "node:assert/strict";
import { compile } from "../lib/compile.ts";
import { FIXED_TIMES, ROOT, specNames, specSource } from "../tools/harness/spec_files.ts";

const update = Deno.env.get("UPDATE_GOLDEN") === "1";
const decoder = new TextDecoder();

async function golden(file: string, actual: string): Promise<void> {
  const path = `${ROOT}tests/golden/${file}`;
  if (update) {
    await Deno.writeTextFile(path, actual);
    return;
  }
  const expected = await Deno.readTextFile(path).catch(() => null);
  assert.ok(expected !== null, `Missing golden file ${file}: run with UPDATE_GOLDEN=1`);
  assert.equal(actual, expected, `${file} differs from its golden file`);
}

/** The text of output file `file` of `result`, which must exist and not be empty. */
function output(result: { files: ReadonlyMap<string, Uint8Array> }, file: string): string {
  const bytes = result.files.get(file);
  assert.ok(bytes !== undefined && bytes.length > 0, `compile produced no ${file}`);
  return decoder.decode(bytes);
}

/** The golden files each spec has: `.wit`, `.monitor.ts.golden` (the typed class) and `.wat`. */
const GOLDEN_EXTENSIONS = [".wit", ".monitor.ts.golden", ".wat"];

Deno.test("every spec in specs/ has golden files and every golden file has its spec", () => {
  const names = specNames();
  assert.ok(names.length >= 8, `only ${names.length} specs`);
  const expected = names.flatMap((n) => GOLDEN_EXTENSIONS.map((ext) => `${n}${ext}`)).sort();
  const present = [...Deno.readDirSync(`${ROOT}tests/golden`)]
    .filter((e) => e.isFile)
    .map((e) => e.name)
    .sort();
  assert.deepEqual(present, expected, "stale or missing golden files");
});

for (const name of specNames()) {
  Deno.test(`compile output of specs/${name}.vigil matches its golden files`, async () => {
    const result = await compile(specSource(name), {
      fileName: `${name}.vigil`,
      times: FIXED_TIMES,
    });
    assert.deepEqual(result.diagnostics, []);
    assert.ok(result.coreText.length > 0, "no core module text");
    await golden(`${name}.wit`, output(result, `${name}.wit`));
    assert.ok(!result.files.has(`${name}.ts`), `compile wrote the class to ${name}.ts`);
    await golden(`${name}.monitor.ts.golden`, output(result, `${name}.monitor.ts`));
    await golden(`${name}.wat`, result.coreText);
  });
}

Deno.test("the typed class of every spec in specs/ type-checks against the SDK", async () => {
  const dir = await Deno.makeTempDir({ prefix: "vigil-golden-classes-" });
  try {
    const files: string[] = [];
    for (const name of specNames()) {
      const result = await compile(specSource(name), {
        fileName: `${name}.vigil`,
        times: FIXED_TIMES,
      });
      const file = `${dir}/${name}.monitor.ts`;
      await Deno.writeFile(file, result.files.get(`${name}.monitor.ts`)!);
      files.push(file);
    }
    const check = await new Deno.Command(Deno.execPath(), {
      args: ["check", "--quiet", "--config", `${ROOT}deno.json`, ...files],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(check.code, 0, decoder.decode(check.stderr));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("compiling the same spec twice gives byte-identical artifacts", async () => {
  const a = await compile(specSource("lease"), { fileName: "lease.vigil", times: FIXED_TIMES });
  const b = await compile(specSource("lease"), { fileName: "lease.vigil", times: FIXED_TIMES });
  assert.deepEqual(a.diagnostics, []);
  assert.ok(a.files.size >= 9, `only ${a.files.size} artifacts`);
  assert.deepEqual([...a.files.keys()], [...b.files.keys()]);
  for (const [name, bytes] of a.files) assert.deepEqual(b.files.get(name), bytes, name);
});

/** The core module text without its custom section (which records source columns). */
function code(text: string): string {
  return text.split("\n").filter((l) => !l.includes(';; custom section "vigil"')).join("\n");
}

/** Generated text with source columns and the source hash removed. */
function normalized(text: string): string {
  return text.replace(/(line \d+):\d+/g, "$1").replace(/(\.vigil:\d+):\d+/g, "$1")
    .replace(/[0-9a-f]{64}/g, "<sha256>");
}

/** Metadata with what indentation legitimately changes removed: columns and the source hash. */
function positionsStripped(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value),
    (k, v) => k === "column" || k === "endColumn" || k === "sourceHash" ? undefined : v,
  );
}

Deno.test("a spec with all indentation removed compiles to the same code", async () => {
  const names = specNames();
  assert.ok(names.length >= 8, `only ${names.length} specs`);
  for (const name of names) {
    const source = specSource(name);
    const flush = source.split("\n").map((l) => l.trimStart()).join("\n");
    assert.notEqual(flush, source);
    const a = await compile(source, { fileName: `${name}.vigil`, times: FIXED_TIMES });
    const b = await compile(flush, { fileName: `${name}.vigil`, times: FIXED_TIMES });
    assert.deepEqual(a.diagnostics, []);
    assert.deepEqual(b.diagnostics, []);
    assert.ok(a.coreText.length > 0, `${name}: no core module`);
    assert.equal(code(b.coreText), code(a.coreText), `${name}: core module differs`);
    for (const ext of ["wit", "monitor.ts"]) {
      const [x, y] = [b, a].map((r) => normalized(output(r, `${name}.${ext}`)));
      assert.equal(x, y, `${name}.${ext} differs`);
    }
    assert.deepEqual(
      positionsStripped(b.meta),
      positionsStripped(a.meta),
      `${name}: metadata differs`,
    );
  }
});
