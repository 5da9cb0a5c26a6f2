/**
 * The monitor: one keyed instance of a loaded spec, its state a block in
 * the compiled module's memory, stepped through the raw scalar exports.
 *
 * Hot path: `tryStep` and `step` (without options) on an open monitor
 * with no sink call the loaded spec's fast step (`fast_step.ts`: the
 * action name compared with literals, each argument a named load, one
 * call to that action's raw step export) and return the cached frozen
 * verdict of the code: nothing is allocated per call. What the fast step
 * leaves (an argument to encode, an unknown name) takes the general path:
 * the action through a lookup built at load time, each argument encoded
 * by a precomputed parameter codec, one fixed-arity call to the
 * dispatcher (actions of more than 4 parameters use an array). With a
 * sink, each step emits one event through the monitor's context.
 *
 * Steps and violations:
 * - every failing verdict of `step`/`tryStep` (both modes) is counted,
 *   kept as `lastViolation` and passed to `onViolation`; `check` records
 *   nothing and emits nothing;
 * - enforce `step` throws `GuardError` after recording and emitting;
 * - an unknown action name is verdict `unknown_action` (code 1), emitted
 *   with action index {@link UNKNOWN_ACTION_INDEX} and no arguments;
 * - an argument that cannot be encoded throws `TypeError` (a bigint that is
 *   not exact as an f64: `RangeError`) before anything is checked or emitted.
 *
 * `step(action, args, { observed })`, in either mode: see `observe.ts`.
 * Events: see `context.ts`.
 *
 * Events with a `block` batcher: `push` may return a promise when the
 * buffer is full; the event is accepted all the same, and `settled()`
 * resolves when the last such promise does (await it to respect the bound).
 *
 * @module
 */
import type { StateView, StepFn } from "../../lib/abi/compiled.ts";
import { GuardError, type Verdict } from "../../lib/abi/verdict.ts";
import type { HlcStamp, HlcTimestamp } from "../../lib/wire/stamp.ts";
import type { NodeContext } from "./node.ts";
import type { MonitorContext } from "./context.ts";
import { argValue } from "./param_codec.ts";
import type { MonitoredSpec } from "./monitored_spec.ts";
import { adoptObservedState, NO_DIVERGENCES } from "./observe.ts";
import type { ActionArgs, Divergence, Monitor, MonitorMode, StepOptions } from "./monitor_types.ts";
import { UNKNOWN_ACTION_INDEX, VERDICT_DIVERGENCE } from "../../lib/abi/verdict_codes.ts";

/** How a step is taken: `tryStep`, `step` (enforce mode throws), `check` (never applied). */
const TRY = 0;
const STEP = 1;
const CHECK = 2;
type How = typeof TRY | typeof STEP | typeof CHECK;

const NO_ARGS: readonly number[] = Object.freeze([]);

/** A monitor's rarely used fields. */
class Rare {
  violations = 0;
  last: Verdict | null = null;
  divergences: readonly Divergence[] = NO_DIVERGENCES;
  pending: PromiseLike<unknown> | null = null;
}

/** The monitor implementation (created by `LoadedSpec.monitor`). */
export class MonitorImpl implements Monitor {
  readonly #spec: MonitoredSpec;
  readonly #context: MonitorContext;
  readonly key: string;
  #inst: number;
  /** The instance block while steps need no event (no sink, not closed), else -1: one compare on the fast path. */
  #plain: number;
  /** Violation bookkeeping, created on first use (keeps an idle monitor small). */
  #rare: Rare | null = null;

  constructor(spec: MonitoredSpec, context: MonitorContext, key: string) {
    this.#spec = spec;
    this.#context = context;
    this.key = key;
    this.#inst = spec.takeBlock();
    this.#plain = context.sink === null ? this.#inst : -1;
  }

  get mode(): MonitorMode {
    return this.#context.mode;
  }
  get node(): NodeContext {
    return this.#context.node;
  }
  get violations(): number {
    return this.#rare?.violations ?? 0;
  }
  get lastViolation(): Verdict | null {
    return this.#rare?.last ?? null;
  }
  get divergences(): readonly Divergence[] {
    return this.#rare?.divergences ?? NO_DIVERGENCES;
  }
  get closed(): boolean {
    return this.#inst < 0;
  }
  get state(): StateView {
    const c = this.#spec.compiled;
    return c.view(c.readSlots(this.#live()));
  }

  step(action: string, args?: ActionArgs, options?: StepOptions): Verdict {
    const inst = this.#plain;
    if (inst >= 0 && options === undefined) {
      const spec = this.#spec;
      const code = spec.fastStep(inst, action, args);
      if (code === 0) return spec.ok;
      if (code > 0) return this.#refusedName(action, code, STEP);
      return this.#named(action, args, STEP);
    }
    const observed = options?.observed;
    if (observed !== undefined) return this.#observed(action, args, observed);
    return this.#named(action, args, STEP);
  }
  tryStep(action: string, args?: ActionArgs): Verdict {
    // Fast path (no sink, open): the spec's fast step, the shared `ok`.
    const inst = this.#plain;
    if (inst >= 0) {
      const spec = this.#spec;
      const code = spec.fastStep(inst, action, args);
      if (code === 0) return spec.ok;
      if (code > 0) return this.#refusedName(action, code, TRY);
    }
    return this.#named(action, args, TRY);
  }
  check(action: string, args?: ActionArgs): Verdict {
    return this.#named(action, args, CHECK);
  }
  stepIndex(action: number, a0 = NaN, a1 = NaN, a2 = NaN, a3 = NaN): Verdict {
    return this.#apply(action, a0, a1, a2, a3, STEP);
  }
  tryStepIndex(action: number, a0 = NaN, a1 = NaN, a2 = NaN, a3 = NaN): Verdict {
    return this.#apply(action, a0, a1, a2, a3, TRY);
  }
  checkIndex(action: number, a0 = NaN, a1 = NaN, a2 = NaN, a3 = NaN): Verdict {
    return this.#apply(action, a0, a1, a2, a3, CHECK);
  }

  /**
   * The instance block while steps need no event (no sink, not closed),
   * else -1: a typed monitor's fast path steps the block directly then.
   */
  get fastInst(): number {
    return this.#plain;
  }

  /** Whether a refused `step` throws (enforce mode). */
  get enforcing(): boolean {
    return this.#context.enforce;
  }

  /**
   * Records the failing verdict `code` of action index `a` stepped directly
   * on {@link fastInst} (violation count, last violation, `onViolation`);
   * returns the verdict, never throws for it.
   */
  refusedIndex(a: number, code: number): Verdict {
    const spec = this.#spec;
    const v = spec.verdicts[code] ?? spec.verdict(code);
    this.#record(spec.actions[a] ?? "", v);
    return v;
  }

  /**
   * Records the failing code of a step taken by the fast step (cold path);
   * throws `GuardError` for an enforcing `step`.
   */
  #refusedName(action: string, code: number, how: How): Verdict {
    const v = this.#spec.verdict(code);
    this.#refused(action, v, how);
    return v;
  }

  /** Raw step with an argument array (actions of more than 4 parameters). */
  stepArgs(action: number, args: readonly number[], how: How = STEP): Verdict {
    return this.#wide(this.#exportOf(action, how), action, args, how);
  }

  stamp(): HlcStamp {
    return this.#context.node.clock.stamp();
  }
  observe(stamp: HlcStamp | HlcTimestamp): void {
    this.#context.node.clock.observe(stamp);
  }
  stateBytes(): Uint8Array {
    return this.#spec.compiled.stateBytes(this.#live());
  }
  setStateBytes(bytes: Uint8Array): void {
    this.#spec.compiled.setStateBytes(this.#live(), bytes);
  }
  settled(): Promise<void> {
    const p = this.#rare?.pending ?? null;
    return p === null ? Promise.resolve() : Promise.resolve(p).then(() => {});
  }
  close(): void {
    if (this.#inst < 0) return;
    this.#spec.releaseBlock(this.#inst);
    this.#inst = -1;
    this.#plain = -1;
  }

  #live(): number {
    const inst = this.#inst;
    if (inst < 0) {
      throw new TypeError(`Monitor '${this.key}' of spec '${this.#spec.meta.name}' is closed`);
    }
    return inst;
  }

  #exportOf(action: number, how: How): StepFn {
    const fn = (how === CHECK ? this.#spec.checks : this.#spec.steps)[action];
    if (fn === undefined) {
      throw new RangeError(`Unknown action index ${action} of spec '${this.#spec.meta.name}'`);
    }
    return fn;
  }

  #named(action: string, args: ActionArgs | undefined, how: How): Verdict {
    let a: number | undefined = this.#spec.actionId(action);
    if (a < 0) {
      a = this.#spec.actionsByName.get(action);
      if (a === undefined) return this.#unknown(action, how);
    }
    const ps = this.#spec.params[a]!;
    switch (ps.length) {
      case 0:
        return this.#apply(a, 0, 0, 0, 0, how);
      case 1:
        return this.#apply(a, argValue(ps[0]!, args), 0, 0, 0, how);
      case 2:
        return this.#apply(a, argValue(ps[0]!, args), argValue(ps[1]!, args), 0, 0, how);
      case 3: {
        const x0 = argValue(ps[0]!, args), x1 = argValue(ps[1]!, args);
        return this.#apply(a, x0, x1, argValue(ps[2]!, args), 0, how);
      }
      case 4: {
        const x0 = argValue(ps[0]!, args), x1 = argValue(ps[1]!, args);
        return this.#apply(a, x0, x1, argValue(ps[2]!, args), argValue(ps[3]!, args), how);
      }
      default:
        return this.#wide(this.#exportOf(a, how), a, ps.map((p) => argValue(p, args)), how);
    }
  }

  #apply(a: number, x0: number, x1: number, x2: number, x3: number, how: How): Verdict {
    const inst = this.#inst;
    const spec = this.#spec;
    if (inst < 0 || (a >>> 0) !== a || a >= spec.actions.length) throw this.#misuse(a);
    // One dispatcher export for every action: a monomorphic call site.
    const code = how === CHECK
      ? spec.dispatchCheck(inst, a, x0, x1, x2, x3)
      : spec.dispatchStep(inst, a, x0, x1, x2, x3);
    const v = spec.verdicts[code] ?? spec.verdict(code);
    if (how === CHECK) return v;
    const context = this.#context;
    if (context.sink !== null) {
      const r = context.emitStep(spec, inst, this.key, a, code, x0, x1, x2, x3);
      if (r !== null) (this.#rare ??= new Rare()).pending = r;
    }
    if (code !== 0) this.#refused(spec.actions[a]!, v, how);
    return v;
  }

  /** The error of a closed monitor or an action index out of range (cold path). */
  #misuse(a: number): Error {
    this.#live();
    return new RangeError(`Unknown action index ${a} of spec '${this.#spec.meta.name}'`);
  }

  #wide(fn: StepFn, a: number, xs: readonly number[], how: How): Verdict {
    const code = fn(this.#live(), ...xs);
    const v = this.#spec.verdict(code);
    if (how === CHECK) return v;
    if (this.#context.sink !== null) this.#emit(a, code, xs);
    if (code !== 0) this.#refused(this.#spec.actions[a]!, v, how);
    return v;
  }

  #unknown(action: string, how: How): Verdict {
    const v = this.#spec.verdict(1);
    if (how === CHECK) return v;
    this.#live();
    if (this.#context.sink !== null) this.#emit(UNKNOWN_ACTION_INDEX, 1, NO_ARGS);
    this.#refused(action, v, how);
    return v;
  }

  #refused(action: string, v: Verdict, how: How): void {
    this.#record(action, v);
    if (how === STEP && this.#context.enforce) {
      throw new GuardError(action, v, this.#spec.meta.name);
    }
  }

  #record(action: string, v: Verdict): void {
    const rare = this.#rare ??= new Rare();
    rare.violations++;
    rare.last = v;
    const cb = this.#context.onViolation;
    if (cb !== null) cb({ verdict: v, action, key: this.key, monitor: this });
  }

  #emit(action: number, verdict: number, args: ArrayLike<number>): void {
    const r = this.#context.emit(this.#spec, this.#inst, this.key, action, verdict, args);
    if (r !== null) (this.#rare ??= new Rare()).pending = r;
  }

  #observed(action: string, args: ActionArgs | undefined, observed: StateView): Verdict {
    const spec = this.#spec, c = spec.compiled;
    const a = spec.actionsByName.get(action);
    if (a === undefined) return this.#unknown(action, STEP);
    const xs = spec.params[a]!.map((p) => argValue(p, args));
    const inst = this.#live();
    const pre = c.readSlots(inst);
    c.slotsOf(observed, pre);
    const code = spec.steps[a]!(inst, ...xs);
    const v = spec.verdict(code);
    if (code !== 0 && this.#context.enforce) {
      if (this.#context.sink !== null) this.#emit(a, code, xs);
      this.#refused(action, v, STEP);
    }
    const found = adoptObservedState(spec, a, { inst, code, pre, observed });
    if (found.length > 0 || this.#rare !== null) (this.#rare ??= new Rare()).divergences = found;
    if (this.#context.sink !== null) {
      this.#emit(a, code !== 0 ? code : found.length > 0 ? VERDICT_DIVERGENCE : 0, xs);
    }
    if (code !== 0) this.#record(action, v);
    for (const d of found) this.#record(action, d);
    return code !== 0 ? v : found[0] ?? v;
  }
}
