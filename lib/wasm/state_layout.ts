/**
 * How a monitor's state slots are packed into an instance block in WASM
 * linear memory: each slot gets the smallest width that holds its type,
 * wider slots first (so within the block every slot sits at a multiple of
 * its width), and the block is padded to a multiple of 4 bytes, at least 8.
 *
 * Blocks are 4-byte aligned, not 8: an 8-byte slot of a block whose
 * stride is not a multiple of 8 is loaded from an address that is only
 * 4-byte aligned, which WebAssembly allows (alignment is a hint) and
 * which costs nothing measurable on the step (`bench/sdk_bench.ts
 * --align`), while the padding it saves is memory per instance (Lease:
 * 44 bytes instead of 48). Everything that reads blocks as 32-bit words
 * (the explorer's state set, the collector's event store, the loader's
 * word copy) relies on the multiple of 4.
 *
 * @module
 */
import type { Program, ScalarType } from "../ir.ts";
import type { SlotLayout } from "../abi/slot_layout.ts";

/**
 * The packed layout of one instance's state.
 *
 * @example One byte holds a 0..3 slot
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "../frontend.ts";
 * import { layoutOf, type StateLayout } from "./state_layout.ts";
 * const source = "spec Lease\n  type Client = 0..3\n  state owner: Client = 0\n  action acquire(c: Client)\n    require owner == 0\n    owner := c\n";
 * const layout: StateLayout = layoutOf(analyze(source).program!);
 * assert.equal(layout.slots[0]?.width, 1);
 * assert.equal(layout.stride, 8);
 * ```
 */
export interface StateLayout {
  /** `slots[i]` for every slot of the program. */
  readonly slots: readonly SlotLayout[];
  /** Bytes per instance block, a multiple of 4 (at least 8). */
  readonly stride: number;
}

/** The storage width and signedness that hold every value of a scalar type. */
export function slotWidth(type: ScalarType): { width: 1 | 2 | 4 | 8; signed: boolean } {
  switch (type.kind) {
    case "bool":
      return { width: 1, signed: false };
    case "enum":
      return type.labels.length <= 256 ? { width: 1, signed: false } : { width: 2, signed: false };
    case "int":
      return { width: 8, signed: true };
    case "range":
      return rangeWidth(type.lo, type.hi);
  }
}

function rangeWidth(lo: bigint, hi: bigint): { width: 1 | 2 | 4 | 8; signed: boolean } {
  const signed = lo < 0n;
  for (const width of [1, 2, 4] as const) {
    const bits = BigInt(width * 8);
    const min = signed ? -(1n << (bits - 1n)) : 0n;
    const max = signed ? (1n << (bits - 1n)) - 1n : (1n << bits) - 1n;
    if (lo >= min && hi <= max) return { width, signed };
  }
  return { width: 8, signed: true };
}

/**
 * Computes the instance layout of a program.
 *
 * @example Lay out a spec's state
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "../frontend.ts";
 * import { layoutOf } from "./state_layout.ts";
 * const { program } = analyze("spec A\nstate on: bool = false\nstate n: int = 0\n");
 * const { slots, stride } = layoutOf(program!);
 * assert.ok(stride === 12 && slots[1]!.width === 8 && slots[0]!.offset === 8); // 9 bytes, padded to 4
 * ```
 */
export function layoutOf(program: Program): StateLayout {
  const info: { width: 1 | 2 | 4 | 8; signed: boolean }[] = [];
  for (const v of program.vars) {
    const scalar = v.type.kind === "map" ? v.type.value : v.type;
    const w = slotWidth(scalar);
    for (let i = 0; i < v.size; i++) info[v.base + i] = w;
  }
  const order = info.map((_, i) => i).sort((a, b) => info[b]!.width - info[a]!.width || a - b);
  const slots: SlotLayout[] = new Array(info.length);
  let offset = 0;
  for (const i of order) {
    const { width, signed } = info[i]!;
    slots[i] = { offset, width, signed };
    offset += width;
  }
  return { slots, stride: Math.max(8, Math.ceil(offset / 4) * 4) };
}
