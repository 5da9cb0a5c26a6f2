import assert from "node:assert/strict";
import { Hono } from "hono";
import { loadExample } from "../tools/harness/sdk_fixture.ts";
import { vigilGuard } from "../runtime/hono/guard.ts";
import { type GuardStore, memoryGuardStore } from "../runtime/hono/guard_store.ts";
import { kvGuardStore, type KvLike } from "../runtime/hono/kv_guard_store.ts";
import type { StepEvent } from "../lib/wire/event.ts";
import { waitFor } from "../tools/harness/wait.ts";

const lease = await loadExample("lease");

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
      key: (c) => `lock:${c.req.param("id")}`,
      action: (c) => c.req.param("action") ?? "",
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

Deno.test("vigilGuard answers a refused transition with 409 problem+json naming the guard and line", async () => {
  const a = app();
  assert.equal((await a.post("/locks/1/acquire", { c: 2 })).status, 200);
  const res = await a.post("/locks/1/acquire", { c: 3 });
  assert.equal(res.status, 409);
  assert.equal(res.headers.get("content-type"), "application/problem+json");
  const body = await res.json();
  assert.deepEqual(body, {
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

Deno.test("vigilGuard answers 400 for arguments it cannot encode", async () => {
  const a = app();
  const res = await a.post("/locks/1/acquire", { c: "two" });
  assert.equal(res.status, 400);
  const body = await res.json();
  assert.equal(body.type, "urn:vigil:problem:invalid_arguments");
  assert.match(body.detail, /parameter 'c'/);
  assert.equal(a.handled(), 0);
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
  assert.equal((await loser.json()).verdict, "conflict");
  return statuses;
}

Deno.test("Two guards over one memory store cannot both commit from the same state", async () => {
  assert.deepEqual(await race(memoryGuardStore()), [200, 409]);
});

/** A KV stand-in with versionstamps and atomic checks (Deno.openKv needs --unstable-kv). */
function fakeKv(): KvLike {
  const data = new Map<string, { value: unknown; versionstamp: string }>();
  let n = 0;
  const id = (k: readonly unknown[]) => JSON.stringify(k.map(String));
  return {
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
  const loaded = await store.load("Lease", "lock:1");
  assert.equal(loaded.value?.hash, lease.hash);
  assert.equal(loaded.value?.state.length, lease.meta.stride);
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

Deno.test("vigilGuard refuses to read a block stored by another spec version", async () => {
  const store = memoryGuardStore();
  await store.commit("Lease", "lock:1", { hash: "0".repeat(64), state: new Uint8Array(48) }, null);
  const a = app({ store });
  assert.equal((await a.post("/locks/1/acquire", { c: 1 })).status, 500);
  assert.equal(a.handled(), 0);
});
