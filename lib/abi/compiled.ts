/**
 * The interface of a loaded compiled spec: the thin, scalar layer over the
 * component's exports that the SDK, the collector and generated classes use.
 * Implemented by `loadCompiled` in `loader.ts`.
 *
 * @module
 */
import type { SpecMeta } from "./meta.ts";
import type { Verdict } from "./verdict.ts";

/**
 * A raw step or check export: `(instance, ...args as f64) => verdict code`.
 *
 * @example Step an instance through the raw export
 * ```ts
 * import assert from "node:assert/strict";
 * import type { StepFn } from "./compiled.ts";
 * import { loadCompiled } from "./loader.ts";
 * const lease = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const inst = lease.create();
 * const acquire: StepFn = lease.stepFn(lease.actionIndex("acquire"));
 * assert.equal(acquire(inst, 2), 0);
 * assert.notEqual(acquire(inst, 3), 0);
 * ```
 */
export type StepFn = (inst: number, ...args: number[]) => number;

/**
 * A raw dispatcher export (`dispatch-step` or `dispatch-check`):
 * `(instance, action index, a0, a1, ...) => verdict code`, the action's
 * arguments first (missing ones are NaN, extra ones ignored); 1
 * (`unknown_action`) for an index the spec does not have. One function for
 * every action, so a caller's call site stays monomorphic.
 *
 * @example One function for every action
 * ```ts
 * import assert from "node:assert/strict";
 * import type { DispatchFn } from "./compiled.ts";
 * import { loadCompiled } from "./loader.ts";
 * const lease = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const inst = lease.create();
 * const dispatch: DispatchFn | undefined = lease.dispatchStep;
 * assert.equal(dispatch?.(inst, lease.actionIndex("acquire"), 1), 0);
 * ```
 */
export type DispatchFn = (inst: number, action: number, ...args: number[]) => number;

/**
 * A decoded state: enum labels as strings, bools as booleans, maps as objects keyed by key.
 *
 * @example A decoded state
 * ```ts
 * import assert from "node:assert/strict";
 * import type { StateView } from "./compiled.ts";
 * import { loadCompiled } from "./loader.ts";
 * const lease = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const inst = lease.create();
 * const view: StateView = lease.view(lease.readSlots(inst));
 * assert.equal(view.mode, "free");
 * ```
 */
export type StateView = Record<string, unknown>;

/**
 * A compiled spec loaded from its jco bindings, with instance state in WASM memory.
 *
 * @example Create an instance, step it, read its state
 * ```ts
 * import assert from "node:assert/strict";
 * import type { CompiledSpec } from "./compiled.ts";
 * import { loadCompiled } from "./loader.ts";
 * const spec: CompiledSpec = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const inst = spec.create();
 * const acquire = spec.actionIndex("acquire");
 * assert.equal(spec.stepFn(acquire)(inst, ...spec.encodeArgs(acquire, { c: 2 })), 0);
 * assert.deepEqual(spec.view(spec.readSlots(inst)).owner, 2);
 * spec.reset(inst);
 * assert.equal(spec.view(spec.readSlots(inst)).mode, "free");
 * ```
 */
export interface CompiledSpec {
  /** The spec's metadata: name, hash, layout, actions, properties and verdict table. */
  readonly meta: SpecMeta;
  /** Allocates `count` (default 1) new instances in the initial state; returns the first index. */
  create(count?: number): number;
  /** Puts an instance back in the initial state. */
  reset(inst: number): void;
  /** The number of instances allocated. */
  readonly instances: number;
  /** Index of an action by name, or -1. */
  actionIndex(name: string): number;
  /** The raw step export of an action (hot path: no allocation). */
  stepFn(action: number): StepFn;
  /** The raw check export of an action: the full verdict, never applied. */
  checkFn(action: number): StepFn;
  /**
   * `dispatch-step`: steps action `action` (hot path: one function for all
   * actions). Optional for other implementations of this interface; the
   * loader always provides it (a JavaScript dispatcher over `stepFn` for
   * bindings compiled before the export existed).
   */
  readonly dispatchStep?: DispatchFn;
  /** `dispatch-check`: the verdict of action `action`, never applied. */
  readonly dispatchCheck?: DispatchFn;
  /** Encodes named arguments (enum labels, booleans, numbers, bigints) to the f64 list of an action. */
  encodeArgs(action: number, args: Readonly<Record<string, unknown>>): number[];
  /** Reads an instance's slots. */
  readSlots(inst: number): bigint[];
  /** Writes an instance's slots; returns 0, or the index+1 of the first slot whose value is outside its type. */
  writeSlots(inst: number, slots: readonly bigint[]): number;
  /** A copy of an instance's packed state block (`meta.stride` bytes). */
  stateBytes(inst: number): Uint8Array;
  /**
   * Copies an instance's packed state block into `target` at `offset`
   * (`meta.stride` bytes) without allocating: the event hot path.
   */
  copyState(inst: number, target: Uint8Array, offset: number): void;
  /**
   * Copies an instance's packed state block into `target` at any `offset`
   * (`meta.stride` bytes), word by word, without allocating: the batcher
   * writes event states with it. Optional for other implementations of
   * this interface; the loader provides it.
   */
  copyStateInto?(inst: number, target: DataView, offset: number): void;
  /**
   * Copies an instance's packed state block into `meta.stride / 4` words
   * of `words` from index `at`, word by word, without allocating: the
   * causal judge keeps each applied event's state with it. Optional for
   * other implementations of this interface; the loader provides it.
   */
  copyStateWords?(inst: number, words: Int32Array, at: number): void;
  /** Overwrites an instance's packed state block. */
  setStateBytes(inst: number, bytes: Uint8Array): void;
  /**
   * Overwrites an instance's packed state block with `meta.stride / 4`
   * words of `words` from index `at`, word by word, without allocating:
   * the collector writes each applied event's state from its event store
   * with it. Optional for other implementations of this interface; the
   * loader provides it.
   */
  setStateWords?(inst: number, words: Int32Array, at: number): void;
  /** Decodes slots to a view (`{ mode: "held", owner: 2, granted: { 0: 0, ... } }`). */
  view(slots: readonly bigint[]): StateView;
  /** Encodes a (possibly partial) view onto slots; missing variables keep `base`'s values. */
  slotsOf(view: StateView, base: readonly bigint[]): bigint[];
  /** Verdict code of the local invariants (prev(x) = x) on an instance's current state. */
  checkInvariants(inst: number): number;
  /** Liveness bit mask of an instance (bit 2i: `when` of item i holds, 2i+1: `eventually`). */
  liveness(inst: number): number;
  /** Global invariant verdict over the contiguous instances `first .. first+count-1`. */
  globalCheck(first: number, count: number): number;
  /**
   * `global-check-node`: the same verdict as {@link CompiledSpec.globalCheck},
   * given that every global invariant held over the same instances before
   * the one at position `node` changed or joined (it re-checks only what
   * involves that instance). Absent from specs compiled before the export
   * existed, and optional for other implementations: callers fall back to
   * `globalCheck`.
   */
  readonly globalCheckNode?: (first: number, count: number, node: number) => number;
  /** Global liveness bit mask over the contiguous instances. */
  globalLiveness(first: number, count: number): number;
  /**
   * `global-after` (`global_after.ts`): after the state of the instance at
   * position `node` was written, in one call, the verdict of
   * {@link CompiledSpec.globalCheckNode} (when `pinned`) or
   * {@link CompiledSpec.globalCheck}, or'ed with `liveness(first + node)`
   * shifted left by 16 and `globalLiveness(first, count)` shifted left by
   * 24. Absent from specs compiled before it existed or whose codes and
   * liveness items do not fit that packing, and optional for other
   * implementations: callers make the three calls instead.
   */
  readonly globalAfter?: (first: number, count: number, node: number, pinned: boolean) => number;
  /**
   * The maintained node aggregates: absent from a spec compiled before
   * them, or whose global items have no count, sum, exists or forall over
   * nodes to maintain, and optional for other implementations (callers
   * fall back to {@link CompiledSpec.globalCheck}).
   */
  readonly globalAggregates?: GlobalAggregates;
  /** Describes a verdict code. */
  verdict(code: number): Verdict;
}

/**
 * A compiled spec's maintained node aggregates (`docs/abi.md`). A record
 * of `size` bytes, at the state block of an instance set aside (`cells`,
 * `ceil(size / stride)` instances from one `create`, emptied by `clear`),
 * holds the running counts and sums of a set of instances: `add` each instance's
 * contributions (delta 1) when it joins, remove them (delta -1) before its
 * state is overwritten and add them again after. `add` returns non-zero
 * when the record overflowed: clear it and add every instance again.
 *
 * @example Keep a record of two instances
 * ```ts
 * import assert from "node:assert/strict";
 * import type { GlobalAggregates } from "./compiled.ts";
 * import { loadCompiled } from "./loader.ts";
 * const lease = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const agg: GlobalAggregates = lease.globalAggregates!;
 * const first = lease.create(2);
 * const cells = lease.create(Math.ceil(agg.size / lease.meta.stride));
 * agg.clear(cells);
 * agg.add(first, cells, 1);
 * agg.add(first + 1, cells, 1);
 * agg.add(first, cells, -1); // before overwriting instance `first`
 * assert.equal(lease.stepFn(lease.actionIndex("acquire"))(first, 1), 0);
 * agg.add(first, cells, 1);
 * assert.equal(agg.check(first, 2, 0, cells), lease.globalCheck(first, 2));
 * assert.equal(agg.liveness(first, 2, cells), lease.globalLiveness(first, 2));
 * ```
 */
export interface GlobalAggregates {
  /** Bytes of a record. */
  readonly size: number;
  /** Empties the record at `cells` (no instance in it). */
  clear(cells: number): void;
  /** Adds (`delta` 1) or removes (-1) instance `inst`'s contributions to the record at `cells`; non-zero: overflowed. */
  add(inst: number, cells: number, delta: number): number;
  /**
   * `globalCheck(first, count)` from the record at `cells` (which must hold
   * exactly those instances); when `node < count`, given that every global
   * invariant held before the instance at `node` changed or joined.
   */
  check(first: number, count: number, node: number, cells: number): number;
  /** `globalLiveness(first, count)` from the record at `cells`. */
  liveness(first: number, count: number, cells: number): number;
  /**
   * `global-agg-after` (`global_after.ts`): adds instance `first + node` to
   * the record first when `add` (bit 15 of the result set when that
   * overflowed), then in the same call the verdict of {@link check} (at
   * `node` when `pinned`, else assuming nothing), or'ed with the instance's
   * liveness mask shifted left by 16 and {@link liveness} shifted left by 24.
   * Absent from specs compiled before it existed or whose codes do not fit.
   */
  readonly after?: (
    first: number,
    count: number,
    node: number,
    pinned: boolean,
    cells: number,
    add: boolean,
  ) => number;
}
