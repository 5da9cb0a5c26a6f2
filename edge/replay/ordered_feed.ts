/**
 * Feeding the collector core without its reorder merge: replay's events
 * come merge-ordered (the reader's window and k-way merge), so a tick
 * whose events each order after their partition's latest can be applied
 * event by event as fed (`edge/engine/ordered_ingest.ts`), skipping the
 * partition buffers, arrival queue and flush pass a batch off the wire
 * needs.
 *
 * The verdicts are those of the buffered path exactly: the collector
 * applies each partition's buffered events in merge order (HLC wall, HLC
 * logical, node, boot, number), and a tick goes the direct way only when
 * every event of it orders after the latest event fed to its partition by
 * that order (so the buffered path would apply them in the same order,
 * none late), its partition and stream exist in the engine and its node is
 * already a participant (so admission has nothing to decide). Any other
 * tick (a line out of the window, two nodes' lines tied in time whose
 * files are not in node order, a new key or node) is fed as columns and
 * buffered, as before. Per partition only its own events' order matters
 * (partitions are independent); violations are listed in the canonical
 * order whatever order partitions raise them in.
 *
 * @module
 */
import type { OrderedIngest } from "../engine/ordered_ingest.ts";
import type { Partition } from "../engine/partition.ts";
import type { NodeStream } from "./log_streams.ts";

/** The latest event fed to a partition, by merge order, and the engine's partition once made. */
export interface PartitionCursor {
  wall: number;
  logical: number;
  node: string;
  /** Its number in its node's stream as fed (-1: none fed yet). */
  seq: number;
  /** The engine's partition, once a tick created it. */
  partition: Partition | null;
}

/**
 * Notes each event of a tick and applies the tick directly when it can.
 *
 * @example The judge's use, per tick
 * ```ts ignore
 * const feed = new OrderedFeed(orderedIngestOf(collector));
 * feed.note(st, inst, e, st.tick.columns.count); // then push e
 * if (feed.direct) feed.applyTick(); else ingestEachStreamAndFlush();
 * feed.reset();
 * ```
 */
export class OrderedFeed {
  readonly #ingest: OrderedIngest;
  /** Per spec (by its index), the cursor of each key fed. */
  readonly #cursors: Map<string, PartitionCursor>[] = [];
  #direct = true;
  #count = 0;
  #streams: NodeStream[] = [];
  #parts: Partition[] = [];
  #index: Int32Array<ArrayBuffer> = new Int32Array(1024);
  #members: Int32Array<ArrayBuffer> = new Int32Array(1024);
  /** Ticks applied directly, and buffered (for the bench and the tests). */
  directTicks = 0;
  bufferedTicks = 0;

  /** Applies through `ingest` (`orderedIngestOf(collector)`). */
  constructor(ingest: OrderedIngest) {
    this.#ingest = ingest;
  }

  /** True while every event of the tick so far can be applied as fed. */
  get direct(): boolean {
    return this.#direct;
  }

  /** The cursor of a partition (spec index, key), made on first use. */
  cursor(spec: number, key: string): PartitionCursor {
    const byKey = this.#cursors[spec] ??= new Map();
    let c = byKey.get(key);
    if (c === undefined) {
      byKey.set(key, c = { wall: 0, logical: 0, node: "", seq: -1, partition: null });
    }
    return c;
  }

  /**
   * Notes an event of the tick, fed to `st`'s columns at `index` with
   * merge position (`e.wall`, `e.logical`, the stream's node, `e.seq`):
   * moves the partition's cursor, or marks the tick for the buffered path.
   * `inst` is the event's instance: its partition's cursor and its node's
   * participant index there are kept on it (participants never leave a
   * partition, so the index holds once found).
   */
  note(
    st: NodeStream,
    inst: { cursor: PartitionCursor | null; member: number },
    e: {
      readonly key: string;
      readonly wall: number;
      readonly logical: number;
      readonly seq: number;
    },
    index: number,
  ): void {
    const { wall, logical, seq } = e;
    const node = st.node;
    const c = inst.cursor ??= this.cursor(st.spec.index, e.key);
    const after = c.seq < 0 || wall > c.wall ||
      (wall === c.wall &&
        (logical > c.logical ||
          (logical === c.logical && (node > c.node || (node === c.node && seq > c.seq)))));
    if (after) {
      c.wall = wall;
      c.logical = logical;
      c.node = node;
      c.seq = seq;
    } else this.#direct = false;
    if (!this.#direct) return;
    const tick = st.tick!.columns;
    const p = c.partition ??= this.#ingest.partitionOf(tick.spec, e.key) ?? null;
    st.engineStream ??= this.#ingest.streamOf(tick) ?? null;
    if (p === null || st.engineStream === null) {
      this.#direct = false;
      return;
    }
    if (inst.member < 0) {
      inst.member = p.indexOf(node);
      if (inst.member < 0) {
        this.#direct = false;
        return;
      }
    }
    const k = this.#count++;
    if (k === this.#index.length) {
      this.#index = grown(this.#index);
      this.#members = grown(this.#members);
    }
    this.#streams[k] = st;
    this.#parts[k] = p;
    this.#index[k] = index;
    this.#members[k] = inst.member;
  }

  /** Applies the tick's events in the order fed (only when {@link direct}). */
  applyTick(): void {
    if (!this.#direct) throw new RangeError("The tick holds events that must be buffered");
    const ingest = this.#ingest;
    for (let k = 0; k < this.#count; k++) {
      const st = this.#streams[k]!;
      const p = this.#parts[k]!;
      ingest.applyAt(st.engineStream!, p, this.#members[k]!, st.tick!.columns, this.#index[k]!);
    }
    if (this.#count > 0) this.directTicks++;
  }

  /** Starts the next tick (after it was applied either way). */
  reset(): void {
    if (!this.#direct) this.bufferedTicks++;
    this.#direct = true;
    this.#count = 0;
    this.#streams.length = 0;
    this.#parts.length = 0;
  }
}

function grown(a: Int32Array): Int32Array<ArrayBuffer> {
  const b = new Int32Array(2 * a.length);
  b.set(a);
  return b;
}
