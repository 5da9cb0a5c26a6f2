import assert from "node:assert/strict";
import { tokenize } from "./lexer.ts";
import { LineIndex } from "./source.ts";

function kinds(src: string): string[] {
  return tokenize(src).tokens.map((t) => `${t.kind}:${t.text}`);
}

function codesAt(src: string): string[] {
  const index = new LineIndex(src);
  return tokenize(src).diagnostics.map((d) => {
    const p = index.position(d.span.start);
    return `${d.code} ${p.line}:${p.column}`;
  });
}

Deno.test("tokenize splits names, keywords, integers and symbols", () => {
  assert.deepEqual(kinds("state x: int = 42"), [
    "keyword:state",
    "name:x",
    "symbol::",
    "name:int",
    "symbol:=",
    "int:42",
    "eof:",
  ]);
});

Deno.test("tokenize reads every operator, longest match first", () => {
  const ops = ":= == != <= >= < > = + - * / % ( ) [ ] { } , : . ..";
  const texts = tokenize(ops).tokens.filter((t) => t.kind === "symbol").map((t) => t.text);
  assert.deepEqual(texts, ops.split(" "));
  assert.deepEqual(kinds("0..3"), ["int:0", "symbol:..", "int:3", "eof:"]);
  assert.deepEqual(kinds("a.b"), ["name:a", "symbol:.", "name:b", "eof:"]);
  assert.deepEqual(kinds("x:=1"), ["name:x", "symbol::=", "int:1", "eof:"]);
});

Deno.test("tokenize treats reserved words as keywords and count/sum/nodes/bool/int as names", () => {
  const toks = tokenize("forall exists prev in implies count sum nodes bool int").tokens;
  assert.deepEqual(toks.map((t) => t.kind), [
    "keyword",
    "keyword",
    "keyword",
    "keyword",
    "keyword",
    "name",
    "name",
    "name",
    "name",
    "name",
    "eof",
  ]);
});

Deno.test("tokenize reads integer values with '_' separators", () => {
  const [a, b] = tokenize("1_000_000 9223372036854775807").tokens;
  assert.equal(a!.value, 1000000n);
  assert.equal(b!.value, 9223372036854775807n);
});

Deno.test("tokenize reads durations in milliseconds", () => {
  const toks = tokenize("30s 500ms 2m 1_0s").tokens;
  assert.deepEqual(toks.map((t) => [t.kind, t.value]), [
    ["duration", 30000n],
    ["duration", 500n],
    ["duration", 120000n],
    ["duration", 10000n],
    ["eof", 0n],
  ]);
  assert.deepEqual(toks[1]!.span, { start: 4, end: 9 });
});

Deno.test("tokenize skips comments and marks the first token of each line", () => {
  const toks = tokenize("spec A // the name\n  state x: bool // y\n// only\nz").tokens;
  assert.deepEqual(toks.map((t) => `${t.text}${t.lineStart ? "!" : ""}`), [
    "spec!",
    "A",
    "state!",
    "x",
    ":",
    "bool",
    "z!",
    "",
  ]);
});

Deno.test("tokenize reports an integer literal too large for i64 and continues", () => {
  const src = "x = 9223372036854775808 + 1";
  assert.deepEqual(codesAt(src), ["VIG002 1:5"]);
  const toks = tokenize(src).tokens;
  assert.equal(toks.length, 6);
  assert.match(tokenize(src).diagnostics[0]!.message, /'9223372036854775808' is too large/);
});

Deno.test("tokenize reports bad duration units", () => {
  assert.deepEqual(codesAt("within 5h\nwithin 5sec"), ["VIG003 1:8", "VIG003 2:8"]);
  const d = tokenize("5sec").diagnostics[0]!;
  assert.equal(d.message, "Invalid duration unit 'sec' in '5sec', expected 'ms', 's' or 'm'");
  assert.deepEqual(d.span, { start: 0, end: 4 });
});

Deno.test("tokenize reports malformed integers and huge durations", () => {
  assert.deepEqual(codesAt("1__0 5_ 99999999999999999m"), [
    "VIG004 1:1",
    "VIG004 1:6",
    "VIG005 1:9",
  ]);
});

Deno.test("tokenize reports a run of unexpected characters once and continues", () => {
  const src = "a && b\n  x @#$ y ! z";
  assert.deepEqual(codesAt(src), ["VIG001 1:3", "VIG001 2:5", "VIG001 2:11"]);
  const ds = tokenize(src).diagnostics;
  assert.equal(ds[0]!.message, "Unexpected characters '&&'; write 'and'");
  assert.equal(ds[1]!.message, "Unexpected characters '@#$'");
  assert.equal(ds[2]!.message, "Unexpected character '!'; write 'not'");
  assert.deepEqual(tokenize(src).tokens.map((t) => t.text), [
    "a",
    "and",
    "b",
    "x",
    "y",
    "not",
    "z",
    "",
  ]);
});

Deno.test("tokenize always ends with eof at the end of the source", () => {
  for (const src of ["", "   ", "// c", "x", "\u00e9"]) {
    const toks = tokenize(src).tokens;
    const last = toks[toks.length - 1]!;
    assert.equal(last.kind, "eof");
    assert.deepEqual(last.span, { start: src.length, end: src.length });
  }
});

Deno.test("tokenize reports a duration unit named like an Object member as invalid, never throws", () => {
  for (const unit of ["constructor", "toString", "valueOf", "hasOwnProperty", "__proto__"]) {
    const { tokens, diagnostics } = tokenize(`within 5${unit} when`);
    assert.deepEqual(diagnostics.map((d) => d.code).at(-1), "VIG003", unit);
    assert.equal(tokens[1]!.kind, "duration", unit);
    assert.equal(tokens[1]!.value, -1n, unit);
  }
});
