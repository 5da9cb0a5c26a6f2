/**
 * The formatter's cost, beside the parser it starts with: `formatSpec` on
 * each spec of `specs/` (one parse, the layout, and its own check that the
 * output keeps every token and comment), against `parse` of the same text.
 * An editor formats on save; a spec of this repository takes about a
 * millisecond.
 *
 * `deno bench -A bench/fmt_bench.ts`
 *
 * @module
 */
import { formatSpec } from "../lib/format/mod.ts";
import { parse } from "../lib/syntax/parser.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const SPECS = [...Deno.readDirSync(`${ROOT}specs`)]
  .filter((e) => e.isFile && e.name.endsWith(".vigil"))
  .map((e) => Deno.readTextFileSync(`${ROOT}specs/${e.name}`))
  .sort();

/** The repository's specs squeezed: each line's white space collapsed, indentation removed. */
const MESSY = SPECS.map((s) => s.split("\n").map((l) => l.trim().replace(/\s+/g, " ")).join("\n"));

Deno.bench({
  name: "parse every spec of specs/",
  group: "fmt",
  baseline: true,
  fn() {
    for (const s of SPECS) parse(s);
  },
});

Deno.bench({
  name: "formatSpec every spec of specs/ (already formatted)",
  group: "fmt",
  fn() {
    for (const s of SPECS) formatSpec(s);
  },
});

Deno.bench({
  name: "formatSpec every spec of specs/, layout undone",
  group: "fmt",
  fn() {
    for (const s of MESSY) formatSpec(s);
  },
});
