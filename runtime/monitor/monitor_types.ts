/**
 * The public shapes of the monitor API: options, the `Monitor` interface,
 * divergences, violation callbacks, and the event sink a monitor pushes to.
 *
 * @module
 */
import type { StateView } from "../../lib/abi/compiled.ts";
import type { Verdict } from "../../lib/abi/verdict.ts";
import type { HybridClock } from "./clock.ts";
import type { HlcStamp, HlcTimestamp } from "../../lib/wire/stamp.ts";
import type { StepEvent } from "../../lib/wire/event.ts";
import type { NodeContext } from "./node.ts";

/** `enforce`: a refused step throws and changes nothing. `observe`: never throws, records. */
export type MonitorMode = "enforce" | "observe";

/** Where step events go: a batcher, or anything with `push`. */
export interface EventSink {
  /** Takes one event; a returned promise (a `block` batcher when full) is kept for `settled()`. */
  push(event: StepEvent): unknown;
}

/**
 * One variable whose reported actual value differs from the spec's next
 * state. A verdict-shaped record pointing at the action (`item`, `line`,
 * `column`); `code` is `VERDICT_DIVERGENCE` (`lib/abi/verdict_codes.ts`).
 */
export interface Divergence extends Verdict {
  /** Tag: the reported state differs from the spec's. */
  readonly kind: "divergence";
  /** The state variable, e.g. `owner`. */
  readonly variable: string;
  /** The spec's next value (decoded: label, boolean, number, or map object). */
  readonly expected: unknown;
  /** The service's reported value. */
  readonly actual: unknown;
}

/** What `onViolation` receives. */
export interface ViolationEvent {
  /** The failing verdict, or a divergence. */
  readonly verdict: Verdict;
  /** The action name as the caller gave it. */
  readonly action: string;
  /** The instance key of the monitor. */
  readonly key: string;
  /** The monitor whose step failed. */
  readonly monitor: Monitor;
}

/** Options of `LoadedSpec.monitor`. */
export interface MonitorOptions {
  /** Node id (the loaded spec keeps one context per id) or a shared context. Default `"local"`. */
  readonly node?: string | NodeContext;
  /** Instance key, e.g. `lock:orders`. Default `""`. */
  readonly key?: string;
  /** Default `enforce`. */
  readonly mode?: MonitorMode;
  /** Where step events go. Default: none (no event is built). */
  readonly sink?: EventSink;
  /** Clock of the node context created for a string `node` (only when first created). */
  readonly clock?: HybridClock;
  /** Called for each failing verdict and each divergence (errors it throws propagate). */
  readonly onViolation?: (violation: ViolationEvent) => void;
}

/** Options of `Monitor.step`. */
export interface StepOptions {
  /**
   * The service's actual state after the transition (possibly partial: the
   * variables and map entries it names). See `Monitor.step`.
   */
  readonly observed?: StateView;
}

/** Named action arguments: numbers or bigints, enum labels, booleans. */
export type ActionArgs = Readonly<Record<string, unknown>>;

/**
 * One monitored instance of a spec: its state is a block in the compiled
 * module's memory.
 */
export interface Monitor {
  /** The instance key, e.g. `lock:orders`. */
  readonly key: string;
  /** `enforce` (a refused step throws) or `observe` (it is recorded). */
  readonly mode: MonitorMode;
  /** The node context the monitor stamps its events with. */
  readonly node: NodeContext;
  /** The decoded current state (a fresh object per read). */
  readonly state: StateView;
  /** Failing verdicts and divergences recorded so far (refused steps and `tryStep`s included). */
  readonly violations: number;
  /** The last failing verdict or divergence, or `null`. */
  readonly lastViolation: Verdict | null;
  /** The divergences found by the last step given `observed` (empty otherwise). */
  readonly divergences: readonly Divergence[];
  /** True once `close()` was called. */
  readonly closed: boolean;
  /**
   * Steps the instance. Enforce: a failing verdict throws `GuardError` and
   * leaves the state unchanged. Observe: never throws for a verdict; records
   * it. With `observed`: see the module doc of `observe.ts`.
   *
   * @throws {GuardError} Enforce mode, refused transition (or unknown action).
   * @throws {TypeError} Argument that cannot be encoded; closed monitor.
   */
  step(action: string, args?: ActionArgs, options?: StepOptions): Verdict;
  /** Steps when allowed; never throws for a verdict; returns it (cached, frozen). */
  tryStep(action: string, args?: ActionArgs): Verdict;
  /** The verdict stepping would give, never applied (no event, not counted). */
  check(action: string, args?: ActionArgs): Verdict;
  /** `step` by action index with raw f64 arguments (enum label index, bool 0/1); for generated code. */
  stepIndex(action: number, a0?: number, a1?: number, a2?: number, a3?: number): Verdict;
  /** `tryStep` by action index with raw f64 arguments. */
  tryStepIndex(action: number, a0?: number, a1?: number, a2?: number, a3?: number): Verdict;
  /** `check` by action index with raw f64 arguments. */
  checkIndex(action: number, a0?: number, a1?: number, a2?: number, a3?: number): Verdict;
  /** Ticks the node clock and returns the stamp to attach to an outgoing message. */
  stamp(): HlcStamp;
  /** Merges a received stamp into the node clock (throws `ClockDriftError` when too far ahead). */
  observe(stamp: HlcStamp | HlcTimestamp): void;
  /** A copy of the packed state block. */
  stateBytes(): Uint8Array;
  /** Overwrites the packed state block (no check, no event). */
  setStateBytes(bytes: Uint8Array): void;
  /** Resolves when the sink accepted the last event (relevant for a `block` batcher). */
  settled(): Promise<void>;
  /** Returns the instance block for reuse; later calls throw `TypeError`. Idempotent. */
  close(): void;
}
