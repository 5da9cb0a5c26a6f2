/**
 * A node's latest state in a partition (`partition.ts` keeps one per node
 * that applied an event there): its latest sequence number, HLC and boot,
 * its last events, the spec version its latest state came from, and its
 * local liveness deadlines.
 *
 * Footprint: an event is applied a reorder window after it arrived, when
 * its participant is out of the CPU's caches, so every separate object
 * applying reads is a cache miss. The numbers applying reads and writes
 * for every event (sequence number, wall, logical, and each local
 * liveness deadline) are one array of doubles, {@link Participant.cols}:
 * a field holding a double is a pointer to a heap number of its own in
 * V8, so these were three heap numbers plus a deadline array and its
 * storage, five objects where there are two now. `seq`, `wall`, `logical`
 * and `localDeadlines` read (and the first three write) that array, for
 * the readers that are not on the per-event path.
 *
 * @module
 */
import type { EventRing } from "./event_ring.ts";

/** Liveness deadline marks: no obligation, or timed out and not yet discharged. */
export const NO_DEADLINE = -1;
/** A timed-out obligation waiting for its `eventually` to hold. */
export const EXPIRED = -2;

/** Index in {@link Participant.cols} of the latest applied sequence number (-1 before the first). */
export const SEQ = 0;
/** Index in {@link Participant.cols} of the latest applied HLC wall (-Infinity before the first). */
export const WALL = 1;
/** Index in {@link Participant.cols} of the latest applied HLC logical counter. */
export const LOGICAL = 2;
/**
 * Index in {@link Participant.cols} of the deadline of local liveness item
 * 0 (item `i` at `LOCAL + i`): HLC wall ms, {@link NO_DEADLINE} or
 * {@link EXPIRED}.
 */
export const LOCAL = 3;

/** A node's latest state in a partition. */
export class Participant {
  readonly node: string;
  /** Instance offset within the partition's block. */
  readonly index: number;
  boot: string;
  /**
   * Sequence number, wall and logical of its latest applied event, then
   * one deadline per local liveness item of its instance (at
   * {@link SEQ}, {@link WALL}, {@link LOGICAL} and {@link LOCAL}): doubles
   * in one array (its length never changes).
   */
  readonly cols: number[];
  /** Its last applied events in this partition. */
  readonly events: EventRing;
  /** Spec hash of the older version its latest event came from; `""` for the partition's own. */
  spec: string;

  /**
   * A participant that has applied nothing yet (`seq` -1), with `locals`
   * local liveness items and no deadline open.
   *
   * @example Latest position and deadlines
   * ```ts
   * import assert from "node:assert/strict";
   * import { EventRing, Origins } from "./event_ring.ts";
   * import { LOCAL, NO_DEADLINE, Participant } from "./participant.ts";
   * const q = new Participant("n1", 0, "b1", new EventRing(4, new Origins()), 2);
   * assert.deepEqual([q.seq, q.wall, q.logical], [-1, -Infinity, 0]);
   * q.seq = 7;
   * q.cols[LOCAL + 1] = 1500;
   * assert.equal(q.cols[0], 7);
   * assert.deepEqual(q.localDeadlines, [NO_DEADLINE, 1500]);
   * ```
   */
  constructor(node: string, index: number, boot: string, events: EventRing, locals: number) {
    this.node = node;
    this.index = index;
    this.boot = boot;
    // Doubles from the start (filled with a fraction): writing a wall or a deadline never changes
    // the array's representation.
    const cols = new Array<number>(LOCAL + locals).fill(0.5);
    cols[SEQ] = -1;
    cols[WALL] = -Infinity;
    cols[LOGICAL] = 0;
    for (let i = 0; i < locals; i++) cols[LOCAL + i] = NO_DEADLINE;
    this.cols = cols;
    this.events = events;
    this.spec = "";
  }

  /** Sequence number of its latest applied event; -1 before the first. */
  get seq(): number {
    return this.cols[SEQ]!;
  }
  set seq(v: number) {
    this.cols[SEQ] = v;
  }

  /** HLC wall of its latest applied event; -Infinity before the first. */
  get wall(): number {
    return this.cols[WALL]!;
  }
  set wall(v: number) {
    this.cols[WALL] = v;
  }

  /** HLC logical counter of its latest applied event. */
  get logical(): number {
    return this.cols[LOGICAL]!;
  }
  set logical(v: number) {
    this.cols[LOGICAL] = v;
  }

  /** Number of local liveness items (deadlines in {@link Participant.cols} from {@link LOCAL}). */
  get locals(): number {
    return this.cols.length - LOCAL;
  }

  /**
   * Per local liveness item of its instance: deadline (HLC wall ms),
   * {@link NO_DEADLINE} or {@link EXPIRED} (`local_liveness.ts`). A copy:
   * write {@link Participant.cols} to change one.
   */
  get localDeadlines(): number[] {
    return this.cols.slice(LOCAL);
  }
}
