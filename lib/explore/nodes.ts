/**
 * Global items over N monitors (`vigil check --nodes N`): explores the
 * product of N monitors of the spec, each following the spec on its own
 * (interleaved: one node takes one step at a time), which is what the
 * collector sees of N nodes that share nothing the spec describes. Global
 * invariants are checked after every step (a step that breaks one is
 * reported with the shortest trace and not explored further), global
 * liveness items by the lasso search over the product graph.
 *
 * Nodes are interchangeable, so product states are kept up to a renaming
 * of the nodes (their blocks sorted); traces are rebuilt with each node's
 * identity followed through the renamings, so a row's `node` is the same
 * monitor from the first row to the last.
 *
 * @module
 */
import type { SpecMeta } from "../abi/meta.ts";
import type { VerdictKind } from "../abi/verdict_codes.ts";
import type { IAction, Program } from "../ir.ts";
import { allArgTuples, type ArgTuples, type IntRange } from "./domains.ts";
import { breadthFirst, type Exploration, pathTo, type Progress } from "./breadth_first.ts";
import { outOfBounds, type VariableBound } from "./bounds.ts";
import { type GrowthStop, GrowthWatch, intColumns } from "./growth.ts";
import { itemLasso } from "./lasso.ts";
import { ProductStepper, sortBlocks } from "./product_stepper.ts";
import { argValuation, slotsOf, type Valuation, valuation } from "./valuation.ts";
import { WasmStepper } from "./wasm_stepper.ts";

/**
 * One row of a trace over several nodes: which node took which action, and
 * every node's state after it (in node order).
 *
 * @example The first row of a trace over two nodes
 * ```ts
 * import assert from "node:assert/strict";
 * import type { NodeTraceStep } from "./nodes.ts";
 * const row: NodeTraceStep = { step: 0, node: null, action: null, args: {}, states: [{ on: false }, { on: false }] };
 * assert.equal(row.states.length, 2);
 * ```
 */
export interface NodeTraceStep {
  /** 0 for the initial state. */
  readonly step: number;
  /** The node (0-based) that took the step; `null` for the initial state. */
  readonly node: number | null;
  /** The action taken, `null` for the initial state. */
  readonly action: string | null;
  /** The action's arguments by parameter name. */
  readonly args: Valuation;
  /** Every node's state after the step. */
  readonly states: readonly Valuation[];
}

/**
 * A global invariant (or an arithmetic error inside one) broken by some
 * interleaving of the nodes, with the shortest trace.
 *
 * @example Two nodes both holding a lease
 * ```ts
 * import assert from "node:assert/strict";
 * import { exploreSource } from "./model_checker.ts";
 * import type { NodesViolation } from "./nodes.ts";
 * const source = "spec L state held: bool = false action take held := true " +
 *   "global invariant One forall a, b in nodes: a.held and b.held implies a == b";
 * const [v]: readonly NodesViolation[] = exploreSource(source, { nodes: 2 }).report!.nodes!.violations;
 * assert.equal(v?.item, "global invariant One");
 * assert.deepEqual(v?.trace.map((r) => r.node), [null, 0, 1]);
 * ```
 */
export interface NodesViolation {
  /** `invariant_failed` or `arith_error`. */
  readonly kind: VerdictKind;
  /** `global invariant OneHolder`. */
  readonly item: string;
  /** What failed in the spec's words. */
  readonly detail: string;
  /** 1-based line of the item. */
  readonly line: number;
  /** 1-based column of the item. */
  readonly column: number;
  /** From the initial state; the last step is the one that breaks the item. */
  readonly trace: readonly NodeTraceStep[];
}

/**
 * A global liveness item violated by a reachable cycle of the product.
 *
 * @example Its parts
 * ```ts
 * import assert from "node:assert/strict";
 * import type { NodesLivenessViolation } from "./nodes.ts";
 * const found: NodesLivenessViolation = { item: "global liveness L", line: 3, column: 3, prefix: [], whenStep: 0, cycle: [] };
 * assert.equal(found.item, "global liveness L");
 * ```
 */
export interface NodesLivenessViolation {
  /** `global liveness SomeoneCanAcquire`. */
  readonly item: string;
  /** 1-based line of the item. */
  readonly line: number;
  /** 1-based column of the item. */
  readonly column: number;
  /** From the initial state to the cycle's entry. */
  readonly prefix: readonly NodeTraceStep[];
  /** The step of `prefix` where the `when` predicate held and `eventually` did not. */
  readonly whenStep: number;
  /** From the entry around the cycle; its last state is its first up to a renaming of the nodes. */
  readonly cycle: readonly NodeTraceStep[];
}

/**
 * What exploring N monitors found.
 *
 * @example Two toggles
 * ```ts
 * import assert from "node:assert/strict";
 * import { exploreSource } from "./model_checker.ts";
 * import type { NodesReport } from "./nodes.ts";
 * const source = "spec T state on: bool = false action flip on := not on global invariant Any forall a in nodes: a.on or not a.on";
 * const nodes: NodesReport = exploreSource(source, { nodes: 2 }).report!.nodes!;
 * assert.deepEqual([nodes.nodes, nodes.distinctStates, nodes.complete], [2, 3, true]);
 * ```
 */
export interface NodesReport {
  /** The number of monitors. */
  readonly nodes: number;
  /** Distinct product states, up to a renaming of the nodes. */
  readonly distinctStates: number;
  /** The initial state plus every step that broke no invariant (duplicates included). */
  readonly statesGenerated: number;
  /** Breadth-first levels, the initial state as 1. */
  readonly depth: number;
  /** False when a bound or the growth watch cut the search. */
  readonly complete: boolean;
  /** What cut the search, or `null`. */
  readonly cutBy: "max-states" | "max-depth" | "growth" | null;
  /** Why the growth watch stopped the search, or `null`. */
  readonly growth: GrowthStop | null;
  /** Product states not expanded because a node was outside the `--bound`s. */
  readonly outOfBounds: number;
  /** Wall time of this exploration. */
  readonly exploreMs: number;
  /** Global invariants broken, each with its shortest trace. */
  readonly violations: readonly NodesViolation[];
  /** Global liveness items violated by a cycle. */
  readonly liveness: readonly NodesLivenessViolation[];
}

/**
 * Options of {@link exploreNodes}.
 *
 * @example Four nodes, at most 1000 states
 * ```ts
 * import assert from "node:assert/strict";
 * import type { NodesOptions } from "./nodes.ts";
 * const options: NodesOptions = { nodes: 4, maxStates: 1000 };
 * assert.equal(options.nodes, 4);
 * ```
 */
export interface NodesOptions {
  /** The number of monitors (2 or more). */
  readonly nodes: number;
  /** Values of `int` parameters. */
  readonly intRange?: IntRange;
  /** Stop storing new product states after this many. */
  readonly maxStates?: number;
  /** Expand only product states fewer than this many steps from the initial one. */
  readonly maxDepth?: number;
  /** Do not expand product states where a node is outside these bounds. */
  readonly bounds?: readonly VariableBound[];
  /** Distinct states before the growth watch may stop the search; `null` turns it off. */
  readonly growthAfter?: number | null;
  /** Called about every `progressMs` milliseconds. */
  readonly onProgress?: (p: Progress) => void;
  /** Progress interval in milliseconds (default 1000). */
  readonly progressMs?: number;
  /** Clock in milliseconds (default `performance.now`). */
  readonly now?: () => number;
}

/** The verdict codes that belong to global items. */
function globalCodes(program: Program): Set<number> {
  return new Set(program.verdicts.filter((v) => v.item.startsWith("global ")).map((v) => v.code));
}

/**
 * Explores the product of `options.nodes` monitors of `program` (compiled to
 * `wasm` with `meta`) and checks its global items.
 *
 * @example A global budget kept by a local quota
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "../frontend.ts";
 * import { initialState } from "../interpreter/interpreter.ts";
 * import { buildMeta } from "../wasm/meta_build.ts";
 * import { buildCoreModule } from "../wasm/codegen/codegen.ts";
 * import { exploreNodes } from "./nodes.ts";
 * const source = "spec Q state spent: 0..9 = 0 action spend require spent < 5 spent := spent + 1 " +
 *   "global invariant Budget sum(n in nodes: n.spent) <= 10";
 * const { program } = analyze(source);
 * const meta = buildMeta(program!, initialState(program!).state);
 * const report = exploreNodes(program!, meta, buildCoreModule(program!, meta).wasm, { nodes: 2 });
 * assert.deepEqual(report.violations, []);
 * assert.equal(report.distinctStates, 21); // pairs {a, b} of 0..5, unordered
 * ```
 */
export function exploreNodes(
  program: Program,
  meta: SpecMeta,
  wasm: Uint8Array,
  options: NodesOptions,
): NodesReport {
  const n = options.nodes;
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`Expected 2 or more nodes, not '${n}'`);
  const now = options.now ?? (() => performance.now());
  const start = now();
  const stepper = new ProductStepper(wasm, meta, n);
  const tuples = allArgTuples(program, options.intRange);
  const virtualTuples: ArgTuples[] = [];
  const virtualActions: IAction[] = [];
  for (let k = 0; k < n; k++) {
    virtualTuples.push(...tuples), virtualActions.push(...program.actions);
  }
  const virtual = { ...program, actions: virtualActions };
  const initial = stepper.block.slice(stepper.at, stepper.at + stepper.words);
  const traces = new NodeTraces(program, meta, wasm, n, tuples);
  const initialCode = stepper.globalCheck();
  if (initialCode !== 0) {
    const v = program.verdicts[initialCode]!;
    return {
      ...emptyNodesReport(n, now() - start),
      violations: [{
        kind: v.kind,
        item: v.item,
        detail: v.detail,
        line: v.range.line,
        column: v.range.column,
        trace: traces.rows(initial, []),
      }],
    };
  }
  const growthAfter = options.growthAfter === undefined ? null : options.growthAfter;
  const withLiveness = program.globalLiveness.length > 0;
  const x = breadthFirst(virtual, stepper, virtualTuples, initial, {
    keepEdges: withLiveness,
    now,
    ...(options.maxStates === undefined ? {} : { maxStates: options.maxStates }),
    ...(options.maxDepth === undefined ? {} : { maxDepth: options.maxDepth }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    ...(options.progressMs === undefined ? {} : { progressMs: options.progressMs }),
    ...(options.bounds === undefined || options.bounds.length === 0
      ? {}
      : { outOfBounds: outOfBounds(program, meta, options.bounds, n) }),
    ...(growthAfter === null
      ? {}
      : { growth: new GrowthWatch(intColumns(program, meta, n), growthAfter) }),
  });
  const globals = globalCodes(program);
  const violations: NodesViolation[] = [];
  for (const [code, site] of x.violations) {
    if (!globals.has(code)) continue;
    const v = program.verdicts[code]!;
    const path = pathTo(x.parent, site.from);
    const steps = path.slice(1).map((s) => ({
      action: x.parentAction[s]!,
      tuple: x.parentTuple[s]!,
    }));
    steps.push({ action: site.action, tuple: site.tuple });
    violations.push({
      kind: v.kind,
      item: v.item,
      detail: v.detail,
      line: v.range.line,
      column: v.range.column,
      trace: traces.rows(initial, steps),
    });
  }
  const exploreMs = now() - start;
  return {
    nodes: n,
    distinctStates: x.states.size,
    statesGenerated: x.generated,
    depth: x.maxLevel + 1,
    complete: x.cutBy === null,
    cutBy: x.cutBy,
    growth: x.growthStop,
    outOfBounds: x.outOfBounds,
    exploreMs,
    violations,
    liveness: withLiveness ? nodeLassos(program, x, traces, initial) : [],
  };
}

function emptyNodesReport(nodes: number, exploreMs: number): NodesReport {
  return {
    nodes,
    distinctStates: 1,
    statesGenerated: 1,
    depth: 1,
    complete: true,
    cutBy: null,
    growth: null,
    outOfBounds: 0,
    exploreMs,
    violations: [],
    liveness: [],
  };
}

function nodeLassos(
  program: Program,
  x: Exploration,
  traces: NodeTraces,
  initial: Uint32Array,
): NodesLivenessViolation[] {
  const out: NodesLivenessViolation[] = [];
  const w = x.states.words;
  const words = (i: number) => x.states.store.subarray(i * w, (i + 1) * w);
  program.globalLiveness.forEach((item, k) => {
    const lasso = itemLasso(x, k);
    if (lasso === null) return;
    const head = pathTo(x.parent, lasso.start);
    const steps = head.slice(1).map((s) => ({
      action: x.parentAction[s]!,
      tuple: x.parentTuple[s]!,
    }));
    const rest = [...lasso.stem.slice(1), ...lasso.cycle.slice(1)];
    let at = lasso.start;
    for (const next of rest) {
      steps.push(traces.edge(words(at), words(next)));
      at = next;
    }
    const rows = traces.rows(initial, steps);
    const entry = head.length - 1 + lasso.stem.length - 1;
    const prefix = rows.slice(0, entry + 1);
    const cycle = [
      { ...rows[entry]!, step: 0, node: null, action: null, args: {} },
      ...rows.slice(entry + 1).map((r, i) => ({ ...r, step: i + 1 })),
    ];
    out.push({
      item: `global liveness ${item.name}`,
      line: item.range.line,
      column: item.range.column,
      prefix,
      whenStep: head.length - 1,
      cycle,
    });
  });
  return out;
}

/** A step of a product trace: virtual action (node * A + action) and tuple. */
interface ProductStep {
  readonly action: number;
  readonly tuple: number;
}

/**
 * Rebuilds product traces with stable node identities: replays each step
 * on one monitor, sorts the blocks as the explorer did, and follows where
 * each node's block went.
 */
class NodeTraces {
  readonly #program: Program;
  readonly #meta: SpecMeta;
  readonly #stepper: WasmStepper;
  readonly #nodes: number;
  readonly #tuples: readonly ArgTuples[];

  constructor(
    program: Program,
    meta: SpecMeta,
    wasm: Uint8Array,
    nodes: number,
    tuples: readonly ArgTuples[],
  ) {
    this.#program = program;
    this.#meta = meta;
    this.#stepper = new WasmStepper(wasm, meta);
    this.#nodes = nodes;
    this.#tuples = tuples;
  }

  /** The product state after step `s` from `state` (unsorted), or `null` when the step fails locally. */
  #apply(state: Uint32Array, s: ProductStep): Uint32Array | null {
    const st = this.#stepper, w = st.words, actions = this.#program.actions.length;
    const node = Math.floor(s.action / actions);
    st.load(state, node * w);
    if (
      st.step(s.action - node * actions, this.#tuples[s.action - node * actions]!, s.tuple) !== 0
    ) {
      return null;
    }
    const next = state.slice();
    next.set(st.block.subarray(st.at, st.at + w), node * w);
    return next;
  }

  /** A step from sorted state `u` whose sorted successor is `v`. */
  edge(u: Uint32Array, v: Uint32Array): ProductStep {
    const actions = this.#program.actions.length, w = this.#stepper.words;
    for (let node = 0; node < this.#nodes; node++) {
      for (let a = 0; a < actions; a++) {
        for (let t = 0; t < this.#tuples[a]!.count; t++) {
          const s = { action: node * actions + a, tuple: t };
          const next = this.#apply(u, s);
          if (next === null) continue;
          sortBlocks(next, 0, w, this.#nodes);
          if (next.every((x, i) => x === v[i])) return s;
        }
      }
    }
    throw new RangeError("No step joins two consecutive states of a lasso");
  }

  /**
   * Rows from `initial` through `steps`: every step but the last leads to a
   * stored (sorted) state; the last may be a step that broke a global
   * invariant, shown with the state it produced.
   */
  rows(initial: Uint32Array, steps: readonly ProductStep[]): NodeTraceStep[] {
    const n = this.#nodes, w = this.#stepper.words, actions = this.#program.actions.length;
    // owner[p]: the identity of the node whose block is at position p.
    let owner = Array.from({ length: n }, (_, p) => p);
    let state: Uint32Array = initial.slice();
    const rows: NodeTraceStep[] = [{
      step: 0,
      node: null,
      action: null,
      args: {},
      states: this.#states(state, owner),
    }];
    steps.forEach((s, k) => {
      const position = Math.floor(s.action / actions), a = s.action - position * actions;
      const next = this.#apply(state, s);
      if (next === null) throw new RangeError(`Step ${k + 1} of a product trace fails locally`);
      const mover = owner[position]!;
      const args = argValuation(this.#program, a, this.#args(a, s.tuple));
      const row = { step: k + 1, node: mover, action: this.#program.actions[a]!.name, args };
      if (k === steps.length - 1) {
        rows.push({ ...row, states: this.#states(next, owner) });
        return;
      }
      const moved = sortBlocks(next, 0, w, n);
      const after = new Array<number>(n);
      moved.forEach((to, from) => after[to] = owner[from]!);
      owner = after;
      state = next;
      rows.push({ ...row, states: this.#states(state, owner) });
    });
    return rows;
  }

  #args(a: number, t: number): number[] {
    const tup = this.#tuples[a]!;
    return Array.from(tup.values.subarray(t * tup.arity, (t + 1) * tup.arity));
  }

  /** Each node's state, in identity order. */
  #states(state: Uint32Array, owner: readonly number[]): Valuation[] {
    const w = this.#stepper.words;
    const out = new Array<Valuation>(this.#nodes);
    owner.forEach((id, position) => {
      out[id] = valuation(this.#program, slotsOf(this.#meta.slots, state, position * w, w));
    });
    return out;
  }
}
