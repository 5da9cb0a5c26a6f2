/**
 * Applying one event to its partition: the participant's latest state,
 * histories, the global invariant check and its episodes, liveness
 * deadlines, local verdicts, and the notifications these raise. Internal to
 * the engine (`engine.ts` composes it); the semantics are documented in
 * `collector.ts`.
 *
 * An event of a node on an older version of the spec (its stream has a
 * `VersionUpgrade`) has its state converted to the partition's layout (the
 * newest version's) before it is written; a state that does not convert
 * leaves the participant's state as it was and marks the partition
 * `mixed`, with the reason, until that node's state converts again.
 *
 * @module
 */
import type { EventStore } from "./event_store.ts";
import {
  type DeadlineQueue,
  expireDeadlines,
  trackLiveness,
  trackLivenessMask,
} from "./liveness.ts";
import { AFTER_GLOBAL_SHIFT, AFTER_LOCAL_SHIFT } from "../../lib/abi/global_after.ts";
import type { LocalLiveness } from "./local_liveness.ts";
import { compareSlotPos } from "./merge.ts";
import type { NodeStats } from "./node_stats.ts";
import { AFTER_CODE_MASK, type Partition } from "./partition.ts";
import type { StreamState } from "./stream_state.ts";
import type { Counters } from "./counters.ts";
import type { ChangedPartitions } from "./changed_partitions.ts";
import type { CollectorEvent, EventSnapshot, Violation } from "./types.ts";
import { buildViolation } from "./violation.ts";
import type { Participant } from "./partition.ts";
import { shortHash, type VersionUpgrade } from "./version_upgrade.ts";
import { CausalJudge, type CausalJudgeOptions } from "./causal/causal_judge.ts";

/** The parts of the engine's state the applier uses. */
export interface ApplierHost {
  readonly counters: Counters;
  readonly violations: Violation[];
  readonly options: { readonly maxViolations: number };
  readonly listening: boolean;
  readonly streamList: readonly StreamState[];
  readonly partList: readonly Partition[];
  /** Partitions whose status may have changed. */
  readonly dirty: Set<Partition>;
  /** Partitions changed since the last snapshot. */
  readonly changed: ChangedPartitions;
  /** Partitions `mixed` now. */
  mixedPartitions: number;
  now(): number;
  node(id: string): NodeStats;
  emit(e: CollectorEvent): void;
}

/** What an applier works on besides the engine's state. */
export interface ApplierParts {
  /** Where the events to apply are. */
  readonly store: EventStore;
  /** Open liveness deadlines (shared with the scheduler, which times them out). */
  readonly deadlines: DeadlineQueue;
  /** Local liveness deadlines per participant (queued in `deadlines`). */
  readonly local: LocalLiveness;
  /** Causal verdicts on global invariants (`causal/causal_judge.ts`); absent or null: the merge order's. */
  readonly causal?: CausalJudgeOptions | null;
}

/** Applies events for an engine. */
export class Applier {
  readonly #state: ApplierHost;
  readonly #store: EventStore;
  readonly #dirty: Set<Partition>;
  readonly #deadlines: DeadlineQueue;
  readonly #local: LocalLiveness;
  /** The causal judge when causal verdicts are on (it raises the global invariants' alerts then). */
  readonly causal: CausalJudge | null;

  /**
   * Creates the applier of an engine's state.
   *
   * @example Wire up
   * ```ts ignore
   * // How the engine wires its applier (`engine.ts`):
   * const applier = new Applier(state, { store, deadlines, local });
   * ```
   */
  constructor(state: ApplierHost, parts: ApplierParts) {
    this.#state = state;
    this.#store = parts.store;
    this.#dirty = state.dirty;
    this.#deadlines = parts.deadlines;
    this.#local = parts.local;
    this.causal = parts.causal == null ? null : new CausalJudge({
      now: () => state.now(),
      raise: (p, f) => this.#raise(p, { kind: "invariant", ...f, incomplete: this.#incomplete(p) }),
      episode: (p, code, before, at) => this.#episode(p, code, before, at),
      laneDropped: (_p, count) => {
        state.counters.causalLaneDrops += count;
      },
      endApproximated: () => {
        state.counters.causalApproximatedEnds++;
      },
      stampsRefused: (_node, count) => {
        state.counters.causalStampsRefused += count;
      },
      clockAhead: (node, aheadMs) => state.emit({ type: "clock_ahead", node, aheadMs }),
      changed: (p) => state.changed.mark(p),
    }, parts.causal);
  }

  /**
   * Applies one stored event to its partition (state, history, checks,
   * notifications) and frees its slot.
   */
  apply(slot: number): void {
    const e = this.#state;
    const s = this.#store;
    const p = e.partList[s.partOf(slot)]!;
    const stream = e.streamList[s.streamOf(slot)]!;
    const late = s.lateOf(slot);
    const wall = s.wallOf(slot);
    const logical = s.logicalOf(slot);
    const seq = s.seqOf(slot);
    s.retire(slot);
    if (!late) stream.applied();
    if (p.hasDeadlines || p.localOpen > 0) this.#expireBy(p, slot);
    const node = stream.id.node;
    const boot = stream.id.boot;
    const part = p.participantAt(s.memberOf(slot), node, boot);
    if (part.seq < 0) this.#joined(p, node);
    const newer = part.seq < 0 ||
      (part.boot === boot
        ? seq > part.seq
        : wall > part.wall || (wall === part.wall && logical > part.logical));
    if (part.events.mirrored) p.history.pushSlot(s, slot, stream.origin, late);
    else p.history.pushSlotBoth(part.events, s, slot, stream.origin, late);
    this.#advanceLast(p, slot, node, boot);
    if (p.applied++ === 0) this.#dirty.add(p);
    e.changed.mark(p);
    e.counters.applied++;
    if (newer) {
      const upgrade = stream.upgrade;
      if (upgrade === null) {
        p.writeFrom(part, s, slot, true);
        if (part.spec !== "") this.#current(p, part);
      } else this.#upgrade(p, part, upgrade, slot);
      if (part.boot !== boot) part.boot = boot; // a string stored only when it changes (write barrier)
      part.seq = seq;
      part.wall = wall;
      part.logical = logical;
    } else if (this.causal !== null && part.boot === boot && stream.upgrade === null) {
      this.#causalOlder(p, part, slot);
    }
    const verdict = s.verdictOf(slot);
    if (verdict !== 0 || (late && e.listening)) {
      const rec = stream.upgrade === null
        ? s.snapshotOf(slot, node, boot, late)
        : { ...s.snapshotOf(slot, node, boot, late), spec: stream.id.spec };
      if (verdict !== 0) this.#localVerdict(p, rec);
      if (late && e.listening) {
        e.emit({ type: "late", partition: p.ref, event: p.served.eventInfo(rec) });
      }
    }
    if (newer) {
      const after = this.#check(p, slot, part);
      if (
        p.served.localLiveness.length > 0 &&
        this.#local.track(
          p,
          part,
          s.doubles,
          s.wallAt(slot),
          after < 0 ? -1 : (after >>> AFTER_LOCAL_SHIFT) & 0xff,
        )
      ) {
        this.#dirty.add(p);
      }
    }
    s.free(slot);
  }

  /**
   * Reads what {@link Applier.apply} of event `slot` (of partition `p`)
   * reads of memory written at `p`'s previous events, out of the caches by
   * then with causal verdicts on: the slot's lines, the partition's
   * deadlines, last position and history, the participant's position,
   * local deadlines and last events; the causal judge's lane is queued for
   * its own warm-up (`CausalJudge.warm`). Called for several events in a row
   * (`Scheduler.release`), so their misses overlap. Returns 1 when what it
   * read sums above 0, else 0: it means nothing (returned so the reads are
   * kept).
   */
  warm(p: Partition, slot: number): number {
    const s = this.#store;
    let sum = s.touch(slot) + p.deadlines.length + p.localOpen + p.history.touch();
    const last = p.last;
    if (last !== null) sum += last.wall + last.logical + last.seq;
    const m = s.memberOf(slot);
    const all = p.participants;
    if (m >= 0 && m < all.length) {
      const part = all[m]!;
      const ds = part.localDeadlines;
      sum += part.seq + part.wall + part.logical + part.events.touch() +
        (ds.length > 0 ? ds[0]! : 0);
      this.causal?.warm(p, m);
    }
    // A small integer that depends on every read, not the sum: a double returned from a call V8 did
    // not inline is a new heap number (8 bytes allocated per event, one long-running collector).
    return sum > 0 ? 1 : 0;
  }

  /** A node's first event in `p` is being applied: it joins the node's partitions and `p`'s hole count. */
  #joined(p: Partition, node: string): void {
    const stats = this.#state.node(node);
    stats.partitionsFor(p.specName).add(p);
    if (stats.holesFor(p.specName) > 0) p.holed++;
    this.#dirty.add(p);
  }

  /** Writes the converted state of event `slot` (an older version's) to participant `part`, or marks `p` mixed. */
  #upgrade(p: Partition, part: Participant, upgrade: VersionUpgrade, slot: number): void {
    const problem = upgrade.writeTo(upgrade.stage(this.#store, slot), {
      compiled: p.served.compiled,
      inst: p.instanceOf(part),
    });
    p.overwritten(part);
    part.spec = upgrade.from.hash;
    if (problem === null) {
      this.#state.counters.converted++;
      if (p.mixed !== null) this.#setMixed(p, part.node, null);
      return;
    }
    this.#state.counters.unconvertible++;
    const reason = `${problem.reason} (version '${shortHash(upgrade.from.hash)}' to '${
      shortHash(upgrade.to.hash)
    }')`;
    this.#setMixed(p, part.node, { node: part.node, spec: upgrade.from.hash, reason });
  }

  /** Participant `part`, last on an older version, reported a state of the partition's own version. */
  #current(p: Partition, part: Participant): void {
    part.spec = "";
    if (p.mixed !== null) this.#setMixed(p, part.node, null);
  }

  #setMixed(p: Partition, node: string, entry: Parameters<Partition["setMixed"]>[1]): void {
    this.#dirty.add(p);
    if (p.setMixed(node, entry)) this.#state.mixedPartitions += p.mixed === null ? -1 : 1;
  }

  #advanceLast(p: Partition, slot: number, node: string, boot: string): void {
    const s = this.#store;
    const last = p.last;
    if (last === null) this.#firstLast(p, slot, node, boot);
    else if (compareSlotPos(s, slot, last) > 0) {
      last.wall = s.wallOf(slot);
      last.logical = s.logicalOf(slot);
      // Strings stored only when they change (each store of an object costs a write barrier).
      if (last.node !== node) last.node = node;
      if (last.boot !== boot) last.boot = boot;
      last.seq = s.seqOf(slot);
    }
  }

  /**
   * The partition's first applied position. Apart from {@link #advanceLast}
   * (called once per partition: not inlined into `apply`), so that the
   * allocation site of these long-lived objects, when V8 moves it to old
   * space, deoptimizes this function rather than `apply`.
   */
  #firstLast(p: Partition, slot: number, node: string, boot: string): void {
    const s = this.#store;
    p.last = { wall: s.wallOf(slot), logical: s.logicalOf(slot), node, boot, seq: s.seqOf(slot) };
  }

  #localVerdict(p: Partition, rec: EventSnapshot): void {
    const version = rec.spec === undefined ? undefined : p.served.versions.get(rec.spec);
    const kind = (version ?? p.served).verdictKind(rec.verdict);
    const n = this.#state.node(rec.node);
    n.localVerdicts[kind] = (n.localVerdicts[kind] ?? 0) + 1;
    this.#state.counters.localVerdicts++;
    if (this.#state.listening) {
      this.#state.emit({ type: "local_verdict", partition: p.ref, event: p.served.eventInfo(rec) });
    }
  }

  /**
   * The checks after event `slot` changed participant `part`'s state
   * (doubles read here, not passed). One call into the module answers the
   * check and both liveness masks when the spec has `global-after`
   * (`Partition.after`, which also adds back the contributions the
   * deferred `writeFrom` left out of the maintained aggregates): returns
   * that packed result for the local liveness, else -1. With causal
   * verdicts the judge decides the invariant's episodes (the code is not
   * read) and the masks are read from the same call: one call where the
   * record's update, the global mask and the local mask took one each.
   */
  #check(p: Partition, slot: number, part: Participant): number {
    const s = this.#store;
    const causal = this.causal;
    if (causal !== null) causal.applied(p, part, this.#causalEvent(slot));
    const after = p.after(part);
    const code = causal !== null ? p.episode : after >= 0 ? after & AFTER_CODE_MASK : p.check(part);
    if (code !== p.episode) {
      const before = p.episode;
      p.episode = code;
      this.#dirty.add(p);
      if (code !== 0) {
        this.#raise(p, {
          kind: "invariant",
          property: p.served.invariantRef(code),
          at: { wall: s.wallOf(slot), logical: s.logicalOf(slot) },
          detectedAt: this.#state.now(),
          nodes: p.involved(code),
          incomplete: this.#incomplete(p),
        });
      } else {
        this.#state.emit({
          type: "violation_cleared",
          partition: p.ref,
          name: p.served.invariantRef(before).name,
          at: { wall: s.wallOf(slot), logical: s.logicalOf(slot) },
        });
      }
    }
    if (
      p.hasDeadlines &&
      (after >= 0
        ? trackLivenessMask(
          p,
          after >>> AFTER_GLOBAL_SHIFT,
          s.doubles,
          s.wallAt(slot),
          this.#deadlines,
        )
        : trackLiveness(p, s.doubles, s.wallAt(slot), this.#deadlines))
    ) this.#dirty.add(p);
    return after;
  }

  /**
   * Before event `slot` is applied: times out the deadlines its wall time
   * passes. The tests are written out here (a double passed to a function
   * that is not inlined costs an allocation).
   */
  #expireBy(p: Partition, slot: number): void {
    const s = this.#store;
    const wall = s.wallOf(slot);
    const last = p.last === null ? -Infinity : p.last.wall;
    const time = last > wall ? last : wall;
    const deadlines = p.deadlines;
    let due = false;
    for (let i = 0; i < deadlines.length && !due; i++) {
      const d = deadlines[i]!;
      due = d >= 0 && time > d;
    }
    if (!due && !(p.localOpen > 0 && time > p.localEarliest && this.#local.due(p, time))) return;
    this.expire(p, time, true, wall, s.logicalOf(slot));
  }

  /**
   * Times out the liveness deadlines (global, and local per participant) of
   * `p` passed by merged time `time`;
   * `wall`/`logical` are the HLC of the event being applied, if `byEvent`.
   */
  expire(p: Partition, time: number, byEvent: boolean, wall: number, logical: number): void {
    this.#expireLocal(p, time, byEvent ? { wall, logical } : { wall: time, logical: 0 });
    const due = expireDeadlines(p, time);
    if (due === null) return;
    for (const [i, deadline] of due) {
      this.#state.counters.livenessTimeouts++;
      this.#dirty.add(p);
      this.#raise(p, {
        kind: "liveness_timeout",
        property: p.served.livenessRef(i),
        at: byEvent ? { wall, logical } : { wall: time, logical: 0 },
        deadline,
        detectedAt: this.#state.now(),
        nodes: p.participants.map((q) => q.node),
        incomplete: this.#incomplete(p),
      });
    }
  }

  /** Times out the local liveness deadlines of `p`'s participants passed by `time`. */
  #expireLocal(p: Partition, time: number, at: { wall: number; logical: number }): void {
    const due = this.#local.expire(p, time);
    if (due === null) return;
    this.#dirty.add(p);
    for (const t of due) {
      this.#state.counters.livenessTimeouts++;
      this.#raise(p, {
        kind: "liveness_timeout",
        property: p.served.localLivenessRef(t.item),
        at,
        deadline: t.deadline,
        detectedAt: this.#state.now(),
        nodes: [t.participant.node],
        incomplete: this.#incomplete(p),
      });
    }
  }

  /** An older event of `part` (arriving after a later one of its node): the causal judge places it. */
  #causalOlder(p: Partition, part: Participant, slot: number): void {
    const served = p.served;
    this.#store.copyState(slot, served.staging, served.staging32);
    this.causal!.older(p, part, this.#causalEvent(slot), served.staging);
  }

  /** Event `slot` as the causal judge reads it. */
  #causalEvent(slot: number): Parameters<CausalJudge["applied"]>[2] {
    // One object reused (the judge copies what it keeps): no allocation per event.
    const s = this.#store;
    const e = this.#causalScratch;
    e.seq = s.seqOf(slot);
    e.action = s.actionOf(slot);
    e.wall = s.wallOf(slot);
    e.logical = s.logicalOf(slot);
    e.late = s.lateOf(slot);
    // Its first dependency, as the judge recorded it at ingest (`EventStore.setFirstDep`).
    const from = s.depFromOf(slot);
    e.depFrom = from;
    if (from >= 0) {
      e.depBefore = s.depBeforeOf(slot);
      e.depLogical = s.depLogicalOf(slot);
      e.depRetired = s.depRetiredOf(slot);
    }
    return e;
  }

  /** The event {@link Applier.#causalEvent} fills. */
  readonly #causalScratch = {
    seq: 0,
    action: 0,
    wall: 0,
    logical: 0,
    late: false,
    depFrom: -1,
    depBefore: 0,
    depLogical: 0,
    depRetired: 0,
  };

  /** The causal judge opened (`code` > 0) or closed (0) an episode of `p`. */
  #episode(
    p: Partition,
    code: number,
    before: number,
    at: { wall: number; logical: number },
  ): void {
    p.episode = code;
    this.#dirty.add(p);
    if (code === 0 && before > 0) {
      this.#state.emit({
        type: "violation_cleared",
        partition: p.ref,
        name: p.served.invariantRef(before).name,
        at,
      });
    }
  }

  #raise(p: Partition, facts: Parameters<typeof buildViolation>[1]): void {
    const v = buildViolation(p, facts);
    this.#state.changed.mark(p);
    this.#state.counters.violations++;
    this.#state.violations.push(v);
    if (this.#state.violations.length > this.#state.options.maxViolations) {
      this.#state.violations.shift();
    }
    this.#state.emit({ type: "violation", violation: v });
  }

  #incomplete(p: Partition): boolean {
    return p.incomplete || p.holed > 0 || p.mixed !== null;
  }
}
