/**
 * Malformed specs: every `tests/malformed/*.vigil` file lists its expected
 * diagnostics in leading comment lines, `// expect VIG203 5:12` (code, line,
 * column). The compiler must report exactly that multiset, nothing more, and
 * together the files must expect every code of the code tables.
 */
import assert from "node:assert/strict";
import { compile } from "../lib/compile.ts";
import { analyze } from "../lib/frontend.ts";
import { LineIndex } from "../lib/syntax/source.ts";
import { allCodes } from "../tools/diagnostic_codes.ts";
import { ROOT } from "../tools/harness/spec_files.ts";

const DIR = new URL("./malformed/", import.meta.url);

/**
 * Codes no spec can raise, kept as a defence: VIG311 (a domain neither int nor
 * finite) cannot happen while every named type resolves to bool, int, a range
 * or an enum.
 */
const UNREACHABLE = new Set(["VIG311"]);

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

/**
 * What the compiler reports for `name`: `CODE line:col` entries and the
 * messages. Only files that expect a compile-time evaluation code (VIG5xx)
 * go through `compile()`: the others stop at `analyze()`, so a spec whose
 * cost check regressed fails here instead of evaluating for hours.
 */
async function actual(name: string): Promise<{ got: string[]; messages: string[] }> {
  const source = Deno.readTextFileSync(new URL(name, DIR));
  const index = new LineIndex(source);
  const evaluates = expectations(source).some((e) => e.startsWith("VIG5"));
  let diagnostics = analyze(source).diagnostics;
  if (evaluates) {
    const result = await compile(source, { fileName: name });
    assert.equal(result.files.size, 0, `${name} compiled despite its errors`);
    diagnostics = [...result.diagnostics];
  }
  const got = diagnostics.map((d) => {
    const p = index.position(d.span.start);
    return `${d.code} ${p.line}:${p.column}`;
  }).sort();
  return { got, messages: diagnostics.map((d) => `${d.code}: ${d.message}`) };
}

const files = [...Deno.readDirSync(DIR)]
  .filter((e) => e.isFile && e.name.endsWith(".vigil"))
  .map((e) => e.name)
  .sort();

Deno.test("the malformed corpus has at least 30 cases", () => {
  assert.ok(files.length >= 30, `only ${files.length} malformed specs`);
});

for (const name of files) {
  Deno.test(`malformed ${name} yields exactly its expected diagnostics`, async () => {
    const expected = expectations(Deno.readTextFileSync(new URL(name, DIR)));
    assert.ok(expected.length > 0, `${name} declares no '// expect' lines`);
    const { got, messages } = await actual(name);
    assert.deepEqual(got, expected, messages.join("\n"));
  });
}

Deno.test("the malformed corpus expects every diagnostic code at least once", () => {
  const expected = new Set<string>();
  for (const name of files) {
    for (const e of expectations(Deno.readTextFileSync(new URL(name, DIR)))) {
      expected.add(e.split(" ")[0]!);
    }
  }
  const declared = allCodes().map(([code]) => code);
  assert.ok(declared.length > 50, `only ${declared.length} codes declared`);
  const missing = declared.filter((c) => !expected.has(c) && !UNREACHABLE.has(c));
  assert.deepEqual(missing, [], "codes with no malformed case");
  for (const c of UNREACHABLE) assert.ok(declared.includes(c), `${c} is no longer declared`);
});

Deno.test("diagnostic messages are sentence case without a trailing period", async () => {
  let checked = 0;
  for (const name of files) {
    for (const message of (await actual(name)).messages) {
      const text = message.replace(/^VIG\d{3}: /, "");
      assert.match(text, /^['A-Z]/, `${name}: ${message}`);
      assert.doesNotMatch(text, /\.$/, `${name}: ${message}`);
      checked++;
    }
  }
  assert.ok(checked >= files.length, `only ${checked} messages checked`);
});

/** Quantifier nests too deep for the parser: `depth` nested `forall` over bool. */
function deepNest(depth: number): string {
  let nest = "";
  for (let i = 0; i < depth; i++) nest += `forall v${i}: bool: `;
  return `spec Deep\n  state x: int = 0\n  invariant I ${nest}x >= 0\n`;
}

/** How long the subprocess below may run before the test fails instead of waiting on. */
const COMPILE_TIMEOUT_MS = 120_000;

Deno.test("vigil compile refuses costly and over-deep quantifier nests instead of hanging", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const costly = files.filter((f) => f.startsWith("check_quantifier_cost_"));
    assert.ok(costly.length >= 3, `only ${costly.length} quantifier cost cases`);
    const deep = `${dir}/deep_10000.vigil`;
    await Deno.writeTextFile(deep, deepNest(10_000));
    const paths = [...costly.map((f) => new URL(f, DIR).pathname), deep];
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", `${ROOT}cli/main.ts`, "compile", ...paths, "--out", `${dir}/out`],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(COMPILE_TIMEOUT_MS),
    }).spawn();
    const out = await child.output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.signal, null, `vigil compile was killed after ${COMPILE_TIMEOUT_MS} ms`);
    assert.equal(out.code, 1, stderr);
    for (const name of costly) {
      const source = Deno.readTextFileSync(new URL(name, DIR));
      for (const e of expectations(source)) {
        const [code, at] = e.split(" ");
        assert.ok(stderr.includes(`${name}:${at}: error ${code}:`), `${name} ${e}\n${stderr}`);
      }
    }
    assert.match(stderr, /check_quantifier_cost_deep\.vigil:\d+:\d+: error VIG415: .* 2\^199 /);
    assert.match(stderr, /deep_10000\.vigil:3:\d+: error VIG119: /);
    const written = [...Deno.readDirSync(dir)].map((e) => e.name);
    assert.ok(!written.includes("out") || [...Deno.readDirSync(`${dir}/out`)].length === 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
