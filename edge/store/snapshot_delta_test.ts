import assert from "node:assert/strict";
import { loadCompiled } from "../../lib/abi/loader.ts";
import type { DecodedBatch, DecodedEvent } from "../../lib/wire/event.ts";
import { FakeKv } from "../../tests/fake_kv.ts";
import { createCollector } from "../engine/collector.ts";
import type { Collector, CollectorSnapshot } from "../engine/types.ts";
import { kvCollectorStore, MAX_DELTAS } from "./kv_store.ts";
import { memoryStore } from "./store.ts";
import { decodeSnapshot } from "./snapshot_bytes.ts";

const url = new URL("../../dist/lease.js", import.meta.url);
const compiled = await loadCompiled(url);

/** Lease traffic from the compiled module itself: each (node, key) has an instance it steps. */
class Traffic {
  readonly #instances = new Map<string, number>();
  readonly #seq = new Map<string, number>();
  /** Every batch with the collector's clock when it was ingested. */
  readonly #batches: { readonly batch: DecodedBatch; readonly at: number }[] = [];
  readonly collector: Collector;
  #wall = 1_000;

  constructor() {
    this.collector = createCollector({ specs: [compiled], now: () => this.#wall, windowMs: 0 });
  }

  /**
   * Node `node` acquires (or releases, when it holds) each of `keys`: one
   * batch. With `refused`, it reports a refused acquire instead when it
   * holds (a verdict, no state change: only the histories change).
   */
  step(node: string, keys: readonly number[], refused = false): void {
    const first = this.#seq.get(node) ?? 0;
    const events: DecodedEvent[] = keys.map((k, i) => {
      const id = `${node}/${k}`;
      let inst = this.#instances.get(id);
      if (inst === undefined) this.#instances.set(id, inst = compiled.create(1));
      const held = compiled.readSlots(inst)[0] === 1n;
      const action = compiled.actionIndex(held && !refused ? "release" : "acquire");
      const verdict = compiled.checkFn(action)(inst, 1);
      if (verdict === 0) compiled.stepFn(action)(inst, 1);
      return {
        key: `lock:${k}`,
        wall: this.#wall + i,
        logical: 0,
        action,
        args: [1],
        state: compiled.stateBytes(inst),
        verdict,
        seq: first + i,
      };
    });
    this.#seq.set(node, first + events.length);
    this.#wall += events.length + 1;
    const batch: DecodedBatch = {
      version: 1,
      spec: compiled.meta.sourceHash,
      specName: compiled.meta.name,
      node,
      boot: "boot-1",
      firstSeq: first,
      dropped: [],
      events,
    };
    this.#batches.push({ batch, at: this.#wall });
    this.collector.ingest(batch);
    this.collector.flush();
  }

  /**
   * The snapshot of a new collector fed every batch so far: built from
   * scratch, the oracle for what a store gives back.
   */
  fresh(): unknown {
    let now = 0;
    const c = createCollector({ specs: [compiled], now: () => now, windowMs: 0 });
    for (const { batch, at } of this.#batches) {
      now = at;
      c.ingest(batch);
      c.flush();
    }
    now = this.#wall;
    return plain(c.snapshot());
  }
}

/** A snapshot as JSON would carry it (what a store gives back). */
function plain(s: CollectorSnapshot): unknown {
  return JSON.parse(JSON.stringify(s));
}

/** The chunks under `prefix` joined. */
async function blob(kv: FakeKv, prefix: readonly (string | number)[]): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const e of kv.list({ prefix: [...prefix] })) parts.push(e.value as Uint8Array);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
}

/** Bytes under `prefix` in the KV. */
async function bytesUnder(kv: FakeKv, prefix: readonly (string | number)[]): Promise<number> {
  let n = 0;
  for await (const e of kv.list({ prefix: [...prefix] })) n += (e.value as Uint8Array).length;
  return n;
}

Deno.test("A KV store restores a base and its deltas to the snapshot last saved", async () => {
  const kv = new FakeKv();
  const store = kvCollectorStore(kv);
  const t = new Traffic();
  const nodes = ["a", "b", "c"];
  const all = Array.from({ length: 100 }, (_, k) => k);
  for (const n of nodes) t.step(n, all);
  await store.save(t.collector.snapshot());
  const base = await bytesUnder(kv, ["vigil", "collector", "s"]);
  let written = 0;
  for (let round = 0; round < 12; round++) {
    t.step(nodes[round % 3]!, [round % 100, (round * 7) % 100], round % 2 === 1);
    if (round === 5) t.step("d", [101]); // a new partition and a new node
    await store.save(t.collector.snapshot());
    const head = (await kv.get(["vigil", "collector", "head"])).value as {
      gen: number;
      deltas: number;
    };
    assert.equal(head.deltas, round + 1, "each save after the first writes a delta");
    const delta = decodeSnapshot(await blob(kv, ["vigil", "collector", "d", head.gen, round]));
    const changed = new Set([round % 100, (round * 7) % 100, ...(round === 5 ? [101] : [])]);
    assert.deepEqual(
      delta.partitions.map((p) => p.key).sort(),
      [...changed].map((k) => `lock:${k}`).sort(),
      "a delta holds the changed partitions only",
    );
    const now = await bytesUnder(kv, ["vigil", "collector", "d"]);
    assert.ok(now - written < base / 10, `delta ${round}: ${now - written} bytes, base ${base}`);
    written = now;
    const again = await kvCollectorStore(kv).load();
    assert.deepEqual(plain(again!), t.fresh(), `after round ${round}`);
  }
});

Deno.test("A KV store writes a full snapshot after MAX_DELTAS deltas or when deltas outgrow the base", async () => {
  const kv = new FakeKv();
  const store = kvCollectorStore(kv);
  const t = new Traffic();
  t.step("a", [0, 1]);
  await store.save(t.collector.snapshot());
  // Every partition changes each time: the deltas soon outweigh the base.
  let fulls = 0;
  for (let round = 0; round < 6; round++) {
    t.step("a", [0, 1]);
    await store.save(t.collector.snapshot());
    const head = (await kv.get(["vigil", "collector", "head"])).value as { deltas: number };
    if (head.deltas === 0) fulls++;
  }
  assert.ok(fulls >= 2, `${fulls} full saves`);
  // One partition of many changing: deltas, until MAX_DELTAS.
  const many = Array.from({ length: 30 }, (_, k) => k);
  t.step("b", many);
  await store.save(t.collector.snapshot());
  await store.save(t.collector.snapshot()); // nothing changed: an empty delta
  let head = (await kv.get(["vigil", "collector", "head"])).value as { deltas: number };
  const start = head.deltas;
  for (let i = 0; i < MAX_DELTAS + 1; i++) {
    t.step("b", [i % 30]);
    await store.save(t.collector.snapshot());
  }
  head = (await kv.get(["vigil", "collector", "head"])).value as { deltas: number };
  assert.ok(head.deltas < start + MAX_DELTAS + 1, "a full save came after MAX_DELTAS deltas");
  assert.deepEqual(plain((await kvCollectorStore(kv).load())!), t.fresh());
});

Deno.test("A torn delta is not loaded and is cleaned up", async () => {
  const kv = new FakeKv();
  const store = kvCollectorStore(kv);
  const t = new Traffic();
  t.step("a", Array.from({ length: 20 }, (_, k) => k));
  await store.save(t.collector.snapshot());
  t.step("a", [3]);
  await store.save(t.collector.snapshot());
  const saved = t.fresh();
  const head = (await kv.get(["vigil", "collector", "head"])).value as {
    gen: number;
    deltas: number;
  };
  await kv.set(
    ["vigil", "collector", "d", head.gen, head.deltas, 0],
    new TextEncoder().encode("{to"),
  );
  assert.deepEqual(plain((await kvCollectorStore(kv).load())!), saved);
  let torn = 0;
  for await (const _ of kv.list({ prefix: ["vigil", "collector", "d", head.gen, head.deltas] })) {
    torn++;
  }
  assert.equal(torn, 0, "the torn delta is deleted at load");
});

Deno.test("The memory store serializes unchanged partitions once and loads what was saved", async () => {
  const store = memoryStore();
  const t = new Traffic();
  t.step("a", [0, 1, 2]);
  await store.save(t.collector.snapshot());
  t.step("b", [1]);
  const snap = t.collector.snapshot();
  await store.save(snap);
  assert.deepEqual(await store.load(), t.fresh());
  const again = t.collector.snapshot();
  assert.equal(
    again.partitions[0],
    snap.partitions[0],
    "an unchanged partition is the same object",
  );
});
