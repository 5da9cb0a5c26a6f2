/**
 * A spec with five independent mistakes (a typo in a name, a type
 * mismatch, `&&`, a missing init, `prev` in a guard) gets all five in one
 * run, each with its code, line and column and no second error caused by
 * another: from `compile` and from `vigil compile`, with any line ends.
 */
import assert from "node:assert/strict";
import { compile } from "../lib/compile.ts";
import { LineIndex } from "../lib/syntax/source.ts";
import { runVigil } from "./cli_process.ts";

const FIVE = [
  "spec Five",
  "  type Client = 0..3",
  "  state owner: Client = 0",
  "  state count: int",
  "  state busy: bool = false",
  "",
  "  action acquire(c: Client)",
  "    require owner == 0 && not busy",
  "    require prev(owner) == 0",
  "    owner := c",
  "    busy := ownr == 0",
  "    count := true",
  "",
].join("\n");

/** The five, as `CODE line:column`, in source order. */
const EXPECTED = [
  "VIG406 4:9", // missing init: 'count' has no default and no 'init'
  "VIG001 8:24", // '&&' is spelled 'and'
  "VIG401 9:13", // 'prev' in a guard
  "VIG202 11:13", // 'ownr' is a typo of 'owner'
  "VIG305 12:14", // 'true' assigned to an int
];

Deno.test("compile reports the five independent mistakes at once, and nothing else", async () => {
  for (const source of [FIVE, FIVE.replaceAll("\n", "\r\n"), FIVE.replaceAll("\n", "\r")]) {
    const result = await compile(source, { fileName: "five.vigil" });
    assert.equal(result.files.size, 0);
    assert.equal(result.program, null);
    const index = new LineIndex(source);
    const found = result.diagnostics.map((d) => {
      const { line, column } = index.position(d.span.start);
      return `${d.code} ${line}:${column}`;
    });
    assert.deepEqual(found, EXPECTED);
    const messages = result.diagnostics.map((d) => d.message);
    assert.match(messages[1]!, /'&&'; write 'and'/);
    assert.match(messages[3]!, /Unknown name 'ownr'.*did you mean 'owner'/);
  }
});

Deno.test("vigil compile prints the five mistakes with their lines and columns and fails", async () => {
  const dir = await Deno.makeTempDir({ prefix: "vigil-five-" });
  try {
    await Deno.writeTextFile(`${dir}/five.vigil`, FIVE);
    const run = await runVigil(["compile", `${dir}/five.vigil`, "--out", `${dir}/out`]);
    assert.notEqual(run.code, 0);
    const cited = [...run.stderr.matchAll(/five\.vigil:(\d+):(\d+): error (VIG\d{3})/g)]
      .map((m) => `${m[3]} ${m[1]}:${m[2]}`);
    assert.deepEqual(cited, EXPECTED, run.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
