/**
 * `wrap`: puts an existing object's or class's methods under a spec, each
 * mapped method call checked as an action.
 *
 * Each receiver (`this`) gets its own monitor, created on its first mapped
 * call with the key `options.key` (a string, or a function of the
 * receiver); a receiver that is garbage collected gives its block back.
 *
 * Enforce (default): the transition is taken when the call starts, before
 * the method runs. Refused: `GuardError`, the method does not run, the
 * state is unchanged. Allowed: the method runs; if it throws, or the
 * promise it returns rejects, the transition is rolled back (the pre-state
 * restored) provided the instance is still in the state that this
 * transition produced; if another call has stepped it since, the state is
 * left as is (the later steps were checked against it). Taking the
 * transition first means a concurrent call of an async method is checked
 * against the state it will have, not the state before. The step event is
 * emitted when the transition is taken; a rollback emits no event.
 *
 * Observe: the method runs first; when it returns (or its promise
 * fulfills) the action is stepped in observe mode, with `observed:
 * options.state(receiver)` when given (divergences, continue from the
 * reported state); a method that throws or rejects is not stepped.
 *
 * @module
 */
import type { StateView } from "../../lib/abi/compiled.ts";
import type { NodeContext } from "./node.ts";
import type {
  ActionArgs,
  EventSink,
  Monitor,
  MonitorMode,
  ViolationEvent,
} from "./monitor_types.ts";
import type { LoadedSpec } from "./load_spec.ts";

/**
 * How one method maps to an action: its name, and how its call arguments become the action's.
 *
 * @example A method whose arguments are not the action's
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadSpec } from "./load_spec.ts";
 * import { type ActionMapping, wrap } from "./wrap.ts";
 * const lease = await loadSpec(new URL("../../dist/lease.core.wasm", import.meta.url));
 * class Lock {
 *   take(_who: { id: number }) {}
 * }
 * const take: ActionMapping = { action: "acquire", args: (who: { id: number }) => ({ c: who.id }) };
 * const wrapped = wrap(Lock, lease, { key: "lock:a", actions: { take } });
 * const lock = new Lock();
 * lock.take({ id: 2 });
 * assert.equal(wrapped.monitorOf(lock).state.owner, 2);
 * ```
 */
export interface ActionMapping {
  /** The action's name in the spec. */
  readonly action: string;
  /** Default: the call's positional arguments, in the action's parameter order. */
  readonly args?: (...methodArgs: never[]) => ActionArgs;
}

/**
 * Options of {@link wrap}.
 *
 * @example One monitor per receiver, keyed by its name
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadSpec } from "./load_spec.ts";
 * import { wrap, type WrapOptions } from "./wrap.ts";
 * const lease = await loadSpec(new URL("../../dist/lease.core.wasm", import.meta.url));
 * class Lock {
 *   constructor(readonly name: string) {}
 *   take(_c: number) {}
 * }
 * const options: WrapOptions<Lock> = { key: (self) => `lock:${self.name}`, actions: { take: "acquire" } };
 * const wrapped = wrap(Lock, lease, options);
 * const orders = new Lock("orders");
 * orders.take(1);
 * assert.equal(wrapped.monitorOf(orders).key, "lock:orders");
 * ```
 */
export interface WrapOptions<T extends object> {
  /** The instance key, or a function of the receiver. */
  readonly key: string | ((self: T) => string);
  /** Method name -> action name, or mapping. */
  readonly actions: Readonly<Record<string, string | ActionMapping>>;
  /** Default `enforce`. */
  readonly mode?: MonitorMode;
  /** Node id or shared node context. Default `"local"`. */
  readonly node?: string | NodeContext;
  /** Where step events go. Default: none. */
  readonly sink?: EventSink;
  /** Observe mode: the receiver's actual state after a call (possibly partial). */
  readonly state?: (self: T) => StateView;
  /** Called for each failing verdict and each divergence. */
  readonly onViolation?: (violation: ViolationEvent) => void;
}

/**
 * What {@link wrap} returns.
 *
 * @example Unwrap restores the original methods
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadSpec } from "./load_spec.ts";
 * import { type Wrapped, wrap } from "./wrap.ts";
 * const lease = await loadSpec(new URL("../../dist/lease.core.wasm", import.meta.url));
 * class Lock {
 *   take(_c: number) {}
 * }
 * const original = Lock.prototype.take;
 * const wrapped: Wrapped<Lock> = wrap(Lock, lease, { key: "lock:a", actions: { take: "acquire" } });
 * assert.notEqual(Lock.prototype.take, original);
 * wrapped.unwrap();
 * assert.equal(Lock.prototype.take, original);
 * ```
 */
export interface Wrapped<T extends object> {
  /** The monitor of a receiver (created on demand). */
  monitorOf(self: T): Monitor;
  /** Restores the original methods (monitors stay usable). */
  unwrap(): void;
}

type Method = (...args: unknown[]) => unknown;

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return typeof x === "object" && x !== null &&
    typeof (x as PromiseLike<unknown>).then === "function";
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Builds the argument mapper of one method. */
function argMapper(spec: LoadedSpec, method: string, m: string | ActionMapping) {
  const action = typeof m === "string" ? m : m.action;
  const a = spec.actionIndex(action);
  if (a < 0) {
    throw new TypeError(`Method '${method}' maps to unknown action '${action}' of '${spec.name}'`);
  }
  const custom = typeof m === "string" ? undefined : m.args as ((...x: unknown[]) => ActionArgs);
  const names = spec.meta.actions[a]!.params.map((p) => p.name);
  // From entries: a parameter named `__proto__` stays an own key.
  const map = custom ??
    ((...xs: unknown[]): ActionArgs => Object.fromEntries(names.map((n, i) => [n, xs[i]])));
  return { action, map };
}

/** Undoes a taken transition when the instance is still in the state it produced. */
function rollback(m: Monitor, before: Uint8Array, after: Uint8Array): void {
  if (!m.closed && sameBytes(m.stateBytes(), after)) m.setStateBytes(before);
}

function enforced(m: Monitor, action: string, args: ActionArgs, run: () => unknown): unknown {
  const before = m.stateBytes();
  m.step(action, args);
  const after = m.stateBytes();
  let result: unknown;
  try {
    result = run();
  } catch (e) {
    rollback(m, before, after);
    throw e;
  }
  if (!isThenable(result)) return result;
  return Promise.resolve(result).catch((e: unknown) => {
    rollback(m, before, after);
    throw e;
  });
}

function observed(
  m: Monitor,
  action: string,
  args: ActionArgs,
  run: () => unknown,
  state?: () => StateView,
): unknown {
  const result = run();
  const commit = () => {
    if (state === undefined) m.step(action, args);
    else m.step(action, args, { observed: state() });
  };
  if (!isThenable(result)) {
    commit();
    return result;
  }
  return Promise.resolve(result).then((value) => {
    commit();
    return value;
  });
}

/**
 * Wraps the methods named in `options.actions` of an object, or of a
 * class's prototype (pass the class), so each call is checked as its action.
 *
 * @throws {TypeError} When a mapped method is missing or maps to an unknown action.
 *
 * @example Guard a lock object
 * ```ts ignore
 * import { loadSpec, wrap } from "../../mod.ts";
 * const lease = await loadSpec("dist/lease.js");
 * class Lock { take(c: number) {} give(c: number) {} }
 * wrap(Lock, lease, { key: "lock:orders", actions: { take: "acquire", give: "release" } });
 * const lock = new Lock();
 * lock.take(2);
 * lock.take(3); // throws GuardError: require mode == free
 * ```
 */
export function wrap<T extends object>(
  target: T | (abstract new (...args: never[]) => T),
  spec: LoadedSpec,
  options: WrapOptions<T>,
): Wrapped<T> {
  const holder = (typeof target === "function" ? target.prototype : target) as Record<
    string,
    unknown
  >;
  const mode = options.mode ?? "enforce";
  const monitors = new WeakMap<object, Monitor>();
  const registry = new FinalizationRegistry<Monitor>((m) => m.close());
  const monitorOf = (self: T): Monitor => {
    let m = monitors.get(self);
    if (m === undefined) {
      const key = typeof options.key === "function" ? options.key(self) : options.key;
      m = spec.monitor({ key, mode, ...pick(options) });
      monitors.set(self, m);
      registry.register(self, m);
    }
    return m;
  };
  const restore: (() => void)[] = [];
  for (const [method, mapping] of Object.entries(options.actions)) {
    const original = holder[method];
    if (typeof original !== "function") {
      throw new TypeError(`Cannot wrap '${method}': not a method of the target`);
    }
    const { action, map } = argMapper(spec, method, mapping);
    const own = Object.getOwnPropertyDescriptor(holder, method);
    const state = options.state;
    const wrapped = function (this: T, ...callArgs: unknown[]): unknown {
      const m = monitorOf(this);
      const args = map(...callArgs);
      const run = () => (original as Method).apply(this, callArgs);
      if (mode === "enforce") return enforced(m, action, args, run);
      return observed(m, action, args, run, state && (() => state(this)));
    };
    Object.defineProperty(wrapped, "name", { value: method });
    Object.defineProperty(holder, method, {
      value: wrapped,
      writable: true,
      configurable: true,
      enumerable: own?.enumerable ?? false,
    });
    restore.push(() => {
      if (own !== undefined) Object.defineProperty(holder, method, own);
      else delete holder[method];
    });
  }
  return { monitorOf, unwrap: () => restore.splice(0).forEach((r) => r()) };
}

function pick<T extends object>(o: WrapOptions<T>) {
  return {
    ...(o.node !== undefined ? { node: o.node } : {}),
    ...(o.sink !== undefined ? { sink: o.sink } : {}),
    ...(o.onViolation !== undefined ? { onViolation: o.onViolation } : {}),
  };
}
