import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { createAlertRouter } from "./alerts.ts";
import {
  signBody,
  verifyWebhook,
  WEBHOOK_HEADERS,
  WebhookVerificationError,
  type WebhookVerificationReason,
} from "./webhook_signature.ts";
import { alertSubject } from "../../lib/wire/subjects.ts";

interface TestAlert {
  readonly specName: string;
  readonly invariant: string;
  readonly id?: string;
}

/** The key bytes behind `whsec_<KEY_B64>`. */
const KEY_TEXT = "vigil-test-key-24-bytes-long!!";
const KEY_B64 = "dmlnaWwtdGVzdC1rZXktMjQtYnl0ZXMtbG9uZyEh";
const SECRET = `whsec_${KEY_B64}`;
const OTHER = "whsec_b3RoZXIta2V5LTI0LWJ5dGVzLWxvbmchISE=";
const T0 = 1_700_000_000;

/**
 * The `v1` signature as the Standard Webhooks scheme defines it, with
 * node:crypto (not WebCrypto, not the module under test): base64 of
 * HMAC-SHA256 over `{id}.{timestamp}.{body}` keyed with the secret's bytes.
 */
function referenceSignature(key: Uint8Array, id: string, timestamp: string, body: string): string {
  return "v1," + createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64");
}

interface Delivery {
  readonly url: string;
  readonly headers: Headers;
  readonly body: string;
}

/** A fetch that records each request and answers the statuses given, in turn (then 204). */
function recordingFetch(statuses: number[] = []) {
  const deliveries: Delivery[] = [];
  const fetchStub = (url: string | URL | Request, init?: RequestInit) => {
    deliveries.push({
      url: String(url),
      headers: new Headers(init!.headers),
      body: new TextDecoder().decode(init!.body as Uint8Array),
    });
    return Promise.resolve(new Response(null, { status: statuses.shift() ?? 204 }));
  };
  return { deliveries, fetch: fetchStub as typeof fetch };
}

async function rejectsWith(
  p: Promise<unknown>,
  reason: WebhookVerificationReason,
  message: RegExp,
): Promise<void> {
  await assert.rejects(p, (e) => {
    assert.ok(e instanceof WebhookVerificationError, String(e));
    assert.equal(e.reason, reason, e.message);
    assert.match(e.message, message);
    return true;
  });
}

Deno.test("A webhook delivery carries webhook-id, webhook-timestamp and a v1 signature that an independent HMAC of '{id}.{timestamp}.{body}' reproduces", async () => {
  const { deliveries, fetch } = recordingFetch();
  const router = createAlertRouter<TestAlert>({
    webhooks: [{ url: "http://hook.test/", secret: SECRET }],
    fetch,
    now: () => T0 * 1000 + 999,
  });
  router.send({ specName: "Lease", invariant: "OneHolder", id: "ab12:lock:1:1" });
  await router.drain();
  assert.equal(deliveries.length, 1);
  const d = deliveries[0]!;
  assert.deepEqual(JSON.parse(d.body), {
    specName: "Lease",
    invariant: "OneHolder",
    id: "ab12:lock:1:1",
  });
  assert.equal(d.headers.get("content-type"), "application/json");
  const id = d.headers.get("webhook-id")!;
  assert.match(id, /^msg_[A-Za-z0-9_-]{24}$/);
  assert.equal(d.headers.get("webhook-timestamp"), String(T0), "integer seconds, rounded down");
  const key = new TextEncoder().encode(KEY_TEXT);
  assert.equal(
    d.headers.get("webhook-signature"),
    referenceSignature(key, id, String(T0), d.body),
  );
  assert.equal(d.headers.get("x-vigil-signature"), null, "the former header is gone");
});

Deno.test("signBody matches a signature computed by openssl for a fixed message", async () => {
  // printf '%s' 'msg_2Lq7.1700000000.{"specName":"Lease","id":"x"}' |
  //   openssl dgst -sha256 -hmac 'vigil-test-key-24-bytes-long!!' -binary | base64
  const sig = await signBody(SECRET, '{"specName":"Lease","id":"x"}', {
    id: "msg_2Lq7",
    timestamp: T0,
  });
  assert.equal(sig, "v1,q8F/pyu9cJIS1JHj/AL58VjwQZdC52n08WjzHuRDPAY=");
  // A raw secret (no whsec_ prefix) is its UTF-8 bytes: the same key, the same signature.
  assert.equal(
    await signBody(KEY_TEXT, '{"specName":"Lease","id":"x"}', { id: "msg_2Lq7", timestamp: T0 }),
    sig,
  );
});

Deno.test("A retry after a 503 keeps the webhook-id and is signed anew with its own timestamp", async () => {
  const { deliveries, fetch } = recordingFetch([503, 503]);
  let clock = T0 * 1000;
  const outcomes: boolean[] = [];
  const router = createAlertRouter<TestAlert>({
    webhooks: [{ url: "http://hook.test/", secret: SECRET }],
    fetch,
    backoffMs: 1,
    now: () => (clock += 7_000), // 7 s between attempts
    onDelivery: (_route, ok) => outcomes.push(ok),
  });
  router.send({ specName: "Lease", invariant: "OneHolder", id: "ab12:lock:1:1" });
  await router.drain();
  assert.equal(deliveries.length, 3);
  assert.deepEqual(outcomes, [true]);
  const ids = new Set(deliveries.map((d) => d.headers.get("webhook-id")));
  assert.equal(ids.size, 1, "one message id for every attempt");
  const stamps = deliveries.map((d) => Number(d.headers.get("webhook-timestamp")));
  assert.deepEqual(stamps, [T0 + 7, T0 + 14, T0 + 21]);
  const key = new TextEncoder().encode(KEY_TEXT);
  for (const d of deliveries) {
    const id = d.headers.get("webhook-id")!;
    const ts = d.headers.get("webhook-timestamp")!;
    assert.equal(d.headers.get("webhook-signature"), referenceSignature(key, id, ts, d.body));
  }
});

Deno.test("The same violation sent twice (raised again after a restart) has the same webhook-id; another violation or an alert without id gets another", async () => {
  const { deliveries, fetch } = recordingFetch();
  const router = createAlertRouter<TestAlert>({
    webhooks: [{ url: "http://hook.test/" }],
    fetch,
  });
  for (
    const id of ["ab12:order.42:1", "ab12:order.42:1", "ab12:order.42:2", undefined, undefined]
  ) {
    router.send({ specName: "Lease", invariant: "OneHolder", ...(id === undefined ? {} : { id }) });
    await router.drain(); // one at a time: deliveries in send order
  }
  const ids = deliveries.map((d) => d.headers.get("webhook-id")!);
  assert.equal(ids.length, 5);
  assert.equal(ids[0], ids[1]);
  assert.equal(new Set(ids).size, 4, ids.join(" "));
  for (const id of ids) assert.match(id, /^msg_[A-Za-z0-9_-]+$/, "no '.' from the key in the id");
  // Unsigned webhooks still carry the id and timestamp, but no signature.
  assert.equal(deliveries[0]!.headers.get("webhook-signature"), null);
  assert.match(deliveries[0]!.headers.get("webhook-timestamp")!, /^\d+$/);
});

Deno.test("verifyWebhook refuses a tampered body, id or timestamp as bad_signature", async () => {
  const body = '{"specName":"Lease"}';
  const sig = await signBody(SECRET, body, { id: "msg_1", timestamp: T0 });
  const now = () => T0 * 1000;
  const headers = (id: string, ts: number) =>
    new Headers({ "webhook-id": id, "webhook-timestamp": String(ts), "webhook-signature": sig });
  assert.deepEqual(await verifyWebhook(SECRET, headers("msg_1", T0), body, { now }), {
    id: "msg_1",
    timestamp: T0,
  });
  const bad = /^Header 'webhook-signature' has no v1 signature matching the secret \(1 tried\)$/;
  const tampered: [string, string, number, string][] = [
    ["the body", "msg_1", T0, '{"specName":"Lease "}'],
    ["the id", "msg_2", T0, body],
    ["the timestamp", "msg_1", T0 + 1, body],
  ];
  for (const [what, id, ts, b] of tampered) {
    await rejectsWith(verifyWebhook(SECRET, headers(id, ts), b, { now }), "bad_signature", bad)
      .catch((e) => assert.fail(`tampering with ${what}: ${e}`));
  }
  // The right message checked with another secret.
  await rejectsWith(
    verifyWebhook(OTHER, headers("msg_1", T0), body, { now }),
    "bad_signature",
    bad,
  );
  const noV1 = new Headers({
    "webhook-id": "msg_1",
    "webhook-timestamp": String(T0),
    "webhook-signature": "v2,abc",
  });
  await rejectsWith(
    verifyWebhook(SECRET, noV1, body, { now }),
    "bad_signature",
    /has no 'v1,' signature/,
  );
});

Deno.test("verifyWebhook refuses a timestamp outside the tolerance, either way, and accepts one at its edge", async () => {
  const body = "{}";
  const signed = async (ts: number) =>
    new Headers({
      "webhook-id": "msg_1",
      "webhook-timestamp": String(ts),
      "webhook-signature": await signBody(SECRET, body, { id: "msg_1", timestamp: ts }),
    });
  const now = () => T0 * 1000;
  assert.equal(
    (await verifyWebhook(SECRET, await signed(T0 - 300), body, { now })).timestamp,
    T0 - 300,
  );
  assert.equal(
    (await verifyWebhook(SECRET, await signed(T0 + 300), body, { now })).timestamp,
    T0 + 300,
  );
  await rejectsWith(
    verifyWebhook(SECRET, await signed(T0 - 301), body, { now }),
    "timestamp_outside_tolerance",
    /^Header 'webhook-timestamp' is 301 s in the past, outside the 300 s tolerance/,
  );
  await rejectsWith(
    verifyWebhook(SECRET, await signed(T0 + 3600), body, { now }),
    "timestamp_outside_tolerance",
    /is 3600 s in the future/,
  );
  await rejectsWith(
    verifyWebhook(SECRET, await signed(T0 - 61), body, { now, toleranceSeconds: 60 }),
    "timestamp_outside_tolerance",
    /outside the 60 s tolerance/,
  );
});

Deno.test("verifyWebhook names a missing or malformed header", async () => {
  const body = "{}";
  const full = {
    "webhook-id": "msg_1",
    "webhook-timestamp": String(T0),
    "webhook-signature": await signBody(SECRET, body, { id: "msg_1", timestamp: T0 }),
  };
  const now = () => T0 * 1000;
  for (const name of Object.values(WEBHOOK_HEADERS)) {
    const headers = new Headers(full);
    headers.delete(name);
    await rejectsWith(
      verifyWebhook(SECRET, headers, body, { now }),
      "missing_header",
      new RegExp(`^Header '${name}' is missing$`),
    );
  }
  await rejectsWith(
    verifyWebhook(SECRET, new Headers({ ...full, "webhook-timestamp": "1.7e9" }), body, { now }),
    "malformed_header",
    /^Header 'webhook-timestamp' must be integer seconds since the epoch, got '1\.7e9'$/,
  );
  // node:http's req.headers: a plain record, names lowercase, a repeated header as an array.
  assert.equal((await verifyWebhook(SECRET, full, body, { now })).id, "msg_1");
  await rejectsWith(
    verifyWebhook(SECRET, { ...full, "webhook-id": ["msg_1", "msg_2"] }, body, { now }),
    "malformed_header",
    /^Header 'webhook-id' must appear once, got it 2 times$/,
  );
});

Deno.test("With two secrets (rotation) each message carries two signatures and verifies with either secret alone", async () => {
  const { deliveries, fetch } = recordingFetch();
  const router = createAlertRouter<TestAlert>({
    webhooks: [{ url: "http://hook.test/", secret: [OTHER, SECRET] }],
    fetch,
  });
  router.send({ specName: "Lease", invariant: "OneHolder", id: "v1" });
  await router.drain();
  const d = deliveries[0]!;
  const sigs = d.headers.get("webhook-signature")!.split(" ");
  assert.equal(sigs.length, 2);
  const key = new TextEncoder().encode(KEY_TEXT);
  assert.equal(
    sigs[1],
    referenceSignature(
      key,
      d.headers.get("webhook-id")!,
      d.headers.get("webhook-timestamp")!,
      d.body,
    ),
  );
  assert.equal((await verifyWebhook(SECRET, d.headers, d.body)).id, d.headers.get("webhook-id"));
  assert.equal((await verifyWebhook(OTHER, d.headers, d.body)).id, d.headers.get("webhook-id"));
  // A receiver in the middle of its own rotation accepts any of its secrets.
  assert.ok(await verifyWebhook(["whsec_bmV3", SECRET], d.headers, d.body));
  await rejectsWith(
    verifyWebhook("whsec_bmV3", d.headers, d.body),
    "bad_signature",
    /\(2 tried\)$/,
  );
});

Deno.test("A malformed or empty secret is refused when the router is made, and by signBody and verifyWebhook", async () => {
  assert.throws(
    () =>
      createAlertRouter({ webhooks: [{ url: "http://hook.test/", secret: "whsec_not base64!" }] }),
    (e) =>
      e instanceof TypeError &&
      e.message ===
        "Webhook secret starting with 'whsec_' must be followed by base64 (the key's bytes)" &&
      !e.message.includes("not base64"),
  );
  assert.throws(
    () => createAlertRouter({ webhooks: [{ url: "http://hook.test/", secret: "" }] }),
    /^TypeError: Webhook secret must be a non-empty string$/,
  );
  assert.throws(
    () => createAlertRouter({ webhooks: [{ url: "http://hook.test/", secret: [] }] }),
    TypeError,
  );
  await assert.rejects(verifyWebhook("", new Headers(), "{}"), TypeError);
  await assert.rejects(
    signBody(SECRET, "{}", { id: "msg.1", timestamp: T0 }),
    /^TypeError: Webhook message id must be 1 to 256 printable ASCII characters without '\.' or space, got 'msg\.1'$/,
  );
  await assert.rejects(signBody(SECRET, "{}", { id: "msg_1", timestamp: 1.5 }), RangeError);
  await assert.rejects(
    verifyWebhook(SECRET, new Headers(), "{}", { toleranceSeconds: -1 }),
    RangeError,
  );
});

Deno.test("A receiver on a real HTTP server verifies each attempt and dedupes the retry on webhook-id", async () => {
  const processed: string[] = [];
  const seen = new Set<string>();
  const refusals: string[] = [];
  let attempts = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const body = await req.text();
    let id: string;
    try {
      ({ id } = await verifyWebhook(SECRET, req.headers, body));
    } catch (e) {
      refusals.push((e as WebhookVerificationError).reason);
      return new Response(null, { status: 401 });
    }
    attempts++;
    if (!seen.has(id)) {
      seen.add(id);
      processed.push(JSON.parse(body).invariant);
    }
    // The first attempt is processed, but its answer is lost: the sender retries.
    return new Response(null, { status: attempts === 1 ? 503 : 204 });
  });
  try {
    const url = `http://127.0.0.1:${server.addr.port}/hook`;
    const outcomes: boolean[] = [];
    const router = createAlertRouter<TestAlert>({
      webhooks: [{ url, secret: SECRET }, { url, secret: OTHER }],
      backoffMs: 1,
      onDelivery: (_r, ok) => outcomes.push(ok),
    });
    router.send({ specName: "Lease", invariant: "OneHolder", id: "ab12:lock:1:1" });
    await router.drain();
    assert.equal(attempts, 2, "the first webhook: two attempts");
    assert.deepEqual(processed, ["OneHolder"], "processed once");
    assert.deepEqual(refusals, ["bad_signature"], "the webhook signing with another secret");
    assert.deepEqual(outcomes.sort(), [false, true]);
  } finally {
    await server.shutdown();
  }
});

Deno.test("A webhook answering a redirect over HTTP is not followed and counts as failed", async () => {
  const paths: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
    const path = new URL(req.url).pathname;
    paths.push(path);
    return path === "/hook"
      ? new Response(null, { status: 307, headers: { location: "/elsewhere" } })
      : new Response(null, { status: 204 });
  });
  try {
    const outcomes: boolean[] = [];
    const router = createAlertRouter<TestAlert>({
      webhooks: [{ url: `http://127.0.0.1:${server.addr.port}/hook`, secret: SECRET }],
      onDelivery: (_r, ok) => outcomes.push(ok),
    });
    router.send({ specName: "Lease", invariant: "OneHolder" });
    await router.drain();
    assert.deepEqual(paths, ["/hook"]);
    assert.deepEqual(outcomes, [false]);
  } finally {
    await server.shutdown();
  }
});

Deno.test("A webhook answering 400 is not retried and is counted as failed", async () => {
  let n = 0;
  const outcomes: boolean[] = [];
  const router = createAlertRouter<TestAlert>({
    webhooks: [{ url: "http://hook.test/" }],
    fetch: (() => (n++, Promise.resolve(new Response(null, { status: 400 })))) as typeof fetch,
    onDelivery: (_r, ok) => outcomes.push(ok),
  });
  router.send({ specName: "Lease", invariant: "X" });
  await router.drain();
  assert.equal(n, 1);
  assert.deepEqual(outcomes, [false]);
});

Deno.test("Alerts are published on vigil.alerts.<spec> and reach listeners", () => {
  const published: string[] = [];
  const heard: string[] = [];
  const router = createAlertRouter<TestAlert>({ publish: (s) => published.push(s) });
  const stop = router.listen((a) => heard.push(a.invariant));
  router.send({ specName: "Lease", invariant: "OneHolder" });
  stop();
  router.send({ specName: "my spec", invariant: "Y" });
  assert.deepEqual(published, ["vigil.alerts.Lease", "vigil.alerts.my_spec"]);
  assert.deepEqual(heard, ["OneHolder"]);
  assert.equal(alertSubject("a.b"), "vigil.alerts.a_b");
});

Deno.test("A throwing listener, onDelivery or fetch is reported to onError; the other routes still get the alert", async () => {
  const errors: string[] = [];
  const heard: string[] = [];
  const published: string[] = [];
  const router = createAlertRouter<TestAlert>({
    webhooks: [{ url: "http://hook.test/" }],
    publish: (s) => published.push(s),
    fetch: (() => Promise.resolve(new Response(null, { status: 204 }))) as typeof fetch,
    onDelivery: (route) => {
      throw new Error(`delivery hook failed for ${route}`);
    },
    onError: (e) => errors.push((e as Error).message),
  });
  router.listen(() => {
    throw new Error("listener failed");
  });
  router.listen((a) => heard.push(a.invariant));
  router.send({ specName: "Lease", invariant: "OneHolder" });
  await router.drain();
  assert.deepEqual(heard, ["OneHolder"]);
  assert.deepEqual(published, ["vigil.alerts.Lease"]);
  assert.deepEqual(errors.sort(), [
    "delivery hook failed for nats",
    "delivery hook failed for webhook",
    "listener failed",
  ]);
});
