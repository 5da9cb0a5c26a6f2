/**
 * Lease states and handoff streams for the causal tests
 * (`tests/causal_scale_test.ts`, `tests/causal_restart_test.ts`,
 * `tests/causal_exclusion_lanes_test.ts`): the state blocks of a free and
 * a held lease, and the benchmark's handoffs (`bench/causal_bench.ts`),
 * encoded per node.
 */
import type { CompiledSpec } from "../../lib/abi/compiled.ts";
import { encodeBatch } from "../../lib/wire/encode.ts";
import type { EventBody } from "../../lib/wire/event.ts";

/** The action numbers and state blocks of the lease spec: free, and held by client 1. */
export interface LeaseStates {
  readonly acquire: number;
  readonly release: number;
  readonly free: Uint8Array;
  readonly held: Uint8Array;
}

/** The lease spec's free state, and its state after `acquire(1)`. */
export function leaseStates(spec: CompiledSpec): LeaseStates {
  const acquire = spec.actionIndex("acquire");
  const release = spec.actionIndex("release");
  const inst = spec.create();
  const free = spec.stateBytes(inst);
  spec.stepFn(acquire)(inst, 1);
  const held = spec.stateBytes(inst);
  return { acquire, release, free, held };
}

/** Options of {@link handoffBatches}. */
export interface HandoffOptions {
  readonly nodes: number;
  readonly keys: number;
  /** Events in all (an acquire and a release per turn). */
  readonly events: number;
  /** Every this many turns (0: never), the acquire carries no stamp: the handoff is not ordered. */
  readonly overlapEvery?: number;
  /** Milliseconds between two events (default 1/16: 16 events per millisecond). */
  readonly everyMs?: number;
  /** Events per batch (default 256). */
  readonly batchSize?: number;
}

/** The node name of node number `n`. */
export function nodeName(n: number): string {
  return `node-${String(n).padStart(2, "0")}`;
}

/**
 * Lease handoffs: node `n` acquires key `turn % keys` and releases it at
 * once, the nodes taking turns; 16 events per millisecond (or one every
 * `everyMs`); every acquire
 * carries the previous holder's release stamp but each key's first and,
 * with `overlapEvery`, every such turn (then counted in `overlaps`).
 * Encoded per node in batches of `batchSize` events.
 */
export function handoffBatches(
  spec: CompiledSpec,
  options: HandoffOptions,
): { batches: Uint8Array[][]; deps: number; overlaps: number } {
  const { nodes, keys, events, overlapEvery = 0, everyMs = 1 / 16, batchSize = 256 } = options;
  const { acquire, release, free, held } = leaseStates(spec);
  const streams: EventBody[][] = Array.from({ length: nodes }, () => []);
  const last: ({ node: number; wall: number; logical: number } | null)[] = new Array(keys).fill(
    null,
  );
  let deps = 0;
  let overlaps = 0;
  for (let s = 0; s < events; s++) {
    const turn = s >> 1;
    const key = turn % keys;
    const n = Math.floor(turn / keys) % nodes;
    const acquiring = (s & 1) === 0;
    const wall = 1_732_170_000_000 + (everyMs >= 1 ? s * everyMs : s >> 4);
    const logical = everyMs >= 1 ? 0 : s & 15;
    const prev = last[key] ?? null;
    const stampless = acquiring && overlapEvery > 0 && turn % overlapEvery === overlapEvery - 1;
    const carries = acquiring && prev !== null && prev.node !== n && !stampless;
    if (carries) deps++;
    if (acquiring && prev !== null && prev.node !== n && stampless) overlaps++;
    streams[n]!.push({
      key: `lock:${key}`,
      wall,
      logical,
      action: acquiring ? acquire : release,
      args: [1],
      state: acquiring ? held : free,
      verdict: 0,
      ...(carries
        ? { deps: [{ node: nodeName(prev.node), wall: prev.wall, logical: prev.logical }] }
        : {}),
    });
    if (!acquiring) last[key] = { node: n, wall, logical };
  }
  const batches = streams.map((evs, n) => {
    const out: Uint8Array[] = [];
    for (let i = 0; i < evs.length; i += batchSize) {
      const header = {
        spec: spec.meta.sourceHash,
        specName: spec.meta.name,
        node: nodeName(n),
        boot: "b1",
        firstSeq: i,
        dropped: [],
      };
      out.push(encodeBatch(header, evs.slice(i, i + batchSize)).slice());
    }
    return out;
  });
  return { batches, deps, overlaps };
}
