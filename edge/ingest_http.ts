/**
 * `POST /ingest`: one msgpack batch per request, authenticated per node.
 *
 * 1. `Authorization: Bearer <token>` must name a known node: else 401,
 *    before the body is read.
 * 2. The body may hold at most `maxBodyBytes`: a larger `Content-Length`
 *    is refused at once, and the streamed byte count is checked too (413).
 * 3. The body must decode as a version-1 batch (400 `malformed`), of the
 *    token's node (401 `node_mismatch`), of a served spec (400
 *    `unknown_spec`), fitting that spec (400 `invalid`).
 * 4. 202 with `{ accepted, duplicates, late, dropped }` once the batch is in
 *    the core (applied or buffered in its reorder window).
 *
 * Every refusal is an `application/problem+json` body and is counted in
 * `vigil_batches_rejected_total{source="http",reason}`. Web-standard only:
 * takes a `Request`, returns a `Response`.
 *
 * @module
 */
import { bearerToken, type TokenAuth } from "./auth.ts";
import { problem, problemResponse, type RejectReason } from "./problem.ts";
import type { CollectorService } from "./service.ts";
import { decodeBatch, WireFormatError } from "../runtime/codec.ts";

/** Options of {@link handleIngest}. */
export interface HttpIngestOptions {
  /** Per-node tokens; without it every request is refused unless `allowAnonymous`. */
  readonly auth?: TokenAuth;
  /** Accept batches without a token (development only). Default false. */
  readonly allowAnonymous?: boolean;
  /** Largest body accepted, bytes. Default 1 MiB (the NATS default payload limit). */
  readonly maxBodyBytes?: number;
}

/** The default body limit: 1 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

const MSGPACK = /^application\/(x-|vnd\.)?msgpack\s*(;|$)/i;

class TooLarge extends Error {}

async function readLimited(req: Request, max: number): Promise<Uint8Array> {
  if (req.body === null) return new Uint8Array(0);
  const reader = req.body.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => {});
      throw new TooLarge();
    }
    parts.push(value);
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
  const max = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const refuse = (reason: RejectReason, detail: string, where?: string) => {
    service.reject(reason, "http");
    return problemResponse(problem(reason, detail, where === undefined ? {} : { where }));
  };
  const token = bearerToken(req.headers.get("authorization"));
  const node = token === null ? null : options.auth?.nodeOf(token) ?? null;
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
    bytes = await readLimited(req, max);
  } catch (e) {
    if (e instanceof TooLarge) return refuse("too_large", tooLarge);
    throw e;
  }
  let batch;
  try {
    batch = decodeBatch(bytes);
  } catch (e) {
    if (e instanceof WireFormatError) return refuse("malformed", e.message, e.where);
    throw e;
  }
  if (node !== null && batch.node !== node) {
    return refuse("node_mismatch", `Token of node '${node}' used for node '${batch.node}'`);
  }
  const out = service.ingest(batch, "http");
  if (!out.ok) {
    return problemResponse(
      problem(out.reason, out.detail, out.where === undefined ? {} : { where: out.where }),
    );
  }
  return Response.json(out.result, { status: 202 });
}
