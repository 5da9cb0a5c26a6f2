/**
 * What members leave in the KV buckets, on a real 3-server NATS cluster:
 * four members are started one after the other without `--instance` (a
 * fresh member id each), each takes all four partitions, applies a chunk
 * of events and saves; the first, second and fourth hand over on SIGTERM,
 * the third is SIGKILLed. After each member's saves, the state bucket
 * holds, per partition, its head, its alert ledger at most, and the
 * chunks of the live member only (no key of a previous member id); the
 * cluster bucket holds the live member's registration and leases only
 * (the dead members' expire).
 */
import assert from "node:assert/strict";
import { Kvm } from "@nats-io/kv";
import { type CollectorProcess, killCollector } from "./collector_kill_fixture.ts";
import { plan, spawnMember, viewOf, waitSettled, withCluster } from "./cluster_fixture.ts";
import { waitFor } from "../tools/harness/wait.ts";

const PARTITIONS = 4;

Deno.test({
  name:
    "Members restarted without --instance leave only the live member's state chunks and leases in KV",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster({ id: "tidy", partitions: PARTITIONS }, async (run) => {
      const { cluster, nc } = run;
      const chunks = plan(41, 4);
      const pubs = run.publishers({ prefix: "t", seed: 41 });
      const kvm = new Kvm(nc);
      const keysOf = async (bucket: string) => {
        const kv = await kvm.open(bucket);
        const all: string[] = [];
        for await (const k of await kv.keys()) all.push(k);
        return all.sort();
      };
      const seenIds: string[] = [];
      let live: CollectorProcess | null = null;
      let sent = 0;
      try {
        for (const [round, chunk] of chunks.entries()) {
          live = await spawnMember(cluster.urls, "tidy", null, PARTITIONS);
          const id = (await waitFor(async () => {
            const v = await viewOf(live!.base);
            return v.collectors.find((c) => c.error === undefined)?.id ?? false;
          }, { timeoutMs: 10_000, what: "the member's id" })) as string;
          assert.ok(!seenIds.includes(id), `a fresh id each start: '${id}' in ${seenIds}`);
          seenIds.push(id);
          await waitSettled(live.base, [id], PARTITIONS, sent, 40_000);
          await pubs.publish(chunk);
          sent += chunk.events;
          await waitSettled(live.base, [id], PARTITIONS, sent, 40_000);
          // Once the member saved every partition, its chunks are the only ones.
          let last: string[] = [];
          await waitFor(async () => {
            last = await keysOf("VIGIL_STATE");
            const writers = new Set(
              last.filter((k) => k.startsWith("chunk.")).map((k) => k.split(".")[3]),
            );
            const saved = new Set(
              last.filter((k) => k.startsWith(`chunk.tidy.`)).map((k) => k.split(".")[2]),
            );
            return writers.size === 1 && writers.has(id) && saved.size === PARTITIONS;
          }, {
            timeoutMs: 20_000,
            what: `only ${id}'s chunks in VIGIL_STATE (round ${round})`,
            detail: () => JSON.stringify(last),
          });
          for (const k of last) {
            assert.match(
              k,
              /^(state\.tidy\.\d+|routed\.tidy\.\d+|chunk\.tidy\.\d+\.[^.]+\.[01]\.\d+)$/,
            );
          }
          assert.deepEqual(
            [...new Set(last.filter((k) => k.startsWith("state.")))],
            Array.from({ length: PARTITIONS }, (_, p) => `state.tidy.${p}`).sort(),
          );
          // Leases and registrations: the live member's only (a dead one's expire).
          let leases: string[] = [];
          await waitFor(async () => {
            leases = await keysOf("VIGIL_CLUSTER");
            return leases.every((k) => k.endsWith(`.${id}`) || k.startsWith("lease.")) &&
              leases.filter((k) => k.startsWith("member.")).length === 1;
          }, {
            timeoutMs: 10_000,
            what: `only ${id}'s registration in VIGIL_CLUSTER`,
            detail: () => JSON.stringify(leases),
          });
          assert.equal(leases.filter((k) => k.startsWith("lease.")).length, PARTITIONS);
          await killCollector(live, round === 2 ? "SIGKILL" : "SIGTERM");
          live = null;
        }
      } finally {
        if (live !== null) await killCollector(live, "SIGTERM");
        await pubs.close();
      }
    }),
});
