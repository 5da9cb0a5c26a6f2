/**
 * Malformed specs: every `tests/malformed/*.vigil` file lists its expected
 * diagnostics in leading comment lines, `// expect VIG203 5:12` (code, line,
 * column). `analyze()` must report exactly that multiset, nothing more.
 */
import assert from "node:assert/strict";
import { analyze } from "../lib/frontend.ts";
import { LineIndex } from "../lib/source.ts";

const DIR = new URL("./malformed/", import.meta.url);

/** The expected `CODE line:col` entries from the file's leading comment lines. */
function expectations(source: string): string[] {
  const out: string[] = [];
  for (const line of source.split("\n")) {
    const t = line.trim();
    if (!t.startsWith("//")) break;
    const m = /^\/\/\s*expect\s+(VIG\d{3})\s+(\d+):(\d+)\s*$/.exec(t);
    if (m !== null) out.push(`${m[1]} ${m[2]}:${m[3]}`);
  }
  return out.sort();
}

function actual(source: string): string[] {
  const index = new LineIndex(source);
  return analyze(source).diagnostics.map((d) => {
    const p = index.position(d.span.start);
    return `${d.code} ${p.line}:${p.column}`;
  }).sort();
}

const files = [...Deno.readDirSync(DIR)]
  .filter((e) => e.isFile && e.name.endsWith(".vigil"))
  .map((e) => e.name)
  .sort();

Deno.test("the malformed corpus has at least 30 cases", () => {
  assert.ok(files.length >= 30, `only ${files.length} malformed specs`);
});

for (const name of files) {
  Deno.test(`malformed ${name} yields exactly its expected diagnostics`, () => {
    const source = Deno.readTextFileSync(new URL(name, DIR));
    const expected = expectations(source);
    assert.ok(expected.length > 0, `${name} declares no '// expect' lines`);
    const got = actual(source);
    const messages = analyze(source).diagnostics.map((d) => `${d.code}: ${d.message}`);
    assert.deepEqual(got, expected, messages.join("\n"));
  });
}

Deno.test("checker messages are sentence case without a trailing period", () => {
  for (const name of files) {
    const source = Deno.readTextFileSync(new URL(name, DIR));
    for (const d of analyze(source).diagnostics) {
      assert.match(d.message, /^['A-Z]/, `${name}: ${d.message}`);
      assert.doesNotMatch(d.message, /\.$/, `${name}: ${d.message}`);
    }
  }
});
