/**
 * The random-state walk the global check property tests share: a seeded
 * walk over one block of instances of a compiled spec, changed the way a
 * collector changes a partition's participants (one instance gets a new
 * random state, or a new instance joins at the end), with the full
 * evaluation (`global-check`) before and after each change. The tests
 * compare their fast evaluation with it: the incremental check
 * (`tests/global_incremental_test.ts`) and the maintained aggregates
 * (`tests/global_aggregates_test.ts`), whose record follows each write
 * through the hooks.
 *
 * @module
 */
import type { CompiledSpec } from "../lib/abi/compiled.ts";
import { rng } from "./collector_core_fixture.ts";
import { randomSlots } from "./random_states.ts";

/** One change of a {@link walkBlock}. */
export interface BlockChange {
  /** Step number, from 0. */
  readonly step: number;
  /** The block's first instance. */
  readonly block: number;
  /** Instances in the block after the change. */
  readonly count: number;
  /** Position in the block of the instance that changed (`count - 1` when it joined). */
  readonly changed: number;
  /** True when the instance joined (the block grew by one). */
  readonly joined: boolean;
  /** True when the full check passed on the block just before this change (false after a restart). */
  readonly passedBefore: boolean;
  /** `globalCheck(block, count)` after the change. */
  readonly full: number;
}

/** Options of {@link walkBlock}. */
export interface WalkOptions {
  /** Seed of the walk's generator. */
  readonly seed: number;
  /** Changes to make. */
  readonly steps: number;
  /** Most instances in the block (default 8). */
  readonly maxNodes?: number;
  /** A fresh, empty block every this many steps (default 64). */
  readonly restartEvery?: number;
  /** Called when the block starts empty again (the first step included). */
  readonly onRestart?: () => void;
  /** Called before instance `inst`, already in the block, gets its new state. */
  readonly beforeWrite?: (inst: number) => void;
  /** Called after instance `inst` got its new state (joined or not). */
  readonly afterWrite?: (inst: number) => void;
}

/**
 * Walks a block of random states of `spec`: each step changes one instance
 * (an existing one, or one that joins while the block has room; a fresh
 * block joins its first) to random slots, a random share of them left at
 * their initial value, and yields the change with the full verdict.
 *
 * @example A few changes of a lease block
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "../lib/abi/loader.ts";
 * import { walkBlock } from "./global_walk.ts";
 * const lease = await loadCompiled(new URL("../dist/lease.core.wasm", import.meta.url));
 * const changes = [...walkBlock(lease, { seed: 7, steps: 20, maxNodes: 3 })];
 * assert.equal(changes.length, 20);
 * assert.ok(changes.every((c) => c.count >= 1 && c.count <= 3 && c.changed < c.count));
 * assert.ok(changes[0]!.joined && !changes[0]!.passedBefore);
 * ```
 */
export function* walkBlock(spec: CompiledSpec, options: WalkOptions): Generator<BlockChange> {
  const rnd = rng(options.seed);
  const max = options.maxNodes ?? 8;
  const restartEvery = options.restartEvery ?? 64;
  const block = spec.create(max);
  let count = 0;
  let passed = false;
  for (let step = 0; step < options.steps; step++) {
    if (step % restartEvery === 0) {
      count = 0;
      passed = false;
      options.onRestart?.();
    }
    const quiet = 0.4 + rnd() * 0.6;
    const joined = count === 0 || (count < max && rnd() < 0.2);
    const changed = joined ? count : Math.floor(rnd() * count);
    if (!joined) options.beforeWrite?.(block + changed);
    const slots = randomSlots(spec, rnd, quiet);
    const refused = spec.writeSlots(block + changed, slots);
    if (refused !== 0) {
      throw new RangeError(`Random slot ${refused - 1} of spec '${spec.meta.name}' was refused`);
    }
    if (joined) count++;
    options.afterWrite?.(block + changed);
    const full = spec.globalCheck(block, count);
    yield { step, block, count, changed, joined, passedBefore: passed, full };
    passed = full === 0;
  }
}
