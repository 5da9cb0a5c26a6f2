/**
 * The VS Code extension's client (`editor/vscode/extension.js`) under real
 * Node, with the `vscode` module and `vscode-languageclient/node` replaced
 * by recording stand-ins (VS Code itself cannot run here): it starts the
 * command of the `vigil.server.path` and `vigil.server.args` settings for
 * `vigil` documents, restarts it when those settings change, and says which
 * setting to change when the server cannot start. That the server it
 * starts answers an editor is `tests/lsp_server_test.ts`; that the package
 * holds this file and the real client library is `tests/lsp_vsix_test.ts`.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../tools/harness/spec_files.ts";

const VSCODE_STUB = `
const state = globalThis.__vigilTest;
module.exports = {
  workspace: {
    workspaceFolders: [{ uri: { fsPath: "/work/project" } }],
    getConfiguration: (section) => ({
      get: (key, fallback) => {
        const value = state.settings[section + "." + key];
        return value === undefined ? fallback : value;
      },
    }),
    onDidChangeConfiguration: (handler) => {
      state.configHandlers.push(handler);
      return { dispose() {} };
    },
  },
  window: { showErrorMessage: (message) => { state.errors.push(message); } },
  commands: { executeCommand: (...args) => { state.commands.push(args); } },
};
`;

const CLIENT_STUB = `
const state = globalThis.__vigilTest;
class LanguageClient {
  constructor(id, name, server, client) {
    this.record = { id, name, server, selector: client.documentSelector, started: false, stopped: false };
    state.clients.push(this.record);
  }
  start() {
    if (state.settings.failStart) return Promise.reject(new Error("spawn " + this.record.server.command + " ENOENT"));
    this.record.started = true;
    return Promise.resolve();
  }
  stop() {
    this.record.stopped = true;
    return Promise.resolve();
  }
}
module.exports = { LanguageClient };
`;

const SCENARIO = `
globalThis.__vigilTest = {
  settings: { "vigil.server.path": "/opt/bin/vigil", "vigil.server.args": ["lsp"] },
  configHandlers: [], errors: [], commands: [], clients: [],
};
const state = globalThis.__vigilTest;
const extension = require("./extension.js");
(async () => {
  const context = { subscriptions: [] };
  await extension.activate(context);
  const afterStart = JSON.parse(JSON.stringify(state.clients));
  // The user points the setting at a command that does not exist.
  state.settings["vigil.server.path"] = "/nowhere/vigil";
  state.settings["vigil.server.args"] = ["run", "-A", "cli/main.ts", "lsp"];
  state.settings.failStart = true;
  for (const h of state.configHandlers) await h({ affectsConfiguration: (s) => s === "vigil.server" });
  // A change of another setting leaves the server alone.
  for (const h of state.configHandlers) await h({ affectsConfiguration: () => false });
  await extension.deactivate();
  console.log(JSON.stringify({ afterStart, clients: state.clients, errors: state.errors, subscriptions: context.subscriptions.length }));
})().catch((e) => { console.error(e); process.exit(1); });
`;

Deno.test("the extension's client starts the configured vigil lsp for vigil documents, restarts it on a settings change, and names the setting when it cannot start", () => {
  const dir = mkdtempSync(join(tmpdir(), "vigil-extension-"));
  try {
    copyFileSync(`${ROOT}editor/vscode/extension.js`, join(dir, "extension.js"));
    mkdirSync(join(dir, "node_modules", "vscode"), { recursive: true });
    writeFileSync(join(dir, "node_modules", "vscode", "index.js"), VSCODE_STUB);
    mkdirSync(join(dir, "node_modules", "vscode-languageclient"), { recursive: true });
    writeFileSync(join(dir, "node_modules", "vscode-languageclient", "node.js"), CLIENT_STUB);
    writeFileSync(join(dir, "scenario.cjs"), SCENARIO);
    const run = spawnSync("node", ["scenario.cjs"], { cwd: dir, encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    const out = JSON.parse(run.stdout);
    // Started once with the settings, for vigil files and unsaved vigil documents.
    assert.equal(out.afterStart.length, 1);
    const first = out.afterStart[0];
    assert.equal(first.id, "vigil");
    assert.deepEqual(first.server.command, "/opt/bin/vigil");
    assert.deepEqual(first.server.args, ["lsp"]);
    assert.equal(first.server.options.cwd, "/work/project");
    assert.deepEqual(first.selector, [
      { scheme: "file", language: "vigil" },
      { scheme: "untitled", language: "vigil" },
    ]);
    assert.ok(first.started);
    // The settings change stopped the first client and started a second with the new command.
    assert.equal(out.clients.length, 2, "one restart, none for an unrelated setting");
    assert.ok(out.clients[0].stopped);
    assert.equal(out.clients[1].server.command, "/nowhere/vigil");
    assert.deepEqual(out.clients[1].server.args, ["run", "-A", "cli/main.ts", "lsp"]);
    // Its failure is shown once, naming the command and the setting to change.
    assert.equal(out.errors.length, 1);
    assert.match(
      out.errors[0],
      /cannot start the language server '\/nowhere\/vigil run -A cli\/main\.ts lsp'/,
    );
    assert.match(out.errors[0], /ENOENT/);
    assert.match(out.errors[0], /'vigil\.server\.path'/);
    assert.equal(out.subscriptions, 1, "the settings listener is disposed with the extension");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
