/**
 * The parallel explorer's shared state set under real concurrency: Web
 * Workers insert the same states at the same time (every state offered by
 * every worker), and the set must keep each exactly once, with one id,
 * its words and its origin, for states kept in their table slot (<= 2
 * words), for states found by fingerprint (3 words) and for states
 * indexed directly by valuation number (`dense_key.ts`).
 */
import assert from "node:assert/strict";
import { SharedStateSet } from "../lib/explore/shared_state_set.ts";
import { DenseKey } from "../lib/explore/dense_key.ts";

const MODULE = new URL("../lib/explore/shared_state_set.ts", import.meta.url).href;

/**
 * A worker that inserts states `0 .. count-1` (word `k` of state `i` is
 * `i * (k + 1)`, so state 0 is all zeros) in batches, in the order of
 * `stride` (coprime with `count`), as part `part`; it answers with the
 * ids it got (odd parts take each batch backwards). The workers start each batch together (a barrier on
 * `gate`: arrived, parts, generation), so on a loaded machine, where one
 * of them is often descheduled, they still race batch after batch
 * instead of one running far ahead of the other.
 */
const WORKER = `
import { SharedStateSet } from ${JSON.stringify(MODULE)};
self.onmessage = (e) => {
  const { buffers, part, count, stride, gate } = e.data;
  const set = new SharedStateSet(buffers, part);
  const g = new Int32Array(gate);
  const together = () => {
    const generation = Atomics.load(g, 2);
    if (Atomics.add(g, 0, 1) === g[1] - 1) {
      Atomics.store(g, 0, 0);
      Atomics.add(g, 2, 1);
      Atomics.notify(g, 2);
      return;
    }
    // Spin first (the others are usually microseconds away), then sleep.
    for (let i = 0; Atomics.load(g, 2) === generation; i++) {
      if (i > 2000) Atomics.wait(g, 2, generation, 1);
    }
  };
  const w = set.words, batch = 64;
  const blocks = new Uint32Array(batch * w), parent = new Int32Array(batch);
  const action = new Int32Array(batch), tuple = new Int32Array(batch), out = new Int32Array(batch);
  const ids = new Int32Array(count);
  for (let first = 0; first < count; first += batch) {
    together();
    const n = Math.min(batch, count - first);
    const order = [];
    for (let k = 0; k < n; k++) {
      // Odd parts offer a batch backwards: two workers meet in its middle,
      // at the same state at nearly the same time, whatever their skew.
      const i = ((first + (part % 2 === 1 ? n - 1 - k : k)) * stride) % count;
      order.push(i);
      for (let j = 0; j < w; j++) blocks[k * w + j] = i * (j + 1);
      parent[k] = part, action[k] = i % 7, tuple[k] = i % 5;
    }
    set.insertBatch({ blocks, count: n, parent, action, tuple, budget: Infinity }, out);
    for (let k = 0; k < n; k++) ids[order[k]] = out[k] >= 0 ? out[k] : -1 - out[k];
  }
  self.postMessage(ids);
};
`;

/** A key numbering one-word states `0 .. count-1` by their word. */
function wordKey(count: number): DenseKey {
  return new DenseKey({
    bound: count,
    words: 1,
    word: new Int32Array([0]),
    left: new Int32Array([0]),
    right: new Int32Array([0]),
    signed: new Uint8Array([0]),
    lo: new Float64Array([0]),
    size: new Float64Array([count]),
    padding: new Uint32Array([0]),
  });
}

async function insertTogether(words: number, count: number, parts: number, dense: boolean) {
  const set = SharedStateSet.create(words, {
    capacity: count,
    parts,
    dense: dense ? wordKey(count) : null,
  });
  const url = URL.createObjectURL(new Blob([WORKER], { type: "application/javascript" }));
  // Every worker offers every state in the same batches (stride 1), so they
  // race for the same slot in every batch.
  const strides = Array.from({ length: parts }, () => 1);
  const workers = strides.map(() => new Worker(url, { type: "module" }));
  const gate = new SharedArrayBuffer(12);
  new Int32Array(gate)[1] = parts;
  try {
    const answers = await Promise.all(
      workers.map((worker, part) =>
        new Promise<Int32Array>((resolve, reject) => {
          worker.onmessage = (e: MessageEvent<Int32Array>) => resolve(e.data);
          worker.onerror = (e) => reject(new Error(e.message));
          worker.postMessage({ buffers: set.buffers, part, count, stride: strides[part], gate });
        })
      ),
    );
    return { set, answers };
  } finally {
    for (const worker of workers) worker.terminate();
    URL.revokeObjectURL(url);
  }
}

/** Rounds of the race per state size. */
const ROUNDS = 8;

/** One race: two workers insert the same states; each must be stored once. */
async function raceOnce(words: number, dense = false): Promise<void> {
  const count = 1 << 15, parts = 2;
  const { set, answers } = await insertTogether(words, count, parts, dense);
  assert.equal(set.size, count);
  assert.equal(set.countOf(0) + set.countOf(1), count);
  // Every worker got the same id for a state, and the ids name distinct stored states.
  const seen = new Set<number>();
  const block = new Uint32Array(words), stored = new Uint32Array(words);
  for (let i = 0; i < count; i++) {
    const id = answers[0]![i]!;
    assert.equal(answers[1]![i], id, `state ${i}`);
    assert.ok(!seen.has(id), `id ${id} twice`);
    seen.add(id);
    for (let j = 0; j < words; j++) block[j] = i * (j + 1);
    set.copyOut(id, stored, 0);
    assert.deepEqual([...stored], [...block], `state ${i}'s words`);
    assert.equal(set.find(block, 0), id);
    assert.deepEqual([set.action(id), set.tuple(id)], [i % 7, i % 5]);
    // The part that stored it wrote its origin: its parent is its part number.
    assert.equal(set.parent(id), id % parts);
  }
}

for (const words of [1, 2, 3]) {
  Deno.test(`workers inserting the same ${words}-word states at once store each exactly once`, async () => {
    // A race on one slot needs both workers at the same empty slot within a
    // few instructions: one round loses an unguarded claim (a load, then a
    // store, instead of a compare-and-swap) about half the time, so rounds
    // on fresh sets make missing it unlikely (`check/claim-without-cas` in
    // `tools/mutants.ts`).
    for (let round = 0; round < ROUNDS; round++) await raceOnce(words);
  });
}

Deno.test("workers inserting the same states at once into a dense table store each exactly once", async () => {
  // As above, for the table indexed by valuation number
  // (`check/dense-claim-without-cas` in `tools/mutants.ts`).
  for (let round = 0; round < ROUNDS; round++) await raceOnce(1, true);
});

Deno.test("a grown dense set keeps every state and its id, sharing the table", () => {
  const set = SharedStateSet.create(1, { capacity: 16, parts: 2, dense: wordKey(1000) });
  const other = new SharedStateSet(set.buffers, 1);
  const origin = { parent: 0, action: 1, tuple: 2 };
  for (let i = 0; i < 16; i++) {
    const view = i % 2 === 0 ? set : other;
    assert.ok(view.insert(new Uint32Array([i * 3]), 0, origin) >= 0);
  }
  assert.equal(set.room, 0);
  const grown = set.grown(100);
  assert.equal(grown.buffers.table, set.buffers.table);
  assert.ok(grown.room >= 100);
  for (let i = 0; i < 16; i++) {
    const id = grown.find(new Uint32Array([i * 3]), 0);
    assert.ok(id >= 0);
    assert.equal(grown.insert(new Uint32Array([i * 3]), 0, origin), -1 - id);
  }
  assert.equal(grown.insert(new Uint32Array([999]), 0, origin), 16);
  assert.equal(grown.find(new Uint32Array([998]), 0), -1);
  assert.throws(() => grown.find(new Uint32Array([1000]), 0), /holds 1000, outside 0\.\.999/);
});

Deno.test("a grown set keeps every state, its id and origin, and finds them", () => {
  const set = SharedStateSet.create(2, { capacity: 16, parts: 2 });
  const other = new SharedStateSet(set.buffers, 1);
  const block = new Uint32Array(2);
  const ids: number[] = [];
  for (let i = 0; i < 16; i++) {
    block[0] = i, block[1] = 0;
    ids.push((i % 2 === 0 ? set : other).insert(block, 0, { parent: i - 1, action: i, tuple: 0 }));
  }
  assert.equal(set.room, 0);
  const grown = set.grown(100);
  assert.ok(grown.room >= 100, String(grown.room));
  assert.equal(grown.size, 16);
  for (let i = 0; i < 16; i++) {
    block[0] = i, block[1] = 0;
    assert.equal(grown.find(block, 0), ids[i]);
    assert.deepEqual([grown.parent(ids[i]!), grown.action(ids[i]!)], [i - 1, i]);
  }
  block[0] = 99;
  assert.equal(grown.find(block, 0), -1);
});

Deno.test("a set sized to its bound has unlimited room, a smaller one does not", () => {
  assert.equal(SharedStateSet.create(1, { capacity: 1000, bound: 1000 }).room, Infinity);
  assert.equal(SharedStateSet.create(1, { capacity: 1000 }).room, 1000);
  assert.equal(SharedStateSet.create(1, { capacity: 100, bound: 1000 }).room, 100);
});

Deno.test("a set names a part it does not have", () => {
  const set = SharedStateSet.create(1, { capacity: 16, parts: 2 });
  assert.throws(() => new SharedStateSet(set.buffers, 2), /Invalid part '2' of a set of '2' parts/);
});
