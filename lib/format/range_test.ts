import assert from "node:assert/strict";
import { formatRange, formatSpec } from "./mod.ts";
import { apply } from "./range.ts";
import { sameContent } from "./content.ts";
import { rng } from "../../tools/harness/spec_mutations.ts";
import { specNames, specSource } from "../../tools/harness/spec_files.ts";

const MESSY = [
  "spec R",
  "  state  x:int=0",
  "  state  y:int=0",
  "  action   inc require x<3",
  "    x:=x+1",
  "  action dec",
  "      require x>0 x:=x-1",
  "",
].join("\n");

function edits(source: string, start: number, end: number) {
  const result = formatRange(source, { start, end });
  assert.ok("edits" in result, JSON.stringify(result));
  return result.edits;
}

Deno.test("formatRange formats the lines the range touches and leaves the others as they are", () => {
  const at = MESSY.indexOf("action   inc");
  const out = apply(MESSY, edits(MESSY, at, MESSY.indexOf("x+1") + 3));
  assert.equal(
    out,
    [
      "spec R",
      "  state  x:int=0",
      "  state  y:int=0",
      "",
      "  action inc",
      "    require x < 3",
      "    x := x + 1",
      "  action dec",
      "      require x>0 x:=x-1",
      "",
    ].join("\n"),
  );
  assert.ok(sameContent(MESSY, out));
});

Deno.test("formatRange formats whole lines: a range within one line formats that line only", () => {
  const at = MESSY.indexOf("state  y");
  assert.deepEqual(edits(MESSY, at, at + 1), [{
    span: { start: at - 2, end: MESSY.indexOf("  action") },
    text: "  state y: int = 0\n",
  }]);
});

Deno.test("formatRange over the whole text gives the formatted text; over formatted lines, no edit", () => {
  const whole = apply(MESSY, edits(MESSY, 0, MESSY.length));
  const formatted = formatSpec(MESSY);
  assert.ok("text" in formatted);
  assert.equal(whole, formatted.text);
  const lease = specSource("lease");
  assert.deepEqual(edits(lease, 0, lease.length), []);
});

Deno.test("formatRange keeps CRLF line ends and points into the text as given", () => {
  const crlf = MESSY.replaceAll("\n", "\r\n");
  const at = crlf.indexOf("x:=x-1");
  const out = apply(crlf, edits(crlf, at, at + 1));
  assert.ok(out.includes("  action dec\r\n    require x > 0\r\n    x := x - 1\r\n"), out);
  assert.ok(out.startsWith("spec R\r\n  state  x:int=0\r\n"));
  assert.ok(!/[^\r]\n/.test(out), "a bare LF in a CRLF text");
});

Deno.test("formatRange refuses a spec that does not parse with its diagnostics", () => {
  const result = formatRange("spec R\n  state x: int =\n", { start: 0, end: 5 });
  assert.ok("diagnostics" in result);
  assert.deepEqual(result.diagnostics.map((d) => d.code), ["VIG101"]);
});

Deno.test("random ranges of messy specs: the edits keep every token and comment, and the rest of the text", () => {
  const next = rng(0x7a9e);
  let partial = 0;
  for (const name of specNames()) {
    // Each spec with its layout undone: every run of white space inside a line becomes one space,
    // indentation removed.
    const messy = specSource(name).split("\n").map((l) => l.trim().replace(/\s+/g, " ")).join("\n");
    const formatted = formatSpec(messy);
    assert.ok("text" in formatted);
    for (let round = 0; round < 20; round++) {
      const a = Math.floor(next() * messy.length);
      const b = Math.min(messy.length, a + Math.floor(next() * 200));
      const result = edits(messy, a, b);
      const out = apply(messy, result);
      assert.ok(sameContent(messy, out), `${name} [${a}, ${b})`);
      // Formatting the rest afterwards gives the fully formatted text.
      const again = formatSpec(out);
      assert.ok("text" in again);
      assert.equal(again.text, formatted.text);
      if (out !== formatted.text && out !== messy) partial++;
      for (const e of result) {
        assert.ok(e.span.start <= e.span.end && e.span.end <= messy.length);
      }
    }
  }
  assert.ok(partial >= 40, `only ${partial} ranges formatted part of a spec`);
});
