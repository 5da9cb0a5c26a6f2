/**
 * A kill test that can fail: `vigil collector` (a subprocess on
 * `dist/lease.js`, a real nats-server, one Deno KV file) is killed with
 * SIGKILL at least ten times at random points while SDK nodes publish, and
 * restarted each time on the same KV file and durable consumer.
 *
 * - Publishers: four nodes, each with a real `createBatcher` over the
 *   JetStream transport with the SDK's DEFAULT options (`maxEvents`
 *   `DEFAULT_MAX_EVENTS`, `maxDelayMs` `DEFAULT_MAX_DELAY_MS`), pushing
 *   random bursts of up to 1.6 default batches, so batch sizes vary naturally;
 *   some chunks inject a double hold (two nodes hold one lock), which the
 *   global invariant `OneHolder` must catch.
 * - Kills: before each kill the collector is restarted, a chunk of the
 *   workload starts publishing, and the collector is killed either as soon
 *   as it listens (a quick kill, before its first save and ack; two in a row
 *   at least), or once it has applied a random number of events (and, for
 *   half of those, once it has also acked something, so its ack floor moved).
 *   Every kill lands mid-stream: later chunks are not published yet.
 * - Reference: the independent oracle of `merge_oracle.ts` (the
 *   interpreter over the HLC-sorted merge of every event, partition by
 *   partition) fed the events read back from the stream with the reference
 *   decoder. It shares no code with the collector.
 *
 * Asserted: identical violations (property, partition, nodes, HLC, in the
 * order raised per partition); every event applied exactly once and counted
 * once, none lost, dropped or refused; some kill left delivered messages
 * unacked, and the restarts were handed them again (from the consumer's
 * info after each kill); duplicates explained by redelivery (at most the
 * events of the messages each restart was handed again); a restarted
 * durable never resumes before its previous start nor before its ack floor.
 * Duplicates themselves are rare here: a message is acked right after the
 * save that covers it, so a SIGKILL leaves unacked only what the saved state
 * lacks; `edge/ingest/nats_test.ts` kills between a save and its acks.
 *
 * Seeded: the seed is printed; `VIGIL_KILL_SEED=<n>` replays a run.
 */
import assert from "node:assert/strict";
import type { ConsumerInfo } from "@nats-io/jetstream";
import {
  collectorMetric,
  collectorMetrics,
  type CollectorRig,
  collectorRig,
  collectorViolations,
  killCollector,
  streamOracle,
} from "./collector_kill_fixture.ts";
import { rng } from "./collector_core_fixture.ts";
import { waitFor } from "../tools/harness/wait.ts";
import { DEFAULT_MAX_EVENTS } from "../runtime/batcher/batcher_types.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const KILLS = 10;
const NODES = 4;
const SEED = Number(Deno.env.get("VIGIL_KILL_SEED") ?? Math.floor(Math.random() * 2 ** 31));

/** One chunk of the workload: bursts (acquire/release rounds) per node, and maybe a double hold. */
interface Chunk {
  readonly bursts: readonly (readonly number[])[];
  readonly split: { readonly key: string; readonly a: number; readonly b: number } | null;
  readonly events: number;
}

function plan(random: () => number, chunks: number): Chunk[] {
  const splitAt = new Set<number>();
  while (splitAt.size < 3) splitAt.add(Math.floor(random() * chunks));
  return Array.from({ length: chunks }, (_, k) => {
    const bursts = Array.from(
      { length: NODES },
      () =>
        Array.from(
          { length: 1 + Math.floor(random() * 2) },
          () => 1 + Math.floor(random() * DEFAULT_MAX_EVENTS * 0.8),
        ),
    );
    const a = Math.floor(random() * NODES);
    const split = splitAt.has(k)
      ? { key: `lock:split-${k}`, a, b: (a + 1 + Math.floor(random() * (NODES - 1))) % NODES }
      : null;
    const rounds = bursts.flat().reduce((s, n) => s + n, 0);
    return { bursts, split, events: 2 * rounds + (split === null ? 0 : 4) };
  });
}

/** The publishing nodes: one default batcher each over the JetStream transport. */
function makeNodes(rig: CollectorRig, seed: number) {
  const nodes = rig.nodes(NODES);
  const randoms = nodes.map((n) => rng(seed + 1 + n.i));
  /** Pushes the bursts of one node, letting the batcher's own timer send each burst's tail. */
  const burst = async (n: (typeof nodes)[number], rounds: readonly number[]) => {
    for (const count of rounds) {
      for (let r = 0; r < count; r++) {
        const m = n.monitor(`lock:${n.i}:${Math.floor(randoms[n.i]!() * 40)}`);
        m.step("acquire", { c: n.i % 3 + 1 });
        m.step("release", { c: n.i % 3 + 1 });
      }
      await waitFor(() => n.batcher.stats().buffered === 0, { what: `node-${n.i} to send` });
    }
  };
  return {
    async publish(chunk: Chunk): Promise<void> {
      const s = chunk.split;
      if (s !== null) {
        nodes[s.a]!.monitor(s.key).step("acquire", { c: 1 });
        nodes[s.b]!.monitor(s.key).step("acquire", { c: 2 });
      }
      await Promise.all(nodes.map((n) => burst(n, chunk.bursts[n.i]!)));
      if (s !== null) {
        nodes[s.a]!.monitor(s.key).step("release", { c: 1 });
        nodes[s.b]!.monitor(s.key).step("release", { c: 2 });
      }
      await Promise.all(nodes.map((n) => n.batcher.flush()));
    },
    close: () => Promise.all(nodes.map((n) => n.batcher.close())),
    stats: () => nodes.map((n) => n.batcher.stats()),
  };
}

/** What the consumer looked like right after a kill. */
interface AfterKill {
  /** `quick`: as soon as it listens; `applied`: after a random number of applied events; `acked`: the same, once it has acked something. */
  readonly mode: "quick" | "applied" | "acked";
  /** Events the collector reported applied just before the kill. */
  readonly appliedBefore: number;
  readonly published: number;
  readonly floor: number;
  readonly delivered: number;
  readonly ackPending: number;
  readonly start: number;
  /** Events applied in the state it restored. */
  readonly restored: number;
  /** Seconds since the test started: spawned, killed. */
  readonly at: readonly [number, number];
}

function startOf(i: ConsumerInfo): number {
  return i.config.opt_start_seq ?? 1;
}

Deno.test({
  name:
    "A collector SIGKILLed 10 times at random points under default SDK batching reaches the oracle's verdicts, applying every event exactly once",
  ...opts,
  fn: async () => {
    console.log(`seed ${SEED} (replay with VIGIL_KILL_SEED=${SEED})`);
    const t0 = Date.now();
    const random = rng(SEED);
    const chunks = plan(random, KILLS + 1);
    const total = chunks.reduce((s, c) => s + c.events, 0);
    const rig = await collectorRig("vigil-kill-");
    const consumer = rig.consumer;
    const quickPair = 1 + Math.floor(random() * (KILLS - 3));
    try {
      const nodes = makeNodes(rig, SEED);
      const kills: AfterKill[] = [];
      const starts: number[] = [];
      let published = 0;

      for (let k = 0; k < KILLS; k++) {
        const spawnedAt = (Date.now() - t0) / 1000;
        const child = await rig.spawn();
        const runStart = startOf(await consumer());
        if (k > 0) starts.push(runStart);
        const chunk = chunks[k]!;
        const publishing = nodes.publish(chunk);
        const quick = k === quickPair || k === quickPair + 1 || random() < 0.2;
        const mode = quick ? "quick" : random() < 0.5 ? "applied" : "acked";
        let appliedBefore: number;
        if (quick) {
          appliedBefore = await collectorMetric(child.base, "vigil_events_applied_total");
        } else {
          const from = await collectorMetric(child.base, "vigil_events_applied_total");
          const target = from + Math.ceil(random() * (published + chunk.events - from));
          appliedBefore = await waitFor(async () => {
            const n = await collectorMetric(child.base, "vigil_events_applied_total");
            if (n < target) return false;
            return (mode === "applied" || (await consumer()).ack_floor.stream_seq >= runStart) && n;
          }, {
            what: `kill ${k}: ${target} events applied`,
            timeoutMs: 30_000,
            detail: async () =>
              `${JSON.stringify(Object.fromEntries(await collectorMetrics(child.base)))}\n${
                JSON.stringify(await consumer())
              }\n${child.output()}`,
          });
        }
        await killCollector(child, "SIGKILL");
        await publishing;
        published += chunk.events;
        const i = await consumer();
        kills.push({
          mode,
          appliedBefore,
          published,
          floor: i.ack_floor.stream_seq,
          delivered: i.delivered.stream_seq,
          ackPending: i.num_ack_pending,
          start: startOf(i),
          restored: Number(/restored (\d+) applied events/.exec(child.output())?.[1] ?? 0),
          at: [spawnedAt, (Date.now() - t0) / 1000],
        });
      }

      // The last chunk, and a run left to finish.
      const last = await rig.spawn();
      starts.push(startOf(await consumer()));
      await nodes.publish(chunks[KILLS]!);
      await nodes.close();
      for (const s of nodes.stats()) {
        assert.deepEqual(
          [s.pushed, s.dropped, s.abandoned],
          [s.sent, 0, 0],
          "publishers lost nothing",
        );
      }
      assert.equal(nodes.stats().reduce((n, s) => n + s.sent, 0), total);
      await waitFor(async () => {
        const i = await consumer();
        return i.num_pending === 0 && i.num_ack_pending === 0 &&
          await collectorMetric(last.base, "vigil_events_applied_total") === total;
      }, {
        what: "the last run to apply and ack everything",
        timeoutMs: 60_000,
        detail: async () => JSON.stringify(Object.fromEntries(await collectorMetrics(last.base))),
      });
      const m = await collectorMetrics(last.base);
      const violations = await collectorViolations(last.base);
      await killCollector(last, "SIGTERM");

      // What was published, read back with the reference decoder.
      const messages = await rig.messages();
      const stream = await rig.readBack(messages);
      const sizes = stream.map((s) => s.batch.events.length);
      const eventsAt = new Map(stream.map((s) => [s.seq, s.batch.events.length]));
      const oracle = await streamOracle(stream);

      // Redeliveries: a restart after a kill holding unacked messages is handed
      // again every message from the consumer's new start up to the last delivered.
      let redelivered = 0;
      kills.forEach((kill, k) => {
        const start = starts[k]!;
        assert.ok(start >= kill.start, `restart ${k + 1} resumed before the previous start`);
        if (kill.ackPending === 0) return;
        assert.ok(start >= kill.floor + 1, `restart ${k + 1} resumed below the ack floor`);
        for (let seq = start; seq <= kill.delivered; seq++) redelivered += eventsAt.get(seq) ?? 0;
      });
      const duplicates = m.get("vigil_duplicate_events_total") ?? 0;
      console.log(
        `${total} events in ${messages} batches (sizes ${Math.min(...sizes)}..${
          Math.max(...sizes)
        }, ${new Set(sizes).size} distinct); kills: ${
          kills.map((k) =>
            `${k.restored}->${k.mode}@${k.appliedBefore}/${k.published}+${k.ackPending} (${
              k.at[0]
            }s-${k.at[1]}s)`
          ).join(" ")
        }; duplicates ${duplicates} of at most ${redelivered} redelivered; late ${
          m.get("vigil_late_events_total")
        }, gaps ${m.get("vigil_gaps_total")}`,
      );

      // The run really exercised what it claims.
      assert.equal(oracle.events, total, "the stream holds every published event once");
      assert.ok(kills.length >= 10);
      for (const [k, kill] of kills.entries()) {
        assert.ok(kill.appliedBefore < total, `kill ${k} landed mid-stream`);
      }
      assert.ok(kills.some((k) => k.ackPending > 0), "some kill left messages unacked");
      assert.ok(kills.some((k) => k.floor > 0), "some run acked before its kill");
      assert.ok(
        kills.some((k, i) => k.mode === "quick" && kills[i - 1]?.mode === "quick"),
        "two quick kills in a row",
      );
      assert.ok(redelivered > 0, "some restart was handed unacked messages again");
      assert.ok(
        sizes.includes(DEFAULT_MAX_EVENTS) && new Set(sizes).size >= 10,
        `batch sizes vary up to ${DEFAULT_MAX_EVENTS}`,
      );
      const expectedSplits = chunks.flatMap((c) =>
        c.split === null
          ? []
          : [`${c.split.key} ${[`node-${c.split.a}`, `node-${c.split.b}`].sort()}`]
      ).sort();
      const oracleViolations = [...oracle.partitions.values()].flatMap((p) =>
        p.violations.map((v) => ({ ...v, key: p.key }))
      );
      assert.deepEqual(
        oracleViolations.map((v) => `${v.key} ${[...v.nodes].sort()}`).sort(),
        expectedSplits,
        "the oracle sees every injected double hold, and only them",
      );

      // Verdicts (per partition, in the order raised) and counters.
      const got = new Map<string, string[]>();
      for (const v of violations) {
        const list = got.get(v.partition) ?? [];
        list.push(`${v.property.name} ${v.at.wall}.${v.at.logical} ${[...v.nodes].sort()}`);
        got.set(v.partition, list);
      }
      const want = new Map<string, string[]>();
      for (const v of oracleViolations) {
        const list = want.get(v.key) ?? [];
        list.push(`${v.name} ${v.at.wall}.${v.at.logical} ${[...v.nodes].sort()}`);
        want.set(v.key, list);
      }
      const sorted = (x: Map<string, string[]>) => [...x].sort(([a], [b]) => a < b ? -1 : 1);
      assert.deepEqual(sorted(got), sorted(want));
      assert.ok(violations.every((v) => v.kind === "invariant"));
      assert.equal(m.get("vigil_events_applied_total"), total, "every event applied once");
      assert.equal(m.get("vigil_events_accepted_total"), total, "no event counted twice");
      assert.ok(duplicates <= redelivered, "every duplicate explained by a redelivery");
      for (const name of ["lost", "dropped"]) {
        assert.equal(m.get(`vigil_${name}_events_total`), 0, name);
      }
      assert.equal(m.get("vigil_batches_rejected_total") ?? 0, 0, "no batch refused");
      assert.equal(m.get("vigil_jetstream_terminated_total") ?? 0, 0, "no message terminated");
    } finally {
      await rig.close();
    }
  },
});
