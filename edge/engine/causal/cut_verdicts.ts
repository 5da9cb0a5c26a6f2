/**
 * What the causal judge remembers of the global check, per compiled spec:
 * the global invariants read only some bytes of each node's state (the
 * slots `SpecMeta.globalSlots` names; every byte for a spec compiled
 * before that was recorded), so two states equal on those bytes are one
 * for the check. Each state is interned by that **projection** as a small
 * id, and a cut's verdict, a function of its tuple of ids (in lane order),
 * is remembered: most cuts the judge tries (a handoff's holder against
 * every other node's free state) are then a lookup, not a run of the
 * compiled check.
 *
 * Both tables are bounded: past {@link MAX_PROJECTIONS} ids the ids start
 * again (the `epoch` changes, so ids taken before are interned anew), past
 * {@link MAX_CUTS} verdicts the memo starts again.
 *
 * @module
 */

/** Distinct projections kept per spec before the ids start again. */
export const MAX_PROJECTIONS = 1 << 16;
/** Cut verdicts kept per spec before the memo starts again. */
export const MAX_CUTS = 1 << 16;

/** The parts of a compiled spec's metadata the projection reads. */
export interface ProjectedMeta {
  /** Bytes per state block. */
  readonly stride: number;
  /** Byte offset and width of each slot. */
  readonly slots: readonly { readonly offset: number; readonly width: number }[];
  /** The slots global invariants read; absent: every slot. */
  readonly globalSlots?: readonly number[];
  /** `"exclusion"`: a cut fails only if two of its states satisfy one predicate (`SpecMeta.globalShape`). */
  readonly globalShape?: "exclusion";
}

/** One remembered cut: its ids and the check's code. */
interface Remembered {
  readonly ids: Int32Array;
  readonly code: number;
}

/**
 * Interned projections of one spec's states and the verdicts of cuts of
 * them.
 *
 * @example Two states that differ only where the global check does not read are one
 * ```ts
 * import assert from "node:assert/strict";
 * import { CutVerdicts } from "./cut_verdicts.ts";
 * const memo = new CutVerdicts({
 *   stride: 4,
 *   slots: [{ offset: 0, width: 1 }, { offset: 1, width: 2 }],
 *   globalSlots: [0],
 * });
 * const held = memo.idOf(new Uint8Array([1, 7, 0, 0]));
 * assert.equal(memo.idOf(new Uint8Array([1, 9, 0, 0])), held);
 * const free = memo.idOf(new Uint8Array([0, 7, 0, 0]));
 * assert.notEqual(free, held);
 * const ids = new Int32Array([held, free]);
 * assert.equal(memo.lookup(ids, 2), -1);
 * memo.remember(ids, 2, 0);
 * assert.equal(memo.lookup(ids, 2), 0);
 * assert.deepEqual([...memo.stateOf(held)], [1, 7, 0, 0]);
 * assert.equal(memo.idOf(new Uint8Array([9, 9, 0, 9, 0, 0]), 2), free); // the block at byte 2
 * ```
 */
export class CutVerdicts {
  /** Byte offsets of the state the global check reads, ascending. */
  readonly #read: Int32Array;
  readonly #stride: number;
  /** Per id: a state with that projection (any one: the check cannot tell them apart). */
  #states: Uint8Array[] = [];
  /** Projection hash to ids. */
  #byHash = new Map<number, number[]>();
  /** Cut hash to remembered cuts. */
  #cuts = new Map<number, Remembered[]>();
  #cutCount = 0;
  /** Per-lane keys (the merge order's cuts) to remembered cuts. */
  #laneCuts = new Map<number, Remembered[]>();
  #laneCutCount = 0;
  #epoch = 0;
  /** Per id, for an exclusion spec: 0 not known yet, 1 a pair of such states fails, 2 it passes. */
  #pairs = new Uint8Array(64);
  #hits = 0;
  #misses = 0;
  /** The ids {@link CutVerdicts.idOf} gave last and the one before (-1: none), tried before the hash. */
  #recent0 = -1;
  #recent1 = -1;

  /**
   * True when the spec's global invariants are of the exclusion shape
   * (`SpecMeta.globalShape`): a cut fails only if two of its states satisfy
   * the invariants' predicate, so a state that does not (see
   * {@link CutVerdicts.pairVerdict}) is in no failing cut of its own making.
   */
  readonly exclusion: boolean;

  constructor(meta: ProjectedMeta) {
    this.exclusion = meta.globalShape === "exclusion";
    this.#stride = meta.stride;
    const offsets: number[] = [];
    if (meta.globalSlots === undefined) {
      for (let b = 0; b < meta.stride; b++) offsets.push(b);
    } else {
      for (const s of meta.globalSlots) {
        const slot = meta.slots[s];
        if (slot === undefined) {
          throw new RangeError(
            `Global slot '${s}' is not among the spec's '${meta.slots.length}' slots`,
          );
        }
        for (let b = 0; b < slot.width; b++) offsets.push(slot.offset + b);
      }
    }
    this.#read = Int32Array.from(offsets.sort((a, b) => a - b));
  }

  /** Changes when the ids start again (an id taken before must be interned anew). */
  get epoch(): number {
    return this.#epoch;
  }

  /** Cuts answered from the memo, and cuts the check ran for. */
  get stats(): { readonly hits: number; readonly misses: number } {
    return { hits: this.#hits, misses: this.#misses };
  }

  /** The id of the projection of the state block at byte `at` of `bytes` (a block of the spec's stride). */
  idOf(bytes: Uint8Array, at = 0): number {
    // The two ids given last first: a lane's states mostly alternate between a few projections.
    const r0 = this.#recent0;
    if (r0 >= 0 && this.#same(this.#states[r0]!, bytes, at)) return r0;
    const r1 = this.#recent1;
    if (r1 >= 0 && this.#same(this.#states[r1]!, bytes, at)) {
      this.#recent1 = r0;
      this.#recent0 = r1;
      return r1;
    }
    const id = this.#intern(bytes, at);
    this.#recent1 = this.#recent0;
    this.#recent0 = id;
    return id;
  }

  /** {@link CutVerdicts.idOf} by hash. */
  #intern(bytes: Uint8Array, at: number): number {
    const read = this.#read;
    let h = 0x811c9dc5;
    for (let k = 0; k < read.length; k++) h = Math.imul(h ^ bytes[at + read[k]!]!, 0x01000193);
    let bucket = this.#byHash.get(h);
    if (bucket !== undefined) {
      for (const id of bucket) if (this.#same(this.#states[id]!, bytes, at)) return id;
    }
    if (this.#states.length >= MAX_PROJECTIONS) {
      this.#states = [];
      this.#byHash = new Map();
      this.#cuts = new Map();
      this.#cutCount = 0;
      this.#laneCuts = new Map();
      this.#laneCutCount = 0;
      this.#pairs.fill(0);
      this.#epoch++;
      this.#recent0 = this.#recent1 = -1;
      bucket = undefined;
    }
    const id = this.#states.length;
    this.#states.push(bytes.slice(at, at + this.#stride));
    if (bucket === undefined) this.#byHash.set(h, [id]);
    else bucket.push(id);
    return id;
  }

  /**
   * What is known of the cut of two states of projection `id` on two
   * nodes: 0 not known yet, 1 it fails, 2 it passes (for an
   * {@link CutVerdicts.exclusion} spec: whether the state satisfies the
   * invariants' predicate).
   */
  pairVerdict(id: number): number {
    return id < this.#pairs.length ? this.#pairs[id]! : 0;
  }

  /** Remembers {@link CutVerdicts.pairVerdict} of `id`: whether two states of it fail (`code` non-zero). */
  rememberPair(id: number, code: number): void {
    if (id >= this.#pairs.length) {
      const grown = new Uint8Array(Math.max(2 * this.#pairs.length, id + 1));
      grown.set(this.#pairs);
      this.#pairs = grown;
    }
    this.#pairs[id] = code === 0 ? 2 : 1;
  }

  /** A state with projection `id` (read it only). */
  stateOf(id: number): Uint8Array {
    const s = this.#states[id];
    if (s === undefined) {
      throw new RangeError(`No projection '${id}' (${this.#states.length} interned)`);
    }
    return s;
  }

  /** The remembered code of the cut of ids `ids[0 .. n)`, -1 when not remembered. */
  lookup(ids: Int32Array, n: number): number {
    const bucket = this.#cuts.get(cutHash(ids, n));
    if (bucket !== undefined) {
      for (const r of bucket) {
        if (sameIds(r.ids, ids, n)) {
          this.#hits++;
          return r.code;
        }
      }
    }
    this.#misses++;
    return -1;
  }

  /**
   * The remembered code of the cut whose lane `z` holds projection id
   * `ids[z]` (-1: no interval), for `n` lanes, under the caller's hash of
   * them; -1 when not remembered. (The merge order's cut, whose key the
   * judge keeps per lane: `cut_search.ts`.)
   */
  lookupLanes(ids: Int32Array, n: number, hash: number): number {
    const bucket = this.#laneCuts.get(hash);
    if (bucket !== undefined) {
      for (const r of bucket) {
        if (sameIds(r.ids, ids, n)) {
          this.#hits++;
          return r.code;
        }
      }
    }
    return -1;
  }

  /** Remembers that the cut of per-lane ids `ids[0 .. n)` (see {@link CutVerdicts.lookupLanes}) checks to `code`. */
  rememberLanes(ids: Int32Array, n: number, hash: number, code: number): void {
    if (this.#laneCutCount >= MAX_CUTS) {
      this.#laneCuts = new Map();
      this.#laneCutCount = 0;
    }
    const entry = { ids: ids.slice(0, n), code };
    const bucket = this.#laneCuts.get(hash);
    if (bucket === undefined) this.#laneCuts.set(hash, [entry]);
    else bucket.push(entry);
    this.#laneCutCount++;
  }

  /** Remembers that the cut of ids `ids[0 .. n)` checks to `code`. */
  remember(ids: Int32Array, n: number, code: number): void {
    if (this.#cutCount >= MAX_CUTS) {
      this.#cuts = new Map();
      this.#cutCount = 0;
    }
    const h = cutHash(ids, n);
    const entry = { ids: ids.slice(0, n), code };
    const bucket = this.#cuts.get(h);
    if (bucket === undefined) this.#cuts.set(h, [entry]);
    else bucket.push(entry);
    this.#cutCount++;
  }

  #same(a: Uint8Array, b: Uint8Array, at: number): boolean {
    const read = this.#read;
    for (let k = 0; k < read.length; k++) if (a[read[k]!] !== b[at + read[k]!]) return false;
    return true;
  }
}

function cutHash(ids: Int32Array, n: number): number {
  let h = Math.imul(n, 0x9e3779b1);
  for (let k = 0; k < n; k++) h = Math.imul(h ^ ids[k]!, 0x01000193) ^ (h >>> 15);
  return h;
}

function sameIds(a: Int32Array, b: Int32Array, n: number): boolean {
  if (a.length !== n) return false;
  for (let k = 0; k < n; k++) if (a[k] !== b[k]) return false;
  return true;
}
