/**
 * {@link LeaseRenewal} against a bucket whose answers the test gives by
 * hand (`tests/cluster_lease_renewal_test.ts` runs it on a real
 * nats-server): the deadline counts from a write's send, a stuck write
 * gets a second one after the retry timeout, a refusal of a superseded
 * write is no loss, a refusal while the sibling is in flight waits for it,
 * and a refusal with the key found held by this member at a later revision
 * is adopted, any other owner is a loss.
 */
import assert from "node:assert/strict";
import type { ClusterBucket, LeaseInfo } from "../leases.ts";
import { LeaseRenewal, type RenewalContext } from "./renewal.ts";

interface Write {
  readonly revision: number;
  answer(rev: number | null): void;
  fail(e: Error): void;
}

/**
 * A bucket whose renewals wait for the test; its lease reads answer `stored.value`, except the
 * next `stored.failReads` ones, which fail.
 */
function manualBucket(ttlMs: number): {
  bucket: ClusterBucket;
  writes: Write[];
  stored: { value: LeaseInfo; failReads: number; reads: number };
} {
  const writes: Write[] = [];
  const stored = {
    value: { partition: 1, owner: "a", revision: 0 } as LeaseInfo,
    failReads: 0,
    reads: 0,
  };
  const unused = () => Promise.reject(new Error("not used"));
  return {
    writes,
    stored,
    bucket: {
      ttlMs,
      renew: (_p, _o, _u, revision) =>
        new Promise<number | null>((resolve, reject) => {
          writes.push({ revision, answer: resolve, fail: reject });
        }),
      lease: () => {
        stored.reads++;
        if (stored.failReads === 0) return Promise.resolve(stored.value);
        stored.failReads--;
        return Promise.reject(new Error("503 no responders"));
      },
      acquire: unused,
      release: unused,
      register: unused,
      registration: unused,
      unregister: unused,
      members: unused,
    },
  };
}

interface Seen {
  renewed: { ms: number; writes: number }[];
  retried: number[];
  lost: string[];
  uncertain: string[];
  certain: number[];
  /** The bounds reported (`valid`): sends of writes whose success was seen. */
  valid: number[];
}

function contextFor(bucket: ClusterBucket, retryMs: number): { ctx: RenewalContext; seen: Seen } {
  const seen: Seen = { renewed: [], retried: [], lost: [], uncertain: [], certain: [], valid: [] };
  return {
    seen,
    ctx: {
      bucket,
      owner: "a",
      url: () => "",
      ttlMs: bucket.ttlMs,
      retryMs,
      now: () => performance.now(),
      writing: () => true,
      renewed: (_r, ms, writes) => seen.renewed.push({ ms, writes }),
      retried: (_r, ms) => seen.retried.push(ms),
      lost: (_r, why) => seen.lost.push(why),
      uncertain: (_r, why) => seen.uncertain.push(why),
      certain: (_r, ms) => seen.certain.push(ms),
      valid: (_r, validFrom) => seen.valid.push(validFrom),
    },
  };
}

/** A renewal under test, its bucket's writes and stored lease, and what its context saw. */
interface Renewing {
  readonly r: LeaseRenewal;
  readonly writes: Write[];
  readonly stored: ReturnType<typeof manualBucket>["stored"];
  readonly seen: Seen;
}

/**
 * Runs `test` on member a's renewal of partition 1 at revision 5, acquired by a write sent
 * `sentAgoMs` ago (default now), on a {@link manualBucket} of `ttlMs` whose lease reads answer
 * `value` (default a's at revision 0) but the first `failReads`, or never (`readsHang`), with
 * retry timeout `retryMs`; ends the renewal after, whatever `test` did.
 */
async function renewing(
  options: {
    readonly ttlMs: number;
    readonly retryMs: number;
    readonly value?: LeaseInfo;
    readonly failReads?: number;
    readonly sentAgoMs?: number;
    readonly readsHang?: boolean;
  },
  test: (t: Renewing) => Promise<void>,
): Promise<void> {
  const { bucket, writes, stored } = manualBucket(options.ttlMs);
  if (options.value !== undefined) stored.value = options.value;
  stored.failReads = options.failReads ?? 0;
  const reading = options.readsHang
    ? { ...bucket, lease: () => new Promise<LeaseInfo>(() => {}) }
    : bucket;
  const { ctx, seen } = contextFor(reading, options.retryMs);
  const r = new LeaseRenewal(ctx, {
    partition: 1,
    revision: 5,
    sentAt: performance.now() - (options.sentAgoMs ?? 0),
  });
  try {
    await test({ r, writes, stored, seen });
  } finally {
    r.end();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tick = () => sleep(0);

Deno.test("A lease renewal's deadline counts from the send of the write that renewed it", async () => {
  await renewing({ ttlMs: 300, retryMs: 100, sentAgoMs: 200 }, async ({ r, seen }) => {
    // Acquired by a write sent 200 ms ago: held at least until 100 ms from now, not 300.
    await sleep(160);
    assert.equal(seen.lost.length, 1, "lost a TTL after the send, not after the hold");
    assert.match(
      seen.lost[0]!,
      /not renewed within the 300 ms TTL \(last renewal sent \d+ ms ago\)/,
    );
    // At least the TTL (the timer may fire late on a loaded machine, never early).
    assert.ok(Number(/sent (\d+) ms ago/.exec(seen.lost[0]!)![1]) >= 300, seen.lost[0]);
    assert.equal(r.active, false);
  });
});

Deno.test("A stuck renewal write gets a second one after the retry timeout, and the first one's late refusal is no loss", async () => {
  await renewing({ ttlMs: 2000, retryMs: 50 }, async ({ r, writes, seen }) => {
    r.renew();
    assert.equal(writes.length, 1);
    r.renew(); // the period again: one write on this revision is still unanswered
    assert.equal(writes.length, 1, "no second write before the retry timeout");
    await sleep(80);
    assert.equal(writes.length, 2, "a second write after the retry timeout");
    assert.equal(writes[1]!.revision, 5, "on the same revision");
    assert.equal(seen.retried.length, 1);
    await sleep(80);
    assert.equal(writes.length, 2, "at most two in flight");
    writes[1]!.answer(6);
    await tick();
    assert.equal(r.revision, 6);
    assert.equal(seen.renewed.length, 1);
    assert.equal(seen.renewed[0]!.writes, 2);
    assert.ok(seen.renewed[0]!.ms >= 50, `timed from the first write: ${seen.renewed[0]!.ms}`);
    // Slow round (over retryMs): the next write went at once, on the new revision.
    assert.equal(writes.length, 3);
    assert.equal(writes[2]!.revision, 6);
    writes[0]!.answer(null); // the stuck write lands on a superseded revision: refused
    await tick();
    assert.deepEqual(seen.lost, []);
    assert.equal(seen.renewed.length, 1, "counted once");
    assert.equal(r.active, true);
  });
});

Deno.test("A refusal while the sibling write is in flight waits for it: its success keeps the lease, its failure makes a loss", async () => {
  for (const sibling of ["renews", "fails"] as const) {
    await renewing(
      { ttlMs: 2000, retryMs: 20, value: { partition: 1, owner: "b", revision: 9 } },
      async ({ r, writes, seen }) => {
        r.renew();
        await sleep(40);
        assert.equal(writes.length, 2);
        writes[0]!.answer(null);
        await tick();
        assert.deepEqual(seen.lost, [], "not yet: the second write is unanswered");
        if (sibling === "renews") {
          writes[1]!.answer(6);
          await tick();
          assert.deepEqual(seen.lost, []);
          assert.equal(r.revision, 6);
        } else {
          writes[1]!.fail(new Error("timeout"));
          await sleep(5);
          assert.equal(seen.lost.length, 1);
          assert.match(
            seen.lost[0]!,
            /lease expired or taken \(renewal refused after \d+ ms; now held by 'b'/,
          );
        }
      },
    );
  }
});

Deno.test("A refusal with no write of this member succeeded adopts the key when this member holds it at a later revision, and writes on it at once", async () => {
  await renewing({ ttlMs: 2000, retryMs: 1000 }, async ({ r, writes, stored, seen }) => {
    r.renew();
    // Our write landed, its answer was lost (timed out here); a later retry is refused.
    stored.value = { partition: 1, owner: "a", revision: 6 };
    writes[0]!.answer(null);
    await sleep(5);
    assert.deepEqual(seen.lost, []);
    assert.equal(r.revision, 6, "adopted");
    assert.equal(writes.length, 2, "written at once on the adopted revision");
    assert.equal(writes[1]!.revision, 6);
    assert.equal(seen.renewed.length, 0, "not a renewal: which write landed is unknown");
    // Held by another member: lost.
    stored.value = { partition: 1, owner: "b", revision: 7 };
    writes[1]!.answer(null);
    await sleep(5);
    assert.equal(seen.lost.length, 1, seen.lost.join("\n"));
    assert.match(seen.lost[0]!, /now held by 'b'/);
    assert.equal(r.active, false);
  });
});

Deno.test("A lease adopted by a read is still judged from the last write whose success was seen (the write that landed may be older than the round)", async () => {
  await renewing({ ttlMs: 300, retryMs: 1000 }, async ({ r, writes, stored, seen }) => {
    const t0 = performance.now(); // the hold's write was sent now
    r.renew();
    await sleep(100);
    writes[0]!.fail(new Error("TIMEOUT")); // it may have landed
    await tick();
    r.renew(); // the next period, on the same revision
    stored.value = { partition: 1, owner: "a", revision: 6 }; // the first one had
    writes[1]!.answer(null);
    await sleep(5);
    assert.equal(r.revision, 6, "adopted");
    assert.equal(writes.length, 3);
    assert.equal(writes[2]!.revision, 6, "written at once on it");
    // Judged from t0, not from the refused write's send (t0 + 100: uncertain only at t0 + 400).
    await sleep(Math.max(0, t0 + 340 - performance.now()));
    assert.equal(seen.uncertain.length, 1, "uncertain a TTL after the last success seen");
    writes[2]!.answer(7);
    await tick();
    assert.equal(seen.certain.length, 1);
    assert.equal(r.revision, 7);
    assert.deepEqual(seen.lost, []);
  });
});

Deno.test("A write on a superseded revision that succeeded too (both writes of a pair pass a clustered leader) moves the lease to its revision as it answers: the next write goes on it, with no read", async () => {
  await renewing({ ttlMs: 2000, retryMs: 50 }, async ({ r, writes, stored, seen }) => {
    r.renew();
    await sleep(80);
    assert.equal(writes.length, 2, "a second write on revision 5");
    await sleep(60); // the second write is now older than the retry timeout
    writes[0]!.answer(6);
    await tick();
    assert.equal(r.revision, 6);
    assert.equal(writes.length, 3, "slow round: written at once on 6");
    writes[1]!.answer(7); // the second write landed too, after the first
    await tick();
    assert.equal(r.revision, 7, "adopted as it answered");
    assert.equal(writes.length, 4, "written at once on 7 (sent over the retry timeout ago)");
    assert.equal(writes[3]!.revision, 7);
    writes[2]!.answer(null); // the write on 6, superseded: refused
    await sleep(5);
    assert.equal(stored.reads, 0, "no read");
    assert.deepEqual(seen.lost, []);
    assert.equal(seen.renewed.length, 1, "one renewal: the pair's");
    assert.equal(r.inFlight, 1, "the write on 7");
    writes[3]!.answer(8);
    await tick();
    assert.equal(r.revision, 8);
    assert.equal(r.inFlight, 0);
    // A superseded success at an earlier revision than the one held changes nothing.
    r.renew();
    await sleep(80);
    writes[5]!.answer(10);
    await tick();
    writes[4]!.answer(9);
    await tick();
    assert.equal(r.revision, 10);
    assert.deepEqual(seen.lost, []);
  });
});

Deno.test("A superseded write's success adopted while a read settles a refusal ends that read: the next period writes on the adopted revision", async () => {
  await renewing({ ttlMs: 2000, retryMs: 100, readsHang: true }, async ({ r, writes, seen }) => {
    r.renew();
    await sleep(130);
    assert.equal(writes.length, 2, "a second write on revision 5");
    writes[0]!.answer(6); // a slow round: a write on 6 at once
    await tick();
    assert.equal(writes.length, 3);
    writes[2]!.answer(null); // refused (the key is further on): a read, which hangs
    await tick();
    writes[1]!.answer(7); // the second write on 5 landed too: adopted
    await tick();
    assert.equal(r.revision, 7);
    r.renew(); // the next period (or a write went at once: the second write was sent long ago)
    assert.equal(writes.at(-1)!.revision, 7, "written on 7, not waiting for the read");
    writes.at(-1)!.answer(8);
    await tick();
    assert.equal(r.revision, 8);
    assert.deepEqual(seen.lost, []);
    assert.deepEqual(seen.uncertain, []);
  });
});

Deno.test("After a slow renewal the deadline counts from that renewal's send, not its answer", async () => {
  await renewing({ ttlMs: 300, retryMs: 1000 }, async ({ r, writes, seen }) => {
    r.renew();
    const sentAt = performance.now();
    await sleep(150);
    writes[0]!.answer(6); // answered 150 ms after its send: the servers stored it in between
    await tick();
    assert.equal(r.revision, 6);
    r.renew(); // never answered
    await sleep(Math.max(0, sentAt + 380 - performance.now()));
    assert.equal(
      seen.uncertain.length,
      1,
      "uncertain a TTL after the renewal's send (answer + TTL is later)",
    );
    assert.match(seen.uncertain[0]!, /its renewal, the first sent \d+ ms ago, is still unanswered/);
  });
});

Deno.test("A renewal told to be quiet (a release waits) sends no more writes and still takes the answers in flight", async () => {
  await renewing({ ttlMs: 2000, retryMs: 20 }, async ({ r, writes, seen }) => {
    r.renew();
    r.quiet();
    await sleep(50);
    r.renew();
    assert.equal(writes.length, 1, "no retry, no period write");
    writes[0]!.answer(6);
    await tick();
    assert.equal(r.revision, 6, "the answer in flight still counts");
    assert.equal(r.inFlight, 0);
    assert.equal(writes.length, 1, "no write at once after the slow round either");
    assert.equal(seen.renewed.length, 1);
  });
});

Deno.test("A TTL running out with a write in flight makes the lease uncertain, and that write's success makes it certain again", async () => {
  await renewing({ ttlMs: 200, retryMs: 1000 }, async ({ r, writes, seen }) => {
    r.renew();
    await sleep(260);
    assert.equal(seen.uncertain.length, 1, "uncertain at the TTL");
    assert.match(seen.uncertain[0]!, /its renewal, the first sent \d+ ms ago, is still unanswered/);
    assert.deepEqual(seen.lost, [], "not lost: the write may still succeed");
    r.renew();
    assert.equal(writes.length, 1, "no write while uncertain");
    writes[0]!.answer(6);
    await tick();
    assert.equal(seen.certain.length, 1);
    assert.ok(seen.certain[0]! >= 40, `uncertain for ${seen.certain[0]} ms`);
    assert.equal(r.revision, 6);
    assert.equal(r.active, true);
  });
});

Deno.test("An uncertain lease whose writes in flight all fail or are refused is lost", async () => {
  for (const end of ["fails", "refused"] as const) {
    await renewing(
      { ttlMs: 200, retryMs: 1000, value: { partition: 1, owner: null, revision: 0 } },
      async ({ r, writes, seen }) => {
        r.renew();
        await sleep(230);
        assert.equal(seen.uncertain.length, 1);
        if (end === "fails") writes[0]!.fail(new Error("TIMEOUT"));
        else writes[0]!.answer(null);
        await sleep(5);
        assert.equal(seen.lost.length, 1, end);
        assert.match(
          seen.lost[0]!,
          end === "fails"
            ? /the writes in flight failed: TIMEOUT/
            : /lease expired or taken .*now free/,
        );
        assert.deepEqual(seen.certain, []);
      },
    );
  }
});

Deno.test("An uncertain lease sends no more writes, not even retries: it is lost when those in flight fail", async () => {
  await renewing({ ttlMs: 200, retryMs: 150 }, async ({ r, writes, seen }) => {
    r.renew();
    await sleep(170);
    assert.equal(writes.length, 2, "the retry before the TTL");
    await sleep(60);
    assert.equal(seen.uncertain.length, 1);
    writes[0]!.fail(new Error("TIMEOUT"));
    await sleep(120); // past the second write's retry timeout
    assert.equal(writes.length, 2, "no write while uncertain");
    assert.deepEqual(seen.lost, []);
    writes[1]!.fail(new Error("TIMEOUT"));
    await tick();
    assert.equal(seen.lost.length, 1);
  });
});

Deno.test("A read settling a refused renewal still unanswered at the TTL makes the lease uncertain, and lost when it gives up a TTL after it was sent", async () => {
  await renewing({ ttlMs: 300, retryMs: 1000, readsHang: true }, async ({ r, writes, seen }) => {
    r.renew();
    await sleep(150);
    writes[0]!.answer(null); // refused: the keeper reads the key to settle it, and that read hangs
    const deadline = Date.now() + 10_000;
    while (seen.uncertain.length === 0 && Date.now() < deadline) await sleep(10);
    assert.match(
      seen.uncertain[0]!,
      /a renewal was refused after \d+ ms and reading the lease to settle it has not answered in \d+ ms/,
    );
    assert.deepEqual(seen.lost, [], "not lost while the read may still answer");
    while (seen.lost.length === 0 && Date.now() < deadline) await sleep(10);
    assert.equal(seen.lost.length, 1);
    assert.match(
      seen.lost[0]!,
      /its writes in flight were refused and reading the lease to settle a refused renewal failed: no answer in 300 ms/,
    );
  });
});

Deno.test("A refusal with the key found still this member's at the write's revision (a clustered leader refusing while another write to the key is in process) writes again at once: kept", async () => {
  await renewing(
    { ttlMs: 2000, retryMs: 1000, value: { partition: 1, owner: "a", revision: 5 } },
    async ({ r, writes, seen }) => {
      r.renew();
      writes[0]!.answer(null); // refused without comparing
      await sleep(5);
      assert.deepEqual(seen.lost, []);
      assert.equal(writes.length, 2, "written again at once");
      assert.equal(writes[1]!.revision, 5);
      writes[1]!.answer(6);
      await tick();
      assert.equal(r.revision, 6);
      assert.deepEqual(seen.renewed.map((x) => x.writes), [2]);
      assert.equal(r.active, true);
    },
  );
});

Deno.test("An uncertain lease writes again once after a refusal that left the key at its revision: success makes it certain, a second such refusal loses it", async () => {
  for (const second of ["renews", "refused"] as const) {
    await renewing(
      { ttlMs: 200, retryMs: 1000, value: { partition: 1, owner: "a", revision: 5 } },
      async ({ r, writes, seen }) => {
        r.renew();
        await sleep(230);
        assert.equal(seen.uncertain.length, 1);
        writes[0]!.answer(null);
        await sleep(5);
        assert.equal(writes.length, 2, `${second}: written again while uncertain`);
        if (second === "renews") {
          writes[1]!.answer(6);
          await tick();
          assert.equal(seen.certain.length, 1);
          assert.deepEqual(seen.lost, []);
        } else {
          writes[1]!.answer(null);
          await sleep(5);
          assert.equal(writes.length, 2, "once per round while uncertain");
          assert.equal(seen.lost.length, 1);
          assert.match(seen.lost[0]!, /now held by 'a' at revision 5, this renewal's 5/);
        }
      },
    );
  }
});

Deno.test("A settling read that fails before the TTL runs out is made again after the next period's write, a round of its own", async () => {
  await renewing({
    ttlMs: 2000,
    retryMs: 1000,
    value: { partition: 1, owner: "b", revision: 9 },
    failReads: 1,
  }, async ({ r, writes, stored, seen }) => {
    r.renew();
    writes[0]!.answer(null); // refused: b wrote the key; the read settling it fails
    await sleep(5);
    assert.equal(stored.reads, 1);
    assert.deepEqual(seen.lost, [], "not lost on a failed read: the TTL has not run out");
    assert.equal(r.active, true);
    r.renew(); // the next period
    assert.equal(writes.length, 2, "written again");
    assert.equal(writes[1]!.revision, 5);
    assert.deepEqual(
      seen.retried,
      [],
      "a write after a failed read is no retry of the refused one",
    );
    writes[1]!.answer(null);
    await sleep(5);
    assert.equal(stored.reads, 2, "read again");
    assert.equal(seen.lost.length, 1);
    assert.match(
      seen.lost[0]!,
      /lease expired or taken \(renewal refused after \d+ ms; now held by 'b'/,
    );
  });
});

Deno.test("An uncertain lease whose writes in flight are refused and whose settling read fails is lost, not uncertain for ever", async () => {
  await renewing(
    { ttlMs: 200, retryMs: 1000, failReads: Infinity },
    async ({ r, writes, stored, seen }) => {
      r.renew();
      await sleep(230);
      assert.equal(seen.uncertain.length, 1);
      writes[0]!.answer(null);
      await sleep(5);
      assert.equal(stored.reads, 1);
      assert.equal(seen.lost.length, 1, "lost once the read failed");
      assert.match(
        seen.lost[0]!,
        /not renewed within the 200 ms TTL .*: its writes in flight were refused and reading the lease to settle a refused renewal failed: 503 no responders/,
      );
      assert.equal(r.active, false);
      assert.deepEqual(seen.certain, []);
    },
  );
});

Deno.test("A read older than the revision the servers said they stored (a stream leader behind them), within the TTL, is no loss: written again at once, once per revision, then at the period", async () => {
  for (const read of ["free", "older owner"] as const) {
    await renewing({
      ttlMs: 2000,
      retryMs: 1000,
      value: read === "free"
        ? { partition: 1, owner: null, revision: 0 }
        : { partition: 1, owner: "b", revision: 3 },
    }, async ({ r, writes, stored, seen }) => {
      r.renew();
      writes[0]!.answer(null); // refused by a leader still applying
      await sleep(5);
      assert.deepEqual(seen.lost, [], read);
      assert.equal(writes.length, 2, "written again at once");
      writes[1]!.answer(null);
      await sleep(5);
      assert.equal(writes.length, 2, "not at once twice");
      assert.deepEqual(seen.lost, []);
      r.renew(); // the next period
      assert.equal(writes.length, 3);
      stored.value = { partition: 1, owner: "a", revision: 5 }; // caught up
      writes[2]!.answer(6);
      await tick();
      assert.equal(r.revision, 6);
      assert.deepEqual(seen.lost, []);
    });
  }
});

Deno.test("A lease read free after its TTL ran out is lost (the servers may have expired it)", async () => {
  await renewing({
    ttlMs: 200,
    retryMs: 1000,
    value: { partition: 1, owner: null, revision: 0 },
    sentAgoMs: 150,
  }, async ({ r, writes, seen }) => {
    r.renew();
    await sleep(80); // past the TTL: uncertain
    assert.equal(seen.uncertain.length, 1);
    writes[0]!.answer(null);
    await sleep(5);
    assert.equal(writes.length, 1, "not written again: free past the TTL settles it");
    assert.equal(seen.lost.length, 1);
    assert.match(seen.lost[0]!, /now free at revision 0, this renewal's 5/);
  });
});

Deno.test("The lease's bound is reported from the send of each write whose success was seen (a sibling's too), never from a read's adoption: the member's saves are judged by it", async () => {
  await renewing({ ttlMs: 2000, retryMs: 50 }, async ({ r, writes, stored, seen }) => {
    const before = performance.now();
    r.renew();
    await sleep(80);
    assert.equal(writes.length, 2, "a second write on revision 5");
    const second = performance.now(); // the second write went between `before` and now
    writes[0]!.answer(6);
    await tick();
    assert.equal(seen.valid.length, 1, "one bound per success");
    assert.ok(seen.valid[0]! >= before && seen.valid[0]! < second - 40, "the first write's send");
    writes[1]!.answer(7); // its sibling landed too: adopted, judged from its own (later) send
    await tick();
    assert.equal(seen.valid.length, 2);
    assert.ok(seen.valid[1]! > seen.valid[0]! + 40, "the second write's send, later");
    assert.ok(seen.valid[1]! <= second);
    // The next period's write on 7 refused, the key read ours further on: adopted by the read,
    // no bound moved (which write landed is unknown).
    r.renew();
    const last = writes.at(-1)!;
    assert.equal(last.revision, 7);
    stored.value = { partition: 1, owner: "a", revision: 9 };
    last.answer(null);
    await sleep(5);
    assert.equal(r.revision, 9, "adopted by the read");
    assert.equal(seen.valid.length, 2, "no bound from an adoption by a read");
    writes.at(-1)!.answer(10);
    await tick();
    assert.equal(seen.valid.length, 3, "the next success moves it");
  });
});
