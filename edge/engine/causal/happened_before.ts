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
 * Nodes are numbered as the table first meets them ({@link DependencyTable.nodeId});
 * a vector clock is a run of (wall, logical) pairs indexed by that number,
 * `-Infinity` walls for nodes nothing is known of, kept in large shared
 * `Float64Array` slabs and named by a number (its handle), so the judge's
 * hot path compares numbers, and the collector's heap holds no object per
 * vector (a slab goes once none of its vectors is in use).
 *
 * @module
 */
import { atOrBefore, NO_VECTOR, NodeEntries } from "./node_entries.ts";

export { atOrBefore, NO_VECTOR };

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

/** Doubles per slab of vectors (512 KiB); a larger vector gets a slab of its own. */
const SLAB = 1 << 16;
/** Empty slabs kept for reuse. */
const SPARE_SLABS = 4;
/** Handle = slab number * SLOT_SPAN + offset. */
const SLOT_SPAN = 2 ** 26;

/** Epoch bumps remembered ({@link DependencyTable}'s stack of them); past it the older half goes. */
const BUMPS_KEPT = 4096;

/**
 * How many retired nodes' names a table keeps ({@link DependencyTable.retire}):
 * with pods named anew at each deploy, one per departed node would grow for
 * ever. A stamp naming a node forgotten past this is taken as from a node
 * not seen yet (its entries are pruned by time like any other's); the
 * engine keeps as many stream tombstones.
 */
export const MAX_RETIRED_NAMES = 65_536;

/**
 * The dependency entries of every node, and the vector clocks they give.
 * Each entry's vector clock (the node's knowledge just after receiving) is
 * computed once, from the node's previous entry and the sender's vector at
 * the stamp; an entry that arrives out of causal order (before an entry it
 * should have followed, or naming a time another node already depended on)
 * makes the vectors of events at or after its own time be computed again
 * when next asked (an event knows only events with smaller HLCs, so the
 * vectors of earlier events still hold). An entry whose stamp is not
 * before its event breaks that rule: it is refused and counted
 * ({@link DependencyTable.stampsAfter}).
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
  /** Node names by number ("" for a number a retired node left), and numbers by name. */
  readonly #names: string[] = [];
  readonly #ids = new Map<string, number>();
  /** Numbers retired nodes left, given to the next new nodes. */
  readonly #free: number[] = [];
  /**
   * Nodes retired and not back since: a stamp naming one is not recorded.
   * At most {@link MAX_RETIRED_NAMES}, the oldest forgotten first.
   */
  readonly #gone = new Set<string>();
  /** Entries by node number (undefined: none yet). */
  readonly #byNode: (NodeEntries | undefined)[] = [];
  /** The entry {@link DependencyTable.recordIds} passes to `NodeEntries.add` (see there why an array). */
  readonly #entry = new Float64Array(5);
  /** Per node number, the latest time another node's entry names (a later entry of it then arrived out of order). */
  readonly #namedWall: number[] = [];
  readonly #namedLogical: number[] = [];
  /** Bumped when vectors computed before may be stale. */
  #epoch = 0;
  /** The generation when the epoch was last bumped. */
  #epochChanged = 0;
  /**
   * The epochs bumped and the HLC of the entry that bumped each, as a stack
   * whose times increase (a bump at or before a later one's time hides it):
   * the earliest bump after epoch k is the first one above k. A late entry
   * at time t can only change the vectors of events after t (an event knows
   * only events with smaller HLCs), so a vector computed at epoch k of an
   * event before the earliest bump since k is still valid.
   */
  readonly #bumpEpochs: number[] = [];
  readonly #bumpWalls: number[] = [];
  readonly #bumpLogicals: number[] = [];
  /** Bumps up to this epoch were let go of (the stack is bounded): vectors computed before it are stale. */
  #bumpFloor = 0;
  /**
   * Entries refused because their stamp is not before their event (a node
   * whose HLC broke its promise: a receipt is after the stamp it saw). Kept,
   * such an entry would let a vector know events after its own (the bump
   * rule above would not hold) and could close a cycle of lookups.
   */
  #stampsAfter = 0;
  #generation = 0;
  /** Nodes retired so far ({@link DependencyTable.retirements}). */
  #retirements = 0;
  /** The latest wall pruned before ({@link DependencyTable.prunedTo}). */
  #prunedTo = -Infinity;
  #entries = 0;
  /** Vector slabs by number (undefined once freed), the vectors in use in each, the slab being filled. */
  readonly #slabs: (Float64Array | undefined)[] = [];
  readonly #inUse: number[] = [];
  #fill = -1;
  #filled = SLAB;
  /** Slabs no vector uses any more, kept for reuse (every value in one is written before it is read). */
  readonly #spare: Float64Array[] = [];

  /** Changes whenever an entry is added or pruned. */
  get generation(): number {
    return this.#generation;
  }

  /** Changes when every vector computed before may be stale (an entry arrived out of causal order). */
  get epoch(): number {
    return this.#epoch;
  }

  /**
   * Entries refused so far because their stamp is not before the event that
   * carried it (an HLC out of order: such an entry would order an event
   * after itself). A refused entry orders nothing, so verdicts only lose
   * the order it claimed (more "possibly", never fewer).
   */
  get stampsAfter(): number {
    return this.#stampsAfter;
  }

  /**
   * Nodes retired so far ({@link DependencyTable.retire}): a node number
   * read before names the same node (and its entries, and the entries
   * naming it, are kept) while this has not changed.
   */
  get retirements(): number {
    return this.#retirements;
  }

  /**
   * The latest wall {@link DependencyTable.prune} pruned before
   * (-Infinity: none): an entry carried by an event at or after it has
   * not been pruned.
   */
  get prunedTo(): number {
    return this.#prunedTo;
  }

  /** Entries held. */
  get size(): number {
    return this.#entries;
  }

  /**
   * The number of node `node` in this table (given on first use: a number
   * a retired node left, else the next; vectors are indexed by it). A
   * retired node met again is a new node ({@link DependencyTable.retire}).
   */
  nodeId(node: string): number {
    const id = this.#ids.get(node);
    return id === undefined ? this.#newId(node) : id;
  }

  /**
   * {@link DependencyTable.nodeId} of the node a stamp names, -1 when it
   * is a node retired (and not back since): its stamp orders nothing the
   * table needs (see {@link DependencyTable.retire}).
   */
  senderId(node: string): number {
    const id = this.#ids.get(node);
    if (id !== undefined) return id;
    return this.#gone.has(node) ? -1 : this.#newId(node);
  }

  #newId(node: string): number {
    if (this.#gone.size > 0) this.#gone.delete(node);
    const free = this.#free.pop();
    if (free !== undefined) {
      this.#names[free] = node;
      this.#ids.set(node, free);
      return free;
    }
    const id = this.#names.length;
    this.#names.push(node);
    this.#ids.set(node, id);
    this.#byNode.push(undefined);
    this.#namedWall.push(-Infinity);
    this.#namedLogical.push(0);
    return id;
  }

  /**
   * Node `node` left for good (no lane of it is left: the causal judge's
   * `retireNode`): frees its entries and every other node's entries that
   * name it, and makes every vector clock stale (computed again when next
   * asked, without it), so its number can be given to another node with
   * nothing known of the old one. Until it sends again, a stamp naming it
   * is not recorded ({@link DependencyTable.senderId}: -1). Returns how
   * many entries were freed, -1 when the table does not know the node.
   */
  retire(node: string): number {
    const id = this.#ids.get(node);
    if (id === undefined) return -1;
    this.#retirements = (this.#retirements + 1) | 0;
    let freed = 0;
    const release = (h: number) => this.#release(h);
    const own = this.#byNode[id];
    if (own !== undefined) {
      for (let j = 0; j < own.length; j++) release(own.vc[j]!);
      freed += own.length;
      this.#byNode[id] = undefined;
    }
    const generation = ++this.#generation;
    for (const e of this.#byNode) {
      if (e === undefined) continue;
      const k = e.dropFrom(id, release);
      if (k > 0) e.changed = generation;
      freed += k;
    }
    this.#entries -= freed;
    this.#namedWall[id] = -Infinity;
    this.#namedLogical[id] = 0;
    this.#ids.delete(node);
    this.#names[id] = "";
    this.#free.push(id);
    this.#remember(node);
    // Every vector computed so far may hold the node at this number: computed again, from the entries kept.
    this.#epoch++;
    this.#epochChanged = generation;
    this.#bumpFloor = this.#epoch;
    return freed;
  }

  /** Marks `node` retired, forgetting the oldest such name past {@link MAX_RETIRED_NAMES}. */
  #remember(node: string): void {
    this.#gone.delete(node);
    this.#gone.add(node);
    if (this.#gone.size > MAX_RETIRED_NAMES) this.#gone.delete(this.#gone.values().next().value!);
  }

  /** Nodes retired and not back since ({@link DependencyTable.retire}), oldest first, for a snapshot. */
  get retired(): readonly string[] {
    return [...this.#gone];
  }

  /**
   * Numbers the nodes of a snapshot as they were numbered (`names[k]` is
   * node number k; an empty name is a number a retired node left) and
   * marks `retired` ones retired, into this empty table. Throws a
   * `TypeError` when the table is not empty or a name repeats.
   */
  loadNames(names: readonly string[], retired: readonly string[] = []): void {
    if (this.#names.length > 0) {
      throw new TypeError(
        `Dependency table: node names can be loaded only into an empty table (it numbers ${this.#names.length})`,
      );
    }
    names.forEach((node, k) => {
      if (node !== "" && this.#ids.has(node)) {
        throw new TypeError(`Causal snapshot: node '${node}' is numbered twice (number ${k})`);
      }
      this.#names.push(node);
      if (node !== "") this.#ids.set(node, k);
      this.#byNode.push(undefined);
      this.#namedWall.push(-Infinity);
      this.#namedLogical.push(0);
    });
    // Reused last freed first, as before the snapshot (any order would do).
    for (let k = 0; k < names.length; k++) if (names[k] === "") this.#free.push(k);
    for (const node of retired) if (!this.#ids.has(node)) this.#remember(node);
  }

  /** Changes whenever an entry of node number `id` is added, replaced or pruned (or every vector went stale). */
  nodeGeneration(id: number): number {
    const e = this.#byNode[id];
    const changed = e === undefined ? 0 : e.changed;
    return changed > this.#epochChanged ? changed : this.#epochChanged;
  }

  /**
   * Records that `node`'s event at `at` depends on `dep` (a node other
   * than `node`; an entry naming `node` itself says nothing and is ignored;
   * one whose stamp is not before `at` is refused and counted in
   * {@link DependencyTable.stampsAfter}).
   */
  record(node: string, at: HlcPoint, dep: { node: string } & HlcPoint): void {
    if (dep.node === node) return;
    const from = this.senderId(dep.node);
    if (from < 0) return;
    this.recordIds(this.nodeId(node), at.wall, at.logical, from, dep.wall, dep.logical);
  }

  /**
   * {@link DependencyTable.record} with node numbers ({@link DependencyTable.nodeId})
   * and the two HLCs as numbers: node `id`'s event at (`aw`, `al`) depends on
   * node `from` at (`fw`, `fl`); nothing is allocated for it on the way.
   */
  recordIds(id: number, aw: number, al: number, from: number, fw: number, fl: number): void {
    if (from === id) return;
    if (!(fw < aw || (fw === aw && fl < al))) {
      this.#stampsAfter++;
      return;
    }
    let e = this.#byNode[id];
    if (e === undefined) this.#byNode[id] = e = new NodeEntries();
    const before = e.length;
    const entry = this.#entry;
    entry[0] = aw;
    entry[1] = al;
    entry[2] = from;
    entry[3] = fw;
    entry[4] = fl;
    const i = e.add(entry);
    if (i < 0) return;
    e.changed = ++this.#generation;
    if (e.length > before) this.#entries++;
    if (
      e.length === before || i !== e.length - 1 ||
      atOrBefore(aw, al, this.#namedWall[id]!, this.#namedLogical[id]!)
    ) {
      this.#epoch++;
      this.#epochChanged = this.#generation;
      this.#bumped(aw, al);
    }
    if (!atOrBefore(fw, fl, this.#namedWall[from]!, this.#namedLogical[from]!)) {
      this.#namedWall[from] = fw;
      this.#namedLogical[from] = fl;
    }
  }

  /**
   * The handle of the vector clock of node number `id`'s event at
   * (`wall`, `logical`), {@link NO_VECTOR} when nothing is known; valid
   * until {@link DependencyTable.nodeGeneration} of `id` changes.
   */
  vectorHandle(id: number, wall: number, logical: number): number {
    const e = this.#byNode[id];
    if (e === undefined) return NO_VECTOR;
    const i = e.lastAtOrBefore(wall, logical);
    return i < 0 ? NO_VECTOR : this.#vectorOf(id, e, i);
  }

  /**
   * True when vector `handle` knows node number `k` at or after (`w`,
   * `l`): that point of node `k` happened before the vector's event.
   */
  knows(handle: number, k: number, w: number, l: number): boolean {
    if (handle < 0) return false;
    const s = Math.floor(handle / SLOT_SPAN);
    const off = handle - s * SLOT_SPAN;
    const slab = this.#slabs[s]!;
    const i = 2 * k;
    if (i >= slab[off]!) return false;
    const kw = slab[off + 1 + i]!;
    return w < kw || (w === kw && l <= slab[off + 2 + i]!);
  }

  /** A vector of `size` numbers (its length first); returns its handle. */
  #allocVector(size: number): number {
    if (this.#filled + size + 1 > SLAB) {
      if (this.#fill >= 0 && this.#inUse[this.#fill] === 0) this.#retire(this.#fill);
      this.#fill = this.#slabs.length;
      const spare = size + 1 <= SLAB ? this.#spare.pop() : undefined;
      this.#slabs.push(spare ?? new Float64Array(Math.max(SLAB, size + 1)));
      this.#inUse.push(0);
      this.#filled = 0;
    }
    const handle = this.#fill * SLOT_SPAN + this.#filled;
    this.#slabs[this.#fill]![this.#filled] = size;
    this.#filled += size + 1;
    this.#inUse[this.#fill]!++;
    return handle;
  }

  /** Vector `handle` is no longer in use: its slab goes once none is. */
  #release(handle: number): void {
    if (handle < 0) return;
    const s = Math.floor(handle / SLOT_SPAN);
    if (--this.#inUse[s]! === 0 && s !== this.#fill) this.#retire(s);
  }

  /** Slab `s` holds no vector in use: a few are kept for reuse (a new slab costs fresh pages, zeroed), the others go. */
  #retire(s: number): void {
    const slab = this.#slabs[s];
    this.#slabs[s] = undefined;
    if (slab !== undefined && slab.length === SLAB && this.#spare.length < SPARE_SLABS) {
      this.#spare.push(slab);
    }
  }

  /**
   * The vector clock of `node`'s event at `at`: per other node, the latest
   * HLC known to precede it, through every chain of entries held.
   */
  vectorAt(node: string, at: HlcPoint): Vector {
    const id = this.#ids.get(node);
    const h = id === undefined ? NO_VECTOR : this.vectorHandle(id, at.wall, at.logical);
    const out = new Map<string, HlcPoint>();
    if (h < 0) return out;
    const s = Math.floor(h / SLOT_SPAN);
    const off = h - s * SLOT_SPAN;
    const slab = this.#slabs[s]!;
    for (let k = 0; 2 * k < slab[off]!; k++) {
      const w = slab[off + 1 + 2 * k]!;
      if (w !== -Infinity && this.#names[k] !== "") {
        out.set(this.#names[k]!, { wall: w, logical: slab[off + 2 + 2 * k]! });
      }
    }
    return out;
  }

  /** The epoch was bumped by a late entry at (`w`, `l`). */
  #bumped(w: number, l: number): void {
    const ew = this.#bumpEpochs;
    const bw = this.#bumpWalls;
    const bl = this.#bumpLogicals;
    while (ew.length > 0 && atOrBefore(w, l, bw[bw.length - 1]!, bl[bl.length - 1]!)) {
      ew.pop();
      bw.pop();
      bl.pop();
    }
    if (ew.length >= BUMPS_KEPT) {
      const drop = BUMPS_KEPT / 2;
      this.#bumpFloor = ew[drop - 1]!;
      ew.splice(0, drop);
      bw.splice(0, drop);
      bl.splice(0, drop);
    }
    ew.push(this.#epoch);
    bw.push(w);
    bl.push(l);
  }

  /**
   * True when entry `j`'s vector is valid now: computed at this epoch, or
   * at an epoch since which every bump came from an entry after it (then
   * marked valid at this epoch).
   */
  #fresh(e: NodeEntries, j: number): boolean {
    const k = e.vcEpoch[j]!;
    if (k === this.#epoch) return true;
    if (k < this.#bumpFloor || k < 0) return false;
    // The first bump after epoch k (the stack's epochs increase).
    const ew = this.#bumpEpochs;
    let lo = 0;
    let hi = ew.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ew[mid]! <= k) lo = mid + 1;
      else hi = mid;
    }
    if (lo === ew.length) return false;
    const w = this.#bumpWalls[lo]!;
    const aw = e.atWall[j]!;
    if (!(aw < w || (aw === w && e.atLogical[j]! < this.#bumpLogicals[lo]!))) return false;
    e.vcEpoch[j] = this.#epoch;
    return true;
  }

  /** Entry `i`'s vector, computing the stale ones up to it (oldest first, so no deep recursion within a node). */
  #vectorOf(id: number, e: NodeEntries, i: number): number {
    if (this.#fresh(e, i)) return e.vc[i]!;
    let j = i;
    while (j > 0 && !this.#fresh(e, j - 1)) j--;
    for (; j <= i; j++) {
      const f = e.from[j]!;
      const sender = this.vectorHandle(f, e.fromWall[j]!, e.fromLogical[j]!);
      const size = 2 * this.#names.length;
      const h = this.#allocVector(size);
      const s = Math.floor(h / SLOT_SPAN);
      const at = h - s * SLOT_SPAN + 1;
      const vc = this.#slabs[s]!;
      for (let k = 0; k < size; k += 2) {
        vc[at + k] = -Infinity;
        vc[at + k + 1] = 0;
      }
      const prev = j > 0 ? e.vc[j - 1]! : NO_VECTOR;
      this.#joinInto(vc, at, size, prev, -1);
      this.#joinInto(vc, at, size, sender, id);
      const fw = e.fromWall[j]!;
      const fl = e.fromLogical[j]!;
      const fk = at + 2 * f;
      if (fw > vc[fk]! || (fw === vc[fk]! && fl > vc[fk + 1]!)) {
        vc[fk] = fw;
        vc[fk + 1] = fl;
      }
      this.#release(e.vc[j]!);
      e.vc[j] = h;
      e.vcEpoch[j] = this.#epoch;
    }
    return e.vc[i]!;
  }

  /** Raises the vector at `at` of `vc` (`size` numbers) to vector `handle`, skipping node number `skip`. */
  #joinInto(vc: Float64Array, at: number, size: number, handle: number, skip: number): void {
    if (handle < 0) return;
    const s = Math.floor(handle / SLOT_SPAN);
    const off = handle - s * SLOT_SPAN;
    const src = this.#slabs[s]!;
    const n = Math.min(src[off]!, size);
    for (let k = 0; k < n; k += 2) {
      if (k === 2 * skip) continue;
      const w = src[off + 1 + k]!;
      const l = src[off + 2 + k]!;
      if (w > vc[at + k]! || (w === vc[at + k]! && l > vc[at + k + 1]!)) {
        vc[at + k] = w;
        vc[at + k + 1] = l;
      }
    }
  }

  /** True when `a`'s event at `ta` is known to happen before `b`'s event at `tb` (same node: HLC order). */
  precedes(a: string, ta: HlcPoint, b: string, tb: HlcPoint): boolean {
    if (a === b) return atOrBefore(ta.wall, ta.logical, tb.wall, tb.logical) && !sameAs(ta, tb);
    const ia = this.#ids.get(a);
    const ib = this.#ids.get(b);
    if (ia === undefined || ib === undefined) return false;
    return this.knows(this.vectorHandle(ib, tb.wall, tb.logical), ia, ta.wall, ta.logical);
  }

  /**
   * True when the event that starts interval `start` carries a dependency
   * entry on the event that ends interval `end` or a later event of its
   * node (the handoff chain's test: the acquire carries the release's
   * stamp). No vector clock is read, so false only means that this direct
   * test does not show it. It takes the intervals, not their times: V8 does not always
   * inline this call, and an end wall (a double field) passed to a call it
   * does not inline is boxed: 16 bytes per judged interval, 8 per event in
   * a long-running 16-node collector (`--predictable`).
   *
   * @example B's hold starts with the stamp of A's release
   * ```ts
   * import assert from "node:assert/strict";
   * import { DependencyTable } from "./happened_before.ts";
   * const deps = new DependencyTable();
   * deps.record("B", { wall: 20, logical: 0 }, { node: "A", wall: 10, logical: 3 });
   * const [a, b] = [deps.nodeId("A"), deps.nodeId("B")];
   * const start = { nid: b, wall: 20, logical: 0 };
   * assert.equal(deps.dependsOn(start, { nid: a, endWall: 10, endLogical: 3 }), true);
   * assert.equal(deps.dependsOn(start, { nid: a, endWall: 10, endLogical: 4 }), false); // a later event of A: not shown
   * assert.equal(deps.dependsOn({ nid: b, wall: 19, logical: 0 }, { nid: a, endWall: 10, endLogical: 3 }), false); // before B's entry
   * ```
   */
  dependsOn(
    start: { readonly nid: number; readonly wall: number; readonly logical: number },
    end: { readonly nid: number; readonly endWall: number; readonly endLogical: number },
  ): boolean {
    const e = this.#byNode[start.nid];
    if (e === undefined) return false;
    const i = e.lastAtOrBeforeDirect(start.wall, start.logical);
    const from = end.nid;
    const fw = end.endWall;
    const fl = end.endLogical;
    for (let j = i; j >= 0 && j > i - 4; j--) {
      if (e.from[j] === from && atOrBefore(fw, fl, e.fromWall[j]!, e.fromLogical[j]!)) return true;
    }
    return false;
  }

  /** The entries carried by `node`'s event at exactly `at` (for the pictures' arrows). */
  entriesAt(node: string, at: HlcPoint): { node: string; wall: number; logical: number }[] {
    const id = this.#ids.get(node);
    const e = id === undefined ? undefined : this.#byNode[id];
    const out: { node: string; wall: number; logical: number }[] = [];
    if (e === undefined) return out;
    // Entries are in HLC order: the first after `at` by binary search, then back over those at `at`
    // (a scan of every entry read each wall as a boxed number where this ran unoptimized).
    let lo = 0;
    let hi = e.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (atOrBefore(e.atWall[mid]!, e.atLogical[mid]!, at.wall, at.logical)) lo = mid + 1;
      else hi = mid;
    }
    let first = lo;
    while (first > 0 && e.atWall[first - 1] === at.wall && e.atLogical[first - 1] === at.logical) {
      first--;
    }
    for (let i = first; i < lo; i++) {
      out.push({
        node: this.#names[e.from[i]!]!,
        wall: e.fromWall[i]!,
        logical: e.fromLogical[i]!,
      });
    }
    return out;
  }

  /** Node names by number (the order {@link DependencyTable.nodeId} gave them). */
  get nodes(): readonly string[] {
    return this.#names;
  }

  /**
   * Every entry kept, flat: per entry its node's number, the HLC of the
   * event that carried it, the sender's number and HLC (six numbers), for
   * a snapshot (`causal_snapshot.ts`); {@link DependencyTable.record} takes
   * them back. Leaves out the entries {@link DependencyTable.prune} would
   * drop at wall time `before`.
   */
  rows(before = -Infinity): number[] {
    const out: number[] = [];
    this.#byNode.forEach((e, id) => {
      if (e === undefined) return;
      let k = 0;
      while (k < e.length - 1 && e.fromWall[k]! < before && e.atWall[k]! < before) k++;
      for (let i = k; i < e.length; i++) {
        out.push(id, e.atWall[i]!, e.atLogical[i]!, e.from[i]!, e.fromWall[i]!, e.fromLogical[i]!);
      }
    });
    return out;
  }

  /**
   * Drops entries that only order events before wall time `wall` (the
   * caller's horizon, past which physical time orders them anyway); each
   * node keeps its latest entry.
   */
  prune(wall: number): void {
    if (wall > this.#prunedTo) this.#prunedTo = wall;
    let dropped = 0;
    const generation = this.#generation + 1;
    for (const e of this.#byNode) {
      if (e === undefined) continue;
      const k = e.prune(wall, (h) => this.#release(h));
      if (k > 0) e.changed = generation;
      dropped += k;
    }
    if (dropped > 0) this.#generation = generation;
    this.#entries -= dropped;
  }
}

function sameAs(a: HlcPoint, b: HlcPoint): boolean {
  return a.wall === b.wall && a.logical === b.logical;
}
