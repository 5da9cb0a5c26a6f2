/**
 * The loader of compiled specs: `loadCompiled` finds a compiled spec's
 * core module in a {@link SpecSource} (a URL, a path, bytes or a
 * `WebAssembly.Module`), instantiates it and returns a
 * {@link CompiledSpec}. No compiler, binaryen or jco is needed, and the
 * jco glue is not imported: every export of the world is scalar, so the
 * core exports are called directly. Of what the glue did per call only
 * what changes a result is kept: `u32` results read as unsigned
 * (`>>> 0`); `s64` results are `bigint` and `f64` values numbers anyway.
 * The step, check and dispatch exports are handed out as they are: their
 * results are verdict codes, indexes into the verdict table, the same
 * read signed or unsigned.
 *
 * @module
 */
import type { CompiledSpec, DispatchFn, GlobalAggregates, StateView, StepFn } from "./compiled.ts";
import { DISPATCH_EXPORTS, type SpecMeta } from "./meta.ts";
import { describeVerdict } from "./verdict.ts";
import type { Verdict } from "./verdict.ts";
import { instantiateCore, SpecLoadError } from "./bindings.ts";
import { aggregatesOf } from "./global_aggregates.ts";
import { GLOBAL_AFTER_EXPORT } from "./global_after.ts";
import { compiledModuleOf, type SpecSource } from "./spec_source.ts";
import { decodeView, encodeArgs, encodeView, readBlock } from "./state_codec.ts";

/** The fixed exports of the world, by WIT name, as the core module exports them. */
interface CoreFns {
  readonly create: (count: number) => number;
  readonly reset: (inst: number) => void;
  readonly "instance-count": () => number;
  readonly "state-ptr": (inst: number) => number;
  readonly "write-slot": (inst: number, slot: number, value: bigint) => number;
  readonly "check-invariants": (inst: number) => number;
  readonly liveness: (inst: number) => number;
  readonly "global-check": (first: number, count: number) => number;
  readonly "global-liveness": (first: number, count: number) => number;
}

const FIXED: readonly (keyof CoreFns)[] = [
  "create",
  "reset",
  "instance-count",
  "state-ptr",
  "write-slot",
  "check-invariants",
  "liveness",
  "global-check",
  "global-liveness",
];

const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;

/** The core export `wit` (a WIT export name), which must be a function. */
function exportOf(
  exports: WebAssembly.Exports,
  wit: string,
  where: string,
): (...args: never[]) => unknown {
  const fn = exports[wit];
  if (typeof fn !== "function") {
    const msg = `The core module of '${where}' has no export '${wit}'`;
    throw new SpecLoadError("bad_bindings", msg, { where });
  }
  return fn as (...args: never[]) => unknown;
}

/**
 * The dispatcher export `wit` of the core module, or (a spec compiled
 * before it existed) the same function in JavaScript over the per-action
 * exports.
 */
function dispatcherOf(
  exports: WebAssembly.Exports,
  wit: string,
  fns: readonly StepFn[],
): DispatchFn {
  const fn = exports[wit];
  if (typeof fn === "function") return fn as DispatchFn;
  return (inst, action, ...args) => {
    const f = fns[action];
    return f === undefined ? 1 : f(inst, ...args);
  };
}

/** A compiled spec instantiated from its core module. */
class LoadedSpec implements CompiledSpec {
  readonly meta: SpecMeta;
  readonly #memory: WebAssembly.Memory;
  readonly #coreFunctions: CoreFns;
  readonly #steps: readonly StepFn[];
  readonly #checks: readonly StepFn[];
  readonly dispatchStep: DispatchFn;
  readonly dispatchCheck: DispatchFn;
  /** `global-check-node`, absent from a spec compiled before it existed. */
  readonly globalCheckNode?: (first: number, count: number, node: number) => number;
  readonly globalAggregates?: GlobalAggregates;
  /** `global-after`, absent from a spec compiled before it existed or that does not fit its packing. */
  readonly globalAfter?: (first: number, count: number, node: number, pinned: boolean) => number;
  readonly #actions: ReadonlyMap<string, number>;
  #bytes: Uint8Array;
  #data: DataView;
  /** The memory as 32-bit words (state blocks are 4-byte aligned). */
  #words: Int32Array;
  /** `state-ptr(0)`: blocks are contiguous, `state-ptr(i) = base + i * stride`. */
  readonly #base: number;
  readonly #stride: number;
  /** Instance count, refreshed by `create` (the only way instances are added). */
  #count: number;

  constructor(
    where: string,
    exports: WebAssembly.Exports,
    memory: WebAssembly.Memory,
    meta: SpecMeta,
  ) {
    this.meta = meta;
    this.#memory = memory;
    this.#coreFunctions = Object.fromEntries(
      FIXED.map((n) => [n, exportOf(exports, n, where)]),
    ) as unknown as CoreFns;
    this.#steps = meta.actions.map((a) => exportOf(exports, a.stepExport, where) as StepFn);
    this.#checks = meta.actions.map((a) => exportOf(exports, a.checkExport, where) as StepFn);
    this.dispatchStep = dispatcherOf(exports, DISPATCH_EXPORTS.step, this.#steps);
    this.dispatchCheck = dispatcherOf(exports, DISPATCH_EXPORTS.check, this.#checks);
    const checkNode = exports["global-check-node"];
    if (typeof checkNode === "function") {
      const raw = checkNode as (first: number, count: number, node: number) => number;
      this.globalCheckNode = (first, count, node) => {
        if (node >= count || node < 0) {
          throw new RangeError(`Node position ${node} is outside the ${count} instances checked`);
        }
        return raw(first, count, node) >>> 0;
      };
    }
    const after = exports[GLOBAL_AFTER_EXPORT];
    if (typeof after === "function") {
      const raw = after as (first: number, count: number, node: number, pinned: number) => number;
      this.globalAfter = (first, count, node, pinned) => {
        if (node >= count || node < 0) {
          throw new RangeError(`Node position ${node} is outside the ${count} instances checked`);
        }
        return raw(first, count, node, pinned ? 1 : 0) >>> 0;
      };
    }
    const aggregates = aggregatesOf(exports);
    if (aggregates !== undefined) this.globalAggregates = aggregates;
    this.#actions = new Map(meta.actions.map((a, i) => [a.name, i]));
    this.#bytes = new Uint8Array(memory.buffer);
    this.#data = new DataView(memory.buffer);
    this.#words = new Int32Array(memory.buffer);
    this.#count = this.#coreFunctions["instance-count"]() >>> 0;
    this.#base = this.#coreFunctions["state-ptr"](0) >>> 0;
    this.#stride = meta.stride;
    if (this.#base % 8 !== 0 || this.#stride % 4 !== 0) {
      const msg = `Compiled spec '${meta.name}' in '${where}' has unaligned state blocks`;
      throw new SpecLoadError("bad_bindings", msg, { where });
    }
  }

  /**
   * Re-creates the memory views when the memory has grown: growing detaches
   * the old buffer, so its views read as empty (cheaper to test than
   * comparing with `memory.buffer`, a getter call).
   */
  #refresh(): void {
    if (this.#bytes.length === 0 || this.#bytes.buffer !== this.#memory.buffer) {
      this.#bytes = new Uint8Array(this.#memory.buffer);
      this.#data = new DataView(this.#memory.buffer);
      this.#words = new Int32Array(this.#memory.buffer);
    }
  }

  /** Refreshes the views only when the old buffer was detached (the hot path's check). */
  #fresh(): void {
    if (this.#bytes.length === 0) this.#refresh();
  }

  /** Byte address of an instance's block, after checking the index. */
  #ptr(inst: number): number {
    if (!(inst >= 0 && inst < this.#count && Number.isInteger(inst))) {
      throw new RangeError(
        `No instance ${inst} of spec '${this.meta.name}' (${this.#count} allocated)`,
      );
    }
    this.#fresh();
    return this.#base + inst * this.#stride;
  }

  get instances(): number {
    return this.#coreFunctions["instance-count"]() >>> 0;
  }

  create(count = 1): number {
    if (!Number.isInteger(count) || count < 0 || count > 0xffffffff) {
      throw new RangeError(`Invalid instance count ${count}`);
    }
    const first = this.#coreFunctions.create(count) >>> 0;
    this.#count = this.#coreFunctions["instance-count"]() >>> 0;
    return first;
  }

  reset(inst: number): void {
    this.#ptr(inst);
    this.#coreFunctions.reset(inst);
  }

  actionIndex(name: string): number {
    return this.#actions.get(name) ?? -1;
  }

  stepFn(action: number): StepFn {
    return this.#pick(this.#steps, action);
  }

  checkFn(action: number): StepFn {
    return this.#pick(this.#checks, action);
  }

  #pick(fns: readonly StepFn[], action: number): StepFn {
    const fn = fns[action];
    if (fn === undefined) {
      throw new RangeError(`Unknown action index ${action} of spec '${this.meta.name}'`);
    }
    return fn;
  }

  encodeArgs(action: number, args: Readonly<Record<string, unknown>>): number[] {
    return encodeArgs(this.meta, action, args);
  }

  readSlots(inst: number): bigint[] {
    const ptr = this.#ptr(inst);
    return readBlock(this.#data, ptr, this.meta.slots);
  }

  writeSlots(inst: number, slots: readonly bigint[]): number {
    if (slots.length !== this.meta.slots.length) {
      throw new RangeError(`Expected ${this.meta.slots.length} slots, got ${slots.length}`);
    }
    const saved = this.stateBytes(inst);
    for (let i = 0; i < slots.length; i++) {
      const v = slots[i]!;
      if (typeof v !== "bigint") {
        throw new TypeError(`Slot ${i}: expected a bigint, got ${typeof v}`);
      }
      if (v < I64_MIN || v > I64_MAX || this.#coreFunctions["write-slot"](inst, i, v) !== 0) {
        this.setStateBytes(inst, saved);
        return i + 1;
      }
    }
    return 0;
  }

  stateBytes(inst: number): Uint8Array {
    const ptr = this.#ptr(inst);
    return this.#bytes.slice(ptr, ptr + this.meta.stride);
  }

  copyState(inst: number, target: Uint8Array, offset: number): void {
    const ptr = this.#ptr(inst);
    target.set(this.#bytes.subarray(ptr, ptr + this.meta.stride), offset);
  }

  copyStateInto(inst: number, target: DataView, offset: number): void {
    if (!(inst >= 0 && inst < this.#count && (inst | 0) === inst)) this.#ptr(inst);
    this.#fresh();
    const words = this.#words;
    const first = (this.#base + inst * this.#stride) >> 2;
    const n = this.#stride >> 2;
    for (let i = 0; i < n; i++) target.setInt32(offset + 4 * i, words[first + i]!, true);
  }

  copyStateWords(inst: number, words: Int32Array, at: number): void {
    if (!(inst >= 0 && inst < this.#count && (inst | 0) === inst)) this.#ptr(inst);
    const n = this.#stride >> 2;
    if (!(at >= 0 && at + n <= words.length && (at | 0) === at)) {
      throw new RangeError(
        `Expected room for ${n} state words from index ${at}, the target holds ${words.length} words`,
      );
    }
    this.#fresh();
    const src = this.#words;
    const first = (this.#base + inst * this.#stride) >> 2;
    for (let i = 0; i < n; i++) words[at + i] = src[first + i]!;
  }

  setStateBytes(inst: number, bytes: Uint8Array): void {
    if (bytes.length !== this.meta.stride) {
      throw new RangeError(
        `Expected a state block of ${this.meta.stride} bytes, got ${bytes.length}`,
      );
    }
    const ptr = this.#ptr(inst);
    this.#bytes.set(bytes, ptr);
  }

  setStateWords(inst: number, words: Int32Array, at: number): void {
    if (!(inst >= 0 && inst < this.#count && (inst | 0) === inst)) this.#ptr(inst);
    const n = this.#stride >> 2;
    if (!(at >= 0 && at + n <= words.length && (at | 0) === at)) {
      throw new RangeError(
        `Expected ${n} state words from index ${at}, the source holds ${words.length} words`,
      );
    }
    this.#fresh();
    const dst = this.#words;
    const first = (this.#base + inst * this.#stride) >> 2;
    for (let i = 0; i < n; i++) dst[first + i] = words[at + i]!;
  }

  view(slots: readonly bigint[]): StateView {
    return decodeView(this.meta, slots);
  }

  slotsOf(view: StateView, base: readonly bigint[]): bigint[] {
    return encodeView(this.meta, view, base);
  }

  checkInvariants(inst: number): number {
    return this.#coreFunctions["check-invariants"](inst) >>> 0;
  }

  liveness(inst: number): number {
    return this.#coreFunctions.liveness(inst) >>> 0;
  }

  globalCheck(first: number, count: number): number {
    return this.#coreFunctions["global-check"](first, count) >>> 0;
  }

  globalLiveness(first: number, count: number): number {
    return this.#coreFunctions["global-liveness"](first, count) >>> 0;
  }

  verdict(code: number): Verdict {
    return describeVerdict(this.meta, code);
  }
}

/**
 * Options of {@link loadCompiled}.
 *
 * @example Refuse a spec compiled from another source
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled, type LoadCompiledOptions } from "./loader.ts";
 * import { SpecLoadError } from "./bindings.ts";
 * const lease = await loadCompiled("dist/lease.core.wasm");
 * const same: LoadCompiledOptions = { sourceHash: lease.meta.sourceHash };
 * assert.equal((await loadCompiled("dist/lease.core.wasm", same)).meta.name, "Lease");
 * await assert.rejects(
 *   loadCompiled("dist/lease.core.wasm", { sourceHash: "0".repeat(64) }),
 *   (e) => e instanceof SpecLoadError && e.reason === "source_mismatch",
 * );
 * ```
 */
export interface LoadCompiledOptions {
  /**
   * The SHA-256 (lowercase hex) of the spec source the caller expects; a
   * spec compiled from another source is refused (`source_mismatch`).
   * Default: any source.
   */
  readonly sourceHash?: string;
}

/**
 * Loads a compiled spec: finds its core module in `source` (see
 * {@link SpecSource}), instantiates it and drives its instances through
 * the scalar core exports.
 *
 * @param source A URL or path of `<name>.js`, `<name>.core.wasm` or
 * `<name>.wasm` (a path is resolved against the working directory), the
 * bytes of the core module or the component, or the compiled core module.
 * @throws {SpecLoadError} When the source cannot be read, is not a compiled
 * spec, was compiled for another ABI version or from another source.
 *
 * @example Load a spec from the bytes of its core module and step an instance
 * ```ts
 * import assert from "node:assert/strict";
 * import { readFile } from "node:fs/promises";
 * import { loadCompiled } from "./loader.ts";
 * const bytes = await readFile(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const lease = await loadCompiled(bytes);
 * const inst = lease.create();
 * const acquire = lease.actionIndex("acquire");
 * const code = lease.stepFn(acquire)(inst, ...lease.encodeArgs(acquire, { c: 3 }));
 * assert.equal(lease.verdict(code).kind, "ok");
 * assert.equal(lease.view(lease.readSlots(inst)).owner, 3);
 * ```
 */
export async function loadCompiled(
  source: SpecSource,
  options: LoadCompiledOptions = {},
): Promise<CompiledSpec> {
  const { module, meta, where } = await compiledModuleOf(source);
  const expected = options.sourceHash;
  if (expected !== undefined && meta.sourceHash !== expected) {
    const msg =
      `Compiled spec '${meta.name}' in '${where}' was compiled from source ${meta.sourceHash}, expected ${expected}: recompile the spec or regenerate its class`;
    throw new SpecLoadError("source_mismatch", msg, { where });
  }
  const { exports, memory } = await instantiateCore(module, where);
  return new LoadedSpec(where, exports, memory, meta);
}
