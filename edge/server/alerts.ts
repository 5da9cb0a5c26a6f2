/**
 * Alert routing: every violation the collector raises goes, at once, to
 * each configured route: webhooks (POST JSON, retried with backoff, signed
 * with HMAC-SHA256 in `X-Vigil-Signature: sha256=<hex>` when a secret is
 * set), a publish function (the command wires it to the NATS subject
 * `vigil.alerts.<spec>`), and in-process listeners (the SSE hub).
 * Web-standard only (fetch, WebCrypto).
 *
 * @module
 */
import { ALERT_SUBJECT_PREFIX, alertSubject } from "../../lib/wire/subjects.ts";

/** What an alert must carry for routing; the rest is sent as is. */
export interface RoutableAlert {
  /** Spec name, for the subject `vigil.alerts.<spec>`. */
  readonly specName: string;
}

/** A webhook target. */
export interface Webhook {
  readonly url: string;
  /** HMAC-SHA256 key; when set, the body's signature goes in `X-Vigil-Signature`. */
  readonly secret?: string;
}

/** Options of {@link createAlertRouter}. */
export interface AlertRouterOptions {
  readonly webhooks?: readonly Webhook[];
  /** Publishes the JSON bytes on a subject (e.g. `nc.publish`). */
  readonly publish?: (subject: string, data: Uint8Array) => void;
  /** Subject prefix. Default `vigil.alerts`. */
  readonly subjectPrefix?: string;
  /** Further attempts per webhook after a network error, 5xx or 429. Default 5. */
  readonly retries?: number;
  /** Backoff base, ms (doubled per attempt, capped at 30 s). Default 200. */
  readonly backoffMs?: number;
  /** Per-attempt timeout, ms. Default 5000. */
  readonly timeoutMs?: number;
  /** Injectable fetch. */
  readonly fetch?: typeof fetch;
  /** Called on each delivery outcome (metrics). */
  readonly onDelivery?: (route: "webhook" | "nats", ok: boolean) => void;
  /**
   * Called with an unexpected exception of a listener, of `onDelivery` or of
   * a webhook delivery (the router never lets one out: the other routes and
   * listeners still get the alert). Default `console.error`.
   */
  readonly onError?: (error: unknown) => void;
}

/** Sends alerts to every route. */
export interface AlertRouter<A extends RoutableAlert> {
  /** Routes one alert; returns at once (webhooks deliver in the background). */
  send(alert: A): void;
  /** Adds an in-process listener; returns a function removing it. */
  listen(fn: (alert: A) => void): () => void;
  /** Waits for webhook deliveries in flight (each ends after its retries). */
  drain(): Promise<void>;
}

/** The signature header name. */
export const SIGNATURE_HEADER = "x-vigil-signature";

const encoder = new TextEncoder();

/**
 * Signs a body: `sha256=<lowercase hex of HMAC-SHA256(secret, body)>`.
 *
 * @example Sign and compare
 * ```ts
 * import assert from "node:assert/strict";
 * import { signBody } from "./alerts.ts";
 * const sig = await signBody("key", new TextEncoder().encode("{}"));
 * assert.ok(sig.startsWith("sha256=") && sig.length === 71);
 * ```
 */
export async function signBody(secret: string, body: Uint8Array): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(
    await crypto.subtle.sign("HMAC", key, body as Uint8Array<ArrayBuffer>),
  );
  return `sha256=${Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("")}`;
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
 */
export function createAlertRouter<A extends RoutableAlert>(
  options: AlertRouterOptions = {},
): AlertRouter<A> {
  const webhooks = options.webhooks ?? [];
  const retries = options.retries ?? 5;
  const backoffMs = options.backoffMs ?? 200;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const prefix = options.subjectPrefix ?? ALERT_SUBJECT_PREFIX;
  const listeners = new Set<(alert: A) => void>();
  const inFlight = new Set<Promise<void>>();
  const onError = options.onError ?? ((e: unknown) => console.error("vigil alerts:", e));
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

  async function deliver(hook: Webhook, body: Uint8Array): Promise<boolean> {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (hook.secret !== undefined) headers[SIGNATURE_HEADER] = await signBody(hook.secret, body);
    for (let attempt = 0;; attempt++) {
      let retryable = true;
      try {
        const res = await doFetch(hook.url, {
          method: "POST",
          headers,
          body: body as Uint8Array<ArrayBuffer>,
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
      for (const hook of webhooks) {
        const p = deliver(hook, body)
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
