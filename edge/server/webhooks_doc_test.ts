/**
 * docs/webhooks.md stays true: its plain Web Crypto verifier (the `js`
 * block, for receivers not on Vigil) accepts real deliveries of the alert
 * router over HTTP and refuses altered, replayed and foreign ones.
 */
import assert from "node:assert/strict";
import { createAlertRouter } from "./alerts.ts";
import { signBody } from "./webhook_signature.ts";

type Verify = (
  secret: string,
  headers: Headers,
  rawBody: string,
  toleranceSeconds?: number,
) => Promise<string>;

const doc = await Deno.readTextFile(new URL("../../docs/webhooks.md", import.meta.url));
const blocks = [...doc.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!);
assert.equal(blocks.length, 1, "docs/webhooks.md has one js block");
const verifyVigilWebhook = new Function(`${blocks[0]}\nreturn verifyVigilWebhook;`)() as Verify;

const SECRET = "whsec_dmlnaWwtdGVzdC1rZXktMjQtYnl0ZXMtbG9uZyEh";

Deno.test("The doc's Web Crypto verifier accepts real deliveries over HTTP, with a whsec_ or a raw secret", async () => {
  const received: { path: string; headers: Headers; body: string }[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    received.push({
      path: new URL(req.url).pathname,
      headers: req.headers,
      body: await req.text(),
    });
    return new Response(null, { status: 204 });
  });
  try {
    const base = `http://127.0.0.1:${server.addr.port}`;
    const secrets: Record<string, string> = { "/a": SECRET, "/b": "plain text secret" };
    const router = createAlertRouter<{ specName: string; id: string; message: string }>({
      webhooks: Object.entries(secrets).map(([path, secret]) => ({ url: base + path, secret })),
    });
    router.send({ specName: "Lease", id: "ab12:caf\u00e9.1:1", message: "d\u00e9j\u00e0 vu" });
    await router.drain();
    assert.deepEqual(received.map((r) => r.path).sort(), ["/a", "/b"]);
    const ids = new Set<string>();
    for (const { path, headers, body } of received) {
      ids.add(await verifyVigilWebhook(secrets[path]!, headers, body));
      await assert.rejects(
        verifyVigilWebhook(secrets[path === "/a" ? "/b" : "/a"]!, headers, body),
      );
    }
    assert.equal(ids.size, 1, "both webhooks got the same message id");
  } finally {
    await server.shutdown();
  }
});

Deno.test("The doc's Web Crypto verifier refuses an altered body, a replay outside the window, another secret and missing headers", async () => {
  const body = '{"specName":"Lease"}';
  const signed = async (timestamp: number) =>
    new Headers({
      "webhook-id": "msg_1",
      "webhook-timestamp": String(timestamp),
      "webhook-signature": await signBody(SECRET, body, { id: "msg_1", timestamp }),
    });
  const now = Math.floor(Date.now() / 1000);
  assert.equal(await verifyVigilWebhook(SECRET, await signed(now), body), "msg_1");
  await assert.rejects(
    verifyVigilWebhook(SECRET, await signed(now), body + " "),
    /No webhook-signature matches/,
  );
  await assert.rejects(
    verifyVigilWebhook(SECRET, await signed(now - 600), body),
    /outside the replay window/,
  );
  await assert.rejects(
    verifyVigilWebhook("whsec_bmV3", await signed(now), body),
    /No webhook-signature matches/,
  );
  await assert.rejects(
    verifyVigilWebhook(SECRET, new Headers(), body),
    /A webhook header is missing/,
  );
});
