/**
 * The workloads of `bench/causal_soak_bench.ts` (see its module doc): their
 * configurations, the flags overriding their defaults, and the collector
 * settings every one of them runs with.
 *
 * @module
 */
import { integerFlag } from "../../tools/harness/bench_args.ts";

/** The workloads, by name. */
export type WorkloadName = "long" | "ordered" | "mix" | "general";

/** Every workload, in the order `--workload all` runs them. */
export const WORKLOADS: readonly WorkloadName[] = ["long", "ordered", "mix", "general"];

/** What one run feeds its collectors. */
export interface SoakConfig {
  readonly name: string;
  readonly nodes: number;
  readonly keys: number;
  readonly maxSkewMs: number;
  readonly rounds: number;
  /** Events per round (a round ends at the first turn boundary past it). */
  readonly events: number;
  /** Events per millisecond of wall time. */
  readonly rate: number;
  /** Every acquire carries the previous holder's release stamp (else none does). */
  readonly stamps: boolean;
  /** Every this many handoffs of a key, an overlapping stampless one (0: none). */
  readonly overlapEvery: number;
  /** A third collector: causal verdicts with full lanes (the spec without its exclusion marker). */
  readonly general: boolean;
  /** Another collector with causal verdicts whose timer ticks every this many ms (null: none). */
  readonly alsoTickMs: number | null;
}

/** The collector's reorder window, ms. */
export const WINDOW_MS = 250;
/** The collector's timer (`advance`), ms. */
export const TICK_MS = 10;

/** Smallest power of two `k` with a key's release-to-acquire gap over 1.25 x 2S at `rate`. */
function orderedKeys(maxSkewMs: number, rate: number): number {
  let k = 1;
  while ((2 * k - 1) / rate <= 1.25 * 2 * maxSkewMs) k *= 2;
  return k;
}

/** The configurations of a workload, the flags overriding its defaults. */
export function configs(name: WorkloadName, flags: ReadonlyMap<string, string>): SoakConfig[] {
  const num = (flag: string, dflt: number) =>
    integerFlag({ string: flags }, flag, { default: dflt });
  const rate = num("rate", 16);
  const base = {
    name,
    nodes: num("nodes", 16),
    keys: num("keys", 256),
    maxSkewMs: num("skew", 500),
    rounds: num("rounds", 20),
    events: num("events", 1 << 18),
    rate,
    stamps: true,
    overlapEvery: 0,
    general: false,
    alsoTickMs: flags.has("also-tick") ? num("also-tick", 100) : null,
  };
  switch (name) {
    case "long":
      return [base];
    case "general":
      return [{ ...base, rounds: num("rounds", 6), general: true }];
    case "mix":
      return [{
        ...base,
        keys: num("keys", 512),
        rounds: num("rounds", 6),
        events: num("events", 1 << 16),
        overlapEvery: num("overlap-every", 100),
      }];
    case "ordered": {
      const cases: SoakConfig[] = [];
      for (const nodes of flags.has("nodes") ? [num("nodes", 16)] : [16, 64]) {
        for (const maxSkewMs of flags.has("skew") ? [num("skew", 500)] : [500, 50]) {
          cases.push({
            ...base,
            name: `ordered, ${nodes} nodes, S = ${maxSkewMs} ms`,
            nodes,
            maxSkewMs,
            keys: num("keys", orderedKeys(maxSkewMs, rate)),
            rounds: num("rounds", 6),
            stamps: false,
          });
        }
      }
      return cases;
    }
  }
}
