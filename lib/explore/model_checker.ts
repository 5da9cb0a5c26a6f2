/**
 * `exploreProgram`: explores a checked spec's reachable states through its
 * compiled core module and reports violations (shortest traces), deadlocks,
 * liveness lassos, actions never enabled and requires never false.
 *
 * @module
 */
import type { SpecMeta } from "../abi/meta.ts";
import { analyze } from "../frontend.ts";
import type { Diagnostic } from "../syntax/diagnostic.ts";
import { initialState } from "../interpreter/interpreter.ts";
import type { Program } from "../ir.ts";
import { buildMeta } from "../wasm/meta_build.ts";
import { buildCoreModule } from "../wasm/codegen/codegen.ts";
import { outOfBounds, type VariableBound } from "./bounds.ts";
import { analyzeWithConstants, type ConstOverride } from "./constants.ts";
import { coverage } from "./coverage.ts";
import { crossChecker, crossCheckLiveness } from "./cross_check.ts";
import { GROWTH_AFTER_STATES, GrowthWatch, intColumns } from "./growth.ts";
import { exploreNodes, type NodesReport } from "./nodes.ts";
import { TerminalMatcher } from "./terminal.ts";
import { allArgTuples, type IntRange } from "./domains.ts";
import { breadthFirst, expanderStates, type Exploration, type Progress } from "./breadth_first.ts";
import { itemLasso } from "./lasso.ts";
import type { ExploreReport, LivenessViolation, Violation } from "./report.ts";
import { TraceBuilder } from "./traces.ts";
import { deadGuards, neverEnabled } from "./findings.ts";
import { WasmStepper } from "./wasm_stepper.ts";
import { StateSet } from "./state_set.ts";
import { DenseKey } from "./dense_key.ts";
import { presizedCapacity } from "./state_space.ts";

/**
 * Options of {@link exploreProgram}.
 *
 * @example Stop after two levels
 * ```ts
 * import assert from "node:assert/strict";
 * import { type ExploreOptions, exploreSource } from "./model_checker.ts";
 * const source = "spec C state n: 0..3 = 0 action inc require n < 3 n := n + 1";
 * const options: ExploreOptions = { maxDepth: 2, deadlock: false };
 * const report = exploreSource(source, options).report!;
 * assert.equal(report.complete, false);
 * assert.equal(report.cutBy, "max-depth");
 * ```
 */
export interface ExploreOptions {
  /** Values of `int` parameters (required when an action has one). */
  readonly intRange?: IntRange;
  /** Stop storing new states after this many (default: no bound). */
  readonly maxStates?: number;
  /** Expand only states fewer than this many steps from the initial state. */
  readonly maxDepth?: number;
  /** Report states with no enabled action. Default `true`. */
  readonly deadlock?: boolean;
  /** Step the interpreter on every transition too and throw on disagreement. Default `false`. */
  readonly crossCheck?: boolean;
  /** Look for liveness lassos (keeps the edges). Default `true` when the spec has liveness items. */
  readonly liveness?: boolean;
  /** Called about every `progressMs` milliseconds while exploring. */
  readonly onProgress?: (p: Progress) => void;
  /** Progress interval in milliseconds (default 1000). */
  readonly progressMs?: number;
  /** Clock in milliseconds (default `performance.now`). */
  readonly now?: () => number;
  /** Do not expand states where a variable is outside its bound (see `bounds.ts`). */
  readonly bounds?: readonly VariableBound[];
  /**
   * Distinct states before the growth watch may stop a search where an `int`
   * variable keeps growing (see `growth.ts`); `null` turns the watch off.
   * Default {@link GROWTH_AFTER_STATES}.
   */
  readonly growthAfter?: number | null;
  /**
   * Monitors to explore together for the global items (default 1: global
   * items are not checked). With 2 or more, `report.nodes` holds the result.
   */
  readonly nodes?: number;
  /** `const` items to give other values ({@link exploreSource} only; see `constants.ts`). */
  readonly constants?: readonly ConstOverride[];
}

/**
 * The core module `vigil check` explores `program` with (laid out by
 * `meta`): with `explore-expand`, and without binaryen's optimizer. The
 * code generator's output is the same code the SDK runs before
 * optimizing, and V8 compiles the hot functions as well either way (two
 * workers' thread CPU on the dials benchmark, warm: 0.340 vs 0.350 s);
 * but running the optimizer, and V8 tiering up the optimizer's own code
 * in the background while the exploration runs, cost a cold `vigil check`
 * about 2.4x the process CPU (dials: 1.23-1.31 s, not optimized 0.50-0.55
 * s).
 *
 * @example Build a counter's module for the explorer
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "../frontend.ts";
 * import { initialState } from "../interpreter/interpreter.ts";
 * import { buildMeta } from "../wasm/meta_build.ts";
 * import { explorerWasm } from "./model_checker.ts";
 * const { program } = analyze("spec C state n: 0..3 = 0 action inc require n < 3 n := n + 1");
 * const meta = buildMeta(program!, initialState(program!).state);
 * const wasm = explorerWasm(program!, meta) as Uint8Array<ArrayBuffer>;
 * const exports = WebAssembly.Module.exports(new WebAssembly.Module(wasm));
 * assert.ok(exports.some((e) => e.name === "explore-expand"));
 * ```
 */
export function explorerWasm(program: Program, meta: SpecMeta): Uint8Array {
  return buildCoreModule(program, meta, { explore: true, optimize: false }).wasm;
}

/**
 * Model-checks a checked program.
 *
 * @example Count the states of a toggle
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "../frontend.ts";
 * import { exploreProgram } from "./model_checker.ts";
 * const { program } = analyze("spec T state on: bool = false action flip on := not on");
 * const report = exploreProgram(program!);
 * assert.ok(report.distinctStates === 2 && report.complete);
 * ```
 */
export function exploreProgram(program: Program, options: ExploreOptions = {}): ExploreReport {
  const now = options.now ?? (() => performance.now());
  const start = now();
  const tuples = allArgTuples(program, options.intRange);
  const init = initialState(program);
  if (init.code !== 0) return initialFailure(program, init.code, now() - start);
  const meta = buildMeta(program, init.state);
  const wasm = explorerWasm(program, meta);
  const stepper = new WasmStepper(wasm, meta);
  // Allocated before reading the stepper's memory: it may grow it.
  const expander = stepper.expander(tuples, expanderStates(tuples));
  const initial = stepper.block.slice(stepper.at, stepper.at + stepper.words);
  const withLiveness = (options.liveness ?? true) && program.liveness.length > 0;
  const capacity = presizedCapacity(program, stepper.words, 4096);
  const states = new StateSet(stepper.words, capacity, DenseKey.of(program, meta));
  const hook = options.crossCheck
    ? crossChecker(program, meta, stepper, tuples, () => states)
    : undefined;
  const bounds = options.bounds ?? [];
  const growthAfter = options.growthAfter === undefined ? GROWTH_AFTER_STATES : options.growthAfter;
  const columns = intColumns(program, meta);
  const terminals = new TerminalMatcher(program, meta);
  const x = breadthFirst(program, stepper, tuples, initial, {
    keepEdges: withLiveness,
    livenessBits: program.liveness.length > 0,
    ...(options.maxStates === undefined ? {} : { maxStates: options.maxStates }),
    ...(options.maxDepth === undefined ? {} : { maxDepth: options.maxDepth }),
    ...(hook === undefined ? {} : { onTransition: hook }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    ...(options.progressMs === undefined ? {} : { progressMs: options.progressMs }),
    ...(terminals.count === 0 ? {} : {
      terminal: (words: Uint32Array) => terminals.match(words),
      terminalItems: terminals.count,
    }),
    ...(bounds.length === 0 ? {} : { outOfBounds: outOfBounds(program, meta, bounds) }),
    ...(growthAfter === null || columns.length === 0
      ? {}
      : { growth: new GrowthWatch(columns, growthAfter) }),
    now,
    states,
    expander,
  });
  if (options.crossCheck) crossCheckLiveness(program, meta, x.states, x.liveBits);
  const nodes = options.nodes ?? 1;
  const global = program.globalInvariants.length + program.globalLiveness.length > 0;
  const nodesReport: NodesReport | null = nodes >= 2 && global
    ? exploreNodes(program, meta, wasm, {
      nodes,
      bounds,
      growthAfter,
      now,
      ...(options.intRange === undefined ? {} : { intRange: options.intRange }),
      ...(options.maxStates === undefined ? {} : { maxStates: options.maxStates }),
      ...(options.maxDepth === undefined ? {} : { maxDepth: options.maxDepth }),
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
      ...(options.progressMs === undefined ? {} : { progressMs: options.progressMs }),
    })
    : null;
  const report = buildReport(program, meta, x, stepper, tuples, {
    deadlock: options.deadlock ?? true,
    liveness: withLiveness,
    crossChecked: options.crossCheck ?? false,
    elapsedMs: now() - start,
  });
  return {
    ...report,
    bounds,
    terminals: terminals.findings(x.terminalCounts),
    items: coverage(program, {
      deadlock: options.deadlock ?? true,
      liveness: options.liveness ?? true,
      nodes: nodesReport === null ? 1 : nodes,
    }),
    nodes: nodesReport,
  };
}

/**
 * What {@link exploreSource} returns: the report, or `null` with the diagnostics.
 *
 * @example A spec with errors has no report
 * ```ts
 * import assert from "node:assert/strict";
 * import { exploreSource, type SourceExploration } from "./model_checker.ts";
 * const result: SourceExploration = exploreSource("spec C state n: 0..3 = x");
 * assert.equal(result.report, null);
 * assert.ok(result.diagnostics.length > 0);
 * ```
 */
export interface SourceExploration {
  /** The front end's diagnostics. */
  readonly diagnostics: readonly Diagnostic[];
  /** The checked program, `null` when it has errors. */
  readonly program: Program | null;
  /** The report, `null` when the spec has errors. */
  readonly report: ExploreReport | null;
}

/**
 * Analyzes spec source text and model-checks it when it has no errors.
 *
 * @example Explore a counter
 * ```ts
 * import assert from "node:assert/strict";
 * import { exploreSource } from "./model_checker.ts";
 * const { report } = exploreSource("spec C state n: 0..3 = 0 action inc require n < 3 n := n + 1");
 * assert.ok(report!.distinctStates === 4 && report!.deadlockCount === 1);
 * ```
 */
export function exploreSource(source: string, options: ExploreOptions = {}): SourceExploration {
  const front = analyzeSource(source, options.constants ?? []);
  if (front.program === null || front.diagnostics.some((d) => d.severity === "error")) {
    return { diagnostics: front.diagnostics, program: null, report: null };
  }
  const report = { ...exploreProgram(front.program, options), constants: front.overrides };
  return { diagnostics: front.diagnostics, program: front.program, report };
}

/**
 * Parses and checks spec source, with `const` overrides when there are any
 * (the plain front end otherwise).
 *
 * @example Without overrides
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyzeSource } from "./model_checker.ts";
 * const { program, overrides } = analyzeSource("spec T state on: bool = false", []);
 * assert.ok(program !== null && overrides.length === 0);
 * ```
 */
export function analyzeSource(
  source: string,
  constants: readonly ConstOverride[],
): ReturnType<typeof analyzeWithConstants> {
  if (constants.length > 0) return analyzeWithConstants(source, constants);
  const front = analyze(source);
  return { diagnostics: front.diagnostics, program: front.program, overrides: [] };
}

/** A report with no states and no findings, to fill in. */
export function emptyReport(program: Program, elapsedMs: number): ExploreReport {
  return {
    spec: program.name,
    distinctStates: 0,
    statesGenerated: 0,
    statesExpanded: 0,
    depth: 0,
    diameter: 0,
    complete: true,
    cutBy: null,
    elapsedMs,
    exploreMs: 0,
    statesPerSecond: 0,
    transitionsTried: 0,
    violations: [],
    deadlocks: [],
    deadlockCount: 0,
    deadlockChecked: true,
    liveness: [],
    neverEnabled: [],
    deadGuards: [],
    crossChecked: false,
    growth: null,
    bounds: [],
    outOfBounds: 0,
    terminals: [],
    items: coverage(program, { deadlock: true, liveness: true, nodes: 1 }),
    nodes: null,
    constants: [],
  };
}

function initialFailure(program: Program, code: number, elapsedMs: number): ExploreReport {
  const v = program.verdicts[code]!;
  const violation: Violation = {
    kind: v.kind,
    item: v.item,
    detail: v.detail,
    line: v.range.line,
    column: v.range.column,
    trace: [{ step: 0, action: null, args: {}, state: null }],
  };
  return { ...emptyReport(program, elapsedMs), violations: [violation] };
}

interface ReportFlags {
  readonly deadlock: boolean;
  readonly liveness: boolean;
  readonly crossChecked: boolean;
  readonly elapsedMs: number;
}

function buildReport(
  program: Program,
  meta: SpecMeta,
  x: Exploration,
  stepper: WasmStepper,
  tuples: ReturnType<typeof allArgTuples>,
  flags: ReportFlags,
): ExploreReport {
  const traces = new TraceBuilder(program, meta, x, stepper, tuples);
  const violations: Violation[] = [];
  for (const [code, site] of x.violations) {
    const v = program.verdicts[code]!;
    const post = v.kind === "invariant_failed"
      ? traces.failedPost(site.from, site.action, site.tuple)
      : null;
    const prefix = traces.traceTo(site.from);
    const last = traces.row(prefix.length, site.action, site.tuple, post);
    violations.push({
      kind: v.kind,
      item: v.item,
      detail: v.detail,
      line: v.range.line,
      column: v.range.column,
      trace: [...prefix, last],
    });
  }
  const seconds = Math.max(x.elapsedMs, 1e-3) / 1000;
  let tried = 0;
  for (const counts of x.codeCounts) for (const c of counts) tried += c;
  return {
    ...emptyReport(program, flags.elapsedMs),
    distinctStates: x.states.size,
    statesGenerated: x.generated,
    statesExpanded: x.expanded - x.outOfBounds,
    depth: x.maxLevel + 1,
    diameter: x.maxLevel,
    complete: x.cutBy === null,
    cutBy: x.cutBy,
    growth: x.growthStop,
    outOfBounds: x.outOfBounds,
    exploreMs: x.elapsedMs,
    statesPerSecond: Math.round(x.states.size / seconds),
    transitionsTried: tried,
    violations,
    deadlocks: flags.deadlock ? x.deadlocks.map((i) => ({ trace: traces.traceTo(i) })) : [],
    deadlockCount: flags.deadlock ? x.deadlockCount : 0,
    deadlockChecked: flags.deadlock,
    liveness: flags.liveness ? lassos(program, x, traces) : [],
    neverEnabled: neverEnabled(program, x.codeCounts, tuples),
    deadGuards: deadGuards(program, x.codeCounts),
    crossChecked: flags.crossChecked,
  };
}

function lassos(program: Program, x: Exploration, traces: TraceBuilder): LivenessViolation[] {
  const out: LivenessViolation[] = [];
  program.liveness.forEach((item, k) => {
    const lasso = itemLasso(x, k);
    if (lasso === null) return;
    const head = traces.traceTo(lasso.start);
    const prefix = [...head, ...traces.pathRows(lasso.stem, head.length)];
    const entry = prefix[prefix.length - 1]!;
    const cycle = [
      { ...entry, step: 0, action: null, args: {} },
      ...traces.pathRows(lasso.cycle, 1),
    ];
    out.push({
      item: `liveness ${item.name}`,
      line: item.range.line,
      column: item.range.column,
      prefix,
      whenStep: head.length - 1,
      cycle,
    });
  });
  return out;
}
