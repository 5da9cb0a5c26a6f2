/**
 * The formatter on every spec of the repository (`specs/`, `examples/`,
 * `bench/`, `tests/`: every `.vigil` file that parses, the malformed ones
 * whose errors come after parsing included) and on the fuzz test's
 * mutants: formatting is idempotent, keeps every token and comment, and
 * never changes what a spec means. A spec that checks compiles, formatted,
 * to the same core module (byte for byte, once the `vigil` custom section,
 * which holds source positions and the source hash, is set aside), to the
 * same metadata but for positions, and to the same IR but for positions;
 * a spec with errors has the same diagnostic codes formatted.
 */
import assert from "node:assert/strict";
import { compile } from "../lib/compile.ts";
import { formatSpec } from "../lib/format/mod.ts";
import { analyze } from "../lib/frontend.ts";
import { initialState } from "../lib/interpreter/interpreter.ts";
import { tokenize } from "../lib/syntax/lexer.ts";
import { buildMeta } from "../lib/wasm/meta_build.ts";
import { buildCoreModule } from "../lib/wasm/codegen/codegen.ts";
import { META_SECTION } from "../lib/abi/meta.ts";
import { FIXED_TIMES, ROOT, specNames, specSource } from "../tools/harness/spec_files.ts";
import { mutate, rng } from "../tools/harness/spec_mutations.ts";

/** Every `.vigil` file under `dir` (relative to the repository root), subfolders included. */
function vigilFiles(dir: string): string[] {
  const found: string[] = [];
  for (const e of Deno.readDirSync(`${ROOT}${dir}`)) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory && e.name !== "node_modules") found.push(...vigilFiles(path));
    else if (e.isFile && e.name.endsWith(".vigil")) found.push(path);
  }
  return found.sort();
}

const FILES = [
  ...vigilFiles("specs"),
  ...vigilFiles("examples"),
  ...vigilFiles("bench"),
  ...vigilFiles("tests"),
];

/** The formatted text; fails the test when the spec does not parse. */
function formatted(source: string, what: string): string {
  const result = formatSpec(source);
  assert.ok("text" in result, `${what} does not parse: ${JSON.stringify(result)}`);
  return result.text;
}

/** The text of every comment, in order (a comment runs from `//` to the end of its line). */
function comments(source: string): string[] {
  const { tokens } = tokenize(source);
  const found: string[] = [];
  let from = 0;
  for (const t of tokens) {
    const gap = source.slice(from, t.span.start);
    for (const m of gap.matchAll(/\/\/[^\r\n]*/g)) found.push(m[0].trimEnd());
    from = t.span.end;
  }
  return found;
}

/** Token kinds and texts, without the optional trailing comma of a list. */
function tokenTexts(source: string): string[] {
  const tokens = tokenize(source).tokens;
  return tokens
    .filter((t, i) => !(t.text === "," && [")", "}"].includes(tokens[i + 1]?.text ?? "")))
    .map((t) => `${t.kind}:${t.text}`);
}

/** Whether the spec parses (lexical and syntax errors only). */
function parses(source: string): boolean {
  return !("diagnostics" in formatSpec(source));
}

/** The module without its custom section `name`. */
function withoutCustomSection(wasm: Uint8Array, name: string): Uint8Array {
  const out: number[] = [...wasm.subarray(0, 8)];
  let at = 8;
  const leb = (): number => {
    let value = 0;
    let shift = 0;
    for (;;) {
      const byte = wasm[at++]!;
      value |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return value;
      shift += 7;
    }
  };
  while (at < wasm.length) {
    const start = at;
    const id = wasm[at++]!;
    const size = leb();
    const end = at + size;
    let keep = true;
    if (id === 0) {
      const length = leb();
      keep = new TextDecoder().decode(wasm.subarray(at, at + length)) !== name;
    }
    if (keep) out.push(...wasm.subarray(start, end));
    at = end;
  }
  return new Uint8Array(out);
}

/**
 * A value with what the layout may change set aside: source ranges, the
 * source hash, and white space inside quoted source (verdict details and
 * guard texts).
 */
function layoutFree(value: unknown, key = ""): unknown {
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "string") {
    return key === "detail" || key === "text" ? value.replace(/\s+/g, "") : value;
  }
  if (Array.isArray(value)) return value.map((v) => layoutFree(v));
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === "sourceHash") continue;
    if (k === "range" && v !== null && typeof v === "object" && "line" in v) continue;
    out[k] = layoutFree(v, k);
  }
  return out;
}

/** What a spec compiles to, for comparing a spec with its formatted text. */
function compiled(source: string) {
  const front = analyze(source);
  const codes = front.diagnostics.map((d) => d.code);
  if (front.program === null) return { codes, program: null, core: null, meta: null };
  const init = initialState(front.program);
  if (init.code !== 0) return { codes, program: layoutFree(front.program), core: null, meta: null };
  const meta = buildMeta(front.program, init.state);
  const { wasm } = buildCoreModule(front.program, meta, { optimize: true });
  return {
    codes,
    program: layoutFree(front.program),
    core: withoutCustomSection(wasm, META_SECTION),
    meta: layoutFree(meta),
  };
}

Deno.test("every spec of the repository that parses formats idempotently, keeping its tokens and comments", () => {
  let parsed = 0;
  let withComments = 0;
  for (const file of FILES) {
    const source = Deno.readTextFileSync(`${ROOT}${file}`);
    if (!parses(source)) continue;
    parsed++;
    const once = formatted(source, file);
    assert.equal(formatted(once, `${file} formatted`), once, `${file}: formatting twice differs`);
    assert.equal(formatted(source.trimEnd(), file), once, `${file}: without its last line end`);
    assert.deepEqual(tokenTexts(once), tokenTexts(source), `${file}: tokens changed`);
    assert.deepEqual(comments(once), comments(source), `${file}: comments changed`);
    if (comments(source).length > 0) withComments++;
    assert.ok(once.endsWith("\n") && !once.endsWith("\n\n"), `${file}: one line end at the end`);
    assert.ok(!/[ \t]$/m.test(once), `${file}: trailing white space`);
    assert.ok(!once.includes("\n\n\n"), `${file}: two blank lines in a row`);
  }
  assert.ok(FILES.length >= 70, `only ${FILES.length} spec files found`);
  assert.ok(parsed >= 40, `only ${parsed} spec files parse`);
  assert.ok(withComments >= 3, `only ${withComments} parsed specs have comments`);
});

/** The spec on one line: its tokens joined by single spaces, comments dropped. */
function oneLine(source: string): string {
  return tokenize(source).tokens.map((t) => t.text).join(" ").trim() + "\n";
}

Deno.test("a formatted spec compiles to the same core module, metadata and IR, or to the same diagnostics", () => {
  let sameModule = 0;
  let sameDiagnostics = 0;
  let changed = 0;
  for (const file of FILES) {
    const source = Deno.readTextFileSync(`${ROOT}${file}`);
    if (!parses(source)) continue;
    // The spec as written, and the spec squeezed on one line: both must mean what they meant.
    for (const [what, input] of [[file, source], [`${file} on one line`, oneLine(source)]]) {
      const text = formatted(input!, what!);
      if (text !== input) changed++;
      const before = compiled(input!);
      const after = compiled(text);
      assert.deepEqual(after.codes, before.codes, `${what}: diagnostics changed`);
      assert.deepEqual(after.program, before.program, `${what}: IR changed`);
      assert.deepEqual(after.meta, before.meta, `${what}: metadata changed`);
      assert.deepEqual(after.core, before.core, `${what}: core module changed`);
      if (before.core !== null) sameModule++;
      else sameDiagnostics++;
    }
  }
  assert.ok(sameModule >= 24, `only ${sameModule} specs compiled to a module`);
  assert.ok(sameDiagnostics >= 40, `only ${sameDiagnostics} specs with errors compared`);
  assert.ok(changed >= 60, `only ${changed} specs changed by formatting`);
});

Deno.test("the comparison sees a change of meaning: one operand changed changes the core module", () => {
  const source = specSource("lease");
  const changed = source.replace("token := token + 1", "token := token + 2");
  assert.notEqual(changed, source);
  assert.notDeepEqual(compiled(changed).core, compiled(source).core);
});

Deno.test("the compiler's own core.wasm of each spec in specs/ is the same for the formatted spec", async () => {
  const names = specNames();
  assert.ok(names.length >= 8);
  for (const name of names) {
    const source = specSource(name);
    const text = formatted(source, name);
    const core = async (s: string) => {
      const result = await compile(s, { fileName: `${name}.vigil`, times: FIXED_TIMES });
      const bytes = result.files.get(`${name}.core.wasm`);
      assert.ok(bytes !== undefined, `${name}: no core module`);
      return { bytes, meta: layoutFree(result.meta) };
    };
    const [before, after] = [await core(source), await core(text)];
    assert.deepEqual(
      withoutCustomSection(after.bytes, META_SECTION),
      withoutCustomSection(before.bytes, META_SECTION),
      `${name}: core.wasm changed`,
    );
    assert.deepEqual(after.meta, before.meta, `${name}: metadata changed`);
  }
});

Deno.test("the fuzz test's mutants that parse format idempotently, keeping their tokens and comments", () => {
  const next = rng(0xf0a7);
  const sources = FILES.filter((f) => !f.startsWith("tests/"))
    .map((f) => Deno.readTextFileSync(`${ROOT}${f}`));
  let parsedMutants = 0;
  for (let i = 0; i < 3000; i++) {
    const source = mutate(sources[i % sources.length]!, next);
    const result = formatSpec(source);
    if ("diagnostics" in result) {
      assert.ok(result.diagnostics.length > 0, `mutant #${i}: refused without a diagnostic`);
      continue;
    }
    parsedMutants++;
    const what = `mutant #${i}:\n${source}`;
    assert.equal(formatted(result.text, what), result.text, `${what}\nformatting twice differs`);
    assert.deepEqual(tokenTexts(result.text), tokenTexts(source), `${what}\ntokens changed`);
    assert.deepEqual(comments(result.text), comments(source), `${what}\ncomments changed`);
  }
  assert.ok(parsedMutants >= 300, `only ${parsedMutants} of 3000 mutants parse`);
});
