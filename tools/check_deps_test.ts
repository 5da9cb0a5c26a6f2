import assert from "node:assert/strict";
import { layeringProblems, readProject } from "./check_deps.ts";

/** The problems of a small project made of `files` (path -> text). */
function problems(files: Record<string, string>): string[] {
  return layeringProblems(new Map(Object.entries(files)));
}

const ok = "export const x = 1;";

Deno.test("check:deps passes on the repository as it is", async () => {
  const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
  assert.deepEqual(layeringProblems(await readProject(root)), []);
});

Deno.test("check:deps refuses an import from edge/ into runtime/ and the reverse", () => {
  assert.match(
    problems({ "edge/a.ts": 'import { x } from "../runtime/b.ts";', "runtime/b.ts": ok }).join(),
    /edge\/a\.ts: imports '\.\.\/runtime\/b\.ts' \(runtime\) from edge/,
  );
  assert.match(
    problems({ "runtime/a.ts": 'import { x } from "../edge/engine/b.ts";', "edge/engine/b.ts": ok })
      .join(),
    /runtime\/a\.ts: imports .* \(edge\) from runtime/,
  );
  // Both may stand on the ground.
  assert.deepEqual(
    problems({
      "runtime/a.ts": 'import { x } from "../lib/wire/b.ts";',
      "edge/a.ts": 'import type { y } from "../lib/abi/c.ts";',
      "lib/wire/b.ts": ok,
      "lib/abi/c.ts": ok,
    }),
    [],
  );
});

Deno.test("check:deps refuses the SDK or the collector importing the compiler, and the ground importing above it", () => {
  assert.equal(
    problems({
      "runtime/a.ts": 'import { compile } from "../lib/compile.ts";',
      "lib/compile.ts": ok,
    })
      .length,
    1,
  );
  assert.equal(
    problems({ "edge/a.ts": 'import { x } from "../lib/ir.ts";', "lib/ir.ts": ok }).length,
    1,
  );
  assert.equal(
    problems({ "lib/abi/a.ts": 'import { x } from "../ir.ts";', "lib/ir.ts": ok }).length,
    1,
  );
  assert.equal(
    problems({ "lib/wire/a.ts": 'import { x } from "../../runtime/b.ts";', "runtime/b.ts": ok })
      .length,
    1,
  );
});

Deno.test("check:deps refuses mod.ts reaching @nats-io, hono or msgpackr, however deep", () => {
  const face = {
    "mod.ts": 'export * from "./runtime/mod.ts";',
    "runtime/mod.ts": 'export { t } from "./transports/t.ts";',
  };
  for (const pkg of ["@nats-io/jetstream", "npm:hono@4", "msgpackr"]) {
    const found = problems({
      ...face,
      "runtime/transports/t.ts": `import { q } from "${pkg}";\nexport const t = q;`,
    });
    assert.ok(
      found.some((p) => p.startsWith("mod.ts reaches") && p.includes("runtime/transports/t.ts")),
      `${pkg}: ${found.join("; ")}`,
    );
  }
  assert.deepEqual(
    problems({ ...face, "runtime/transports/t.ts": ok }),
    [],
    "a face without them passes",
  );
});

Deno.test("check:deps keeps each third-party package behind its wall", () => {
  assert.match(
    problems({ "edge/engine/a.ts": 'import { connect } from "@nats-io/transport-node";' }).join(),
    /outside its wall/,
  );
  assert.match(
    problems({ "lib/syntax/a.ts": 'import b from "binaryen";' }).join(),
    /outside its wall/,
  );
  assert.match(
    problems({ "edge/engine/a.ts": 'import { Hono } from "hono";' }).join(),
    /outside its wall/,
  );
  assert.deepEqual(problems({ "edge/server/a.ts": 'import { Hono } from "hono";' }), []);
});

Deno.test("check:deps keeps benchmarks off tests/ and cli/, and examples on public specifiers", () => {
  assert.match(
    problems({ "bench/a.ts": 'import { x } from "../tests/fixture.ts";' }).join(),
    /from tests\//,
  );
  assert.match(
    problems({ "bench/a.ts": 'import { x } from "../cli/flags.ts";', "cli/flags.ts": ok }).join(),
    /cli\/ internals/,
  );
  assert.match(
    problems({ "examples/x/main.ts": 'import { loadSpec } from "../../runtime/mod.ts";' }).join(),
    /public specifiers/,
  );
  assert.deepEqual(
    problems({
      "examples/x/main.ts":
        'import { loadSpec } from "@vigil/vigil";\nimport { a } from "../support/a.ts";\nimport { Hono } from "hono";',
      "examples/support/a.ts": ok,
    }),
    [],
  );
});

Deno.test("check:deps ignores tests and doc examples", () => {
  assert.deepEqual(
    problems({
      "runtime/a_test.ts": 'import { x } from "../edge/b.ts";',
      "tests/t.ts": 'import { x } from "../edge/b.ts";',
      "runtime/c.ts":
        '/**\n * ```ts\n * import { x } from "../edge/b.ts";\n * ```\n */\nexport const c = 1;',
    }),
    [],
  );
});

Deno.test("check:deps keeps editor/ on lib/ and the ground, imported only by cli/, and the protocol library in editor/lsp/", () => {
  const server = { "editor/lsp/server.ts": ok };
  // The editor may stand on the compiler and the ground, and the CLI may import it.
  assert.deepEqual(
    problems({
      "editor/lsp/a.ts":
        'import { analyze } from "../../lib/frontend.ts";\nimport { x } from "../../lib/abi/b.ts";\nimport { TextDocuments } from "vscode-languageserver";\nimport { TextDocument } from "vscode-languageserver-textdocument";',
      "cli/lsp_command.ts": 'import { serveLanguage } from "../editor/lsp/server.ts";',
      "lib/frontend.ts": ok,
      "lib/abi/b.ts": ok,
      ...server,
    }),
    [],
  );
  // Not on the SDK or the collector.
  assert.match(
    problems({ "editor/lsp/a.ts": 'import { x } from "../../runtime/b.ts";', "runtime/b.ts": ok })
      .join(),
    /editor\/lsp\/a\.ts: imports .* \(runtime\) from editor/,
  );
  assert.match(
    problems({ "editor/lsp/a.ts": 'import { x } from "../../edge/b.ts";', "edge/b.ts": ok }).join(),
    /\(edge\) from editor/,
  );
  // Nothing but the CLI imports it: not the compiler, the SDK, the tools or the package's face.
  for (const from of ["lib/a.ts", "runtime/a.ts", "edge/a.ts", "tools/a.ts", "bench/a.ts"]) {
    const up = "../".repeat(from.split("/").length - 1);
    assert.match(
      problems({ [from]: `import { x } from "${up}editor/lsp/server.ts";`, ...server }).join(),
      /\(editor\) from /,
      from,
    );
  }
  assert.match(
    problems({ "mod.ts": 'import { x } from "./editor/lsp/server.ts";', ...server }).join(),
    /\(editor\) from root/,
  );
  // The protocol library stays behind its wall.
  assert.match(
    problems({ "lib/a.ts": 'import { TextDocuments } from "vscode-languageserver";' }).join(),
    /outside its wall \(editor\/lsp\/\)/,
  );
  assert.match(
    problems({ "cli/a.ts": 'import { TextDocument } from "vscode-languageserver-textdocument";' })
      .join(),
    /outside its wall/,
  );
});
