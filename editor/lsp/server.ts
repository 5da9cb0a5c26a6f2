/**
 * The language server: one connection speaking the Language Server
 * Protocol over a pair of streams (`vigil lsp` passes standard input and
 * output). Every open `.vigil` document is analyzed on open and on each
 * change, and its diagnostics are published; hover, definition,
 * references, rename, completion and document symbols answer from the
 * analysis of the document's current version (`spec_index.ts`), signature
 * help from its tokens (`prev(`, `count(`, `sum(`, `map[`); formatting
 * (the whole document, or the lines a selection touches) uses the
 * formatter of `vigil fmt` (`lib/format/`).
 *
 * The server never exits the process: {@link serveLanguage} resolves with
 * the exit code the protocol asks for (0 after `shutdown` then `exit`, 1
 * on `exit` without `shutdown` or when the input ends first) and the
 * command exits with it.
 *
 * @module
 */
import {
  type Connection,
  createConnection,
  DiagnosticSeverity,
  LSPErrorCodes,
  type Position,
  ProposedFeatures,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
} from "vscode-languageserver";
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { completionsAt } from "./completion.ts";
import { editorDiagnostics } from "./diagnostics.ts";
import { documentSymbols } from "./document_symbols.ts";
import { formatEdits, FormatRefusal, rangeFormatEdits } from "./formatting.ts";
import { hoverAt } from "./hover.ts";
import { LineMap } from "./line_map.ts";
import { definitionAt, referencesAt } from "./navigation.ts";
import { renameAt, RenameError, renameTarget } from "./rename.ts";
import { signatureHelpAt } from "./signature_help.ts";
import { indexSpec, type SpecIndex } from "./spec_index.ts";

/** The streams a server reads from and writes to. */
export interface LanguageStreams {
  /** Where the client's messages come from (standard input for `vigil lsp`). */
  readonly input: NodeJS.ReadableStream;
  /** Where the server's messages go (standard output for `vigil lsp`). */
  readonly output: NodeJS.WritableStream;
}

/** The server's name and version, as `initialize` reports them. */
export interface ServeOptions {
  /** The version reported in `serverInfo`; default `"0.0.0"`. */
  readonly version?: string;
}

/** The index of one document version, kept until the next version. */
interface Indexed {
  readonly version: number;
  readonly index: SpecIndex;
  readonly lines: LineMap;
}

/**
 * Serves the language over `streams` until the client sends `exit` or the
 * input ends; resolves with the exit code.
 *
 * @example Serve over standard input and output
 * ```ts ignore
 * import process from "node:process";
 * import { serveLanguage } from "./server.ts";
 * process.exitCode = await serveLanguage({ input: process.stdin, output: process.stdout });
 * ```
 */
export function serveLanguage(
  streams: LanguageStreams,
  options: ServeOptions = {},
): Promise<number> {
  return new Promise((resolve) => {
    const reader = new StreamMessageReader(streams.input);
    const writer = new StreamMessageWriter(streams.output);
    let done = false;
    const finish = (code: number) => {
      if (done) return;
      done = true;
      resolve(code);
    };
    const watchDog = {
      shutdownReceived: false,
      initialize: () => {},
      exit: (code: number) => {
        connection.dispose();
        finish(code);
      },
    };
    const closed = () => finish(watchDog.shutdownReceived ? 0 : 1);
    reader.onClose(closed);
    streams.input.on("end", closed);
    streams.input.on("close", closed);
    const connection: Connection = createConnection(
      (logger) => createProtocolConnection(reader, writer, logger),
      watchDog,
      ProposedFeatures.all,
    );
    wire(connection, options.version ?? "0.0.0");
    connection.listen();
  });
}

function wire(connection: Connection, version: string): void {
  const documents = new TextDocuments(TextDocument);
  const cache = new Map<string, Indexed>();
  const indexed = (uri: string): Indexed | null => {
    const doc = documents.get(uri);
    if (doc === undefined) return null;
    const hit = cache.get(uri);
    if (hit !== undefined && hit.version === doc.version) return hit;
    const text = doc.getText();
    const entry = { version: doc.version, index: indexSpec(text), lines: new LineMap(text) };
    cache.set(uri, entry);
    return entry;
  };
  const at = (uri: string, position: Position) => {
    const entry = indexed(uri);
    return entry === null ? null : { ...entry, offset: entry.lines.offset(position) };
  };

  connection.onInitialize(() => ({
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      renameProvider: { prepareProvider: true },
      completionProvider: { triggerCharacters: ["."] },
      documentSymbolProvider: true,
      documentFormattingProvider: true,
      documentRangeFormattingProvider: true,
      signatureHelpProvider: { triggerCharacters: ["(", "[", ",", ":"] },
    },
    serverInfo: { name: "vigil", version },
  }));

  documents.onDidChangeContent(({ document }) => {
    let diagnostics;
    try {
      const entry = indexed(document.uri);
      if (entry === null) return;
      diagnostics = editorDiagnostics(entry.index);
    } catch (e) {
      // A bug of the server, not of the spec: said in the editor and in its log, never swallowed.
      const why = e instanceof Error ? e.message : String(e);
      connection.console.error(`vigil lsp: cannot analyze '${document.uri}': ${String(e)}`);
      diagnostics = [{
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        severity: DiagnosticSeverity.Error,
        source: "vigil",
        message: `The language server could not analyze this file: ${why}`,
      }];
    }
    void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics });
  });
  documents.onDidClose(({ document }) => {
    cache.delete(document.uri);
    void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  });

  connection.onHover(({ textDocument, position }) => {
    const a = at(textDocument.uri, position);
    return a === null ? null : hoverAt(a.index, a.offset);
  });
  connection.onDefinition(({ textDocument, position }) => {
    const a = at(textDocument.uri, position);
    const span = a === null ? null : definitionAt(a.index, a.offset);
    return a === null || span === null
      ? null
      : { uri: textDocument.uri, range: a.lines.range(span) };
  });
  connection.onReferences(({ textDocument, position, context }) => {
    const a = at(textDocument.uri, position);
    if (a === null) return [];
    return referencesAt(a.index, a.offset, { includeDeclaration: context.includeDeclaration })
      .map((span) => ({ uri: textDocument.uri, range: a.lines.range(span) }));
  });
  connection.onPrepareRename(({ textDocument, position }) => {
    const a = at(textDocument.uri, position);
    if (a === null) return null;
    try {
      const { symbol, span } = renameTarget(a.index, a.offset);
      return { range: a.lines.range(span), placeholder: symbol.name };
    } catch (e) {
      throw refused(e);
    }
  });
  connection.onRenameRequest(({ textDocument, position, newName }) => {
    const a = at(textDocument.uri, position);
    if (a === null) return null;
    try {
      const edits = renameAt(a.index, a.offset, newName);
      return {
        changes: {
          [textDocument.uri]: edits.map((e) => ({
            range: a.lines.range(e.span),
            newText: e.newText,
          })),
        },
      };
    } catch (e) {
      throw refused(e);
    }
  });
  connection.onCompletion(({ textDocument, position }) => {
    const a = at(textDocument.uri, position);
    return a === null ? [] : completionsAt(a.index, a.offset);
  });
  connection.onSignatureHelp(({ textDocument, position }) => {
    const a = at(textDocument.uri, position);
    return a === null ? null : signatureHelpAt(a.index.source, a.offset);
  });
  connection.onDocumentSymbol(({ textDocument }) => {
    const entry = indexed(textDocument.uri);
    return entry === null ? [] : documentSymbols(entry.index);
  });

  connection.onDocumentFormatting(({ textDocument }) => {
    const entry = indexed(textDocument.uri);
    if (entry === null) return null;
    try {
      return formatEdits(entry.index.source).map((e) => ({
        range: entry.lines.range(e.span),
        newText: e.newText,
      }));
    } catch (e) {
      throw refused(e);
    }
  });
  connection.onDocumentRangeFormatting(({ textDocument, range }) => {
    const entry = indexed(textDocument.uri);
    if (entry === null) return null;
    const span = { start: entry.lines.offset(range.start), end: entry.lines.offset(range.end) };
    try {
      return rangeFormatEdits(entry.index.source, span).map((e) => ({
        range: entry.lines.range(e.span),
        newText: e.newText,
      }));
    } catch (e) {
      throw refused(e);
    }
  });

  documents.listen(connection);
}

/** A refused rename or format as the error the client shows; other errors go on as they are. */
function refused(e: unknown): unknown {
  return e instanceof RenameError || e instanceof FormatRefusal
    ? new ResponseError(LSPErrorCodes.RequestFailed, e.message)
    : e;
}
