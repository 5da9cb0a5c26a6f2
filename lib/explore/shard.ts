/**
 * One shard of a parallel exploration: the states whose fingerprint's
 * second half is `part` modulo `parts`. Exploration is level-synchronous:
 * every shard expands its frontier (`expand`), sending each successor
 * to its owner as a record (block words, source shard, source index,
 * action, tuple); then every owner inserts the records it received
 * (`absorb`), which become its next frontier. Parent pointers are
 * (shard, index) pairs, so shortest traces can still be rebuilt.
 *
 * The class is pure and synchronous; `lib/explore/worker.ts` runs one in each
 * Web Worker, and tests run several in one thread.
 *
 * @module
 */
import type { SpecMeta } from "../abi/meta.ts";
import type { Program } from "../ir.ts";
import { allArgTuples, type ArgTuples, type IntRange } from "./domains.ts";
import { IntColumn } from "./growable.ts";
import { StateSet } from "./state_set.ts";
import { CLASS_AFTER_REQUIRES, classifyCodes, violationCodes } from "./verdict_classes.ts";
import { WasmStepper } from "./wasm_stepper.ts";

/** Extra words per record after the block: source shard, source index, action, tuple. */
export const RECORD_EXTRA = 4;

/**
 * Everything a shard needs, structured-cloneable (sent to a worker).
 *
 * @example One of two shards of a counter
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "../frontend.ts";
 * import { initialState } from "../interpreter/interpreter.ts";
 * import { buildMeta } from "../wasm/meta_build.ts";
 * import { buildCoreModule } from "../wasm/codegen/codegen.ts";
 * import { Shard, type ShardSetup } from "./shard.ts";
 * const source = "spec C state n: 0..3 = 0 action inc require n < 3 n := n + 1";
 * const { program } = analyze(source);
 * const meta = buildMeta(program!, initialState(program!).state);
 * const wasm = buildCoreModule(program!, meta).wasm;
 * const setup: ShardSetup = { wasm, meta, program: program!, part: 0, parts: 2 };
 * const shard = new Shard(setup);
 * assert.ok(shard.stats().distinct <= 1);
 * ```
 */
export interface ShardSetup {
  /** This shard's number. */
  readonly part: number;
  /** The number of shards. */
  readonly parts: number;
  /** The core module. */
  readonly wasm: Uint8Array;
  /** Its metadata. */
  readonly meta: SpecMeta;
  /** The checked program. */
  readonly program: Program;
  /** Values of `int` parameters. */
  readonly intRange?: IntRange;
}

/**
 * A stored state and how it was reached.
 *
 * @example The initial state has no parent
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "../frontend.ts";
 * import { initialState } from "../interpreter/interpreter.ts";
 * import { buildMeta } from "../wasm/meta_build.ts";
 * import { buildCoreModule } from "../wasm/codegen/codegen.ts";
 * import { Shard, type ShardNode } from "./shard.ts";
 * const source = "spec C state n: 0..3 = 0 action inc require n < 3 n := n + 1";
 * const { program } = analyze(source);
 * const meta = buildMeta(program!, initialState(program!).state);
 * const wasm = buildCoreModule(program!, meta).wasm;
 * const shard = new Shard({ wasm, meta, program: program!, part: 0, parts: 1 });
 * const node: ShardNode = shard.node(0);
 * assert.deepEqual([node.parentPart, node.action], [-1, -1]);
 * ```
 */
export interface ShardNode {
  /** The state block. */
  readonly words: Uint32Array;
  /** The parent's shard (-1 for the initial state). */
  readonly parentPart: number;
  /** The parent's index in its shard. */
  readonly parentIndex: number;
  /** The action that reached the state (-1 for the initial state). */
  readonly action: number;
  /** Its argument tuple index. */
  readonly tuple: number;
}

/**
 * A violation site: the first per verdict code in this shard, with its level.
 *
 * @example Where a violating step was first seen
 * ```ts
 * import assert from "node:assert/strict";
 * import type { ShardViolation } from "./shard.ts";
 * const site: ShardViolation = { code: 4, level: 2, from: 7, action: 0, tuple: 0 };
 * assert.equal(site.level, 2);
 * ```
 */
export interface ShardViolation {
  /** The failing verdict code. */
  readonly code: number;
  /** Breadth-first level of the state the failing step left from. */
  readonly level: number;
  /** Index in this shard of the state the failing step left from. */
  readonly from: number;
  /** The action index of the failing step. */
  readonly action: number;
  /** Its argument tuple index. */
  readonly tuple: number;
}

/**
 * Counters of a shard at the end.
 *
 * @example One shard explores a counter alone
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "../frontend.ts";
 * import { initialState } from "../interpreter/interpreter.ts";
 * import { buildMeta } from "../wasm/meta_build.ts";
 * import { buildCoreModule } from "../wasm/codegen/codegen.ts";
 * import { Shard, type ShardStats } from "./shard.ts";
 * const source = "spec C state n: 0..3 = 0 action inc require n < 3 n := n + 1";
 * const { program } = analyze(source);
 * const meta = buildMeta(program!, initialState(program!).state);
 * const wasm = buildCoreModule(program!, meta).wasm;
 * const shard = new Shard({ wasm, meta, program: program!, part: 0, parts: 1 });
 * for (let level = 0; level < 4; level++) shard.absorb(shard.expand(), Infinity);
 * const stats: ShardStats = shard.stats();
 * assert.deepEqual([stats.distinct, stats.deadlockCount], [4, 1]);
 * ```
 */
export interface ShardStats {
  /** Distinct states stored. */
  readonly distinct: number;
  /** Initial state (if owned) plus `ok` steps from this shard's states. */
  readonly generated: number;
  /** States expanded. */
  readonly expanded: number;
  /** Per action: how often each verdict code was returned. */
  readonly codeCounts: readonly Uint32Array[];
  /** First site of each violating verdict code. */
  readonly violations: readonly ShardViolation[];
  /** Deadlocked states (level, index), the first 10 of each level order. */
  readonly deadlocks: readonly { readonly level: number; readonly index: number }[];
  /** All deadlocked states. */
  readonly deadlockCount: number;
}

/**
 * Which shard owns the block at `words[at..]`: a hash independent of
 * the state set's bucket hash, so each shard's table stays uniform.
 */
export function ownerOf(words: Uint32Array, at: number, count: number, parts: number): number {
  let h = 0x2545f491;
  for (let i = 0; i < count; i++) {
    h = Math.imul(h ^ words[at + i]!, 0x9e3779b1);
    h ^= h >>> 15;
  }
  h = Math.imul(h ^ (h >>> 13), 0x85ebca6b);
  return ((h ^ (h >>> 16)) >>> 0) % parts;
}

/** A growable outgoing batch of records. */
class Outbox {
  data = new Uint32Array(4096);
  length = 0;

  reserve(n: number): void {
    if (this.length + n <= this.data.length) return;
    const bigger = new Uint32Array(Math.max(this.data.length * 2, this.length + n));
    bigger.set(this.data);
    this.data = bigger;
  }
}

/**
 * A shard's states and its stepping instance.
 *
 * @example Two shards in one thread
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "../frontend.ts";
 * import { initialState } from "../interpreter/interpreter.ts";
 * import { buildMeta } from "../wasm/meta_build.ts";
 * import { buildCoreModule } from "../wasm/codegen/codegen.ts";
 * import { Shard } from "./shard.ts";
 * const { program } = analyze("spec C state n: 0..3 = 0 action inc require n < 3 n := n + 1");
 * const meta = buildMeta(program!, initialState(program!).state);
 * const setup = { wasm: buildCoreModule(program!, meta).wasm, meta, program: program! };
 * const parts = [0, 1].map((part) => new Shard({ ...setup, part, parts: 2 }));
 * while (parts.some((p) => p.frontier > 0)) {
 *   const outs = parts.map((p) => p.expand());
 *   parts.forEach((p, i) => p.absorb(outs.map((o) => o[i]!), Infinity));
 * }
 * assert.equal(parts[0]!.stats().distinct + parts[1]!.stats().distinct, 4);
 * ```
 */
export class Shard {
  readonly part: number;
  readonly parts: number;
  readonly #stepper: WasmStepper;
  readonly #tuples: readonly ArgTuples[];
  readonly #classes: readonly Int32Array[];
  readonly #violating: Uint8Array;
  readonly #set: StateSet;
  readonly #parentPart = new IntColumn();
  readonly #parentIndex = new IntColumn();
  readonly #action = new IntColumn();
  readonly #tuple = new IntColumn();
  readonly #codeCounts: Uint32Array[];
  readonly #violations = new Map<number, ShardViolation>();
  readonly #deadlocks: { level: number; index: number }[] = [];
  #deadlockCount = 0;
  #generated = 0;
  #expanded = 0;
  #frontierStart = 0;
  #level = 0;

  /** Instantiates the module and, for shard 0's owner, stores the initial state. */
  constructor(setup: ShardSetup) {
    this.part = setup.part;
    this.parts = setup.parts;
    this.#stepper = new WasmStepper(setup.wasm, setup.meta);
    this.#tuples = allArgTuples(setup.program, setup.intRange);
    this.#classes = setup.program.actions.map((a) => classifyCodes(setup.program, a));
    this.#violating = violationCodes(setup.program);
    this.#codeCounts = setup.program.actions.map(() =>
      new Uint32Array(setup.program.verdicts.length)
    );
    const s = this.#stepper;
    this.#set = new StateSet(s.words, 4096);
    if (ownerOf(s.block, s.at, s.words, this.parts) === this.part) {
      this.#set.insert(s.block, s.at);
      this.#record(0, -1, -1, -1, -1);
      this.#generated = 1;
    }
  }

  #record(i: number, pp: number, pi: number, a: number, t: number): void {
    this.#parentPart.set(i, pp), this.#parentIndex.set(i, pi);
    this.#action.set(i, a), this.#tuple.set(i, t);
  }

  /** States in the frontier (found but not expanded). */
  get frontier(): number {
    return this.#set.size - this.#frontierStart;
  }

  /** Expands the frontier; returns one batch of successor records per owner shard. */
  expand(): Uint32Array[] {
    const s = this.#stepper, w = s.words;
    const out = Array.from({ length: this.parts }, () => new Outbox());
    const rec = w + RECORD_EXTRA;
    const end = this.#set.size;
    const scratch = new Uint32Array(w);
    for (let i = this.#frontierStart; i < end; i++) {
      this.#set.copyOut(i, scratch, 0);
      s.load(scratch, 0);
      let enabled = false;
      for (let a = 0; a < this.#tuples.length; a++) {
        const tup = this.#tuples[a]!, cls = this.#classes[a]!, counts = this.#codeCounts[a]!;
        for (let t = 0; t < tup.count; t++) {
          const code = s.step(a, tup, t);
          counts[code]!++;
          if (code !== 0) {
            if (cls[code] === CLASS_AFTER_REQUIRES) enabled = true;
            if (this.#violating[code] === 1 && !this.#violations.has(code)) {
              this.#violations.set(code, {
                code,
                level: this.#level,
                from: i,
                action: a,
                tuple: t,
              });
            }
            continue;
          }
          enabled = true;
          this.#generated++;
          const box = out[ownerOf(s.block, s.at, w, this.parts)]!;
          box.reserve(rec);
          const d = box.data, o = box.length, block = s.block, from = s.at;
          for (let k = 0; k < w; k++) d[o + k] = block[from + k]!;
          d[o + w] = this.part, d[o + w + 1] = i, d[o + w + 2] = a, d[o + w + 3] = t;
          box.length = o + rec;
          s.load(scratch, 0);
        }
      }
      this.#expanded++;
      if (!enabled) {
        if (this.#deadlocks.length < 10) this.#deadlocks.push({ level: this.#level, index: i });
        this.#deadlockCount++;
      }
    }
    this.#frontierStart = end;
    this.#level++;
    return out.map((c) => c.data.slice(0, c.length));
  }

  /**
   * Inserts received records; stores at most `budget` new states. Returns the
   * number stored and whether any new state was dropped for the budget.
   */
  absorb(batches: readonly Uint32Array[], budget: number): { added: number; dropped: boolean } {
    const w = this.#stepper.words, rec = w + RECORD_EXTRA;
    let added = 0, dropped = false;
    for (const batch of batches) {
      for (let at = 0; at < batch.length; at += rec) {
        if (added >= budget) {
          if (this.#set.find(batch, at) < 0) dropped = true;
          continue;
        }
        const r = this.#set.insert(batch, at);
        if (r < 0) continue;
        added++;
        this.#record(r, batch[at + w]!, batch[at + w + 1]!, batch[at + w + 2]!, batch[at + w + 3]!);
      }
    }
    return { added, dropped };
  }

  /** State `i` and its parent pointer. */
  node(i: number): ShardNode {
    const w = this.#stepper.words;
    const words = new Uint32Array(w);
    this.#set.copyOut(i, words, 0);
    return {
      words,
      parentPart: this.#parentPart.get(i),
      parentIndex: this.#parentIndex.get(i),
      action: this.#action.get(i),
      tuple: this.#tuple.get(i),
    };
  }

  /** The shard's counters. */
  stats(): ShardStats {
    return {
      distinct: this.#set.size,
      generated: this.#generated,
      expanded: this.#expanded,
      codeCounts: this.#codeCounts,
      violations: [...this.#violations.values()],
      deadlocks: this.#deadlocks,
      deadlockCount: this.#deadlockCount,
    };
  }
}
