/**
 * `vigil lsp` from the npm package, under Node and under Bun: the package
 * built by `buildNpmOnce` (`deno task build:npm`'s output), its bin
 * started as an editor starts it (under Node through a symbolic link, as
 * npm's `node_modules/.bin/vigil` is one; under Bun as `bun cli/main.js`),
 * driven over standard input and output by the test client. Its peers
 * `vscode-languageserver` and `vscode-languageserver-textdocument` resolve
 * from the repository's `node_modules`, at the versions `deno.json` pins.
 */
import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
import { mkdtemp, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildNpmOnce } from "../tools/build_npm.ts";
import { LspClient } from "../tools/harness/lsp_client.ts";
import { npmTool } from "../tools/harness/npm_tool.ts";
import { ROOT } from "../tools/harness/spec_files.ts";

const LEASE = readFileSync(`${ROOT}specs/lease.vigil`, "utf8");

/** Starts the package's `vigil lsp` under `runtime`. */
async function startPackaged(
  runtime: "node" | "bun",
): Promise<{ client: LspClient; cleanup: () => void }> {
  const { outDir, needs } = await buildNpmOnce({ log: () => {} });
  assert.deepEqual(
    [...(needs["vigil lsp"]?.runtime ?? [])].sort(),
    ["vscode-languageserver", "vscode-languageserver-textdocument"],
    "the package names the language server's packages as what 'vigil lsp' loads",
  );
  const main = join(outDir, "cli", "main.js");
  if (runtime === "bun") {
    return {
      client: LspClient.start(await npmTool("bun"), [main, "lsp"], { cwd: ROOT }),
      cleanup: () => {},
    };
  }
  const dir = await mkdtemp(join(tmpdir(), "vigil-lsp-node-"));
  const bin = join(dir, "vigil");
  await symlink(main, bin);
  return {
    client: LspClient.start(bin, ["lsp", "--stdio"], { cwd: ROOT }),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

for (const runtime of ["node", "bun"] as const) {
  const name = runtime === "node" ? "Node" : "Bun";
  Deno.test(`Under ${name}, the npm package's vigil lsp publishes diagnostics, answers hover and exits 0 after shutdown`, async () => {
    const { client, cleanup } = await startPackaged(runtime);
    try {
      const init = await client.request<
        { capabilities: Record<string, unknown>; serverInfo: { name: string; version: string } }
      >(
        "initialize",
        { processId: null, rootUri: null, capabilities: {} },
      );
      client.notify("initialized", {});
      const version = JSON.parse(readFileSync(`${ROOT}deno.json`, "utf8")).version;
      assert.deepEqual(init.serverInfo, { name: "vigil", version });
      assert.ok(init.capabilities["hoverProvider"]);

      // A broken copy of the lease: an unknown name in a guard.
      const broken = LEASE.replace("require mode == free", "require mode == fre");
      const uri = "file:///tmp/lease-broken.vigil";
      client.notify("textDocument/didOpen", {
        textDocument: { uri, languageId: "vigil", version: 1, text: broken },
      });
      const published = (await client.notification("textDocument/publishDiagnostics", {
        accept: (p) => (p as { uri: string }).uri === uri,
      })).params as {
        diagnostics: { code: string; range: { start: { line: number; character: number } } }[];
      };
      const line = broken.split("\n").findIndex((l) => l.includes("mode == fre"));
      const character = broken.split("\n")[line]!.indexOf("fre");
      assert.ok(
        published.diagnostics.some((d) =>
          /^VIG2\d\d$/.test(d.code) && d.range.start.line === line &&
          d.range.start.character === character
        ),
        JSON.stringify(published.diagnostics),
      );

      const hover = await client.request<{ contents: { value: string } }>("textDocument/hover", {
        textDocument: { uri },
        position: { line, character: broken.split("\n")[line]!.indexOf("mode") },
      });
      assert.match(hover.contents.value, /state mode: Mode = free/);

      assert.equal(await client.request("shutdown", null), null);
      client.notify("exit", null);
      assert.equal(await client.exited, 0);
    } finally {
      await client.close();
      cleanup();
    }
  });
}
