/**
 * Benchmark helper: the traffic of a collector holding many Lease
 * partitions, as the snapshot benchmarks feed it (`bench/snapshot_bench.ts`,
 * `bench/causal_bench.ts --snapshots`): nodes `node-<n>`
 * that acquire then release each of a set of keys `lock:<k>` (a correct
 * handoff, two events per key), as decoded batches ready for
 * `collector.ingest`. Each node's sequence numbers and one wall clock (one
 * millisecond per event) are kept here, so batches of several calls follow
 * each other; {@link changedKeys} says which keys a round changes.
 *
 * @module
 */
import type { CompiledSpec } from "../../../lib/abi/compiled.ts";
import type { DecodedBatch, DecodedEvent } from "../../../lib/wire/event.ts";

/** Options of {@link LeaseHandoffs}. */
export interface LeaseHandoffsOptions {
  /** Nodes (`node-0` ...). */
  readonly nodes: number;
  /** The first event's wall clock, ms. Default 1. */
  readonly start?: number;
  /** Keys per batch at most ({@link LeaseHandoffs.batches}). Default 4096. */
  readonly batchKeys?: number;
}

/**
 * Acquire-then-release batches of a compiled Lease spec's nodes.
 *
 * @example Two nodes hand a lock over
 * ```ts
 * import assert from "node:assert/strict";
 * import { compileToTemp, specSource } from "../spec_files.ts";
 * import { LeaseHandoffs } from "./handoffs.ts";
 * const { spec } = await compileToTemp("lease", specSource("lease"));
 * const traffic = new LeaseHandoffs(spec, { nodes: 2 });
 * const [a] = traffic.batches(0, [7]);
 * const [b] = traffic.batches(1, [7]);
 * assert.deepEqual(a!.events.map((e) => [e.key, e.wall, e.seq]), [["lock:7", 1, 0], ["lock:7", 2, 1]]);
 * assert.deepEqual([b!.node, b!.firstSeq, b!.events[0]!.wall], ["node-1", 0, 3]);
 * assert.equal(traffic.now, 5);
 * ```
 */
export class LeaseHandoffs {
  readonly #acquire: number;
  readonly #release: number;
  readonly #free: Uint8Array;
  readonly #held: Uint8Array;
  readonly #hash: string;
  readonly #name: string;
  readonly #seqs: number[];
  readonly #batchKeys: number;
  #now: number;

  /** Traffic of `spec` (the Lease spec: actions `acquire(c)` and `release(c)`). */
  constructor(spec: CompiledSpec, options: LeaseHandoffsOptions) {
    if (!Number.isInteger(options.nodes) || options.nodes < 1) {
      throw new RangeError(`Option 'nodes' must be an integer >= 1, got '${options.nodes}'`);
    }
    this.#acquire = spec.actionIndex("acquire");
    this.#release = spec.actionIndex("release");
    const inst = spec.create(1);
    this.#free = spec.stateBytes(inst);
    spec.stepFn(this.#acquire)(inst, 1);
    this.#held = spec.stateBytes(inst);
    this.#hash = spec.meta.sourceHash;
    this.#name = spec.meta.name;
    this.#seqs = new Array<number>(options.nodes).fill(0);
    this.#batchKeys = options.batchKeys ?? 4096;
    this.#now = options.start ?? 1;
  }

  /** The next event's wall clock, ms (what a collector fed these batches may take as now). */
  get now(): number {
    return this.#now;
  }

  /** Moves the wall clock on by `ms`. */
  skip(ms: number): void {
    this.#now += ms;
  }

  /** Node `n` acquires then releases each of `keys`: one batch per {@link LeaseHandoffsOptions.batchKeys} keys. */
  batches(n: number, keys: readonly number[]): DecodedBatch[] {
    if (this.#seqs[n] === undefined) {
      throw new RangeError(`No node ${n} (nodes 0 to ${this.#seqs.length - 1})`);
    }
    const out: DecodedBatch[] = [];
    for (let i = 0; i < keys.length; i += this.#batchKeys) {
      out.push(this.#batch(n, keys.slice(i, i + this.#batchKeys)));
    }
    return out;
  }

  #batch(n: number, keys: readonly number[]): DecodedBatch {
    const firstSeq = this.#seqs[n]!;
    const events: DecodedEvent[] = [];
    for (const k of keys) {
      for (const acquire of [true, false]) {
        events.push({
          key: `lock:${k}`,
          wall: this.#now++,
          logical: 0,
          action: acquire ? this.#acquire : this.#release,
          args: [1],
          state: acquire ? this.#held : this.#free,
          verdict: 0,
          seq: firstSeq + events.length,
        });
      }
    }
    this.#seqs[n] = firstSeq + events.length;
    return {
      version: 1,
      spec: this.#hash,
      specName: this.#name,
      node: `node-${n}`,
      boot: "boot-1",
      firstSeq,
      dropped: [],
      events,
    };
  }
}

/**
 * The `count` keys (of `0 .. keys - 1`) that round `round` changes, spread over them; every key
 * once when `count` is `keys` and `keys` is not a multiple of 97.
 *
 * @example Eight of 20,000 keys, rounds apart
 * ```ts
 * import assert from "node:assert/strict";
 * import { changedKeys } from "./handoffs.ts";
 * assert.deepEqual(changedKeys(0, 3, 20_000), [0, 97, 194]);
 * assert.deepEqual(changedKeys(1, 3, 20_000), [41, 138, 235]);
 * assert.equal(new Set(changedKeys(5, 4096, 4096)).size, 4096);
 * ```
 */
export function changedKeys(round: number, count: number, keys: number): number[] {
  return Array.from({ length: count }, (_, i) => (round * 41 + i * 97) % keys);
}
