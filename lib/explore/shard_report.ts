/**
 * The report of a parallel exploration, from what the shards counted
 * (`ShardStats`) and the shared state set's parent columns: the counts
 * summed, the shallowest site of each violation and the first deadlocks
 * with their shortest traces rebuilt from the set, dead guards and actions
 * never enabled. The coordinator (`parallel.ts`) adds the search's own
 * figures (depth, completeness, timings).
 *
 * @module
 */
import type { SpecMeta } from "../abi/meta.ts";
import type { Program } from "../ir.ts";
import { step as interpretStep } from "../interpreter/interpreter.ts";
import { emptyReport } from "./model_checker.ts";
import { argValuation, slotsOf, valuation } from "./valuation.ts";
import { allArgTuples, type ArgTuples } from "./domains.ts";
import { deadGuards, neverEnabled } from "./findings.ts";
import type { ShardNode, ShardSetup, ShardStats } from "./shard.ts";
import type { SharedStateSet } from "./shared_state_set.ts";
import type { ExploreReport, TraceStep, Violation } from "./report.ts";

/**
 * The breadth-first level of state `id` of `set` (the length of its parent chain).
 *
 * @example The initial state is level 0, its successor level 1
 * ```ts
 * import assert from "node:assert/strict";
 * import { depthOf } from "./shard_report.ts";
 * import { SharedStateSet } from "./shared_state_set.ts";
 * const set = SharedStateSet.create(1, { capacity: 16 });
 * const first = set.insert(new Uint32Array([7]), 0, { parent: -1, action: -1, tuple: -1 });
 * const next = set.insert(new Uint32Array([8]), 0, { parent: first, action: 0, tuple: 0 });
 * assert.deepEqual([depthOf(set, first), depthOf(set, next)], [0, 1]);
 * ```
 */
export function depthOf(set: SharedStateSet, id: number): number {
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

/**
 * The report of the exploration the shards with counters `stats` made
 * into `set`, before the coordinator adds the search's figures (depth,
 * `complete`, `cutBy`, timings, `items`); with `deadlock` false no
 * deadlock is reported.
 *
 * @example Two shards of a counter
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "../frontend.ts";
 * import { initialState } from "../interpreter/interpreter.ts";
 * import { buildMeta } from "../wasm/meta_build.ts";
 * import { buildCoreModule } from "../wasm/codegen/codegen.ts";
 * import { LevelSchedule } from "./level_schedule.ts";
 * import { Shard } from "./shard.ts";
 * import { shardReport } from "./shard_report.ts";
 * import { SharedStateSet } from "./shared_state_set.ts";
 * const { program } = analyze("spec C state n: 0..3 = 0 action inc require n < 3 n := n + 1");
 * const meta = buildMeta(program!, initialState(program!).state);
 * const setup = { wasm: buildCoreModule(program!, meta).wasm, meta, program: program! };
 * const set = SharedStateSet.create(meta.stride / 4, { capacity: 1024, parts: 2 });
 * const schedule = LevelSchedule.create(set);
 * const shards = [0, 1].map((part) => new Shard({ ...setup, part, parts: 2 }));
 * for (const s of shards) s.attach(set.buffers, schedule.buffer);
 * for (let level = 0; schedule.nextLevel() > 0; level++) {
 *   for (const s of shards) s.expand(level, Infinity);
 * }
 * const report = shardReport(program!, meta, set, shards.map((s) => s.stats()), undefined, true);
 * assert.deepEqual([report.distinctStates, report.statesGenerated, report.deadlockCount], [4, 4, 1]);
 * assert.equal(report.deadlocks[0]!.trace.length, 4);
 * ```
 */
export function shardReport(
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
