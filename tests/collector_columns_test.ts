/**
 * The byte-level ingest path (`Collector.ingestBytes`: the wire decoded
 * straight into columns, then `ingestColumns`, what JetStream and HTTP
 * ingest use) against the object path (`ingest` of the batch decoded by the
 * reference msgpack decoder) and against the independent oracle of
 * `merge_oracle.ts`.
 *
 * Random Lease traffic from several nodes over keys chosen to trip a
 * byte-level partition lookup: distinct keys of the same UTF-8 length
 * (including one whose character count differs), keys that are prefixes of
 * each other, non-ASCII keys and node ids. Batches of 1 to 300 events are
 * delivered in a random interleaving, some twice, to two collectors; both
 * must reach the same partitions (ids, statuses, participants, exact state
 * bytes), the same violations and the window model's verdicts.
 */
import assert from "node:assert/strict";
import fc from "../tools/dev_deps/fast_check.ts";
import { decodeReference } from "../lib/wire/decode.ts";
import { WireColumns } from "../lib/wire/columns.ts";
import { decodeColumns } from "../lib/wire/batch_grammar.ts";
import { createCollector } from "../edge/engine/collector.ts";
import { loadPair } from "./collector_core_fixture.ts";
import { batchStream, leaseTraffic, type SentBatch } from "./collector_traffic.ts";
import { expectedVerdicts, record, verdictsOf } from "./collector_verdicts.ts";
import { eventsOf, OracleSpec, sortedMerge, WindowModel } from "./merge_oracle.ts";
import { specSource } from "../tools/harness/spec_files.ts";

const lease = await loadPair("lease");
const oracle = await OracleSpec.fromSource(specSource("lease"));

const KEYS = [
  "k:aa",
  "k:ab",
  "k:ba",
  "k:ä", // 4 bytes like "k:aa", one character fewer
  "lock",
  "lock:1",
  "lock:12",
  "ключ",
  "🔒:1",
  "🔒:2",
];
const NODES = ["n1", "n2", "nœud-3", "節點4"];
const utf8 = (s: string) => new TextEncoder().encode(s).length;

Deno.test("The key set has equal-length distinct keys, shared prefixes and non-ASCII keys", () => {
  const byLength = Map.groupBy(KEYS, utf8);
  assert.ok([...byLength.values()].filter((g) => g.length >= 2).length >= 2);
  assert.ok(byLength.get(4)!.includes("k:ä") && byLength.get(4)!.includes("k:aa"));
  assert.ok(KEYS.some((a) => KEYS.some((b) => a !== b && b.startsWith(a))));
  assert.ok(KEYS.filter((k) => utf8(k) > k.length).length >= 3);
});

/** Consecutive events of one batch with distinct keys of the same UTF-8 length. */
function equalLengthSwitches(b: SentBatch): number {
  let n = 0;
  for (let i = 1; i < b.events.length; i++) {
    const [x, y] = [b.events[i - 1]!.key, b.events[i]!.key];
    if (x !== y && utf8(x) === utf8(y)) n++;
  }
  return n;
}

Deno.test("ingestBytes (columns) and ingest (reference-decoded objects) reach the same partitions, states and the oracle's verdicts", () => {
  let runs = 0;
  let switches = 0;
  let violations = 0;
  let late = 0;
  const columns = new WireColumns();
  fc.assert(
    fc.property(
      fc.record({
        seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        sizes: fc.array(
          fc.oneof(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 21, max: 300 })),
          { minLength: 1, maxLength: 6 },
        ),
        delays: fc.array(fc.nat(200), { minLength: 1, maxLength: 30 }),
        redeliver: fc.array(fc.boolean(), { minLength: 1, maxLength: 10 }),
        windowMs: fc.integer({ min: 0, max: 50 }),
      }),
      (r) => {
        const streams = leaseTraffic(lease.nodes, {
          seed: r.seed,
          steps: 400,
          nodes: NODES,
          keys: KEYS,
          skews: [0, 15, -15, 5],
          maxGapMs: 10,
        });
        const deliveries: { at: number; batch: SentBatch }[] = [];
        let k = 0;
        for (const stream of streams) {
          for (const b of batchStream(stream, r.sizes, 10_000)) {
            const at = b.sentAt + r.delays[k % r.delays.length]!;
            deliveries.push({ at, batch: b });
            if (r.redeliver[k % r.redeliver.length]) deliveries.push({ at: at + 7, batch: b });
            switches += equalLengthSwitches(b);
            k++;
          }
        }
        deliveries.sort((x, y) => x.at - y.at);
        let now = 0;
        const opts = { specs: [lease.collector], now: () => now, windowMs: r.windowMs };
        const bytesPath = createCollector(opts);
        const objectPath = createCollector(opts);
        const bytesLog = record(bytesPath);
        const objectLog = record(objectPath);
        const model = new WindowModel([oracle], { windowMs: r.windowMs });
        for (const { at, batch } of deliveries) {
          now = at;
          assert.ok(decodeColumns(batch.bytes, columns), "the fast decoder takes the batch");
          const decoded = decodeReference(batch.bytes);
          const viaBytes = bytesPath.ingestBytes(batch.bytes);
          const viaObjects = objectPath.ingest(decoded);
          assert.deepEqual(viaBytes, viaObjects, `ingest results at ${at}`);
          model.ingest(eventsOf(decoded), now);
          bytesPath.advance(now);
          objectPath.advance(now);
          model.advance(now);
          assert.equal(bytesPath.metrics().applied, model.run.applied);
        }
        bytesPath.flush();
        objectPath.flush();
        model.flush();
        const viaBytes = verdictsOf(bytesPath, bytesLog);
        assert.deepEqual(viaBytes, verdictsOf(objectPath, objectLog));
        const expected = expectedVerdicts(model.run);
        assert.deepEqual(
          viaBytes.partitions.map((p) => p.id),
          expected.partitions.map((p) => p.id),
        );
        assert.deepEqual(viaBytes, expected);
        if (viaBytes.late === 0) {
          const all = deliveries.flatMap((d) => eventsOf(decodeReference(d.batch.bytes)));
          assert.deepEqual(viaBytes, expectedVerdicts(sortedMerge([oracle], all)));
        }
        assert.equal(bytesPath.metrics().livenessTimeouts, 0);
        runs++;
        violations += viaBytes.violations.length;
        late += viaBytes.late;
      },
    ),
    { numRuns: 40 },
  );
  assert.ok(runs >= 40);
  assert.ok(switches >= runs * 10, `${switches} switches between equal-length keys in a batch`);
  assert.ok(violations >= runs, `${violations} violations in ${runs} runs`);
  assert.ok(late > 0, "some runs had late events");
});

Deno.test("Every key of the set gets its own partition through ingestBytes, with each node's last state", () => {
  const streams = leaseTraffic(lease.nodes, {
    seed: 7,
    steps: 600,
    nodes: NODES,
    keys: KEYS,
    maxGapMs: 5,
  });
  const c = createCollector({ specs: [lease.collector], now: () => 0, windowMs: 0 });
  for (const s of streams) for (const b of batchStream(s, [250], 60_000)) c.ingestBytes(b.bytes);
  c.flush();
  assert.deepEqual(c.partitions().map((p) => p.key).sort(), [...KEYS].sort());
  for (const key of KEYS) {
    const p = c.partition("Lease", key)!;
    const last = new Map<string, number>();
    for (const s of streams) {
      s.forEach((x, seq) => {
        if (x.event.key === key) last.set(x.event.node, seq);
      });
    }
    assert.deepEqual(
      p.participants.map((q) => [q.node, q.seq]).sort(),
      [...last].sort(),
      `participants of '${key}'`,
    );
  }
});

Deno.test("Hundreds of distinct keys of one UTF-8 length, ASCII and not, each get their own partition through ingestBytes", () => {
  const keys = Array.from({ length: 200 }, (_, i) => `key:${String(i).padStart(3, "0")}`)
    .concat(Array.from({ length: 200 }, (_, i) => `ключ${String(i).padStart(3, "0")}`));
  assert.equal(new Set(keys.slice(0, 200).map(utf8)).size, 1);
  assert.equal(new Set(keys.slice(200).map(utf8)).size, 1);
  const streams = leaseTraffic(lease.nodes, {
    seed: 11,
    steps: 2_500,
    nodes: NODES.slice(0, 3),
    keys,
    maxGapMs: 3,
  });
  const c = createCollector({ specs: [lease.collector], now: () => 0, windowMs: 1e9 });
  const log = record(c);
  const events = [];
  for (const s of streams) {
    for (const b of batchStream(s, [256], 60_000)) {
      c.ingestBytes(b.bytes);
      events.push(...eventsOf(decodeReference(b.bytes)));
    }
  }
  c.flush();
  const expected = expectedVerdicts(sortedMerge([oracle], events));
  assert.ok(expected.partitions.length > 350, `${expected.partitions.length} partitions`);
  assert.deepEqual(verdictsOf(c, log), expected);
});

Deno.test("More distinct ASCII keys of one length than the partition key cache has slots each get their own partition", async () => {
  // 10,000 keys over the engine's 4,096 cache slots: by pigeonhole, keys that share a slot follow
  // each other, so a cache that trusted its hash would send one key's event to another's partition.
  const { leaseKit, loadLease, wireBatch } = await import(
    "../tools/harness/collector_limits_fixture.ts"
  );
  const kit = leaseKit(await loadLease());
  const keys = Array.from({ length: 10_000 }, (_, i) => `k:${String(i).padStart(5, "0")}`);
  const c = createCollector({ specs: [kit.spec], now: () => 0, windowMs: 0 });
  const t0 = 1_732_170_000_000;
  let seq = 0;
  for (let round = 0; round < 2; round++) {
    const order = round === 0 ? keys : [...keys].reverse();
    for (let i = 0; i < order.length; i += 500) {
      const events = order.slice(i, i + 500).map((key, j) => ({
        key,
        wall: t0 + round * 1_000_000 + i + j,
        logical: 0,
        action: round === 0 ? kit.acquire : kit.release,
        args: [1],
        state: round === 0 ? kit.held[0]! : kit.free,
        verdict: 0,
      }));
      assert.equal(
        c.ingestBytes(wireBatch(kit.spec, { node: "n1", boot: "b1", firstSeq: seq }, events))
          .accepted,
        events.length,
      );
      seq += events.length;
    }
  }
  c.flush();
  const parts = c.partitionsPage({ limit: 10_000 }).items;
  assert.equal(parts.length, keys.length);
  for (const p of parts) {
    assert.equal(p.applied, 2, `partition ${p.key} applied ${p.applied} events`);
    assert.equal(
      p.participants[0]!.seq > keys.length - 1,
      true,
      `partition ${p.key} ends on a release`,
    );
  }
});
