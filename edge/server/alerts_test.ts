import assert from "node:assert/strict";
import { createAlertRouter, SIGNATURE_HEADER, signBody } from "./alerts.ts";
import { alertSubject } from "../../lib/wire/subjects.ts";

interface TestAlert {
  readonly specName: string;
  readonly invariant: string;
}

Deno.test("A webhook gets the alert signed with HMAC-SHA256, retried after a 503", async () => {
  const calls: { body: string; sig: string | null }[] = [];
  const fetchStub = (_url: string | URL | Request, init?: RequestInit) => {
    const body = new TextDecoder().decode(init!.body as Uint8Array);
    calls.push({ body, sig: new Headers(init!.headers).get(SIGNATURE_HEADER) });
    return Promise.resolve(new Response(null, { status: calls.length === 1 ? 503 : 204 }));
  };
  const outcomes: boolean[] = [];
  const router = createAlertRouter<TestAlert>({
    webhooks: [{ url: "http://hook.test/", secret: "k" }],
    fetch: fetchStub as typeof fetch,
    backoffMs: 1,
    onDelivery: (_route, ok) => outcomes.push(ok),
  });
  router.send({ specName: "Lease", invariant: "OneHolder" });
  await router.drain();
  assert.equal(calls.length, 2);
  assert.deepEqual(JSON.parse(calls[1]!.body), { specName: "Lease", invariant: "OneHolder" });
  const expected = await signBody("k", new TextEncoder().encode(calls[1]!.body));
  assert.equal(calls[1]!.sig, expected);
  assert.deepEqual(outcomes, [true]);
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

Deno.test("signBody matches a known HMAC-SHA256 vector", async () => {
  // RFC 4231 test case 2
  const sig = await signBody("Jefe", new TextEncoder().encode("what do ya want for nothing?"));
  assert.equal(sig, "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
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
