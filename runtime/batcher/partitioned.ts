/**
 * The partitioned batcher: routes each event by its instance key's
 * partition (`partitionOf(key, partitions)` of `lib/wire/subjects.ts`, the
 * hash collectors use too) to one inner batcher per partition, each over
 * its own transport (made by the caller for that partition, e.g. a
 * JetStream transport publishing on `vigil.events.<spec>.<p>`).
 *
 * Each partition's events form their own stream: the inner batcher of
 * partition `p` numbers them under the boot id `partitionBoot(boot, p)`
 * (`<boot>~p<p>`), so each partition's sequence numbers are gap-free by
 * themselves and the collector owning a partition sees complete streams,
 * and a collector reading every partition keeps the streams apart. The
 * node id is unchanged. The inner batchers are plain `createBatcher`
 * batchers (composed, not extended): every option applies per partition
 * (`maxBuffered` bounds each partition's buffer, so the whole batcher holds
 * at most `partitions * maxBuffered` events).
 *
 * Monitors push steps as scalars into it (it is a step sink like the plain
 * batcher): the per-partition stream ids are made once per stream and
 * partition, so the per-step path allocates nothing more than the inner
 * batcher's.
 *
 * @module
 */
import { createBatcher } from "./batcher.ts";
import {
  type Batcher,
  type BatcherOptions,
  type BatcherStats,
  PUSH_STEP,
  type PushStep,
  type StepSink,
} from "./batcher_types.ts";
import type { BatcherStatus } from "./status.ts";
import type { Transport } from "../transports/transport.ts";
import type { StepEvent, StreamId } from "../../lib/wire/event.ts";
import { MAX_PARTITIONS, partitionBoot, partitionOf } from "../../lib/wire/subjects.ts";

/**
 * Options of {@link createPartitionedBatcher}: the partition count, and the
 * options of each partition's batcher.
 *
 * @example Sixteen partitions of 256-event batches
 * ```ts
 * import assert from "node:assert/strict";
 * import type { PartitionedBatcherOptions } from "./partitioned.ts";
 * const options: PartitionedBatcherOptions = { partitions: 16, maxEvents: 256 };
 * assert.equal(options.partitions, 16);
 * ```
 */
export interface PartitionedBatcherOptions extends BatcherOptions {
  /** Number of partitions (1 .. 4096): the same count the collectors run with (`--partitions`). */
  readonly partitions: number;
}

/**
 * A batcher routing events to one batcher per partition.
 *
 * @example Events of one key always go to one partition
 * ```ts
 * import assert from "node:assert/strict";
 * import { createPartitionedBatcher, type PartitionedBatcher } from "./partitioned.ts";
 * import { memoryTransport } from "../transports/memory.ts";
 * const batcher: PartitionedBatcher = createPartitionedBatcher(() => memoryTransport(), { partitions: 4 });
 * assert.equal(batcher.partitions, 4);
 * assert.equal(batcher.partitionOf("lock:a"), batcher.partitionOf("lock:a"));
 * await batcher.close();
 * ```
 */
export interface PartitionedBatcher extends Batcher {
  /** Number of partitions. */
  readonly partitions: number;
  /** The partition of an instance key. */
  partitionOf(key: string): number;
  /** Counters of one partition's batcher. */
  partitionStats(p: number): BatcherStats;
}

/**
 * Creates a partitioned batcher: `transportFor(p)` is called once per
 * partition, at creation, for the transport of partition `p`.
 *
 * @throws {RangeError} When `partitions` is not an integer from 1 to 4096.
 *
 * @example Route by key, each partition its own stream numbered from 0
 * ```ts
 * import assert from "node:assert/strict";
 * import { createPartitionedBatcher } from "./partitioned.ts";
 * import { decodeBatch } from "../../lib/wire/decode.ts";
 * import { memoryTransport } from "../transports/memory.ts";
 * const received: { p: number; boot: string; firstSeq: number; keys: string[] }[] = [];
 * const batcher = createPartitionedBatcher((p) => {
 *   const t = memoryTransport();
 *   t.subscribe((bytes) => {
 *     const b = decodeBatch(bytes);
 *     received.push({ p, boot: b.boot, firstSeq: b.firstSeq, keys: b.events.map((e) => e.key) });
 *   });
 *   return t;
 * }, { partitions: 16 });
 * const event = { spec: "ab", specName: "Lease", node: "n1", boot: "b1", wall: 1, logical: 0, action: 0, args: [], state: new Uint8Array(4), verdict: 0 };
 * batcher.push({ ...event, key: "lock:a" });
 * batcher.push({ ...event, key: "lock:orders" });
 * batcher.push({ ...event, key: "lock:a" });
 * await batcher.close();
 * received.sort((a, b) => a.p - b.p);
 * assert.deepEqual(received, [
 *   { p: 9, boot: "b1~p9", firstSeq: 0, keys: ["lock:orders"] },
 *   { p: 11, boot: "b1~p11", firstSeq: 0, keys: ["lock:a", "lock:a"] },
 * ]);
 * ```
 */
export function createPartitionedBatcher(
  transportFor: (partition: number) => Transport,
  options: PartitionedBatcherOptions,
): PartitionedBatcher {
  return new PartitionedBatcherImpl(transportFor, options);
}

/** An inner batcher that takes scalar steps (every `createBatcher` batcher does). */
type InnerBatcher = Batcher & StepSink;

class PartitionedBatcherImpl implements PartitionedBatcher, StepSink {
  readonly partitions: number;
  readonly #inner: readonly InnerBatcher[];
  /** Per stream id given by a monitor: its id in each partition (made on first use). */
  readonly #streams = new WeakMap<StreamId, (StreamId | undefined)[]>();
  #closed = false;

  constructor(transportFor: (partition: number) => Transport, options: PartitionedBatcherOptions) {
    const n = options.partitions;
    if (!Number.isInteger(n) || n < 1 || n > MAX_PARTITIONS) {
      throw new RangeError(
        `Option 'partitions' must be an integer from 1 to ${MAX_PARTITIONS}, got '${n}'`,
      );
    }
    this.partitions = n;
    const { partitions: _, ...inner } = options;
    const batchers: InnerBatcher[] = [];
    for (let p = 0; p < n; p++) {
      batchers.push(createBatcher(transportFor(p), inner) as InnerBatcher);
    }
    this.#inner = batchers;
  }

  partitionOf(key: string): number {
    return partitionOf(key, this.partitions);
  }

  /** The id of `stream` in partition `p` (same object every time). */
  #streamIn(stream: StreamId, p: number): StreamId {
    let ids = this.#streams.get(stream);
    if (ids === undefined) {
      ids = new Array<StreamId | undefined>(this.partitions);
      this.#streams.set(stream, ids);
    }
    let id = ids[p];
    if (id === undefined) {
      id = {
        spec: stream.spec,
        specName: stream.specName,
        node: stream.node,
        boot: partitionBoot(stream.boot, p),
      };
      ids[p] = id;
    }
    return id;
  }

  push(event: StepEvent): void | Promise<void> {
    if (this.#closed) throw new TypeError("Partitioned batcher is closed");
    const p = partitionOf(event.key, this.partitions);
    return this.#inner[p]!.push({ ...event, boot: partitionBoot(event.boot, p) });
  }

  readonly [PUSH_STEP]: PushStep = (stream, key, ...rest) => {
    if (this.#closed) throw new TypeError("Partitioned batcher is closed");
    const p = partitionOf(key, this.partitions);
    return this.#inner[p]![PUSH_STEP](this.#streamIn(stream, p), key, ...rest);
  };

  async flush(): Promise<void> {
    await Promise.all(this.#inner.map((b) => b.flush()));
  }

  async close(): Promise<void> {
    this.#closed = true;
    const results = await Promise.allSettled(this.#inner.map((b) => b.close()));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed.length > 0) {
      throw new AggregateError(
        failed.map((f) => f.reason),
        `Closing ${failed.length} of ${this.partitions} partition batchers failed`,
      );
    }
  }

  status(): AsyncIterable<BatcherStatus> {
    const sources = this.#inner.map((b) => b.status()[Symbol.asyncIterator]());
    return {
      [Symbol.asyncIterator]: () => mergeIterators(sources),
    };
  }

  stats(): BatcherStats {
    return sumStats(this.#inner.map((b) => b.stats()));
  }

  partitionStats(p: number): BatcherStats {
    const b = this.#inner[p];
    if (b === undefined) {
      throw new RangeError(
        `Partition must be an integer from 0 to ${this.partitions - 1}, got '${p}'`,
      );
    }
    return b.stats();
  }
}

/** The counters of several batchers added up. */
function sumStats(all: readonly BatcherStats[]): BatcherStats {
  const refusals: Record<string, number> = {};
  const sum = {
    pushed: 0,
    sent: 0,
    batches: 0,
    dropped: 0,
    abandoned: 0,
    errors: 0,
    refused: 0,
    buffered: 0,
    inFlight: 0,
  };
  for (const s of all) {
    for (const k of Object.keys(sum) as (keyof typeof sum)[]) sum[k] += s[k];
    for (const [reason, n] of Object.entries(s.refusals)) {
      refusals[reason] = (refusals[reason] ?? 0) + n;
    }
  }
  return { ...sum, refusals };
}

/** Yields the values of several iterators as they come; ends when all have ended. */
function mergeIterators<T>(sources: readonly AsyncIterator<T>[]): AsyncIterator<T> {
  const pending = new Map<number, Promise<{ i: number; r: IteratorResult<T> }>>();
  const pull = (i: number) => {
    pending.set(i, sources[i]!.next().then((r) => ({ i, r })));
  };
  sources.forEach((_, i) => pull(i));
  return {
    async next(): Promise<IteratorResult<T>> {
      while (pending.size > 0) {
        const { i, r } = await Promise.race(pending.values());
        if (r.done) {
          pending.delete(i);
          continue;
        }
        pull(i);
        return { done: false, value: r.value };
      }
      return { done: true, value: undefined };
    },
    async return(): Promise<IteratorResult<T>> {
      pending.clear();
      await Promise.all(sources.map((s) => s.return?.()));
      return { done: true, value: undefined };
    },
  };
}
