/**
 * The VS Code extension's TextMate grammar (`editor/vscode/syntaxes/`),
 * read by the editor's own engine (`vscode-textmate` with the
 * `vscode-oniguruma` regular expressions, from npm), agrees with the
 * language's lexer: every token the lexer reads as a keyword is
 * highlighted as one, on every spec of `specs/` and on a line holding
 * every keyword of `KEYWORDS` (so a keyword added to the lexer without the
 * grammar fails here); names, numbers, durations and comments get their
 * own scopes.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { KEYWORDS, tokenize } from "../lib/syntax/lexer.ts";
import { npmTool } from "../tools/harness/npm_tool.ts";
import { ROOT } from "../tools/harness/spec_files.ts";

const GRAMMAR_PATH = `${ROOT}editor/vscode/syntaxes/vigil.tmLanguage.json`;

interface LineTokens {
  tokens: { startIndex: number; endIndex: number; scopes: string[] }[];
  ruleStack: unknown;
}
interface Grammar {
  tokenizeLine(line: string, stack: unknown): LineTokens;
}

/** The grammar as VS Code loads it. */
async function loadGrammar(): Promise<{ grammar: Grammar; initial: unknown }> {
  const require = createRequire(import.meta.url);
  const textmate = require(await npmTool("textmate"));
  const onigPath = await npmTool("oniguruma");
  const onig = require(onigPath);
  const wasm = readFileSync(onigPath.replace(/main\.js$/, "onig.wasm"));
  await onig.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new onig.OnigScanner(patterns),
      createOnigString: (s: string) => new onig.OnigString(s),
    }),
    loadGrammar: (scopeName: string) =>
      scopeName === "source.vigil"
        ? textmate.parseRawGrammar(readFileSync(GRAMMAR_PATH, "utf8"), GRAMMAR_PATH)
        : null,
  });
  const grammar = await registry.loadGrammar("source.vigil");
  assert.ok(grammar !== null, "the grammar loads");
  return { grammar, initial: textmate.INITIAL };
}

/** The innermost scope at each character of `text` (LF lines), by offset. */
function scopesOf(grammar: Grammar, initial: unknown, text: string): string[] {
  const out: string[] = [];
  let stack = initial;
  for (const line of text.split("\n")) {
    const r = grammar.tokenizeLine(line, stack);
    stack = r.ruleStack;
    const row: string[] = new Array(line.length).fill("");
    for (const t of r.tokens) {
      for (let i = t.startIndex; i < Math.min(t.endIndex, line.length); i++) {
        row[i] = t.scopes.at(-1)!;
      }
    }
    out.push(...row, "\n");
  }
  return out;
}

/** The scope a reserved word must have: a keyword scope, or the boolean constants'. */
function reserved(word: string, scope: string): boolean {
  return word === "true" || word === "false"
    ? scope.startsWith("constant.language.boolean.")
    : scope.startsWith("keyword.");
}

const RESERVED_SCOPES = [
  "keyword.other.item.",
  "keyword.control.vigil",
  "keyword.operator.logical.",
  "keyword.other.type.",
  "keyword.other.prev.",
  "constant.language.boolean.",
];

/** Checks every lexer token of `text` against the grammar's scopes; returns the keywords seen. */
function checkText(grammar: Grammar, initial: unknown, name: string, text: string): Set<string> {
  const scopes = scopesOf(grammar, initial, text);
  const seen = new Set<string>();
  for (const t of tokenize(text).tokens) {
    const scope = scopes[t.span.start] ?? "";
    const where = `${name} at ${t.span.start} ('${text.slice(t.span.start, t.span.end)}')`;
    // Every character of the token has the same scope.
    for (let i = t.span.start; i < t.span.end; i++) {
      assert.equal(scopes[i], scope, `${where}: one scope over the token`);
    }
    if (t.kind === "keyword" && text.slice(t.span.start, t.span.end) === t.text) {
      seen.add(t.text);
      assert.ok(reserved(t.text, scope), `${where}: keyword scope, got '${scope}'`);
    } else if (t.kind === "name") {
      assert.ok(
        !RESERVED_SCOPES.some((r) => scope.startsWith(r)),
        `${where}: a name highlighted as a reserved word ('${scope}')`,
      );
    } else if (t.kind === "int") {
      assert.match(scope, /^constant\.numeric\.integer\./, where);
    } else if (t.kind === "duration") {
      assert.match(scope, /^constant\.numeric\.duration\./, where);
    }
  }
  // Comments: from `//` to the end of the line.
  let offset = 0;
  for (const line of text.split("\n")) {
    const at = line.indexOf("//");
    if (at >= 0) {
      for (let i = offset + at; i < offset + line.length; i++) {
        assert.match(scopes[i]!, /^comment\.line\.double-slash\./, `${name}: comment at ${i}`);
      }
    }
    offset += line.length + 1;
  }
  return seen;
}

Deno.test("the TextMate grammar highlights every lexer keyword as a keyword, names, numbers and comments as theirs, on every spec", async () => {
  const { grammar, initial } = await loadGrammar();
  const seen = new Set<string>();
  const specs = readdirSync(`${ROOT}specs`).filter((f) => f.endsWith(".vigil"));
  assert.ok(specs.length >= 5, "the specs are there");
  for (const file of specs) {
    const text = readFileSync(`${ROOT}specs/${file}`, "utf8");
    for (const k of checkText(grammar, initial, file, text)) seen.add(k);
  }
  // Every keyword the lexer knows, also those no spec uses yet.
  const all = [...KEYWORDS].join(" ") + "\n" + [...KEYWORDS].join("(x) ") + "\n";
  for (const k of checkText(grammar, initial, "every keyword", all)) seen.add(k);
  assert.deepEqual([...seen].sort(), [...KEYWORDS].sort());
});

Deno.test("the TextMate grammar tells contextual words from keywords: 'count' as a name, 'count(' as a quantifier", async () => {
  const { grammar, initial } = await loadGrammar();
  const text = "spec S\n  state count: int = 0\n  invariant Few count(c: bool: c) <= count + 1\n";
  const scopes = scopesOf(grammar, initial, text);
  const nameAt = text.indexOf("count:");
  const quantAt = text.indexOf("count(");
  const useAt = text.lastIndexOf("count");
  assert.match(scopes[nameAt]!, /^variable\.other\.state\./);
  assert.match(scopes[quantAt]!, /^keyword\.control\.quantifier\./);
  assert.match(scopes[useAt]!, /^variable\.other\.vigil/);
  checkText(grammar, initial, "contextual", text);
});
