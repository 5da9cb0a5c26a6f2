import assert from "node:assert/strict";
import { analyze } from "./frontend.ts";

Deno.test("analyze returns the program of a valid spec with no diagnostics", () => {
  const r = analyze("spec Toggle\nstate on: bool = false\naction flip\n  on := not on\n");
  assert.deepEqual(r.diagnostics, []);
  assert.equal(r.ast?.name, "Toggle");
  assert.equal(r.program?.actions[0]?.name, "flip");
  assert.ok(r.spans.size > 0);
});

Deno.test("analyze skips the checker when parsing reports errors", () => {
  // 'y' is unknown, but only the syntax error is reported.
  const r = analyze("spec Bad\nstate x: int = 0\naction a\n  x := y\ninvariant I x ==\n");
  assert.equal(r.program, null);
  assert.ok(r.diagnostics.length > 0);
  assert.ok(
    r.diagnostics.every((d) => Number(d.code.slice(3)) < 200),
    JSON.stringify(r.diagnostics),
  );
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
