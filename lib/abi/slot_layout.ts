/**
 * How one state slot is stored in an instance block in WASM linear memory.
 * The compiler chooses the layout (`lib/wasm/state_layout.ts`); the
 * metadata carries it (`SpecMeta.slots`), and a runtime reads and writes
 * state through it.
 *
 * @module
 */

/**
 * How one slot is stored in WASM memory: `width` bytes at `offset` in the instance block.
 *
 * @example A signed 2-byte slot at offset 8
 * ```ts
 * import assert from "node:assert/strict";
 * import type { SlotLayout } from "./slot_layout.ts";
 * const slot: SlotLayout = { offset: 8, width: 2, signed: true };
 * const block = new DataView(new ArrayBuffer(16));
 * block.setInt16(slot.offset, -3, true);
 * assert.equal(block.getInt16(slot.offset, true), -3);
 * ```
 */
export interface SlotLayout {
  /** Byte offset of the slot within the instance block. */
  readonly offset: number;
  /** 1, 2, 4 or 8 bytes, the smallest that holds the slot's type. */
  readonly width: 1 | 2 | 4 | 8;
  /** Whether loads sign-extend. */
  readonly signed: boolean;
}
