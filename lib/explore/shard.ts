/**
 * One worker's part of a parallel exploration over a shared state set
 * (`shared_state_set.ts`). Exploration is level-synchronous: in each
 * level every shard claims chunks of the level's states from the level
 * schedule's cursors (`level_schedule.ts`: its own part's states first,
 * then the other parts'), steps
 * them, and inserts each successor into the
 * shared set itself, appending the new ones to its own part, so no state
 * is shipped between workers and no two write the same store line. A
 * shard stops claiming when the set has no room left for what its next
 * chunk could add; the coordinator grows the set and the level goes on.
 * Parent pointers are in the shared set, so shortest traces are rebuilt
 * from it.
 *
 * The class is synchronous; `lib/explore/worker.ts` runs one in each Web
 * Worker, and tests run several in one thread.
 *
 * @module
 */
import type { SpecMeta } from "../abi/meta.ts";
import type { Program } from "../ir.ts";
import { allArgTuples, type ArgTuples, type IntRange } from "./domains.ts";
import { LevelSchedule } from "./level_schedule.ts";
import { DROPPED, type SharedBuffers, SharedStateSet } from "./shared_state_set.ts";
import { WasmStepper } from "./wasm_stepper.ts";
import type { StateExpander } from "./expander.ts";
import { StepExpander } from "./step_expander.ts";
import { VerdictTally, type ViolationSite } from "./verdict_tally.ts";

/**
 * Everything a shard needs, structured-cloneable (sent to a worker).
 *
 * @example One of two shards of a counter
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "../frontend.ts";
 * import { initialState } from "../interpreter/interpreter.ts";
 * import { buildMeta } from "../wasm/meta_build.ts";
 * import { buildCoreModule } from "../wasm/codegen/codegen.ts";
 * import { Shard, type ShardSetup } from "./shard.ts";
 * const source = "spec C state n: 0..3 = 0 action inc require n < 3 n := n + 1";
 * const { program } = analyze(source);
 * const meta = buildMeta(program!, initialState(program!).state);
 * const wasm = buildCoreModule(program!, meta).wasm;
 * const setup: ShardSetup = { wasm, meta, program: program!, part: 0, parts: 2 };
 * const shard = new Shard(setup);
 * assert.equal(shard.stats().expanded, 0);
 * ```
 */
export interface ShardSetup {
  /** This shard's number. */
  readonly part: number;
  /** The number of shards. */
  readonly parts: number;
  /**
   * The core module: its bytes, or compiled (`WebAssembly.Module` is
   * structured-cloneable: the workers then share its code, compiled and
   * tiered up once, instead of each compiling its own).
   */
  readonly wasm: Uint8Array | WebAssembly.Module;
  /** Its metadata. */
  readonly meta: SpecMeta;
  /** The checked program. */
  readonly program: Program;
  /** Values of `int` parameters. */
  readonly intRange?: IntRange;
}

/**
 * A stored state and how it was reached.
 *
 * @example The initial state has no parent
 * ```ts
 * import assert from "node:assert/strict";
 * import type { ShardNode } from "./shard.ts";
 * const node: ShardNode = { words: new Uint32Array(2), parentPart: -1, parentIndex: -1, action: -1, tuple: -1 };
 * assert.deepEqual([node.parentPart, node.action], [-1, -1]);
 * ```
 */
export interface ShardNode {
  /** The state block. */
  readonly words: Uint32Array;
  /** -1 for the initial state, else 0 (every state is in the one shared set). */
  readonly parentPart: number;
  /** The parent's id in the shared set (-1 for the initial state). */
  readonly parentIndex: number;
  /** The action that reached the state (-1 for the initial state). */
  readonly action: number;
  /** Its argument tuple index. */
  readonly tuple: number;
}

/**
 * A violation site: the first per verdict code in this shard, with its
 * level (its id is in the shared set).
 *
 * @example Where a violating step was first seen
 * ```ts
 * import assert from "node:assert/strict";
 * import type { ShardViolation } from "./shard.ts";
 * const site: ShardViolation = { code: 4, level: 2, from: 7, action: 0, tuple: 0 };
 * assert.equal(site.level, 2);
 * ```
 */
export type ShardViolation = ViolationSite;

/**
 * Counters of a shard at the end.
 *
 * @example One shard explores a counter alone
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "../frontend.ts";
 * import { initialState } from "../interpreter/interpreter.ts";
 * import { buildMeta } from "../wasm/meta_build.ts";
 * import { buildCoreModule } from "../wasm/codegen/codegen.ts";
 * import { Shard, type ShardStats } from "./shard.ts";
 * import { SharedStateSet } from "./shared_state_set.ts";
 * import { LevelSchedule } from "./level_schedule.ts";
 * const source = "spec C state n: 0..3 = 0 action inc require n < 3 n := n + 1";
 * const { program } = analyze(source);
 * const meta = buildMeta(program!, initialState(program!).state);
 * const wasm = buildCoreModule(program!, meta).wasm;
 * const shard = new Shard({ wasm, meta, program: program!, part: 0, parts: 1 });
 * const set = SharedStateSet.create(meta.stride / 4, { capacity: 1024 });
 * const schedule = LevelSchedule.create(set);
 * shard.attach(set.buffers, schedule.buffer);
 * for (let level = 0; schedule.nextLevel() > 0; level++) shard.expand(level, Infinity);
 * const stats: ShardStats = shard.stats();
 * assert.deepEqual([set.size, stats.generated, stats.deadlockCount], [4, 4, 1]);
 * ```
 */
export interface ShardStats {
  /** Initial state (if this shard stored it) plus `ok` steps from the states it expanded. */
  readonly generated: number;
  /** States expanded. */
  readonly expanded: number;
  /** Per action: how often each verdict code was returned. */
  readonly codeCounts: readonly Uint32Array[];
  /** First site of each violating verdict code. */
  readonly violations: readonly ShardViolation[];
  /** Deadlocked states (level, id in the shared set), the first 10 this shard found. */
  readonly deadlocks: readonly { readonly level: number; readonly index: number }[];
  /** All deadlocked states. */
  readonly deadlockCount: number;
  /** Milliseconds spent waiting at the barrier between levels for the other shards. */
  readonly waitMs: number;
  /** Milliseconds spent expanding states (claiming, stepping, inserting). */
  readonly busyMs: number;
  /** New states this shard stored (in its part of the set). */
  readonly stored: number;
}

/**
 * What {@link Shard.expand} reports: whether it stopped before the level's
 * end for want of room in the set, and whether it left out new states for
 * the `maxStates` budget.
 *
 * @example A level expanded to its end
 * ```ts
 * import assert from "node:assert/strict";
 * import type { ExpandResult } from "./shard.ts";
 * const done: ExpandResult = { paused: false, dropped: false };
 * assert.equal(done.paused, false);
 * ```
 */
export interface ExpandResult {
  /** The set needs to grow before the level goes on. */
  readonly paused: boolean;
  /** A new state was not stored: the budget was spent. */
  readonly dropped: boolean;
}

/** States a shard claims at once, at most (fewer when each has many successors). */
const CHUNK = 256;

/**
 * A worker's stepping instance and counters over the shared state set.
 *
 * @example Two shards in one thread share one set
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "../frontend.ts";
 * import { initialState } from "../interpreter/interpreter.ts";
 * import { buildMeta } from "../wasm/meta_build.ts";
 * import { buildCoreModule } from "../wasm/codegen/codegen.ts";
 * import { Shard } from "./shard.ts";
 * import { SharedStateSet } from "./shared_state_set.ts";
 * import { LevelSchedule } from "./level_schedule.ts";
 * const { program } = analyze("spec C state n: 0..3 = 0 action inc require n < 3 n := n + 1");
 * const meta = buildMeta(program!, initialState(program!).state);
 * const setup = { wasm: buildCoreModule(program!, meta).wasm, meta, program: program! };
 * const set = SharedStateSet.create(meta.stride / 4, { capacity: 1024, parts: 2 });
 * const schedule = LevelSchedule.create(set);
 * const parts = [0, 1].map((part) => new Shard({ ...setup, part, parts: 2 }));
 * for (const p of parts) p.attach(set.buffers, schedule.buffer);
 * for (let level = 0; schedule.nextLevel() > 0; level++) {
 *   for (const p of parts) p.expand(level, Infinity);
 * }
 * assert.equal(set.size, 4);
 * ```
 */
export class Shard {
  readonly part: number;
  readonly parts: number;
  readonly #stepper: WasmStepper;
  readonly #tuples: readonly ArgTuples[];
  readonly #perState: number;
  #set: SharedStateSet | null = null;
  #schedule: LevelSchedule | null = null;
  /** Reads a claimed chunk's verdict codes; the successors' origins (allocated once). */
  readonly #tally: VerdictTally;
  readonly #deadlocks: { level: number; index: number }[] = [];
  #deadlockCount = 0;
  #generated = 0;
  #expanded = 0;
  #stored = 0;
  #busyMs = 0;
  /** Milliseconds waited at the level barrier (one element, added to by `endLevel`). */
  readonly #waited = new Float64Array(1);
  /** Per part, the level's range of local indexes (first, end). */
  readonly #ranges: Int32Array;
  /** What inserting a claimed chunk's successors gave (allocated once). */
  readonly #out: Int32Array;
  /** A claimed chunk's state ids. */
  readonly #ids: Int32Array;
  /**
   * Expands a claimed chunk: in one call when the module has
   * `explore-expand` (`expander.ts`), else one call per transition
   * (`step_expander.ts`).
   */
  readonly #expander: StateExpander;

  /** Instantiates the module. */
  constructor(setup: ShardSetup) {
    this.part = setup.part;
    this.parts = setup.parts;
    this.#stepper = new WasmStepper(setup.wasm, setup.meta);
    this.#tuples = allArgTuples(setup.program, setup.intRange);
    this.#perState = Math.max(1, this.#tuples.reduce((n, t) => n + t.count, 0));
    this.#ranges = new Int32Array(2 * setup.parts);
    this.#expander = this.#stepper.expander(this.#tuples, this.chunk) ??
      new StepExpander(this.#stepper, this.#tuples, this.chunk);
    this.#tally = new VerdictTally(setup.program, this.#tuples, this.chunk);
    this.#out = new Int32Array(this.chunkStates);
    this.#ids = new Int32Array(this.chunk);
  }

  /** States claimed at once: a chunk adds at most `chunk * perState` states. */
  get chunk(): number {
    return Math.max(1, Math.min(CHUNK, Math.floor(4096 / this.#perState)));
  }

  /** The most states one claimed chunk can add (the room a shard needs before claiming). */
  get chunkStates(): number {
    return this.chunk * this.#perState;
  }

  /**
   * Works on the shared set in `buffers` (first, and again after it grew),
   * inserting as part {@link part}, in the levels of the schedule in
   * `schedule` (`LevelSchedule.buffer`); shard 0 stores the initial state
   * in an empty set.
   */
  attach(buffers: SharedBuffers, schedule: SharedArrayBuffer): void {
    if (buffers.parts !== this.parts) {
      throw new RangeError(
        `The shared set has '${buffers.parts}' parts, the shards are '${this.parts}'`,
      );
    }
    const set = new SharedStateSet(buffers, this.part);
    this.#set = set;
    this.#schedule = new LevelSchedule(schedule, set);
    const s = this.#stepper;
    // The scratch instance holds the initial state until the first step.
    if (
      this.part === 0 && set.size === 0 &&
      set.insert(s.block, s.at, { parent: -1, action: -1, tuple: -1 }) === 0
    ) {
      this.#generated = 1;
      this.#stored = 1;
    }
  }

  /**
   * Expands chunks of the level's states (see `LevelSchedule.nextLevel`)
   * while the set has room for what a chunk of every shard could add;
   * `budget`: store at most this many states in all.
   */
  expand(level: number, budget: number): ExpandResult {
    return this.#expand(level, budget, true);
  }

  /**
   * Runs levels on its own from the schedule's current level (see
   * `LevelSchedule.runLevels`): expands the level's chunks, meets the
   * other shards at the barrier (`LevelSchedule.endLevel`), and goes on
   * with the next level until the barrier stops it (the schedule's `stop`
   * says why). The barrier checked the room for the whole level, so no
   * chunk pauses. Every shard must run in its own thread (the barrier
   * blocks), except a single one.
   */
  run(budget: number, maxDepth: number): ExpandResult {
    const schedule = this.#schedule;
    if (schedule === null) throw new Error("The shard is not attached to a state set");
    const barrier = { perState: this.#perState, maxDepth };
    let dropped = false;
    for (;;) {
      if (this.#expand(schedule.level, budget, false).dropped) dropped = true;
      if (!schedule.endLevel(barrier, this.#waited)) return { paused: false, dropped };
    }
  }

  #expand(level: number, budget: number, checkRoom: boolean): ExpandResult {
    const set = this.#set, schedule = this.#schedule;
    if (set === null || schedule === null) {
      throw new Error("The shard is not attached to a state set");
    }
    const t0 = performance.now();
    const expander = this.#expander, tally = this.#tally;
    const w = this.#stepper.words, mem = expander.block, srcAt = expander.srcAt;
    const chunk = this.chunk, need = this.chunkStates * this.parts;
    const parts = this.parts, ranges = this.#ranges;
    schedule.levelRanges(ranges);
    // A chunk's successors, inserted together from where the expander wrote them.
    const batch = {
      blocks: mem.subarray(expander.outAt, expander.outAt + (this.chunkStates + 1) * w),
      count: 0,
      parent: tally.parent,
      action: tally.action,
      tuple: tally.tuple,
      budget,
    };
    const ids = this.#ids, out = this.#out, dead = tally.dead;
    let dropped = false, paused = false;
    for (;;) {
      if (checkRoom && set.room < need) {
        paused = true;
        break;
      }
      let pos = schedule.claim(chunk);
      if (pos < 0) break;
      let left = schedule.claimSize, taken = 0;
      // The claimed positions run through the parts' ranges in order.
      for (let p = 0; left > 0 && p < parts; p++) {
        const from = ranges[2 * p]!, len = ranges[2 * p + 1]! - from;
        if (pos >= len) {
          pos -= len;
          continue;
        }
        const take = Math.min(left, len - pos), store = set.storeOf(p);
        for (let local = from + pos, end = local + take; local < end; local++) {
          ids[taken] = local * parts + p;
          for (let k = 0, o = local * w, d = srcAt + taken * w; k < w; k++) {
            mem[d + k] = store[o + k]!;
          }
          taken++;
        }
        left -= take;
        pos = 0;
      }
      tally.begin(ids, level);
      const made = expander.expand(taken, tally);
      const n = tally.successors;
      if (made !== n) {
        throw new Error(`The expander made ${made} successors where its codes say ${n}`);
      }
      this.#generated += n;
      this.#expanded += taken;
      for (let d = 0; d < tally.deadCount; d++) {
        if (this.#deadlocks.length < 10) this.#deadlocks.push({ level, index: ids[dead[d]!]! });
        this.#deadlockCount++;
      }
      batch.count = n;
      set.insertBatch(batch, out);
      for (let k = 0; k < n; k++) {
        if (out[k]! >= 0) this.#stored++;
        else if (out[k] === DROPPED) dropped = true;
      }
    }
    this.#busyMs += performance.now() - t0;
    return { paused, dropped };
  }

  /** The shard's counters. */
  stats(): ShardStats {
    return {
      generated: this.#generated,
      expanded: this.#expanded,
      codeCounts: this.#tally.codeCounts,
      violations: [...this.#tally.violations.values()],
      deadlocks: this.#deadlocks,
      deadlockCount: this.#deadlockCount,
      waitMs: this.#waited[0]!,
      busyMs: this.#busyMs,
      stored: this.#stored,
    };
  }
}
