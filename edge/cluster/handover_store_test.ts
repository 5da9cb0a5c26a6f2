import assert from "node:assert/strict";
import {
  handoverEntryKey,
  legacyHandoverKey,
  MAX_HANDOVER_ALERTS,
  MAX_HANDOVER_ENTRY_BYTES,
  readHandover,
  removeHandover,
  writeHandover,
} from "./handover_store.ts";
import { fakeBucket, violation } from "./handover_fixture.ts";

const options = { cluster: "t", partition: 1, timeoutMs: 1_000, now: () => 42 };

Deno.test("Handing over writes one key per alert, skips one written before, and returns those past an entry's size limit", async () => {
  const kv = fakeBucket();
  assert.deepEqual(await writeHandover(kv, "c1", [violation(1, 1)], options), {
    written: 1,
    left: [],
  });
  const big = violation(2, 2, { message: "x".repeat(MAX_HANDOVER_ENTRY_BYTES) });
  // The old single record held 256 KiB: 300 KiB fits an entry of its own now.
  const large = violation(3, 3, { message: "y".repeat(300 * 1024) });
  const { written, left } = await writeHandover(kv, "c1", [violation(1, 1), big, large], options);
  assert.equal(written, 2, "the retry of 1 is there, 3 is written");
  assert.deepEqual(left.map((n) => n.violation.id), ["abc:lock:1:2"]);
  assert.match(left[0]!.why, /past the 786432 of an entry/);
  const key = await handoverEntryKey("t", 1, "abc:lock:1:3@c1");
  const entry = (await kv.kv.get(key))!.json<{ id: string; from: string; lostAt: number }>();
  assert.deepEqual([entry.id, entry.from, entry.lostAt], ["abc:lock:1:3@c1", "c1", 42]);
  assert.equal(kv.values.size, 2);
});

Deno.test("Handing over stops at the partition's alert limit and says why; a failed write is returned with its error", async () => {
  const kv = fakeBucket();
  const many = Array.from({ length: MAX_HANDOVER_ALERTS - 2 }, (_, i) => violation(i, i));
  assert.equal((await writeHandover(kv, "c1", many, options)).written, many.length);
  const more = [violation(5_000, 1), violation(5_001, 2), violation(5_002, 3)];
  const { written, left } = await writeHandover(kv, "c2", more, options);
  assert.equal(written, 2);
  assert.deepEqual(left.map((n) => n.violation.id), ["abc:lock:1:5002"]);
  assert.match(left[0]!.why, /holds 1024 alerts already/);
  assert.equal(kv.values.size, MAX_HANDOVER_ALERTS);
  // Another partition has its own room.
  assert.equal(
    (await writeHandover(kv, "c1", [violation(1, 1)], { ...options, partition: 2 })).written,
    1,
  );
  // A listing that fails writes nothing; a write that fails is returned with why.
  kv.fail("no answer within 1000 ms");
  await assert.rejects(writeHandover(kv, "c1", [violation(9, 9)], options), /no answer/);
  kv.fail(null);
  const create = kv.kv.create;
  kv.kv.create = () => Promise.reject(new Error("maximum payload exceeded"));
  try {
    const r = await writeHandover(kv, "c3", [violation(9, 9)], { ...options, partition: 3 });
    assert.deepEqual(r.left.map((n) => [n.violation.id, n.why]), [[
      "abc:lock:1:9",
      "maximum payload exceeded",
    ]]);
    assert.equal(r.written, 0);
  } finally {
    kv.kv.create = create;
  }
});

Deno.test("Reading the hand-over takes the old record and the keys not skipped; removing takes each from where it is", async () => {
  const kv = fakeBucket();
  const legacy = legacyHandoverKey("t", 1);
  kv.values.set(legacy, {
    revision: 100,
    bytes: new TextEncoder().encode(JSON.stringify({
      "abc:lock:1:7@c0": { from: "c0", lostAt: 1, violation: violation(7, 7) },
    })),
  });
  await writeHandover(kv, "c1", [violation(1, 1), violation(2, 2)], options);
  // Partition 11's keys are not partition 1's.
  await writeHandover(kv, "c1", [violation(3, 3)], { ...options, partition: 11 });
  const first = await readHandover(kv, "t", 1, () => false, 1_000);
  assert.deepEqual(first.entries.map((e) => e.id).sort(), [
    "abc:lock:1:1@c1",
    "abc:lock:1:2@c1",
    "abc:lock:1:7@c0",
  ]);
  assert.deepEqual(first.malformed, []);
  const one = await handoverEntryKey("t", 1, "abc:lock:1:1@c1");
  const again = await readHandover(kv, "t", 1, (k) => k === one, 1_000);
  assert.deepEqual(again.entries.map((e) => e.id).sort(), ["abc:lock:1:2@c1", "abc:lock:1:7@c0"]);
  await removeHandover(
    kv,
    "t",
    1,
    first.entries.filter((e) => e.id !== "abc:lock:1:2@c1"),
    1_000,
  );
  const left = await readHandover(kv, "t", 1, () => false, 1_000);
  assert.deepEqual(left.entries.map((e) => e.id), ["abc:lock:1:2@c1"]);
  assert.deepEqual((await kv.kv.get(legacy))!.json(), {});
  assert.equal((await readHandover(kv, "t", 11, () => false, 1_000)).entries.length, 1);
});
