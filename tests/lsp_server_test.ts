/**
 * `vigil lsp` driven as an editor drives it: a child process
 * (`deno run -A cli/main.ts lsp`) spoken to over standard input and output
 * through the test client (`tools/harness/lsp_client.ts`), on the real
 * specs of `specs/`. Expected answers come from the spec text itself
 * (where a word is written, which lines declare items), not from the
 * server's own code.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { LspClient, LspResponseError } from "../tools/harness/lsp_client.ts";
import { ROOT } from "../tools/harness/spec_files.ts";

interface Position {
  line: number;
  character: number;
}
interface Range {
  start: Position;
  end: Position;
}
interface TextEdit {
  range: Range;
  newText: string;
}
interface PublishedDiagnostics {
  uri: string;
  version?: number;
  diagnostics: { range: Range; code: string; message: string; severity: number }[];
}

const LEASE_PATH = `${ROOT}specs/lease.vigil`;
const LEASE = readFileSync(LEASE_PATH, "utf8");
const LEASE_URI = `file://${LEASE_PATH}`;

/** Starts `vigil lsp` and initializes it. */
async function startServer(): Promise<
  { client: LspClient; capabilities: Record<string, unknown> }
> {
  const client = LspClient.start(Deno.execPath(), ["run", "-A", `${ROOT}cli/main.ts`, "lsp"], {
    cwd: ROOT,
  });
  const init = await client.request<{ capabilities: Record<string, unknown> }>("initialize", {
    processId: null,
    rootUri: null,
    capabilities: {},
  });
  client.notify("initialized", {});
  return { client, capabilities: init.capabilities };
}

/** Shuts the server down as an editor does; returns its exit code. */
async function shutDown(client: LspClient): Promise<number> {
  assert.equal(await client.request("shutdown", null), null);
  client.notify("exit", null);
  return await client.exited;
}

/** Lines as an editor counts them (LF, CRLF or CR). */
function linesOf(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** The editor position of the `nth` (from 0) whole-word occurrence of `word` on `line`. */
function at(text: string, line: number, word: string, nth = 0): Position {
  const re = new RegExp(`\\b${word}\\b`, "g");
  const src = linesOf(text)[line]!;
  const hits = [...src.matchAll(re)];
  const hit = hits[nth];
  assert.ok(hit !== undefined, `'${word}' #${nth} is not on line ${line}: '${src}'`);
  return { line, character: hit.index! };
}

/** The line of the first line matching `re`. */
function lineOf(text: string, re: RegExp): number {
  const i = linesOf(text).findIndex((l) => re.test(l));
  assert.ok(i >= 0, `no line matches ${re}`);
  return i;
}

/** Every whole-word occurrence of `word` outside comments, as editor ranges. */
function wordRanges(text: string, word: string): Range[] {
  const out: Range[] = [];
  linesOf(text).forEach((l, line) => {
    const code = l.replace(/\/\/.*$/, "");
    for (const m of code.matchAll(new RegExp(`\\b${word}\\b`, "g"))) {
      out.push({
        start: { line, character: m.index! },
        end: { line, character: m.index! + word.length },
      });
    }
  });
  return out;
}

/** Applies non-overlapping edits to a text. */
function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const starts: number[] = [0];
  for (const m of text.matchAll(/\r\n|\r|\n/g)) starts.push(m.index! + m[0].length);
  const offset = (p: Position) => starts[p.line]! + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) {
    out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  }
  return out;
}

/** Opens a spec that does not parse and asserts that `method` refuses to format it, naming the error. */
async function assertFormatRefused(
  client: LspClient,
  method: string,
  params: Readonly<Record<string, unknown>>,
): Promise<void> {
  const uri = `file:///tmp/broken-${method.replace(/\W/g, "-")}.vigil`;
  client.notify("textDocument/didOpen", {
    textDocument: { uri, languageId: "vigil", version: 1, text: "spec A\n  state x: int =\n" },
  });
  await assert.rejects(
    client.request(method, {
      textDocument: { uri },
      ...params,
      options: { tabSize: 2, insertSpaces: true },
    }),
    (e) =>
      e instanceof LspResponseError && e.code === -32803 &&
      /Cannot format a spec with 1 syntax error: VIG\d{3} at line 3/.test(e.message),
  );
}

function byPosition(a: Range, b: Range): number {
  return a.start.line - b.start.line || a.start.character - b.start.character;
}

function hoverText(hover: unknown): string {
  const contents = (hover as { contents?: { value?: string } } | null)?.contents;
  assert.ok(typeof contents?.value === "string", `no hover text in ${JSON.stringify(hover)}`);
  return contents.value;
}

Deno.test("vigil lsp answers an editor's session on specs/lease.vigil: diagnostics, hover, definition, references, completion, symbols, rename", async () => {
  const { client, capabilities } = await startServer();
  try {
    for (
      const c of [
        "hoverProvider",
        "definitionProvider",
        "referencesProvider",
        "renameProvider",
        "completionProvider",
        "documentSymbolProvider",
        "signatureHelpProvider",
      ]
    ) {
      assert.ok(capabilities[c], `the server does not announce ${c}`);
    }
    client.notify("textDocument/didOpen", {
      textDocument: { uri: LEASE_URI, languageId: "vigil", version: 1, text: LEASE },
    });
    const published = await client.notification("textDocument/publishDiagnostics", {
      accept: (p) => (p as PublishedDiagnostics).uri === LEASE_URI,
    });
    assert.deepEqual((published.params as PublishedDiagnostics).diagnostics, []);

    // Hover: a state variable's use shows its declaration and its enum spelled out.
    const guard = lineOf(LEASE, /require mode == free/);
    const modeHover = hoverText(
      await client.request("textDocument/hover", {
        textDocument: { uri: LEASE_URI },
        position: at(LEASE, guard, "mode"),
      }),
    );
    assert.match(modeHover, /state mode: Mode = free/);
    assert.match(modeHover, /enum \{ free, held \}/);
    // A constant's use shows its value.
    const clientType = lineOf(LEASE, /type Client =/);
    const maxHover = hoverText(
      await client.request("textDocument/hover", {
        textDocument: { uri: LEASE_URI },
        position: at(LEASE, clientType, "MaxClient"),
      }),
    );
    assert.match(maxHover, /const MaxClient = 3/);
    assert.match(maxHover, /value: 3/);

    // Definition: `c` in `owner := c` is the parameter of `acquire`.
    const acquire = lineOf(LEASE, /action acquire\(/);
    const assignOwner = lineOf(LEASE, /owner := c/);
    const definition = await client.request<{ uri: string; range: Range }>(
      "textDocument/definition",
      { textDocument: { uri: LEASE_URI }, position: at(LEASE, assignOwner, "c") },
    );
    assert.equal(definition.uri, LEASE_URI);
    const cDecl = at(LEASE, acquire, "c");
    assert.deepEqual(definition.range, {
      start: cDecl,
      end: { line: acquire, character: cDecl.character + 1 },
    });

    // References: every `mode` written in the spec, the declaration included.
    const refs = await client.request<{ uri: string; range: Range }[]>(
      "textDocument/references",
      {
        textDocument: { uri: LEASE_URI },
        position: at(LEASE, guard, "mode"),
        context: { includeDeclaration: true },
      },
    );
    assert.deepEqual(refs.map((r) => r.range).sort(byPosition), wordRanges(LEASE, "mode"));
    assert.ok(refs.every((r) => r.uri === LEASE_URI));

    // Document symbols: the header holds one symbol per item line.
    const symbols = await client.request<{ name: string; children: { name: string }[] }[]>(
      "textDocument/documentSymbol",
      { textDocument: { uri: LEASE_URI } },
    );
    const itemNames = [
      ...LEASE.matchAll(
        /^\s*(?:global\s+)?(?:const|type|state|action|invariant|liveness|terminal)\s+(\w+)/gm,
      ),
    ].map((m) => m[1]);
    assert.equal(symbols.length, 1);
    assert.equal(symbols[0]!.name, "Lease");
    assert.deepEqual(symbols[0]!.children.map((c) => c.name), itemNames);

    // Rename: `mode` to `phase` everywhere; the result is the text with the word replaced.
    const rename = await client.request<{ changes: Record<string, TextEdit[]> }>(
      "textDocument/rename",
      { textDocument: { uri: LEASE_URI }, position: at(LEASE, guard, "mode"), newName: "phase" },
    );
    assert.equal(
      applyEdits(LEASE, rename.changes[LEASE_URI]!),
      linesOf(LEASE).map((l) => {
        const comment = l.indexOf("//");
        const code = comment < 0 ? l : l.slice(0, comment);
        return code.replace(/\bmode\b/g, "phase") + (comment < 0 ? "" : l.slice(comment));
      }).join("\n"),
    );
    // A rename onto another state variable, onto a keyword, or to a non-name is refused.
    const refusals: [string, RegExp][] = [
      ["owner", /clashes with the state variable 'owner'/],
      ["implies", /reserved keyword/],
      ["2fast", /not a valid name/],
    ];
    for (const [newName, why] of refusals) {
      await assert.rejects(
        client.request("textDocument/rename", {
          textDocument: { uri: LEASE_URI },
          position: at(LEASE, guard, "mode"),
          newName,
        }),
        (e) => e instanceof LspResponseError && e.code === -32803 && why.test(e.message),
      );
    }
    // A parameter renamed to a name already in scope is refused too.
    await assert.rejects(
      client.request("textDocument/rename", {
        textDocument: { uri: LEASE_URI },
        position: cDecl,
        newName: "token",
      }),
      (e) =>
        e instanceof LspResponseError && /clashes with the state variable 'token'/.test(e.message),
    );

    // Completion: in a global item after `n.`, the state variables; elsewhere names and keywords.
    const lastLine = linesOf(LEASE).length - 1;
    const typed = "\n  global invariant Typing\n    forall n in nodes: n.";
    client.notify("textDocument/didChange", {
      textDocument: { uri: LEASE_URI, version: 2 },
      contentChanges: [{
        range: {
          start: { line: lastLine, character: linesOf(LEASE)[lastLine]!.length },
          end: { line: lastLine, character: linesOf(LEASE)[lastLine]!.length },
        },
        text: typed,
      }],
    });
    const fieldList = await client.request<{ label: string; kind: number }[]>(
      "textDocument/completion",
      {
        textDocument: { uri: LEASE_URI },
        position: { line: lastLine + 2, character: "    forall n in nodes: n.".length },
      },
    );
    const stateVars = [...LEASE.matchAll(/^\s*state\s+(\w+)/gm)].map((m) => m[1]);
    assert.deepEqual(fieldList.map((c) => c.label), stateVars);
    const inAction = await client.request<{ label: string }[]>("textDocument/completion", {
      textDocument: { uri: LEASE_URI },
      position: { line: assignOwner, character: linesOf(LEASE)[assignOwner]!.length },
    });
    const labels = new Set(inAction.map((c) => c.label));
    for (
      const expected of ["c", "mode", "free", "held", "MaxClient", "Client", "require", "forall"]
    ) {
      assert.ok(labels.has(expected), `completion in 'acquire' lacks '${expected}'`);
    }

    // Signature help inside `count(` over the nodes, in the domain part.
    const typedLine = "    forall n in nodes: n.";
    client.notify("textDocument/didChange", {
      textDocument: { uri: LEASE_URI, version: 3 },
      contentChanges: [{
        range: {
          start: { line: lastLine + 2, character: typedLine.length },
          end: { line: lastLine + 2, character: typedLine.length },
        },
        text: "mode == held and count(m in ",
      }],
    });
    const help = await client.request<
      { signatures: { label: string }[]; activeParameter: number } | null
    >("textDocument/signatureHelp", {
      textDocument: { uri: LEASE_URI },
      position: {
        line: lastLine + 2,
        character: (typedLine + "mode == held and count(m in ").length,
      },
    });
    assert.equal(help?.signatures[0]?.label, "count(x, y: Domain: condition)");
    assert.equal(help?.activeParameter, 1);

    assert.equal(await shutDown(client), 0);
  } finally {
    await client.close();
  }
});

Deno.test("vigil lsp publishes every diagnostic with its code at UTF-16 positions, for LF, CRLF and CR line ends, and clears them once fixed", async () => {
  const { client } = await startServer();
  try {
    // Line 3 has a two-unit character (an emoji) before a bad duration; line 5 lacks a name.
    const lines = [
      "spec Broken",
      "  state on: bool = false",
      "  state n: int = 🙂 + 5h",
      "  action flip",
      "  invariant >= 0",
      "  action go",
      "    on := not on",
    ];
    let version = 0;
    for (const eol of ["\n", "\r\n", "\r"]) {
      const uri = `file:///tmp/broken-${JSON.stringify(eol).replace(/\W/g, "")}.vigil`;
      const text = lines.join(eol) + eol;
      const before = client.notifications.length;
      client.notify("textDocument/didOpen", {
        textDocument: { uri, languageId: "vigil", version: ++version, text },
      });
      const published = (await client.notification("textDocument/publishDiagnostics", {
        after: before,
        accept: (p) => (p as PublishedDiagnostics).uri === uri,
      })).params as PublishedDiagnostics;
      const found = published.diagnostics.map((d) => [d.code, d.range.start, d.range.end]);
      const emoji = lines[2]!.indexOf("🙂");
      const hours = lines[2]!.indexOf("5h");
      assert.ok(hours - emoji === 5, "the emoji takes two UTF-16 units");
      const name = lines[4]!.indexOf(">=");
      // Each mistake is reported, with its code, at its place (the front end may add more).
      const expected = [
        ["VIG001", { line: 2, character: emoji }, { line: 2, character: emoji + 2 }],
        ["VIG003", { line: 2, character: hours }, { line: 2, character: hours + 2 }],
        ["VIG105", { line: 4, character: name }, { line: 4, character: name + 2 }],
      ];
      for (const e of expected) {
        assert.ok(
          found.some((f) => JSON.stringify(f) === JSON.stringify(e)),
          `${JSON.stringify(e)} is not among ${JSON.stringify(found)}`,
        );
      }
      assert.ok(published.diagnostics.every((d) => d.severity === 1 && d.message.length > 0));

      // Fix line 3 and line 5 with two incremental changes: nothing is left to report.
      const fixed = client.notifications.length;
      client.notify("textDocument/didChange", {
        textDocument: { uri, version: ++version },
        contentChanges: [
          {
            range: { start: { line: 4, character: name }, end: { line: 4, character: name } },
            text: "Pos n ",
          },
          {
            range: {
              start: { line: 2, character: emoji },
              end: { line: 2, character: hours + 2 },
            },
            text: "1 + 5",
          },
        ],
      });
      const after = (await client.notification("textDocument/publishDiagnostics", {
        after: fixed,
        accept: (p) => (p as PublishedDiagnostics).uri === uri,
      })).params as PublishedDiagnostics;
      assert.equal(after.version, version);
      assert.deepEqual(after.diagnostics, []);
    }
    // `exit` without `shutdown` is exit code 1, as the protocol says.
    client.notify("exit", null);
    assert.equal(await client.exited, 1);
  } finally {
    await client.close();
  }
});

Deno.test("vigil lsp formats a spec into the canonical layout of the repository's specs, and refuses one that does not parse", async () => {
  const { client, capabilities } = await startServer();
  try {
    assert.ok(capabilities["documentFormattingProvider"], "the server announces formatting");
    for (const name of ["lease", "order"]) {
      const canonical = readFileSync(`${ROOT}specs/${name}.vigil`, "utf8");
      // Every line flush left, CRLF line ends, extra spaces around assignments.
      const messy = linesOf(canonical).map((l) => l.trim().replaceAll(" := ", "   :=  "))
        .join("\r\n");
      assert.notEqual(messy, canonical);
      const uri = `file:///tmp/messy-${name}.vigil`;
      client.notify("textDocument/didOpen", {
        textDocument: { uri, languageId: "vigil", version: 1, text: messy },
      });
      const edits = await client.request<TextEdit[]>("textDocument/formatting", {
        textDocument: { uri },
        options: { tabSize: 2, insertSpaces: true },
      });
      const formatted = applyEdits(messy, edits);
      assert.equal(formatted, canonical, `${name}: formatted like specs/${name}.vigil`);
      // Formatted text needs no edit.
      client.notify("textDocument/didChange", {
        textDocument: { uri, version: 2 },
        contentChanges: [{ text: formatted }],
      });
      assert.deepEqual(
        await client.request("textDocument/formatting", {
          textDocument: { uri },
          options: { tabSize: 2, insertSpaces: true },
        }),
        [],
      );
    }
    await assertFormatRefused(client, "textDocument/formatting", {});
    assert.equal(await shutDown(client), 0);
  } finally {
    await client.close();
  }
});

Deno.test("vigil lsp formats the lines of a selection on a messy spec and leaves the other lines as they are", async () => {
  const { client, capabilities } = await startServer();
  try {
    assert.ok(
      capabilities["documentRangeFormattingProvider"],
      "the server announces range formatting",
    );
    const canonical = linesOf(LEASE);
    // Every line flush left, extra spaces around assignments.
    const messyLines = canonical.map((l) => l.trim().replaceAll(" := ", "   :=  "));
    const messy = messyLines.join("\n");
    const uri = "file:///tmp/messy-range-lease.vigil";
    client.notify("textDocument/didOpen", {
      textDocument: { uri, languageId: "vigil", version: 1, text: messy },
    });
    // The selection: from inside `action acquire` to inside its last statement.
    const first = canonical.findIndex((l) => l.startsWith("  action acquire"));
    const last = canonical.findIndex((l) => l.includes("granted[c] := token + 1"));
    assert.ok(first > 0 && last > first);
    const edits = await client.request<TextEdit[]>("textDocument/rangeFormatting", {
      textDocument: { uri },
      range: { start: { line: first, character: 3 }, end: { line: last, character: 4 } },
      options: { tabSize: 2, insertSpaces: true },
    });
    assert.ok(edits.length > 0, "no edit for the messy lines");
    const result = linesOf(applyEdits(messy, edits));
    assert.equal(result.length, messyLines.length);
    for (let i = 0; i < result.length; i++) {
      const want = i >= first && i <= last ? canonical[i] : messyLines[i];
      assert.equal(result[i], want, `line ${i + 1}`);
    }
    // The same selection once formatted needs no edit; a broken spec is refused.
    client.notify("textDocument/didChange", {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text: result.join("\n") }],
    });
    assert.deepEqual(
      await client.request("textDocument/rangeFormatting", {
        textDocument: { uri },
        range: { start: { line: first, character: 0 }, end: { line: last, character: 0 } },
        options: { tabSize: 2, insertSpaces: true },
      }),
      [],
    );
    await assertFormatRefused(client, "textDocument/rangeFormatting", {
      range: { start: { line: 1, character: 0 }, end: { line: 1, character: 5 } },
    });
    assert.equal(await shutDown(client), 0);
  } finally {
    await client.close();
  }
});

Deno.test("vigil lsp publishes exactly the diagnostics of vigil compile for every spec of tests/malformed, with LF and with CR line ends", async () => {
  const { compile } = await import("../lib/compile.ts");
  const dir = `${ROOT}tests/malformed`;
  const files = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.endsWith(".vigil"))
    .sort();
  assert.ok(files.length >= 20, "the malformed specs are there");
  /** Editor position of an offset, computed here: lines end at LF, CRLF or CR. */
  const positionIn = (text: string, offset: number): Position => {
    const before = text.slice(0, offset).split(/\r\n|\r|\n/);
    return { line: before.length - 1, character: before.at(-1)!.length };
  };
  const { client } = await startServer();
  try {
    let checked = 0;
    for (const file of files) {
      const lf = readFileSync(`${dir}/${file}`, "utf8");
      for (const [variant, text] of [["lf", lf], ["cr", lf.replaceAll("\n", "\r")]] as const) {
        const uri = `file:///malformed/${variant}/${file}`;
        const before = client.notifications.length;
        client.notify("textDocument/didOpen", {
          textDocument: { uri, languageId: "vigil", version: 1, text },
        });
        const published = (await client.notification("textDocument/publishDiagnostics", {
          after: before,
          accept: (p) => (p as PublishedDiagnostics).uri === uri,
        })).params as PublishedDiagnostics;
        // What `vigil compile` reports: the front end's diagnostics, or the initial state's.
        const compiled = await compile(text, { fileName: file });
        const expected = compiled.diagnostics.map((d) => ({
          code: d.code,
          message: d.message,
          start: positionIn(text, d.span.start),
          end: positionIn(text, d.span.end),
        }));
        const got = published.diagnostics.map((d) => ({
          code: d.code,
          message: d.message,
          start: d.range.start,
          end: d.range.end,
        }));
        assert.ok(expected.length > 0, `${file}: vigil compile finds something`);
        assert.deepEqual(got, expected, `${variant} ${file}`);
        checked++;
      }
    }
    assert.equal(checked, files.length * 2);
    assert.equal(await shutDown(client), 0);
  } finally {
    await client.close();
  }
});
