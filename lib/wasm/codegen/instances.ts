/**
 * Instance management in linear memory.
 *
 * Memory map (all little-endian):
 * - `0 .. 16`: reserved;
 * - `DESC = 16`: one 24-byte descriptor per slot: `lo: i64`, `hi: i64`
 *   (the slot type's bounds), `offset: u32`, `width: u8`, `signed: u8`;
 * - `INIT`: the initial instance block (`stride` bytes);
 * - `BASE` (64-byte aligned): instance `i` at `BASE + i * stride`.
 * The descriptors and the initial block are one active data segment. The
 * instance count is a mutable global; `create` grows memory as needed.
 *
 * @module
 */
import binaryen from "binaryen";
import type { Program } from "../../ir.ts";
import type { SlotLayout } from "../../abi/slot_layout.ts";
import type { SpecMeta } from "../../abi/meta.ts";
import { type Expr, FunctionBuilder, I64_MAX, I64_MIN, i64const } from "./func.ts";
import type { MemoryPlan } from "./readers.ts";
import { scalarBounds } from "./actions.ts";

const I32 = binaryen.i32;
const I64 = binaryen.i64;
const DESC = 16;
const DESC_SIZE = 24;
const PAGE = 65536;
/** The instance-count global's name. */
export const COUNT_GLOBAL = "instance_count";

/** The memory plan plus the data segment and the initial page count. */
export interface InstancePlan extends MemoryPlan {
  readonly init: number;
  readonly slotCount: number;
  readonly data: Uint8Array;
  readonly pages: number;
}

function slotBounds(program: Program): { lo: bigint; hi: bigint }[] {
  const out: { lo: bigint; hi: bigint }[] = new Array(program.slotCount);
  for (const v of program.vars) {
    const scalar = v.type.kind === "map" ? v.type.value : v.type;
    const b = scalarBounds(scalar) ?? { lo: I64_MIN, hi: I64_MAX };
    for (let i = 0; i < v.size; i++) out[v.base + i] = b;
  }
  return out;
}

function writeValue(view: DataView, at: number, s: SlotLayout, value: bigint): void {
  const bits = BigInt.asUintN(s.width * 8, value);
  if (s.width === 8) view.setBigUint64(at, bits, true);
  else if (s.width === 4) view.setUint32(at, Number(bits), true);
  else if (s.width === 2) view.setUint16(at, Number(bits), true);
  else view.setUint8(at, Number(bits));
}

/**
 * Lays out memory for a spec and builds the data segment.
 *
 * @example Plan memory
 * ```ts
 * import assert from "node:assert/strict";
 * import { initialState } from "../../interpreter/interpreter.ts";
 * import { buildMeta } from "../meta_build.ts";
 * import { leaseProgram } from "./fixtures.ts";
 * import { planInstances } from "./instances.ts";
 * const lease = leaseProgram();
 * const meta = buildMeta(lease, initialState(lease).state);
 * const plan = planInstances(lease, meta);
 * assert.equal(plan.base % 64, 0);
 * assert.equal(plan.stride, meta.stride);
 * ```
 */
export function planInstances(program: Program, meta: SpecMeta): InstancePlan {
  const slotCount = meta.slots.length;
  const init = Math.ceil((DESC + DESC_SIZE * slotCount) / 8) * 8;
  const base = Math.ceil((init + meta.stride) / 64) * 64;
  const data = new Uint8Array(init + meta.stride - DESC);
  const view = new DataView(data.buffer);
  const bounds = slotBounds(program);
  meta.slots.forEach((s, i) => {
    const at = DESC_SIZE * i;
    view.setBigInt64(at, bounds[i]!.lo, true);
    view.setBigInt64(at + 8, bounds[i]!.hi, true);
    view.setUint32(at + 16, s.offset, true);
    view.setUint8(at + 20, s.width);
    view.setUint8(at + 21, s.signed ? 1 : 0);
    writeValue(view, init - DESC + s.offset, s, BigInt(meta.initial[i]!));
  });
  return {
    base,
    init,
    stride: meta.stride,
    slots: meta.slots,
    slotCount,
    data,
    pages: Math.max(1, Math.ceil(base / PAGE)),
  };
}

/** The data segment for `setMemory`. */
export function dataSegment(m: binaryen.Module, plan: InstancePlan): binaryen.MemorySegment {
  return { offset: m.i32.const(DESC), data: plan.data, passive: false };
}

function ptrOf(m: binaryen.Module, plan: InstancePlan, inst: Expr): Expr {
  return m.i32.add(m.i32.const(plan.base), m.i32.mul(inst, m.i32.const(plan.stride)));
}

function addCreate(m: binaryen.Module, plan: InstancePlan, name: string): void {
  const fn = new FunctionBuilder(m, [I32]);
  const first = fn.local(I32), total = fn.local(I32), end = fn.local(I64), i = fn.local(I32);
  const get32 = (l: number) => m.local.get(l, I32);
  const fail = () => m.return(m.i32.const(-1));
  const pagesNeeded = () =>
    m.i32.wrap(
      m.i64.shr_u(m.i64.add(m.local.get(end, I64), m.i64.const(PAGE - 1, 0)), m.i64.const(16, 0)),
    );
  const grow = m.if(
    m.i32.gt_u(pagesNeeded(), m.memory.size()),
    m.if(
      m.i32.eq(m.memory.grow(m.i32.sub(pagesNeeded(), m.memory.size())), m.i32.const(-1)),
      fail(),
    ),
  );
  const copyLoop = m.block("done", [
    m.loop(
      "next",
      m.block(null, [
        m.br("done", m.i32.ge_u(get32(i), get32(total))),
        m.memory.copy(ptrOf(m, plan, get32(i)), m.i32.const(plan.init), m.i32.const(plan.stride)),
        m.local.set(i, m.i32.add(get32(i), m.i32.const(1))),
        m.br("next"),
      ]),
    ),
  ]);
  const extend = (l: number) => m.i64.extend_u(get32(l));
  fn.finish(
    name,
    I32,
    m.block(null, [
      m.local.set(first, m.global.get(COUNT_GLOBAL, I32)),
      m.local.set(
        end,
        m.i64.add(
          m.i64.const(plan.base, 0),
          m.i64.mul(
            m.i64.add(extend(first), m.i64.extend_u(m.local.get(0, I32))),
            m.i64.const(plan.stride, 0),
          ),
        ),
      ),
      m.if(m.i64.gt_u(m.local.get(end, I64), i64const(m, 1n << 32n)), fail()),
      m.local.set(total, m.i32.add(get32(first), m.local.get(0, I32))),
      grow,
      m.local.set(i, get32(first)),
      copyLoop,
      m.global.set(COUNT_GLOBAL, get32(total)),
      get32(first),
    ], I32),
  );
}

function validInst(m: binaryen.Module): Expr {
  return m.i32.lt_u(m.local.get(0, I32), m.global.get(COUNT_GLOBAL, I32));
}

/** `descriptor field` loads for slot param 1. */
function desc(m: binaryen.Module): { at: Expr; offset: Expr; width: Expr; signed: Expr } {
  const at = () =>
    m.i32.add(m.i32.const(DESC), m.i32.mul(m.local.get(1, I32), m.i32.const(DESC_SIZE)));
  return {
    at: at(),
    offset: m.i32.load(16, 4, at()),
    width: m.i32.load8_u(20, 1, at()),
    signed: m.i32.load8_u(21, 1, at()),
  };
}

function addReadSlot(m: binaryen.Module, plan: InstancePlan, name: string): void {
  const fn = new FunctionBuilder(m, [I32, I32]);
  const addr = fn.local(I32), width = fn.local(I32), signed = fn.local(I32);
  const d = desc(m);
  const a = () => m.local.get(addr, I32);
  const is = (l: number, v: number) => m.i32.eq(m.local.get(l, I32), m.i32.const(v));
  const pick = (s: Expr, u: Expr) => m.if(m.local.get(signed, I32), s, u);
  fn.finish(
    name,
    I64,
    m.block(null, [
      m.if(
        m.i32.or(
          m.i32.eqz(validInst(m)),
          m.i32.ge_u(m.local.get(1, I32), m.i32.const(plan.slotCount)),
        ),
        m.return(m.i64.const(0, 0)),
      ),
      m.local.set(addr, m.i32.add(ptrOf(m, plan, m.local.get(0, I32)), d.offset)),
      m.local.set(width, d.width),
      m.local.set(signed, d.signed),
      m.if(
        is(width, 8),
        m.i64.load(0, 8, a()),
        m.if(
          is(width, 4),
          pick(m.i64.load32_s(0, 4, a()), m.i64.load32_u(0, 4, a())),
          m.if(
            is(width, 2),
            pick(m.i64.load16_s(0, 2, a()), m.i64.load16_u(0, 2, a())),
            pick(m.i64.load8_s(0, 1, a()), m.i64.load8_u(0, 1, a())),
          ),
        ),
      ),
    ], I64),
  );
}

function addWriteSlot(m: binaryen.Module, plan: InstancePlan, name: string): void {
  const fn = new FunctionBuilder(m, [I32, I32, I64]);
  const addr = fn.local(I32), width = fn.local(I32), at = fn.local(I32);
  const d = desc(m);
  const value = () => m.local.get(2, I64);
  const a = () => m.local.get(addr, I32);
  const is = (v: number) => m.i32.eq(m.local.get(width, I32), m.i32.const(v));
  const atGet = () => m.local.get(at, I32);
  fn.finish(
    name,
    I32,
    m.block(null, [
      m.if(
        m.i32.or(
          m.i32.eqz(validInst(m)),
          m.i32.ge_u(m.local.get(1, I32), m.i32.const(plan.slotCount)),
        ),
        m.return(m.i32.const(1)),
      ),
      m.local.set(at, d.at),
      m.if(
        m.i32.or(
          m.i64.lt_s(value(), m.i64.load(0, 8, atGet())),
          m.i64.gt_s(value(), m.i64.load(8, 8, atGet())),
        ),
        m.return(m.i32.const(1)),
      ),
      m.local.set(addr, m.i32.add(ptrOf(m, plan, m.local.get(0, I32)), d.offset)),
      m.local.set(width, d.width),
      m.if(
        is(8),
        m.i64.store(0, 8, a(), value()),
        m.if(
          is(4),
          m.i64.store32(0, 4, a(), value()),
          m.if(is(2), m.i64.store16(0, 2, a(), value()), m.i64.store8(0, 1, a(), value())),
        ),
      ),
      m.i32.const(0),
    ], I32),
  );
}

/** Names of the instance exports. */
export interface InstanceExportNames {
  readonly create: string;
  readonly reset: string;
  readonly instanceCount: string;
  readonly statePtr: string;
  readonly readSlot: string;
  readonly writeSlot: string;
}

/**
 * Adds the instance count global and the instance functions.
 *
 * @example Add the instance functions
 * ```ts ignore
 * // While building a core module, with `plan = planInstances(program, meta)`:
 * addInstanceFunctions(module, plan, {
 *   create: "create",
 *   reset: "reset",
 *   instanceCount: "instance-count",
 *   statePtr: "state-ptr",
 *   readSlot: "read-slot",
 *   writeSlot: "write-slot",
 * });
 * ```
 */
export function addInstanceFunctions(
  m: binaryen.Module,
  plan: InstancePlan,
  names: InstanceExportNames,
): void {
  m.addGlobal(COUNT_GLOBAL, I32, true, m.i32.const(0));
  addCreate(m, plan, names.create);
  const reset = new FunctionBuilder(m, [I32]);
  reset.finish(
    names.reset,
    binaryen.none,
    m.if(
      validInst(m),
      m.memory.copy(
        ptrOf(m, plan, m.local.get(0, I32)),
        m.i32.const(plan.init),
        m.i32.const(plan.stride),
      ),
    ),
  );
  new FunctionBuilder(m, []).finish(names.instanceCount, I32, m.global.get(COUNT_GLOBAL, I32));
  new FunctionBuilder(m, [I32]).finish(names.statePtr, I32, ptrOf(m, plan, m.local.get(0, I32)));
  addReadSlot(m, plan, names.readSlot);
  addWriteSlot(m, plan, names.writeSlot);
}
