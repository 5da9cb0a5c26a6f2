/**
 * The Vigil language server (`vigil lsp`): diagnostics as the author types,
 * hover, go to definition, find references, checked rename, completion,
 * document symbols and formatting (whole document or selection) for `.vigil` files, over the Language Server Protocol.
 * `docs/editor.md` says how editors start it.
 *
 * @example Serve over standard input and output
 * ```ts ignore
 * import process from "node:process";
 * import { serveLanguage } from "./mod.ts";
 * process.exitCode = await serveLanguage({ input: process.stdin, output: process.stdout });
 * ```
 *
 * @module
 */
export { serveLanguage } from "./server.ts";
export type { LanguageStreams, ServeOptions } from "./server.ts";
