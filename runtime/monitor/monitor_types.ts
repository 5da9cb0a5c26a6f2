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

/**
 * `enforce`: a refused step throws and changes nothing. `observe`: never throws, records.
 *
 * @example Observe records a refused step instead of throwing
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadSpec } from "./load_spec.ts";
 * import type { MonitorMode } from "./monitor_types.ts";
 * const lease = await loadSpec(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const mode: MonitorMode = "observe";
 * const m = lease.monitor({ key: "lock:a", mode });
 * m.step("acquire", { c: 1 });
 * assert.equal(m.step("acquire", { c: 2 }).kind, "guard_failed");
 * assert.equal(m.violations, 1);
 * ```
 */
export type MonitorMode = "enforce" | "observe";

/**
 * Where step events go: a batcher, or anything with `push`.
 *
 * @example Any object with push receives each step
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadSpec } from "./load_spec.ts";
 * import type { EventSink } from "./monitor_types.ts";
 * import type { StepEvent } from "../../lib/wire/event.ts";
 * const lease = await loadSpec(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const events: StepEvent[] = [];
 * const sink: EventSink = { push: (e) => void events.push(e) };
 * lease.monitor({ node: "api-1", key: "lock:a", sink }).step("acquire", { c: 1 });
 * assert.equal(events.length, 1);
 * assert.equal(events[0]?.node, "api-1");
 * ```
 */
export interface EventSink {
  /** Takes one event; a returned promise (a `block` batcher when full) is kept for `settled()`. */
  push(event: StepEvent): unknown;
}

/**
 * One variable whose reported actual value differs from the spec's next
 * state. A verdict-shaped record pointing at the action (`item`, `line`,
 * `column`); `code` is `VERDICT_DIVERGENCE` (`lib/abi/verdict_codes.ts`).
 *
 * @example The service reports a state the spec does not reach
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadSpec } from "./load_spec.ts";
 * import type { Divergence } from "./monitor_types.ts";
 * const lease = await loadSpec(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const m = lease.monitor({ key: "lock:a", mode: "observe" });
 * m.step("acquire", { c: 1 }, { observed: { owner: 2 } });
 * const [d]: readonly Divergence[] = m.divergences;
 * assert.deepEqual([d?.variable, d?.expected, d?.actual], ["owner", 1, 2]);
 * ```
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

/**
 * What `onViolation` receives.
 *
 * @example Count refusals per key
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadSpec } from "./load_spec.ts";
 * import type { ViolationEvent } from "./monitor_types.ts";
 * const lease = await loadSpec(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const seen: string[] = [];
 * const onViolation = (v: ViolationEvent) => void seen.push(`${v.key} ${v.action} ${v.verdict.kind}`);
 * const m = lease.monitor({ key: "lock:a", mode: "observe", onViolation });
 * m.step("release", { c: 1 });
 * assert.deepEqual(seen, ["lock:a release guard_failed"]);
 * ```
 */
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

/**
 * Options of `LoadedSpec.monitor`.
 *
 * @example A monitor of one key on a named node
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadSpec } from "./load_spec.ts";
 * import type { MonitorOptions } from "./monitor_types.ts";
 * const lease = await loadSpec(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const options: MonitorOptions = { node: "api-1", key: "lock:orders", mode: "enforce" };
 * const m = lease.monitor(options);
 * assert.equal(m.node.id, "api-1");
 * assert.equal(m.key, "lock:orders");
 * ```
 */
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

/**
 * Options of `Monitor.step`.
 *
 * @example Check the service's own state after a step
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadSpec } from "./load_spec.ts";
 * import type { StepOptions } from "./monitor_types.ts";
 * const lease = await loadSpec(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const m = lease.monitor({ key: "lock:a", mode: "observe" });
 * const options: StepOptions = { observed: { mode: "held", owner: 1 } };
 * m.step("acquire", { c: 1 }, options);
 * assert.deepEqual(m.divergences, []);
 * ```
 */
export interface StepOptions {
  /**
   * The service's actual state after the transition (possibly partial: the
   * variables and map entries it names). See `Monitor.step`.
   */
  readonly observed?: StateView;
}

/**
 * Named action arguments: numbers or bigints, enum labels, booleans.
 *
 * @example Arguments by parameter name
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadSpec } from "./load_spec.ts";
 * import type { ActionArgs } from "./monitor_types.ts";
 * const lease = await loadSpec(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const args: ActionArgs = { c: 3 };
 * const m = lease.monitor({ key: "lock:a" });
 * m.step("acquire", args);
 * assert.equal(m.state.owner, 3);
 * ```
 */
export type ActionArgs = Readonly<Record<string, unknown>>;

/**
 * One monitored instance of a spec: its state is a block in the compiled
 * module's memory.
 *
 * @example Step, check and refuse
 * ```ts
 * import assert from "node:assert/strict";
 * import { GuardError } from "../../lib/abi/verdict.ts";
 * import { loadSpec } from "./load_spec.ts";
 * import type { Monitor } from "./monitor_types.ts";
 * const lease = await loadSpec(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const m: Monitor = lease.monitor({ key: "lock:orders" });
 * m.step("acquire", { c: 2 });
 * assert.equal(m.state.mode, "held");
 * assert.equal(m.check("acquire", { c: 3 }).detail, "require mode == free");
 * assert.throws(() => m.step("acquire", { c: 3 }), GuardError);
 * m.close();
 * assert.equal(m.closed, true);
 * ```
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
