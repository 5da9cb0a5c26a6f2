/**
 * Liveness with causal verdicts on: the engine judges liveness on the
 * merged time line in both modes (the causal judge decides only the global
 * invariants' episodes), so the same traffic gives the same timeouts, at
 * the same points, with and without `maxSkewMs`. Lease handoffs (no two
 * holders at once, and a handoff more than 2 S apart, so no invariant
 * alert in either mode), holds of 1 to
 * 90 s against `HolderReleases` (local, 30 s) and `SomeoneCanAcquire`
 * (global, 60 s), at 3 nodes (every participant checked) and 10 (past
 * `AGGREGATE_FROM`: the record of maintained aggregates).
 */
import assert from "node:assert/strict";
import { loadCompiled } from "../../lib/abi/loader.ts";
import type { DecodedBatch, DecodedEvent } from "../../lib/wire/event.ts";
import { createCollector } from "./collector.ts";
import { AGGREGATE_FROM } from "./partition.ts";

const lease = await loadCompiled(new URL("../../dist/lease.js", import.meta.url));
const ACQUIRE = lease.actionIndex("acquire");
const RELEASE = lease.actionIndex("release");
const inst = lease.create();
const FREE = lease.stateBytes(inst);
/** The state after client `c` acquires a free lease whose token was `token`. */
function held(c: number, token: number): { held: Uint8Array; free: Uint8Array } {
  lease.setStateBytes(inst, FREE);
  for (let t = 0; t < token; t++) {
    lease.stepFn(ACQUIRE)(inst, c);
    lease.stepFn(RELEASE)(inst, c);
  }
  assert.equal(lease.stepFn(ACQUIRE)(inst, c), 0);
  const h = lease.stateBytes(inst);
  assert.equal(lease.stepFn(RELEASE)(inst, c), 0);
  return { held: h, free: lease.stateBytes(inst) };
}

/** A small deterministic generator (so a failure reproduces). */
function random(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x * 1_103_515_245 + 12_345) >>> 0;
    return x / 2 ** 32;
  };
}

/** Handoffs over `keys` keys among `nodes` nodes: each node's events as one batch per 16. */
function traffic(nodes: number, keys: number, seed: number): DecodedBatch[] {
  const next = random(seed);
  const W = 1_700_000_000_000;
  const events: { node: number; e: Omit<DecodedEvent, "seq"> }[] = [];
  for (let k = 0; k < keys; k++) {
    let t = W + Math.floor(next() * 1_000);
    // Four turns per node: most keys see nearly every node (past AGGREGATE_FROM at 10 nodes).
    for (let turn = 0; turn < 4 * nodes; turn++) {
      const n = Math.floor(next() * nodes);
      const c = 1 + (n % 3);
      // Holds of 1 to 90 s: some past the local deadline (30 s), some past the global one (60 s).
      const hold = 1_000 + Math.floor(next() * 89_000);
      const { held: h, free } = held(c, 0);
      const base = { key: `lock:${k}`, logical: 0, verdict: 0 };
      events.push({ node: n, e: { ...base, wall: t, action: ACQUIRE, args: [c], state: h } });
      t += hold;
      events.push({ node: n, e: { ...base, wall: t, action: RELEASE, args: [c], state: free } });
      // The next holder acquires over 2 S after (S = 500 ms): not possibly concurrent with the release.
      t += 1_001 + Math.floor(next() * 5_000);
    }
  }
  events.sort((a, b) => a.e.wall - b.e.wall);
  const perNode: DecodedEvent[][] = Array.from({ length: nodes }, () => []);
  for (const { node, e } of events) perNode[node]!.push({ ...e, seq: perNode[node]!.length });
  const batches: DecodedBatch[] = [];
  perNode.forEach((evs, n) => {
    for (let i = 0; i < evs.length; i += 16) {
      batches.push({
        version: 1,
        spec: lease.meta.sourceHash,
        specName: lease.meta.name,
        node: `node-${n}`,
        boot: "boot-1",
        firstSeq: i,
        dropped: [],
        events: evs.slice(i, i + 16),
      });
    }
  });
  return batches;
}

/** The liveness timeouts (and the statuses) a collector gives the traffic, causal verdicts on or off. */
function judge(batches: readonly DecodedBatch[], causal: boolean) {
  const c = createCollector({
    specs: [lease],
    now: () => 0,
    windowMs: 1_000,
    ...(causal ? { maxSkewMs: 500 } : {}),
  });
  for (const b of batches) c.ingest(b);
  c.flush();
  const vs = c.violations();
  assert.ok(
    vs.every((v) => v.kind === "liveness_timeout"),
    `no invariant alert (one holder at a time): ${
      vs.filter((v) => v.kind !== "liveness_timeout").map((v) => v.message)
    }`,
  );
  return {
    timeouts: vs.map((v) =>
      `${v.partition} ${v.property.name} at ${v.at.wall}.${v.at.logical} deadline ${v.deadline} ${
        v.nodes.join(",")
      }`
    ).sort(),
    counted: c.metrics().livenessTimeouts,
    statuses: c.partitions().map((p) => `${p.key} ${p.status}`).sort(),
    widest: Math.max(...c.partitions().map((p) => p.participants.length)),
  };
}

Deno.test("Liveness timeouts are the same with causal verdicts on as off, below and past the maintained aggregates", () => {
  for (const nodes of [3, AGGREGATE_FROM + 2]) {
    for (const seed of [1, 2, 3]) {
      const batches = traffic(nodes, 12, seed);
      const off = judge(batches, false);
      const on = judge(batches, true);
      const local = off.timeouts.filter((t) => t.includes(" HolderReleases ")).length;
      const global = off.timeouts.filter((t) => t.includes(" SomeoneCanAcquire ")).length;
      assert.ok(local > 0 && global > 0, `${nodes} nodes, seed ${seed}: both kinds time out`);
      assert.ok(
        off.widest >= Math.min(nodes, AGGREGATE_FROM),
        `${off.widest} participants at most`,
      );
      assert.deepEqual(on, off, `${nodes} nodes, seed ${seed}`);
    }
  }
});
