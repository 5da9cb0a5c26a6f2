/**
 * The model checker's report: plain JSON-serializable data (what `--json`
 * prints), with traces decoded to enum labels and named arguments.
 *
 * @module
 */
import type { VerdictKind } from "../abi/verdict_codes.ts";
import type { VariableBound } from "./bounds.ts";
import type { ConstOverride } from "./constants.ts";
import type { GrowthStop } from "./growth.ts";
import type { NodesReport } from "./nodes.ts";
import type { TerminalFinding } from "./terminal.ts";
import type { Valuation } from "./valuation.ts";

/**
 * One row of a counterexample: the action taken and the state after it.
 *
 * @example The rows of a deadlock's trace
 * ```ts
 * import assert from "node:assert/strict";
 * import { exploreSource } from "./model_checker.ts";
 * import type { TraceStep } from "./report.ts";
 * const source = "spec C state n: 0..3 = 0 action inc require n < 3 n := n + 1";
 * const trace: readonly TraceStep[] = exploreSource(source).report!.deadlocks[0]!.trace;
 * assert.deepEqual(trace.map((r) => [r.action, r.state?.n]), [[null, 0], ["inc", 1], ["inc", 2], ["inc", 3]]);
 * ```
 */
export interface TraceStep {
  /** 0 for the initial state. */
  readonly step: number;
  /** The action taken, `null` for the initial state. */
  readonly action: string | null;
  /** The action's arguments by parameter name. */
  readonly args: Valuation;
  /**
   * The state after the step. For the failing last step of a violation: the
   * state the step would have produced (an invariant failure), or `null`
   * when no state was produced (a range or arithmetic error).
   */
  readonly state: Valuation | null;
}

/**
 * An invariant, range or arithmetic violation with its shortest trace.
 *
 * @example An invariant broken after two steps
 * ```ts
 * import assert from "node:assert/strict";
 * import { exploreSource } from "./model_checker.ts";
 * import type { Violation } from "./report.ts";
 * const source = "spec C state n: 0..3 = 0 action inc require n < 3 n := n + 1 invariant Small n < 2";
 * const [v]: readonly Violation[] = exploreSource(source).report!.violations;
 * assert.equal(v?.item, "invariant Small");
 * assert.equal(v?.trace.length, 3);
 * ```
 */
export interface Violation {
  /** The verdict kind: `invariant_failed`, `range_violation` or `arith_error`. */
  readonly kind: VerdictKind;
  /** The spec item: `invariant MutualExclusion`, `action withdraw`, `init`. */
  readonly item: string;
  /** What failed in the spec's words. */
  readonly detail: string;
  /** 1-based line of the failing item in the spec. */
  readonly line: number;
  /** 1-based column of the failing item. */
  readonly column: number;
  /** From the initial state; the last step is the failing one. */
  readonly trace: readonly TraceStep[];
}

/**
 * A state with no enabled action, with the shortest trace to it.
 *
 * @example A counter stuck at its top
 * ```ts
 * import assert from "node:assert/strict";
 * import { exploreSource } from "./model_checker.ts";
 * import type { Deadlock } from "./report.ts";
 * const source = "spec C state n: 0..3 = 0 action inc require n < 3 n := n + 1";
 * const [d]: readonly Deadlock[] = exploreSource(source).report!.deadlocks;
 * assert.equal(d?.trace.at(-1)?.state?.n, 3);
 * ```
 */
export interface Deadlock {
  /** From the initial state to the deadlocked state. */
  readonly trace: readonly TraceStep[];
}

/**
 * A liveness item violated by a reachable cycle avoiding its `eventually` predicate.
 *
 * @example A flag that may never be cleared
 * ```ts
 * import assert from "node:assert/strict";
 * import { exploreSource } from "./model_checker.ts";
 * import type { LivenessViolation } from "./report.ts";
 * const source = "spec F state on: bool = false action set on := true liveness Clears within 1s when on then eventually not on";
 * const [l]: readonly LivenessViolation[] = exploreSource(source).report!.liveness;
 * assert.equal(l?.item, "liveness Clears");
 * assert.ok(l!.cycle.length >= 1);
 * ```
 */
export interface LivenessViolation {
  /** `liveness WaiterEnters`. */
  readonly item: string;
  /** 1-based line of the liveness item. */
  readonly line: number;
  /** 1-based column of the liveness item. */
  readonly column: number;
  /** From the initial state to the cycle's entry (the P state is `whenStep`). */
  readonly prefix: readonly TraceStep[];
  /** The step of `prefix` where the `when` predicate held and `eventually` did not. */
  readonly whenStep: number;
  /** From the cycle's entry back to it: the first row is the entry (no action), the last returns to it. */
  readonly cycle: readonly TraceStep[];
}

/**
 * An action that no explored state enabled.
 *
 * @example An action whose guard never holds
 * ```ts
 * import assert from "node:assert/strict";
 * import { exploreSource } from "./model_checker.ts";
 * import type { NeverEnabled } from "./report.ts";
 * const source = "spec T state on: bool = false action flip on := not on action never require on and not on on := true";
 * const found: readonly NeverEnabled[] = exploreSource(source).report!.neverEnabled;
 * assert.deepEqual(found.map((n) => n.action), ["never"]);
 * ```
 */
export interface NeverEnabled {
  /** The action's name. */
  readonly action: string;
  /** 1-based line of the action. */
  readonly line: number;
  /** Argument tuples tried per state. */
  readonly tuples: number;
}

/**
 * A `require` that held in every evaluation (or was never evaluated).
 *
 * @example A require that always holds
 * ```ts
 * import assert from "node:assert/strict";
 * import { exploreSource } from "./model_checker.ts";
 * import type { DeadGuard } from "./report.ts";
 * const source = "spec T state on: bool = false action flip require on or not on on := not on";
 * const found: readonly DeadGuard[] = exploreSource(source).report!.deadGuards;
 * assert.deepEqual(found.map((g) => g.text), ["require on or not on"]);
 * ```
 */
export interface DeadGuard {
  /** The action the require belongs to. */
  readonly action: string;
  /** The require's source text: `require mode == free`. */
  readonly text: string;
  /** 1-based line of the require. */
  readonly line: number;
  /** 1-based column of the require. */
  readonly column: number;
  /** How often it was evaluated (0: an earlier require or argument always failed). */
  readonly evaluations: number;
}

/**
 * Whether one spec item (or the deadlock check) was checked, and how or why not.
 *
 * @example The Lease spec's global invariant is not checked over one monitor
 * ```ts
 * import assert from "node:assert/strict";
 * import { exploreSource } from "./model_checker.ts";
 * import type { ItemCoverage } from "./report.ts";
 * const source = "spec L state held: bool = false action take held := true action drop held := false " +
 *   "global invariant One forall a, b in nodes: a.held and b.held implies a == b";
 * const items: readonly ItemCoverage[] = exploreSource(source).report!.items;
 * const one = items.find((i) => i.item === "global invariant One");
 * assert.equal(one?.checked, false);
 * assert.match(one!.how, /--nodes 2/);
 * ```
 */
export interface ItemCoverage {
  /** `invariant TokenNeverGoesBack`, `global invariant OneHolder`, or `deadlock`. */
  readonly item: string;
  /** 1-based line of the item (`null` for the deadlock check). */
  readonly line: number | null;
  /** Whether the exploration checked it (in the states it explored). */
  readonly checked: boolean;
  /** How it was checked, or why it was not. */
  readonly how: string;
}

/**
 * Counts of one exploration and everything it found.
 *
 * @example The counts of a complete exploration
 * ```ts
 * import assert from "node:assert/strict";
 * import { exploreSource } from "./model_checker.ts";
 * import type { ExploreReport } from "./report.ts";
 * const source = "spec C state n: 0..3 = 0 action inc require n < 3 n := n + 1";
 * const report: ExploreReport = exploreSource(source).report!;
 * assert.deepEqual([report.spec, report.distinctStates, report.depth, report.complete], ["C", 4, 4, true]);
 * ```
 */
export interface ExploreReport {
  /** The spec's name. */
  readonly spec: string;
  /** Distinct states found, the initial state included (TLC's "distinct states"). */
  readonly distinctStates: number;
  /** The initial state plus every successful step, duplicates included (TLC's "states generated"). */
  readonly statesGenerated: number;
  /** States expanded (every distinct state when complete). */
  readonly statesExpanded: number;
  /** Breadth-first levels, counting the initial state as 1 (TLC's "depth"). */
  readonly depth: number;
  /** The longest shortest path from the initial state, in steps (`depth - 1`). */
  readonly diameter: number;
  /** False when a limit or the growth watch cut the search: states may exist that were not found. */
  readonly complete: boolean;
  /** What cut the search (`growth`: an `int` variable kept growing), or `null`. */
  readonly cutBy: "max-states" | "max-depth" | "growth" | null;
  /** Why the growth watch stopped the search (the growing variables), or `null`. */
  readonly growth: GrowthStop | null;
  /** The `--bound`s: states outside them were stored but not expanded. */
  readonly bounds: readonly VariableBound[];
  /** States not expanded because they lie outside the bounds. */
  readonly outOfBounds: number;
  /** Wall time of the whole check, compiling the spec included. */
  readonly elapsedMs: number;
  /** Wall time of the exploration alone. */
  readonly exploreMs: number;
  /** Distinct states per second of exploration. */
  readonly statesPerSecond: number;
  /** Transitions tried (state x action x argument tuple). */
  readonly transitionsTried: number;
  /** Invariant, range and arithmetic violations, one per verdict, each with its shortest trace. */
  readonly violations: readonly Violation[];
  /** The shortest deadlocks (up to 10); `deadlockCount` counts them all. */
  readonly deadlocks: readonly Deadlock[];
  /** States with no enabled action (0 when `deadlockChecked` is false). */
  readonly deadlockCount: number;
  /** Whether deadlocks were looked for (`--no-deadlock` turns it off). */
  readonly deadlockChecked: boolean;
  /** Liveness items violated by a reachable cycle (lasso). */
  readonly liveness: readonly LivenessViolation[];
  /** Actions no explored state enabled. */
  readonly neverEnabled: readonly NeverEnabled[];
  /** Requires never false in any evaluation. */
  readonly deadGuards: readonly DeadGuard[];
  /** Whether the interpreter stepped every transition too and agreed. */
  readonly crossChecked: boolean;
  /** The `terminal` items and the states with no enabled action where each held. */
  readonly terminals: readonly TerminalFinding[];
  /** Every invariant, liveness item and the deadlock check: checked or not, how or why. */
  readonly items: readonly ItemCoverage[];
  /** The global items checked over several monitors (`--nodes N`), or `null`. */
  readonly nodes: NodesReport | null;
  /** The `const` items given other values for this check (`--const`). */
  readonly constants: readonly ConstOverride[];
}

/**
 * Whether a report found anything that fails the check (exit code 1).
 *
 * @example Decide the exit code
 * ```ts
 * import assert from "node:assert/strict";
 * import { exploreSource } from "./model_checker.ts";
 * import { failed } from "./report.ts";
 * const ok = exploreSource("spec T state on: bool = false action flip on := not on").report!;
 * const stuck = exploreSource("spec C state n: 0..3 = 0 action inc require n < 3 n := n + 1").report!;
 * assert.equal(failed(ok), false);
 * assert.equal(failed(stuck), true); // n = 3 enables no action: a deadlock
 * ```
 */
export function failed(r: ExploreReport): boolean {
  return r.violations.length > 0 || (r.deadlockChecked && r.deadlockCount > 0) ||
    r.liveness.length > 0 ||
    (r.nodes !== null && (r.nodes.violations.length > 0 || r.nodes.liveness.length > 0));
}

/**
 * Whether some search of a report was cut (a limit or the growth watch), so
 * that the absence of errors says nothing about the states beyond it.
 *
 * @example A search cut by --max-states
 * ```ts
 * import assert from "node:assert/strict";
 * import { exploreSource } from "./model_checker.ts";
 * import { incomplete } from "./report.ts";
 * const source = "spec C state n: 0..9 = 0 action inc n := (n + 1) % 10";
 * assert.equal(incomplete(exploreSource(source, { maxStates: 3 }).report!), true);
 * assert.equal(incomplete(exploreSource(source).report!), false);
 * ```
 */
export function incomplete(r: ExploreReport): boolean {
  return !r.complete || (r.nodes !== null && !r.nodes.complete);
}
