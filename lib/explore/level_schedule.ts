/**
 * The level schedule of the parallel explorer: which states of the shared
 * state set (`shared_state_set.ts`) the workers expand in the current
 * breadth-first level, who claims which, and the barrier between levels.
 * It lives in a `SharedArrayBuffer` of its own (Int32), apart from the
 * set's, so it outlives the set's growth:
 * - the level's width, the level's number while the workers run levels on
 *   their own, the barrier's count and generation, and why the workers
 *   stopped;
 * - on a cache line of its own per part, the range of that part's states in
 *   the level (local indexes in its store) and that range's claim cursor.
 *
 * A level's states are, per part, the states stored since the previous
 * level started ({@link LevelSchedule.nextLevel}): a part's store is in
 * breadth-first order. They are handed out in chunks by the cursor of each
 * part ({@link LevelSchedule.claim}): a worker takes its own part's states
 * first (still in its core's cache), and when they are all claimed, chunks
 * of the other parts' states.
 *
 * @module
 */

// Word indexes in the schedule's buffer (word 0 is unused).
/** States in the level being expanded, all parts. */
const WIDTH = 1;
/** The breadth-first level being expanded while the workers run levels on their own. */
const LEVEL = 2;
/** Workers that finished the level (the barrier's count). */
const ARRIVED = 3;
/** Bumped (and waited on) each time the last worker to finish a level starts the next. */
const GENERATION = 4;
/** Why the workers stopped running levels on their own: one of {@link LevelStop}'s codes. */
const STOP = 5;
/** The first per-part word: a part's words are 16 apart (a cache line of their own). */
const PART_BASE = 16;
const PART_WORDS = 16;
/** Per part, at `PART_BASE + part * PART_WORDS +`: the level's range in its store. */
const FROM = 0;
const END = 1;
/** Per part: the claim cursor in its level range. */
const CURSOR = 2;

/**
 * Why {@link LevelSchedule.endLevel} stopped the workers: 0 they go on,
 * `done` no state is left to expand, `maxDepth` the next level is beyond
 * the depth bound, `room` the next level could add more states than the
 * set has room for (the coordinator grows it).
 *
 * @example The codes
 * ```ts
 * import assert from "node:assert/strict";
 * import { LevelStop } from "./level_schedule.ts";
 * assert.deepEqual([LevelStop.running, LevelStop.done], [0, 1]);
 * ```
 */
export const LevelStop = { running: 0, done: 1, maxDepth: 2, room: 3 } as const;

/**
 * What a schedule reads of the state set it hands out (a
 * `SharedStateSet` view is one): its parts, the part the view's worker
 * stores as, each part's count and the room left.
 *
 * @example A set of two parts, seen by part 1
 * ```ts
 * import assert from "node:assert/strict";
 * import type { LevelStates } from "./level_schedule.ts";
 * const counts = [3, 2];
 * const states: LevelStates = { parts: 2, part: 1, countOf: (p) => counts[p]!, room: 100 };
 * assert.equal(states.countOf(states.part), 2);
 * ```
 */
export interface LevelStates {
  /** Parts (workers) that store states. */
  readonly parts: number;
  /** The part this view's worker stores as: it claims that part's states first. */
  readonly part: number;
  /** The number of states part `part` stored. */
  countOf(part: number): number;
  /** How many more states fit before the set must grow. */
  readonly room: number;
}

/**
 * What the barrier ({@link LevelSchedule.endLevel}) checks before it lets
 * the workers go on: `perState`, the most successors a state can have (the
 * next level needs that much room per state), and `maxDepth`, the first
 * level not to expand.
 *
 * @example No depth bound, eight successors a state at most
 * ```ts
 * import assert from "node:assert/strict";
 * import type { LevelLimits } from "./level_schedule.ts";
 * const limits: LevelLimits = { perState: 8, maxDepth: Infinity };
 * assert.equal(limits.perState, 8);
 * ```
 */
export interface LevelLimits {
  readonly perState: number;
  readonly maxDepth: number;
}

/**
 * A view of the level schedule over a state set: the coordinator starts
 * levels ({@link nextLevel}) or lets the workers run them
 * ({@link runLevels}); each worker claims chunks of the level
 * ({@link claim}) and meets the others at the barrier ({@link endLevel}).
 *
 * @example Part 1 claims its own states first, then part 0's
 * ```ts
 * import assert from "node:assert/strict";
 * import { LevelSchedule, type LevelStates } from "./level_schedule.ts";
 * const counts = [20, 20];
 * const set = (part: number): LevelStates => ({ parts: 2, part, countOf: (p) => counts[p]!, room: 0 });
 * const coordinator = LevelSchedule.create(set(0));
 * assert.equal(coordinator.nextLevel(), 40);
 * const worker = new LevelSchedule(coordinator.buffer, set(1));
 * assert.deepEqual([worker.claim(64), worker.claimSize], [20, 16]); // positions 20.. are part 1's
 * assert.deepEqual([worker.claim(64), worker.claimSize], [36, 4]);
 * assert.deepEqual([worker.claim(64), worker.claimSize], [0, 16]);
 * ```
 */
export class LevelSchedule {
  /** The schedule's words (Int32), shared by every view. */
  readonly buffer: SharedArrayBuffer;
  /** Parts (workers). */
  readonly parts: number;
  /** The part this view claims first. */
  readonly part: number;
  readonly #control: Int32Array;
  readonly #states: LevelStates;
  #claimSize = 0;

  /** A view of the schedule in `buffer` (made by {@link LevelSchedule.create}) over `states`. */
  constructor(buffer: SharedArrayBuffer, states: LevelStates) {
    const words = PART_BASE + states.parts * PART_WORDS;
    if (buffer.byteLength !== words * 4) {
      throw new RangeError(
        `The schedule has '${buffer.byteLength}' bytes, not '${
          words * 4
        }' for '${states.parts}' parts`,
      );
    }
    this.buffer = buffer;
    this.parts = states.parts;
    this.part = states.part;
    this.#control = new Int32Array(buffer);
    this.#states = states;
  }

  /** A new schedule over `states`, before its first level. */
  static create(states: LevelStates): LevelSchedule {
    return new LevelSchedule(
      new SharedArrayBuffer((PART_BASE + states.parts * PART_WORDS) * 4),
      states,
    );
  }

  /**
   * Starts the next level: per part, the states stored since the previous
   * level started; resets the claim cursors. Returns the level's width (0:
   * no state is left to expand). Call it while no worker expands.
   */
  nextLevel(): number {
    const control = this.#control;
    let width = 0;
    for (let p = 0; p < this.parts; p++) {
      const base = PART_BASE + p * PART_WORDS;
      const from = Atomics.load(control, base + END), end = this.#states.countOf(p);
      Atomics.store(control, base + FROM, from);
      Atomics.store(control, base + END, end);
      Atomics.store(control, base + CURSOR, 0);
      width += end - from;
    }
    Atomics.store(control, WIDTH, width);
    return width;
  }

  /** States in the level being expanded (all parts). */
  get levelWidth(): number {
    return Atomics.load(this.#control, WIDTH);
  }

  /**
   * The level's range in each part's store: `out[2 * part]` its first
   * local index, `out[2 * part + 1]` its end.
   */
  levelRanges(out: Int32Array): void {
    for (let p = 0; p < this.parts; p++) {
      const base = PART_BASE + p * PART_WORDS;
      out[2 * p] = Atomics.load(this.#control, base + FROM);
      out[2 * p + 1] = Atomics.load(this.#control, base + END);
    }
  }

  /**
   * Claims the next states of the level: returns the position (0 ..
   * {@link levelWidth}) of the first of at most `count` states, or -1 when
   * none is left; {@link claimSize} says how many the claim took. Positions
   * run through part 0's range, then part 1's, and so on. Each part's range
   * has a cursor of its own: a view claims from its own part's range first
   * (states its worker stored, still in its core's cache), then from the
   * others'. Near a range's end a claim takes fewer states (a share of
   * those left), so the workers finish the level together.
   */
  claim(count: number): number {
    const control = this.#control, parts = this.parts;
    for (let k = 0; k < parts; k++) {
      const q = (this.part + k) % parts, base = PART_BASE + q * PART_WORDS;
      const len = Atomics.load(control, base + END) - Atomics.load(control, base + FROM);
      const left = len - Atomics.load(control, base + CURSOR);
      if (left <= 0) continue;
      const size = Math.min(count, Math.max(16, Math.ceil(left / (2 * parts))));
      const first = Atomics.add(control, base + CURSOR, size);
      if (first >= len) continue;
      let offset = 0;
      for (let r = 0; r < q; r++) {
        const b = PART_BASE + r * PART_WORDS;
        offset += Atomics.load(control, b + END) - Atomics.load(control, b + FROM);
      }
      this.#claimSize = Math.min(size, len - first);
      return offset + first;
    }
    return -1;
  }

  /** The states the last {@link claim} took. */
  get claimSize(): number {
    return this.#claimSize;
  }

  /** The level being expanded while workers run levels on their own ({@link endLevel}). */
  get level(): number {
    return Atomics.load(this.#control, LEVEL);
  }

  /** Why the workers stopped running levels ({@link LevelStop}), 0 while they run. */
  get stop(): number {
    return Atomics.load(this.#control, STOP);
  }

  /**
   * Lets the workers run levels on their own from `level` (already started
   * with {@link nextLevel}): each calls {@link endLevel} when the level's
   * states are all claimed and expanded.
   */
  runLevels(level: number): void {
    Atomics.store(this.#control, LEVEL, level);
    Atomics.store(this.#control, ARRIVED, 0);
    Atomics.store(this.#control, STOP, LevelStop.running);
  }

  /**
   * The barrier between levels, for every part's worker calling it once it
   * has expanded every state it claimed: the last to arrive starts the
   * next level ({@link nextLevel}) and stops the workers when it is empty,
   * `limits.maxDepth` deep, or its states could add more than the set's
   * room (`limits.perState` successors each); the others wait for it.
   * Returns `true` when the workers go on with the next level, and adds
   * the milliseconds spent waiting to `waited[0]`.
   */
  endLevel(limits: LevelLimits, waited: Float64Array): boolean {
    const control = this.#control;
    const generation = Atomics.load(control, GENERATION);
    if (Atomics.add(control, ARRIVED, 1) === this.parts - 1) {
      const width = this.nextLevel();
      const level = Atomics.load(control, LEVEL) + 1;
      let stop: number = LevelStop.running;
      if (width === 0) stop = LevelStop.done;
      else if (level >= limits.maxDepth) stop = LevelStop.maxDepth;
      else if (this.#states.room < width * limits.perState) stop = LevelStop.room;
      Atomics.store(control, ARRIVED, 0);
      Atomics.store(control, LEVEL, level);
      Atomics.store(control, STOP, stop);
      Atomics.add(control, GENERATION, 1);
      Atomics.notify(control, GENERATION);
      return stop === LevelStop.running;
    }
    const t0 = performance.now();
    // A spin of up to 50 µs first: on free cores a level ends within
    // microseconds on every worker, sooner than a sleeping thread wakes up.
    for (let i = 1; Atomics.load(control, GENERATION) === generation; i++) {
      if ((i & 63) === 0 && performance.now() - t0 > 0.05) break;
    }
    while (Atomics.load(control, GENERATION) === generation) {
      Atomics.wait(control, GENERATION, generation);
    }
    waited[0]! += performance.now() - t0;
    return Atomics.load(control, STOP) === LevelStop.running;
  }
}
