/**
 * The base class of generated typed monitors (`class LeaseMonitor extends
 * TypedMonitor`), so they share the Monitor machinery: instance blocks and
 * their reuse, enforce/observe modes, violations, events, clocks.
 *
 * Contract for generated code: every member of the base is `$`-prefixed
 * (Vigil names cannot start with `$`, so action methods never collide).
 * A generated method converts its typed arguments to f64 (enum label ->
 * label index, bool -> 0/1). Its fast path: while
 * `this.$inst` is not -1 (no sink, not closed) it calls its action's raw
 * step export on that instance itself (a monomorphic call site per
 * method) and returns `ok` for code 0, else `this.$refused(index, code,
 * throws)` (recorded like any refused step; `GuardError` in enforce mode
 * when `throws`). Otherwise it calls the fixed-arity
 * `$step(actionIndex, a0, a1, a2, a3)` (or `$tryStep`, `$check`), which
 * also emits the event; actions of more than 4 parameters use
 * `$stepArgs(index, [..])`. A step given the service's actual state
 * (`observed`) goes through `$observed`, the observe path of
 * `Monitor.step` (see `observe.ts`).
 *
 * Observe mode is the monitor's (`mode: "observe"`): a refused step is
 * recorded (`violations`, `lastViolation`, `onViolation`), emitted to the
 * sink with its verdict, returned, and not applied (the state stays as it
 * was), exactly as `Monitor.step` in observe mode; enforce mode throws
 * `GuardError` instead of returning it.
 *
 * Numbers: an `int` value (and a range wider than the safe integers) is a
 * `number` in the typed class, exact within ±(2^53 - 1). `$numericState`
 * throws a `RangeError` naming the variable when the state holds a value
 * beyond, and `$unsafeInt` is the error of an argument beyond (the untyped
 * `Monitor.state` gives such values as `bigint`).
 *
 * @module
 */
import type { StateView } from "../../lib/abi/compiled.ts";
import { GuardError, type Verdict } from "../../lib/abi/verdict.ts";
import type { NodeContext } from "./node.ts";
import type { MonitorImpl } from "./monitor.ts";
import type {
  ActionArgs,
  EventSink,
  Monitor,
  MonitorMode,
  ViolationEvent,
} from "./monitor_types.ts";
import type { LoadedSpec } from "./load_spec.ts";

/**
 * The arguments of each action of a spec by parameter name, e.g.
 * `{ acquire: { c: number }; release: { c: number } }`: the generated
 * module's `LeaseArgs`. The default, for a spec whose types are not known,
 * allows any action name and any arguments.
 *
 * @example Arguments of the Lease actions
 * ```ts
 * import assert from "node:assert/strict";
 * import type { SpecArgs } from "./typed_monitor.ts";
 * type LeaseArgs = { readonly acquire: { readonly c: number }; readonly release: { readonly c: number } };
 * const args: LeaseArgs["acquire"] = { c: 2 };
 * const any: SpecArgs = { acquire: args };
 * assert.equal(any["acquire"]?.["c"], 2);
 * ```
 */
export type SpecArgs = { readonly [action: string]: ActionArgs };

/**
 * A loaded spec whose type also carries the arguments of its actions
 * (`A`, e.g. the generated `LeaseArgs`): what a generated class's static
 * `load` resolves to, and what `vigilGuard` reads action names and
 * argument types from. `$args` exists only in the type (it is never set):
 * every `LoadedSpec` is a `TypedSpec`, of the default {@link SpecArgs}.
 *
 * @example A spec typed with its actions' arguments
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadSpec } from "./load_spec.ts";
 * import type { TypedSpec } from "./typed_monitor.ts";
 * type LeaseArgs = { readonly acquire: { readonly c: number }; readonly release: { readonly c: number } };
 * const lease: TypedSpec<LeaseArgs> = await loadSpec(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const action: keyof LeaseArgs = "acquire";
 * assert.equal(lease.actionIndex(action), 0);
 * assert.equal(lease.$args, undefined);
 * ```
 */
export type TypedSpec<A extends object = SpecArgs> = LoadedSpec & {
  /** Type only, never set: the arguments of each action. */
  readonly $args?: A;
};

/**
 * Options of a generated typed monitor's constructor.
 *
 * @example Options of a typed monitor
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadSpec } from "./load_spec.ts";
 * import { TypedMonitor, type TypedMonitorOptions } from "./typed_monitor.ts";
 * const lease = await loadSpec(new URL("../../dist/lease.core.wasm", import.meta.url));
 * class LeaseMonitor extends TypedMonitor {
 *   acquire(c: number) {
 *     return this.$step(0, c);
 *   }
 * }
 * const options: TypedMonitorOptions = { node: "api-1", key: "lock:a" };
 * const m = new LeaseMonitor(lease, options);
 * assert.equal(m.acquire(1).kind, "ok");
 * assert.equal(m.$monitor.key, "lock:a");
 * ```
 */
export interface TypedMonitorOptions {
  /** Node id or shared node context. Default `"local"`. */
  readonly node?: string | NodeContext;
  /** Instance key. Default `""`. */
  readonly key?: string;
  /** Default `enforce`. */
  readonly mode?: MonitorMode;
  /** Where step events go. Default: none. */
  readonly sink?: EventSink;
  /** Called for each failing verdict and each divergence. */
  readonly onViolation?: (violation: ViolationEvent) => void;
}

/**
 * Base class of generated typed monitors.
 *
 * @example A hand-written typed monitor
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadSpec } from "./load_spec.ts";
 * import { TypedMonitor, type TypedMonitorOptions } from "./typed_monitor.ts";
 * const lease = await loadSpec(new URL("../../dist/lease.core.wasm", import.meta.url));
 * class LeaseMonitor extends TypedMonitor {
 *   constructor(options: TypedMonitorOptions = {}) {
 *     super(lease, options, "lease.vigil");
 *   }
 *   acquire(c: number) {
 *     return this.$step(0, c);
 *   }
 *   tryRelease(c: number) {
 *     return this.$tryStep(1, c);
 *   }
 * }
 * const m = new LeaseMonitor({ key: "lock:a" });
 * assert.equal(m.acquire(2).kind, "ok");
 * assert.equal(m.tryRelease(1).detail, "require mode == held and owner == c");
 * assert.throws(() => m.acquire(3), /lease\.vigil:14:5/);
 * ```
 */
export class TypedMonitor {
  readonly #monitor: MonitorImpl;
  readonly #spec: LoadedSpec;
  /** Where `GuardError` messages point (`lease.vigil:14:5`); default the spec name. */
  readonly #source: string;

  /**
   * Allocates an instance block of `spec` in its initial state. `source`
   * names the spec file in `GuardError` messages (default: the spec name).
   */
  constructor(spec: LoadedSpec, options: TypedMonitorOptions = {}, source?: string) {
    // Every Monitor made by LoadedSpec.monitor is a MonitorImpl.
    this.#monitor = spec.monitor(options) as MonitorImpl;
    this.#spec = spec;
    this.#source = source ?? spec.name;
  }

  /** The underlying monitor (state, stamp/observe, violations, close). */
  get $monitor(): Monitor {
    return this.#monitor;
  }

  /** The decoded current state (`int` values beyond 2^53 as `bigint`). */
  get $state(): StateView {
    return this.#monitor.state;
  }

  /**
   * The decoded current state with every integer a `number`: what a
   * generated class's `state` returns.
   *
   * @throws {RangeError} When a variable (or a map entry) holds a value beyond
   * ±(2^53 - 1), which no `number` holds exactly; the message names it.
   */
  protected $numericState(): StateView {
    const view = this.#monitor.state;
    for (const name in view) {
      const v = view[name];
      if (typeof v === "bigint") throw this.#beyond(name, v);
      if (typeof v === "object" && v !== null) {
        for (const [k, x] of Object.entries(v)) {
          if (typeof x === "bigint") throw this.#beyond(`${name}[${k}]`, x);
        }
      }
    }
    return view;
  }

  #beyond(where: string, v: bigint): RangeError {
    return new RangeError(
      `State '${where}' of spec '${this.#spec.name}' instance '${this.#monitor.key}' holds ${v}, beyond the safe integers of a number (±(2^53 - 1)); read it exactly as a bigint from '$monitor.state'`,
    );
  }

  /**
   * The error of an `int` argument beyond ±(2^53 - 1), where a `number` is
   * no longer exact (thrown by generated methods before stepping).
   */
  protected $unsafeInt(action: number, param: string, value: number): RangeError {
    const name = this.#spec.actions[action] ?? `#${action}`;
    return new RangeError(
      `Action '${name}' parameter '${param}': ${value} is beyond the safe integers of a number (±(2^53 - 1))`,
    );
  }

  /**
   * The instance block for the fast path (step it directly, then
   * {@link $refused} for a non-zero code), or -1 when steps must go through
   * `$step` (a sink is attached, or the monitor is closed).
   */
  protected get $inst(): number {
    return this.#monitor.fastInst;
  }

  /**
   * Records the failing code of a step taken on `$inst` directly and
   * returns its verdict; throws `GuardError` instead when `throws` and the
   * monitor enforces.
   */
  protected $refused(action: number, code: number, throws: boolean): Verdict {
    return this.#thrown(action, this.#monitor.refusedIndex(action, code), throws);
  }

  #thrown(action: number, v: Verdict, throws: boolean): Verdict {
    if (throws && v.code !== 0 && this.#monitor.enforcing) {
      throw new GuardError(this.#spec.actions[action] ?? "", v, this.#source);
    }
    return v;
  }

  /** Steps action `action` (enforce: throws `GuardError` when refused). */
  protected $step(action: number, a0?: number, a1?: number, a2?: number, a3?: number): Verdict {
    return this.#thrown(action, this.#monitor.tryStepIndex(action, a0, a1, a2, a3), true);
  }

  /** Steps when allowed; returns the verdict, never throws for one. */
  protected $tryStep(action: number, a0?: number, a1?: number, a2?: number, a3?: number): Verdict {
    return this.#monitor.tryStepIndex(action, a0, a1, a2, a3);
  }

  /** The verdict stepping would give, never applied. */
  protected $check(action: number, a0?: number, a1?: number, a2?: number, a3?: number): Verdict {
    return this.#monitor.checkIndex(action, a0, a1, a2, a3);
  }

  /** `$step` with an argument array (any arity). */
  protected $stepArgs(action: number, args: readonly number[]): Verdict {
    return this.#thrown(action, this.#monitor.stepArgs(action, args, 0), true);
  }

  /** `$tryStep` with an argument array. */
  protected $tryStepArgs(action: number, args: readonly number[]): Verdict {
    return this.#monitor.stepArgs(action, args, 0);
  }

  /** `$check` with an argument array. */
  protected $checkArgs(action: number, args: readonly number[]): Verdict {
    return this.#monitor.stepArgs(action, args, 2);
  }

  /**
   * Steps action `action` with `args` by parameter name and the service's
   * actual state after it (`observed`, possibly partial), as
   * `Monitor.step(name, args, { observed })` does in either mode: each
   * variable that differs from the spec's next state is a divergence
   * (recorded, returned when the step was allowed), and the monitor goes on
   * from the actual state.
   *
   * @throws {GuardError} Enforce mode, when the transition is refused.
   */
  protected $observed(action: number, args: ActionArgs, observed: StateView): Verdict {
    const name = this.#spec.actions[action];
    if (name === undefined) {
      throw new RangeError(`Unknown action index ${action} of spec '${this.#spec.name}'`);
    }
    try {
      return this.#monitor.step(name, args, { observed });
    } catch (e) {
      // Point the message at the spec file, as the class's other refusals do.
      throw e instanceof GuardError ? new GuardError(name, e.verdict, this.#source) : e;
    }
  }

  /** Returns the instance block for reuse. */
  $close(): void {
    this.#monitor.close();
  }
}
