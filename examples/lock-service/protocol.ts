/**
 * The lock service's wire protocol over NATS request/reply: JSON bodies,
 * each carrying the sender's HLC stamp (`stamp`), so the receiver's clock
 * (`monitor.observe`) orders its next events after the sender's.
 *
 * Subjects, under a prefix (default `lock.orders`):
 * - `<prefix>.acquire` `{ client, stamp }` -> `{ granted, token?, ttlMs?, holder?, stamp }`
 * - `<prefix>.release` `{ client, token, stamp }` -> `{ ok, stamp }`
 * - `<prefix>.write` `{ client, token, value, stamp }` -> `{ ok, reason?, stamp }`: the
 *   protected resource, which rejects a token older than the newest it accepted (fencing)
 *
 * @module
 */

/** A request to take the lease. */
export interface AcquireRequest {
  readonly client: number;
  readonly stamp: string;
}

/** The answer to an acquire. */
export interface AcquireReply {
  readonly granted: boolean;
  /** Fencing token of the grant. */
  readonly token?: number;
  /** How long the lease lasts unless renewed or released. */
  readonly ttlMs?: number;
  /** Current holder when refused. */
  readonly holder?: number;
  readonly stamp: string;
}

/** A release (or a write to the protected resource). */
export interface TokenRequest {
  readonly client: number;
  readonly token: number;
  readonly value?: number;
  readonly stamp: string;
}

/** The answer to a release or a write. */
export interface OkReply {
  readonly ok: boolean;
  readonly reason?: string;
  readonly stamp: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Encodes a message body.
 *
 * @example Encode a request
 * ```ts
 * import { encode } from "./protocol.ts";
 * encode({ client: 1, stamp: "mwq3h0wr-0" }).length > 0; // true
 * ```
 */
export function encode(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

/**
 * Decodes a message body.
 *
 * @example Decode a reply
 * ```ts
 * import { decode, encode } from "./protocol.ts";
 * decode<{ ok: boolean }>(encode({ ok: true })).ok; // true
 * ```
 */
export function decode<T>(data: Uint8Array): T {
  return JSON.parse(decoder.decode(data)) as T;
}

/** The monitor key every client's view of the lease uses (one partition at the collector). */
export const LEASE_KEY = "lock:orders";

/** The key of the server's own grant table (its own partition). */
export const SERVER_KEY = "lock:orders#server";
