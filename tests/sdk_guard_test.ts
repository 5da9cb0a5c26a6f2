/**
 * `vigilGuard` on real Hono apps (`app.request`): refusals as problem+json
 * (409 for the spec's refusals, 422 for arguments, 404 for a request naming
 * no action, 500 for a callback or store that failed), commits only after a
 * 2xx, events, per-key serialization, compare-and-set across guards, the
 * typed options (a misspelled action or argument does not compile: the
 * `@ts-expect-error` lines fail `deno check` when the error disappears;
 * and it throws when the guard is created), typed route parameters, and
 * states stored by another version of the spec converted by both stores.
 */
import assert from "node:assert/strict";
import { type Context, type Env, Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { compiledDir, loadExample } from "../tools/harness/sdk_fixture.ts";
import { compileToTemp, ROOT } from "../tools/harness/spec_files.ts";
import { vigilGuard } from "../runtime/hono/guard.ts";
import { type GuardStore, memoryGuardStore } from "../runtime/hono/guard_store.ts";
import { kvGuardStore, type KvLike } from "../runtime/hono/kv_guard_store.ts";
import { loadSpec } from "../runtime/monitor/load_spec.ts";
import type { StepEvent } from "../lib/wire/event.ts";
import { waitFor } from "../tools/harness/wait.ts";
import { OrderMonitor } from "../examples/edge-orders/order.monitor.ts";
import { generateTypeScript } from "../lib/gen/typescript.ts";

const lease = await loadExample("lease");
const order = await OrderMonitor.load(`${await compiledDir("order")}/order.core.wasm`);

interface Setup {
  readonly store?: GuardStore;
  readonly events?: StepEvent[];
  /** Awaited by the handler before it answers. */
  readonly gate?: () => Promise<void>;
}

/**
 * An app guarding `POST /locks/:id/:action` with body `{ c }`; header
 * `x-answer` sets the status. `arrived()` counts the requests whose
 * arguments the guard has read (it reads them before it waits for the key).
 */
function app(setup: Setup = {}) {
  const app = new Hono();
  app.onError((_e, c) => c.text("failed", 500));
  let handled = 0;
  let arrived = 0;
  const events = setup.events;
  app.post(
    "/locks/:id/:action",
    vigilGuard(lease, {
      route: "/locks/:id/:action",
      key: (c) => `lock:${c.req.param("id")}`,
      action: (c) => c.req.param("action"),
      args: async (c) => {
        const args = await c.req.json();
        arrived++;
        return args;
      },
      node: "edge-1",
      ...(setup.store ? { store: setup.store } : {}),
      ...(events ? { sink: { push: (e: StepEvent) => events.push(e) } } : {}),
    }),
    async (c) => {
      handled++;
      await setup.gate?.();
      if (c.req.header("x-throw")) throw new Error("handler failed");
      return c.json({ done: true }, Number(c.req.header("x-answer") ?? 200) as 200);
    },
  );
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    app.request(path, { method: "POST", body: JSON.stringify(body), headers });
  return { post, handled: () => handled, arrived: () => arrived };
}

/** The problem+json body of a response, checking its media type and that it has a detail. */
async function problem(res: Response): Promise<Record<string, unknown>> {
  assert.equal(res.headers.get("content-type"), "application/problem+json");
  const body = await res.json();
  assert.equal(body.status, res.status);
  assert.equal(typeof body.detail, "string");
  assert.ok(body.detail.length > 20, `a useful detail, got '${body.detail}'`);
  return body;
}

Deno.test("vigilGuard answers a refused transition with 409 problem+json naming the guard and line", async () => {
  const a = app();
  assert.equal((await a.post("/locks/1/acquire", { c: 2 })).status, 200);
  const res = await a.post("/locks/1/acquire", { c: 3 });
  assert.equal(res.status, 409);
  assert.deepEqual(await problem(res), {
    type: "urn:vigil:problem:guard_failed",
    title: "Transition refused",
    status: 409,
    detail:
      "Transition 'acquire' of 'lock:1' refused: guard_failed in action acquire: require mode == free (Lease:14:5)",
    action: "acquire",
    verdict: "guard_failed",
    code: 3,
    item: "action acquire",
    guard: "require mode == free",
    line: 14,
    column: 5,
    spec: "Lease",
    key: "lock:1",
  });
  assert.equal(a.handled(), 1, "the refused request never reached the handler");
  assert.equal((await a.post("/locks/2/acquire", { c: 3 })).status, 200, "keys are independent");
});

Deno.test("vigilGuard answers an argument outside its type (bad_argument) with 422 problem+json", async () => {
  const a = app();
  const res = await a.post("/locks/1/acquire", { c: 9 });
  assert.equal(res.status, 422);
  const body = await problem(res);
  assert.equal(body.type, "urn:vigil:problem:bad_argument");
  assert.equal(body.verdict, "bad_argument");
  assert.match(String(body.detail), /^Transition 'acquire' of 'lock:1' refused: bad_argument/);
  assert.equal(a.handled(), 0);
  assert.equal((await a.post("/locks/1/acquire", { c: 1 })).status, 200, "nothing was applied");
});

Deno.test("vigilGuard answers 422 problem+json for arguments it cannot encode", async () => {
  const a = app();
  const res = await a.post("/locks/1/acquire", { c: "two" });
  assert.equal(res.status, 422);
  const body = await problem(res);
  assert.equal(body.type, "urn:vigil:problem:invalid_arguments");
  assert.match(String(body.detail), /parameter 'c': expected a number or bigint, got 'two'$/);
  const missing = await problem(await a.post("/locks/1/acquire", {}));
  assert.match(String(missing.detail), /parameter 'c': missing argument$/);
  assert.equal(a.handled(), 0);
});

Deno.test("vigilGuard answers a request naming no action of the spec with 404 problem+json and the nearest name", async () => {
  const a = app();
  const res = await a.post("/locks/1/aquire", { c: 1 });
  assert.equal(res.status, 404);
  const body = await problem(res);
  assert.equal(body.type, "urn:vigil:problem:unknown_action");
  assert.equal(
    body.detail,
    "'aquire' is not an action of spec 'Lease' (did you mean 'acquire'?); its actions are 'acquire', 'release'",
  );
  assert.equal(a.arrived(), 0, "the arguments were not even read");
});

Deno.test("vigilGuard commits only when the handler answers 2xx", async () => {
  const store = memoryGuardStore();
  const a = app({ store });
  assert.equal((await a.post("/locks/1/acquire", { c: 2 }, { "x-answer": "503" })).status, 503);
  assert.equal(store.size, 0);
  assert.equal((await a.post("/locks/1/acquire", { c: 2 }, { "x-throw": "1" })).status, 500);
  assert.equal(store.size, 0);
  assert.equal((await a.post("/locks/1/acquire", { c: 2 }, { "x-answer": "201" })).status, 201);
  assert.equal(store.size, 1);
  assert.equal((await a.post("/locks/1/release", { c: 2 })).status, 200);
  assert.equal((await a.post("/locks/1/acquire", { c: 1 })).status, 200);
});

Deno.test("vigilGuard emits a refusal event and a commit event, none for a failed handler", async () => {
  const events: StepEvent[] = [];
  const a = app({ events });
  await a.post("/locks/9/acquire", { c: 1 }, { "x-answer": "500" });
  await a.post("/locks/9/acquire", { c: 1 });
  await a.post("/locks/9/acquire", { c: 2 });
  assert.deepEqual(events.map((e) => [e.key, e.node, e.action, Array.from(e.args), e.verdict]), [
    ["lock:9", "edge-1", 0, [1], 0],
    ["lock:9", "edge-1", 0, [2], 3],
  ]);
  assert.equal(events[0]!.spec, lease.hash);
});

Deno.test("vigilGuard serializes requests per key so two cannot pass from one state", async () => {
  let open = () => {};
  const gate = new Promise<void>((r) => (open = r));
  const a = app({ gate: () => gate });
  const first = a.post("/locks/1/acquire", { c: 1 });
  const second = a.post("/locks/1/acquire", { c: 2 });
  await waitFor(() => a.arrived() === 2, { what: "both requests at the guard" });
  assert.equal(a.handled(), 1, "the second request waits while the first holds the key");
  open();
  assert.deepEqual([(await first).status, (await second).status], [200, 409]);
  assert.equal(a.handled(), 1);
});

/** An app guarding `POST /fail` whose callbacks throw as `mode` says. */
function failing(mode: "key" | "args" | "http" | "plain") {
  const app = new Hono();
  let handled = 0;
  app.post(
    "/fail",
    vigilGuard(lease, {
      key: () => {
        if (mode === "key") throw new RangeError("no key in this request");
        return "lock:f";
      },
      action: "acquire",
      args: async (c) => {
        if (mode === "http") throw new HTTPException(400, { message: "Send a JSON body" });
        if (mode === "plain") throw "not an error";
        return { c: Number((await c.req.json()).client) };
      },
    }),
    (c) => (handled++, c.json({ ok: true })),
  );
  const post = (body: string) => app.request("/fail", { method: "POST", body });
  return { post, handled: () => handled };
}

Deno.test("vigilGuard answers 500 problem+json when a callback throws, naming it and the error; the handler does not run", async () => {
  const args = failing("args");
  const res = await args.post("not json");
  assert.equal(res.status, 500);
  const body = await problem(res);
  assert.equal(body.type, "urn:vigil:problem:callback_failed");
  assert.equal(body.callback, "args");
  assert.match(
    String(body.detail),
    /^The guard's 'args' callback threw for transition 'acquire' of 'lock:f': SyntaxError: /,
  );
  assert.equal(args.handled(), 0);
  const key = await problem(await failing("key").post("{}"));
  assert.equal(
    key.detail,
    "The guard's 'key' callback threw for transition 'acquire': RangeError: no key in this request",
  );
  const thrown = await problem(await failing("plain").post("{}"));
  assert.match(String(thrown.detail), /threw .*: a thrown string \(not an error\)$/);
  const http = await failing("http").post("{}");
  assert.equal(http.status, 400, "an HTTPException answers itself");
  assert.equal(await http.text(), "Send a JSON body");
});

Deno.test("vigilGuard checks its options when created: a misspelled action throws with the nearest name", () => {
  assert.throws(
    () => vigilGuard(lease, { key: () => "k", action: "aquire", args: () => ({ c: 1 }) }),
    new TypeError(
      "Option 'action' of vigilGuard: 'aquire' is not an action of spec 'Lease' (did you mean 'acquire'?); its actions are 'acquire', 'release'",
    ),
  );
  assert.throws(
    () => vigilGuard(lease, { key: () => "k", action: "acquire" }),
    new TypeError(
      "Option 'args' of vigilGuard is missing: action 'acquire' of spec 'Lease' takes 'c'",
    ),
  );
  assert.throws(
    () => vigilGuard(lease, { key: "lock" as unknown as () => string, action: "acquire" }),
    /Option 'key' of vigilGuard must be a function, got string/,
  );
  assert.throws(
    () =>
      vigilGuard(lease, { route: "locks", key: () => "k", action: "release", args: () => ({}) }),
    /Option 'route' of vigilGuard must be a path/,
  );
});

Deno.test("vigilGuard typed by the generated class: a misspelled action or argument does not compile, and throws at creation", () => {
  assert.throws(() =>
    vigilGuard(order, {
      key: () => "order:1",
      // @ts-expect-error 'shipp' is not an action of spec Order (OrderArgs)
      action: "shipp",
    }), /did you mean 'ship'\?/);
  assert.throws(
    () =>
      // @ts-expect-error `pay` takes an amount: `args` is required
      vigilGuard(order, {
        key: () => "order:1",
        action: "pay",
      }),
    /Option 'args' of vigilGuard is missing: action 'pay' of spec 'Order' takes 'amount'/,
  );
  vigilGuard(OrderMonitor, {
    key: () => "order:1",
    action: "pay",
    // @ts-expect-error the parameter of `pay` is `amount`
    args: () => ({ amt: 100 }),
  });
  vigilGuard(order, {
    key: () => "order:1",
    action: "refund",
    // @ts-expect-error an amount is a number (an `Amount`), not a string
    args: () => ({ amount: "100" }),
  });
  vigilGuard(order, { key: () => "order:1", action: "ship" }); // no parameter: no args
});

/** The order app of the typed guard: `POST /orders/:id/pay` with `{ amount }`, and the others. */
function orderApp(store = memoryGuardStore()) {
  const app = new Hono();
  app.post(
    "/orders/:id/price",
    vigilGuard(order, {
      route: "/orders/:id/price",
      key: (c) => {
        const id: string = c.req.param("id"); // typed by the route: never undefined
        return `order:${id}`;
      },
      action: "setPrice",
      args: async (c) => ({ amount: Number((await c.req.json()).amount) }),
      store,
    }),
    (c) => c.json({ priced: c.req.param("id") }),
  );
  app.post(
    "/orders/:id/pay",
    vigilGuard(OrderMonitor, {
      route: "/orders/:id/pay",
      key: (c) => `order:${c.req.param("id")}`,
      action: "pay",
      args: async (c) => ({ amount: Number((await c.req.json()).amount) }),
      store,
    }),
    (c) => c.json({ paid: c.req.param("id") }),
  );
  app.post(
    "/orders/:id/ship",
    vigilGuard(order, {
      route: "/orders/:id/ship",
      key: (c) => `order:${c.req.param("id")}`,
      action: "ship",
      store,
    }),
    (c) => c.json({ shipped: c.req.param("id") }),
  );
  const post = (path: string, body?: unknown) =>
    app.request(path, {
      method: "POST",
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  return { post, store };
}

Deno.test("vigilGuard typed by the generated class guards an order workflow through its routes", async () => {
  const o = orderApp();
  assert.equal((await o.post("/orders/A-1/ship")).status, 409, "nothing to ship before payment");
  assert.equal((await o.post("/orders/A-1/price", { amount: 2500 })).status, 200);
  const wrong = await o.post("/orders/A-1/pay", { amount: 2000 });
  assert.equal(wrong.status, 409);
  assert.equal((await problem(wrong)).guard, "require amount == price");
  const huge = await o.post("/orders/A-1/pay", { amount: 5_000_000 });
  assert.equal(huge.status, 422, "an amount outside 0..1000000");
  assert.equal((await problem(huge)).verdict, "bad_argument");
  assert.deepEqual(await (await o.post("/orders/A-1/pay", { amount: 2500 })).json(), {
    paid: "A-1",
  });
  assert.equal((await o.post("/orders/A-1/ship")).status, 200);
  const { value } = await o.store.load(order, "order:A-1");
  const m = order.monitor();
  m.setStateBytes(value!.state);
  assert.deepEqual(m.state, {
    status: "shipped",
    price: 2500,
    paidAmount: 2500,
    refunded: 0,
    refundCount: 0,
  });
});

Deno.test("vigilGuard route option types the route's parameters and answers 500 route_mismatch on a route without them", async () => {
  const guard = vigilGuard(lease, {
    route: "/locks/:id",
    key: (c) => `lock:${c.req.param("id")}`,
    action: "acquire",
    args: () => ({ c: 1 }),
  });
  const app = new Hono();
  app.post("/locks/:id", guard, (c) => c.json({ ok: true }));
  app.post("/leases/:name", guard as never, (c) => c.json({ ok: true }));
  const sub = new Hono();
  sub.post("/locks/:id", guard, (c) => c.json({ ok: true }));
  app.route("/api", sub);
  assert.equal((await app.request("/locks/1", { method: "POST" })).status, 200);
  assert.equal(
    (await app.request("/api/locks/2", { method: "POST" })).status,
    200,
    "under a prefix",
  );
  const res = await app.request("/leases/x", { method: "POST" });
  assert.equal(res.status, 500);
  const body = await problem(res);
  assert.equal(body.type, "urn:vigil:problem:route_mismatch");
  assert.equal(
    body.detail,
    "The guard of spec 'Lease' is declared for route '/locks/:id', but the route it is mounted on has no parameter 'id': its callbacks would read the wrong route parameters",
  );
  vigilGuard(lease, {
    route: "/locks/:id",
    // @ts-expect-error the route has no parameter 'name'
    key: (c) => c.req.param("name"),
    action: "release",
    args: () => ({ c: 1 }),
  });
  // Annotating the callback's Context types the parameters too.
  vigilGuard(lease, {
    key: (c: Context<Env, "/locks/:id">) => c.req.param("id"),
    action: "release",
    args: () => ({ c: 1 }),
  });
});

/** Two guards ("isolates") over one store, both handlers held until both checked. */
async function race(store: GuardStore): Promise<number[]> {
  let arrived = 0;
  let open = () => {};
  const both = new Promise<void>((r) => (open = r));
  const gate = () => (++arrived === 2 && open(), both);
  const a = app({ store, gate });
  const b = app({ store, gate });
  const [ra, rb] = await Promise.all([
    a.post("/locks/1/acquire", { c: 1 }),
    b.post("/locks/1/acquire", { c: 2 }),
  ]);
  const statuses = [ra.status, rb.status].sort();
  const loser = ra.status === 409 ? ra : rb;
  assert.equal((await problem(loser)).verdict, "conflict");
  return statuses;
}

Deno.test("Two guards over one memory store cannot both commit from the same state", async () => {
  assert.deepEqual(await race(memoryGuardStore()), [200, 409]);
});

/** A KV stand-in with versionstamps and atomic checks (Deno.openKv needs --unstable-kv). */
function fakeKv(): KvLike & { data: Map<string, { value: unknown; versionstamp: string }> } {
  const data = new Map<string, { value: unknown; versionstamp: string }>();
  let n = 0;
  const id = (k: readonly unknown[]) => JSON.stringify(k.map(String));
  return {
    data,
    get: (k) => Promise.resolve(data.get(id(k)) ?? { value: null, versionstamp: null }),
    atomic() {
      const checks: { key: readonly unknown[]; versionstamp: string | null }[] = [];
      const sets: [readonly unknown[], unknown][] = [];
      const op = {
        check: (...cs: typeof checks) => (checks.push(...cs), op),
        set: (k: readonly unknown[], v: unknown) => (sets.push([k, v]), op),
        delete: (): never => {
          throw new Error("The guard store never deletes");
        },
        commit: () => {
          const ok = checks.every((c) =>
            (data.get(id(c.key))?.versionstamp ?? null) === c.versionstamp
          );
          if (ok) {
            for (const [k, v] of sets) data.set(id(k), { value: v, versionstamp: String(++n) });
          }
          return Promise.resolve({ ok });
        },
      };
      return op;
    },
  };
}

Deno.test("kvGuardStore commits with a versionstamp check (KV stand-in)", async () => {
  const store = kvGuardStore(fakeKv());
  assert.deepEqual(await race(store), [200, 409]);
  const loaded = await store.load(lease, "lock:1");
  assert.equal(loaded.value?.hash, lease.hash);
  assert.equal(loaded.value?.state.length, lease.meta.stride);
  assert.deepEqual((await store.load("Lease", "lock:1")).value, loaded.value, "by name: as stored");
});

const openKv =
  (Deno as unknown as { openKv?: (path: string) => Promise<KvLike & { close(): void }> })
    .openKv;

Deno.test({
  name: "kvGuardStore keeps guarded instances in Deno KV and refuses a lost race",
  ignore: openKv === undefined,
  async fn() {
    const kv = await openKv!(":memory:");
    try {
      const store = kvGuardStore(kv, { prefix: ["test"] });
      const a = app({ store });
      assert.equal((await a.post("/locks/7/acquire", { c: 1 })).status, 200);
      assert.equal((await a.post("/locks/7/acquire", { c: 2 })).status, 409);
      const entry = await kv.get(["test", "Lease", "lock:7"]);
      assert.ok(entry.versionstamp !== null);
      assert.deepEqual(await race(kvGuardStore(kv, { prefix: ["race"] })), [200, 409]);
    } finally {
      kv.close();
    }
  },
});

Deno.test("vigilGuard answers 500 problem+json when the store fails to load", async () => {
  const kv = fakeKv();
  kv.data.set(JSON.stringify(["vigil", "Lease", "lock:1"]), {
    value: { not: "an instance" },
    versionstamp: "1",
  });
  const a = app({ store: kvGuardStore(kv) });
  const res = await a.post("/locks/1/acquire", { c: 1 });
  assert.equal(res.status, 500);
  const body = await problem(res);
  assert.equal(body.type, "urn:vigil:problem:store_failed");
  assert.match(
    String(body.detail),
    /^Loading instance 'lock:1' of spec 'Lease' from the guard store failed: TypeError: KV entry .* is not a Vigil instance$/,
  );
  assert.equal(a.handled(), 0);
});

// --- Versions of a spec sharing a store (docs/upgrades.md) -------------------

/** Versions 1, 2 and 3 of the upgrade Lease, each loaded on its own. */
const versions = await Promise.all(["lease_v1", "lease_v2", "lease_v3"].map(async (name) => {
  const source = await Deno.readTextFile(`${ROOT}specs/upgrade/${name}.vigil`);
  const { dir } = await compileToTemp(name, source);
  return await loadSpec(`${dir}/${name}.core.wasm`);
}));
const [v1, v2, v3] = versions as [typeof lease, typeof lease, typeof lease];

/** A replica guarding `POST /locks/:id/:action` (body `{ c }`) with one version, over `store`. */
function replica(spec: typeof lease, store: GuardStore) {
  const app = new Hono();
  app.post(
    "/locks/:id/:action",
    vigilGuard(spec, {
      route: "/locks/:id/:action",
      key: (c) => `lock:${c.req.param("id")}`,
      action: (c) => c.req.param("action"),
      args: async (c) => await c.req.json(),
      store,
    }),
    (c) => c.json({ ok: true }),
  );
  return (path: string, body: unknown = {}) =>
    app.request(path, { method: "POST", body: JSON.stringify(body) });
}

/** The state of `key` as version `spec` reads it from `store`. */
async function stateIn(store: GuardStore, spec: typeof lease, key: string) {
  const { value } = await store.load(spec, key);
  const m = spec.monitor();
  try {
    m.setStateBytes(value!.state);
    return m.state;
  } finally {
    m.close();
  }
}

for (
  const [name, makeStore] of [
    ["memoryGuardStore", () => memoryGuardStore()],
    ["kvGuardStore", () => kvGuardStore(fakeKv())],
  ] as const
) {
  Deno.test(`${name}: replicas of versions 1 and 2 share instances, each converting the other's states by variable name`, async () => {
    const store = makeStore();
    const old = replica(v1, store);
    const next = replica(v2, store);
    assert.equal((await old("/locks/7/acquire", { c: 3 })).status, 200);
    assert.deepEqual(await stateIn(store, v2, "lock:7"), {
      mode: "held",
      owner: 3,
      token: 1,
      renewals: 0,
    });
    const converted = await store.load(v2, "lock:7");
    assert.equal(converted.convertedFrom, v1.hash);
    assert.equal(
      (await next("/locks/7/acquire", { c: 1 })).status,
      409,
      "held, as version 1 left it",
    );
    assert.equal((await next("/locks/7/renew", { c: 3 })).status, 200, "version 2 steps it");
    assert.equal((await store.load("Lease", "lock:7")).value?.hash, v2.hash, "stored by version 2");
    assert.equal((await old("/locks/7/release", { c: 3 })).status, 200, "rolled back: converts");
    assert.deepEqual(await stateIn(store, v1, "lock:7"), {
      mode: "free",
      owner: 3,
      token: 1,
      audited: false,
    });
    assert.equal(
      (await next("/locks/7/acquire", { c: 6 })).status,
      200,
      "version 2's wider Client",
    );
    assert.deepEqual(await stateIn(store, v2, "lock:7"), {
      mode: "held",
      owner: 6,
      token: 2,
      renewals: 0,
    });
  });

  Deno.test(`${name}: a stored state that does not convert answers 409 unconvertible_state naming the variable`, async () => {
    const store = makeStore();
    const next = replica(v2, store);
    const old = replica(v1, store);
    assert.equal((await next("/locks/8/acquire", { c: 6 })).status, 200);
    const owner = await old("/locks/8/release", { c: 6 });
    assert.equal(owner.status, 409);
    const body = await problem(owner);
    assert.deepEqual([body.type, body.variable, body.from, body.to], [
      "urn:vigil:problem:unconvertible_state",
      "owner",
      v2.hash,
      v1.hash,
    ]);
    assert.equal(
      body.detail,
      `Instance 'lock:8' of spec 'Lease' was stored by version '${
        v2.hash.slice(0, 12)
      }' and does not convert to version '${
        v1.hash.slice(0, 12)
      }': Variable 'owner' holds 6, outside '0..3' of the new version`,
    );
    assert.equal((await next("/locks/8/expire")).status, 200);
    const expired = await problem(await old("/locks/8/acquire", { c: 1 }));
    assert.equal(expired.variable, "mode");
    assert.match(
      String(expired.detail),
      /Variable 'mode' holds 'expired', a label the new version does not have$/,
    );
    const retyped = await problem(await replica(v3, store)("/locks/8/acquire", { c: 1 }));
    assert.equal(retyped.status, 409);
    assert.equal(retyped.variable, "renewals");
    assert.match(
      String(retyped.detail),
      /Variable 'renewals' changed type from '0\.\.100' to 'bool'$/,
    );
    assert.equal(
      (await next("/locks/8/acquire", { c: 1 })).status,
      200,
      "its own version still serves it",
    );
  });
}

Deno.test("A state stored by a version whose layout the store never recorded answers 500 unknown_version", async () => {
  const kv = fakeKv();
  const m = v1.monitor();
  m.step("acquire", { c: 1 });
  kv.data.set(JSON.stringify(["vigil", "Lease", "lock:9"]), {
    value: { hash: v1.hash, state: m.stateBytes() },
    versionstamp: "1",
  });
  const res = await replica(v2, kvGuardStore(kv))("/locks/9/release", { c: 1 });
  assert.equal(res.status, 500);
  const body = await problem(res);
  assert.equal(body.type, "urn:vigil:problem:unknown_version");
  assert.match(String(body.detail), /whose state layout this store has not recorded/);
});

Deno.test({
  name:
    "kvGuardStore in Deno KV converts a state stored by another version as the memory store does",
  ignore: openKv === undefined,
  async fn() {
    const kv = await openKv!(":memory:");
    try {
      const store = kvGuardStore(kv, { prefix: ["up"] });
      assert.equal((await replica(v1, store)("/locks/7/acquire", { c: 2 })).status, 200);
      // Another isolate, its own store object over the same KV.
      const other = kvGuardStore(kv, { prefix: ["up"] });
      assert.equal((await replica(v2, other)("/locks/7/renew", { c: 2 })).status, 200);
      assert.deepEqual(await stateIn(store, v2, "lock:7"), {
        mode: "held",
        owner: 2,
        token: 1,
        renewals: 1,
      });
    } finally {
      kv.close();
    }
  },
});

Deno.test("The edge-orders example's generated class is the compiler's output for specs/order.vigil", async () => {
  const committed = await Deno.readTextFile(`${ROOT}examples/edge-orders/order.monitor.ts`);
  const regenerated = generateTypeScript(order.meta, { compiled: "./order.core.wasm" });
  assert.equal(
    committed,
    regenerated,
    "regenerate: deno task vigil compile specs/order.vigil --out dist/ && cp dist/order.monitor.ts examples/edge-orders/",
  );
});

Deno.test("vigilGuard answers 500 problem+json for a stored state of the wrong size, never plain text", async () => {
  const kv = fakeKv();
  kv.data.set(JSON.stringify(["vigil", "Lease", "lock:3"]), {
    value: { hash: lease.hash, state: new Uint8Array(3) },
    versionstamp: "1",
  });
  const a = app({ store: kvGuardStore(kv) });
  const res = await a.post("/locks/3/acquire", { c: 1 });
  assert.equal(res.status, 500);
  const body = await problem(res);
  assert.equal(body.type, "urn:vigil:problem:store_failed");
  assert.match(
    String(body.detail),
    /^Loading instance 'lock:3' of spec 'Lease' from the guard store failed: /,
  );
  assert.equal(a.handled(), 0);
});
