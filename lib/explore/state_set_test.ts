import assert from "node:assert/strict";
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
