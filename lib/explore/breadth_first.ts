/**
 * Breadth-first exploration of a spec's reachable states through its
 * compiled core module.
 *
 * States are stored in a {@link StateSet} in discovery order, so the BFS
 * queue is the index range not yet expanded and the parent pointers
 * (state index -> parent index, action, argument tuple) give a SHORTEST
 * path to every state. A batch of the level's states is expanded at once
 * by a {@link StateExpander}: the module's `explore-expand` in one call
 * (`expander.ts`), or one `step-<action>` call per argument tuple
 * ({@link StepExpander}); the successors are looked up together and the
 * new ones appended. The verdict codes are read by a {@link VerdictTally}:
 * a violation (invariant, range, arithmetic) is recorded once per verdict
 * code, at its first (hence shallowest) site.
 *
 * @module
 */
import type { Program } from "../ir.ts";
import type { ArgTuples } from "./domains.ts";
import { IntColumn } from "./growable.ts";
import type { GrowthStop, GrowthWatch } from "./growth.ts";
import { StateSet } from "./state_set.ts";
import type { Stepper } from "./wasm_stepper.ts";
import type { StateExpander } from "./expander.ts";
import { StepExpander } from "./step_expander.ts";
import { VerdictTally } from "./verdict_tally.ts";

/**
 * Progress of a running exploration.
 *
 * @example Progress reports while exploring
 * ```ts
 * import assert from "node:assert/strict";
 * import { exploreSource } from "./model_checker.ts";
 * import type { Progress } from "./breadth_first.ts";
 * const source = "spec C state n: 0..3 = 0 action inc require n < 3 n := n + 1";
 * const seen: Progress[] = [];
 * let t = 0;
 * exploreSource(source, { onProgress: (p) => void seen.push(p), progressMs: 0, now: () => t++ });
 * assert.ok(seen.length > 0 && seen.every((p) => p.distinct >= 1));
 * ```
 */
export interface Progress {
  /** Distinct states stored so far. */
  readonly distinct: number;
  /** States generated so far (0 when the parallel explorer does not count them per level). */
  readonly generated: number;
  /** States found but not yet expanded. */
  readonly queue: number;
  /** Breadth-first level being expanded (0 = the initial state). */
  readonly level: number;
  /** Milliseconds since the exploration started. */
  readonly elapsedMs: number;
}

/** Options of {@link breadthFirst}. */
export interface BreadthFirstOptions {
  /** Stop storing new states beyond this many (default: no bound). */
  readonly maxStates?: number;
  /** Do not expand states this many steps from the initial state (default: no bound). */
  readonly maxDepth?: number;
  /** Keep the edges between states (needed for the liveness search). Default `false`. */
  readonly keepEdges?: boolean;
  /** Called on every transition tried, after the step (cross-checking). */
  readonly onTransition?: (from: number, action: number, tuple: number, code: number) => void;
  /** The (empty) set to fill, e.g. one a cross-check hook reads (default: a new one). */
  readonly states?: StateSet;
  /** Called about every `progressMs` milliseconds. */
  readonly onProgress?: (p: Progress) => void;
  readonly progressMs?: number;
  /** Clock in milliseconds (default `performance.now`). */
  readonly now?: () => number;
  /**
   * Called on a state with no enabled action (its block in `words`): the
   * index of the terminal item it satisfies, or -1 for a deadlock.
   */
  readonly terminal?: (words: Uint32Array) => number;
  /** The number of terminal items (the length of `terminalCounts`). */
  readonly terminalItems?: number;
  /** Called before expanding a state: `true` keeps it unexpanded (outside the `--bound`s). */
  readonly outOfBounds?: (words: Uint32Array) => boolean;
  /** Watches `int` variables level by level and stops the search when one keeps growing. */
  readonly growth?: GrowthWatch;
  /**
   * Ask the stepper for every new state's liveness bits (default `true`);
   * `false` when the spec has no liveness items (the bits are all 0).
   */
  readonly livenessBits?: boolean;
  /**
   * Expands batches of states in one call into the module (`expander.ts`),
   * made by the stepper before the exploration; used unless
   * `onTransition` is given (it looks at each transition as it is
   * stepped). Default, and with `onTransition`: a {@link StepExpander}
   * over `stepper`, one call per transition.
   */
  readonly expander?: StateExpander | null;
}

/** Where a transition starts: a state, an action and an argument tuple index. */
export interface Site {
  readonly from: number;
  readonly action: number;
  readonly tuple: number;
}

/** The raw result of an exploration (state indices; see `report.ts` for the decoded report). */
export interface Exploration {
  readonly states: StateSet;
  /** Per state: parent index (-1 for the initial state), action and tuple that reached it. */
  readonly parent: Int32Array;
  readonly parentAction: Int32Array;
  readonly parentTuple: Int32Array;
  /** Per state: the `liveness` bit mask. */
  readonly liveBits: Int32Array;
  /** With `keepEdges`: successors of `i` are `edgeTarget[edgeStart[i] .. edgeStart[i+1])`. */
  readonly edgeStart: Int32Array | null;
  readonly edgeTarget: Int32Array | null;
  /** Initial state plus every `ok` step (duplicates included), as TLC counts "states generated". */
  readonly generated: number;
  /** The largest breadth-first level reached (the initial state is level 0). */
  readonly maxLevel: number;
  /** States expanded (all of them when no bound cut the search). */
  readonly expanded: number;
  readonly cutBy: "max-states" | "max-depth" | "growth" | null;
  /** Why the growth watch stopped the search (`cutBy` is `growth`), else `null`. */
  readonly growthStop: GrowthStop | null;
  /** States with no enabled action where a terminal item held, per terminal item. */
  readonly terminalCounts: readonly number[];
  /** States stored but not expanded because they lie outside the bounds. */
  readonly outOfBounds: number;
  /** First site of each violating verdict code, in discovery order. */
  readonly violations: ReadonlyMap<number, Site>;
  /** States with no enabled action, in breadth-first order (first `deadlockLimit`). */
  readonly deadlocks: readonly number[];
  readonly deadlockCount: number;
  /** Per action: how often each verdict code was returned. */
  readonly codeCounts: readonly Uint32Array[];
  readonly elapsedMs: number;
}

const DEADLOCK_LIMIT = 10;
/** Successors looked up together, at most (unless one state has more). */
const BATCH = 1024;

/**
 * How many states an {@link Expander} for {@link breadthFirst} should take
 * at once: as many as a batch of successors holds (at least 1).
 *
 * @example Six transitions tried per state
 * ```ts
 * import assert from "node:assert/strict";
 * import { expanderStates } from "./breadth_first.ts";
 * const tuples = [{ arity: 1, count: 3, values: new Float64Array([0, 1, 2]) }];
 * assert.equal(expanderStates([...tuples, ...tuples]), Math.floor(1024 / 6));
 * ```
 */
export function expanderStates(tuples: readonly ArgTuples[]): number {
  const perState = tuples.reduce((n, t) => n + t.count, 0);
  return Math.max(1, Math.floor(Math.max(BATCH, perState) / Math.max(1, perState)));
}

/**
 * Explores from `initial` (a state block of `stepper.words` words). Calls
 * are per batch of states, never per transition: V8 does not always inline
 * a call in the hot loop.
 *
 * @example Explore a toggle
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "../frontend.ts";
 * import { initialState } from "../interpreter/interpreter.ts";
 * import { buildMeta } from "../wasm/meta_build.ts";
 * import { buildCoreModule } from "../wasm/codegen/codegen.ts";
 * import { allArgTuples } from "./domains.ts";
 * import { breadthFirst } from "./breadth_first.ts";
 * import { WasmStepper } from "./wasm_stepper.ts";
 * const { program } = analyze("spec T state on: bool = false action flip on := not on");
 * const meta = buildMeta(program!, initialState(program!).state);
 * const stepper = new WasmStepper(buildCoreModule(program!, meta).wasm, meta);
 * const initial = stepper.block.slice(stepper.at, stepper.at + stepper.words);
 * const x = breadthFirst(program!, stepper, allArgTuples(program!), initial);
 * assert.ok(x.states.size === 2 && x.generated === 3 && x.cutBy === null);
 * ```
 */
export function breadthFirst(
  program: Program,
  stepper: Stepper,
  tuples: readonly ArgTuples[],
  initial: Uint32Array,
  options: BreadthFirstOptions = {},
): Exploration {
  const now = options.now ?? (() => performance.now());
  const start = now();
  const w = stepper.words;
  const set = options.states ?? new StateSet(w, 4096);
  if (set.size !== 0 || set.words !== w) {
    throw new RangeError(`The state set must be empty, with '${w}' words per state`);
  }
  // Per-state columns as large as the set's store, so they grow together.
  const capacity = set.capacity;
  const parent = new IntColumn(capacity), parentAction = new IntColumn(capacity);
  const parentTuple = new IntColumn(capacity), liveBits = new IntColumn(capacity);
  const keepEdges = options.keepEdges ?? false;
  const edgeStart = new IntColumn(), edgeTarget = new IntColumn();
  const deadlocks: number[] = [];
  let deadlockCount = 0;

  set.insert(initial, 0);
  parent.set(0, -1), parentAction.set(0, -1), parentTuple.set(0, -1);
  const livenessBits = options.livenessBits ?? true;
  stepper.load(initial, 0);
  liveBits.set(0, livenessBits ? stepper.liveness() : 0);

  const maxStates = options.maxStates ?? Infinity;
  const maxDepth = options.maxDepth ?? Infinity;
  const progressMs = options.progressMs ?? 1000;
  const scratch = new Uint32Array(w);
  // A batch of the level's states is expanded at once (at most `batch`
  // successors), then its successors are looked up together.
  const perState = tuples.reduce((n, t) => n + t.count, 0);
  const batch = Math.max(BATCH, perState);
  const onTransition = options.onTransition;
  // The batch's states' ids (the positions `onTransition` is told about).
  const ids = new Int32Array(Math.max(1, Math.floor(batch / Math.max(1, perState))));
  const expander: StateExpander = (onTransition === undefined ? options.expander : null) ??
    new StepExpander(
      stepper,
      tuples,
      ids.length,
      onTransition === undefined
        ? {}
        : { onTransition: (j, a, t, code) => onTransition(ids[j]!, a, t, code) },
    );
  const perCall = Math.min(expander.states, ids.length);
  const tally = new VerdictTally(program, tuples, perCall);
  const found = new Int32Array(batch);
  let generated = 1, level = 0, levelEnd = 1, expanded = 0, nextProgress = start + progressMs;
  let cutBy: Exploration["cutBy"] = null;
  const terminal = options.terminal, outOfBounds = options.outOfBounds, growth = options.growth;
  const terminalCounts = new Array<number>(options.terminalItems ?? 0).fill(0);
  let growthStop: GrowthStop | null = growth?.level(set, 0, 1, 0) ?? null;
  let beyond = 0;
  const mem = expander.block, srcAt = expander.srcAt;
  // The successors, where the expander writes them.
  const source = mem.subarray(expander.outAt, expander.outAt + (perCall * perState + 1) * w);
  const { parent: from, action: successorAction, tuple: successorTuple, dead } = tally;

  for (let i = 0; i < set.size;) {
    if (i === levelEnd) {
      if (growth !== undefined) growthStop = growth.level(set, levelEnd, set.size, level + 1);
      if (growthStop !== null) {
        cutBy = "growth";
        break;
      }
      level++;
      levelEnd = set.size;
    }
    if (level >= maxDepth) {
      cutBy = "max-depth";
      break;
    }
    // The batch's states in (those outside the bounds stay unexpanded),
    // one expansion, the verdict codes read.
    const first = i;
    let taken = 0;
    while (i < levelEnd && taken < perCall) {
      if (outOfBounds !== undefined) {
        set.copyOut(i, scratch, 0);
        if (outOfBounds(scratch)) {
          beyond++;
          expanded++;
          i++;
          continue;
        }
      }
      set.copyOut(i, mem, srcAt + taken * w);
      ids[taken++] = i++;
    }
    tally.begin(ids, level);
    const made = taken === 0 ? 0 : expander.expand(taken, tally);
    const n = tally.successors;
    if (made !== n) {
      throw new Error(`The expander made ${made} successors where its codes say ${n}`);
    }
    generated += n;
    expanded += taken;
    for (let d = 0; d < tally.deadCount; d++) {
      const s = ids[dead[d]!]!;
      let end = -1;
      if (terminal !== undefined) {
        set.copyOut(s, scratch, 0);
        end = terminal(scratch);
      }
      if (end >= 0) terminalCounts[end]!++;
      else {
        if (deadlocks.length < DEADLOCK_LIMIT) deadlocks.push(s);
        deadlockCount++;
      }
    }
    // Look the successors up together (their table misses overlap), unless
    // the batch could pass `maxStates`: then one by one, stopping there.
    const batched = set.size + n <= maxStates;
    if (batched) set.insertBatch(source, n, found);
    for (let s = first, k = 0; s < i; s++) {
      if (keepEdges) edgeStart.set(s, edgeTarget.length);
      for (; k < n && from[k] === s; k++) {
        let target: number;
        if (batched || set.size < maxStates) {
          const r = batched ? found[k]! : set.insert(source, k * w);
          if (r >= 0) {
            parent.set(r, s), parentAction.set(r, successorAction[k]!);
            parentTuple.set(r, successorTuple[k]!);
            if (livenessBits) {
              stepper.load(source, k * w);
              liveBits.set(r, stepper.liveness());
            }
          }
          target = r >= 0 ? r : -1 - r;
        } else {
          target = set.find(source, k * w);
          if (target < 0) cutBy = "max-states";
        }
        if (keepEdges && target >= 0) edgeTarget.push(target);
      }
    }
    if (options.onProgress !== undefined && now() >= nextProgress) {
      nextProgress = now() + progressMs;
      options.onProgress({
        distinct: set.size,
        generated,
        queue: set.size - i,
        level,
        elapsedMs: now() - start,
      });
    }
  }
  if (!livenessBits) liveBits.set(set.size - 1, 0);
  if (keepEdges) edgeStart.set(expanded, edgeTarget.length);
  const n = set.size;
  return {
    states: set,
    parent: parent.data.subarray(0, n),
    parentAction: parentAction.data.subarray(0, n),
    parentTuple: parentTuple.data.subarray(0, n),
    liveBits: liveBits.data.subarray(0, n),
    edgeStart: keepEdges ? edgeStart.data.subarray(0, expanded + 1) : null,
    edgeTarget: keepEdges ? edgeTarget.data.subarray(0, edgeTarget.length) : null,
    generated,
    maxLevel: levelOf(parent.data, n - 1),
    expanded,
    cutBy,
    growthStop,
    terminalCounts,
    outOfBounds: beyond,
    violations: tally.violations,
    deadlocks,
    deadlockCount,
    codeCounts: tally.codeCounts,
    elapsedMs: now() - start,
  };
}

/** The breadth-first level of state `i` (its distance from the initial state). */
export function levelOf(parent: Int32Array, i: number): number {
  let level = 0;
  for (let s = i; parent[s]! >= 0; s = parent[s]!) level++;
  return level;
}

/** The shortest path of state indices from the initial state to `i`. */
export function pathTo(parent: Int32Array, i: number): number[] {
  const path: number[] = [];
  for (let s = i; s >= 0; s = parent[s]!) path.push(s);
  return path.reverse();
}
