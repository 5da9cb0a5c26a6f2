/**
 * `vigil check`: explicit-state, breadth-first model checking of `.vigil`
 * specs through their compiled core module.
 *
 * @example Explore a spec and print the report
 * ```ts
 * import assert from "node:assert/strict";
 * import { exploreSource, failed, formatReport } from "./mod.ts";
 * const { report } = exploreSource("spec T state on: bool = false action flip on := not on");
 * assert.equal(failed(report!), false);
 * assert.match(formatReport(report!), /2 distinct states/);
 * ```
 *
 * @module
 */
export { analyzeSource, exploreProgram, exploreSource } from "./model_checker.ts";
export { analyzeWithConstants, ConstOverrideError, parseConstOverride } from "./constants.ts";
export { formatReport, nodeTraceTable, traceTable } from "./format.ts";
export { counterexampleItf, toItf } from "./itf.ts";
export { failed, incomplete } from "./report.ts";
export { BoundError, parseBound } from "./bounds.ts";
export { exploreNodes } from "./nodes.ts";
export { GROWTH_AFTER_STATES } from "./growth.ts";
export { parseIntRange, TooManyArgumentsError, UnboundedParameterError } from "./domains.ts";
export { CrossCheckError } from "./cross_check.ts";
export { exploreParallel, exploreShards } from "./parallel.ts";
export { inProcessDrivers, workerDriver } from "./shard_driver.ts";

export type { ExploreOptions, SourceExploration } from "./model_checker.ts";
export type { IntRange } from "./domains.ts";
export type { Progress } from "./breadth_first.ts";
export type { ParallelOptions } from "./parallel.ts";
export type { ShardDriver, WorkerRequest } from "./shard_driver.ts";
export type { ExpandResult, ShardNode, ShardSetup, ShardStats, ShardViolation } from "./shard.ts";
export type { SharedBuffers } from "./shared_state_set.ts";
export type { DensePlan } from "./dense_key.ts";
export type { ItfOptions, ItfTrace, ItfValue } from "./itf.ts";
export type {
  DeadGuard,
  Deadlock,
  ExploreReport,
  ItemCoverage,
  LivenessViolation,
  NeverEnabled,
  TraceStep,
  Violation,
} from "./report.ts";
export type { Scalar, Valuation, Value } from "./valuation.ts";
export type { VariableBound } from "./bounds.ts";
export type { ConstAnalysis, ConstOverride } from "./constants.ts";
export type { GrowthSample, GrowthStop } from "./growth.ts";
export type { TerminalFinding } from "./terminal.ts";
export type {
  NodesLivenessViolation,
  NodesOptions,
  NodesReport,
  NodesViolation,
  NodeTraceStep,
} from "./nodes.ts";
