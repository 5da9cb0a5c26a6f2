/**
 * The lease-handoff traffic of the causal benchmarks, as the SDK ships it:
 * `bench/causal_bench.ts` (one run of 262,144 events) and
 * `bench/collector_bench.ts --steady` (the same run continued round after
 * round) build their batches here.
 *
 * Global step `s` is a turn of key `(s / 2) % keys` on node
 * `(s / 2 / keys) % nodes` (each node's turn is `keys` consecutive
 * handoffs): an acquire (even `s`) or a release (odd `s`) by client
 * `n % 3 + 1`, HLC wall `1_732_170_000_000 + s / 16`, logical `s % 16`.
 * With dependencies, an acquire carries the stamp of the key's previous
 * release when that was another node's. Each node's events are encoded in
 * batches of 256 (`encodeBatch`, the SDK's writer), and the batches are
 * interleaved round-robin over the nodes.
 *
 * @module
 */
import type { CompiledSpec } from "../../lib/abi/compiled.ts";
import type { EventBody } from "../../lib/wire/event.ts";
import { encodeBatch } from "../../lib/wire/encode.ts";
import { type LeaseKit, leaseKit } from "./lease/states.ts";
import type { createCollector } from "../../edge/engine/collector.ts";

/** Events per encoded batch. */
export const HANDOFF_BATCH = 256;

/** The name of node `n`: `node-00`, `node-01`, ... */
export function handoffNode(n: number): string {
  return `node-${String(n).padStart(2, "0")}`;
}

/** Options of {@link HandoffTraffic}. */
export interface HandoffOptions {
  /** Nodes taking turns. */
  readonly nodes: number;
  /** Keys (partitions) handed off, `lock:0` .. `lock:<keys - 1>`. */
  readonly keys: number;
  /** Whether an acquire carries the previous holder's release stamp (default true). */
  readonly deps?: boolean;
}

/**
 * Handoff traffic made in order, range after range of global steps: each
 * {@link HandoffTraffic.next} call continues the previous one (sequence
 * numbers, walls, and the releases the next acquires depend on).
 *
 * @example Two ranges of 4 nodes
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "../../lib/abi/mod.ts";
 * import { HandoffTraffic } from "./handoff_traffic.ts";
 *
 * const spec = await loadCompiled(new URL("../../dist/lease.js", import.meta.url));
 * const traffic = new HandoffTraffic(spec, { nodes: 4, keys: 8 });
 * assert.equal(traffic.next(4 * 256).length, 4);
 * assert.equal(traffic.next(4 * 512).length, 8);
 * ```
 */
export class HandoffTraffic {
  readonly #kit: LeaseKit;
  readonly #nodes: number;
  readonly #keys: number;
  readonly #deps: boolean;
  /** The previous release per key (for the next acquire's dependency). */
  readonly #last: ({ node: number; wall: number; logical: number } | null)[];
  /** Events made so far per node (the next batch's first sequence number). */
  readonly #seq: number[];
  #step = 0;

  /** Traffic of the Lease spec `spec` (its state blocks from {@link leaseKit}). */
  constructor(spec: CompiledSpec, options: HandoffOptions) {
    if (!(Number.isInteger(options.nodes) && options.nodes > 0)) {
      throw new RangeError(`Nodes '${options.nodes}' is not a positive integer`);
    }
    if (!(Number.isInteger(options.keys) && options.keys > 0)) {
      throw new RangeError(`Keys '${options.keys}' is not a positive integer`);
    }
    this.#kit = leaseKit(spec);
    this.#nodes = options.nodes;
    this.#keys = options.keys;
    this.#deps = options.deps ?? true;
    this.#last = new Array(options.keys).fill(null);
    this.#seq = new Array(options.nodes).fill(0);
  }

  /** The next `steps` global steps, as encoded batches in the order to ingest them. */
  next(steps: number): Uint8Array[] {
    const { acquire: ACQUIRE, release: RELEASE, free, held, spec } = this.#kit;
    const nodes = this.#nodes;
    const streams: EventBody[][] = Array.from({ length: nodes }, () => []);
    const end = this.#step + steps;
    for (let s = this.#step; s < end; s++) {
      const turn = Math.floor(s / 2);
      const key = turn % this.#keys;
      const n = Math.floor(turn / this.#keys) % nodes;
      const acquire = s % 2 === 0;
      const wall = 1_732_170_000_000 + Math.floor(s / 16);
      const logical = s % 16;
      const prev = this.#last[key] ?? null;
      streams[n]!.push({
        key: `lock:${key}`,
        wall,
        logical,
        action: acquire ? ACQUIRE : RELEASE,
        args: [(n % 3) + 1],
        state: acquire ? held[n % 3]! : free,
        verdict: 0,
        ...(this.#deps && acquire && prev !== null && prev.node !== n
          ? { deps: [{ node: handoffNode(prev.node), wall: prev.wall, logical: prev.logical }] }
          : {}),
      });
      if (!acquire) this.#last[key] = { node: n, wall, logical };
    }
    this.#step = end;
    const perNode = streams.map((evs, n) => {
      const out: Uint8Array[] = [];
      const first = this.#seq[n]!;
      for (let i = 0; i < evs.length; i += HANDOFF_BATCH) {
        const header = {
          spec: spec.meta.sourceHash,
          specName: spec.meta.name,
          node: handoffNode(n),
          boot: "boot-1",
          firstSeq: first + i,
          dropped: [],
        };
        out.push(encodeBatch(header, evs.slice(i, i + HANDOFF_BATCH)).slice());
      }
      this.#seq[n] = first + evs.length;
      return out;
    });
    const batches: Uint8Array[] = [];
    for (let i = 0; perNode.some((b) => i < b.length); i++) {
      for (const b of perNode) if (i < b.length) batches.push(b[i]!);
    }
    return batches;
  }
}

/**
 * Ingests `batches` into a fresh collector of `create` (the collector clock
 * moving 1 ms per batch, a 250 ms reorder window; causal verdicts at
 * `maxSkewMs` 500 when `causal`), flushes it and returns the invariant
 * alerts raised (0 for this traffic). The run `bench/causal_bench.ts` times.
 */
export function ingestHandoffs(
  create: typeof createCollector,
  spec: CompiledSpec,
  batches: readonly Uint8Array[],
  causal: boolean,
): number {
  let now = 0;
  const c = create({
    specs: [spec],
    now: () => now,
    windowMs: 250,
    ...(causal ? { maxSkewMs: 500 } : {}),
  });
  for (const b of batches) {
    now++;
    c.ingestBytes(b);
  }
  c.flush();
  return c.violations().length;
}
