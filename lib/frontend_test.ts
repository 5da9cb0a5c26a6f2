import assert from "node:assert/strict";
import { analyze } from "./frontend.ts";

Deno.test("analyze returns the program of a valid spec with no diagnostics", () => {
  const r = analyze("spec Toggle\nstate on: bool = false\naction flip\n  on := not on\n");
  assert.deepEqual(r.diagnostics, []);
  assert.equal(r.ast?.name, "Toggle");
  assert.equal(r.program?.actions[0]?.name, "flip");
  assert.ok(r.spans.size > 0);
});

Deno.test("analyze checks the rest of a spec after a syntax error and reports both", () => {
  const source = "spec Bad\nstate x: int = 0\naction a\n  x := y\ninvariant I x ==\n";
  const r = analyze(source);
  assert.equal(r.program, null);
  assert.deepEqual(
    r.diagnostics.map((d) => `${d.code} ${source.slice(d.span.start, d.span.end)}`),
    ["VIG202 y", "VIG101 "],
  );
});

Deno.test("analyze does not report again what an abandoned item declared", () => {
  // 'x', 'Mode' and its labels, 'K' come from items cut short by a syntax error; the
  // abandoned init hides which variables it sets. Only the syntax errors and 'w' remain.
  const source = [
    "spec Broken",
    "const K = (1 +",
    "type Mode = enum { on, off",
    "state x: int = (",
    "state m: Mode = on",
    "state n: int",
    "init",
    "  n := K )",
    "action a(k: Mode)",
    "  require k == off and x < K",
    "  x := x + 1",
    "  m := k",
    "  n := w",
    "",
  ].join("\n");
  const r = analyze(source);
  assert.equal(r.program, null);
  const found = r.diagnostics.map((d) => `${d.code} ${source.slice(d.span.start, d.span.end)}`);
  assert.deepEqual(found, [
    "VIG101 type",
    "VIG107 state",
    "VIG101 state",
    "VIG108 )",
    "VIG202 w",
  ]);
});

Deno.test("analyze abandons a liveness item with an invalid duration instead of checking it as zero", () => {
  const r = analyze(
    "spec S\nstate on: bool = false\nliveness L within 5h when on then eventually not on\n",
  );
  assert.deepEqual(r.diagnostics.map((d) => d.code), ["VIG003"]);
});

Deno.test("analyze sorts checker diagnostics by position", () => {
  const source = "spec Bad\ninvariant J w\nstate x: int = 0\naction a\n  x := y\n";
  const r = analyze(source);
  assert.equal(r.program, null);
  assert.deepEqual(r.diagnostics.map((d) => source.slice(d.span.start, d.span.end)), ["w", "y"]);
});

Deno.test("analyze without a spec header reports it and has no tree", () => {
  const r = analyze("state x: int = 0\n");
  assert.equal(r.program, null);
  assert.ok(r.diagnostics.length > 0);
});
