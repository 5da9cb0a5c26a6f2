/**
 * State readers for the code generator: plain memory (an instance block at
 * a pointer), the post-state of a step (new-value locals over memory), and
 * the monitors of a global check (instances `first + position`).
 *
 * @module
 */
import binaryen from "binaryen";
import type { SlotLayout } from "../../abi/slot_layout.ts";
import { type Expr, i64const, loadSlot, mapEntryPtr } from "./func.ts";
import type { StateReader } from "./expr.ts";

/** Where instance blocks live: `BASE + index * stride`. */
export interface MemoryPlan {
  readonly base: number;
  readonly stride: number;
  readonly slots: readonly SlotLayout[];
}

const I32 = binaryen.i32;
const I64 = binaryen.i64;

function slotAt(plan: MemoryPlan, slot: number): SlotLayout {
  const s = plan.slots[slot];
  if (s === undefined) throw new RangeError(`Slot '${slot}' is outside the layout`);
  return s;
}

/**
 * Reads one instance's state from memory at the i32 local `ptr`; `prev`
 * reads the same state (as in `check-invariants`, where `prev(x)` is `x`).
 *
 * @example Read the current state
 * ```ts ignore
 * // Inside a function under construction, with the instance's address in local `ptr`:
 * const reader = new MemoryReader(module, plan, ptr);
 * ```
 */
export class MemoryReader implements StateReader {
  readonly #module: binaryen.Module;
  readonly #plan: MemoryPlan;
  readonly #ptr: number;

  /** A reader of the block whose address is in i32 local `ptr`. */
  constructor(m: binaryen.Module, plan: MemoryPlan, ptr: number) {
    this.#module = m;
    this.#plan = plan;
    this.#ptr = ptr;
  }

  /** See {@link StateReader.slot}. */
  slot(slot: number, _prev: boolean): Expr {
    return loadSlot(this.#module, slotAt(this.#plan, slot), this.#module.local.get(this.#ptr, I32));
  }

  /** See {@link StateReader.mapEntry}. */
  mapEntry(base: number, keyLo: bigint, key: number, _prev: boolean): Expr {
    const m = this.#module;
    const first = slotAt(this.#plan, base);
    const ptr = mapEntryPtr(
      m,
      m.local.get(this.#ptr, I32),
      m.local.get(key, I64),
      keyLo,
      first.width,
    );
    return loadSlot(m, first, ptr);
  }

  /** Not available outside global items. */
  nodeSlot(): Expr {
    throw new TypeError("Node state read outside a global item");
  }

  /** Not available outside global items. */
  nodeMapEntry(): Expr {
    throw new TypeError("Node state read outside a global item");
  }

  /** Not available outside global items. */
  nodeCount(): Expr {
    throw new TypeError("Node count read outside a global item");
  }
}

/** An assignment of a step as the post-state reader sees it. */
export interface PendingWrite {
  /** The map's base slot, or the scalar's slot. */
  readonly base: number;
  /** A statically known target slot (scalars and constant map keys), else null. */
  readonly slot: number | null;
  /** For a dynamic map key: the i64 local holding the key. */
  readonly key: number | null;
  readonly keyLo: bigint;
  /** The i64 local holding the new value. */
  readonly value: number;
}

/**
 * The post-state of a step: a slot assigned by the action reads its
 * new-value local, an entry of a map assigned under a dynamic key selects
 * between the local and memory by comparing keys, everything else (and
 * every `prev` read) reads the pre-state in memory. Later writes win, as in
 * the interpreter.
 *
 * @example Read the post-state
 * ```ts ignore
 * // Inside an action's function, after its assignments were computed into `writes`:
 * const reader = new PostStateReader(module, plan, ptr, writes, mapBaseOf);
 * ```
 */
export class PostStateReader implements StateReader {
  readonly #module: binaryen.Module;
  readonly #memory: MemoryReader;
  readonly #writes: readonly PendingWrite[];
  readonly #mapBaseOf: (slot: number) => number;

  /** `mapBaseOf(slot)` is the base slot of the variable holding `slot`. */
  constructor(
    m: binaryen.Module,
    plan: MemoryPlan,
    ptr: number,
    writes: readonly PendingWrite[],
    mapBaseOf: (slot: number) => number,
  ) {
    this.#module = m;
    this.#memory = new MemoryReader(m, plan, ptr);
    this.#writes = writes;
    this.#mapBaseOf = mapBaseOf;
  }

  /** See {@link StateReader.slot}. */
  slot(slot: number, prev: boolean): Expr {
    const m = this.#module;
    let acc = this.#memory.slot(slot, prev);
    if (prev) return acc;
    const base = this.#mapBaseOf(slot);
    for (const w of this.#writes) {
      const value = m.local.get(w.value, I64);
      if (w.slot === slot) acc = value;
      else if (w.slot === null && w.key !== null && w.base === base) {
        const index = i64const(m, BigInt(slot - base) + w.keyLo);
        acc = m.select(m.i64.eq(m.local.get(w.key, I64), index), value, acc, I64);
      }
    }
    return acc;
  }

  /** See {@link StateReader.mapEntry}. */
  mapEntry(base: number, keyLo: bigint, key: number, prev: boolean): Expr {
    const m = this.#module;
    let acc = this.#memory.mapEntry(base, keyLo, key, prev);
    if (prev) return acc;
    const k = () => m.local.get(key, I64);
    for (const w of this.#writes) {
      if (w.base !== base) continue;
      const value = m.local.get(w.value, I64);
      const target = w.key !== null
        ? m.local.get(w.key, I64)
        : i64const(m, BigInt((w.slot ?? base) - base) + keyLo);
      acc = m.select(m.i64.eq(k(), target), value, acc, I64);
    }
    return acc;
  }

  /** Not available outside global items. */
  nodeSlot(): Expr {
    throw new TypeError("Node state read outside a global item");
  }

  /** Not available outside global items. */
  nodeMapEntry(): Expr {
    throw new TypeError("Node state read outside a global item");
  }

  /** Not available outside global items. */
  nodeCount(): Expr {
    throw new TypeError("Node count read outside a global item");
  }
}

/**
 * The monitors of a global check: position `p` is instance `first + p`,
 * where `first` and `count` are the function's i32 parameters 0 and 1.
 *
 * @example Read node state
 * ```ts ignore
 * // Inside `global-check(first, count)`, which reads every node's state:
 * const reader = new NodesReader(module, plan);
 * ```
 */
export class NodesReader implements StateReader {
  readonly #module: binaryen.Module;
  readonly #plan: MemoryPlan;

  /** A reader for a function `(first: i32, count: i32)`. */
  constructor(m: binaryen.Module, plan: MemoryPlan) {
    this.#module = m;
    this.#plan = plan;
  }

  #ptr(node: number): Expr {
    const m = this.#module;
    const index = m.i32.add(m.local.get(0, I32), m.i32.wrap(m.local.get(node, I64)));
    return m.i32.add(
      m.i32.const(this.#plan.base),
      m.i32.mul(index, m.i32.const(this.#plan.stride)),
    );
  }

  /** Local state reads do not occur in global items. */
  slot(): Expr {
    throw new TypeError("Local state read inside a global item");
  }

  /** Local state reads do not occur in global items. */
  mapEntry(): Expr {
    throw new TypeError("Local state read inside a global item");
  }

  /** See {@link StateReader.nodeSlot}. */
  nodeSlot(node: number, slot: number): Expr {
    return loadSlot(this.#module, slotAt(this.#plan, slot), this.#ptr(node));
  }

  /** See {@link StateReader.nodeMapEntry}. */
  nodeMapEntry(node: number, base: number, keyLo: bigint, key: number): Expr {
    const m = this.#module;
    const first = slotAt(this.#plan, base);
    const ptr = mapEntryPtr(m, this.#ptr(node), m.local.get(key, I64), keyLo, first.width);
    return loadSlot(m, first, ptr);
  }

  /** See {@link StateReader.nodeCount}. */
  nodeCount(): Expr {
    return this.#module.i64.extend_u(this.#module.local.get(1, I32));
  }
}
