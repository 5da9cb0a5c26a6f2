/**
 * Many instances of one spec without a JavaScript object per instance: a
 * pool hands out integer handles, each the index of an instance block in
 * the compiled module's memory, and keeps the keys in a compact table
 * (UTF-8 bytes in one arena, a hash index of handles; see `key_table.ts`).
 * A step names the handle: `pool.step(handle, action, args)`. What a step
 * does is what `Monitor.step` does on a monitor with the same options
 * (same verdicts, same state, same events, same violation bookkeeping,
 * counted per pool); only the observe path with a reported state
 * (`observed`) is the monitor's alone.
 *
 * Per live instance the pool holds the state block (`meta.stride` bytes),
 * the key's UTF-8 bytes plus one length byte, a 3-byte key offset and a
 * 4-byte hash slot (3 bytes at most 3/4 full; each 4 bytes beyond 16 MiB of
 * keys or 16M handles); nothing else, and no JavaScript heap object.
 *
 * @module
 */
import type { StateView } from "../../lib/abi/compiled.ts";
import { GuardError, type Verdict } from "../../lib/abi/verdict.ts";
import { UNKNOWN_ACTION_INDEX } from "../../lib/abi/verdict_codes.ts";
import { MonitorContext } from "./context.ts";
import { KeyTable } from "./key_table.ts";
import { type LoadedSpec, LoadedSpecImpl } from "./load_spec.ts";
import { checkKeyLength, type NodeContext } from "./node.ts";
import type { HybridClock } from "./clock.ts";
import { argValue } from "./param_codec.ts";
import type { ActionArgs, EventSink, MonitorMode } from "./monitor_types.ts";

/**
 * A failing verdict of a pool's step: what `onViolation` receives.
 *
 * @example Count refusals per key
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadSpec } from "./load_spec.ts";
 * import { createMonitorPool, type PoolViolation } from "./monitor_pool.ts";
 * const lease = await loadSpec(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const seen: PoolViolation[] = [];
 * const pool = createMonitorPool(lease, { onViolation: (v) => void seen.push(v) });
 * const h = pool.open("lock:a");
 * pool.tryStep(h, "release", { c: 1 });
 * assert.deepEqual([seen[0]?.key, seen[0]?.handle, seen[0]?.action], ["lock:a", h, "release"]);
 * ```
 */
export interface PoolViolation {
  /** The failing verdict. */
  readonly verdict: Verdict;
  /** The action name as the caller gave it. */
  readonly action: string;
  /** The instance's key. */
  readonly key: string;
  /** The instance's handle. */
  readonly handle: number;
}

/**
 * Options of {@link createMonitorPool}: those of a monitor, for every
 * instance of the pool, and a size hint.
 *
 * @example An observing pool on node api-1, sized for 10,000 keys
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadSpec } from "./load_spec.ts";
 * import { createMonitorPool, type MonitorPoolOptions } from "./monitor_pool.ts";
 * const lease = await loadSpec(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const options: MonitorPoolOptions = { node: "api-1", mode: "observe", capacity: 10_000 };
 * const pool = createMonitorPool(lease, options);
 * const h = pool.open("lock:a");
 * assert.equal(pool.step(h, "release", { c: 0 }).kind, "guard_failed"); // observe: returned, not thrown
 * assert.equal(pool.node.id, "api-1");
 * ```
 */
export interface MonitorPoolOptions {
  /** Node id or shared node context. Default `"local"`. */
  readonly node?: string | NodeContext;
  /** `enforce` (default): a refused `step` throws `GuardError`; `observe`: it returns the verdict. */
  readonly mode?: MonitorMode;
  /** Where step events go (a batcher, or anything with `push`). Default: none. */
  readonly sink?: EventSink;
  /** The node's clock when `node` is an id seen for the first time. */
  readonly clock?: HybridClock;
  /** Called for each failing verdict of `step` and `tryStep`. */
  readonly onViolation?: (violation: PoolViolation) => void;
  /** How many instances to size the key table for (it grows beyond). Default 0. */
  readonly capacity?: number;
}

/**
 * Keyed instances of one spec, each an integer handle.
 *
 * @example Open instances by key and step them by handle
 * ```ts
 * import assert from "node:assert/strict";
 * import { GuardError } from "../../lib/abi/verdict.ts";
 * import { loadSpec } from "./load_spec.ts";
 * import { createMonitorPool, type MonitorPool } from "./monitor_pool.ts";
 * const lease = await loadSpec(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const pool: MonitorPool = createMonitorPool(lease);
 * const a = pool.open("lock:a"), b = pool.open("lock:b");
 * assert.equal(pool.open("lock:a"), a); // the same key, the same handle
 * assert.equal(pool.step(a, "acquire", { c: 2 }).kind, "ok");
 * assert.equal(pool.tryStep(a, "acquire", { c: 3 }).kind, "guard_failed");
 * assert.throws(() => pool.step(a, "acquire", { c: 3 }), GuardError);
 * assert.equal(pool.state(a).owner, 2);
 * assert.equal(pool.state(b).mode, "free");
 * assert.deepEqual([pool.key(b), pool.handle("lock:b"), pool.size, pool.violations], ["lock:b", b, 2, 2]);
 * pool.close(a);
 * assert.equal(pool.handle("lock:a"), -1);
 * assert.throws(() => pool.step(a, "release", { c: 2 }), RangeError);
 * ```
 */
export interface MonitorPool {
  /** The loaded spec of every instance. */
  readonly spec: LoadedSpec;
  /** `enforce` or `observe`. */
  readonly mode: MonitorMode;
  /** The node the instances' events come from. */
  readonly node: NodeContext;
  /** The number of live instances. */
  readonly size: number;
  /** Failing verdicts of `step`/`tryStep` over the pool's life. */
  readonly violations: number;
  /** The last failing verdict, or null. */
  readonly lastViolation: Verdict | null;
  /** Bytes the pool's key table holds (the state blocks are in the compiled module's memory). */
  readonly keyBytes: number;
  /**
   * The handle of `key`, opening an instance in the initial state when the
   * key is new; throws `RangeError` for a new key longer than the node's
   * `maxKeyBytes` (default `DEFAULT_MAX_KEY_BYTES`, 4 096) UTF-8 bytes,
   * which a collector refuses by default.
   */
  open(key: string): number;
  /** The handle of `key`, or -1 when no instance of the pool has it. */
  handle(key: string): number;
  /** Whether `handle` is a live instance of this pool. */
  has(handle: number): boolean;
  /** The key of a live handle. */
  key(handle: number): string;
  /** Steps an action; a refusal throws `GuardError` in enforce mode. */
  step(handle: number, action: string, args?: ActionArgs): Verdict;
  /** Steps when allowed; returns the verdict, never throws for one. */
  tryStep(handle: number, action: string, args?: ActionArgs): Verdict;
  /** The verdict stepping would give, never applied, recorded or emitted. */
  check(handle: number, action: string, args?: ActionArgs): Verdict;
  /** `tryStep` by action index with f64 arguments (labels as indexes, booleans 0/1). */
  tryStepIndex(
    handle: number,
    action: number,
    a0?: number,
    a1?: number,
    a2?: number,
    a3?: number,
  ): Verdict;
  /** The decoded state of a live handle. */
  state(handle: number): StateView;
  /** A copy of a live handle's packed state block. */
  stateBytes(handle: number): Uint8Array;
  /** Frees an instance: its block goes back to the spec for reuse, its key is forgotten. */
  close(handle: number): void;
  /** The live handles, in handle order. */
  handles(): IterableIterator<number>;
}

const TRY = 0;
const STEP = 1;
const CHECK = 2;
type How = typeof TRY | typeof STEP | typeof CHECK;

const MODES: readonly MonitorMode[] = ["enforce", "observe"];

/** The pool behind {@link MonitorPool}. */
class MonitorPoolImpl implements MonitorPool {
  readonly spec: LoadedSpecImpl;
  readonly #context: MonitorContext;
  readonly #keys: KeyTable;
  readonly #onViolation: ((v: PoolViolation) => void) | null;
  readonly #sinkless: boolean;
  #violations = 0;
  #lastViolation: Verdict | null = null;

  constructor(spec: LoadedSpecImpl, options: MonitorPoolOptions) {
    const mode = options.mode ?? "enforce";
    if (!MODES.includes(mode)) {
      throw new TypeError(`Option 'mode' must be 'enforce' or 'observe', got '${String(mode)}'`);
    }
    const sink = options.sink ?? null;
    if (sink !== null && typeof sink.push !== "function") {
      throw new TypeError("Option 'sink' must have a 'push' method");
    }
    const capacity = options.capacity ?? 0;
    if (!Number.isInteger(capacity) || capacity < 0) {
      throw new RangeError(`Option 'capacity' must be a non-negative integer, got '${capacity}'`);
    }
    const onViolation = options.onViolation ?? null;
    if (onViolation !== null && typeof onViolation !== "function") {
      throw new TypeError("Option 'onViolation' must be a function");
    }
    const n = options.node ?? "local";
    let node: NodeContext;
    if (typeof n === "string") node = spec.node(n, options.clock);
    else {
      if (options.clock !== undefined && options.clock !== n.clock) {
        throw new TypeError(`Option 'clock' conflicts with the clock of node context '${n.id}'`);
      }
      node = n;
    }
    this.spec = spec;
    this.#context = new MonitorContext({ spec: spec.hash, specName: spec.name }, {
      node,
      mode,
      sink,
      onViolation: null,
    });
    this.#keys = new KeyTable(capacity);
    this.#onViolation = onViolation;
    this.#sinkless = sink === null;
  }

  get mode(): MonitorMode {
    return this.#context.mode;
  }
  get node(): NodeContext {
    return this.#context.node;
  }
  get size(): number {
    return this.#keys.size;
  }
  get violations(): number {
    return this.#violations;
  }
  get lastViolation(): Verdict | null {
    return this.#lastViolation;
  }
  get keyBytes(): number {
    return this.#keys.bytes;
  }

  open(key: string): number {
    const found = this.#keys.find(key);
    if (found >= 0) return found;
    checkKeyLength(key, this.#context.node);
    const handle = this.spec.takeBlock();
    this.#keys.add(key, handle);
    return handle;
  }

  handle(key: string): number {
    return this.#keys.find(key);
  }

  has(handle: number): boolean {
    return this.#keys.has(handle);
  }

  key(handle: number): string {
    this.#live(handle);
    return this.#keys.keyOf(handle);
  }

  step(handle: number, action: string, args?: ActionArgs): Verdict {
    if (this.#sinkless && this.#keys.has(handle)) {
      const spec = this.spec;
      const code = spec.fastStep(handle, action, args);
      if (code === 0) return spec.ok;
      if (code > 0) return this.#refused(handle, action, code, STEP);
    }
    return this.#named(handle, action, args, STEP);
  }

  tryStep(handle: number, action: string, args?: ActionArgs): Verdict {
    if (this.#sinkless && this.#keys.has(handle)) {
      // Fast path, as the monitor's: the spec's fast step, the shared `ok`.
      const spec = this.spec;
      const code = spec.fastStep(handle, action, args);
      if (code === 0) return spec.ok;
      if (code > 0) return this.#refused(handle, action, code, TRY);
    }
    return this.#named(handle, action, args, TRY);
  }

  check(handle: number, action: string, args?: ActionArgs): Verdict {
    return this.#named(handle, action, args, CHECK);
  }

  tryStepIndex(handle: number, action: number, a0 = NaN, a1 = NaN, a2 = NaN, a3 = NaN): Verdict {
    const spec = this.spec;
    if ((action >>> 0) !== action || action >= spec.actions.length) {
      throw new RangeError(`Unknown action index ${action} of spec '${spec.name}'`);
    }
    return this.#apply(handle, action, a0, a1, a2, a3, TRY);
  }

  state(handle: number): StateView {
    const c = this.spec.compiled;
    return c.view(c.readSlots(this.#live(handle)));
  }

  stateBytes(handle: number): Uint8Array {
    return this.spec.compiled.stateBytes(this.#live(handle));
  }

  close(handle: number): void {
    if (!this.#keys.has(handle)) return;
    this.#keys.remove(handle);
    this.spec.releaseBlock(handle);
  }

  handles(): IterableIterator<number> {
    return this.#keys.handles();
  }

  #live(handle: number): number {
    if (!this.#keys.has(handle)) {
      throw new RangeError(
        `Handle ${String(handle)} is not a live instance of this pool of spec '${this.spec.name}'`,
      );
    }
    return handle;
  }

  #named(handle: number, action: string, args: ActionArgs | undefined, how: How): Verdict {
    this.#live(handle);
    const spec = this.spec;
    let a: number | undefined = spec.actionId(action);
    if (a < 0) a = spec.actionsByName.get(action);
    if (a === undefined) {
      const v = spec.verdict(1);
      if (how === CHECK) return v;
      if (!this.#sinkless) {
        this.#context.emit(spec, handle, this.#keys.keyOf(handle), UNKNOWN_ACTION_INDEX, 1, []);
      }
      return this.#refusedVerdict(handle, action, v, how);
    }
    const ps = spec.params[a]!;
    if (ps.length > 4) return this.#wide(handle, a, ps.map((p) => argValue(p, args)), how);
    const x0 = ps.length > 0 ? argValue(ps[0]!, args) : NaN;
    const x1 = ps.length > 1 ? argValue(ps[1]!, args) : NaN;
    const x2 = ps.length > 2 ? argValue(ps[2]!, args) : NaN;
    const x3 = ps.length > 3 ? argValue(ps[3]!, args) : NaN;
    return this.#apply(handle, a, x0, x1, x2, x3, how);
  }

  #apply(
    handle: number,
    a: number,
    x0: number,
    x1: number,
    x2: number,
    x3: number,
    how: How,
  ): Verdict {
    this.#live(handle);
    const spec = this.spec;
    const code = how === CHECK
      ? spec.dispatchCheck(handle, a, x0, x1, x2, x3)
      : spec.dispatchStep(handle, a, x0, x1, x2, x3);
    if (how === CHECK) return spec.verdict(code);
    if (!this.#sinkless) {
      this.#context.emitStep(spec, handle, this.#keys.keyOf(handle), a, code, x0, x1, x2, x3);
    }
    return code === 0 ? spec.verdicts[0]! : this.#refused(handle, spec.actions[a]!, code, how);
  }

  #wide(handle: number, a: number, xs: readonly number[], how: How): Verdict {
    const spec = this.spec;
    const code = (how === CHECK ? spec.checks : spec.steps)[a]!(handle, ...xs);
    if (how === CHECK) return spec.verdict(code);
    if (!this.#sinkless) this.#context.emit(spec, handle, this.#keys.keyOf(handle), a, code, xs);
    return code === 0 ? spec.verdicts[0]! : this.#refused(handle, spec.actions[a]!, code, how);
  }

  #refused(handle: number, action: string, code: number, how: How): Verdict {
    return this.#refusedVerdict(handle, action, this.spec.verdict(code), how);
  }

  /** Records a failing verdict; throws it as `GuardError` for an enforcing `step`. */
  #refusedVerdict(handle: number, action: string, v: Verdict, how: How): Verdict {
    this.#violations++;
    this.#lastViolation = v;
    const cb = this.#onViolation;
    if (cb !== null) cb({ verdict: v, action, key: this.#keys.keyOf(handle), handle });
    if (how === STEP && this.#context.enforce) throw new GuardError(action, v, this.spec.name);
    return v;
  }
}

/**
 * Creates a pool of instances of `spec`, all with the same options.
 *
 * @param spec A spec loaded by `loadSpec` or `specFromCompiled`.
 * @param options Node, mode, sink, violation callback and size hint.
 * @throws {TypeError} When `spec` was not loaded by this SDK or an option is invalid.
 *
 * @example A million locks, one handle each
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadSpec } from "./load_spec.ts";
 * import { createMonitorPool } from "./monitor_pool.ts";
 * const lease = await loadSpec(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const pool = createMonitorPool(lease, { capacity: 1000 });
 * for (let i = 0; i < 1000; i++) pool.tryStep(pool.open(`lock:${i}`), "acquire", { c: i % 4 });
 * assert.equal(pool.state(pool.handle("lock:7")).owner, 3);
 * assert.equal(pool.size, 1000);
 * ```
 */
export function createMonitorPool(spec: LoadedSpec, options: MonitorPoolOptions = {}): MonitorPool {
  if (!(spec instanceof LoadedSpecImpl)) {
    throw new TypeError("A monitor pool takes a spec loaded by 'loadSpec' or 'specFromCompiled'");
  }
  return new MonitorPoolImpl(spec, options);
}
