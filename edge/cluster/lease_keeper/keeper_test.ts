import assert from "node:assert/strict";
import { LeaseKeeper } from "./keeper.ts";
import type { ClusterBucket, MemberRecord } from "../leases.ts";

Deno.test("A release waiting for a renewal in flight returns once that write answers, even after the keeper stopped", async () => {
  const answers: ((r: number | null) => void)[] = [];
  const released: number[] = [];
  const unused = () => Promise.reject(new Error("not used by this test"));
  const bucket = {
    ttlMs: 400,
    renew: () => new Promise<number | null>((res) => answers.push(res)),
    lease: () => Promise.resolve({ partition: 1, owner: "a", revision: 1 }),
    acquire: unused,
    release: (p: number) => {
      released.push(p);
      return Promise.resolve();
    },
    register: () => Promise.resolve(1),
    registration: () => Promise.resolve(0),
    unregister: unused,
    members: () => Promise.resolve([]),
  } as unknown as ClusterBucket;
  const k = new LeaseKeeper(bucket, { id: "a", onLost: () => {}, log: () => {} });
  k.start({ id: "a", url: "", owned: [], since: Date.now() });
  k.hold(1, 1);
  const deadline = Date.now() + 10_000;
  while (answers.length === 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 10)); // a renewal period (TTL/4): a write in flight
  }
  assert.ok(answers.length > 0, "no renewal write was sent");
  let done = false;
  const releasing = k.release(1).then(() => done = true);
  await k.stop();
  for (const a of answers) a(2); // the answer comes after stop
  let hang: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([releasing, new Promise((r) => hang = setTimeout(r, 5_000))]).finally(() =>
    clearTimeout(hang)
  );
  assert.equal(done, true, "release() never returned");
  assert.deepEqual(released, [1]);
});

/** A registration write the fake bucket holds until the test answers it. */
interface RegistrationWrite {
  record: MemberRecord;
  revision: number | undefined;
  answer: (r: number | null) => void;
  fail: (e: Error) => void;
}

/**
 * A keeper on a bucket that only registers: each write waits in `writes`,
 * `registration` gives the revision read; `waitWrites(n)` waits (10 s at
 * most) until `n` writes were sent and asserts it.
 */
function registrationKeeper(registration: () => number) {
  const writes: RegistrationWrite[] = [];
  const unused = () => Promise.reject(new Error("not used by this test"));
  const bucket = {
    ttlMs: 400,
    renew: unused,
    lease: unused,
    acquire: unused,
    release: unused,
    register: (record: MemberRecord, o?: { revision?: number }) =>
      new Promise<number | null>((answer, fail) =>
        writes.push({ record, revision: o?.revision, answer, fail })
      ),
    registration: () => Promise.resolve(registration()),
    unregister: unused,
    members: unused,
  } as unknown as ClusterBucket;
  const lines: string[] = [];
  const k = new LeaseKeeper(bucket, { id: "a", onLost: () => {}, log: (l) => lines.push(l) });
  const waitWrites = async (n: number) => {
    const deadline = Date.now() + 10_000;
    while (writes.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    assert.equal(writes.length, n, `${n} registration writes`);
  };
  return { k, writes, lines, waitWrites };
}

Deno.test("A registration round's second write sends the first's record on the first's revision; a new URL goes in a round of its own on the revision stored; a round with no success reads the revision again", async () => {
  let reads = 0;
  const { k, writes, lines, waitWrites } = registrationKeeper(() => ++reads === 1 ? 4 : 9);
  try {
    k.start({ id: "a", url: "", owned: [], since: 1 });
    await waitWrites(1); // the first period: the revision read (4), then written on it
    k.setRecord({ id: "a", url: "http://a", owned: [], since: 1 });
    await waitWrites(2); // the first unanswered for a quarter TTL: a second write
    assert.deepEqual(writes.map((w) => [w.record.url, w.revision]), [["", 4], ["", 4]]);
    writes[1]!.answer(5);
    await new Promise((r) => setTimeout(r, 5));
    assert.equal(writes.length, 2, "the new URL waits for the round in flight");
    writes[0]!.answer(null); // its sibling landed first: refused
    await waitWrites(3); // the new URL at once (not at the next period), on the revision stored
    assert.deepEqual([writes[2]!.record.url, writes[2]!.revision], ["http://a", 5]);
    assert.equal(reads, 1, "the revision was known");
    writes[2]!.fail(new Error("TIMEOUT")); // may have landed: unknown
    await waitWrites(4);
    assert.equal(reads, 2, "read again after a round with no success");
    assert.deepEqual([writes[3]!.record.url, writes[3]!.revision], ["http://a", 9]);
    assert.ok(lines.some((l) => /could not renew its registration: TIMEOUT/.test(l)), lines.join());
    // Refused with none stored: read and written once more in the same round, not a period later.
    writes[3]!.answer(null);
    await waitWrites(5);
    assert.equal(reads, 3);
    assert.deepEqual([writes[4]!.record.url, writes[4]!.revision], ["http://a", 9]);
    writes[4]!.answer(10);
    await new Promise((r) => setTimeout(r, 5));
    assert.equal(
      lines.filter((l) => /refused/.test(l)).length,
      0,
      "a round that stored says nothing",
    );
  } finally {
    await k.stop();
    for (const w of writes) w.answer(null);
  }
});

Deno.test("Both registration writes of a round succeeding (a clustered leader passes both), answered later revision first: the next round writes on the later", async () => {
  const { k, writes, lines, waitWrites } = registrationKeeper(() => 4);
  try {
    k.start({ id: "a", url: "", owned: [], since: 1 });
    await waitWrites(2); // the first unanswered for a quarter TTL: a second write on revision 4
    writes[1]!.answer(6); // the second write stored after the first: both landed
    writes[0]!.answer(5);
    await waitWrites(3); // the next period's round
    assert.equal(writes[2]!.revision, 6, "on the key's revision, not the last answer's");
    writes[2]!.answer(7);
    await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual(lines, []);
  } finally {
    await k.stop();
    for (const w of writes) w.answer(null);
  }
});
