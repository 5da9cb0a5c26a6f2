/**
 * The deadline rule a partition's saves follow (`lease_deadline.ts`): an
 * answer before the lease's deadline counts at once; one after it waits
 * until a renewal moves the deadline past it, or fails once the lease is
 * lost.
 */
import assert from "node:assert/strict";
import { leaseClock, LeaseDeadline } from "./lease_deadline.ts";

/** Settles `p` now or reports it pending. */
async function state<T>(p: Promise<T>): Promise<T | "pending"> {
  return await Promise.race([p, new Promise<"pending">((r) => setTimeout(() => r("pending"), 5))]);
}

Deno.test("An answer before the deadline (the acquiring write's send + TTL) counts at once; at or after it does not", async () => {
  const d = new LeaseDeadline(1000, 3000);
  assert.equal(d.deadline, 4000);
  assert.equal(d.before(3999.9), true);
  assert.equal(d.before(4000), false, "at the deadline the servers may have expired it");
  assert.equal(await state(d.counts(3999)), true);
  assert.equal(await state(d.counts(4000)), "pending");
});

Deno.test("A late answer waits: a renewal whose send + TTL is not past it leaves it waiting, one past it makes it count", async () => {
  const d = new LeaseDeadline(1000, 3000);
  const late = d.counts(4500);
  d.renewed(1400); // deadline 4400: still before the answer
  assert.equal(d.deadline, 4400);
  assert.equal(await state(late), "pending");
  d.renewed(1600); // deadline 4600: held past the answer
  assert.equal(await state(late), true);
});

Deno.test("The deadline never moves back: a renewal reported late or out of order keeps the later bound", () => {
  const d = new LeaseDeadline(1000, 3000);
  d.renewed(2000);
  d.renewed(1500); // an older write's success reported after a newer one's
  assert.equal(d.deadline, 5000);
});

Deno.test("Losing the lease fails every waiting answer and every later one, and renewals no longer count", async () => {
  const d = new LeaseDeadline(1000, 3000);
  const a = d.counts(4100);
  const b = d.counts(4200);
  d.lose();
  assert.equal(await a, false);
  assert.equal(await b, false);
  assert.equal(await d.counts(1500), false, "even one before the old deadline");
  assert.equal(d.before(1500), false);
  d.renewed(9000);
  assert.equal(d.lost, true);
  assert.equal(d.deadline, -Infinity);
});

Deno.test("A deadline needs a positive TTL, and says which", () => {
  assert.throws(() => new LeaseDeadline(0, 0), /Lease TTL must be > 0 ms, got '0'/);
});

Deno.test("The lease clock never goes back and agrees with a worker thread's within the message's trip", async () => {
  const src = `import { parentPort } from "node:worker_threads";
parentPort.on("message", () => parentPort.postMessage(performance.timeOrigin + performance.now()));`;
  const url = `data:application/javascript,${encodeURIComponent(src)}`;
  const { Worker } = await import("node:worker_threads");
  const w = new Worker(new URL(url), { type: "module" } as never);
  try {
    for (let i = 0; i < 3; i++) {
      const sent = leaseClock();
      const there = await new Promise<number>((resolve) => {
        w.once("message", resolve);
        w.postMessage(null);
      });
      const back = leaseClock();
      assert.ok(sent <= there && there <= back, `${sent} <= ${there} <= ${back}`);
    }
  } finally {
    await w.terminate();
  }
});
