/**
 * Parallel, level-synchronous exploration over {@link Shard}s sharing one
 * state set in shared memory (`shared_state_set.ts`): in each level every
 * shard (one per Web Worker, or several in one thread for tests) claims
 * chunks of the level's states and inserts their successors into the
 * shared set itself; nothing is shipped between workers. The workers go
 * from level to level by themselves, meeting at a barrier in shared
 * memory. When the set runs short of room the shards pause, the
 * coordinator grows it, and the level goes on; a set sized to the spec's
 * state-space bound never grows. The counts, shortest violations (the smallest level wins) and
 * deadlocks are the same as the single-threaded explorer's; liveness
 * lassos and the interpreter cross-check need the single-threaded explorer.
 *
 * @module
 */
import type { SpecMeta } from "../abi/meta.ts";
import type { Program } from "../ir.ts";
import { initialState, step as interpretStep } from "../interpreter/interpreter.ts";
import { buildMeta } from "../wasm/meta_build.ts";
import { emptyReport, explorerWasm } from "./model_checker.ts";
import { coverage } from "./coverage.ts";
import { argValuation, slotsOf, valuation } from "./valuation.ts";
import { allArgTuples, type ArgTuples } from "./domains.ts";
import type { Progress } from "./breadth_first.ts";
import { deadGuards, neverEnabled } from "./findings.ts";
import {
  type ExpandResult,
  Shard,
  type ShardNode,
  type ShardSetup,
  type ShardStats,
} from "./shard.ts";
import { DenseKey } from "./dense_key.ts";
import { type SharedBuffers, SharedStateSet } from "./shared_state_set.ts";
import { LevelSchedule, LevelStop } from "./level_schedule.ts";
import { presizedCapacity, stateSpaceBound } from "./state_space.ts";
import type { ExploreReport, TraceStep, Violation } from "./report.ts";

/**
 * One shard, driven asynchronously (in a worker or in this thread).
 *
 * @example In-process drivers share one state set
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "../frontend.ts";
 * import { initialState } from "../interpreter/interpreter.ts";
 * import { buildMeta } from "../wasm/meta_build.ts";
 * import { buildCoreModule } from "../wasm/codegen/codegen.ts";
 * import { inProcessDrivers, type ShardDriver } from "./parallel.ts";
 * import { SharedStateSet } from "./shared_state_set.ts";
 * import { LevelSchedule } from "./level_schedule.ts";
 * const source = "spec C state n: 0..3 = 0 action inc require n < 3 n := n + 1";
 * const { program } = analyze(source);
 * const meta = buildMeta(program!, initialState(program!).state);
 * const wasm = buildCoreModule(program!, meta).wasm;
 * const drivers: ShardDriver[] = inProcessDrivers({ wasm, meta, program: program! }, 2);
 * const set = SharedStateSet.create(meta.stride / 4, { capacity: 64, parts: 2 });
 * const schedule = LevelSchedule.create(set);
 * const needs = await Promise.all(drivers.map((d) => d.attach(set.buffers, schedule.buffer)));
 * assert.equal(set.size, 1); // the initial state
 * assert.ok(needs.every((n) => n >= 1));
 * for (const d of drivers) d.close();
 * ```
 */
export interface ShardDriver {
  /**
   * Works on the shared set in `buffers` (first, and after it grew), in
   * the levels of the schedule in `schedule` (`LevelSchedule.buffer`);
   * resolves to the room the shard needs before it claims a chunk.
   */
  attach(buffers: SharedBuffers, schedule: SharedArrayBuffer): Promise<number>;
  /** Expands chunks of the current level while the set has room (see `Shard.expand`). */
  expand(level: number, budget: number): Promise<ExpandResult>;
  /**
   * Runs levels without the coordinator, meeting the other shards at the
   * barrier between levels (see `Shard.run`); absent when the shards
   * cannot block (several in one thread).
   */
  readonly run?: (budget: number, maxDepth: number) => Promise<ExpandResult>;
  /** The shard's counters. */
  stats(): Promise<ShardStats>;
  /** Releases the shard (terminates its worker). */
  close(): void;
}

/**
 * Drivers that run `parts` shards in the calling thread (for tests and
 * for comparing with the worker version); a single one also runs levels
 * on its own (`run`), several are driven level by level.
 *
 * @example Explore with three in-process shards
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "../frontend.ts";
 * import { initialState } from "../interpreter/interpreter.ts";
 * import { buildMeta } from "../wasm/meta_build.ts";
 * import { buildCoreModule } from "../wasm/codegen/codegen.ts";
 * import { exploreShards, inProcessDrivers } from "./parallel.ts";
 * const { program } = analyze("spec C state n: 0..3 = 0 action inc require n < 3 n := n + 1");
 * const meta = buildMeta(program!, initialState(program!).state);
 * const wasm = buildCoreModule(program!, meta).wasm;
 * const drivers = inProcessDrivers({ wasm, meta, program: program! }, 3);
 * const report = await exploreShards(program!, meta, drivers);
 * assert.ok(report.distinctStates === 4 && report.deadlockCount === 1 && report.complete);
 * ```
 */
export function inProcessDrivers(
  setup: Omit<ShardSetup, "part" | "parts">,
  parts: number,
): ShardDriver[] {
  return Array.from({ length: parts }, (_, part) => {
    const p = new Shard({ ...setup, part, parts });
    return {
      attach: (buffers, schedule) => {
        p.attach(buffers, schedule);
        return Promise.resolve(p.chunkStates);
      },
      expand: (level, budget) => Promise.resolve(p.expand(level, budget)),
      ...(parts === 1
        ? { run: (budget: number, maxDepth: number) => Promise.resolve(p.run(budget, maxDepth)) }
        : {}),
      stats: () => Promise.resolve(p.stats()),
      close: () => {},
    };
  });
}

type DistributiveOmitId<T> = T extends unknown ? Omit<T, "id"> : never;

/**
 * The messages `lib/explore/worker.ts` answers: `{ id, op, args }` -> `{ id, result }` or `{ id, error }`.
 *
 * @example The setup message a worker gets first
 * ```ts
 * import assert from "node:assert/strict";
 * import type { WorkerRequest } from "./parallel.ts";
 * const requests: WorkerRequest[] = [{ id: 0, op: "expand", args: [0, Infinity] }, { id: 1, op: "stats" }];
 * assert.deepEqual(requests.map((r) => r.op), ["expand", "stats"]);
 * ```
 */
export type WorkerRequest =
  | { readonly id: number; readonly op: "setup"; readonly args: ShardSetup }
  | {
    readonly id: number;
    readonly op: "attach";
    readonly args: readonly [SharedBuffers, SharedArrayBuffer];
  }
  | { readonly id: number; readonly op: "expand"; readonly args: [number, number] }
  | { readonly id: number; readonly op: "run"; readonly args: [number, number] }
  | { readonly id: number; readonly op: "stats" };

/**
 * Drives a shard living in `worker` (already running `lib/explore/worker.ts`).
 *
 * @example Shards in workers
 * ```ts ignore
 * import { workerDriver } from "./parallel.ts";
 * const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
 * const driver = workerDriver(worker, { wasm, meta, program, part: 0, parts: 2 });
 * ```
 */
export function workerDriver(worker: Worker, setup: ShardSetup): ShardDriver {
  let next = 0;
  const pending = new Map<number, { ok: (v: unknown) => void; fail: (e: Error) => void }>();
  worker.onmessage = (e: MessageEvent<{ id: number; result?: unknown; error?: string }>) => {
    const p = pending.get(e.data.id);
    pending.delete(e.data.id);
    if (e.data.error !== undefined) p?.fail(new Error(e.data.error));
    else p?.ok(e.data.result);
  };
  const call = <T>(msg: DistributiveOmitId<WorkerRequest>): Promise<T> =>
    new Promise<T>((ok, fail) => {
      const id = next++;
      pending.set(id, { ok: ok as (v: unknown) => void, fail });
      worker.postMessage({ ...msg, id });
    });
  const ready = call<void>({ op: "setup", args: setup });
  return {
    attach: (buffers, schedule) =>
      ready.then(() => call({ op: "attach", args: [buffers, schedule] })),
    expand: (level, budget) => call({ op: "expand", args: [level, budget] }),
    run: (budget, maxDepth) => call({ op: "run", args: [budget, maxDepth] }),
    stats: () => call({ op: "stats" }),
    close: () => worker.terminate(),
  };
}

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
 * import { exploreShards, inProcessDrivers, type ParallelOptions } from "./parallel.ts";
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
 * import { exploreShards, inProcessDrivers } from "./parallel.ts";
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
    const report = assemble(program, meta, set, stats, intRange, options.deadlock ?? true);
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

/** The breadth-first level of state `id` of `set` (the length of its parent chain). */
function depthOf(set: SharedStateSet, id: number): number {
  let depth = 0;
  for (let i = id; i >= 0 && set.parent(i) >= 0; i = set.parent(i)) depth++;
  return depth;
}

/** The states from the initial one to state `index` of `set`, as {@link ShardNode}s. */
function pathNodes(set: SharedStateSet, index: number): ShardNode[] {
  const nodes: ShardNode[] = [];
  for (let i = index; i >= 0; i = set.parent(i)) {
    const words = new Uint32Array(set.words);
    set.copyOut(i, words, 0);
    const parentIndex = set.parent(i);
    nodes.push({
      words,
      parentPart: parentIndex < 0 ? -1 : 0,
      parentIndex,
      action: set.action(i),
      tuple: set.tuple(i),
    });
  }
  return nodes.reverse();
}

function trace(
  program: Program,
  meta: SpecMeta,
  set: SharedStateSet,
  tuples: readonly ArgTuples[],
  index: number,
): { rows: TraceStep[]; last: bigint[] } {
  let last: bigint[] = [];
  const rows = pathNodes(set, index).map((node, step) => {
    last = slotsOf(meta.slots, node.words, 0, node.words.length);
    return row(program, tuples, step, node.action, node.tuple, last);
  });
  return { rows, last };
}

function argsOf(tuples: readonly ArgTuples[], a: number, t: number): number[] {
  const tup = tuples[a]!;
  return Array.from(tup.values.subarray(t * tup.arity, (t + 1) * tup.arity));
}

function row(
  program: Program,
  tuples: readonly ArgTuples[],
  step: number,
  action: number,
  tuple: number,
  state: bigint[] | null,
): TraceStep {
  if (action < 0) return { step, action: null, args: {}, state: valuation(program, state!) };
  return {
    step,
    action: program.actions[action]!.name,
    args: argValuation(program, action, argsOf(tuples, action, tuple)),
    state: state === null ? null : valuation(program, state),
  };
}

function assemble(
  program: Program,
  meta: SpecMeta,
  set: SharedStateSet,
  stats: readonly ShardStats[],
  intRange: ShardSetup["intRange"],
  deadlock: boolean,
): ExploreReport {
  const tuples = allArgTuples(program, intRange);
  const codeCounts = program.actions.map(() => new Uint32Array(program.verdicts.length));
  for (const s of stats) {
    s.codeCounts.forEach((c, a) => c.forEach((n, code) => codeCounts[a]![code]! += n));
  }
  const first = new Map<number, ShardStats["violations"][number]>();
  for (const s of stats) {
    for (const v of s.violations) {
      const seen = first.get(v.code);
      if (seen === undefined || v.level < seen.level) first.set(v.code, v);
    }
  }
  const violations: Violation[] = [];
  for (const [code, v] of [...first].sort((a, b) => a[1].level - b[1].level)) {
    const entry = program.verdicts[code]!;
    const { rows, last } = trace(program, meta, set, tuples, v.from);
    const post = entry.kind === "invariant_failed"
      ? interpretStep(
        { ...program, invariants: [] },
        last,
        v.action,
        argsOf(tuples, v.action, v.tuple),
      )
      : null;
    const state = post !== null && post.code === 0 ? post.state : null;
    rows.push(row(program, tuples, rows.length, v.action, v.tuple, state));
    violations.push({
      kind: entry.kind,
      item: entry.item,
      detail: entry.detail,
      line: entry.range.line,
      column: entry.range.column,
      trace: rows,
    });
  }
  const dead = stats.flatMap((s) => s.deadlocks)
    .sort((a, b) => a.level - b.level || a.index - b.index).slice(0, 10);
  const deadlocks = deadlock
    ? dead.map((d) => ({ trace: trace(program, meta, set, tuples, d.index).rows }))
    : [];
  let tried = 0;
  for (const counts of codeCounts) for (const c of counts) tried += c;
  return {
    ...emptyReport(program, 0),
    distinctStates: set.size,
    statesGenerated: stats.reduce((n, s) => n + s.generated, 0),
    statesExpanded: stats.reduce((n, s) => n + s.expanded, 0),
    transitionsTried: tried,
    violations,
    deadlocks,
    deadlockCount: deadlock ? stats.reduce((n, s) => n + s.deadlockCount, 0) : 0,
    deadlockChecked: deadlock,
    neverEnabled: neverEnabled(program, codeCounts, tuples),
    deadGuards: deadGuards(program, codeCounts),
  };
}

/**
 * Model-checks `program` with `parts` shards made by `driverFor` (e.g.
 * one Web Worker each, see {@link workerDriver}); the initial state must
 * not fail (exploreProgram reports that case), and the spec must have no
 * `terminal` items (the shards do not evaluate them). Bounds, the growth
 * watch and `--nodes` are options of the single-threaded explorer only.
 *
 * @example Explore with two in-process shards
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "../frontend.ts";
 * import { exploreParallel, inProcessDrivers } from "./parallel.ts";
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
