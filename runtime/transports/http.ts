/**
 * HTTP transport for edge functions without NATS: POSTs each batch to the
 * collector's ingest (`application/x-msgpack`, `Authorization: Bearer`).
 * Network errors, 5xx, 408 and 429 are retried with exponential backoff (a
 * `Retry-After` in seconds is honoured as a minimum), then fail with
 * {@link HttpStatusError} or {@link DeliveryError}. Any other answer that is
 * not 2xx (a 401 wrong token, a 400 unknown spec, a 413 batch too large,
 * ...) is a refusal that retrying cannot fix: it fails at once with
 * {@link BatchRefusedError}, carrying the collector's problem details
 * (reason, detail) when it answered `application/problem+json`. Only
 * web-standard APIs: runs on Deno, workers and browsers.
 *
 * @module
 */
import { PROBLEM_TYPE_BASE } from "../../lib/wire/problem.ts";
import {
  backoffDelay,
  BatchRefusedError,
  DeliveryError,
  HttpStatusError,
  InFlightSends,
  type Refusal,
  type Sleep,
  sleep as defaultSleep,
  type Transport,
} from "./transport.ts";

/**
 * Options of {@link httpTransport}.
 *
 * @example Fewer retries and a shorter timeout
 * ```ts
 * import assert from "node:assert/strict";
 * import { httpTransport, type HttpTransportOptions } from "./http.ts";
 * let attempts = 0;
 * const options: HttpTransportOptions = {
 *   token: "node-token",
 *   retries: 1,
 *   timeoutMs: 2_000,
 *   sleep: () => Promise.resolve(),
 *   fetch: () => {
 *     attempts++;
 *     return Promise.resolve(new Response(null, { status: 503 }));
 *   },
 * };
 * const transport = httpTransport("https://collector.example/ingest", options);
 * const meta = { spec: "ab", specName: "Lease", node: "n1", boot: "b1", firstSeq: 0, count: 1 };
 * await assert.rejects(transport.send(new Uint8Array([1]), meta));
 * assert.equal(attempts, 2);
 * ```
 */
export interface HttpTransportOptions {
  /**
   * Bearer token of this node, or a function giving it (called for every
   * request, so a rotated token is used from the next request on).
   */
  readonly token: string | (() => string);
  /** Injectable fetch. Default `globalThis.fetch`. */
  readonly fetch?: typeof fetch;
  /** Further attempts after a retryable failure. Default 4. */
  readonly retries?: number;
  /** Base of the exponential backoff, ms. Default 100. */
  readonly backoffMs?: number;
  /** Abort an attempt after this many ms. Default 10 000. */
  readonly timeoutMs?: number;
  /** Injectable sleep (tests). */
  readonly sleep?: Sleep;
}

function retryAfterMs(res: Response): number {
  const s = Number(res.headers.get("retry-after"));
  return Number.isFinite(s) && s > 0 ? Math.min(s, 60) * 1000 : 0;
}

/** Answers worth sending the batch again for: the collector may take it later. */
function retryable(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

/** The most of a refusal's body read (a problem is a few hundred bytes). */
const MAX_REFUSAL_BODY = 16 * 1024;
/** The most of a detail or text body kept for a refusal. */
const MAX_DETAIL = 1_000;

/** The start of a body as text, at most `max` bytes (the rest is not read). */
async function readStart(res: Response, max: number): Promise<string> {
  if (res.body === null) return "";
  const reader = res.body.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  try {
    while (total < max) {
      const { value, done } = await reader.read();
      if (done) break;
      parts.push(value);
      total += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(Math.min(total, max));
  let at = 0;
  for (const p of parts) {
    const n = Math.min(p.byteLength, bytes.length - at);
    bytes.set(p.subarray(0, n), at);
    at += n;
  }
  return new TextDecoder().decode(bytes);
}

const REASON = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * What a refusing answer says: the collector's problem details when it
 * sent them (reason from `reason` or the `type` URI, its `detail`), else
 * `http_<status>` and the start of the body.
 */
async function refusalOf(res: Response): Promise<Refusal> {
  const status = res.status;
  const fallback = `Collector answered HTTP ${status}`;
  let text: string;
  try {
    text = await readStart(res, MAX_REFUSAL_BODY);
  } catch {
    return { reason: `http_${status}`, detail: `${fallback}; its body could not be read`, status };
  }
  const type = res.headers.get("content-type") ?? "";
  if (/^application\/(problem\+)?json/i.test(type)) {
    let problem: unknown;
    try {
      problem = JSON.parse(text);
    } catch {
      problem = undefined;
    }
    if (typeof problem === "object" && problem !== null && !Array.isArray(problem)) {
      const p = problem as Record<string, unknown>;
      const fromType = typeof p.type === "string" && p.type.startsWith(PROBLEM_TYPE_BASE)
        ? p.type.slice(PROBLEM_TYPE_BASE.length)
        : undefined;
      const named = typeof p.reason === "string" ? p.reason : fromType;
      const reason = named !== undefined && REASON.test(named) ? named : `http_${status}`;
      const detail = typeof p.detail === "string" && p.detail !== ""
        ? p.detail.slice(0, MAX_DETAIL)
        : typeof p.title === "string" && p.title !== ""
        ? p.title.slice(0, MAX_DETAIL)
        : fallback;
      return { reason, detail, status, problem: p };
    }
  }
  const body = text.trim().slice(0, MAX_DETAIL);
  return {
    reason: `http_${status}`,
    detail: body === "" ? fallback : `${fallback}: ${body}`,
    status,
  };
}

/**
 * Creates an HTTP transport posting to `url`.
 *
 * @example Post batches to a collector
 * ```ts
 * import assert from "node:assert/strict";
 * import { httpTransport } from "./http.ts";
 * const posted: Request[] = [];
 * const fetch = (input: URL | Request | string, init?: RequestInit) => {
 *   posted.push(new Request(input, init));
 *   return Promise.resolve(new Response(null, { status: 202 }));
 * };
 * const transport = httpTransport("https://collector.example/ingest", { token: "node-token", fetch });
 * const meta = { spec: "h", specName: "S", node: "n", boot: "b", firstSeq: 0, count: 1 };
 * await transport.send(new Uint8Array([1, 2]), meta);
 * await transport.close();
 * assert.equal(posted[0]!.headers.get("authorization"), "Bearer node-token");
 * assert.deepEqual(new Uint8Array(await posted[0]!.arrayBuffer()), new Uint8Array([1, 2]));
 * ```
 */
export function httpTransport(url: string | URL, options: HttpTransportOptions): Transport {
  const target = new URL(url);
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const retries = options.retries ?? 4;
  const backoffMs = options.backoffMs ?? 100;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const sleep = options.sleep ?? defaultSleep;
  const token = options.token;
  const headers = () => ({
    "content-type": "application/x-msgpack",
    authorization: `Bearer ${typeof token === "function" ? token() : token}`,
  });
  const sends = new InFlightSends("http");

  async function post(batch: Uint8Array): Promise<void> {
    for (let attempt = 0;; attempt++) {
      let wait = backoffDelay(attempt, backoffMs);
      try {
        const res = await doFetch(target, {
          method: "POST",
          headers: headers(),
          body: batch as Uint8Array<ArrayBuffer>,
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (res.ok) {
          await res.body?.cancel();
          return;
        }
        if (!retryable(res.status)) throw new BatchRefusedError("http", await refusalOf(res));
        await res.body?.cancel();
        if (attempt >= retries) throw new HttpStatusError("http", res.status, attempt + 1);
        wait = Math.max(wait, retryAfterMs(res));
      } catch (cause) {
        if (cause instanceof HttpStatusError || cause instanceof BatchRefusedError) throw cause;
        if (attempt >= retries) throw new DeliveryError("http", attempt + 1, { cause });
      }
      await sleep(wait);
    }
  }

  return {
    name: "http",
    send: (batch) => sends.start(() => post(batch)),
    close: () => sends.close(),
  };
}
