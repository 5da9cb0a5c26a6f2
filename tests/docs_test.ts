/** Docs that are generated must match their sources. */
import assert from "node:assert/strict";
import { renderDiagnosticsDoc } from "../tools/gen_diagnostics_doc.ts";
import { allCodes } from "../tools/diagnostic_codes.ts";
import { ROOT } from "../tools/harness/spec_files.ts";

Deno.test("docs/diagnostics.md lists exactly the codes of the code tables", async () => {
  const doc = await Deno.readTextFile(`${ROOT}docs/diagnostics.md`);
  assert.equal(doc, renderDiagnosticsDoc(), "stale: run `deno task docs:diagnostics`");
});

Deno.test("every diagnostic code raised in lib/ is declared in a code table", async () => {
  const declared = new Set(allCodes().map(([c]) => c));
  const used = new Set<string>();
  for await (const e of Deno.readDir(`${ROOT}lib`)) {
    if (!e.isFile || !e.name.endsWith(".ts") || e.name.endsWith("_test.ts")) continue;
    if (/_codes\.ts$/.test(e.name)) continue;
    const text = await Deno.readTextFile(`${ROOT}lib/${e.name}`);
    for (const m of text.matchAll(/["'`](VIG\d{3})["'`]/g)) used.add(m[1]!);
  }
  const undeclared = [...used].filter((c) => !declared.has(c));
  assert.deepEqual(undeclared, []);
});
