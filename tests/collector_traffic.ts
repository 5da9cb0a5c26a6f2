/**
 * Test helpers for the collector's data path: random Lease traffic from
 * real SDK monitors on simulated nodes (skewed clocks, HLC stamps passed
 * between nodes, refused steps, reboots), each event with the simulated
 * real time it happened at, and batches cut the way a batcher cuts them
 * (at most `maxEvents`, sent `maxDelayMs` after their first event), encoded
 * with the real wire codec.
 *
 * @module
 */
import { createClock } from "../runtime/monitor/clock.ts";
import { encodeBatch } from "../lib/wire/encode.ts";
import type { StepEvent } from "../lib/wire/event.ts";
import { createNode } from "../runtime/monitor/node.ts";
import type { LoadedSpec } from "../runtime/monitor/load_spec.ts";
import type { Monitor } from "../runtime/monitor/monitor_types.ts";
import { rng } from "./collector_core_fixture.ts";

/** One event and the simulated real time (collector clock) it happened at. */
export interface TimedEvent {
  readonly event: StepEvent;
  readonly t: number;
}

/** Options of {@link leaseTraffic}. */
export interface TrafficOptions {
  readonly seed: number;
  readonly steps: number;
  readonly nodes: readonly string[];
  readonly keys: readonly string[];
  /** Each node's clock minus real time, ms. Default 0 for every node. */
  readonly skews?: readonly number[];
  /** Real time between two steps is uniform in `[0, maxGapMs)`. Default 40. */
  readonly maxGapMs?: number;
  /** Real time of the first step. Default 1 700 000 000 000. */
  readonly start?: number;
  /** Chance that a step is a reboot of the node (new boot id, fresh monitors). Default 0. */
  readonly rebootShare?: number;
}

/**
 * Random Lease traffic: each step, a random node acquires or releases a
 * random key (observe mode: refused steps are events too), or passes an HLC
 * stamp to another node, or reboots. Returns each stream's events in order
 * (a node's boots are separate streams, numbered from 0).
 *
 * @example Two nodes, one key
 * ```ts
 * import assert from "node:assert/strict";
 * import { leaseTraffic } from "./collector_traffic.ts";
 * import { loadExample } from "../tools/harness/sdk_fixture.ts";
 * const streams = leaseTraffic(await loadExample("lease"), {
 *   seed: 1, steps: 20, nodes: ["a", "b"], keys: ["lock:1"],
 * });
 * assert.ok(streams.length >= 1 && streams.flat().every((x) => x.event.key === "lock:1"));
 * ```
 */
export function leaseTraffic(spec: LoadedSpec, options: TrafficOptions): TimedEvent[][] {
  const random = rng(options.seed);
  const { nodes, keys } = options;
  const maxGap = options.maxGapMs ?? 40;
  const rebootShare = options.rebootShare ?? 0;
  let t = options.start ?? 1_700_000_000_000;
  const streams = new Map<string, TimedEvent[]>();
  const sink = {
    push: (e: StepEvent) => {
      const k = `${e.node}\u0000${e.boot}`;
      let list = streams.get(k);
      if (list === undefined) streams.set(k, list = []);
      // The monitor may reuse memory: keep a copy of the state.
      list.push({ event: { ...e, state: e.state.slice(), args: Array.from(e.args) }, t });
    },
  };
  const boots = nodes.map(() => 0);
  const boot = (i: number): Monitor[] => {
    const id = nodes[i]!;
    const skew = options.skews?.[i] ?? 0;
    const node = createNode({
      id,
      boot: `${id}-${++boots[i]!}`,
      clock: createClock({ now: () => t + skew }),
    });
    return keys.map((key) => spec.monitor({ node, key, sink, mode: "observe" }));
  };
  const monitors = nodes.map((_, i) => boot(i));
  for (let s = 0; s < options.steps; s++) {
    t += Math.floor(random() * maxGap);
    const n = Math.floor(random() * nodes.length);
    const m = monitors[n]![Math.floor(random() * keys.length)]!;
    const r = random();
    if (r < rebootShare) {
      monitors[n] = boot(n);
    } else if (r < 0.2) {
      const to = (n + 1 + Math.floor(random() * (nodes.length - 1))) % nodes.length;
      monitors[to]![0]!.observe(m.stamp());
    } else {
      m.step(r < 0.6 ? "acquire" : "release", { c: (n % 3) + 1 });
    }
  }
  return [...streams.values()];
}

/** A batch as sent: its encoded bytes, its events and when it left the node. */
export interface SentBatch {
  readonly bytes: Uint8Array;
  readonly events: readonly StepEvent[];
  /** Simulated real time it was sent at. */
  readonly sentAt: number;
}

/**
 * Cuts one stream into batches like a batcher: a batch takes the events
 * that follow its first one within `maxDelayMs`, at most the next size of
 * `sizes` (cycled), and is sent when full (at its last event) or when
 * `maxDelayMs` has passed since its first event.
 *
 * @example Batches of at most two events within 10 ms
 * ```ts
 * import assert from "node:assert/strict";
 * import { batchStream, leaseTraffic } from "./collector_traffic.ts";
 * import { loadExample } from "../tools/harness/sdk_fixture.ts";
 * const [stream] = leaseTraffic(await loadExample("lease"), {
 *   seed: 3, steps: 30, nodes: ["a"], keys: ["k"],
 * });
 * const batches = batchStream(stream!, [2], 10);
 * assert.equal(batches.reduce((n, b) => n + b.events.length, 0), stream!.length);
 * assert.ok(batches.every((b) => b.events.length >= 1 && b.events.length <= 2));
 * ```
 */
export function batchStream(
  stream: readonly TimedEvent[],
  sizes: readonly number[],
  maxDelayMs: number,
): SentBatch[] {
  const out: SentBatch[] = [];
  let i = 0;
  let k = 0;
  while (i < stream.length) {
    const max = Math.max(1, sizes[k++ % sizes.length] ?? 1);
    const t0 = stream[i]!.t;
    let j = i + 1;
    while (j < stream.length && j - i < max && stream[j]!.t <= t0 + maxDelayMs) j++;
    const full = j - i === max;
    const events = stream.slice(i, j).map((x) => x.event);
    const first = events[0]!;
    const bytes = encodeBatch({
      spec: first.spec,
      specName: first.specName,
      node: first.node,
      boot: first.boot,
      firstSeq: i,
      dropped: [],
    }, events);
    out.push({ bytes, events, sentAt: full ? stream[j - 1]!.t : t0 + maxDelayMs });
    i = j;
  }
  return out;
}
