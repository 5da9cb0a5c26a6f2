import assert from "node:assert/strict";
import { kvCollectorStore } from "./kv_store.ts";
import type { Kv } from "../../lib/ports/kv.ts";
import { FakeKv } from "../../tests/fake_kv.ts";
import type { CollectorSnapshot, Violation } from "../engine/types.ts";

function violation(id: string, pad = 0): Violation {
  return {
    id,
    kind: "invariant",
    specName: "Lease",
    spec: "ab",
    partition: "Lease/k",
    property: {
      item: "global invariant",
      name: "OneHolder",
      code: 7,
      line: 33,
      column: 3,
      detail: "x".repeat(pad),
    },
    at: { wall: 1, logical: 0 },
    detectedAt: 2,
    nodes: ["a", "b"],
    cut: [],
    history: [],
    incomplete: false,
    message: `violation ${id}`,
  };
}

function snapshot(applied: number, violations: Violation[], bulk = 0): CollectorSnapshot {
  return {
    version: 1,
    takenAt: applied,
    streams: [],
    partitions: [],
    nodes: [{
      node: "z".repeat(bulk),
      lastSeenAt: 0,
      lastHlc: { wall: 0, logical: 0 },
      events: 0,
      duplicates: 0,
      late: 0,
      lostEvents: 0,
      localVerdicts: {},
    }],
    violations,
    counters: { applied },
  };
}

const hasKv = typeof (Deno as { openKv?: unknown }).openKv === "function";

async function roundTrip(open: () => Promise<Kv & { close(): void }>) {
  {
    let kv = await open();
    let store = kvCollectorStore(kv);
    assert.equal(await store.load(), null);
    const big = violation("ab:k:1", 150_000);
    await store.save(snapshot(1, [big], 200_000));
    await store.save(snapshot(2, [big, violation("ab:k:2")], 10));
    kv.close();
    kv = await open();
    store = kvCollectorStore(kv);
    const loaded = await store.load();
    assert.equal(loaded?.counters.applied, 2);
    assert.deepEqual(loaded?.violations.map((v) => v.id), ["ab:k:1", "ab:k:2"]);
    assert.equal(loaded?.violations[0]?.property.detail.length, 150_000);
    const gens = new Set<unknown>();
    for await (const e of kv.list({ prefix: ["vigil", "collector", "s"] })) gens.add(e.key[3]);
    assert.equal(gens.size, 1, "old generations are deleted");
    await store.save(snapshot(3, [violation("ab:k:2")]));
    const ids: string[] = [];
    for await (const e of kv.list({ prefix: ["vigil", "collector", "v"] })) {
      ids.push(String(e.key[3]));
    }
    assert.deepEqual(ids, ["ab:k:2"], "evicted violations are deleted");
    kv.close();
  }
}

Deno.test("The KV store round-trips snapshots larger than a KV value, across handles", async () => {
  const kv = new FakeKv();
  await roundTrip(() => Promise.resolve(Object.assign(kv, { close() {} })));
});

Deno.test({
  name: "The KV store round-trips snapshots through a real Deno KV file (with --unstable-kv)",
  ignore: !hasKv,
  async fn() {
    const path = await Deno.makeTempFile({ suffix: ".kv" });
    try {
      await roundTrip(() => Deno.openKv(path));
    } finally {
      await Deno.remove(path).catch(() => {});
    }
  },
});

Deno.test("A torn save leaves the previous snapshot loadable and is cleaned up", async () => {
  const kv = new FakeKv();
  const store = kvCollectorStore(kv);
  await store.save(snapshot(1, []));
  await kv.set(["vigil", "collector", "s", 2, 0], new TextEncoder().encode("{tor"));
  await kv.set(["vigil", "collector", "v", "orphan", 0], new TextEncoder().encode("{}"));
  const again = kvCollectorStore(kv);
  assert.equal((await again.load())?.counters.applied, 1);
  let left = 0;
  for await (const _ of kv.list({ prefix: ["vigil", "collector"] })) left++;
  assert.equal(left, 2, "head and one chunk remain");
});

Deno.test("A KV state saved as plain JSON (the format before packed records) still loads, deltas included", async () => {
  const kv = new FakeKv();
  const part = (key: string, applied: number) => ({
    spec: "ab",
    key,
    participants: [],
    history: [],
    lastApplied: null,
    lastPos: null,
    applied,
    episode: 0,
    deadlines: [],
    incomplete: false,
    violations: 0,
  });
  const json = (s: unknown) => new TextEncoder().encode(JSON.stringify(s));
  const base = { ...snapshot(1, []), partitions: [part("lock:a", 1), part("lock:b", 1)] };
  const delta = { ...snapshot(2, []), partitions: [part("lock:b", 2)] };
  await kv.set(["vigil", "collector", "s", 4, 0], json(base));
  await kv.set(["vigil", "collector", "d", 4, 0, 0], json(delta));
  await kv.set(["vigil", "collector", "v", "ab:k:1", 0], json(violation("ab:k:1")));
  await kv.set(["vigil", "collector", "head"], {
    gen: 4,
    chunks: 1,
    deltas: 1,
    violations: ["ab:k:1"],
  });
  const store = kvCollectorStore(kv);
  const loaded = await store.load();
  assert.deepEqual(loaded?.partitions.map((p) => [p.key, p.applied]), [["lock:a", 1], [
    "lock:b",
    2,
  ]]);
  assert.equal(loaded?.counters.applied, 2);
  assert.deepEqual(loaded?.violations.map((v) => v.id), ["ab:k:1"]);
  // The next save is a full one in the new format, and loads back.
  await store.save({ ...loaded!, takenAt: 3 });
  const again = await kvCollectorStore(kv).load();
  assert.deepEqual(again?.partitions.map((p) => [p.key, p.applied]), [["lock:a", 1], [
    "lock:b",
    2,
  ]]);
  const head = (await kv.get(["vigil", "collector", "head"])).value as { gen: number };
  assert.equal(head.gen, 5);
});

Deno.test("A KV save reads and encodes its snapshot before its first write (the caller's synchronous call holds all its CPU work)", async () => {
  const kv = new FakeKv();
  const store = kvCollectorStore(kv);
  /** The snapshot's fields may be read until `sealed` is set, after save() returned. */
  let sealed = false;
  const late: string[] = [];
  const watch = (snap: CollectorSnapshot): CollectorSnapshot =>
    new Proxy(snap, {
      get(target, key, receiver) {
        if (sealed) late.push(String(key));
        return Reflect.get(target, key, receiver);
      },
    });
  // A full save, then a delta (the second save of a generation), then a full one again.
  for (
    const [i, snap] of [snapshot(1, [violation("ab:k:1")]), snapshot(2, []), snapshot(3, [])]
      .entries()
  ) {
    sealed = false;
    const saving = store.save(watch(snap));
    sealed = true;
    await saving;
    assert.deepEqual(late, [], `save ${i} read '${late.join("', '")}' after its first wait`);
  }
  assert.equal((await kvCollectorStore(kv).load())?.counters.applied, 3);
});

/** A KV that counts commits and lists, and can refuse the next commit. */
function countingKv(kv: Kv) {
  const counts = { commits: 0, lists: 0, refuseNext: false };
  const wrapped: Kv = {
    get: (key) => kv.get(key),
    list: (selector) => (counts.lists++, kv.list(selector)),
    atomic() {
      const op = kv.atomic();
      const out = {
        check: (...c: Parameters<typeof op.check>) => (op.check(...c), out),
        set: (k: Parameters<typeof op.set>[0], v: unknown) => (op.set(k, v), out),
        delete: (k: Parameters<typeof op.delete>[0]) => (op.delete(k), out),
        commit() {
          counts.commits++;
          if (counts.refuseNext) {
            counts.refuseNext = false;
            return Promise.resolve({ ok: false });
          }
          return op.commit();
        },
      };
      return out;
    },
  };
  return { kv: wrapped, counts };
}

Deno.test("After load, a save that fits is one atomic commit of its chunks and the head, and a full save deletes the old generation by key", async () => {
  const fake = new FakeKv();
  const { kv, counts } = countingKv(fake);
  const store = kvCollectorStore(kv);
  assert.equal(await store.load(), null);
  const at = () => ({ ...counts });
  let before = at();
  await store.save(snapshot(1, [violation("ab:k:1")])); // full: violation, chunk, head
  assert.equal(counts.commits - before.commits, 1);
  before = at();
  await store.save(snapshot(2, [violation("ab:k:1")])); // a delta
  assert.equal(counts.commits - before.commits, 1);
  assert.equal(counts.lists - before.lists, 0, "no list to clear a torn try");
  before = at();
  // Deltas outgrew the base: a full save, the old generation deleted, the evicted violation too.
  await store.save(snapshot(3, []));
  assert.equal(counts.commits - before.commits, 3);
  assert.equal(counts.lists - before.lists, 1, "only the evicted violation's chunks are listed");
  const keys: string[] = [];
  for await (const e of fake.list({ prefix: ["vigil", "collector"] })) keys.push(e.key.join("/"));
  assert.deepEqual(keys, ["vigil/collector/head", "vigil/collector/s/2/0"]);
  const loaded = await kvCollectorStore(fake).load();
  assert.equal(loaded?.counters.applied, 3);
  assert.deepEqual(loaded?.violations, []);
});

Deno.test("A save whose commit is refused changes nothing; the next save and a load see the newest", async () => {
  const fake = new FakeKv();
  const { kv, counts } = countingKv(fake);
  const store = kvCollectorStore(kv);
  await store.load();
  await store.save(snapshot(1, []));
  counts.refuseNext = true;
  await assert.rejects(store.save(snapshot(2, [violation("ab:k:2")])), /KV write of .* failed/);
  assert.equal((await kvCollectorStore(fake).load())?.counters.applied, 1);
  await store.save(snapshot(3, [violation("ab:k:2")]));
  const loaded = await kvCollectorStore(fake).load();
  assert.equal(loaded?.counters.applied, 3);
  assert.deepEqual(loaded?.violations.map((v) => v.id), ["ab:k:2"]);
});

Deno.test("Saves before any load clear the keys they write first (a previous process may have left some)", async () => {
  const fake = new FakeKv();
  await fake.set(["vigil", "collector", "s", 1, 1], new TextEncoder().encode("stale"));
  const store = kvCollectorStore(fake); // no load
  await store.save(snapshot(1, []));
  const loaded = await kvCollectorStore(fake).load();
  assert.equal(loaded?.counters.applied, 1, "the stale chunk was not read as part of generation 1");
});
