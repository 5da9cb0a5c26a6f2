/**
 * Parallel, level-synchronous exploration over shards (`shard.ts`) sharing one
 * state set in shared memory (`shared_state_set.ts`): in each level every
 * shard (one per Web Worker, or several in one thread for tests; driven
 * through `shard_driver.ts`) claims chunks of the level's states and
 * inserts their successors into the shared set itself; nothing is shipped
 * between workers. The workers go from level to level by themselves,
 * meeting at a barrier in shared memory. When the set runs short of room
 * the shards pause, the coordinator grows it, and the level goes on; a set
 * sized to the spec's state-space bound never grows. The counts, shortest
 * violations (the smallest level wins) and deadlocks are the same as the
 * single-threaded explorer's (`shard_report.ts` assembles them); liveness
 * lassos and the interpreter cross-check need the single-threaded
 * explorer.
 *
 * @module
 */
import type { SpecMeta } from "../abi/meta.ts";
import type { Program } from "../ir.ts";
import { initialState } from "../interpreter/interpreter.ts";
import { buildMeta } from "../wasm/meta_build.ts";
import { explorerWasm } from "./model_checker.ts";
import { coverage } from "./coverage.ts";
import { allArgTuples } from "./domains.ts";
import type { Progress } from "./breadth_first.ts";
import type { ShardSetup, ShardStats } from "./shard.ts";
import type { ShardDriver } from "./shard_driver.ts";
import { DenseKey } from "./dense_key.ts";
import { SharedStateSet } from "./shared_state_set.ts";
import { LevelSchedule, LevelStop } from "./level_schedule.ts";
import { presizedCapacity, stateSpaceBound } from "./state_space.ts";
import type { ExploreReport } from "./report.ts";
import { depthOf, shardReport } from "./shard_report.ts";

/**
 * Options of {@link exploreShards}.
 *
 * @example At most two levels over two shards
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "../frontend.ts";
 * import { initialState } from "../interpreter/interpreter.ts";
 * import { buildMeta } from "../wasm/meta_build.ts";
 * import { buildCoreModule } from "../wasm/codegen/codegen.ts";
 * import { exploreShards, type ParallelOptions } from "./parallel.ts";
 * import { inProcessDrivers } from "./shard_driver.ts";
 * const source = "spec C state n: 0..3 = 0 action inc require n < 3 n := n + 1";
 * const { program } = analyze(source);
 * const meta = buildMeta(program!, initialState(program!).state);
 * const wasm = buildCoreModule(program!, meta).wasm;
 * const options: ParallelOptions = { maxDepth: 2 };
 * const report = await exploreShards(program!, meta, inProcessDrivers({ wasm, meta, program: program! }, 2), options);
 * assert.equal(report.complete, false);
 * ```
 */
export interface ParallelOptions {
  /** Stop storing new states after about this many (split among the shards). */
  readonly maxStates?: number;
  /** Do not expand states this many steps from the initial state. */
  readonly maxDepth?: number;
  /** Report deadlocks. Default `true`. */
  readonly deadlock?: boolean;
  /**
   * Called after every level the coordinator drives, and about every
   * `progressMs` while the workers run levels on their own.
   */
  readonly onProgress?: (p: Progress) => void;
  /** Progress interval in milliseconds while the workers run levels (default 1000). */
  readonly progressMs?: number;
  /**
   * States the shared set holds before it first grows (default: the spec's
   * state-space bound when small enough, see `state_space.ts`, else 65,536).
   */
  readonly capacity?: number;
  /** Called with every shard's counters at the end (e.g. the time each waited at the barrier). */
  readonly onShardStats?: (stats: readonly ShardStats[]) => void;
  /** Clock in milliseconds (default `performance.now`). */
  readonly now?: () => number;
}

/**
 * Explores with `drivers` (one per shard) and builds the report. Closes the drivers.
 *
 * @example Explore with two in-process shards
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "../frontend.ts";
 * import { initialState } from "../interpreter/interpreter.ts";
 * import { buildMeta } from "../wasm/meta_build.ts";
 * import { buildCoreModule } from "../wasm/codegen/codegen.ts";
 * import { exploreShards } from "./parallel.ts";
 * import { inProcessDrivers } from "./shard_driver.ts";
 * const source = "spec C state n: 0..3 = 0 action inc require n < 3 n := n + 1";
 * const { program } = analyze(source);
 * const meta = buildMeta(program!, initialState(program!).state);
 * const wasm = buildCoreModule(program!, meta).wasm;
 * const report = await exploreShards(program!, meta, inProcessDrivers({ wasm, meta, program: program! }, 2));
 * assert.deepEqual([report.distinctStates, report.deadlockCount], [4, 1]);
 * ```
 */
export async function exploreShards(
  program: Program,
  meta: SpecMeta,
  drivers: readonly ShardDriver[],
  options: ParallelOptions = {},
  intRange?: ShardSetup["intRange"],
): Promise<ExploreReport> {
  const now = options.now ?? (() => performance.now());
  const start = now();
  const maxStates = options.maxStates ?? Infinity, maxDepth = options.maxDepth ?? Infinity;
  const words = meta.stride / 4;
  let set = SharedStateSet.create(words, {
    capacity: options.capacity ?? presizedCapacity(program, words, 1 << 16),
    parts: drivers.length,
    bound: stateSpaceBound(program),
    dense: DenseKey.of(program, meta),
  });
  let schedule = LevelSchedule.create(set);
  // The most successors a state can have (as each shard counts them).
  const perState = Math.max(1, allArgTuples(program, intRange).reduce((n, t) => n + t.count, 0));
  const levels = drivers.every((d) => d.run !== undefined);
  const progressMs = options.progressMs ?? 1000;
  let level = 0;
  let cutBy: ExploreReport["cutBy"] = null;
  const progress = (queue: number) =>
    options.onProgress?.({
      distinct: set.size,
      generated: 0,
      queue,
      level,
      elapsedMs: now() - start,
    });
  try {
    const attach = () => Promise.all(drivers.map((d) => d.attach(set.buffers, schedule.buffer)));
    let need = Math.max(...await attach());
    const room = () => need * drivers.length * 2;
    let width = schedule.nextLevel();
    while (width > 0) {
      if (level >= maxDepth) {
        cutBy = "max-depth";
        break;
      }
      if (levels && set.room >= width * perState) {
        // The workers go on from level to level by themselves (a barrier in
        // shared memory), until no state is left, the depth bound, or the
        // set needs to grow.
        schedule.runLevels(level);
        const running = schedule;
        const timer = options.onProgress === undefined ? undefined : setInterval(() => {
          level = running.level;
          progress(running.levelWidth);
        }, progressMs);
        try {
          const results = await Promise.all(drivers.map((d) => d.run!(maxStates, maxDepth)));
          if (results.some((r) => r.dropped)) cutBy = "max-states";
        } finally {
          clearInterval(timer);
        }
        level = schedule.level;
        width = schedule.levelWidth;
        progress(width);
        if (schedule.stop === LevelStop.maxDepth) {
          cutBy = "max-depth";
          break;
        }
        if (schedule.stop === LevelStop.done) break;
        continue;
      }
      for (;;) {
        if (set.room < room()) {
          set = set.grown(room());
          schedule = new LevelSchedule(schedule.buffer, set);
          need = Math.max(...await attach());
        }
        const results = await Promise.all(drivers.map((d) => d.expand(level, maxStates)));
        if (results.some((r) => r.dropped)) cutBy = "max-states";
        if (!results.some((r) => r.paused)) break;
      }
      level++;
      width = schedule.nextLevel();
      progress(width);
    }
    // Each part stores its states in breadth-first order: its last is among the deepest.
    let maxLevel = 0;
    for (let p = 0; p < drivers.length; p++) {
      const count = set.countOf(p);
      if (count > 0) maxLevel = Math.max(maxLevel, depthOf(set, (count - 1) * drivers.length + p));
    }
    const exploreMs = now() - start;
    const stats = await Promise.all(drivers.map((d) => d.stats()));
    options.onShardStats?.(stats);
    const report = shardReport(program, meta, set, stats, intRange, options.deadlock ?? true);
    const seconds = Math.max(exploreMs, 1e-3) / 1000;
    return {
      ...report,
      items: coverage(program, { deadlock: options.deadlock ?? true, liveness: true, nodes: 1 }),
      depth: maxLevel + 1,
      diameter: maxLevel,
      complete: cutBy === null,
      cutBy,
      exploreMs,
      elapsedMs: now() - start,
      statesPerSecond: Math.round(report.distinctStates / seconds),
    };
  } finally {
    for (const d of drivers) d.close();
  }
}

/**
 * Model-checks `program` with `parts` shards made by `driverFor` (e.g.
 * one Web Worker each, see `workerDriver` in `shard_driver.ts`); the initial state must
 * not fail (exploreProgram reports that case), and the spec must have no
 * `terminal` items (the shards do not evaluate them). Bounds, the growth
 * watch and `--nodes` are options of the single-threaded explorer only.
 *
 * @example Explore with two in-process shards
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "../frontend.ts";
 * import { exploreParallel } from "./parallel.ts";
 * import { inProcessDrivers } from "./shard_driver.ts";
 * const { program } = analyze("spec T state on: bool = false action flip on := not on");
 * const report = await exploreParallel(program!, 2, (setup) => inProcessDrivers(setup, setup.parts)[setup.part]!);
 * assert.ok(report.distinctStates === 2);
 * ```
 */
export async function exploreParallel(
  program: Program,
  parts: number,
  driverFor: (setup: ShardSetup) => ShardDriver,
  options: ParallelOptions & { readonly intRange?: ShardSetup["intRange"] } = {},
): Promise<ExploreReport> {
  const now = options.now ?? (() => performance.now());
  const start = now();
  allArgTuples(program, options.intRange);
  const init = initialState(program);
  if (init.code !== 0) throw new RangeError(`The initial state fails with code '${init.code}'`);
  if ((program.terminals ?? []).length > 0) {
    throw new RangeError("A spec with terminal items needs the single-threaded explorer");
  }
  const meta = buildMeta(program, init.state);
  // Compiled once here and posted to every worker, which shares its code.
  const wasm = new WebAssembly.Module(explorerWasm(program, meta) as BufferSource);
  const drivers = Array.from({ length: parts }, (_, part) =>
    driverFor({
      part,
      parts,
      wasm,
      meta,
      program,
      ...(options.intRange === undefined ? {} : { intRange: options.intRange }),
    }));
  const report = await exploreShards(program, meta, drivers, options, options.intRange);
  return { ...report, elapsedMs: now() - start };
}
