/**
 * How many held causal violations one partition hands over, on a real
 * nats-server (`edge/cluster/handover_store.ts`): a storm of real causal
 * violations of the lease workload (`tests/causal/lease_workload.ts`,
 * with their evidence and picture), grown to 35 KB of JSON each (the
 * largest a violation measured in the causal soak), all held by a ledger
 * whose lease is then lost. The partition's hand-over takes
 * `MAX_HANDOVER_ALERTS` of them (the old single record took 7 of these);
 * the rest are said whole in the log and counted unhanded. An intake then
 * reads every entry written, plus two an older member left in the old
 * layout's record, routes each once and removes them all. Prints the
 * figures (not asserted: the machine's speed drifts).
 */
import assert from "node:assert/strict";
import { connect } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { createAlertLedger } from "../edge/cluster/alert_ledger.ts";
import { type HandedOverViolation, startAlertIntake } from "../edge/cluster/alert_handover.ts";
import {
  legacyHandoverKey,
  MAX_HANDOVER_ALERTS,
  readHandover,
} from "../edge/cluster/handover_store.ts";
import { updateJson } from "../edge/cluster/kv_json.ts";
import { LeaseDeadline } from "../edge/cluster/lease_deadline.ts";
import { openStateBucket } from "../edge/cluster/partition_store.ts";
import { createAlertRouter } from "../edge/server/alerts.ts";
import type { Violation } from "../edge/engine/types.ts";
import { startNatsServer } from "../tools/harness/nats_server.ts";
import { waitFor } from "../tools/harness/wait.ts";
import { loadLease } from "./causal/simulator.ts";
import { handoffBatches, ingestRoundRobin } from "./causal/lease_workload.ts";

/** Bytes of JSON of one violation in the storm. */
const SIZE = 35_000;
/** Violations held when the lease is lost: more than one partition's hand-over holds. */
const STORM = MAX_HANDOVER_ALERTS + 76;

const bytesOf = (v: unknown) => new TextEncoder().encode(JSON.stringify(v)).length;

/** `count` distinct causal violations of `SIZE` bytes, made from the lease workload's. */
async function causalStorm(count: number): Promise<Violation[]> {
  const { collector: spec } = await loadLease();
  const { batches } = handoffBatches(spec, { nodes: 16, keys: 4, events: 4_000, overlapEvery: 3 });
  const real = ingestRoundRobin(spec, batches).violations().filter((v) => v.causal !== undefined);
  assert.ok(real.length > 0, "the workload raises causal violations");
  return Array.from({ length: count }, (_, i) => {
    const t = real[i % real.length]!;
    const v = { ...t, id: `${t.spec}:${t.partition}:${1_000 + i}`, at: { ...t.at, wall: i } };
    // The picture and evidence as raised; the message grown to the storm's size.
    return { ...v, message: `${v.message} ${"·".repeat(Math.max(0, SIZE - bytesOf(v) - 1) / 2)}` };
  });
}

Deno.test({
  name:
    "One partition hands over 1,024 held causal violations of 35 KB on a real nats-server; the rest are logged whole and counted; the next owner routes each once",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const storm = await causalStorm(STORM);
    const sizes = storm.map(bytesOf);
    assert.ok(sizes.every((b) => b >= SIZE - 8 && b <= SIZE + 8), `${Math.min(...sizes)}`);
    const server = await startNatsServer();
    const nc = await connect({ servers: server.url });
    const lines: string[] = [];
    let intake: ReturnType<typeof startAlertIntake> | null = null;
    try {
      const states = await openStateBucket(nc, { replicas: 1, bucket: "HANDOVER_CAP" });
      const routedByA: string[] = [];
      const lease = new LeaseDeadline(0, 1_000);
      const router = createAlertRouter<Violation>();
      router.listen((v) => void routedByA.push(v.id));
      const ledger = createAlertLedger(
        states.kv,
        router,
        {
          cluster: "cap",
          owner: "a",
          partition: 0,
          lease,
          handover: states.handover,
          clock: () => 1_500, // past the deadline: every alert is held
          log: (l) => void lines.push(l),
        },
      );
      for (const v of storm) ledger.send(v);
      const t0 = performance.now();
      lease.lose();
      await ledger.drain();
      const writeMs = performance.now() - t0;
      const counts = ledger.counts();
      assert.deepEqual(routedByA, []);
      assert.equal(counts.dropped, STORM);
      assert.equal(counts.handedOver, MAX_HANDOVER_ALERTS, lines.slice(-3).join("\n"));
      assert.equal(counts.unhanded, STORM - MAX_HANDOVER_ALERTS);
      // What does not fit is in the log whole (message and JSON), once each.
      const unhanded = lines.filter((l) => l.includes("could not hand held alert"));
      assert.equal(unhanded.length, STORM - MAX_HANDOVER_ALERTS);
      assert.ok(unhanded.every((l) => /holds 1024 alerts already/.test(l) && l.length > SIZE));
      const read = await readHandover(states.handover, "cap", 0, () => false, 10_000);
      assert.equal(read.entries.length, MAX_HANDOVER_ALERTS);
      assert.deepEqual(read.malformed, []);
      const handed = new Set(read.entries.map((e) => e.id));
      assert.ok(
        read.entries.every((e) =>
          bytesOf(e.violation) === bytesOf(storm.find((v) => `${v.id}@a` === e.id))
        ),
      );

      // An older member's record (the old layout) is read too.
      const old = storm.slice(0, 2).map((v) => ({ ...v, id: `${v.id}-old` }));
      await updateJson<Record<string, unknown>>(states.kv, legacyHandoverKey("cap", 0), (m) => {
        for (const v of old) m[`${v.id}@z`] = { from: "z", lostAt: 1, violation: v };
        return true;
      }, 5_000);
      for (const v of old) handed.add(`${v.id}@z`);

      // The next owner's core raises none of them; their events count as applied.
      const sent: HandedOverViolation[] = [];
      const t1 = performance.now();
      intake = startAlertIntake(states.handover, {
        cluster: "cap",
        partition: 0,
        collector: { on: () => () => {}, appliedThrough: () => Number.MAX_SAFE_INTEGER },
        send: (v) => void sent.push(v),
        drain: () => Promise.resolve(),
        settleMs: 0,
        log: (l) => void lines.push(l),
      });
      await waitFor(async () =>
        sent.length >= handed.size &&
        (await readHandover(states.handover, "cap", 0, () => false, 10_000)).entries.length === 0, {
        timeoutMs: 60_000,
        what: "every handed-over alert routed and removed",
      });
      const takeMs = performance.now() - t1;
      assert.deepEqual(sent.map((v) => v.id).sort(), [...handed].sort(), "each routed once");
      assert.deepEqual(intake.counts(), { reraised: 0, takenOver: handed.size });
      const info = await (await jetstreamManager(nc)).streams.info("KV_HANDOVER_CAP", {
        subjects_filter: "$KV.HANDOVER_CAP.handover.>",
      });
      console.log(
        `hand-over capacity: ${counts.handedOver} of ${STORM} held causal violations of ` +
          `${SIZE} B written in ${writeMs.toFixed(0)} ms (${
            (counts.handedOver * SIZE / 2 ** 20).toFixed(1)
          } MiB), ${counts.unhanded} logged; ${sent.length} routed and removed by the next ` +
          `owner in ${takeMs.toFixed(0)} ms; subjects left ${
            Object.keys(info.state.subjects ?? {}).length
          } (the old record's key)`,
      );
    } finally {
      await intake?.stop();
      await nc.close();
      await server.stop();
    }
  },
});
