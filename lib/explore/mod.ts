/**
 * `vigil check`: explicit-state, breadth-first model checking of `.vigil`
 * specs through their compiled core module.
 *
 * @example Check a spec and print the report
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkSource, failed, formatReport } from "./mod.ts";
 * const { report } = checkSource("spec T state on: bool = false action flip on := not on");
 * assert.equal(failed(report!), false);
 * assert.match(formatReport(report!), /2 distinct states/);
 * ```
 *
 * @module
 */
export { checkProgram, checkSource } from "./model_checker.ts";
export { formatReport, traceTable } from "./format.ts";
export { counterexampleItf, toItf } from "./itf.ts";
export { failed } from "./report.ts";
export { parseIntRange, TooManyArgumentsError, UnboundedParameterError } from "./domains.ts";
export { CrossCheckError } from "./cross_check.ts";
export { checkParallel, exploreParallel, inProcessDrivers, workerDriver } from "./parallel.ts";

export type { CheckOptions, SourceCheck } from "./model_checker.ts";
export type { IntRange } from "./domains.ts";
export type { Progress } from "./explore.ts";
export type { ParallelOptions, PartitionDriver, WorkerRequest } from "./parallel.ts";
export type { PartitionNode, PartitionSetup, PartitionStats } from "./shard.ts";
export type { ItfOptions, ItfTrace, ItfValue } from "./itf.ts";
export type {
  CheckReport,
  DeadGuard,
  Deadlock,
  LivenessViolation,
  NeverEnabled,
  TraceStep,
  Violation,
} from "./report.ts";
export type { Scalar, Valuation, Value } from "./decode.ts";
