import assert from "node:assert/strict";
import { CHECK_CODES } from "./type_codes.ts";
import { check } from "./checker.ts";
import { MAX_QUANT_COST } from "./cost.ts";
import { parse } from "../syntax/parser.ts";
import { LineIndex } from "../syntax/source.ts";

/** `CODE line:col message` of each diagnostic of `body` checked as the last item of a small spec. */
function diagnose(body: string): string[] {
  const source = `spec C\ntype K = 0..65535\nstate m: map[0..3, int] = 0\n${body}\n`;
  const index = new LineIndex(source);
  return check(parse(source), source).diagnostics.map((d) => {
    const p = index.position(d.span.start);
    return `${d.code} ${p.line}:${p.column} ${d.message}`;
  });
}

Deno.test("the quantifier cost limit is 2^20 body evaluations, as the code table and the docs say", async () => {
  assert.equal(MAX_QUANT_COST, 1_048_576n);
  assert.match(CHECK_CODES.VIG415.help, /at most 1048576 \(2\^20\) times/);
  const language = await Deno.readTextFile(new URL("../../docs/language.md", import.meta.url));
  assert.match(language, /An expression may cost at most \*\*1,048,576\*\* \(2\^20\)/);
});

Deno.test("check accepts a nest that costs exactly the limit and refuses one more value", () => {
  // 1024 * 1024 = 1048576: at the limit.
  assert.deepEqual(
    diagnose("invariant I forall a: 0..1023: forall b: 0..1023: a <= b or a > b"),
    [],
  );
  // 1024 * 1025 = 1049600: over it, reported at the outer quantifier.
  assert.deepEqual(diagnose("invariant I forall a: 0..1023: forall b: 0..1024: a <= b or a > b"), [
    "VIG415 4:13 'forall' evaluates its body an estimated 1049600 times, more than the limit of 1048576",
  ]);
});

Deno.test("check multiplies binders, adds siblings and counts a nodes quantifier once", () => {
  // Two binders over 0..1024 in one quantifier: 1025^2 = 1050625.
  assert.deepEqual(diagnose("invariant I count(a, b: 0..1024: a < b) > 0"), [
    "VIG415 4:13 'count' evaluates its body an estimated 1050625 times, more than the limit of 1048576",
  ]);
  // Siblings inside a body add: 1024 * (512 + 513) = 1049600.
  assert.deepEqual(
    diagnose("invariant I exists a: 0..1023: (forall b: 0..511: a != b) and sum(c: 0..512: c) > a"),
    [
      "VIG415 4:13 'exists' evaluates its body an estimated 1049600 times, more than the limit of 1048576",
    ],
  );
  // Separate quantifiers each within the limit add past it: 65536 * 16 + 4 = 1048580.
  const parts = Array(16).fill("(forall a: K: a >= 0)");
  parts.push("(exists i: 0..3: m[i] > 0)");
  assert.deepEqual(diagnose(`invariant I ${parts.join(" and ")}`), [
    "VIG415 4:13 This expression evaluates quantifier bodies an estimated 1048580 times in all, " +
    "more than the limit of 1048576",
  ]);
  // 'nodes' counts 1 per tuple of monitors: 65536 * 16 = 1048576 is within; 17 values over it.
  assert.deepEqual(
    diagnose(
      "global invariant G forall a, b in nodes: forall k: K: exists j: 0..15: a.m[0] != k + j",
    ),
    [],
  );
  assert.deepEqual(
    diagnose(
      "global invariant G forall a, b in nodes: forall k: K: exists j: 0..16: a.m[0] != k + j",
    ),
    [
      "VIG415 4:20 'forall' evaluates its body an estimated 1114112 times, more than the limit of 1048576",
    ],
  );
});

Deno.test("check reports a costly quantifier in every kind of expression and the other errors too", () => {
  const source = [
    "spec C",
    "type K = 0..65535",
    "state x: int = 0",
    "init x := sum(a: K: sum(b: K: 1))",
    "action go(k: K) require forall a: K: exists b: K: a != b + k x := count(a: K: count(b: K: true) > 0)",
    "liveness L within 1s when forall a: K: forall b: K: a != b then eventually exists a: K: exists b: K: a == b",
    "invariant Unknown nope > 0",
  ].join("\n");
  const index = new LineIndex(source);
  const got = check(parse(source), source).diagnostics.map((d) => {
    const p = index.position(d.span.start);
    return `${d.code} ${p.line}:${p.column}`;
  });
  assert.deepEqual(got.sort(), [
    "VIG202 7:19",
    "VIG415 4:11",
    "VIG415 5:25",
    "VIG415 5:67",
    "VIG415 6:27",
    "VIG415 6:76",
  ]);
});

Deno.test("check spells astronomic costs as powers of two", () => {
  const nest = Array.from({ length: 150 }, (_, i) => `forall v${i}: bool:`).join(" ");
  const [d] = diagnose(`invariant I ${nest} true`);
  assert.match(d ?? "", /^VIG415 4:13 'forall' evaluates its body an estimated 2\^150 times/);
  const odd = Array.from({ length: 60 }, (_, i) => `exists v${i}: 0..2:`).join(" ");
  // 3^60 is between 2^95 and 2^96.
  assert.match(diagnose(`invariant I ${odd} true`)[0] ?? "", /estimated more than 2\^95 times/);
});
