/**
 * `POST /ingest`: one msgpack batch per request, authenticated per node.
 *
 * 1. `Authorization: Bearer <token>` must name a known node: else 401,
 *    before the body is read.
 * 2. The body may hold at most `maxBodyBytes`: a larger `Content-Length`
 *    is refused at once, and the streamed byte count is checked too (413).
 *    It must arrive within `bodyTimeoutMs` of the handler starting to read
 *    it (408 `timeout`). (The header deadline is the server's:
 *    `edge/server/http_server.ts`.)
 * 3. The body goes to the service's one ingest path
 *    (`CollectorService.ingestBytes`, decoded straight into columns), which
 *    refuses it unless it is a version-1 batch (400 `malformed`) of the
 *    token's node (401 `node_mismatch`, checked on the decoded node before
 *    anything is applied), of a served spec (400 `unknown_spec`), fitting
 *    that spec (400 `invalid`) and within the collector's limits (429
 *    `limit`).
 * 4. 202 with `{ accepted, duplicates, late, dropped }` once the batch is in
 *    the core (applied or buffered in its reorder window).
 *
 * Every refusal is an `application/problem+json` body, is counted in
 * `vigil_batches_rejected_total{source="http",reason}` and logged (the
 * service's refusal log). After a 401, 408 or 413 the answer says
 * `Connection: close`, so the server closes the connection. An unexpected
 * exception answers 500 `internal` (counted and logged), and the next
 * batch is served as usual. Web-standard only: takes a `Request`, returns a
 * `Response`.
 *
 * @module
 */
import { bearerToken, type TokenAuth } from "../server/auth.ts";
import { problem, type RejectReason } from "../server/ingest_problem.ts";
import { problemResponse } from "../../lib/wire/problem.ts";
import type { CollectorService } from "../server/service.ts";

/**
 * Options of {@link handleIngest}.
 *
 * @example A node's batch needs its token
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { encodeBatch } from "../../lib/wire/encode.ts";
 * import { createCollector } from "../engine/collector.ts";
 * const lease = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const acquire = (node: string, c: number) => {
 *   const inst = lease.create();
 *   const action = lease.actionIndex("acquire");
 *   const verdict = lease.stepFn(action)(inst, c);
 *   const header = { spec: lease.meta.sourceHash, specName: "Lease", node, boot: "b1", firstSeq: 0, dropped: [] };
 *   const state = lease.stateBytes(inst);
 *   return encodeBatch(header, [{ key: "lock:a", wall: 1_000, logical: 0, action, args: [c], state, verdict }]);
 * };
 * import { createCollectorService } from "../server/service.ts";
 * import { tokenAuth } from "../server/auth.ts";
 * import { handleIngest, type HttpIngestOptions } from "./http.ts";
 * const service = createCollectorService(createCollector({ specs: [lease] }), { onLog: () => {} });
 * const options: HttpIngestOptions = { auth: tokenAuth({ "api-1": "s3cret" }) };
 * const post = (token: string) =>
 *   handleIngest(new Request("http://collector/ingest", {
 *     method: "POST",
 *     body: new Blob([acquire("api-1", 1).slice()]),
 *     headers: { "content-type": "application/x-msgpack", authorization: `Bearer ${token}` },
 *   }), service, options);
 * assert.equal((await post("wrong")).status, 401);
 * assert.equal((await post("s3cret")).status, 202);
 * await service.stop();
 * ```
 */
export interface HttpIngestOptions {
  /** Per-node tokens; without it every request is refused unless `allowAnonymous`. */
  readonly auth?: TokenAuth;
  /** Accept batches without a token (development only). Default false. */
  readonly allowAnonymous?: boolean;
  /** Largest body accepted, bytes. Default 1 MiB (the NATS default payload limit). */
  readonly maxBodyBytes?: number;
  /** Time to receive the whole body once the handler reads it, ms. Default 30 000. */
  readonly bodyTimeoutMs?: number;
}

/**
 * The default body limit: 1 MiB.
 *
 * @example A batch body is at most 1 MiB by default
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_MAX_BODY_BYTES } from "./http.ts";
 * assert.equal(DEFAULT_MAX_BODY_BYTES, 1024 * 1024);
 * ```
 */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * The default body read deadline: 30 s.
 *
 * @example A body must arrive within 30 s by default
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_BODY_TIMEOUT_MS } from "./http.ts";
 * assert.equal(DEFAULT_BODY_TIMEOUT_MS, 30_000);
 * ```
 */
export const DEFAULT_BODY_TIMEOUT_MS = 30_000;

/** Statuses after which the connection is closed (the request may be half read). */
const CLOSING = new Set([401, 408, 413]);

const MSGPACK = /^application\/(x-|vnd\.)?msgpack\s*(;|$)/i;

class TooLarge extends Error {}
class TooSlow extends Error {}
/** The body stream failed (the client went away mid-body). */
class Unreadable extends Error {}

/** Reads the body, at most `max` bytes, within `timeoutMs` (throws `TooLarge`, `TooSlow`). */
async function readLimited(req: Request, max: number, timeoutMs: number): Promise<Uint8Array> {
  if (req.body === null) return new Uint8Array(0);
  const reader = req.body.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TooSlow()), timeoutMs);
  });
  try {
    for (;;) {
      const read = reader.read().catch((e: unknown) => {
        throw new Unreadable(String((e as Error)?.message ?? e));
      });
      const { value, done } = await Promise.race([read, deadline]);
      if (done) break;
      total += value.byteLength;
      if (total > max) throw new TooLarge();
      parts.push(value);
    }
  } catch (e) {
    await reader.cancel().catch(() => {});
    throw e;
  } finally {
    clearTimeout(timer);
  }
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** The problem+json answer of a refusal, closing the connection when its status says so. */
function refusal(
  reason: RejectReason,
  detail: string,
  extra: { readonly where?: string; readonly limit?: string },
): Response {
  const res = problemResponse(problem(reason, detail, extra));
  if (CLOSING.has(res.status)) res.headers.set("connection", "close");
  return res;
}

/**
 * Handles one ingest request.
 *
 * @example Mount on a Hono app
 * ```ts ignore
 * app.post("/ingest", (c) => handleIngest(c.req.raw, service, { auth: tokenAuth({ "api-1": "s3cret" }) }));
 * ```
 */
export async function handleIngest(
  req: Request,
  service: CollectorService,
  options: HttpIngestOptions = {},
): Promise<Response> {
  try {
    return await ingest(req, service, options);
  } catch (e) {
    // Not a refusal of the batch: a fault of the collector. Counted, logged, answered.
    service.internalError("ingest", e);
    service.reject("internal", "http", { detail: "Unexpected collector error" });
    await req.body?.cancel().catch(() => {});
    return refusal("internal", "Unexpected collector error; the collector logged it", {});
  }
}

async function ingest(
  req: Request,
  service: CollectorService,
  options: HttpIngestOptions,
): Promise<Response> {
  const max = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const timeoutMs = options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
  const token = bearerToken(req.headers.get("authorization"));
  const node = token === null ? null : options.auth?.nodeOf(token) ?? null;
  const refuse = (reason: RejectReason, detail: string, where?: string) => {
    service.reject(reason, "http", {
      detail,
      ...(node === null ? {} : { node }),
      ...(where === undefined ? {} : { where }),
    });
    return refusal(reason, detail, where === undefined ? {} : { where });
  };
  if (node === null && options.allowAnonymous !== true) {
    await req.body?.cancel().catch(() => {});
    return refuse("unauthorized", token === null ? "No bearer token" : "Unknown node token");
  }
  const type = req.headers.get("content-type");
  if (type !== null && !MSGPACK.test(type)) {
    await req.body?.cancel().catch(() => {});
    return refuse("unsupported_media_type", `Expected 'application/x-msgpack', got '${type}'`);
  }
  const length = Number(req.headers.get("content-length") ?? "0");
  const tooLarge = `Body over ${max} bytes`;
  if (length > max) {
    await req.body?.cancel().catch(() => {});
    return refuse("too_large", tooLarge);
  }
  let bytes: Uint8Array;
  try {
    bytes = await readLimited(req, max, timeoutMs);
  } catch (e) {
    if (e instanceof TooLarge) return refuse("too_large", tooLarge);
    if (e instanceof TooSlow) return refuse("timeout", `Body not received within ${timeoutMs} ms`);
    if (e instanceof Unreadable) return refuse("malformed", `Body could not be read: ${e.message}`);
    throw e;
  }
  const out = service.ingestBytes(bytes, "http", node === null ? {} : { node });
  if (!out.ok) {
    return refusal(out.reason, out.detail, {
      ...(out.where === undefined ? {} : { where: out.where }),
      ...(out.limit === undefined ? {} : { limit: out.limit }),
    });
  }
  return Response.json(out.result, { status: 202 });
}
