import assert from "node:assert/strict";
import { LeaseKeeper } from "./keeper.ts";
import type { ClusterBucket } from "../leases.ts";

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
