// The Vigil extension for VS Code: the language (`.vigil`), its grammar and
// language configuration come from package.json; this client starts the
// user's `vigil lsp` (setting `vigil.server.path`, arguments
// `vigil.server.args`) and connects it to the editor over standard input and
// output, restarting it when those settings change. A server that cannot
// start is reported with the setting to change.
"use strict";

const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

/** @type {LanguageClient | undefined} */
let client;

/** The server command from the settings. */
function serverCommand() {
  const config = vscode.workspace.getConfiguration("vigil");
  const command = config.get("server.path", "vigil") || "vigil";
  const args = config.get("server.args", ["lsp"]);
  return { command, args: Array.isArray(args) ? args.map(String) : ["lsp"] };
}

/** Creates and starts a client for the configured server. */
async function start() {
  const { command, args } = serverCommand();
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  client = new LanguageClient(
    "vigil",
    "Vigil",
    {
      command,
      args,
      options: { cwd: folder, shell: process.platform === "win32" },
    },
    {
      documentSelector: [
        { scheme: "file", language: "vigil" },
        { scheme: "untitled", language: "vigil" },
      ],
    },
  );
  try {
    await client.start();
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    const shown = [command, ...args].join(" ");
    void vscode.window.showErrorMessage(
      `Vigil: cannot start the language server '${shown}': ${why}. ` +
        "Set 'vigil.server.path' to your vigil command.",
    );
  }
}

/**
 * Starts the client, and restarts it when the server settings change.
 * @param {vscode.ExtensionContext} context
 */
async function activate(context) {
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (!e.affectsConfiguration("vigil.server")) return;
      if (client !== undefined) await client.stop().catch(() => undefined);
      await start();
    }),
  );
  await start();
}

/** Stops the client. */
function deactivate() {
  return client === undefined ? undefined : client.stop();
}

module.exports = { activate, deactivate };
