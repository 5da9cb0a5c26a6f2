/**
 * Alert routing: every violation the collector raises goes, at once, to
 * each configured route: webhooks (POST JSON, retried with backoff), a
 * publish function (the command wires it to the NATS subject
 * `vigil.alerts.<spec>`), and in-process listeners (the SSE hubs).
 * Web-standard only (fetch, WebCrypto).
 *
 * Webhooks are signed the Standard Webhooks way (`docs/webhooks.md`):
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
 * HMAC of the body alone, replayable) is no longer sent.
 *
 * @module
 */
import { ALERT_SUBJECT_PREFIX, alertSubject } from "../../lib/wire/subjects.ts";

/**
 * What an alert must carry for routing; the rest is sent as is.
 *
 * @example Alerts go to the subject of their spec
 * ```ts
 * import assert from "node:assert/strict";
 * import { createAlertRouter, type RoutableAlert } from "./alerts.ts";
 * const subjects: string[] = [];
 * const router = createAlertRouter<RoutableAlert>({ publish: (subject) => void subjects.push(subject) });
 * router.send({ specName: "Lease", id: "ab12:lock:1:1" });
 * await router.drain();
 * assert.deepEqual(subjects, ["vigil.alerts.Lease"]);
 * ```
 */
export interface RoutableAlert {
  /** Spec name, for the subject `vigil.alerts.<spec>`. */
  readonly specName: string;
  /** A stable id (a violation's): the webhook message id derives from it. Without one, each send gets a random message id. */
  readonly id?: string;
}

/**
 * A webhook target.
 *
 * @example A signed webhook
 * ```ts
 * import assert from "node:assert/strict";
 * import { createAlertRouter, SIGNATURE_HEADER, type Webhook } from "./alerts.ts";
 * const received: Request[] = [];
 * const fetch = (input: URL | Request | string, init?: RequestInit) => {
 *   received.push(new Request(input, init));
 *   return Promise.resolve(new Response(null, { status: 204 }));
 * };
 * const hook: Webhook = { url: "https://hooks.example/vigil", secret: "whsec_c2VjcmV0LWtleS1vZi1hdC1sZWFzdC0yNC1ieXRlcw==" };
 * const router = createAlertRouter({ webhooks: [hook], fetch });
 * router.send({ specName: "Lease" });
 * await router.drain();
 * assert.match(received[0]!.headers.get(SIGNATURE_HEADER) ?? "", /^v1,/);
 * ```
 */
export interface Webhook {
  /** The URL the alert is POSTed to. */
  readonly url: string;
  /**
   * Signing secret(s), `whsec_<base64>` or raw text. Several sign every
   * message with each (key rotation). Without one, the message still
   * carries `webhook-id` and `webhook-timestamp` but no signature.
   */
  readonly secret?: string | readonly string[];
}

/**
 * Options of {@link createAlertRouter}.
 *
 * @example Count deliveries by route
 * ```ts
 * import assert from "node:assert/strict";
 * import { createAlertRouter, type AlertRouterOptions } from "./alerts.ts";
 * const outcomes: string[] = [];
 * const options: AlertRouterOptions = {
 *   publish: () => {},
 *   onDelivery: (route, ok) => void outcomes.push(`${route} ${ok}`),
 * };
 * const router = createAlertRouter(options);
 * router.send({ specName: "Lease" });
 * await router.drain();
 * assert.deepEqual(outcomes, ["nats true"]);
 * ```
 */
export interface AlertRouterOptions {
  /** Webhooks every alert is POSTed to (signed when they have a secret). */
  readonly webhooks?: readonly Webhook[];
  /** Publishes the JSON bytes on a subject (e.g. `nc.publish`). */
  readonly publish?: (subject: string, data: Uint8Array) => void;
  /** Subject prefix. Default `vigil.alerts`. */
  readonly subjectPrefix?: string;
  /** Further attempts per webhook after a network error, 5xx or 429 (any other non-2xx, redirects included, fails at once). Default 5. */
  readonly retries?: number;
  /** Backoff base, ms (doubled per attempt, capped at 30 s). Default 200. */
  readonly backoffMs?: number;
  /** Per-attempt timeout, ms. Default 5000. */
  readonly timeoutMs?: number;
  /** Injectable fetch. */
  readonly fetch?: typeof fetch;
  /** Clock for `webhook-timestamp`, ms since the epoch. Default `Date.now`. */
  readonly now?: () => number;
  /** Called on each delivery outcome (metrics). */
  readonly onDelivery?: (route: "webhook" | "nats", ok: boolean) => void;
  /**
   * Called with an unexpected exception of a listener, of `onDelivery` or of
   * a webhook delivery (the router never lets one out: the other routes and
   * listeners still get the alert). Default `console.error`.
   */
  readonly onError?: (error: unknown) => void;
}

/**
 * Sends alerts to every route.
 *
 * @example In-process listeners get every alert
 * ```ts
 * import assert from "node:assert/strict";
 * import { type AlertRouter, createAlertRouter } from "./alerts.ts";
 * const router: AlertRouter<{ specName: string; property: string }> = createAlertRouter();
 * const seen: string[] = [];
 * const stop = router.listen((a) => void seen.push(a.property));
 * router.send({ specName: "Lease", property: "OneHolder" });
 * stop();
 * router.send({ specName: "Lease", property: "Other" });
 * await router.drain();
 * assert.deepEqual(seen, ["OneHolder"]);
 * ```
 */
export interface AlertRouter<A extends RoutableAlert> {
  /** Routes one alert; returns at once (webhooks deliver in the background). */
  send(alert: A): void;
  /** Adds an in-process listener; returns a function removing it. */
  listen(fn: (alert: A) => void): () => void;
  /** Waits for webhook deliveries in flight (each ends after its retries). */
  drain(): Promise<void>;
}

/**
 * The Standard Webhooks header names (lowercase, as HTTP/2 and `Headers`
 * give them).
 *
 * @example Read a delivery's headers
 * ```ts
 * import assert from "node:assert/strict";
 * import { WEBHOOK_HEADERS } from "./alerts.ts";
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
 * import { SIGNATURE_HEADER } from "./alerts.ts";
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
 * import { signBody, type WebhookMessage } from "./alerts.ts";
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
 * import { signBody } from "./alerts.ts";
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
  checkMessage(message.id, message.timestamp);
  const keys = await Promise.all(secretList(secret).map((s) => importKey(s, "sign")));
  return signWith(keys, signedContent(message.id, message.timestamp, toBytes(body)));
}

/**
 * Why {@link verifyWebhook} refused a message.
 *
 * @example A body changed in transit
 * ```ts
 * import assert from "node:assert/strict";
 * import { signBody, verifyWebhook, WebhookVerificationError, type WebhookVerificationReason } from "./alerts.ts";
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
 * import { WebhookVerificationError } from "./alerts.ts";
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
 * import { signBody, verifyWebhook, type VerifyWebhookOptions } from "./alerts.ts";
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
 * import { signBody, type VerifiedWebhook, verifyWebhook } from "./alerts.ts";
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
 * import { verifyWebhook, WebhookVerificationError, type WebhookHeaders } from "./alerts.ts";
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
 * import { signBody, verifyWebhook, WebhookVerificationError } from "./alerts.ts";
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

/** `msg_` and 24 base64url characters: a hash of the alert's id, else random. */
async function messageId(alert: RoutableAlert): Promise<string> {
  const bytes = typeof alert.id === "string" && alert.id !== ""
    ? new Uint8Array(
      await crypto.subtle.digest("SHA-256", encoder.encode(`vigil-alert:${alert.id}`)),
    ).subarray(0, 18)
    : crypto.getRandomValues(new Uint8Array(18));
  return `msg_${base64(bytes).replaceAll("+", "-").replaceAll("/", "_")}`;
}

/**
 * Creates an alert router.
 *
 * @example Route to a listener
 * ```ts
 * import assert from "node:assert/strict";
 * import { createAlertRouter } from "./alerts.ts";
 * const router = createAlertRouter<{ specName: string; invariant: string }>();
 * const seen: string[] = [];
 * router.listen((a) => seen.push(a.invariant));
 * router.send({ specName: "Lease", invariant: "OneHolder" });
 * assert.ok(seen[0] === "OneHolder");
 * ```
 *
 * @example A signed webhook delivery
 * ```ts
 * import assert from "node:assert/strict";
 * import { createAlertRouter, verifyWebhook } from "./alerts.ts";
 * const secret = "whsec_c2VjcmV0LWtleS1vZi1hdC1sZWFzdC0yNC1ieXRlcw==";
 * const received: Request[] = [];
 * const router = createAlertRouter({
 *   webhooks: [{ url: "http://receiver.test/hook", secret }],
 *   fetch: (url, init) => {
 *     received.push(new Request(url, init));
 *     return Promise.resolve(new Response(null, { status: 204 }));
 *   },
 * });
 * router.send({ specName: "Lease", id: "abc:lock:1:1" });
 * await router.drain();
 * const req = received[0]!;
 * const { id } = await verifyWebhook(secret, req.headers, await req.text());
 * assert.match(id, /^msg_/);
 * ```
 */
export function createAlertRouter<A extends RoutableAlert>(
  options: AlertRouterOptions = {},
): AlertRouter<A> {
  const webhooks = options.webhooks ?? [];
  const retries = options.retries ?? 5;
  const backoffMs = options.backoffMs ?? 200;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const now = options.now ?? Date.now;
  const prefix = options.subjectPrefix ?? ALERT_SUBJECT_PREFIX;
  const listeners = new Set<(alert: A) => void>();
  const inFlight = new Set<Promise<void>>();
  const onError = options.onError ?? ((e: unknown) => console.error("vigil alerts:", e));
  // Secrets are checked now, so a malformed one fails at setup, not per alert.
  const signingKeys = webhooks.map((hook) =>
    hook.secret === undefined ? null : Promise.all(
      secretList(hook.secret).map((s) => {
        secretBytes(s);
        return importKey(s, "sign");
      }),
    )
  );
  for (const keys of signingKeys) keys?.catch(() => {}); // reported on first use
  const report = (e: unknown) => {
    try {
      onError(e);
    } catch {
      // the error sink itself failed: nothing more to do
    }
  };
  const safely = (fn: () => void) => {
    try {
      fn();
    } catch (e) {
      report(e);
    }
  };

  async function deliver(index: number, id: string, body: Uint8Array): Promise<boolean> {
    const hook = webhooks[index]!;
    const keys = await signingKeys[index];
    for (let attempt = 0;; attempt++) {
      let retryable = true;
      try {
        const timestamp = Math.floor(now() / 1000);
        const headers: Record<string, string> = {
          "content-type": "application/json",
          [WEBHOOK_HEADERS.id]: id,
          [WEBHOOK_HEADERS.timestamp]: String(timestamp),
        };
        if (keys !== null && keys !== undefined) {
          headers[WEBHOOK_HEADERS.signature] = await signWith(
            keys,
            signedContent(id, timestamp, body),
          );
        }
        const res = await doFetch(hook.url, {
          method: "POST",
          headers,
          body: body as Uint8Array<ArrayBuffer>,
          redirect: "manual", // a 3xx fails the delivery: the webhook's URL must be updated
          signal: AbortSignal.timeout(timeoutMs),
        });
        await res.body?.cancel();
        if (res.ok) return true;
        retryable = res.status >= 500 || res.status === 429;
      } catch {
        // network error or timeout: retry
      }
      if (!retryable || attempt >= retries) return false;
      const delay = Math.min(30_000, backoffMs * 2 ** attempt);
      await new Promise((r) => setTimeout(r, delay));
    }
  }

  return {
    send(alert) {
      for (const fn of listeners) safely(() => fn(alert));
      if (webhooks.length === 0 && options.publish === undefined) return;
      let body: Uint8Array;
      try {
        body = encoder.encode(JSON.stringify(alert));
      } catch (e) {
        report(e);
        return;
      }
      if (options.publish !== undefined) {
        let ok = true;
        try {
          options.publish(alertSubject(alert.specName, prefix), body);
        } catch {
          ok = false;
        }
        safely(() => options.onDelivery?.("nats", ok));
      }
      if (webhooks.length === 0) return;
      const id = messageId(alert);
      for (let i = 0; i < webhooks.length; i++) {
        const p = id.then((msg) => deliver(i, msg, body))
          .then((ok) => options.onDelivery?.("webhook", ok))
          .catch(report);
        inFlight.add(p);
        void p.finally(() => inFlight.delete(p));
      }
    },
    listen(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    async drain() {
      while (inFlight.size > 0) await Promise.all(inFlight);
    },
  };
}
