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

const ROOT_URL = new URL("../", import.meta.url);

/** Every folder of the code areas, two levels deep (`lib/wire`, `edge/engine`, ...). */
function codeFolders(): string[] {
  const out: string[] = [];
  for (const area of ["lib", "runtime", "edge", "cli"]) {
    for (const e of Deno.readDirSync(new URL(`${area}/`, ROOT_URL))) {
      if (e.isDirectory && e.name !== "testdata") out.push(`${area}/${e.name}`);
    }
  }
  return out.sort();
}

/** Paths quoted in a Markdown text (`x/y/`, `x/y.ts`) that start with a code area. */
function quotedPaths(text: string): string[] {
  const out = new Set<string>();
  for (
    const m of text.matchAll(/`((?:lib|runtime|edge|cli|tools|bench|tests|docs)\/[\w./{},-]*)`/g)
  ) {
    const p = m[1]!;
    // `runtime/transports/{nats,jetstream}.ts` stands for each of its alternatives.
    const brace = /\{([^}]*)\}/.exec(p);
    if (brace === null) out.add(p.replace(/\/$/, ""));
    else {for (const alt of brace[1]!.split(",")) {
        out.add(p.replace(brace[0], alt).replace(/\/$/, ""));
      }}
  }
  return [...out].sort();
}

function exists(path: string): boolean {
  try {
    Deno.statSync(new URL(path, ROOT_URL));
    return true;
  } catch {
    return false;
  }
}

Deno.test("docs/architecture.md names only paths that exist and every folder of lib/, runtime/, edge/ and cli/", () => {
  const text = Deno.readTextFileSync(new URL("docs/architecture.md", ROOT_URL));
  const paths = quotedPaths(text);
  assert.ok(paths.length > 40, `${paths.length} paths quoted`);
  assert.deepEqual(paths.filter((p) => !exists(p)), [], "paths that do not exist");
  const missing = codeFolders().filter((f) =>
    !text.includes(`${f}/`) && !text.includes(`\`${f}\``)
  );
  assert.deepEqual(missing, [], "folders the architecture does not mention");
});

Deno.test("The README's Layout section names every folder of lib/, runtime/, edge/ and cli/, and nothing that does not exist", () => {
  const readme = Deno.readTextFileSync(new URL("README.md", ROOT_URL));
  const layout = /## Layout\n[\s\S]*?```\n([\s\S]*?)```/.exec(readme)![1]!;
  const named = new Set<string>();
  let area = "";
  for (const line of layout.split("\n")) {
    const head = /^(\S+)/.exec(line)?.[1];
    if (head !== undefined) {
      named.add(head.replace(/\/$/, ""));
      area = head.split("/")[0]!;
    }
    // Sub-folders listed in the description (`monitor/`, `codegen/`) belong to the line's area.
    for (const m of line.slice(16).matchAll(/\b([a-z_]+)\//g)) named.add(`${area}/${m[1]}`);
  }
  assert.deepEqual(codeFolders().filter((f) => !named.has(f)), [], "folders not in Layout");
  const heads = layout.split("\n").map((l) => /^(\S+)/.exec(l)?.[1]).filter((h) => h !== undefined);
  assert.deepEqual(
    heads.filter((h) => !exists(h!.replace(/\/$/, ""))),
    [],
    "names that do not exist",
  );
});
