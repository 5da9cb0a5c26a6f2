/**
 * Alert routing: every violation the collector raises goes, at once, to
 * each configured route: webhooks (POST JSON, retried with backoff, signed
 * the Standard Webhooks way by `webhook_signature.ts`), a publish function
 * (the command wires it to the NATS subject `vigil.alerts.<spec>`), and
 * in-process listeners (the SSE hubs). Web-standard only (fetch, WebCrypto).
 *
 * @module
 */
import { ALERT_SUBJECT_PREFIX, alertSubject } from "../../lib/wire/subjects.ts";
import { WEBHOOK_HEADERS, webhookMessageId, webhookSigner } from "./webhook_signature.ts";

const encoder = new TextEncoder();

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
 * import { createAlertRouter, type Webhook } from "./alerts.ts";
 * import { SIGNATURE_HEADER } from "./webhook_signature.ts";
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
 * import { createAlertRouter } from "./alerts.ts";
 * import { verifyWebhook } from "./webhook_signature.ts";
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
  const signers = webhooks.map((hook) =>
    hook.secret === undefined ? null : webhookSigner(hook.secret)
  );
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
    const signer = signers[index];
    for (let attempt = 0;; attempt++) {
      let retryable = true;
      try {
        const timestamp = Math.floor(now() / 1000);
        const headers: Record<string, string> = {
          "content-type": "application/json",
          [WEBHOOK_HEADERS.id]: id,
          [WEBHOOK_HEADERS.timestamp]: String(timestamp),
        };
        if (signer !== null && signer !== undefined) {
          headers[WEBHOOK_HEADERS.signature] = await signer.sign({ id, timestamp }, body);
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
      const id = webhookMessageId(alert.id);
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
