/**
 * The dashboard's rates over time: a fixed-size ring of per-interval
 * samples (by default the last 600, ten minutes at the collector's one
 * second summary period) that the service fills once per period and serves
 * at `GET /api/rates` and, one sample at a time, as the `rates` event of
 * `/api/events/stream`.
 *
 * A sample holds events/s of the busiest nodes of the interval (at most
 * `topNodes`, default 8: more lines than that do not read in a small plot)
 * with the rest summed in `others`, refused batches/s by reason (a closed
 * set), the ingest lag and the violations raised in the interval. So a
 * sample's size is bounded whatever the number of nodes, the ring's memory
 * is bounded by `capacity` samples, and adding one overwrites the oldest
 * (O(1), after the O(nodes) pick of the busiest that the rates already
 * cost).
 *
 * Web-standard only.
 *
 * @module
 */

/**
 * One interval's rates.
 *
 * @example The rates of one second with one busy node
 * ```ts
 * import assert from "node:assert/strict";
 * import { createRateRing, type RateSample } from "./rates.ts";
 * const ring = createRateRing({ capacity: 4 });
 * const s: RateSample = ring.sample({ at: 1_000, nodeRates: new Map([["api-1", 5]]), lagMs: 250, violations: 0 });
 * assert.deepEqual([s.nodes, s.others, s.lagSeconds], [{ "api-1": 5 }, 0, 0.25]);
 * ```
 */
export interface RateSample {
  /** Sample number, from 1: a client merging the window and the stream keeps the newer. */
  readonly seq: number;
  /** End of the interval, ms since the epoch. */
  readonly at: number;
  /** Length of the interval, ms. */
  readonly dtMs: number;
  /** Events/s of the busiest nodes of the interval (at most `topNodes`, none at 0). */
  readonly nodes: Readonly<Record<string, number>>;
  /** Events/s of the other nodes, summed. */
  readonly others: number;
  /** How many nodes `others` sums. */
  readonly otherNodes: number;
  /** Refused batches/s by reason (reasons with none left out). */
  readonly refused: Readonly<Record<string, number>>;
  /** Age of the oldest event waiting to be applied at the end of the interval, s. */
  readonly lagSeconds: number;
  /** Violations raised in the interval. */
  readonly violations: number;
  /** Violations raised since the collector started. */
  readonly violationsTotal: number;
}

/**
 * What the service measured at the end of an interval.
 *
 * @example The input of one sample
 * ```ts
 * import assert from "node:assert/strict";
 * import { createRateRing, type RateInput } from "./rates.ts";
 * const input: RateInput = { at: 2_000, nodeRates: new Map(), lagMs: 0, violations: 3 };
 * assert.equal(createRateRing().sample(input).violationsTotal, 3);
 * ```
 */
export interface RateInput {
  /** Now, ms since the epoch. */
  readonly at: number;
  /** Events/s of every node over the interval. */
  readonly nodeRates: ReadonlyMap<string, number>;
  /** Ingest lag, ms. */
  readonly lagMs: number;
  /** Violations raised since the collector started (cumulative). */
  readonly violations: number;
}

/**
 * What `GET /api/rates` answers: the ring's samples, oldest first.
 *
 * @example An empty window
 * ```ts
 * import assert from "node:assert/strict";
 * import { createRateRing, type RateWindow } from "./rates.ts";
 * const w: RateWindow = createRateRing({ capacity: 10, topNodes: 3 }).window();
 * assert.deepEqual([w.capacity, w.topNodes, w.samples.length], [10, 3, 0]);
 * ```
 */
export interface RateWindow {
  /** Most samples kept. */
  readonly capacity: number;
  /** Most nodes named in a sample. */
  readonly topNodes: number;
  /** The samples, oldest first. */
  readonly samples: readonly RateSample[];
}

/**
 * Options of {@link createRateRing}.
 *
 * @example Keep a minute at one sample a second
 * ```ts
 * import assert from "node:assert/strict";
 * import { createRateRing, type RateRingOptions } from "./rates.ts";
 * const options: RateRingOptions = { capacity: 60, topNodes: 4, intervalMs: 1_000 };
 * assert.equal(createRateRing(options).window().capacity, 60);
 * ```
 */
export interface RateRingOptions {
  /** Most samples kept. Default 600. */
  readonly capacity?: number;
  /** Most nodes named in a sample, the others summed. Default 8. */
  readonly topNodes?: number;
  /** Length assumed for the first interval, ms. Default 1000. */
  readonly intervalMs?: number;
}

/**
 * The ring: count refusals as they happen, take a sample once an interval.
 *
 * @example Refusals per second by reason
 * ```ts
 * import assert from "node:assert/strict";
 * import { createRateRing, type RateRing } from "./rates.ts";
 * const ring: RateRing = createRateRing();
 * ring.sample({ at: 1_000, nodeRates: new Map(), lagMs: 0, violations: 0 });
 * ring.refused("node_mismatch");
 * ring.refused("node_mismatch");
 * const s = ring.sample({ at: 3_000, nodeRates: new Map(), lagMs: 0, violations: 0 });
 * assert.deepEqual(s.refused, { node_mismatch: 1 });
 * ```
 */
export interface RateRing {
  /** Counts one refused batch in the current interval. */
  refused(reason: string): void;
  /** Closes the interval: stores its sample (dropping the oldest when full) and returns it. */
  sample(input: RateInput): RateSample;
  /** The samples kept, oldest first. */
  window(): RateWindow;
}

function positiveInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`Option '${name}' must be a positive integer, got '${value}'`);
  }
  return value;
}

/**
 * Creates an empty ring.
 *
 * @example The ring keeps the newest samples
 * ```ts
 * import assert from "node:assert/strict";
 * import { createRateRing } from "./rates.ts";
 * const ring = createRateRing({ capacity: 2 });
 * for (const at of [1_000, 2_000, 3_000]) ring.sample({ at, nodeRates: new Map(), lagMs: 0, violations: 0 });
 * assert.deepEqual(ring.window().samples.map((s) => s.at), [2_000, 3_000]);
 * ```
 */
export function createRateRing(options: RateRingOptions = {}): RateRing {
  const capacity = positiveInt("capacity", options.capacity ?? 600);
  const topNodes = positiveInt("topNodes", options.topNodes ?? 8);
  const intervalMs = positiveInt("intervalMs", options.intervalMs ?? 1000);
  const ring: (RateSample | undefined)[] = new Array(capacity);
  let next = 0;
  let size = 0;
  let seq = 0;
  let lastAt: number | null = null;
  let lastViolations: number | null = null;
  let refusals = new Map<string, number>();

  return {
    refused(reason) {
      refusals.set(reason, (refusals.get(reason) ?? 0) + 1);
    },
    sample(input) {
      const dtMs = lastAt === null ? intervalMs : Math.max(1, input.at - lastAt);
      lastAt = input.at;
      const perSecond = 1000 / dtMs;
      const { nodes, others, otherNodes } = busiest(input.nodeRates, topNodes);
      const refused: Record<string, number> = {};
      for (const [reason, n] of refusals) refused[reason] = n * perSecond;
      refusals = new Map();
      const violations = input.violations - (lastViolations ?? input.violations);
      lastViolations = input.violations;
      const s: RateSample = {
        seq: ++seq,
        at: input.at,
        dtMs,
        nodes,
        others,
        otherNodes,
        refused,
        lagSeconds: input.lagMs / 1000,
        violations: Math.max(0, violations),
        violationsTotal: input.violations,
      };
      ring[next] = s;
      next = (next + 1) % capacity;
      size = Math.min(capacity, size + 1);
      return s;
    },
    window() {
      const samples: RateSample[] = [];
      for (let i = 0; i < size; i++) samples.push(ring[(next - size + i + capacity) % capacity]!);
      return { capacity, topNodes, samples };
    },
  };
}

/** The `n` busiest nodes with a rate above 0 (busiest first, ties by name), the rest summed. */
function busiest(
  rates: ReadonlyMap<string, number>,
  n: number,
): { nodes: Record<string, number>; others: number; otherNodes: number } {
  // Kept sorted, busiest first; at most n long, so a pick costs O(nodes * n).
  const top: [string, number][] = [];
  let others = 0;
  let otherNodes = 0;
  const before = (a: [string, number], b: [string, number]) =>
    a[1] > b[1] || (a[1] === b[1] && a[0] < b[0]);
  for (const [node, rate] of rates) {
    if (!(rate > 0)) continue;
    const entry: [string, number] = [node, rate];
    if (top.length === n && !before(entry, top[n - 1]!)) {
      others += rate;
      otherNodes++;
      continue;
    }
    let i = top.length;
    while (i > 0 && before(entry, top[i - 1]!)) i--;
    top.splice(i, 0, entry);
    if (top.length > n) {
      const out = top.pop()!;
      others += out[1];
      otherNodes++;
    }
  }
  return { nodes: Object.fromEntries(top), others, otherNodes };
}
