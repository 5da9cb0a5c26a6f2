/**
 * Small building blocks shared by the code generator's parts: a function
 * builder that hands out locals and labels, i64 constants, and width-aware
 * loads and stores of state slots.
 *
 * @module
 */
import binaryen from "binaryen";
import type { SlotLayout } from "../../abi/slot_layout.ts";

/** A binaryen expression reference. */
export type Expr = binaryen.ExpressionRef;

/** The smallest i64. */
export const I64_MIN = -(1n << 63n);
/** The largest i64. */
export const I64_MAX = (1n << 63n) - 1n;

/**
 * Collects the locals and labels of one function under construction.
 *
 * @example Allocate a temporary
 * ```ts
 * import assert from "node:assert/strict";
 * import binaryen from "binaryen";
 * import { FunctionBuilder } from "./func.ts";
 * const fn = new FunctionBuilder(new binaryen.Module(), [binaryen.i32]);
 * assert.equal(fn.local(binaryen.i64), 1); // after the one parameter
 * assert.equal(fn.local(binaryen.i32), 2);
 * assert.deepEqual(fn.vars, [binaryen.i64, binaryen.i32]);
 * ```
 */
export class FunctionBuilder {
  readonly module: binaryen.Module;
  readonly #params: readonly binaryen.Type[];
  readonly #vars: binaryen.Type[] = [];
  #labels = 0;

  /** Starts a function with parameters of types `params`. */
  constructor(module: binaryen.Module, params: readonly binaryen.Type[]) {
    this.module = module;
    this.#params = params;
  }

  /** A fresh local of type `type`; returns its index. */
  local(type: binaryen.Type): number {
    this.#vars.push(type);
    return this.#params.length + this.#vars.length - 1;
  }

  /** A fresh label with a readable prefix. */
  label(prefix: string): string {
    return `${prefix}${this.#labels++}`;
  }

  /** The parameter type list. */
  get paramsType(): binaryen.Type {
    return binaryen.createType([...this.#params]);
  }

  /** The types of the non-parameter locals. */
  get vars(): binaryen.Type[] {
    return [...this.#vars];
  }

  /** Adds the function to the module. */
  finish(name: string, result: binaryen.Type, body: Expr): void {
    this.module.addFunction(name, this.paramsType, result, this.vars, body);
  }
}

/**
 * An i64 constant expression from a bigint.
 *
 * @example A constant
 * ```ts
 * import assert from "node:assert/strict";
 * import binaryen from "binaryen";
 * import { i64const } from "./func.ts";
 * const m = new binaryen.Module();
 * assert.equal(binaryen.emitText(i64const(m, -1n)), "(i64.const -1)\n");
 * assert.equal(binaryen.emitText(i64const(m, 1n << 40n)), "(i64.const 1099511627776)\n");
 * ```
 */
export function i64const(m: binaryen.Module, value: bigint): Expr {
  const v = BigInt.asIntN(64, value);
  return m.i64.const(Number(BigInt.asIntN(32, v)), Number(BigInt.asIntN(32, v >> 32n)));
}

/**
 * Loads a slot stored as `layout` at `ptr + layout.offset` as an i64,
 * sign- or zero-extended per the layout.
 *
 * @example Load a slot
 * ```ts
 * import assert from "node:assert/strict";
 * import binaryen from "binaryen";
 * import { loadSlot } from "./func.ts";
 * const m = new binaryen.Module();
 * m.setMemory(1, 1, "memory");
 * const load = loadSlot(m, { offset: 8, width: 1, signed: true }, m.i32.const(1024));
 * m.addFunction("load", binaryen.none, binaryen.i64, [], load);
 * m.addFunctionExport("load", "load");
 * const wasm = new WebAssembly.Module(m.emitBinary() as BufferSource);
 * const { exports } = new WebAssembly.Instance(wasm);
 * new Uint8Array((exports.memory as WebAssembly.Memory).buffer)[1032] = 0xff;
 * assert.equal((exports.load as () => bigint)(), -1n); // sign-extended
 * ```
 */
export function loadSlot(m: binaryen.Module, layout: SlotLayout, ptr: Expr): Expr {
  const { offset, width, signed } = layout;
  switch (width) {
    case 1:
      return signed ? m.i64.load8_s(offset, 1, ptr) : m.i64.load8_u(offset, 1, ptr);
    case 2:
      return signed ? m.i64.load16_s(offset, 2, ptr) : m.i64.load16_u(offset, 2, ptr);
    case 4:
      return signed ? m.i64.load32_s(offset, 4, ptr) : m.i64.load32_u(offset, 4, ptr);
    case 8:
      return m.i64.load(offset, 8, ptr);
  }
}

/**
 * Stores the low `layout.width` bytes of the i64 `value` at `ptr + layout.offset`.
 *
 * @example Store a slot
 * ```ts
 * import assert from "node:assert/strict";
 * import binaryen from "binaryen";
 * import { i64const, storeSlot } from "./func.ts";
 * const m = new binaryen.Module();
 * m.setMemory(1, 1, "memory");
 * const store = storeSlot(m, { offset: 4, width: 2, signed: true }, m.i32.const(1024), i64const(m, -5n));
 * m.addFunction("store", binaryen.none, binaryen.none, [], store);
 * m.addFunctionExport("store", "store");
 * const wasm = new WebAssembly.Module(m.emitBinary() as BufferSource);
 * const { exports } = new WebAssembly.Instance(wasm);
 * (exports.store as () => void)();
 * const view = new DataView((exports.memory as WebAssembly.Memory).buffer);
 * assert.equal(view.getInt16(1028, true), -5);
 * assert.equal(view.getUint8(1030), 0); // only the low 2 bytes are written
 * ```
 */
export function storeSlot(m: binaryen.Module, layout: SlotLayout, ptr: Expr, value: Expr): Expr {
  const { offset, width } = layout;
  switch (width) {
    case 1:
      return m.i64.store8(offset, 1, ptr, value);
    case 2:
      return m.i64.store16(offset, 2, ptr, value);
    case 4:
      return m.i64.store32(offset, 4, ptr, value);
    case 8:
      return m.i64.store(offset, 8, ptr, value);
  }
}

/**
 * The address of entry `key` of a map whose slot `base` has layout `first`:
 * `ptr + (key - keyLo) * width` (the entries of a map are contiguous and
 * equally wide; `layout.offset` is added by the load or store).
 *
 * @example Address a map entry
 * ```ts
 * import assert from "node:assert/strict";
 * import binaryen from "binaryen";
 * import { mapEntryPtr } from "./func.ts";
 * const m = new binaryen.Module();
 * // Entry of key 7 in a map keyed by 5..9 with 4-byte entries starting at 1024.
 * const ptr = mapEntryPtr(m, m.i32.const(1024), m.i64.const(7, 0), 5n, 4);
 * m.addFunction("ptr", binaryen.none, binaryen.i32, [], ptr);
 * m.addFunctionExport("ptr", "ptr");
 * const wasm = new WebAssembly.Module(m.emitBinary() as BufferSource);
 * const { exports } = new WebAssembly.Instance(wasm);
 * assert.equal((exports.ptr as () => number)(), 1032);
 * ```
 */
export function mapEntryPtr(
  m: binaryen.Module,
  ptr: Expr,
  key: Expr,
  keyLo: bigint,
  width: number,
): Expr {
  const index = m.i32.wrap(keyLo === 0n ? key : m.i64.sub(key, i64const(m, keyLo)));
  const scaled = width === 1 ? index : m.i32.mul(index, m.i32.const(width));
  return m.i32.add(ptr, scaled);
}

/**
 * Whether the i64 `value` lies outside `lo..hi` (one unsigned comparison).
 *
 * @example Test a bound
 * ```ts
 * import assert from "node:assert/strict";
 * import binaryen from "binaryen";
 * import { outside } from "./func.ts";
 * const m = new binaryen.Module(), I64 = binaryen.i64;
 * m.addFunction("outside", I64, binaryen.i32, [], outside(m, m.local.get(0, I64), 0n, 3n));
 * m.addFunctionExport("outside", "outside");
 * const wasm = new WebAssembly.Module(m.emitBinary() as BufferSource);
 * const { exports } = new WebAssembly.Instance(wasm);
 * const test = exports.outside as (v: bigint) => number;
 * assert.deepEqual([test(-1n), test(0n), test(3n), test(7n)], [1, 0, 0, 1]);
 * ```
 */
export function outside(m: binaryen.Module, value: Expr, lo: bigint, hi: bigint): Expr {
  if (lo === I64_MIN && hi === I64_MAX) return m.i32.const(0);
  const shifted = lo === 0n ? value : m.i64.sub(value, i64const(m, lo));
  return m.i64.gt_u(shifted, i64const(m, hi - lo));
}
