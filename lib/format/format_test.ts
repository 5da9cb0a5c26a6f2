import assert from "node:assert/strict";
import { tokenize } from "../syntax/lexer.ts";
import { formatSpec } from "./mod.ts";
import { sameContent } from "./content.ts";
import { mutate, rng } from "../../tools/harness/spec_mutations.ts";
import { ROOT, specNames, specSource } from "../../tools/harness/spec_files.ts";

function format(source: string): string {
  const result = formatSpec(source);
  assert.ok("text" in result, `does not parse: ${JSON.stringify(result)}`);
  return result.text;
}

/** Lines joined with `\n`, and one at the end. */
const lines = (...ls: string[]): string => ls.join("\n") + "\n";

Deno.test("formatSpec writes every construct in the canonical layout", () => {
  const messy = [
    "// leading comment",
    "spec   Every   // header note",
    "const A=3 const B = ( A+1 )*2-  -1",
    "type K=enum{x,y,z,}",
    "type R = 0..A   type Alias=(R)",
    "state  m : map[ K , R ]=0 state n:int=0",
    "state flag:bool",
    "init flag:=false",
    "action go ( k:K , v : R , )",
    "  require not flag and m[k]<A   m[k]:=v",
    "  n := if v==0 then 1 else n%2+sum(j:R:j)",
    "action stop flag:=true",
    "invariant Small n<=count( a,b:R : a<b )*10 or exists c:K:m[c]==prev(m[c])",
    "terminal Done flag",
    "liveness L within 30s when flag then eventually not flag",
    "global invariant G forall p,q in nodes:p==q or p.n!=q.n",
    "global liveness H within 2m when exists p in nodes:p.flag then eventually forall p in nodes: not p.flag",
    "// the end",
  ].join("\n");
  const expected = lines(
    "// leading comment",
    "spec Every // header note",
    "  const A = 3",
    "  const B = (A + 1) * 2 - -1",
    "  type K = enum { x, y, z }",
    "  type R = 0..A",
    "  type Alias = (R)",
    "  state m: map[K, R] = 0",
    "  state n: int = 0",
    "  state flag: bool",
    "",
    "  init",
    "    flag := false",
    "",
    "  action go(k: K, v: R)",
    "    require not flag and m[k] < A",
    "    m[k] := v",
    "    n := if v == 0 then 1 else n % 2 + sum(j: R: j)",
    "",
    "  action stop",
    "    flag := true",
    "",
    "  invariant Small",
    "    n <= count(a, b: R: a < b) * 10 or exists c: K: m[c] == prev(m[c])",
    "",
    "  terminal Done",
    "    flag",
    "",
    "  liveness L within 30s",
    "    when flag then eventually not flag",
    "",
    "  global invariant G",
    "    forall p, q in nodes: p == q or p.n != q.n",
    "",
    "  global liveness H within 2m",
    "    when exists p in nodes: p.flag then eventually forall p in nodes: not p.flag",
    "  // the end",
  );
  assert.equal(format(messy), expected);
  assert.equal(format(expected), expected);
});

Deno.test("an expression longer than the line breaks before its loosest operators, two columns in", () => {
  const v = "someVeryLongStateVariableName";
  const w = "anotherRatherLongVariableName";
  const source = lines(
    "spec Long",
    "  type C = 0..3",
    `  state ${v}: int = 0`,
    `  state ${w}: int = 0`,
    "  state g: map[C, int] = 0",
    "  action act(c: C)",
    `    require ${v} < 100 and ${w} < 100 and g[c] == 0 or c == 0`,
    `    ${v} := if ${v} > ${w} then ${v} else ${w} + 1`,
    "  invariant I",
    `    forall a, b: C: g[a] + g[b] <= ${v} + ${w} + 1000000 + ${v} * 2`,
    "  liveness L within 1s",
    `    when ${v} > 100 and ${w} > 100 then eventually ${v} == 0 and ${w} == 0`,
  );
  assert.equal(
    format(source),
    lines(
      "spec Long",
      "  type C = 0..3",
      `  state ${v}: int = 0`,
      `  state ${w}: int = 0`,
      "  state g: map[C, int] = 0",
      "",
      "  action act(c: C)",
      `    require ${v} < 100`,
      `        and ${w} < 100`,
      "        and g[c] == 0",
      "      or c == 0",
      `    ${v} :=`,
      `      if ${v} > ${w}`,
      `        then ${v}`,
      `        else ${w} + 1`,
      "",
      "  invariant I",
      "    forall a, b: C:",
      "      g[a] + g[b]",
      `        <= ${v}`,
      `          + ${w}`,
      "          + 1000000",
      `          + ${v} * 2`,
      "",
      "  liveness L within 1s",
      `    when ${v} > 100 and ${w} > 100`,
      `    then eventually ${v} == 0 and ${w} == 0`,
    ),
  );
});

Deno.test("comments stay in place: trailing, on their own lines, inside an expression, at the end", () => {
  const source = lines(
    "spec C",
    "state x: int = 0 // trailing",
    "",
    "",
    "// about the action",
    "// second line",
    "action a",
    "  require x < 3 and // after and",
    "  x > -1",
    "  // before the assignment",
    "  x := x + 1",
    "",
    "// at the end",
  );
  const expected = lines(
    "spec C",
    "  state x: int = 0 // trailing",
    "",
    "  // about the action",
    "  // second line",
    "  action a",
    "    require x < 3",
    "      and // after and",
    "      x > -1",
    "    // before the assignment",
    "    x := x + 1",
    "",
    "  // at the end",
  );
  assert.equal(format(source), expected);
  assert.equal(format(expected), expected);
});

Deno.test("blank lines: at most one is kept between items, and one always sets apart items with a body", () => {
  const source = lines(
    "spec B",
    "  const N = 1",
    "",
    "",
    "",
    "  const M = 2",
    "  state x: int = 0",
    "  action a",
    "    x := 1",
    "",
    "",
    "    x := 2",
    "  invariant I",
    "    x >= 0",
  );
  // The second `x :=` assigns x twice (a checker error), which the formatter does not judge.
  assert.equal(
    format(source),
    lines(
      "spec B",
      "  const N = 1",
      "",
      "  const M = 2",
      "  state x: int = 0",
      "",
      "  action a",
      "    x := 1",
      "",
      "    x := 2",
      "",
      "  invariant I",
      "    x >= 0",
    ),
  );
});

Deno.test("an enum's trailing comma is written exactly when its labels are broken over lines", () => {
  const labels = Array.from({ length: 14 }, (_, i) => `label${i}`);
  const short = format("spec E type K = enum { a, b, }");
  assert.equal(short, "spec E\n  type K = enum { a, b }\n");
  const long = format(`spec E type K = enum { ${labels.join(", ")} }`);
  assert.equal(
    long,
    `spec E\n  type K = enum {\n${labels.map((l) => `    ${l},\n`).join("")}  }\n`,
  );
  assert.equal(format(long), long);
});

Deno.test("a spec that ends without a line end, inside parentheses, gets one", () => {
  assert.equal(
    format("spec A state x: bool invariant I (x)"),
    "spec A\n  state x: bool\n\n  invariant I\n    (x)\n",
  );
  assert.equal(format("spec A"), "spec A\n");
  assert.equal(format("// only\nspec A // named"), "// only\nspec A // named\n");
});

Deno.test("a state's default that does not fit starts the next line", () => {
  const long = Array.from({ length: 8 }, (_, i) => `Constant${i}`).join(" + ");
  assert.equal(
    format(`spec A state total: int = ${long}`),
    `spec A\n  state total: int =\n    ${long}\n`,
  );
});

Deno.test("CRLF, CR and a byte-order mark give the LF text; errors point into the text as given", () => {
  const lf = "spec T\n  state on: bool = false // note\n\n  action flip\n    on := not on\n";
  assert.equal(format(lf), lf);
  assert.equal(format(lf.replaceAll("\n", "\r\n")), lf);
  assert.equal(format(lf.replaceAll("\n", "\r")), lf);
  assert.equal(format(`\uFEFF${lf}`), lf);
  const broken = "spec T\r\n  state on: bool = \r\n";
  const result = formatSpec(broken);
  assert.ok("diagnostics" in result);
  assert.deepEqual(result.diagnostics.map((d) => d.code), ["VIG101"]);
  assert.ok(result.diagnostics[0]!.span.start >= broken.indexOf("= ") + 1);
  assert.ok(result.diagnostics[0]!.span.end <= broken.length);
});

Deno.test("a spec with a syntax error is refused with every error, and a spec that only fails to check is formatted", () => {
  const result = formatSpec("spec S\n  state x: int = \n  action a\n    x := := 1\n");
  assert.ok("diagnostics" in result);
  assert.equal(result.diagnostics.length, 2);
  assert.ok(result.diagnostics.every((d) => d.severity === "error" && /^VIG1\d\d$/.test(d.code)));
  assert.equal(format("spec S state x: nat = y"), "spec S\n  state x: nat = y\n");
});

/** The spec's tokens, joined by one space (its comments and the trailing commas of lists dropped). */
function oneLine(source: string): string {
  const { tokens } = tokenize(source);
  return tokens.filter((t, i) =>
    !(t.text === "," && [")", "}"].includes(tokens[i + 1]?.text ?? ""))
  )
    .map((t) => t.text).join(" ").trim();
}

const WHITE = [" ", "\n", "\n      ", "\t", "  \n  ", " \r\n "];

Deno.test("the layout does not depend on the white space of the input", () => {
  const next = rng(0x51ace);
  for (const name of specNames()) {
    const flat = oneLine(specSource(name));
    const expected = format(flat);
    for (let round = 0; round < 5; round++) {
      const tokens = tokenize(flat).tokens.filter((t) => t.kind !== "eof");
      const spaced = tokens.map((t) => t.text + WHITE[Math.floor(next() * WHITE.length)]).join("");
      assert.equal(format(spaced), expected, `${name}, round ${round}:\n${spaced}`);
    }
  }
});

Deno.test("comments put anywhere are kept, in order, and formatting them is idempotent", () => {
  const next = rng(0xc0de);
  const sources = [
    ...specNames().map(specSource),
    Deno.readTextFileSync(`${ROOT}bench/counters.vigil`),
  ];
  let cases = 0;
  for (const source of sources) {
    const tokens = tokenize(oneLine(source)).tokens.filter((t) => t.kind !== "eof");
    for (let round = 0; round < 10; round++) {
      const written: string[] = [];
      const text = tokens.map((t) => {
        const r = next();
        if (r < 0.08) {
          written.push(`// t${written.length}`);
          return `${t.text} ${written.at(-1)}\n`;
        }
        if (r < 0.16) {
          written.push(`// own ${written.length}`);
          return `${t.text}\n${next() < 0.5 ? "\n" : ""}${written.at(-1)}\n`;
        }
        return `${t.text} `;
      }).join("");
      const once = format(text);
      assert.equal(format(once), once, `formatting twice differs:\n${text}`);
      assert.deepEqual(once.match(/\/\/[^\n]*/g) ?? [], written, `comments changed:\n${text}`);
      assert.equal(oneLine(once), oneLine(text));
      cases++;
    }
  }
  assert.ok(cases >= 80);
});

Deno.test("the fuzz mutants of a commented spec that parse keep their comments", () => {
  const next = rng(0xfade);
  const source = specSource("raft");
  let kept = 0;
  for (let i = 0; i < 400; i++) {
    const mutant = mutate(source, next);
    const result = formatSpec(mutant);
    if ("diagnostics" in result) continue;
    const before = tokenize(mutant);
    assert.deepEqual(before.diagnostics, []);
    assert.equal(format(result.text), result.text, `mutant #${i}:\n${mutant}`);
    kept++;
  }
  assert.ok(kept >= 20, `only ${kept} mutants parse`);
});

Deno.test("the examples of docs/formatting.md are what the formatter writes", () => {
  const doc = Deno.readTextFileSync(`${ROOT}docs/formatting.md`);
  const blocks = [...doc.matchAll(/```\w*\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const layout = blocks.find((b) => b.includes("spec Lease"));
  assert.ok(layout !== undefined, "the layout example");
  assert.equal(format(layout), layout);
  const long = blocks.find((b) => b.includes("or c == 0"));
  assert.ok(long !== undefined, "the long-lines example");
  // The example shows statements of an action, without the action's indentation.
  const body = long.split("\n").map((l) => (l === "" ? l : `    ${l}`)).join("\n");
  const spec = `spec D\n  action act(c: C)\n${body}`;
  assert.equal(format(spec), spec);
});

/** A random spec text using every construct of the grammar (it may not check; it mostly parses). */
function randomSpec(next: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const names = ["x", "y", "m", "count", "sum", "nodes", "Long_name_with_digits_123"];
  const expr = (depth: number): string => {
    if (depth <= 0 || next() < 0.25) {
      return pick([...names, "0", "42", "1_000", "true", "false"]);
    }
    const e = () => expr(depth - 1);
    switch (Math.floor(next() * 13)) {
      case 0:
        return `(${e()})`;
      case 1:
        return `not ${e()}`;
      case 2:
        return `-${e()}`;
      case 3:
      case 4:
      case 5: {
        const op = pick([
          "implies",
          "or",
          "and",
          "==",
          "!=",
          "<",
          "<=",
          ">",
          ">=",
          "+",
          "-",
          "*",
          "/",
          "%",
        ]);
        return `${e()} ${op} ${e()}`;
      }
      case 6:
        return `prev(${e()})`;
      case 7:
        return `${pick(names)}[${e()}]`;
      case 8:
        return `${pick(names)}.${pick(names)}`;
      case 9:
        return `if ${e()} then ${e()} else ${e()}`;
      case 10:
        return `${pick(["forall", "exists"])} a, b: ${pick(["K", "0..3", "(K)"])}: ${e()}`;
      case 11:
        return `${pick(["forall", "exists"])} n in nodes: ${e()}`;
      default:
        return `${pick(["count", "sum"])}(${pick(["c: K", "p, q in nodes"])}: ${e()})`;
    }
  };
  const items: string[] = [
    `const C = ${expr(3)}`,
    `type K = enum { a, b${next() < 0.5 ? "," : ""} }`,
    `type R = ${pick(["-3..-1", "0..C", "(C - 1)..(C + 1)"])}`,
    `type N = ${pick(["K", "(K)", "((R))"])}`,
    `state m: map[K, ${pick(["R", "int", "bool", "0..9"])}] = ${expr(2)}`,
    `state x: int`,
    `init x := ${expr(2)} m[a] := ${expr(2)}`,
    `action act${pick(["", "()", "(p: K)", "(p: K, q: 0..3,)"])} require ${expr(4)} x := ${
      expr(4)
    } m[${expr(1)}] := ${expr(3)}`,
    `${pick(["", "global "])}invariant I ${expr(5)}`,
    `terminal T ${expr(3)}`,
    `${pick(["", "global "])}liveness L within ${pick(["1ms", "30s", "2m"])} when ${
      expr(3)
    } then eventually ${expr(3)}`,
  ];
  const text = `spec Gen ${items.filter(() => next() < 0.8).join(" ")}`;
  // White space and comments between the words.
  return text.split(" ").map((w) => {
    const r = next();
    const sep = r < 0.6
      ? " "
      : r < 0.8
      ? "\n"
      : r < 0.88
      ? "\n\n   "
      : r < 0.94
      ? " // note\n"
      : "\n// own\n";
    return w + sep;
  }).join("").replace(/\s+$/, next() < 0.5 ? "" : "\n");
}

Deno.test("generated specs of every construct: idempotent, tokens and comments kept", () => {
  const next = rng(0x9e4e);
  let parsed = 0;
  for (let i = 0; i < 1500; i++) {
    const source = randomSpec(next);
    const result = formatSpec(source);
    if ("diagnostics" in result) continue;
    parsed++;
    assert.equal(format(result.text), result.text, `spec #${i}:\n${source}`);
    assert.ok(sameContent(source, result.text), `spec #${i}:\n${source}`);
    assert.ok(
      !/[ \t]$/m.test(result.text),
      `trailing white space:\n${JSON.stringify(result.text)}`,
    );
    assert.ok(!result.text.includes("\n\n\n"), `two blank lines:\n${result.text}`);
  }
  assert.ok(parsed >= 500, `only ${parsed} of 1500 generated specs parse`);
});
