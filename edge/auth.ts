/**
 * Per-node bearer tokens for `POST /ingest`: a token names exactly one
 * node, and a batch is accepted only from the node its token names.
 * Comparison runs in constant time over the token bytes.
 *
 * @module
 */

/** Looks up which node a bearer token belongs to. */
export interface TokenAuth {
  /** The node a token belongs to, or `null` for an unknown token. */
  nodeOf(token: string): string | null;
  /** Number of configured tokens (0 means every request is refused). */
  readonly size: number;
}

const encoder = new TextEncoder();

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

/**
 * Creates a token table from `node -> token` pairs.
 *
 * @throws {TypeError} When a node or token is empty, or two nodes share a token.
 *
 * @example Accept api-1's token
 * ```ts
 * import assert from "node:assert/strict";
 * import { tokenAuth } from "./auth.ts";
 * const auth = tokenAuth({ "api-1": "s3cret" });
 * assert.ok(auth.nodeOf("s3cret") === "api-1" && auth.nodeOf("nope") === null);
 * ```
 */
export function tokenAuth(tokens: Readonly<Record<string, string>>): TokenAuth {
  const entries: [Uint8Array, string][] = [];
  const seen = new Set<string>();
  for (const [node, token] of Object.entries(tokens)) {
    if (node === "" || typeof token !== "string" || token === "") {
      throw new TypeError(`Token of node '${node}' must be a non-empty string`);
    }
    if (seen.has(token)) throw new TypeError(`Token of node '${node}' is shared with another node`);
    seen.add(token);
    entries.push([encoder.encode(token), node]);
  }
  return {
    size: entries.length,
    nodeOf(token) {
      const bytes = encoder.encode(token);
      let found: string | null = null;
      for (const [t, node] of entries) if (sameBytes(t, bytes)) found = node;
      return found;
    },
  };
}

/**
 * Reads the bearer token of an `Authorization` header value, or `null`.
 *
 * @example Parse a header
 * ```ts
 * import assert from "node:assert/strict";
 * import { bearerToken } from "./auth.ts";
 * assert.ok(bearerToken("Bearer abc") === "abc" && bearerToken("Basic x") === null);
 * ```
 */
export function bearerToken(header: string | null | undefined): string | null {
  if (header == null) return null;
  const m = /^Bearer[ ]+([^\s]+)\s*$/i.exec(header);
  return m ? m[1]! : null;
}

/**
 * Parses a tokens file: one `node=token` per line; blank lines and lines
 * starting with `#` are ignored.
 *
 * @throws {SyntaxError} On a line without `=`, naming the line number.
 *
 * @example Parse two tokens
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseTokens } from "./auth.ts";
 * const t = parseTokens("# nodes\napi-1=aaa\napi-2 = bbb\n");
 * assert.ok(t["api-2"] === "bbb");
 * ```
 */
export function parseTokens(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === "" || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (eq <= 0) throw new SyntaxError(`Expected 'node=token' on line ${i + 1}`);
    out[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return out;
}
