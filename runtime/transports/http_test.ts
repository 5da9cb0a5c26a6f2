import assert from "node:assert/strict";
import { httpTransport } from "./http.ts";
import { BatchRefusedError, DeliveryError, HttpStatusError } from "./transport.ts";
import type { BatchMeta } from "../../lib/wire/event.ts";

const META: BatchMeta = { spec: "h", specName: "S", node: "n", boot: "b", firstSeq: 0, count: 1 };

function scripted(answers: (number | Error | [number, Record<string, string>])[]) {
  const calls: Request[] = [];
  const fetch = (input: URL | RequestInfo, init?: RequestInit): Promise<Response> => {
    calls.push(new Request(input, init));
    const a = answers.shift() ?? 204;
    if (a instanceof Error) return Promise.reject(a);
    const [status, headers] = Array.isArray(a) ? a : [a, {}];
    return Promise.resolve(new Response(status === 204 ? null : "x", { status, headers }));
  };
  const sleeps: number[] = [];
  const sleep = (ms: number) => (sleeps.push(ms), Promise.resolve());
  return { calls, sleeps, fetch: fetch as typeof globalThis.fetch, sleep };
}

Deno.test("HTTP transport posts msgpack with the bearer token", async () => {
  const s = scripted([204]);
  const t = httpTransport("http://collector.test/ingest", {
    token: "tok",
    fetch: s.fetch,
    sleep: s.sleep,
  });
  await t.send(new Uint8Array([1, 2, 3]), META);
  const req = s.calls[0]!;
  assert.equal(req.method, "POST");
  assert.equal(req.url, "http://collector.test/ingest");
  assert.equal(req.headers.get("content-type"), "application/x-msgpack");
  assert.equal(req.headers.get("authorization"), "Bearer tok");
  assert.deepEqual(new Uint8Array(await req.arrayBuffer()), new Uint8Array([1, 2, 3]));
});

Deno.test("HTTP transport retries 5xx, 429 and network errors with growing backoff", async () => {
  const s = scripted([
    503,
    new TypeError("connection refused"),
    [429, { "retry-after": "2" }],
    500,
    200,
  ]);
  const t = httpTransport("http://c.test/", {
    token: "t",
    fetch: s.fetch,
    sleep: s.sleep,
    backoffMs: 100,
  });
  await t.send(new Uint8Array([1]), META);
  assert.equal(s.calls.length, 5);
  assert.equal(s.sleeps.length, 4);
  assert.ok(s.sleeps[0]! < 100 && s.sleeps[1]! < 200, String(s.sleeps));
  assert.ok(s.sleeps[2]! >= 2_000, "Retry-After was not honoured");
});

Deno.test("HTTP transport refuses at once on a 4xx other than 408 and 429, carrying the status", async () => {
  const s = scripted([401]);
  const t = httpTransport("http://c.test/", { token: "bad", fetch: s.fetch, sleep: s.sleep });
  await assert.rejects(t.send(new Uint8Array([1]), META), (e: unknown) => {
    assert.ok(e instanceof BatchRefusedError);
    assert.equal(e.status, 401);
    assert.equal(e.reason, "http_401");
    assert.equal(e.detail, "Collector answered HTTP 401: x");
    return true;
  });
  assert.equal(s.calls.length, 1);
});

Deno.test("HTTP transport reads the collector's problem details into the refusal", async () => {
  const problem = {
    type: "urn:vigil:problem:node_mismatch",
    title: "Token does not belong to the batch's node",
    status: 401,
    detail: "Token of node 'api-2' used for node 'api-1'",
    reason: "node_mismatch",
  };
  const answers = [
    problem,
    { ...problem, reason: undefined, type: "urn:vigil:problem:unknown_spec", status: 400 },
    { ...problem, reason: "Not A Word", type: "about:blank", status: 409, detail: "" },
  ];
  const refusals: BatchRefusedError[] = [];
  for (const body of answers) {
    const fetch = () =>
      Promise.resolve(
        new Response(JSON.stringify(body), {
          status: body.status,
          headers: { "content-type": "application/problem+json" },
        }),
      );
    const t = httpTransport("http://c.test/", {
      token: "t",
      fetch,
      sleep: () => Promise.resolve(),
    });
    await t.send(new Uint8Array([1]), META).then(
      () => assert.fail("A refused batch was taken as sent"),
      (e: unknown) => {
        assert.ok(e instanceof BatchRefusedError);
        refusals.push(e);
      },
    );
  }
  assert.deepEqual(
    refusals.map((e) => [e.reason, e.status, e.detail]),
    [
      ["node_mismatch", 401, "Token of node 'api-2' used for node 'api-1'"],
      ["unknown_spec", 400, "Token of node 'api-2' used for node 'api-1'"],
      ["http_409", 409, "Token does not belong to the batch's node"],
    ],
  );
  assert.equal(refusals[0]!.problem?.title, problem.title);
});

Deno.test("HTTP transport retries a 408 and asks the token function at each attempt", async () => {
  const s = scripted([408, 204]);
  const tokens = ["old", "new"];
  const t = httpTransport("http://c.test/", {
    token: () => tokens.shift() ?? "none",
    fetch: s.fetch,
    sleep: s.sleep,
  });
  await t.send(new Uint8Array([1]), META);
  assert.deepEqual(s.calls.map((r) => r.headers.get("authorization")), [
    "Bearer old",
    "Bearer new",
  ]);
});

Deno.test("HTTP transport gives up after its retries with the last failure as cause", async () => {
  const s = scripted([503, 503, 503]);
  const t = httpTransport("http://c.test/", {
    token: "t",
    fetch: s.fetch,
    sleep: s.sleep,
    retries: 2,
  });
  await assert.rejects(t.send(new Uint8Array([1]), META), (e: unknown) => {
    assert.ok(e instanceof HttpStatusError);
    assert.equal(e.status, 503);
    assert.equal(e.attempts, 3);
    return true;
  });
  const n = scripted([new TypeError("down"), new TypeError("down")]);
  const t2 = httpTransport("http://c.test/", {
    token: "t",
    fetch: n.fetch,
    sleep: n.sleep,
    retries: 1,
  });
  await assert.rejects(t2.send(new Uint8Array([1]), META), (e: unknown) => {
    assert.ok(e instanceof DeliveryError);
    assert.ok(e.cause instanceof TypeError);
    assert.equal(e.attempts, 2);
    return true;
  });
});
