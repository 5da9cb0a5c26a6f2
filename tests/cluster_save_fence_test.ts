/**
 * An old owner's save racing a new owner's claim is never lost once it
 * counts: on a real 3-server NATS cluster (replicas 3, nats-server 2.9.10
 * here), owner a (on one server) claims a partition and saves; then its
 * lease's deadline is set a random δ after a second save starts, and
 * owner b (on another server) claims the partition at that deadline (a new
 * owner can acquire only once the lease expired, at the deadline at the
 * earliest). When a's second save was lost (a reported success, b then
 * loaded the state before it), the events it covers would have been
 * acknowledged and dropped: the test fails.
 *
 * nats-server 2.9.10 lets both compare-and-sets on one revision succeed
 * when the second reaches the stream leader before the first is applied,
 * so without the deadline rule (`lease_deadline.ts`; the mutant
 * `lease/save-after-deadline-counts`) a's head write and b's claim both
 * succeed in many trials, and in some b read the head before a's write:
 * the loss (measured by the probe this test came from: 3 of 30 and 9 of
 * 40 trials). With the rule, a save answered after the deadline is not
 * counted until the lease turns out held, and b's claim makes it lost: the
 * save fails as fenced. Each trial is one partition; trials run in batches
 * of 16 at once, at most 128 of them or 60 s.
 */
import assert from "node:assert/strict";
import { connect } from "@nats-io/transport-node";
import { openStateBucket, StateFencedError } from "../edge/cluster/partition_store.ts";
import { leaseClock, LeaseDeadline } from "../edge/cluster/lease_deadline.ts";
import { createCollector } from "../edge/engine/collector.ts";
import { loadCompiled } from "../lib/abi/loader.ts";
import { startNatsCluster } from "../tools/harness/nats_cluster.ts";
import { ROOT } from "../tools/harness/spec_files.ts";

const TRIALS = 128;
const BATCH = 16;
const WITHIN_MS = 60_000;

Deno.test({
  name:
    "On a 3-server cluster, a save whose head write races a new owner's claim is either seen by that owner or refused as fenced, never reported saved and lost",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const cluster = await startNatsCluster({ size: 3 });
    const urls = cluster.urls.split(",");
    const nca = await connect({ servers: urls[0]! });
    const ncb = await connect({ servers: urls[1]! });
    try {
      const lease = await loadCompiled(`${ROOT}dist/lease.core.wasm`);
      const snap = (t: number) => createCollector({ specs: [lease], now: () => t }).snapshot();
      const sa = await openStateBucket(nca, { replicas: 3, bucket: "FENCE" });
      const sb = await openStateBucket(ncb, { replicas: 3, bucket: "FENCE" });
      const tally = {
        trials: 0,
        /** a's save counted and b loaded it. */
        seen: 0,
        /** a's save fenced by b's claim (its head write refused). */
        refused: 0,
        /** a's save answered after the deadline, then refused as fenced (the lease was lost). */
        late: 0,
        /** Of those, b had loaded the state before it: both head writes passed (the race). */
        lateRaced: 0,
        /** b's claim failed (a's save moved the head between b's read and write, 5 times). */
        claimFailed: 0,
        /** a's save reported success and b loaded the state before it: events lost. */
        lost: [] as string[],
      };
      const trial = async (p: number) => {
        // Far deadline for the first save; the second save's deadline is set below.
        let deadline = new LeaseDeadline(leaseClock(), 60_000);
        const a = sa.partition(p, {
          cluster: "f",
          owner: "a",
          log: () => {},
          lease: { before: (at) => deadline.before(at), counts: (at) => deadline.counts(at) },
        });
        const b = sb.partition(p, { cluster: "f", owner: "b", log: () => {} });
        try {
          await a.claim();
          const s0 = leaseClock();
          await a.save(snap(1));
          const saveMs = leaseClock() - s0;
          // The lease expires δ after the second save starts; b acquires then at the earliest. Every
          // other trial draws δ from the first half of the save's time, where the race is likelier.
          const delta = Math.random() * (p % 2 === 0 ? 0.5 : 1.5) * saveMs;
          const t0 = leaseClock();
          deadline = new LeaseDeadline(t0 + delta - 10_000, 10_000);
          const saving = a.save(snap(2)).then(() => null, (e) => e as Error);
          while (leaseClock() < t0 + delta) {
            await new Promise((r) => setTimeout(r, Math.max(0, t0 + delta - leaseClock())));
          }
          const claimed = await b.claim().then(() => true, () => false);
          // b holds the partition now: a's keeper would find the lease taken.
          deadline.lose();
          const failed = await saving;
          tally.trials++;
          if (!claimed) {
            tally.claimFailed++;
            return;
          }
          const at = (await b.load() as unknown as { takenAt?: number } | null)?.takenAt;
          if (failed === null) {
            if (at === 2) tally.seen++;
            else tally.lost.push(`partition ${p}: a's save counted, b loaded takenAt ${at}`);
            return;
          }
          assert.ok(failed instanceof StateFencedError, `a's save failed: ${failed.message}`);
          if (/after the lease's deadline/.test(failed.message)) {
            tally.late++;
            if (at === 1) tally.lateRaced++;
          } else tally.refused++;
        } finally {
          a.close();
          b.close();
        }
      };
      const until = leaseClock() + WITHIN_MS;
      for (let p = 0; p < TRIALS && leaseClock() < until; p += BATCH) {
        await Promise.all(Array.from({ length: BATCH }, (_, i) => trial(p + i)));
      }
      console.log(`save fence: ${JSON.stringify({ ...tally, lost: tally.lost.length })}`);
      assert.deepEqual(tally.lost, [], "saves reported saved and lost to the next owner");
      assert.ok(tally.trials >= BATCH, `only ${tally.trials} trials`);
      assert.ok(
        tally.late > 0,
        "no save was answered after its deadline: the race was not exercised",
      );
    } finally {
      await nca.close();
      await ncb.close();
      await cluster.close();
    }
  },
});
