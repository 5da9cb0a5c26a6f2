/**
 * The language server's analysis (`editor/lsp/`) against the compiler's own
 * front end, on every spec of `specs/`: in a spec the checker accepts,
 * every name resolves; a rename the server accepts leaves a spec the
 * checker still accepts, and one it refuses for a clash is one the checker
 * would reject; and no answer throws on any text an author passes through
 * while typing a spec (every prefix of every spec).
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { analyze } from "../lib/frontend.ts";
import { completionsAt } from "../editor/lsp/completion.ts";
import { editorDiagnostics } from "../editor/lsp/diagnostics.ts";
import { documentSymbols } from "../editor/lsp/document_symbols.ts";
import { hoverAt } from "../editor/lsp/hover.ts";
import { definitionAt, referencesAt } from "../editor/lsp/navigation.ts";
import { renameAt, RenameError } from "../editor/lsp/rename.ts";
import { signatureHelpAt } from "../editor/lsp/signature_help.ts";
import { indexSpec, type SpecIndex } from "../editor/lsp/spec_index.ts";
import { ROOT } from "../tools/harness/spec_files.ts";

const SPECS: [string, string][] = readdirSync(`${ROOT}specs`)
  .filter((f) => f.endsWith(".vigil"))
  .sort()
  .map((f) => [f, readFileSync(`${ROOT}specs/${f}`, "utf8")]);

function applyRename(
  source: string,
  edits: readonly { span: { start: number; end: number }; newText: string }[],
) {
  let out = source;
  for (const e of [...edits].sort((a, b) => b.span.start - a.span.start)) {
    out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  }
  return out;
}

function errors(source: string): string[] {
  return analyze(source).diagnostics.filter((d) => d.severity === "error").map((d) =>
    `${d.code} ${d.message}`
  );
}

Deno.test("in every spec of specs/, every name written resolves to a declaration of that name", () => {
  assert.ok(SPECS.length >= 5);
  for (const [file, source] of SPECS) {
    assert.deepEqual(errors(source), [], `${file} checks`);
    const index = indexSpec(source);
    assert.ok(index.occurrences.length > 0, file);
    for (const o of index.occurrences) {
      assert.equal(source.slice(o.span.start, o.span.end), o.name, `${file}: span of '${o.name}'`);
      assert.ok(o.symbol !== null, `${file}: '${o.name}' at ${o.span.start} resolves`);
      assert.equal(o.symbol.name, o.name, `${file}: '${o.name}' names a namesake`);
      if (o.symbol.kind !== "builtin") {
        const decl = o.symbol.nameSpan;
        assert.equal(
          source.slice(decl.start, decl.end),
          o.name,
          `${file}: declaration of '${o.name}'`,
        );
      }
    }
  }
});

Deno.test("a rename the server accepts leaves a spec the checker accepts; one refused for a clash, the checker would reject", () => {
  let accepted = 0;
  let refused = 0;
  for (const [file, source] of SPECS) {
    const index = indexSpec(source);
    const symbols = index.symbols.filter((s) => s.kind !== "builtin");
    // Candidate names: every name of the spec (clashes or not), and a fresh one.
    const names = [...new Set(symbols.map((s) => s.name)), "fresh_name", "int", "bool"];
    for (const symbol of symbols) {
      for (const name of names) {
        let edits;
        try {
          edits = renameAt(index, symbol.nameSpan.start, name);
        } catch (e) {
          assert.ok(e instanceof RenameError, String(e));
          assert.match(e.message, /clashes with/, `${file}: ${symbol.name} -> ${name}`);
          // Done anyway, the rename breaks the spec.
          const forced = applyRename(
            source,
            index.referencesOf(symbol).map((o) => ({ span: o.span, newText: name })),
          );
          assert.notDeepEqual(
            errors(forced),
            [],
            `${file}: '${symbol.name}' -> '${name}' was refused, but the checker accepts it`,
          );
          refused++;
          continue;
        }
        const renamed = applyRename(source, edits);
        assert.deepEqual(
          errors(renamed),
          [],
          `${file}: ${symbol.kind} '${symbol.name}' -> '${name}'`,
        );
        if (name !== symbol.name) {
          assert.ok(edits.length >= 1);
          // The renamed spec has the same shape: same number of slots and verdicts.
          const before = analyze(source).program!;
          const after = analyze(renamed).program!;
          assert.equal(after.slotCount, before.slotCount);
          assert.equal(after.verdicts.length, before.verdicts.length);
        }
        accepted++;
      }
    }
  }
  assert.ok(accepted > 100 && refused > 100, `accepted ${accepted}, refused ${refused}`);
});

/** Calls every feature at `offset`; returns how many answers were not empty. */
function answerAll(index: SpecIndex, offset: number): number {
  let answers = 0;
  if (hoverAt(index, offset) !== null) answers++;
  if (definitionAt(index, offset) !== null) answers++;
  answers += referencesAt(index, offset, { includeDeclaration: true }).length > 0 ? 1 : 0;
  answers += completionsAt(index, offset).length > 0 ? 1 : 0;
  try {
    renameAt(index, offset, "renamed_x");
    answers++;
  } catch (e) {
    if (!(e instanceof RenameError)) throw e;
  }
  return answers;
}

Deno.test("no answer throws on any prefix of any spec (the text while it is typed), each at its end and in its middle", () => {
  let prefixes = 0;
  for (const [, source] of SPECS) {
    for (let end = 0; end <= source.length; end += 3) {
      const text = source.slice(0, end);
      const index = indexSpec(text);
      editorDiagnostics(index);
      documentSymbols(index);
      answerAll(index, text.length);
      answerAll(index, text.length >> 1);
      prefixes++;
    }
  }
  assert.ok(prefixes > 1000, `${prefixes} prefixes`);
});

Deno.test("names resolve by scope: quantifier names only in their body, parameters only in their action, 'a.x' to the state variable", () => {
  const source = [
    "spec Scopes",
    "  type C = 0..2",
    "  state x: int = 0",
    "  state m: map[C, int] = 0",
    "  action put(c: C)",
    "    m[c] := c",
    "  action take(c: C)",
    "    require m[c] > 0",
    "  invariant Inner",
    "    forall c: C: exists d: C: m[c] >= m[d] or c != d",
    "  global invariant Same",
    "    forall a, b in nodes: a.x == b.x",
    "",
  ].join("\n");
  assert.deepEqual(errors(source), []);
  const index = indexSpec(source);
  const uses = (at: number) =>
    referencesAt(index, at, { includeDeclaration: true }).map((s) => source.slice(s.start, s.end));
  const putC = source.indexOf("c: C)");
  const takeC = source.indexOf("c: C)", putC + 1);
  // Each action's `c` is its own: three in put, two in take.
  assert.equal(uses(putC).length, 3);
  assert.equal(uses(takeC).length, 2);
  const put = referencesAt(index, putC, { includeDeclaration: true });
  assert.ok(put.every((s) => s.start < source.indexOf("action take")));
  // The quantifier's `c` is not the actions' `c`.
  const quantC = source.indexOf("forall c") + "forall ".length;
  assert.equal(uses(quantC).length, 3);
  // `a.x` and `b.x` name the state variable `x`.
  const xDecl = source.indexOf("x: int");
  const xUses = referencesAt(index, xDecl, { includeDeclaration: false });
  assert.deepEqual(
    xUses.map((s) => s.start),
    [source.indexOf("a.x") + 2, source.indexOf("b.x") + 2],
  );
  // Definition of `d` in the inner quantifier's body is the inner binder.
  const dUse = source.indexOf("m[d]") + 2;
  assert.equal(definitionAt(index, dUse)?.start, source.indexOf("d: C:"));
});

Deno.test("hover shows the doc comment above an item with any line ends, and none when a blank line or code is between", () => {
  for (const eol of ["\n", "\r\n", "\r"]) {
    const source = [
      "spec Docs",
      "  // The lease mode.",
      "  // Free or held.",
      "  type Mode = enum { free, held }",
      "  // Not this one.",
      "",
      "  state mode: Mode = free",
      "  const K = 2 // not a doc",
      "  state n: 0..K = K",
      "",
    ].join(eol);
    const index = indexSpec(source);
    const text = (at: number) => {
      const hover = hoverAt(index, at);
      const contents = hover?.contents as { value: string } | undefined;
      return contents?.value ?? "";
    };
    const modeType = text(source.indexOf("Mode = free"));
    assert.match(modeType, /The lease mode\.\nFree or held\./, JSON.stringify(eol));
    assert.doesNotMatch(text(source.indexOf("mode:")), /Not this one/);
    assert.doesNotMatch(text(source.indexOf("n: 0")), /not a doc/);
    assert.match(text(source.lastIndexOf("K")), /value: 2/);
    assert.match(text(source.indexOf("n: 0")), /type: 0\.\.2/);
  }
});

Deno.test("completion in an item being typed offers its own parameters and quantifier names, never another action's", () => {
  const source = [
    "spec Typing",
    "  type Mode = enum { free, held }",
    "  state n: int = 0",
    "  action add(k: 0..3, j: bool)",
    "    n := n + k",
    "  action sub(q: 0..3)",
    "    require forall z: 0..2: exists w, v: Mode: q >",
  ].join("\n");
  assert.ok(analyze(source).diagnostics.length > 0, "the last item does not parse");
  const labels = completionsAt(indexSpec(source), source.length).map((c) => c.label);
  for (const name of ["q", "z", "w", "v", "n", "free", "held", "Mode", "require"]) {
    assert.ok(labels.includes(name), `'${name}' offered`);
  }
  for (const name of ["k", "j"]) assert.ok(!labels.includes(name), `'${name}' not offered`);
  // Inside the action that parses, its own parameters.
  const inAdd = completionsAt(indexSpec(source), source.indexOf("n + k") + 4).map((c) => c.label);
  assert.ok(inAdd.includes("k") && inAdd.includes("j") && !inAdd.includes("q"));
});

Deno.test("signature help names the form being written and the part the cursor is in", () => {
  const cases: [string, string | null, number][] = [
    ["invariant I\n    count(", "count(x, y: Domain: condition)", 0],
    ["invariant I\n    count(a, b", "count(x, y: Domain: condition)", 0],
    ["invariant I\n    sum(n in ", "sum(x, y: Domain: expression)", 1],
    ["invariant I\n    sum(n in nodes: n.x + (1", "sum(x, y: Domain: expression)", 2],
    ["invariant I\n    count(c: C: m[c] > 0) + prev(", "prev(e)", 0],
    ["invariant I\n    count(c: C: m[c] > 0) + 1", null, 0],
    ["state m: map[C, ", "map[Key, Value]", 1],
    ["state m: map[C, int] = 0\n  invariant J m[", null, 0],
    ["action a(c: C)\n    require count(c: C: c > 0) > 0\n  invariant K (", null, 0],
  ];
  for (const [tail, label, active] of cases) {
    const source = `spec S\n  type C = 0..3\n  ${tail}`;
    const help = signatureHelpAt(source, source.length);
    if (label === null) {
      assert.equal(help, null, tail);
      continue;
    }
    const signature = help?.signatures[0];
    assert.equal(signature?.label, label, tail);
    assert.equal(help?.activeParameter, active, tail);
    // Each part's range points into the label at that part's text.
    const [start, end] = signature!.parameters![active]!.label as [number, number];
    assert.ok(start > 0 && end > start && end <= label.length, tail);
  }
});
