import assert from "node:assert/strict";
import { loadCompiled } from "../../lib/abi/loader.ts";
import { EventStore } from "./event_store.ts";
import { AGGREGATE_FROM, Partition } from "./partition.ts";
import { ServedSpec } from "./served_spec.ts";

const lease = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));

/** Lease states: free, and held by client `c` (stepped by the module itself). */
function states(): { free: Uint8Array; held: (c: number) => Uint8Array } {
  const inst = lease.create();
  const free = lease.stateBytes(inst);
  const acquire = lease.stepFn(lease.actionIndex("acquire"));
  return {
    free,
    held: (c) => {
      lease.setStateBytes(inst, free);
      assert.equal(acquire(inst, c), 0);
      return lease.stateBytes(inst);
    },
  };
}

Deno.test("Partition.writeFrom writes an event's state from the store into its participant's block, the maintained check in step", () => {
  const { free, held } = states();
  const store = new EventStore(lease.meta.stride);
  const p = new Partition(new ServedSpec(lease), "lock:1", {
    historySize: 32,
    cutEvents: 5,
    initialParticipants: 2,
  });
  const nodes = Array.from({ length: AGGREGATE_FROM + 4 }, (_, i) => `n${i}`);
  const parts = nodes.map((n) => p.participant(n, "b1"));
  const write = (i: number, state: Uint8Array) => {
    const slot = store.alloc();
    store.setState(slot, state, 0, state.length);
    p.writeFrom(parts[i]!, store, slot);
    store.retire(slot);
    store.free(slot);
    assert.deepEqual(p.stateOf(parts[i]!), state, `participant ${i}`);
  };
  for (let i = 0; i < nodes.length; i++) write(i, free);
  assert.equal(p.check(), 0);
  const oneHolder = lease.meta.globalInvariants.find((g) => g.name === "OneHolder")!.code;
  write(3, held(1));
  assert.equal(p.check(parts[3]), 0, "one holder");
  write(7, held(2));
  assert.equal(p.check(parts[7]), oneHolder, "two holders");
  assert.equal(lease.globalCheck(p.first, p.count), oneHolder, "the full check agrees");
  write(3, free);
  assert.equal(p.check(parts[3]), 0, "one holder again");
  assert.equal(lease.globalCheck(p.first, p.count), 0);
});

Deno.test("setStateWords refuses a word range outside its source and an instance not allocated", () => {
  const inst = lease.create();
  const n = lease.meta.stride / 4;
  const words = new Int32Array(n + 1);
  assert.throws(() => lease.setStateWords!(inst, words, 2), /state words from index 2/);
  assert.throws(() => lease.setStateWords!(inst, words, -1), RangeError);
  assert.throws(() => lease.setStateWords!(lease.instances + 5, words, 0), /No instance/);
  const before = lease.stateBytes(inst);
  words.fill(0);
  lease.setStateWords!(inst, words, 1);
  assert.deepEqual(lease.stateBytes(inst), new Uint8Array(lease.meta.stride));
  lease.setStateBytes(inst, before);
});

Deno.test("Partition.indexOf answers for the node asked, whichever node was admitted last, joined, retired or not", () => {
  for (const count of [3, 12, 20]) {
    const p = new Partition(new ServedSpec(lease), "lock:1", {
      historySize: 32,
      cutEvents: 5,
      initialParticipants: 2,
    });
    const nodes = Array.from({ length: count }, (_, i) => `n${i}`);
    // Every node admitted, then joined in reverse order: node i is participant count - 1 - i.
    for (const n of nodes) assert.equal(p.admit(n), true, `${n} is a new member`);
    for (const n of nodes) assert.equal(p.indexOf(n), -1, `${n} has not joined`);
    for (const n of [...nodes].reverse()) p.participant(n, "b1");
    // Admissions and questions interleaved, about the same node and about others.
    for (let k = 0; k < 3 * count; k++) {
      const admitted = nodes[(5 * k) % count]!;
      const asked = nodes[(3 * k + 1) % count]!;
      assert.equal(p.admit(admitted), false, `${admitted} is a member already`);
      assert.equal(p.indexOf(asked), count - 1 - Number(asked.slice(1)), `index of ${asked}`);
      assert.equal(p.indexOf(admitted), count - 1 - Number(admitted.slice(1)));
    }
    assert.equal(p.indexOf("stranger"), -1);
    // The first participant retired: every index after it moves down one, the node admitted last's too.
    p.admit(nodes[0]!);
    assert.equal(p.indexOf(nodes[0]!), count - 1);
    p.retire(p.participants[0]!);
    assert.equal(p.indexOf(nodes[0]!), count - 2, "the node admitted last, after a retirement");
    assert.equal(p.indexOf(nodes[count - 1]!), -1, "the retired node");
    for (const n of nodes.slice(0, -1)) assert.equal(p.participants[p.indexOf(n)]!.node, n);
  }
});
