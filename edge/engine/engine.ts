/**
 * The collector's engine: ingest, reorder, apply, checks and announcements.
 * Internal; `collector.ts` documents the semantics and wraps it as the
 * public `Collector`.
 *
 * One class built from parts, each one concept, held as fields:
 * - the state (`engine_state.ts`): what the engine knows, and lookups;
 * - the event store (`event_store.ts`): buffered events, by slot;
 * - the admission (`admission.ts`): a batch against the growth limits, before
 *   anything changes;
 * - the applier (`applier.ts`): applies one event;
 * - the local liveness (`local_liveness.ts`): each participant's local
 *   liveness deadlines, held by the applier;
 * - the hole tracker (`holes.ts`): open holes, closed holes;
 * - the scheduler (`scheduler.ts`): release in merge order, flush, expiry,
 *   announcements.
 *
 * This class does the ingest itself: validation, admission, duplicates,
 * gaps, and handing each new event to the scheduler (or, when late, to the
 * applier).
 *
 * Versions: the specs served are grouped by name, the last listed being
 * the newest (`engine_state.ts`). A batch is validated against the version
 * its header names and its events go to the partitions of the spec's name;
 * the applier converts older versions' states (`version_upgrade.ts`). A
 * batch naming a version that is not served is refused with the versions
 * that are (`UnknownSpecError`, counted in `unknownVersion`). A restore
 * converts the partitions saved under an older version, and leaves out
 * (counted in `retiredStreams`) the streams of a version no longer served
 * whose spec name still is.
 *
 * @module
 */
import type { BatchHeader, StreamId } from "../../lib/wire/event.ts";
import type { WireColumns } from "../../lib/wire/columns.ts";
import { checkDropRanges } from "../../lib/wire/seq_ranges.ts";
import { Applier } from "./applier.ts";
import type { CausalJudge } from "./causal/causal_judge.ts";
import { type EngineOptions, EngineState } from "./engine_state.ts";
import { InvalidBatchError, UnknownSpecError } from "./errors.ts";
import { EventStore } from "./event_store.ts";
import { HoleTracker } from "./holes.ts";
import { Admission } from "./admission.ts";
import { DeadlineQueue } from "./liveness.ts";
import { LocalLiveness } from "./local_liveness.ts";
import { compareSlotPos } from "./merge.ts";
import type { NodeStats } from "./node_stats.ts";
import { Partition } from "./partition.ts";
import type { PartitionTable } from "./partition_table.ts";
import { Scheduler } from "./scheduler.ts";
import { OrderedIngest } from "./ordered_ingest.ts";
import { Retirement } from "./retirement.ts";
import { type Hole, streamKey, StreamState } from "./stream_state.ts";
import { restorePartition } from "../store/snapshot.ts";
import { PartitionSnapshots } from "../store/partition_snapshots.ts";
import type { CollectorSnapshot, IngestResult } from "./types.ts";

/** The mutable heart of a collector. */
export class CollectorEngine {
  /** What the engine knows (read by the collector's views). */
  readonly state: EngineState;
  readonly #store: EventStore;
  readonly #admission: Admission;
  readonly #applier: Applier;
  readonly #holes: HoleTracker;
  readonly #scheduler: Scheduler;
  /** Retires departed nodes' participants, streams and stats (`retirement.ts`). */
  readonly retirement: Retirement;
  /** The batch being ingested: its node's stats and its counts. */
  #node: NodeStats | null = null;
  #accepted = 0;
  #duplicates = 0;
  #late = 0;
  #dropped = 0;
  #ordered: OrderedIngest | null = null;
  /** The last snapshot of each partition, rebuilt after a change (`partition_snapshots.ts`). */
  readonly #snapshots = new PartitionSnapshots();

  /**
   * Creates an engine for validated options.
   *
   * @example Ingest nothing, and read the state
   * ```ts ignore
   * // `createCollector` validates the options and wraps an engine:
   * const engine = new CollectorEngine(engineOptions);
   * engine.flush();
   * engine.state.partitions.size; // 0
   * ```
   */
  constructor(options: EngineOptions) {
    const state = new EngineState(options);
    const store = new EventStore(Math.max(...options.specs.map((s) => s.meta.stride)));
    const deadlines = new DeadlineQueue();
    const applier = new Applier(state, {
      store,
      deadlines,
      local: new LocalLiveness(deadlines, { enabled: options.localLiveness ?? true }),
      causal: options.maxSkewMs === undefined ? null : {
        maxSkewMs: options.maxSkewMs,
        windowMs: options.windowMs,
        onArrival: options.causalOnArrival ?? true,
      },
    });
    const holes = new HoleTracker(state);
    this.state = state;
    this.#store = store;
    this.#admission = new Admission(state, options.limits);
    this.#applier = applier;
    this.#holes = holes;
    this.#scheduler = new Scheduler({ state, store, applier, holes, deadlines });
    const admission = this.#admission;
    this.retirement = new Retirement(
      { state, causal: applier.causal, forget: (node) => admission.removeNode(node) },
      { idleMs: options.retireIdleMs ?? 0 },
    );
  }

  /** Applies what is due at `now`, times out holes and deadlines, announces statuses. */
  advance(now: number): void {
    this.#scheduler.advance(now);
    this.#applier.causal?.advance(now);
    this.retirement.sweep(now);
  }

  /** Pre-ordered ingest on this engine's parts (`ordered_ingest.ts`), for callers holding merge order. */
  ordered(): OrderedIngest {
    return this.#ordered ??= new OrderedIngest({
      state: this.state,
      store: this.#store,
      applier: this.#applier,
    });
  }

  /** Applies everything buffered, in order. */
  flush(): void {
    // A flush applies partition after partition: the causal judge keeps its dependencies meanwhile.
    this.#applier.causal?.beginFlush();
    this.#scheduler.flush();
    this.#applier.causal?.flush();
  }

  /** The causal judge (null with causal verdicts off): for the engine's retirement of participants and nodes, and tests. */
  get causal(): CausalJudge | null {
    return this.#applier.causal;
  }

  /** The state intervals the causal judge's lanes hold (0 with causal verdicts off; `recount`: by a pass over them). */
  causalIntervals(recount = false): number {
    return this.#applier.causal?.intervals(recount) ?? 0;
  }

  /** Number of buffered events and the smallest time by which one must be applied. */
  buffered(): { readonly count: number; readonly oldestReadyAt: number } {
    return this.#scheduler.buffered();
  }

  /** Loads a snapshot into this fresh engine (see `restoreCollector`). */
  restore(snap: CollectorSnapshot): void {
    if (snap.version !== 1) {
      throw new TypeError(`Unknown collector snapshot version '${snap.version}'`);
    }
    const state = this.state;
    const now = state.now();
    let retired = 0;
    for (const s of snap.streams) {
      if (!state.tables.has(s.spec)) {
        if (state.families.has(s.specName)) {
          // A version no longer served: its batches would be refused, so its stream has no use.
          retired++;
          continue;
        }
        throw new TypeError(`Snapshot names spec '${s.specName}' (hash '${s.spec}') not served`);
      }
      this.#addStream(StreamState.restore(s, now, this.#store));
    }
    for (const n of snap.nodes) state.node(n.node).restore(n);
    const restored = new Map<string, Partition | null>();
    for (const ps of snap.partitions) {
      const table = state.tables.get(ps.spec);
      if (table === undefined) {
        throw new TypeError(
          `Snapshot holds partition '${ps.key}' of spec hash '${ps.spec}', which is not served: ` +
            `start the collector with that version too, so its states convert to the newest`,
        );
      }
      const p = restorePartition(table.served, ps, {
        ...state.options,
        upgrade: table.upgradeFrom(ps.spec),
      });
      this.#addPartition(p);
      // Saved under an older version: its causal state (states in that layout) starts afresh.
      restored.set(`${ps.spec}\u0000${ps.key}`, p.spec === ps.spec ? p : null);
      if (p.mixed !== null) state.mixedPartitions++;
      for (const q of p.participants) state.node(q.node).partitionsFor(p.specName).add(p);
    }
    // Older snapshots, or ones saved without causal verdicts: the judge starts from the restored states.
    const judge = this.#applier.causal;
    if (snap.causal !== undefined && judge !== null) {
      judge.load(snap.causal, (spec, key) => restored.get(`${spec}\u0000${key}`));
      // Newer snapshots: each partition's causal side is in its own snapshot.
      for (const ps of snap.partitions) {
        const p = ps.causal === undefined ? null : restored.get(`${ps.spec}\u0000${ps.key}`);
        if (p != null) judge.loadPart(p, ps.causal!);
      }
    }
    if (snap.tombstones !== undefined) this.retirement.load(snap.tombstones);
    // One by one: a spread passes each as an argument, and a call takes ~125,000 at most here.
    for (const v of snap.violations) state.violations.push(v);
    state.counters.load(snap.counters);
    state.counters.retiredStreams += retired;
    this.#scheduler.adopt();
  }

  /** The persisted form of everything applied; buffered events are left out (and not counted). */
  snapshot(): CollectorSnapshot {
    const state = this.state;
    const pendingByNode = new Map<string, number>();
    let pending = 0;
    for (const s of state.streams.values()) {
      pending += s.pendingCount;
      pendingByNode.set(s.id.node, (pendingByNode.get(s.id.node) ?? 0) + s.pendingCount);
    }
    const counters = state.counters.persisted();
    counters.events = (counters.events ?? 0) - pending;
    const causal = this.#applier.causal;
    // Partitions changed since the last snapshot: those marked (the causal judge marks its own
    // changes too), and those whose status change is not announced yet.
    for (const p of state.dirty) state.changed.mark(p);
    const marked = state.changed.take();
    const { partitions, changes } = this.#snapshots.take(state.partList, {
      changed: marked,
      causal,
    });
    return PartitionSnapshots.attach({
      version: 1,
      takenAt: state.now(),
      streams: [...state.streams.values()].map((s) => s.snapshot()),
      partitions,
      nodes: [...state.nodes.values()].map((n) => n.snapshot(pendingByNode.get(n.node) ?? 0)),
      violations: [...state.violations],
      counters,
      ...(this.retirement.tombstones === 0 ? {} : { tombstones: this.retirement.save() }),
      ...(causal === null ? {} : { causal: causal.save() }),
    }, changes);
  }

  #table(spec: string, specName: string): PartitionTable {
    const table = this.state.tables.get(spec);
    if (table === undefined) {
      const counters = this.state.counters;
      counters.batchesRejected++;
      const family = this.state.families.get(specName);
      if (family === undefined) throw new UnknownSpecError(spec, specName);
      counters.unknownVersion++;
      throw new UnknownSpecError(spec, specName, { served: [...family.served.versions.keys()] });
    }
    return table;
  }

  #rejectInvalid(e: unknown): never {
    if (e instanceof InvalidBatchError) this.state.counters.batchesRejected++;
    throw e;
  }

  /**
   * Ingests one batch decoded as columns (see `Collector.ingestColumns`):
   * the engine's one ingest routine, whatever carried the batch.
   */
  ingestColumns(c: WireColumns): IngestResult {
    const table = this.#table(c.spec, c.specName);
    try {
      table.version(c.spec)!.validateColumns(c);
    } catch (e) {
      this.#rejectInvalid(e);
    }
    this.#checkDrops(c);
    const now = this.state.now();
    this.#admission.admitColumns(c, table, now);
    this.#applier.causal?.admitted(c, now);
    const stream = this.#open(c, now);
    const s = this.#store;
    const bytes = c.bytes;
    this.#scheduler.dueBy(now + this.state.options.windowMs, c.count);
    let prev: Partition | null = null;
    let prevOff = 0;
    let prevLen = -1;
    /** The batch node's participant index in `prev`, -1 when it has not joined. */
    let member = -1;
    // A batch that follows on (the common case) has no duplicate and fills no hole: received at once.
    const followsOn = c.firstSeq === stream.next;
    if (followsOn) {
      stream.receiveRun(c.firstSeq, c.count);
      this.#accepted += c.count;
    }
    /**
     * The last event held in `prev`, whose arrival entry waits: it is left
     * out when the next event held in `prev` orders after it (releasing that
     * one releases it), else queued; -1 when none.
     */
    let waiting = -1;
    /** The received event with the newest HLC (the node's stats see it once, at the end), -1 when none. */
    let newest = -1;
    const scheduler = this.#scheduler;
    const walls = c.wall;
    const logicals = c.logical;
    // Each event's first dependency as the causal judge recorded it (its handoff test reads it from the
    // slot, not from the table): `d` the first dependency of event `i` or after.
    const causal = this.#applier.causal;
    const senders = causal !== null && c.depCount > 0 ? causal.senders : null;
    const retirements = causal === null ? 0 : causal.deps.retirements;
    let d = 0;
    for (let i = 0; i < c.count; i++) {
      const seq = c.firstSeq + i;
      if (!followsOn) {
        // Its gap notifications go out with the node's stats having seen the batch up to it.
        if (newest >= 0) this.#node!.seen(walls, logicals, newest);
        if (!this.#receive(stream, seq, now)) continue;
      }
      const wall = walls[i]!;
      const logical = logicals[i]!;
      if (
        newest < 0 || wall > walls[newest]! ||
        (wall === walls[newest]! && logical > logicals[newest]!)
      ) {
        newest = i;
      }
      const off = c.keyOff[i]!;
      const len = c.keyLen[i]!;
      if (prev === null || !sameBytes(bytes, off, prevOff, len, prevLen)) {
        if (waiting >= 0) scheduler.due(waiting);
        waiting = -1;
        prev = this.#member(
          table.cached(bytes, off, len) ?? this.#cachePartition(table, c.key(i)),
          c.node,
        );
        prevOff = off;
        prevLen = len;
        member = prev.indexOf(c.node);
      }
      const slot = s.allocEvent(c, i, member);
      if (senders !== null) {
        while (d < c.depCount && c.depEvent[d]! < i) d++;
        if (d < c.depCount && c.depEvent[d] === i && senders[d]! >= 0) {
          s.setFirstDep(slot, senders[d]!, c, d, retirements);
        }
      }
      // Both of this stream: `slot` orders after `waiting` unless by an earlier HLC (equal ones go
      // by number). Held after `waiting` (not late), it is not late either (`prev.last` moves only
      // as events are applied, and a late one never moves it): it goes after `waiting`.
      if (waiting >= 0) {
        const ww = s.wallOf(waiting);
        if (ww < wall || (ww === wall && s.logicalOf(waiting) <= logical)) {
          s.place(slot, stream.index, prev.index, false);
          scheduler.holdAfter(slot, waiting, stream, prev);
          waiting = slot;
          continue;
        }
      }
      if (!this.#admit(slot, stream, prev)) {
        // Late: applied at once, the node's stats having seen the batch up to it.
        this.#node!.seen(walls, logicals, newest);
        this.#applier.apply(slot);
        continue;
      }
      if (waiting >= 0) scheduler.due(waiting);
      waiting = slot;
    }
    if (waiting >= 0) scheduler.due(waiting);
    if (newest >= 0) this.#node!.seen(walls, logicals, newest);
    return this.#close(stream, now);
  }

  /**
   * Refuses the batch, before anything changes (limits included), unless its
   * drops are ascending, disjoint and below its first number.
   */
  #checkDrops(batch: BatchHeader): void {
    const bad = checkDropRanges(batch.dropped, batch.firstSeq);
    if (bad !== null) {
      this.#rejectInvalid(new InvalidBatchError(`drop[${bad.index}]`, bad.problem));
    }
  }

  /**
   * The batch's stream (drops checked by `#checkDrops`), its drops and its
   * first number; closes the stream's holes over its limit; starts the
   * batch's counts.
   */
  #open(batch: BatchHeader, now: number): StreamState {
    const state = this.state;
    state.counters.batches++;
    const stream = this.#stream(batch, now);
    const node = state.node(batch.node);
    node.lastSeenAt = now;
    const declared = stream.declareAll(batch.dropped, now);
    for (const h of declared.holes) this.#gap(stream, h);
    const dropped = declared.count;
    state.counters.dropped += dropped;
    node.droppedEvents += dropped;
    const hole = stream.reach(batch.firstSeq, now);
    if (hole !== null) this.#gap(stream, hole);
    this.#holes.close(stream, stream.closeOverLimit(), "limit");
    this.#accepted = 0;
    this.#duplicates = 0;
    this.#late = 0;
    this.#dropped = dropped;
    this.#node = node;
    return stream;
  }

  /** Sequence bookkeeping of one event; false for a duplicate. */
  #receive(stream: StreamState, seq: number, now: number): boolean {
    if (seq > stream.next) this.#gap(stream, stream.reach(seq, now)!);
    const r = stream.receive(seq, now);
    if (r === -1) {
      this.#duplicates++;
      return false;
    }
    if (r === 1) this.state.emit({ type: "gap_filled", stream: stream.id, seq });
    this.#accepted++;
    return true;
  }

  /**
   * Buffers a filled slot (its arrival entry is for the caller to queue,
   * `Scheduler.due`) and returns true, or marks it late (for the caller to
   * apply at once) and returns false. Its HLC is read from the store here
   * (doubles passed to a function cost an allocation each).
   */
  #admit(slot: number, stream: StreamState, p: Partition): boolean {
    const s = this.#store;
    s.place(slot, stream.index, p.index, false);
    const last = p.last;
    if (last !== null && compareSlotPos(s, slot, last) < 0) {
      this.#late++;
      s.setLate(slot, true);
      return false;
    }
    this.#scheduler.hold(slot, stream, p);
    return true;
  }

  /** Ends a batch: counts, holes, releases what is due, announces. */
  #close(stream: StreamState, now: number): IngestResult {
    const counters = this.state.counters;
    const node = this.#node!;
    this.#node = null;
    const accepted = this.#accepted;
    const duplicates = this.#duplicates;
    const late = this.#late;
    node.events += accepted;
    node.duplicates += duplicates;
    node.late += late;
    counters.events += accepted;
    counters.duplicates += duplicates;
    counters.late += late;
    this.#holes.sync(stream);
    this.#scheduler.release(now);
    this.#scheduler.announce();
    return { accepted, duplicates, late, dropped: this.#dropped };
  }

  #stream(batch: BatchHeader, now: number): StreamState {
    const state = this.state;
    const key = streamKey(batch);
    let s = state.streams.get(key);
    if (s === undefined) {
      const id: StreamId = {
        spec: batch.spec,
        specName: batch.specName,
        node: batch.node,
        boot: batch.boot,
      };
      s = new StreamState(id, now, this.#store);
      // A retired stream coming back: every number below its tombstone's counts as received.
      const next = this.retirement.resume(id);
      if (next > 0) s.resume(next);
      this.#addStream(s);
      state.node(batch.node).boot = batch.boot;
      state.emit({ type: "boot", stream: id });
    }
    return s;
  }

  /** Registers a new (or restored) stream: admission counts it, the store names its node and boot. */
  #addStream(s: StreamState): void {
    this.#admission.addStream(s.id, s.firstSeenAt);
    this.state.addStream(s);
    this.#store.nodes[s.index] = s.id.node;
    this.#store.boots[s.index] = s.id.boot;
  }

  /** Registers a new (or restored) partition, its members counted by admission. */
  #addPartition(p: Partition): void {
    this.state.addPartition(p);
    this.#admission.noteMembers(p.members);
  }

  #partition(table: PartitionTable, key: string): Partition {
    let p = table.get(key);
    if (p === undefined) {
      p = new Partition(table.served, key, this.state.options);
      this.#addPartition(p);
      this.state.dirty.add(p);
    }
    return p;
  }

  /** Counts the batch's node a member of `p` (see `Partition.admit`); returns `p`. */
  #member(p: Partition, node: string): Partition {
    if (p.admit(node)) this.#admission.noteMembers(p.members);
    return p;
  }

  #cachePartition(table: PartitionTable, key: string): Partition {
    const p = this.#partition(table, key);
    table.cache(p);
    return p;
  }

  #gap(stream: StreamState, h: Hole): void {
    if (!h[3]) this.state.counters.gaps++;
    this.state.emit({
      type: "gap",
      stream: stream.id,
      first: h[0],
      last: h[1],
      declared: h[3],
    });
  }
}

/** True when `b[x .. x + n)` equals `b[y .. y + m)`. */
function sameBytes(b: Uint8Array, x: number, y: number, n: number, m: number): boolean {
  if (n !== m) return false;
  if (x === y) return true;
  for (let i = 0; i < n; i++) if (b[x + i] !== b[y + i]) return false;
  return true;
}
