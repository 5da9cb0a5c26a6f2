/**
 * Who may use a `vigil collector`: the ingest tokens (`--tokens`,
 * `--token node=secret`) and the read side's access (`--read-tokens`,
 * `--read-token`, `--public-read`, or a read token generated at start when
 * there are ingest tokens), checked from the flags before anything starts.
 *
 * @module
 */
import {
  parseReadTokens,
  parseTokens,
  randomToken,
  type ReadAuth,
  readAuth,
  tokenAuth,
} from "../../edge/server/auth.ts";
import { type Flags, UsageError } from "../flags.ts";
import { readFile } from "node:fs/promises";

/** Who may read, and the line saying so at start. */
export interface ReadAccess {
  /** The read side's check; absent when reads are open. */
  readonly auth?: ReadAuth;
  /** `--public-read` was given. */
  readonly publicRead: boolean;
  /** A token generated at start (printed once with the dashboard URL). */
  readonly generated?: string;
  /** For the start line. */
  readonly summary: string;
}

/** Who may send events and who may read, from the flags. */
export interface CollectorAccess {
  /** Ingest tokens by node (`--tokens` file, then each `--token`). */
  readonly tokens: Record<string, string>;
  /** The ingest side's check of those tokens. */
  readonly ingestAuth: ReturnType<typeof tokenAuth>;
  /** The read side's access. */
  readonly read: ReadAccess;
}

/**
 * The ingest tokens and read access the flags of `vigil collector` give,
 * reading the token files they name.
 *
 * @throws {UsageError} When a token file cannot be read, a token is malformed, or
 * `--public-read` is given with read tokens.
 *
 * @example Ingest tokens make reads need a token generated at start
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseFlags } from "../flags.ts";
 * import { accessOf } from "./access.ts";
 * const spec = { string: ["tokens", "token", "read-tokens", "read-token"], boolean: ["public-read"] };
 * const access = await accessOf(parseFlags(["--token", "api-1=s3cret"], spec));
 * assert.deepEqual(access.tokens, { "api-1": "s3cret" });
 * assert.equal(access.read.summary, "reads need the read token generated at start");
 * assert.ok(access.read.generated !== undefined);
 * const open = await accessOf(parseFlags([], spec));
 * assert.equal(open.read.summary, "reads open: no ingest tokens");
 * ```
 */
export async function accessOf(flags: Flags): Promise<CollectorAccess> {
  const tokens = await readTokens(flags);
  const ingestAuth = tokenAuth(tokens);
  return { tokens, ingestAuth, read: readAccessOf(flags, ingestAuth, await readTokensOf(flags)) };
}

/** The ingest tokens given (`--tokens` file, then each `--token`). */
async function readTokens(flags: Flags): Promise<Record<string, string>> {
  const tokens: Record<string, string> = {};
  const file = flags.string.get("tokens");
  if (file !== undefined) {
    try {
      Object.assign(tokens, parseTokens(await readFile(file, "utf8")));
    } catch (e) {
      throw new UsageError(`Cannot read tokens file '${file}': ${(e as Error).message}`);
    }
  }
  for (const pair of flags.all.get("token") ?? []) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new UsageError(`Flag '--token' must be 'node=secret', got '${pair}'`);
    tokens[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return tokens;
}

/** The read tokens given (`--read-tokens` file, then each `--read-token`). */
async function readTokensOf(flags: Flags): Promise<string[]> {
  const tokens: string[] = [];
  const file = flags.string.get("read-tokens");
  if (file !== undefined) {
    try {
      tokens.push(...parseReadTokens(await readFile(file, "utf8")));
    } catch (e) {
      throw new UsageError(`Cannot read read tokens file '${file}': ${(e as Error).message}`);
    }
    if (tokens.length === 0) throw new UsageError(`Read tokens file '${file}' holds no token`);
  }
  tokens.push(...(flags.all.get("read-token") ?? []));
  return tokens;
}

function readAccessOf(
  flags: Flags,
  ingest: ReturnType<typeof tokenAuth>,
  given: readonly string[],
): ReadAccess {
  const publicRead = flags.boolean.has("public-read");
  if (publicRead && given.length > 0) {
    throw new UsageError("Give either '--public-read' or read tokens, not both");
  }
  let auth: ReadAuth;
  try {
    auth = readAuth(given, { ingest });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (given.length > 0) {
    return { auth, publicRead, summary: `reads need one of ${given.length} read token(s)` };
  }
  if (publicRead) return { publicRead, summary: "reads open to anyone (--public-read)" };
  if (ingest.size === 0) return { publicRead, summary: "reads open: no ingest tokens" };
  const generated = randomToken();
  return {
    auth: readAuth([generated], { ingest }),
    publicRead,
    generated,
    summary: "reads need the read token generated at start",
  };
}
