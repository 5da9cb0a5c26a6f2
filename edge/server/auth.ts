/**
 * The collector's tokens. Per-node bearer tokens for `POST /ingest`: a
 * token names exactly one node, and a batch is accepted only from the node
 * its token names. Read tokens, apart from them, for the read side (the
 * dashboard, `/api/*`, the streams, `/metrics`): an ingest token never
 * grants reading, and no token may be both. Comparison runs in constant
 * time over the token bytes.
 *
 * @module
 */

/**
 * Looks up which node a bearer token belongs to.
 *
 * @example A token names its node
 * ```ts
 * import assert from "node:assert/strict";
 * import { type TokenAuth, tokenAuth } from "./auth.ts";
 * const auth: TokenAuth = tokenAuth({ "api-1": "s3cret" });
 * assert.equal(auth.nodeOf("s3cret"), "api-1");
 * assert.equal(auth.nodeOf("other"), null);
 * ```
 */
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
 * Checks read tokens (the read side of the collector).
 *
 * @example A read token opens the dashboard
 * ```ts
 * import assert from "node:assert/strict";
 * import { type ReadAuth, readAuth } from "./auth.ts";
 * const read: ReadAuth = readAuth(["r3ad"]);
 * assert.ok(read.allows("r3ad") && !read.allows("other"));
 * assert.equal(read.size, 1);
 * ```
 */
export interface ReadAuth {
  /** True when `token` is one of the read tokens. */
  allows(token: string | null | undefined): boolean;
  /** Number of read tokens. */
  readonly size: number;
}

/**
 * Creates a read-token table.
 *
 * @throws {TypeError} When a token is empty or is also the ingest token of a node in `ingest`.
 *
 * @example Only the read token reads
 * ```ts
 * import assert from "node:assert/strict";
 * import { readAuth, tokenAuth } from "./auth.ts";
 * const read = readAuth(["r3ad"], { ingest: tokenAuth({ "api-1": "s3cret" }) });
 * assert.ok(read.allows("r3ad") && !read.allows("s3cret") && !read.allows(null));
 * assert.throws(() => readAuth(["s3cret"], { ingest: tokenAuth({ "api-1": "s3cret" }) }), TypeError);
 * ```
 */
export function readAuth(
  tokens: readonly string[],
  options: { readonly ingest?: TokenAuth } = {},
): ReadAuth {
  const entries: Uint8Array[] = [];
  for (const [i, token] of tokens.entries()) {
    if (typeof token !== "string" || token === "") {
      throw new TypeError(`Read token ${i + 1} must be a non-empty string`);
    }
    const node = options.ingest?.nodeOf(token) ?? null;
    if (node !== null) {
      throw new TypeError(`Read token ${i + 1} is also the ingest token of node '${node}'`);
    }
    entries.push(encoder.encode(token));
  }
  return {
    size: entries.length,
    allows(token) {
      if (token == null || token === "") return false;
      const bytes = encoder.encode(token);
      let found = false;
      for (const t of entries) found = sameBytes(t, bytes) || found;
      return found;
    },
  };
}

/**
 * A fresh random token: 32 random bytes, base64url (43 characters).
 *
 * @example Two tokens differ
 * ```ts
 * import assert from "node:assert/strict";
 * import { randomToken } from "./auth.ts";
 * assert.ok(/^[A-Za-z0-9_-]{43}$/.test(randomToken()) && randomToken() !== randomToken());
 * ```
 */
export function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_")
    .replace(/=+$/, "");
}

/**
 * Parses a read tokens file: one token per line; blank lines and lines
 * starting with `#` are ignored.
 *
 * @example Parse two read tokens
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseReadTokens } from "./auth.ts";
 * assert.deepEqual(parseReadTokens("# dashboards\nops-1\n\n ops-2 \n"), ["ops-1", "ops-2"]);
 * ```
 */
export function parseReadTokens(text: string): string[] {
  return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#"));
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
