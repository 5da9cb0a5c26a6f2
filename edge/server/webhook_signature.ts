/**
 * Webhook signatures the Standard Webhooks way (`docs/webhooks.md`), for
 * the alert router (`alerts.ts`) and for receivers:
 * - `webhook-id`: the message's id, the same on every attempt. For an alert
 *   with an `id` (a violation) it is `msg_` and a hash of that id, so the
 *   same violation raised again after a restart carries the same
 *   `webhook-id` and a receiver that dedupes on it processes it once;
 * - `webhook-timestamp`: the attempt's time, integer seconds since the
 *   epoch (each retry is signed anew with its own time);
 * - `webhook-signature`: `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`,
 *   one per secret, space-separated (a webhook given an old and a new
 *   secret signs with both while receivers move to the new one).
 *
 * A secret is `whsec_<base64>` (the key is the decoded bytes) or any other
 * non-empty text (the key is its UTF-8 bytes). Receivers check a message
 * with {@link verifyWebhook}. The former `X-Vigil-Signature` header (an
 * HMAC of the body alone, replayable) is no longer sent. Web-standard only
 * (WebCrypto).
 *
 * @module
 */
/**
 * The Standard Webhooks header names (lowercase, as HTTP/2 and `Headers`
 * give them).
 *
 * @example Read a delivery's headers
 * ```ts
 * import assert from "node:assert/strict";
 * import { WEBHOOK_HEADERS } from "./webhook_signature.ts";
 * const headers = new Headers({ "Webhook-Id": "msg_1" });
 * assert.equal(headers.get(WEBHOOK_HEADERS.id), "msg_1");
 * assert.equal(WEBHOOK_HEADERS.signature, "webhook-signature");
 * ```
 */
export const WEBHOOK_HEADERS: {
  readonly id: "webhook-id";
  readonly timestamp: "webhook-timestamp";
  readonly signature: "webhook-signature";
} = Object.freeze(
  {
    id: "webhook-id",
    timestamp: "webhook-timestamp",
    signature: "webhook-signature",
  } as const,
);

/**
 * The signature header name, `webhook-signature` (the same as
 * `WEBHOOK_HEADERS.signature`).
 *
 * @example The header a receiver reads
 * ```ts
 * import assert from "node:assert/strict";
 * import { SIGNATURE_HEADER } from "./webhook_signature.ts";
 * assert.equal(SIGNATURE_HEADER, "webhook-signature");
 * ```
 */
export const SIGNATURE_HEADER: "webhook-signature" = WEBHOOK_HEADERS.signature;

const encoder = new TextEncoder();
const SECRET_PREFIX = "whsec_";
/** A message id: printable ASCII without `.` (the signed content's separator) or space. */
const MESSAGE_ID = /^[\x21-\x2d\x2f-\x7e]{1,256}$/;

/** The HMAC key bytes of a secret: `whsec_<base64>` decoded, else the text's UTF-8 bytes. */
function secretBytes(secret: string): Uint8Array {
  if (typeof secret !== "string" || secret === "") {
    throw new TypeError("Webhook secret must be a non-empty string");
  }
  if (!secret.startsWith(SECRET_PREFIX)) return encoder.encode(secret);
  const b64 = secret.slice(SECRET_PREFIX.length);
  let raw: string;
  try {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) throw new Error("not base64");
    raw = atob(b64);
  } catch {
    // The secret itself is never echoed: messages end up in logs.
    throw new TypeError(
      `Webhook secret starting with '${SECRET_PREFIX}' must be followed by base64 (the key's bytes)`,
    );
  }
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

function importKey(secret: string, use: "sign" | "verify"): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    "raw",
    secretBytes(secret) as Uint8Array<ArrayBuffer>,
    { name: "HMAC", hash: "SHA-256" },
    false,
    [use],
  );
}

function secretList(secret: string | readonly string[]): readonly string[] {
  const list = typeof secret === "string" ? [secret] : secret;
  if (!Array.isArray(list) || list.length === 0) {
    throw new TypeError("Webhook secrets must be a non-empty string or a non-empty list of them");
  }
  return list;
}

function toBytes(body: string | Uint8Array | ArrayBuffer): Uint8Array {
  if (typeof body === "string") return encoder.encode(body);
  return body instanceof Uint8Array ? body : new Uint8Array(body);
}

/** `{id}.{timestamp}.{body}` as bytes. */
function signedContent(id: string, timestamp: number, body: Uint8Array): Uint8Array<ArrayBuffer> {
  const head = encoder.encode(`${id}.${timestamp}.`);
  const out = new Uint8Array(head.length + body.length);
  out.set(head);
  out.set(body, head.length);
  return out;
}

function base64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function checkMessage(id: string, timestamp: number): void {
  if (typeof id !== "string" || !MESSAGE_ID.test(id)) {
    throw new TypeError(
      `Webhook message id must be 1 to 256 printable ASCII characters without '.' or space, got '${
        String(id).slice(0, 80)
      }'`,
    );
  }
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new RangeError(
      `Webhook timestamp must be integer seconds since the epoch, got '${timestamp}'`,
    );
  }
}

async function signWith(keys: readonly CryptoKey[], content: Uint8Array<ArrayBuffer>) {
  const sigs = await Promise.all(
    keys.map(async (k) => new Uint8Array(await crypto.subtle.sign("HMAC", k, content))),
  );
  return sigs.map((s) => `v1,${base64(s)}`).join(" ");
}

/**
 * The message being signed: its id and the attempt's time.
 *
 * @example Sign a body for a message
 * ```ts
 * import assert from "node:assert/strict";
 * import { signBody, type WebhookMessage } from "./webhook_signature.ts";
 * const message: WebhookMessage = { id: "msg_1", timestamp: 1_700_000_000 };
 * const signature = await signBody("whsec_c2VjcmV0LWtleS1vZi1hdC1sZWFzdC0yNC1ieXRlcw==", "{}", message);
 * assert.match(signature, /^v1,[A-Za-z0-9+/]{43}=$/);
 * ```
 */
export interface WebhookMessage {
  /** `webhook-id`: printable ASCII without `.` or space, at most 256 characters. */
  readonly id: string;
  /** `webhook-timestamp`: integer seconds since the epoch. */
  readonly timestamp: number;
}

/**
 * Signs a webhook body for a message: the `webhook-signature` value,
 * `v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>` per secret,
 * space-separated. Throws `TypeError` for an empty or malformed secret or
 * an id with a `.`, `RangeError` for a timestamp that is not integer
 * seconds.
 *
 * @example Sign with the current and the previous secret (key rotation)
 * ```ts
 * import assert from "node:assert/strict";
 * import { signBody } from "./webhook_signature.ts";
 * const body = new TextEncoder().encode("{}");
 * const sig = await signBody(["whsec_bmV3LWtleQ==", "old key"], body, {
 *   id: "msg_1",
 *   timestamp: 1_700_000_000,
 * });
 * const parts = sig.split(" ");
 * assert.equal(parts.length, 2);
 * assert.ok(parts.every((p) => /^v1,[A-Za-z0-9+/]{43}=$/.test(p)));
 * ```
 */
export async function signBody(
  secret: string | readonly string[],
  body: string | Uint8Array | ArrayBuffer,
  message: WebhookMessage,
): Promise<string> {
  return await webhookSigner(secret).sign(message, toBytes(body));
}

/**
 * A webhook's signing keys, checked at creation and imported once.
 *
 * @example Sign two deliveries with one signer
 * ```ts
 * import assert from "node:assert/strict";
 * import { signBody, webhookSigner, type WebhookSigner } from "./webhook_signature.ts";
 * const secret = "whsec_c2VjcmV0LWtleS1vZi1hdC1sZWFzdC0yNC1ieXRlcw==";
 * const signer: WebhookSigner = webhookSigner(secret);
 * const body = new TextEncoder().encode("{}");
 * const message = { id: "msg_1", timestamp: 1_700_000_000 };
 * assert.equal(await signer.sign(message, body), await signBody(secret, body, message));
 * ```
 */
export interface WebhookSigner {
  /** The `webhook-signature` value of `body` sent as `message`: one `v1,` signature per secret. */
  sign(message: WebhookMessage, body: Uint8Array): Promise<string>;
}

/**
 * The signer of a webhook: a malformed secret throws here (setup), not at
 * the first delivery; keys are imported once and reused.
 *
 * @example A malformed secret fails at once
 * ```ts
 * import assert from "node:assert/strict";
 * import { webhookSigner } from "./webhook_signature.ts";
 * assert.throws(() => webhookSigner("whsec_not base64!"), /must be followed by base64/);
 * assert.throws(() => webhookSigner([]), /non-empty/);
 * ```
 */
export function webhookSigner(secret: string | readonly string[]): WebhookSigner {
  const secrets = secretList(secret);
  for (const s of secrets) secretBytes(s);
  let keys: Promise<CryptoKey[]> | null = null;
  return {
    async sign(message, body) {
      checkMessage(message.id, message.timestamp);
      keys ??= Promise.all(secrets.map((s) => importKey(s, "sign")));
      return signWith(await keys, signedContent(message.id, message.timestamp, body));
    },
  };
}

/**
 * Why {@link verifyWebhook} refused a message.
 *
 * @example A body changed in transit
 * ```ts
 * import assert from "node:assert/strict";
 * import { signBody, verifyWebhook, WebhookVerificationError, type WebhookVerificationReason } from "./webhook_signature.ts";
 * const secret = "whsec_c2VjcmV0LWtleS1vZi1hdC1sZWFzdC0yNC1ieXRlcw==";
 * const timestamp = Math.floor(Date.now() / 1000);
 * const headers = {
 *   "webhook-id": "msg_1",
 *   "webhook-timestamp": String(timestamp),
 *   "webhook-signature": await signBody(secret, "{}", { id: "msg_1", timestamp }),
 * };
 * let reason: WebhookVerificationReason | undefined;
 * await verifyWebhook(secret, headers, '{"forged":true}').catch((e) => {
 *   if (e instanceof WebhookVerificationError) reason = e.reason;
 * });
 * assert.equal(reason, "bad_signature");
 * ```
 */
export type WebhookVerificationReason =
  | "missing_header"
  | "malformed_header"
  | "timestamp_outside_tolerance"
  | "bad_signature";

/**
 * A webhook message that failed verification: `reason` says which check,
 * `header` which header it is about. Answer such a request 400 or 401 and
 * do not process it.
 *
 * @example Tell a replay from a forgery
 * ```ts
 * import assert from "node:assert/strict";
 * import { WebhookVerificationError } from "./webhook_signature.ts";
 * const e = new WebhookVerificationError("bad_signature", "No match", { header: "webhook-signature" });
 * assert.ok(e instanceof Error);
 * assert.equal(e.reason, "bad_signature");
 * assert.equal(e.header, "webhook-signature");
 * ```
 */
export class WebhookVerificationError extends Error {
  /** Which check failed. */
  readonly reason: WebhookVerificationReason;
  /** The header it is about. */
  readonly header: string;

  /** Creates the error for the failed check, with a message and the header it is about. */
  constructor(reason: WebhookVerificationReason, message: string, options: { header: string }) {
    super(message);
    this.name = "WebhookVerificationError";
    this.reason = reason;
    this.header = options.header;
  }
}

/**
 * Options of {@link verifyWebhook}.
 *
 * @example A message from an hour ago is outside the window
 * ```ts
 * import assert from "node:assert/strict";
 * import { signBody, verifyWebhook, type VerifyWebhookOptions } from "./webhook_signature.ts";
 * const secret = "whsec_c2VjcmV0LWtleS1vZi1hdC1sZWFzdC0yNC1ieXRlcw==";
 * const timestamp = 1_700_000_000;
 * const headers = {
 *   "webhook-id": "msg_1",
 *   "webhook-timestamp": String(timestamp),
 *   "webhook-signature": await signBody(secret, "{}", { id: "msg_1", timestamp }),
 * };
 * const options: VerifyWebhookOptions = { toleranceSeconds: 300, now: () => (timestamp + 3_600) * 1000 };
 * await assert.rejects(verifyWebhook(secret, headers, "{}", options));
 * ```
 */
export interface VerifyWebhookOptions {
  /** How far `webhook-timestamp` may be from now, either way, in seconds (the replay window). Default 300. */
  readonly toleranceSeconds?: number;
  /** Clock, ms since the epoch. Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * A verified message: dedupe on `id`.
 *
 * @example Dedupe retries on the message id
 * ```ts
 * import assert from "node:assert/strict";
 * import { signBody, type VerifiedWebhook, verifyWebhook } from "./webhook_signature.ts";
 * const secret = "whsec_c2VjcmV0LWtleS1vZi1hdC1sZWFzdC0yNC1ieXRlcw==";
 * const timestamp = Math.floor(Date.now() / 1000);
 * const headers = new Headers({
 *   "webhook-id": "msg_7",
 *   "webhook-timestamp": String(timestamp),
 *   "webhook-signature": await signBody(secret, "{}", { id: "msg_7", timestamp }),
 * });
 * const verified: VerifiedWebhook = await verifyWebhook(secret, headers, "{}");
 * assert.equal(verified.id, "msg_7");
 * ```
 */
export interface VerifiedWebhook {
  /** `webhook-id`: the same on every attempt of one message. */
  readonly id: string;
  /** `webhook-timestamp`, seconds since the epoch. */
  readonly timestamp: number;
}

/**
 * Request headers as `Headers` or a plain record (e.g. `node:http`'s `req.headers`).
 *
 * @example Headers as a plain record
 * ```ts
 * import assert from "node:assert/strict";
 * import { verifyWebhook, WebhookVerificationError, type WebhookHeaders } from "./webhook_signature.ts";
 * const headers: WebhookHeaders = { "webhook-id": "msg_1" };
 * await assert.rejects(
 *   verifyWebhook("whsec_c2VjcmV0LWtleS1vZi1hdC1sZWFzdC0yNC1ieXRlcw==", headers, "{}"),
 *   (e) => e instanceof WebhookVerificationError && e.reason === "missing_header",
 * );
 * ```
 */
export type WebhookHeaders =
  | Headers
  | Readonly<Record<string, string | readonly string[] | undefined>>;

function headerValue(headers: WebhookHeaders, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() !== name || v === undefined) continue;
    if (typeof v === "string") return v;
    if (v.length === 1) return v[0];
    throw new WebhookVerificationError(
      "malformed_header",
      `Header '${name}' must appear once, got it ${v.length} times`,
      { header: name },
    );
  }
  return undefined;
}

function decodeBase64(s: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(s)) return null;
  try {
    return Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/**
 * Verifies a webhook message as a receiver: every header is there, the
 * timestamp is within `toleranceSeconds` of now (a replayed or long-delayed
 * message is refused), and one `v1` signature in `webhook-signature`
 * matches one of the secrets (compared in constant time by WebCrypto).
 * `body` must be the raw bytes (or text) received, before any JSON parsing.
 * Resolves with the message id, on which the receiver dedupes; rejects
 * with a {@link WebhookVerificationError} whose `reason` is
 * `missing_header`, `malformed_header`, `timestamp_outside_tolerance` or
 * `bad_signature`. An empty or malformed secret is a `TypeError`.
 *
 * @example Verify a delivery, and refuse it replayed an hour later
 * ```ts
 * import assert from "node:assert/strict";
 * import { signBody, verifyWebhook, WebhookVerificationError } from "./webhook_signature.ts";
 * const secret = "whsec_c2VjcmV0LWtleS1vZi1hdC1sZWFzdC0yNC1ieXRlcw==";
 * const body = '{"specName":"Lease"}';
 * const timestamp = Math.floor(Date.now() / 1000);
 * const headers = new Headers({
 *   "webhook-id": "msg_42",
 *   "webhook-timestamp": String(timestamp),
 *   "webhook-signature": await signBody(secret, body, { id: "msg_42", timestamp }),
 * });
 * assert.deepEqual(await verifyWebhook(secret, headers, body), { id: "msg_42", timestamp });
 * await assert.rejects(
 *   verifyWebhook(secret, headers, body, { now: () => Date.now() + 3_600_000 }),
 *   (e) => e instanceof WebhookVerificationError && e.reason === "timestamp_outside_tolerance",
 * );
 * ```
 */
export async function verifyWebhook(
  secret: string | readonly string[],
  headers: WebhookHeaders,
  body: string | Uint8Array | ArrayBuffer,
  options: VerifyWebhookOptions = {},
): Promise<VerifiedWebhook> {
  const tolerance = options.toleranceSeconds ?? 300;
  if (!(Number.isFinite(tolerance) && tolerance >= 0)) {
    throw new RangeError(`Option 'toleranceSeconds' must be a number >= 0, got '${tolerance}'`);
  }
  const keys = await Promise.all(secretList(secret).map((s) => importKey(s, "verify")));
  const got = (name: string): string => {
    const v = headerValue(headers, name);
    if (v === undefined || v.trim() === "") {
      throw new WebhookVerificationError("missing_header", `Header '${name}' is missing`, {
        header: name,
      });
    }
    return v.trim();
  };
  const id = got(WEBHOOK_HEADERS.id);
  const rawTimestamp = got(WEBHOOK_HEADERS.timestamp);
  const signatures = got(WEBHOOK_HEADERS.signature);
  if (!/^\d{1,15}$/.test(rawTimestamp)) {
    throw new WebhookVerificationError(
      "malformed_header",
      `Header '${WEBHOOK_HEADERS.timestamp}' must be integer seconds since the epoch, got '${
        rawTimestamp.slice(0, 40)
      }'`,
      { header: WEBHOOK_HEADERS.timestamp },
    );
  }
  const timestamp = Number(rawTimestamp);
  const nowSeconds = Math.floor((options.now ?? Date.now)() / 1000);
  const skew = nowSeconds - timestamp;
  if (Math.abs(skew) > tolerance) {
    throw new WebhookVerificationError(
      "timestamp_outside_tolerance",
      `Header '${WEBHOOK_HEADERS.timestamp}' is ${Math.abs(skew)} s in the ${
        skew > 0 ? "past" : "future"
      }, outside the ${tolerance} s tolerance (a replayed or delayed message)`,
      { header: WEBHOOK_HEADERS.timestamp },
    );
  }
  const content = signedContent(id, timestamp, toBytes(body));
  const v1 = signatures.split(" ").filter((s) => s.startsWith("v1,")).map((s) => s.slice(3));
  if (v1.length === 0) {
    throw new WebhookVerificationError(
      "bad_signature",
      `Header '${WEBHOOK_HEADERS.signature}' has no 'v1,' signature`,
      { header: WEBHOOK_HEADERS.signature },
    );
  }
  for (const sig of v1) {
    const mac = decodeBase64(sig);
    if (mac === null) continue;
    for (const key of keys) {
      if (await crypto.subtle.verify("HMAC", key, mac, content)) return { id, timestamp };
    }
  }
  throw new WebhookVerificationError(
    "bad_signature",
    `Header '${WEBHOOK_HEADERS.signature}' has no v1 signature matching the secret${
      keys.length === 1 ? "" : "s"
    } (${v1.length} tried)`,
    { header: WEBHOOK_HEADERS.signature },
  );
}

/**
 * A message id for an alert: `msg_` and 24 base64url characters, a hash of
 * the alert's id (so the same violation raised again after a restart keeps
 * its `webhook-id`), else random.
 *
 * @example The same violation, the same id
 * ```ts
 * import assert from "node:assert/strict";
 * import { webhookMessageId } from "./webhook_signature.ts";
 * const id = await webhookMessageId("ab12:lock:1:1");
 * assert.match(id, /^msg_[A-Za-z0-9_-]{24}$/);
 * assert.equal(await webhookMessageId("ab12:lock:1:1"), id);
 * assert.notEqual(await webhookMessageId(undefined), await webhookMessageId(undefined));
 * ```
 */
export async function webhookMessageId(alertId: unknown): Promise<string> {
  const bytes = typeof alertId === "string" && alertId !== ""
    ? new Uint8Array(
      await crypto.subtle.digest("SHA-256", encoder.encode(`vigil-alert:${alertId}`)),
    ).subarray(0, 18)
    : crypto.getRandomValues(new Uint8Array(18));
  return `msg_${base64(bytes).replaceAll("+", "-").replaceAll("/", "_")}`;
}
