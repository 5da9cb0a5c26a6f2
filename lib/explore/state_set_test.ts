import assert from "node:assert/strict";
import { analyze } from "../frontend.ts";
import { initialState } from "../interpreter/interpreter.ts";
import { buildMeta } from "../wasm/meta_build.ts";
import { DenseKey } from "./dense_key.ts";
import { fingerprint, StateSet } from "./state_set.ts";

Deno.test("StateSet keeps distinct blocks in insertion order across growth", () => {
  const set = new StateSet(3, 4);
  const block = new Uint32Array(3);
  for (let i = 0; i < 5000; i++) {
    block[0] = i, block[1] = i * 7, block[2] = i ^ 0x5555;
    assert.equal(set.insert(block, 0), i);
  }
  assert.equal(set.size, 5000);
  for (let i = 0; i < 5000; i++) {
    block[0] = i, block[1] = i * 7, block[2] = i ^ 0x5555;
    assert.equal(set.insert(block, 0), -1 - i);
    assert.equal(set.find(block, 0), i);
  }
  const out = new Uint32Array(3);
  set.copyOut(1234, out, 0);
  assert.deepEqual([...out], [1234, 1234 * 7, 1234 ^ 0x5555]);
  assert.equal(set.find(new Uint32Array([9999, 0, 0]), 0), -1);
});

Deno.test("StateSet reads a block at an offset of a larger array", () => {
  const set = new StateSet(2);
  const memory = new Uint32Array([0, 0, 0, 5, 6, 0]);
  assert.equal(set.insert(memory, 3), 0);
  assert.equal(set.find(new Uint32Array([5, 6]), 0), 0);
});

Deno.test("fingerprint halves differ and depend on word order", () => {
  const [a, b] = fingerprint(new Uint32Array([1, 2, 3]), 0, 3);
  const [c] = fingerprint(new Uint32Array([3, 2, 1]), 0, 3);
  assert.notEqual(a, b);
  assert.notEqual(a, c);
});

Deno.test("StateSet.insertBatch gives what one-by-one inserts give, across growth and repeats", () => {
  for (const words of [1, 2, 3]) {
    const batched = new StateSet(words, 16), single = new StateSet(words, 16);
    let seed = 12345 + words;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (let round = 0; round < 40; round++) {
      const count = 1 + (next() % 300);
      const blocks = new Uint32Array(count * words);
      // Few distinct values: many repeats within a batch and across batches,
      // words above 2^31 included.
      for (let i = 0; i < blocks.length; i++) blocks[i] = (next() % 4099) * 0x8_0001;
      const out = new Int32Array(count);
      batched.insertBatch(blocks, count, out);
      for (let k = 0; k < count; k++) {
        assert.equal(out[k], single.insert(blocks, k * words), `words ${words}, block ${k}`);
      }
    }
    assert.equal(batched.size, single.size);
    assert.ok(batched.size > 1000, `only ${batched.size} distinct blocks`);
    assert.deepEqual(
      batched.store.subarray(0, batched.size * words),
      single.store.subarray(0, single.size * words),
    );
  }
});

Deno.test("a dense StateSet inserts, finds and batches as the hashed one does", () => {
  const { program } = analyze(
    "spec K type I = 0..2 state d: map[I, 0..15] = 0 state on: bool = false",
  );
  const meta = buildMeta(program!, initialState(program!).state);
  const key = DenseKey.of(program!, meta)!;
  const words = meta.stride / 4;
  const dense = new StateSet(words, 16, key), hashed = new StateSet(words, 16);
  let seed = 99;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  for (let round = 0; round < 30; round++) {
    const count = 1 + (next() % 200);
    const blocks = new Uint32Array(count * words);
    for (let k = 0; k < count; k++) {
      // Bytes 0..2: the dials, byte 3: the bool (the layout packs them so).
      blocks[k * words] = (next() & 0x0f0f0f) | ((next() & 1) << 24);
    }
    const out = new Int32Array(count), want = new Int32Array(count);
    hashed.insertBatch(blocks, count, want);
    if (round % 2 === 0) dense.insertBatch(blocks, count, out);
    else for (let k = 0; k < count; k++) out[k] = dense.insert(blocks, k * words);
    assert.deepEqual(out, want, `round ${round}`);
  }
  assert.ok(dense.size > 1000 && dense.size === hashed.size);
  const probe = new Uint32Array(words);
  for (let i = 0; i < dense.size; i += 97) {
    dense.copyOut(i, probe, 0);
    assert.equal(dense.find(probe, 0), i);
  }
  assert.throws(() => new StateSet(words + 1, 16, key), /reads '2' words, not '3'/);
});
