/**
 * Happened-before across nodes, rebuilt by the collector from the
 * dependencies events carry (`EventDependency` on the wire): an entry
 * "node Y's event at HLC `at` depends on node X at HLC `t`" says every
 * event of X at or before `t` happened before Y's event at `at` and before
 * every later event of Y (a node's HLC increases over all its streams, so
 * program order is HLC order per node). The transitive closure gives, for
 * an event, its vector clock: per other node, the latest HLC of that node
 * known to precede it. The wire never carries that vector; the collector
 * computes it from the entries it holds (few: one per message received,
 * pruned once physical time orders what they order anyway).
 *
 * @module
 */

/** A point in hybrid logical time. */
export interface HlcPoint {
  /** Wall part, ms. */
  readonly wall: number;
  /** Logical part. */
  readonly logical: number;
}

/**
 * For an event: per other node, the latest HLC of that node known to
 * precede it (absent: nothing known).
 */
export type Vector = ReadonlyMap<string, HlcPoint>;

/**
 * True when `(aw, al)` is at or before `(bw, bl)`.
 *
 * @example Compare two points
 * ```ts
 * import assert from "node:assert/strict";
 * import { atOrBefore } from "./happened_before.ts";
 * assert.equal(atOrBefore(5, 1, 5, 2), true);
 * assert.equal(atOrBefore(6, 0, 5, 9), false);
 * ```
 */
export function atOrBefore(aw: number, al: number, bw: number, bl: number): boolean {
  return aw < bw || (aw === bw && al <= bl);
}

/** One node's dependency entries, sorted by the HLC of the event that carried them, with their vector clocks. */
class NodeEntries {
  readonly atWall: number[] = [];
  readonly atLogical: number[] = [];
  readonly from: string[] = [];
  readonly fromWall: number[] = [];
  readonly fromLogical: number[] = [];
  /** The vector clock just after entry `i` (computed when first asked), and the epoch it was computed in. */
  readonly vc: (Map<string, HlcPoint> | null)[] = [];
  readonly vcEpoch: number[] = [];

  get length(): number {
    return this.atWall.length;
  }

  /** Inserts an entry; -1 when it was already there (nothing changed), else its position. */
  add(aw: number, al: number, from: string, fw: number, fl: number): number {
    let i = this.atWall.length;
    while (i > 0 && !atOrBefore(this.atWall[i - 1]!, this.atLogical[i - 1]!, aw, al)) i--;
    // The same entry again (a redelivered batch): keep the later time.
    for (let j = i - 1; j >= 0 && this.atWall[j] === aw && this.atLogical[j] === al; j--) {
      if (this.from[j] !== from) continue;
      if (atOrBefore(fw, fl, this.fromWall[j]!, this.fromLogical[j]!)) return -1;
      this.fromWall[j] = fw;
      this.fromLogical[j] = fl;
      return j;
    }
    this.atWall.splice(i, 0, aw);
    this.atLogical.splice(i, 0, al);
    this.from.splice(i, 0, from);
    this.fromWall.splice(i, 0, fw);
    this.fromLogical.splice(i, 0, fl);
    this.vc.splice(i, 0, null);
    this.vcEpoch.splice(i, 0, -1);
    return i;
  }

  /** Index of the last entry at or before (`w`, `l`), -1 when none. */
  lastAtOrBefore(w: number, l: number): number {
    const aw = this.atWall;
    const al = this.atLogical;
    let lo = 0;
    let hi = aw.length; // the answer is lo - 1: entries before lo are at or before (w, l)
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (atOrBefore(aw[mid]!, al[mid]!, w, l)) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  /** Drops the entries carried and sent before `wall` (their vector clocks stay with the entries kept). */
  prune(wall: number): number {
    let k = 0;
    const n = this.atWall.length;
    while (k < n - 1 && this.fromWall[k]! < wall && this.atWall[k]! < wall) k++;
    if (k === 0) return 0;
    for (const a of [this.atWall, this.atLogical, this.fromWall, this.fromLogical, this.vcEpoch]) {
      a.splice(0, k);
    }
    this.from.splice(0, k);
    this.vc.splice(0, k);
    return k;
  }
}

const EMPTY: Vector = new Map();

/**
 * The dependency entries of every node, and the vector clocks they give.
 * Each entry's vector clock (the node's knowledge just after receiving) is
 * computed once, from the node's previous entry and the sender's vector at
 * the stamp; an entry that arrives out of causal order (before an entry it
 * should have followed, or naming a time another node already depended on)
 * makes every vector be computed again when next asked.
 *
 * @example B received A's stamp; C received B's: A's early events precede C's
 * ```ts
 * import assert from "node:assert/strict";
 * import { DependencyTable } from "./happened_before.ts";
 * const table = new DependencyTable();
 * table.record("B", { wall: 20, logical: 0 }, { node: "A", wall: 15, logical: 0 });
 * table.record("C", { wall: 30, logical: 0 }, { node: "B", wall: 25, logical: 0 });
 * const vc = table.vectorAt("C", { wall: 31, logical: 0 });
 * assert.deepEqual(vc.get("A"), { wall: 15, logical: 0 });
 * assert.deepEqual(vc.get("B"), { wall: 25, logical: 0 });
 * assert.equal(table.vectorAt("C", { wall: 29, logical: 0 }).size, 0); // before the receipt
 * assert.equal(table.precedes("A", { wall: 14, logical: 0 }, "C", { wall: 31, logical: 0 }), true);
 * ```
 */
export class DependencyTable {
  readonly #byNode = new Map<string, NodeEntries>();
  /** Per node, the latest time another node's entry names (a later entry of it then arrived out of order). */
  readonly #named = new Map<string, HlcPoint>();
  /** Bumped when vectors computed before may be stale. */
  #epoch = 0;
  #generation = 0;
  #entries = 0;

  /** Changes whenever an entry is added or pruned. */
  get generation(): number {
    return this.#generation;
  }

  /** Entries held. */
  get size(): number {
    return this.#entries;
  }

  /**
   * Records that `node`'s event at `at` depends on `dep` (a node other
   * than `node`; an entry naming `node` itself says nothing and is ignored).
   */
  record(node: string, at: HlcPoint, dep: { node: string } & HlcPoint): void {
    if (dep.node === node) return;
    let e = this.#byNode.get(node);
    if (e === undefined) this.#byNode.set(node, e = new NodeEntries());
    const before = e.length;
    const i = e.add(at.wall, at.logical, dep.node, dep.wall, dep.logical);
    if (i < 0) return;
    this.#generation++;
    if (e.length > before) this.#entries++;
    const named = this.#named.get(node);
    if (
      e.length === before || i !== e.length - 1 ||
      (named !== undefined && atOrBefore(at.wall, at.logical, named.wall, named.logical))
    ) this.#epoch++;
    const seen = this.#named.get(dep.node);
    if (seen === undefined || !atOrBefore(dep.wall, dep.logical, seen.wall, seen.logical)) {
      this.#named.set(dep.node, { wall: dep.wall, logical: dep.logical });
    }
  }

  /**
   * The vector clock of `node`'s event at `at`: per other node, the latest
   * HLC known to precede it, through every chain of entries held. The map
   * returned is shared: read it, do not change it.
   */
  vectorAt(node: string, at: HlcPoint): Vector {
    const e = this.#byNode.get(node);
    if (e === undefined) return EMPTY;
    const i = e.lastAtOrBefore(at.wall, at.logical);
    return i < 0 ? EMPTY : this.#vectorOf(node, e, i);
  }

  #vectorOf(node: string, e: NodeEntries, i: number): Vector {
    if (e.vcEpoch[i] === this.#epoch) return e.vc[i]!;
    const vc = new Map(i > 0 ? this.#vectorOf(node, e, i - 1) : EMPTY);
    const f = e.from[i]!;
    join(vc, f, e.fromWall[i]!, e.fromLogical[i]!);
    for (const [n, t] of this.vectorAt(f, { wall: e.fromWall[i]!, logical: e.fromLogical[i]! })) {
      if (n !== node) join(vc, n, t.wall, t.logical);
    }
    e.vc[i] = vc;
    e.vcEpoch[i] = this.#epoch;
    return vc;
  }

  /** True when `a`'s event at `ta` is known to happen before `b`'s event at `tb` (same node: HLC order). */
  precedes(a: string, ta: HlcPoint, b: string, tb: HlcPoint): boolean {
    if (a === b) return atOrBefore(ta.wall, ta.logical, tb.wall, tb.logical) && !sameAs(ta, tb);
    const k = this.vectorAt(b, tb).get(a);
    return k !== undefined && atOrBefore(ta.wall, ta.logical, k.wall, k.logical);
  }

  /** The entries carried by `node`'s event at exactly `at` (for the pictures' arrows). */
  entriesAt(node: string, at: HlcPoint): { node: string; wall: number; logical: number }[] {
    const e = this.#byNode.get(node);
    const out: { node: string; wall: number; logical: number }[] = [];
    if (e === undefined) return out;
    for (let i = 0; i < e.length; i++) {
      if (e.atWall[i] === at.wall && e.atLogical[i] === at.logical) {
        out.push({ node: e.from[i]!, wall: e.fromWall[i]!, logical: e.fromLogical[i]! });
      }
    }
    return out;
  }

  /**
   * Drops entries that only order events before wall time `wall` (the
   * caller's horizon, past which physical time orders them anyway); each
   * node keeps its latest entry.
   */
  prune(wall: number): void {
    let dropped = 0;
    for (const e of this.#byNode.values()) dropped += e.prune(wall);
    if (dropped > 0) this.#generation++;
    this.#entries -= dropped;
  }
}

/** Raises `vc[n]` to (`w`, `l`) when later. */
function join(vc: Map<string, HlcPoint>, n: string, w: number, l: number): void {
  const k = vc.get(n);
  if (k === undefined || !atOrBefore(w, l, k.wall, k.logical)) vc.set(n, { wall: w, logical: l });
}

function sameAs(a: HlcPoint, b: HlcPoint): boolean {
  return a.wall === b.wall && a.logical === b.logical;
}
