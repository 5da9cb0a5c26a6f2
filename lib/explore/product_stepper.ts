/**
 * Steps the product of N monitors of one spec (`vigil check --nodes N`): a
 * product state is N instance blocks laid end to end in the core module's
 * memory (instances are contiguous), and virtual action `k * A + a` is
 * action `a` of node `k` (A actions), run by the same `step-<action>` export
 * on that node's instance. After a successful step the blocks are sorted
 * (symmetry reduction: nodes are interchangeable, and every global item is
 * symmetric in them, since it can only compare node variables for equality),
 * then the module's `global-check` runs over the N instances: a failing
 * global invariant is the step's verdict, as a failing local invariant is.
 *
 * @module
 */
import type { SpecMeta } from "../abi/meta.ts";
import type { ArgTuples } from "./domains.ts";
import type { Stepper } from "./wasm_stepper.ts";

type StepFn = (inst: number, ...args: number[]) => number;

interface ProductExports {
  readonly memory: WebAssembly.Memory;
  create(count: number): number;
  "state-ptr"(inst: number): number;
  "global-check"(first: number, count: number): number;
  "global-liveness"(first: number, count: number): number;
}

/**
 * Sorts the `nodes` blocks of `stride` words at `words[at..]` in place
 * (lexicographic by word); returns where each block went: `moved[j]` is the
 * new position of the block that was at position `j`.
 *
 * @example Sort two blocks
 * ```ts
 * import assert from "node:assert/strict";
 * import { sortBlocks } from "./product_stepper.ts";
 * const words = new Uint32Array([5, 1, 2, 9]);
 * assert.deepEqual(sortBlocks(words, 0, 2, 2), [1, 0]);
 * assert.deepEqual([...words], [2, 9, 5, 1]);
 * ```
 */
export function sortBlocks(
  words: Uint32Array,
  at: number,
  stride: number,
  nodes: number,
): number[] {
  const order = Array.from({ length: nodes }, (_, j) => j);
  const less = (a: number, b: number) => {
    for (let k = 0; k < stride; k++) {
      const x = words[at + a * stride + k]!, y = words[at + b * stride + k]!;
      if (x !== y) return x < y;
    }
    return false;
  };
  // Insertion sort by index: N is small; stable, so equal blocks keep their order.
  for (let i = 1; i < nodes; i++) {
    const j0 = order[i]!;
    let j = i - 1;
    while (j >= 0 && less(j0, order[j]!)) {
      order[j + 1] = order[j]!;
      j--;
    }
    order[j + 1] = j0;
  }
  const copy = words.slice(at, at + stride * nodes);
  const moved = new Array<number>(nodes);
  order.forEach((from, to) => {
    moved[from] = to;
    words.set(copy.subarray(from * stride, (from + 1) * stride), at + to * stride);
  });
  return moved;
}

/**
 * N instances of a compiled core module stepped as one product state.
 *
 * @example Two toggles: four product states, three up to symmetry
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "../frontend.ts";
 * import { initialState } from "../interpreter/interpreter.ts";
 * import { buildMeta } from "../wasm/meta_build.ts";
 * import { buildCoreModule } from "../wasm/codegen/codegen.ts";
 * import { ProductStepper } from "./product_stepper.ts";
 * const { program } = analyze("spec T state on: bool = false action flip on := not on");
 * const meta = buildMeta(program!, initialState(program!).state);
 * const stepper = new ProductStepper(buildCoreModule(program!, meta).wasm, meta, 2);
 * assert.equal(stepper.words, 2 * meta.stride / 4);
 * assert.equal(stepper.step(1, { arity: 0, count: 1, values: new Float64Array() }, 0), 0);
 * assert.notEqual(stepper.block[stepper.at + meta.stride / 4], 0); // sorted: the flipped node is last
 * ```
 */
export class ProductStepper implements Stepper {
  /** Words per product state. */
  readonly words: number;
  /** The memory as words; the product state starts at {@link at}. */
  readonly block: Uint32Array;
  /** Word index of the first node's block. */
  readonly at: number;
  /** The number of nodes. */
  readonly nodes: number;
  /** Words per node. */
  readonly stride: number;
  readonly #first: number;
  readonly #steps: readonly StepFn[];
  readonly #exports: ProductExports;

  /** Instantiates `wasm` (built from `meta`) with `nodes` instances at the initial state. */
  constructor(wasm: Uint8Array, meta: SpecMeta, nodes: number) {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(wasm as BufferSource));
    const exports = instance.exports as unknown as ProductExports;
    this.#exports = exports;
    this.#first = exports.create(nodes);
    if (this.#first < 0) throw new RangeError(`Cannot create '${nodes}' instances`);
    const ptr = exports["state-ptr"](this.#first);
    if (ptr % 4 !== 0 || meta.stride % 4 !== 0) {
      throw new RangeError(`Instance block at '${ptr}' is not word aligned`);
    }
    const second = nodes > 1 ? exports["state-ptr"](this.#first + 1) : ptr + meta.stride;
    if (second !== ptr + meta.stride) throw new RangeError("Instances are not contiguous");
    this.nodes = nodes;
    this.stride = meta.stride / 4;
    this.words = this.stride * nodes;
    this.at = ptr / 4;
    this.block = new Uint32Array(exports.memory.buffer);
    const table = instance.exports as unknown as Record<string, StepFn | undefined>;
    this.#steps = meta.actions.map((a) => {
      const f = table[a.stepExport];
      if (f === undefined) throw new RangeError(`Core module lacks export '${a.stepExport}'`);
      return f;
    });
  }

  /** Copies a product state from `src[from..]` into the instances. */
  load(src: Uint32Array, from: number): void {
    const block = this.block, at = this.at;
    for (let i = 0; i < this.words; i++) block[at + i] = src[from + i]!;
  }

  /**
   * Steps virtual action `action` (node `action / A`, action `action % A`)
   * with tuple `t`; on `ok`, sorts the nodes and returns the first failing
   * global invariant's code, or 0.
   */
  step(action: number, tuples: ArgTuples, t: number): number {
    const actions = this.#steps.length;
    const node = Math.floor(action / actions);
    const f = this.#steps[action - node * actions]!;
    const inst = this.#first + node;
    const v = tuples.values;
    const k = t * tuples.arity;
    let code: number;
    switch (tuples.arity) {
      case 0:
        code = f(inst) >>> 0;
        break;
      case 1:
        code = f(inst, v[k]!) >>> 0;
        break;
      case 2:
        code = f(inst, v[k]!, v[k + 1]!) >>> 0;
        break;
      default:
        code = f(inst, ...v.subarray(k, k + tuples.arity)) >>> 0;
    }
    if (code !== 0) return code;
    this.#sort();
    return this.#exports["global-check"](this.#first, this.nodes) >>> 0;
  }

  /** Sorts the node blocks in place without allocating (insertion sort by block swaps). */
  #sort(): void {
    const b = this.block, w = this.stride, at = this.at;
    for (let i = 1; i < this.nodes; i++) {
      for (let j = i; j > 0; j--) {
        const hi = at + j * w, lo = hi - w;
        let k = 0;
        while (k < w && b[hi + k] === b[lo + k]) k++;
        if (k === w || b[hi + k]! > b[lo + k]!) break;
        for (let m = 0; m < w; m++) {
          const x = b[hi + m]!;
          b[hi + m] = b[lo + m]!;
          b[lo + m] = x;
        }
      }
    }
  }

  /** The first failing global invariant's code on the current product state, or 0. */
  globalCheck(): number {
    return this.#exports["global-check"](this.#first, this.nodes) >>> 0;
  }

  /** The global liveness bit mask of the product state. */
  liveness(): number {
    return this.#exports["global-liveness"](this.#first, this.nodes) >>> 0;
  }
}
