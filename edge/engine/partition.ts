/**
 * A partition: one instance key of one spec, its participants (one per
 * node, across the node's boots) and their latest states in the compiled
 * module's memory, its reorder buffer, its merged history, and the state of
 * its invariant episode and liveness deadlines.
 *
 * Participants' states live in ONE contiguous block of instances, so the
 * global checks run as `globalCheck(first, count)` with no copying per
 * event. The block starts with `initialParticipants` instances; when a new
 * node joins a full block, a block twice as large is created and the states
 * are copied over (the old block is abandoned: the compiled module cannot
 * free instances, so at most half of a partition's instances are waste).
 * Participant `i` is instance `first + i`, in the order nodes joined.
 *
 * Memory: a collector may hold hundreds of thousands of partitions, most of
 * them seeing few events, so the cold parts are allocated when first
 * needed: the history and the participants' event rings grow with their
 * events (see `event_ring.ts`; the only participant's ring stores nothing
 * and reads the history, which holds exactly its events, until a second
 * node joins), the node index is a Map only past
 * {@link INDEX_AFTER} participants (a short list is searched before), the
 * key's UTF-8 bytes are kept only for a non-ASCII key (an ASCII key's
 * character codes are its bytes), and `id` and `ref` are built when asked.
 *
 * Members: a node becomes a participant when its first event in the
 * partition is applied, which may be a reorder window after its batch was
 * admitted. The collector counts a node as a member from admission
 * ({@link Partition.admit}) so a limit on participants holds for events
 * still buffered.
 *
 * @module
 */
import type { ServedSpec } from "./served_spec.ts";
import { ReorderBuffer } from "./merge.ts";
import { DOUBLE_MINUS_ONE, DOUBLE_ZERO } from "./double_field.ts";
import { EventRing } from "./event_ring.ts";
import type { EventStore } from "./event_store.ts";
import type { Hlc, MixedEntry, PartitionKey, PartitionStatus } from "./types.ts";
import { AFTER_AGG_OVERFLOW_BIT, AFTER_LOCAL_SHIFT } from "../../lib/abi/global_after.ts";

const UTF8 = new TextEncoder();

/** A node position past every participant: the maintained check assumes nothing about a change. */
const ANY = 0xffff_ffff;

/**
 * Participants from which the global items are read from the record of
 * maintained aggregates: below it, visiting every participant costs less
 * than keeping the record (two more calls into the module per event).
 */
export const AGGREGATE_FROM = 8;

/** The verdict code's bits in a packed `global-after` result. */
export const AFTER_CODE_MASK = (1 << AFTER_LOCAL_SHIFT) - 1;

/**
 * Participants searched in the list of their node ids up to this many;
 * past it, a Map indexes them by node. The list is one array of string
 * references (mostly the very strings the engine holds, so a comparison is
 * one of pointers): scanning it touches no participant object.
 */
export const INDEX_AFTER = 16;

/** True when every character of `s` is ASCII (its UTF-16 codes are its UTF-8 bytes). */
function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** A node's latest state in a partition. */
export interface Participant {
  readonly node: string;
  /** Instance offset within the partition's block (one less for each earlier participant retired). */
  index: number;
  boot: string;
  seq: number;
  wall: number;
  logical: number;
  /** Its last applied events in this partition. */
  readonly events: EventRing;
  /** Spec hash of the older version its latest event came from; `""` for the partition's own. */
  spec: string;
  /**
   * Per local liveness item of its instance: deadline (HLC wall ms),
   * {@link NO_DEADLINE} or {@link EXPIRED} (`local_liveness.ts`); shared and
   * empty for a spec without local liveness.
   */
  readonly localDeadlines: number[];
}

/** Liveness deadline marks: no obligation, or timed out and not yet discharged. */
export const NO_DEADLINE = -1;
/** A timed-out obligation waiting for its `eventually` to hold. */
export const EXPIRED = -2;

/** The deadlines of every partition (participant) of a spec without global (local) liveness: shared, never written. */
const NO_DEADLINES: number[] = [];

/**
 * `n` deadline marks {@link NO_DEADLINE}, in an array of doubles from the
 * start (a deadline written later then changes no array's representation).
 */
function noDeadlines(n: number): number[] {
  const out = new Array<number>(n).fill(0.5);
  for (let i = 0; i < n; i++) out[i] = NO_DEADLINE;
  return out;
}

/** One partition. */
export class Partition implements PartitionKey {
  // Field order is memory order. An event is admitted, and applied a reorder window later, when
  // this object is out of the caches (each line it spans is a miss): the fields both read come
  // first (with the object's header), then those admission reads, then those applying reads, then
  // the rest.
  /** Collector-wide index (event store slots name their partition by it). */
  index = -1;
  /** In join order; its array is as long as needed (the first join makes an array of one). */
  #participants: Participant[] = [];
  /** Last applied position in merge order (the maximum applied so far; mutated in place). */
  last: { wall: number; logical: number; node: string; boot: string; seq: number } | null = null;
  readonly buffer: ReorderBuffer;
  readonly key: string;
  /** The key as UTF-8 when it is not ASCII; null for an ASCII key (its character codes are its bytes). */
  readonly keyUtf8: Uint8Array | null;
  /** The node last admitted (consecutive batches often come from one node). */
  #lastAdmitted: string | null = null;
  /** The index of the participant {@link Partition.admit} last found, -1 when none. */
  #admittedAt = -1;
  /** A node admitted (its events buffered) that has not joined yet; null when none. */
  #joiner: string | null = null;
  /** Participants by node, once there are more than {@link INDEX_AFTER}. */
  #byNode: Map<string, Participant> | null = null;
  /** The participants' node ids, in join order (participant `i`'s at `i`). */
  #nodes: string[] = [];
  /** The spec this partition is an instance key of. */
  readonly served: ServedSpec;
  readonly history: EventRing;
  first = -1;
  /**
   * True when the last {@link Partition.check} passed, so the next one may
   * re-check only the participant that changed; false until a first check
   * (a restored partition is checked in full once).
   */
  #passed = false;
  /**
   * The instance holding this partition's record of maintained aggregates
   * (`CompiledSpec.globalAggregates`), -1 until a check first needs it.
   */
  #cells = -1;
  /** Participants `0 .. #covered-1` have their contributions in the record. */
  #covered = 0;
  /** True when the record no longer matches the states (an overflow, or a write it did not see). */
  #stale = false;
  /**
   * The participant written with its contributions left out of the record
   * for {@link Partition.after} to add back (`writeFrom` with
   * `deferRejoin`), -1 when none.
   */
  #rejoinPending = -1;
  /** Open invariant episode: the failing code, 0 when none. */
  episode = 0;
  /** Per global liveness item: deadline (HLC wall ms), {@link NO_DEADLINE} or {@link EXPIRED}. */
  readonly deadlines: number[];
  /** Open local liveness deadlines over all participants (`local_liveness.ts` keeps the count). */
  localOpen = 0;
  /**
   * No open local liveness deadline is earlier than this (`local_liveness.ts`
   * keeps it: lowered when one opens, recomputed when merged time passes
   * it); -Infinity when unknown.
   */
  localEarliest = -Infinity;
  applied = 0;
  /** The participant last looked up (consecutive events often come from one node). */
  #recent: Participant | null = null;
  readonly spec: string;
  readonly specName: string;
  /** More nodes admitted that have not joined yet, beyond `#joiner`; null when none. */
  #joiners: Set<string> | null = null;
  readonly #cutEvents: number;
  readonly #initial: number;
  #cap = 0;
  /** Timed-out local liveness obligations not yet discharged, over all participants. */
  localExpired = 0;
  /** Time of this partition's live entry in the collector's deadline queue, Infinity when none. */
  queuedAt = Infinity;
  incomplete = false;
  violations = 0;
  /**
   * Participants whose node has an open hole in its streams of this spec
   * (kept by the collector, so a status needs no walk over participants).
   */
  holed = 0;
  /**
   * Participants whose latest state came from an older version and does
   * not convert to this spec's layout, one entry per node; null when none
   * (the partition is `mixed` while there is one).
   */
  mixed: MixedEntry[] | null = null;
  /** The status last announced. */
  announced: PartitionStatus = "unknown";
  announcedIncomplete = false;
  /**
   * Creates an empty partition (no instances until the first node joins).
   *
   * @example Create
   * ```ts
   * import assert from "node:assert/strict";
   * import { loadCompiled } from "../../lib/abi/loader.ts";
   * import { Partition } from "./partition.ts";
   * import { ServedSpec } from "./served_spec.ts";
   * const lease = await loadCompiled(new URL("../../dist/lease.js", import.meta.url));
   * const p = new Partition(new ServedSpec(lease), "lock:1", {
   *   historySize: 32, cutEvents: 5, initialParticipants: 2,
   * });
   * assert.equal(p.id, "Lease/lock:1");
   * assert.ok(p.applied === 0 && p.episode === 0 && p.deadlines.length === 1);
   * ```
   */
  constructor(
    served: ServedSpec,
    key: string,
    options: { historySize: number; cutEvents: number; initialParticipants: number },
  ) {
    this.served = served;
    this.spec = served.hash;
    this.specName = served.name;
    this.key = key;
    this.keyUtf8 = isAscii(key) ? null : UTF8.encode(key);
    this.buffer = new ReorderBuffer(served.lanes);
    this.history = new EventRing(options.historySize, served.origins, { arena: served.rings });
    this.#cutEvents = options.cutEvents;
    this.#initial = Math.max(1, options.initialParticipants);
    this.deadlines = served.liveness.length === 0
      ? NO_DEADLINES
      : noDeadlines(served.liveness.length);
  }

  /** `<spec name>/<key>`: the display id. */
  get id(): string {
    return `${this.specName}/${this.key}`;
  }

  /** A plain `{ spec, specName, key }` for notifications (a fresh object). */
  get ref(): PartitionKey {
    return { spec: this.spec, specName: this.specName, key: this.key };
  }

  /** The participants, in join order (participant `i` is instance `first + i`). */
  get participants(): readonly Participant[] {
    return this.#participants;
  }

  /** Number of participants. */
  get count(): number {
    return this.#participants.length;
  }

  /** The participant of `node`, if it has joined (and was not retired since). */
  find(node: string): Participant | undefined {
    return this.#find(node);
  }

  /**
   * Retires participant `part` (the engine's `retirement.ts` decides when:
   * its node silent, nothing of it buffered, no local deadline, its state
   * the initial one on what the global invariants read). The participants
   * after it move down one index, their states one instance down, as the
   * causal judge's lanes do (`CausalJudge.retire`, called first); the
   * block's last instance goes back to the initial state for the next node
   * to join. The next check reads every participant (the incremental one
   * assumes the set it last passed), and the record of maintained
   * aggregates is rebuilt before its next use.
   */
  retire(part: Participant): void {
    const all = this.#participants;
    const z = part.index;
    if (all[z] !== part) {
      throw new RangeError(`Participant '${part.node}' is not at index ${z} of '${this.id}'`);
    }
    const c = this.served.compiled;
    const staging = this.served.staging;
    for (let i = z + 1; i < all.length; i++) {
      c.copyState(this.first + i, staging, 0);
      c.setStateBytes(this.first + i - 1, staging);
      all[i]!.index = i - 1;
    }
    c.setStateBytes(this.first + all.length - 1, this.served.initialState);
    all.splice(z, 1);
    this.#nodes.splice(z, 1);
    part.events.release();
    if (this.#byNode !== null) this.#byNode.delete(part.node);
    if (this.#recent === part) this.#recent = null;
    // The indices after it moved: the next admission looks its node up again.
    this.#admittedAt = -1;
    this.#lastAdmitted = null;
    this.#passed = false;
    this.#stale = true;
  }

  /** Participants plus nodes admitted whose first event here waits to be applied. */
  get members(): number {
    return this.#participants.length + (this.#joiner === null ? 0 : 1) +
      (this.#joiners === null ? 0 : this.#joiners.size);
  }

  /** True when `node` is a participant or admitted to join. */
  isMember(node: string): boolean {
    return node === this.#lastAdmitted || node === this.#joiner ||
      this.#find(node) !== undefined || (this.#joiners !== null && this.#joiners.has(node));
  }

  /**
   * Counts `node` a member once a batch of it is admitted with an event
   * here; returns true when it is a new member (it joins when that event is
   * applied).
   */
  admit(node: string): boolean {
    if (node === this.#lastAdmitted) return false;
    this.#lastAdmitted = node;
    const at = this.#at(node);
    this.#admittedAt = at;
    if (at >= 0 || node === this.#joiner) return false;
    if (this.#joiner === null) this.#joiner = node;
    else if (this.#joiners === null) this.#joiners = new Set([node]);
    else if (this.#joiners.has(node)) return false;
    else this.#joiners.add(node);
    return true;
  }

  /** Highest applied HLC. */
  get lastHlc(): Hlc | null {
    return this.last === null ? null : { wall: this.last.wall, logical: this.last.logical };
  }

  #find(node: string): Participant | undefined {
    if (this.#byNode !== null) return this.#byNode.get(node);
    const at = this.#at(node);
    return at < 0 ? undefined : this.#participants[at];
  }

  /** The index of `node`'s participant, -1 when it has not joined. */
  #at(node: string): number {
    if (this.#byNode !== null) return this.#byNode.get(node)?.index ?? -1;
    const nodes = this.#nodes;
    for (let i = 0; i < nodes.length; i++) if (nodes[i] === node) return i;
    return -1;
  }

  /**
   * The index of `node`'s participant, -1 when it has not joined (the
   * index {@link Partition.admit} found, when it admitted `node` last: the
   * engine asks right after admitting a batch's node, so one lookup serves
   * both).
   */
  indexOf(node: string): number {
    if (node === this.#lastAdmitted && this.#admittedAt >= 0) return this.#admittedAt;
    return this.#at(node);
  }

  /**
   * The participant of a node known to be at `index` (from
   * {@link Partition.indexOf}; -1 when it was not known), else as
   * {@link Partition.participant}.
   */
  participantAt(index: number, node: string, boot: string): Participant {
    const known = index >= 0 ? this.#participants[index] : undefined;
    return known !== undefined && known.node === node ? known : this.participant(node, boot);
  }

  /** The participant of a node, joining it (a fresh instance) when new. */
  participant(node: string, boot: string): Participant {
    const recent = this.#recent;
    if (recent !== null && recent.node === node) return recent;
    const found = this.#find(node);
    if (found !== undefined) return this.#recent = found;
    if (this.#participants.length === this.#cap) this.#grow();
    const p: Participant = {
      node,
      index: this.#participants.length,
      boot,
      // Double fields from the start (`double_field.ts`): the first event stores doubles.
      seq: DOUBLE_MINUS_ONE,
      wall: -Infinity,
      logical: DOUBLE_ZERO,
      events: new EventRing(this.#cutEvents, this.served.origins, { arena: this.served.rings }),
      spec: "",
      localDeadlines: this.served.localLiveness.length === 0
        ? NO_DEADLINES
        : noDeadlines(this.served.localLiveness.length),
    };
    if (this.#participants.length === 0) {
      this.#participants = [p];
      this.#nodes = [node];
      // The only participant's events are the partition's history: read from it until a second joins.
      p.events.mirror(this.history);
    } else {
      this.#participants[0]!.events.detach();
      this.#participants.push(p);
      this.#nodes.push(node);
    }
    if (this.#byNode !== null) this.#byNode.set(node, p);
    else if (this.#participants.length > INDEX_AFTER) {
      this.#byNode = new Map(this.#participants.map((q) => [q.node, q]));
    }
    if (node === this.#joiner) this.#joiner = null;
    else if (this.#joiners !== null && this.#joiners.delete(node) && this.#joiners.size === 0) {
      this.#joiners = null;
    }
    return this.#recent = p;
  }

  #grow(): void {
    const c = this.served.compiled;
    const cap = this.#cap === 0 ? this.#initial : this.#cap * 2;
    const first = c.create(cap);
    const staging = this.served.staging;
    for (let i = 0; i < this.#participants.length; i++) {
      c.copyState(this.first + i, staging, 0);
      c.setStateBytes(first + i, staging);
    }
    this.first = first;
    this.#cap = cap;
  }

  /** Writes a participant's latest state (keeping the record of maintained aggregates in step). */
  write(p: Participant, state: Uint8Array): void {
    const inst = this.first + p.index;
    const counted = this.#leave(p);
    this.served.compiled.setStateBytes(inst, state);
    if (counted) this.#rejoin(inst);
  }

  /**
   * {@link Partition.write} of the state of event `slot` of store `s`,
   * copied word by word from the store into the module's memory (through
   * the spec's staging block when the compiled spec cannot take words).
   * With `deferRejoin`, a participant's new contributions to the record of
   * maintained aggregates are left for the next {@link Partition.after}
   * to add in its one call (when the spec has `global-agg-after`): the
   * caller must call it next.
   */
  writeFrom(p: Participant, s: EventStore, slot: number, deferRejoin = false): void {
    const served = this.served;
    const c = served.compiled;
    if (c.setStateWords === undefined) {
      s.copyState(slot, served.staging, served.staging32);
      return this.write(p, served.staging);
    }
    const inst = this.first + p.index;
    const counted = this.#leave(p);
    c.setStateWords(inst, s.words, s.wordAt(slot));
    if (!counted) return;
    if (deferRejoin && served.aggregates!.after !== undefined) this.#rejoinPending = p.index;
    else this.#rejoin(inst);
  }

  /**
   * Before participant `p`'s state is overwritten: takes its contributions
   * out of the record of maintained aggregates when the record holds them;
   * returns true when they must be added back ({@link Partition.#rejoin}).
   */
  #leave(p: Participant): boolean {
    const agg = this.served.aggregates;
    if (agg === null || p.index >= this.#covered || this.#stale) return false;
    if (this.#participants.length < AGGREGATE_FROM) {
      // Not read below the threshold: rebuilt once the partition reaches it.
      this.#stale = true;
      return false;
    }
    agg.add(this.first + p.index, this.#cells, -1);
    return true;
  }

  /** After an overwrite: adds instance `inst`'s contributions back to the record. */
  #rejoin(inst: number): void {
    if (this.served.aggregates!.add(inst, this.#cells, 1) !== 0) this.#stale = true;
  }

  /**
   * Says that participant `p`'s state was written through
   * {@link Partition.instanceOf} (a converted state): the record of
   * maintained aggregates is rebuilt before its next use.
   */
  overwritten(_p: Participant): void {
    this.#stale = true;
  }

  /**
   * The record of maintained aggregates over every participant, brought up
   * to date (new participants added, rebuilt when stale); -1 when the spec
   * has none, the partition has fewer than {@link AGGREGATE_FROM}
   * participants, or the record overflowed (the other exports are used then).
   */
  #record(): number {
    const agg = this.served.aggregates;
    if (agg === null || this.#participants.length < AGGREGATE_FROM) return -1;
    if (this.#cells < 0) {
      this.#cells = this.served.compiled.create(this.served.aggregateCells);
      this.#stale = true;
    }
    const cells = this.#cells;
    if (this.#stale) {
      agg.clear(cells);
      this.#covered = 0;
      this.#stale = false;
    }
    const n = this.#participants.length;
    for (; this.#covered < n; this.#covered++) {
      if (agg.add(this.first + this.#covered, cells, 1) !== 0) this.#stale = true;
    }
    return this.#stale ? -1 : cells;
  }

  /** The instance holding participant `p`'s state (to write a converted state into). */
  instanceOf(p: Participant): number {
    return this.first + p.index;
  }

  /**
   * Records why node `node`'s latest state does not convert (`entry`), or
   * that it does again (`null`); returns true when the partition started or
   * stopped being mixed.
   */
  setMixed(node: string, entry: MixedEntry | null): boolean {
    const before = this.mixed;
    const rest = before === null ? [] : before.filter((m) => m.node !== node);
    if (entry !== null) rest.push(entry);
    this.mixed = rest.length === 0 ? null : rest;
    return (before === null) !== (this.mixed === null);
  }

  /** The participant's current packed state. */
  stateOf(p: Participant): Uint8Array {
    return this.served.compiled.stateBytes(this.first + p.index);
  }

  /**
   * Global invariant verdict code over all participants. `changed`, when
   * given, is the only participant whose state was written since the last
   * check: if that check passed, only what involves it is re-checked
   * (`globalCheckNode`, the same verdict); otherwise, or for a spec
   * compiled without the incremental export, every participant is.
   */
  check(changed?: Participant): number {
    if (!this.served.hasGlobalInvariants) return 0;
    const c = this.served.compiled;
    const pinned = changed !== undefined && this.#passed;
    const cells = this.#record();
    const code = cells >= 0
      ? this.served.aggregates!.check(this.first, this.count, pinned ? changed.index : ANY, cells)
      : pinned && c.globalCheckNode !== undefined
      ? c.globalCheckNode(this.first, this.count, changed.index)
      : c.globalCheck(this.first, this.count);
    this.#passed = code === 0;
    return code;
  }

  /**
   * {@link Partition.check} of `changed` and both liveness masks (the
   * participant's and the partition's) in one call into the module
   * (`CompiledSpec.globalAfter`): the packed result (the code in the low 16
   * bits, `AFTER_LOCAL_SHIFT` and `AFTER_GLOBAL_SHIFT` for the masks), or
   * -1 when the spec has no such export (`global-after`, or
   * `global-agg-after` when the partition reads its checks from the record
   * of maintained aggregates; that one also adds back the contributions a
   * deferred `writeFrom` left out); the caller then makes the calls one by
   * one.
   */
  after(changed: Participant): number {
    const pending = this.#rejoinPending;
    this.#rejoinPending = -1;
    const agg = this.served.aggregates;
    if (agg !== null && this.#participants.length >= AGGREGATE_FROM && agg.after !== undefined) {
      // A rebuild of a stale record adds every participant's state, the pending one's included.
      const add = pending >= 0 && !this.#stale;
      const cells = this.#record();
      if (cells < 0) return -1; // stale again (an overflow): the calls one by one, full checks
      const r = agg.after(this.first, this.count, changed.index, this.#passed, cells, add);
      if ((r >>> AFTER_AGG_OVERFLOW_BIT) & 1) this.#stale = true; // its check already read in full
      const out = (r & ~(1 << AFTER_AGG_OVERFLOW_BIT)) >>> 0;
      this.#passed = (out & AFTER_CODE_MASK) === 0;
      return out;
    }
    if (pending >= 0) this.#rejoin(this.first + pending);
    const after = this.served.compiled.globalAfter;
    if (after === undefined || this.#record() >= 0) return -1;
    const r = after(this.first, this.count, changed.index, this.#passed);
    this.#passed = (r & AFTER_CODE_MASK) === 0;
    return r;
  }

  /** Global liveness mask over all participants (from the maintained aggregates when the spec has them). */
  livenessMask(): number {
    const cells = this.#record();
    return cells >= 0
      ? this.served.aggregates!.liveness(this.first, this.count, cells)
      : this.served.compiled.globalLiveness(this.first, this.count);
  }

  /** True when the spec has global liveness items. */
  get hasDeadlines(): boolean {
    return this.deadlines.length > 0;
  }

  /** The deadline of item `i` (for reports; the mark itself when not open). */
  deadlineAt(i: number): number {
    return this.deadlines[i] ?? NO_DEADLINE;
  }

  /** True when some liveness obligation timed out and is not yet discharged. */
  get livenessExpired(): boolean {
    return this.deadlines.includes(EXPIRED);
  }

  /** True when some liveness deadline is open. */
  get hasOpenDeadline(): boolean {
    const d = this.deadlines;
    for (let i = 0; i < d.length; i++) if (d[i]! >= 0) return true;
    return false;
  }

  /**
   * A smallest subset of participants (greedy: drop each one whose removal
   * keeps the same failing code) over which the global check still fails
   * with `code`, using the spec's scratch block. All participants beyond 64.
   */
  involved(code: number): string[] {
    const all = this.#participants;
    if (all.length > 64 || all.length < 2) return all.map((p) => p.node);
    const c = this.served.compiled;
    const states = all.map((p) => this.stateOf(p));
    let keep = all.map((_, i) => i);
    const scratch = this.served.scratch(all.length);
    for (const i of all.map((_, j) => j)) {
      const trial = keep.filter((k) => k !== i);
      if (trial.length === 0) continue;
      trial.forEach((k, j) => c.setStateBytes(scratch + j, states[k]!));
      if (c.globalCheck(scratch, trial.length) === code) keep = trial;
    }
    return keep.map((k) => all[k]!.node);
  }
}
