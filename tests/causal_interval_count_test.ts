/**
 * The count of state intervals the causal judge's lanes hold
 * (`Collector.causalIntervals()`, the `vigil_causal_intervals` gauge) is
 * kept as the lanes change, not counted when read: every interval placed
 * in order, placed by an older event (a split), seeded, pruned, and every
 * partition's side loaded from a snapshot moves it. Random traffic on both
 * lane kinds (P-intervals only, full lanes) with late batches, clock
 * jumps and restarts (the first from a collector that ran without causal
 * verdicts, so lanes are seeded) compares it, after every step, with a
 * pass over every lane (`causalIntervals(true)`).
 *
 * @module
 */
import assert from "node:assert/strict";
import { laneKinds, loadLease } from "./causal/simulator.ts";
import { CAUSAL_OPTIONS, LeaseEvents, nodeName } from "./causal/lease_workload.ts";
import { rng } from "./collector_core_fixture.ts";
import { createCollector, restoreCollector } from "../edge/engine/collector.ts";
import type { Collector } from "../edge/engine/types.ts";
import type { CompiledSpec } from "../lib/abi/compiled.ts";
import type { EventBody } from "../lib/wire/event.ts";

const specs = await loadLease();
const LANES = laneKinds(specs);
const T = 1_700_000_000_000;
const NODES = 5;
const KEYS = 3;
const STEPS = 600;

/** What one seeded run went through, for the assertions that it covered each kind of change. */
interface Covered {
  readonly checks: number;
  readonly restarts: number;
  readonly late: number;
  readonly most: number;
}

/** One seeded run: `check` is called after every step with the collector of the moment. */
function randomRun(spec: CompiledSpec, seed: number, check: (c: Collector) => void): Covered {
  const random = rng(seed);
  const lease = new LeaseEvents(spec);
  let now = T;
  const options = { specs: [spec], now: () => now, windowMs: CAUSAL_OPTIONS.windowMs };
  const seq = new Array<number>(NODES).fill(0);
  const held = new Array<boolean>(NODES * KEYS).fill(false);
  const batchOf = (n: number, k: number, wall: number): Uint8Array => {
    const key = `lock:${k}`;
    const e: EventBody = held[n * KEYS + k]
      ? lease.release(wall, { key })
      : lease.acquire(wall, { key });
    held[n * KEYS + k] = !held[n * KEYS + k];
    const first = seq[n]!;
    seq[n] = first + 1;
    return lease.batch(nodeName(n), [e], { firstSeq: first });
  };
  // Before causal verdicts: every node holds key 0 once, two still hold it at the restart.
  const before = createCollector(options);
  for (let n = 0; n < NODES; n++) before.ingestBytes(batchOf(n, 0, T + n));
  for (let n = 2; n < NODES; n++) before.ingestBytes(batchOf(n, 0, T + 10 + n));
  now = T + 1_000;
  before.flush();
  const restore = (from: Collector): Collector =>
    restoreCollector(JSON.parse(JSON.stringify(from.snapshot())), {
      ...options,
      maxSkewMs: CAUSAL_OPTIONS.maxSkewMs,
    });
  let c = restore(before);
  let restarts = 1;
  let checks = 0;
  let most = 0;
  const late: { at: number; bytes: Uint8Array }[] = [];
  let wall = T + 1_000;
  for (let step = 0; step < STEPS; step++) {
    wall += 1 + Math.floor(random() * 20);
    const n = Math.floor(random() * NODES);
    const bytes = batchOf(n, Math.floor(random() * KEYS), wall);
    // Some batches arrive seconds late, after later ones of their node: older events, or refused.
    if (random() < 0.12) late.push({ at: step + 5 + Math.floor(random() * 40), bytes });
    else c.ingestBytes(bytes);
    for (let i = late.length - 1; i >= 0; i--) {
      if (late[i]!.at > step) continue;
      c.ingestBytes(late[i]!.bytes);
      late.splice(i, 1);
    }
    now = wall + (random() < 0.1 ? 3_000 : 300);
    c.advance(now);
    if (random() < 0.02) {
      c.flush();
      c = restore(c);
      restarts++;
    }
    check(c);
    checks++;
    most = Math.max(most, c.causalIntervals());
  }
  c.flush();
  check(c);
  return { checks, restarts, late: c.metrics().late, most };
}

for (const [kind, spec] of LANES) {
  Deno.test(`The causal judge's kept interval count equals a pass over its lanes after every step (${kind})`, () => {
    let restarts = 0;
    let late = 0;
    let most = 0;
    for (let seed = 1; seed <= 6; seed++) {
      const covered = randomRun(spec, seed, (c) => {
        const kept = c.causalIntervals();
        const counted = c.causalIntervals(true);
        assert.equal(kept, counted, `seed ${seed}: kept count ${kept}, lanes hold ${counted}`);
      });
      assert.equal(covered.checks, STEPS);
      restarts += covered.restarts;
      late += covered.late;
      most = Math.max(most, covered.most);
    }
    // The runs went through every kind of change: restarts (loads), late events, lanes that grew.
    assert.ok(restarts > 6, `${restarts} restarts`);
    assert.ok(late > 20, `${late} late events`);
    assert.ok(most > NODES * KEYS, `at most ${most} intervals held`);
  });
}
