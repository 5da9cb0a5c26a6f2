/**
 * The language server as an editor feels it: `vigil lsp` in a child
 * process, driven over standard input and output by the test client
 * (`tools/harness/lsp_client.ts`). One keystroke is a `didChange` of the
 * whole text followed by the `publishDiagnostics` of that version; a hover
 * and a completion are one request each. The anchor is the front end alone
 * (`analyze`, in this process), what every keystroke has to pay at least.
 * Measured on `specs/raft.vigil` (2.3 KB) and on a generated spec of 300
 * actions over 300 state variables (about 40 KB).
 *
 * Run: `deno bench -A bench/lsp_bench.ts`
 *
 * @module
 */
import { analyze } from "../lib/frontend.ts";
import { LspClient } from "../tools/harness/lsp_client.ts";
import { ROOT, specSource } from "../tools/harness/spec_files.ts";

const RAFT = specSource("raft");

/** A spec of `n` actions, each over its own state variable. */
function generated(n: number): string {
  const lines = ["spec Big", "  type C = 0..3"];
  for (let i = 0; i < n; i++) lines.push(`  state s${i}: 0..100 = 0`);
  for (let i = 0; i < n; i++) {
    lines.push(`  action a${i}(c: C)`, `    require s${i} + c <= 100`, `    s${i} := s${i} + c`);
  }
  lines.push("  invariant Small", "    s0 + s1 <= 200", "");
  return lines.join("\n");
}
const BIG = generated(300);

const client = LspClient.start(Deno.execPath(), ["run", "-A", `${ROOT}cli/main.ts`, "lsp"]);
await client.request("initialize", { processId: null, rootUri: null, capabilities: {} });
client.notify("initialized", {});

let version = 0;
const opened = new Set<string>();

/** Sends `text` as the new content of `uri` and waits for its diagnostics. */
async function keystroke(uri: string, text: string): Promise<void> {
  const v = ++version;
  const after = client.notifications.length;
  if (!opened.has(uri)) {
    opened.add(uri);
    client.notify("textDocument/didOpen", {
      textDocument: { uri, languageId: "vigil", version: v, text },
    });
  } else {
    client.notify("textDocument/didChange", {
      textDocument: { uri, version: v },
      contentChanges: [{ text }],
    });
  }
  await client.notification("textDocument/publishDiagnostics", {
    after,
    accept: (p) => (p as { uri: string; version?: number }).version === v,
  });
  // Keep the list short: the bench sends thousands of versions.
  client.notifications.splice(0, client.notifications.length);
}

/** The position of the first `word` in `text` past `from`. */
function positionOf(text: string, word: string, from = 0) {
  const at = text.indexOf(word, from);
  if (at < 0) throw new Error(`'${word}' is not in the spec`);
  const before = text.slice(0, at).split("\n");
  return { line: before.length - 1, character: before.at(-1)!.length };
}

for (const [name, text] of [["raft", RAFT], ["big", BIG]] as const) {
  const uri = `file:///bench/${name}.vigil`;
  const other = text.replace(/\n$/, " \n");
  Deno.bench({
    name: `front end alone (analyze): ${name}`,
    group: `keystroke ${name}`,
    baseline: true,
    fn: () => {
      analyze(text);
    },
  });
  Deno.bench({
    name: `vigil lsp: didChange to publishDiagnostics: ${name}`,
    group: `keystroke ${name}`,
    fn: async () => {
      await keystroke(uri, version % 2 === 0 ? text : other);
    },
  });
  // A state variable's use inside an action.
  const hoverAt = name === "raft"
    ? positionOf(text, "votedFor", text.indexOf("action"))
    : positionOf(text, "s299 +");
  Deno.bench({
    name: `vigil lsp: hover: ${name}`,
    group: `request ${name}`,
    baseline: true,
    fn: async () => {
      if (!opened.has(uri)) await keystroke(uri, text);
      await client.request("textDocument/hover", { textDocument: { uri }, position: hoverAt });
    },
  });
  Deno.bench({
    name: `vigil lsp: completion: ${name}`,
    group: `request ${name}`,
    fn: async () => {
      if (!opened.has(uri)) await keystroke(uri, text);
      await client.request("textDocument/completion", {
        textDocument: { uri },
        position: hoverAt,
      });
    },
  });
}

globalThis.addEventListener("unload", () => {
  void client.close();
});
