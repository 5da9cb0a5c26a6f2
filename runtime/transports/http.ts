/**
 * HTTP transport for edge functions without NATS: POSTs each batch to the
 * collector's ingest (`application/x-msgpack`, `Authorization: Bearer`).
 * Network errors, 5xx and 429 are retried with exponential backoff (a 429's
 * `Retry-After` seconds are honoured as a minimum); any other 4xx fails at
 * once with {@link HttpStatusError}. Only web-standard APIs: runs on Deno,
 * workers and browsers.
 *
 * @module
 */
import {
  backoffDelay,
  DeliveryError,
  HttpStatusError,
  InFlightSends,
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
  /** Bearer token of this node. */
  readonly token: string;
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
  const headers = {
    "content-type": "application/x-msgpack",
    authorization: `Bearer ${options.token}`,
  };
  const sends = new InFlightSends("http");

  async function post(batch: Uint8Array): Promise<void> {
    for (let attempt = 0;; attempt++) {
      let wait = backoffDelay(attempt, backoffMs);
      try {
        const res = await doFetch(target, {
          method: "POST",
          headers,
          body: batch as Uint8Array<ArrayBuffer>,
          signal: AbortSignal.timeout(timeoutMs),
        });
        await res.body?.cancel();
        if (res.ok) return;
        const retryable = res.status >= 500 || res.status === 429;
        if (!retryable || attempt >= retries) {
          throw new HttpStatusError("http", res.status, attempt + 1);
        }
        wait = Math.max(wait, retryAfterMs(res));
      } catch (cause) {
        if (cause instanceof HttpStatusError) throw cause;
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
