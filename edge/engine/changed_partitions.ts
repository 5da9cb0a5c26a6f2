/**
 * The partitions changed since the last snapshot was taken: the dirty set a
 * snapshot reads so that it visits what changed, not every partition.
 *
 * A partition is marked when an event is applied to it (the applier), when
 * a violation is raised in it (the applier), when it is registered (new or
 * restored: the engine), and when anything else that a snapshot holds may
 * have changed without an event: everything the engine adds to its status
 * set (`EngineState.dirty`: liveness timeouts, holes marking it incomplete,
 * mixed states, episodes) is marked when that set is announced or when a
 * snapshot is taken, whichever comes first. Marking twice costs one test
 * of a byte.
 *
 * The causal judge's side of a partition changes at times of its own
 * (dependencies recorded at ingest, intervals judged by the clock or at a
 * flush): the judge marks the partition wherever it counts a change of it
 * (`CausalHost.changed`), so with causal verdicts on too a snapshot
 * compares only the partitions marked (`edge/store/partition_snapshots.ts`).
 *
 * @module
 */
import type { Partition } from "./partition.ts";

/**
 * A set of partitions by their collector-wide index (`Partition.index`):
 * a byte per partition says whether it is in, a list holds those that are.
 *
 * @example Mark twice, take once
 * ```ts
 * import assert from "node:assert/strict";
 * import { ChangedPartitions } from "./changed_partitions.ts";
 * import type { Partition } from "./partition.ts";
 * const p = { index: 3 } as Partition;
 * const changed = new ChangedPartitions();
 * changed.mark(p);
 * changed.mark(p);
 * assert.deepEqual(changed.take(), [p]);
 * assert.deepEqual(changed.take(), []);
 * ```
 */
export class ChangedPartitions {
  /** 1 at the index of each partition in {@link ChangedPartitions.take}'s next list. */
  #in = new Uint8Array(1024);
  #list: Partition[] = [];

  /** Number of partitions marked since the last take. */
  get size(): number {
    return this.#list.length;
  }

  /** Adds `p` (a registered partition: its index is set). */
  mark(p: Partition): void {
    const i = p.index;
    if (i < this.#in.length) {
      if (this.#in[i] === 1) return;
    } else this.#grow(i);
    this.#in[i] = 1;
    this.#list.push(p);
  }

  /** True when `p` is marked. */
  has(p: Partition): boolean {
    return this.#in[p.index] === 1;
  }

  /** The partitions marked since the last take, in order of marking; empties the set. */
  take(): Partition[] {
    const out = this.#list;
    const flags = this.#in;
    for (let k = 0; k < out.length; k++) flags[out[k]!.index] = 0;
    this.#list = [];
    return out;
  }

  #grow(i: number): void {
    let n = this.#in.length;
    while (n <= i) n *= 2;
    const flags = new Uint8Array(n);
    flags.set(this.#in);
    this.#in = flags;
  }
}
