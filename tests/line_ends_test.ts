/**
 * Line ends and a byte-order mark do not change a spec: LF, CRLF and lone
 * CR give every diagnostic the same line and column, a leading U+FEFF is
 * accepted and takes no column, and every spec in `specs/` compiles to the
 * same WebAssembly (core module and component) whatever its line ends.
 * Diagnostics are compared on seeded random mutations of the specs (the
 * seed is printed on failure; `VIGIL_SEED=<n>` replays one).
 */
import assert from "node:assert/strict";
import { analyze } from "../lib/frontend.ts";
import { compile } from "../lib/compile.ts";
import { renderDiagnostic } from "../lib/syntax/diagnostic.ts";
import { LineIndex } from "../lib/syntax/source.ts";
import { FIXED_TIMES, specNames, specSource } from "../tools/harness/spec_files.ts";
import { Rand } from "./fuzz/rand.ts";

/** The seed of the issue: `specs/toggle.vigil` with a second `flip` on line 7. */
const SEED = specSource("toggle").trimEnd() + "\n  action flip\n    on := on\n";

/** The ways a text can be written: line-end conventions, with and without a leading mark. */
const VARIANTS: readonly [string, (lf: string) => string][] = [
  ["LF", (t) => t],
  ["CRLF", (t) => t.replaceAll("\n", "\r\n")],
  ["CR", (t) => t.replaceAll("\n", "\r")],
  ["BOM LF", (t) => "\uFEFF" + t],
  ["BOM CRLF", (t) => "\uFEFF" + t.replaceAll("\n", "\r\n")],
  ["BOM CR", (t) => "\uFEFF" + t.replaceAll("\n", "\r")],
];

/** Each diagnostic as `code line:column-endLine:endColumn message`. */
function positions(source: string): string[] {
  const index = new LineIndex(source);
  return analyze(source).diagnostics.map((d) => {
    const { start, end } = index.location(d.span);
    return `${d.code} ${start.line}:${start.column}-${end.line}:${end.column} ${d.message}`;
  });
}

Deno.test("The seed's second 'flip' is at 7:10 with LF, CRLF and CR line ends, with or without a BOM", () => {
  for (const [name, write] of VARIANTS) {
    const source = write(SEED);
    const ds = analyze(source).diagnostics;
    assert.deepEqual(ds.map((d) => d.code), ["VIG205"], name);
    assert.equal(
      renderDiagnostic(ds[0]!, new LineIndex(source), "toggle.vigil"),
      "toggle.vigil:7:10: error VIG205: Action 'flip' is already declared\n" +
        "  action flip\n" +
        "         ^^^^",
      name,
    );
  }
});

Deno.test("A leading BOM is accepted and not counted in columns of line 1", () => {
  const source = "\uFEFFspec A state x: nat = 0\n";
  const ds = analyze(source).diagnostics;
  assert.deepEqual(ds.map((d) => d.code), ["VIG201"]);
  assert.equal(
    renderDiagnostic(ds[0]!, new LineIndex(source), "a.vigil"),
    "a.vigil:1:17: error VIG201: Unknown type 'nat'\nspec A state x: nat = 0\n                ^^^",
  );
  assert.deepEqual(analyze("\uFEFFspec A\r\nstate x: int = 0\r\n").diagnostics, []);
});

Deno.test("A BOM anywhere but the start is still an unexpected character", () => {
  const ds = analyze("spec A\n\uFEFFstate x: int = 0\n").diagnostics;
  assert.deepEqual(ds.map((d) => d.code), ["VIG001"]);
});

Deno.test("A comment ends at a lone CR: the next line is read", () => {
  const ds = positions("spec A\r// a comment\rstate x: nat = 0\r");
  assert.deepEqual(ds, ["VIG201 3:10-3:13 Unknown type 'nat'"]);
});

/** Snippets that break a spec in the ways writers do. */
const BREAKS = [
  "&&",
  "||",
  "!",
  "$",
  "x",
  ":=",
  "(",
  ")",
  "]",
  "prev(",
  " 12q ",
  "\n",
  "\n  // note\n",
  "action",
  " state y: nat = z ",
];

/** Inserts, deletes or replaces at random places of an LF text. */
function mutate(rand: Rand, text: string): string {
  let out = text;
  const edits = rand.range(1, 3);
  for (let i = 0; i < edits; i++) {
    const at = rand.int(out.length + 1);
    const del = rand.chance(0.4) ? rand.range(1, 6) : 0;
    const insert = rand.chance(0.8) ? rand.pick(BREAKS) : "";
    out = out.slice(0, at) + insert + out.slice(at + del);
  }
  return out;
}

Deno.test("Property: converting a spec's line ends never moves a diagnostic (seeded mutations of specs/)", () => {
  const seed = Number(
    Deno.env.get("VIGIL_SEED") ?? (crypto.getRandomValues(new Uint32Array(1))[0]!),
  );
  const rand = new Rand(seed);
  const started = Date.now();
  let compared = 0;
  let withDiagnostics = 0;
  for (const name of specNames()) {
    const lf = specSource(name).replaceAll("\r\n", "\n");
    for (let i = 0; i < 25 && Date.now() - started < 20_000; i++) {
      const text = mutate(rand, lf);
      const expected = positions(text);
      if (expected.length > 0) withDiagnostics++;
      for (const [variant, write] of VARIANTS.slice(1)) {
        assert.deepEqual(
          positions(write(text)),
          expected,
          `seed ${seed} (VIGIL_SEED=${seed}), spec '${name}', mutation ${i}, ${variant}`,
        );
        compared++;
      }
    }
  }
  assert.ok(compared > 0);
  assert.ok(withDiagnostics > compared / VARIANTS.length / 2, `seed ${seed}: mutations too tame`);
});

Deno.test("Every spec in specs/ compiles to the same WebAssembly with any line ends and a BOM", async () => {
  for (const name of specNames()) {
    const lf = specSource(name).replaceAll("\r\n", "\n");
    const built = new Map<string, string>();
    for (const [variant, write] of VARIANTS) {
      const result = await compile(write(lf), {
        fileName: `${name}.vigil`,
        times: FIXED_TIMES,
      });
      assert.deepEqual(result.diagnostics, [], `${name} ${variant}`);
      const core = result.files.get(`${name}.core.wasm`);
      const component = result.files.get(`${name}.wasm`);
      assert.ok(core !== undefined && component !== undefined, `${name} ${variant}`);
      built.set(variant, `${hex(core)} ${hex(component)}`);
    }
    const lfBuild = built.get("LF")!;
    for (const [variant, bytes] of built) assert.equal(bytes, lfBuild, `${name} ${variant}`);
  }
});

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
