/**
 * Retiring what departed nodes leave behind. Nodes leave for good in
 * production (pods with new names at each deploy, edge isolates); without
 * this the collector would keep each one's participants, streams and stats
 * for ever. Once per second of the collector clock at most, a sweep looks
 * at the nodes that sent nothing for `retireIdleMs` (the collector clock,
 * the one liveness deadlines use) and retires each participant of theirs
 * that is AT REST:
 * - nothing of its node waits in a reorder buffer, and its node's streams
 *   have no open hole (their numbers could still arrive);
 * - no liveness deadline is pending, open or timed out: none of its own
 *   (local), none of its partition's (global: its obligation reads every
 *   participant's state, and the bytes it reads are not recorded apart);
 * - it does not make its partition `mixed` (its latest state is of the
 *   partition's own version);
 * - its state is the spec's initial state on every byte the global
 *   invariants read (`SpecMeta.globalSlots`; every byte for a spec compiled
 *   without it): a released lease whose token counted up is at rest, a
 *   holder is not.
 *
 * Its partition's open invariant episode does not keep a participant from
 * rest: its state is the initial one on every byte the global invariants
 * read (a partition a zombie keeps violated would otherwise keep every node
 * that ever passed through it).
 *
 * A participant silent that long but NOT at rest is kept: it may be a
 * zombie holder, the split brain the monitor exists for. The sweep counts
 * them ({@link Retirement.idleHolding}, `vigil_idle_holding_participants`)
 * and says each once (an `idle_holding` notification); a node holding one
 * is looked at again after another `retireIdleMs`.
 *
 * A retired participant leaves its partition (`Partition.retire`: the
 * participants after it move down one index); the causal judge is told
 * first (`CausalJudge.retire`, whose lanes move down the same way). A node with
 * no participant left is retired too: its stats and its streams go, each
 * stream leaving a tombstone (its next sequence number, under its
 * (spec, node, boot) key) so that a late duplicate is still dropped and a
 * returning node resumes where it was, with no hole (its next events are
 * judged from the initial state); the causal judge frees its dependency
 * entries (`CausalJudge.retireNode`). At most {@link MAX_TOMBSTONES}
 * tombstones are kept, the oldest dropped first.
 *
 * Costs: nothing per event (a batch sets its node's `lastSeenAt`, as before);
 * a sweep visits every node once (a comparison each) and the partitions of
 * the idle ones. One `retired` notification per sweep that retired
 * something, with the counts.
 *
 * @module
 */
import type { CausalJudge } from "./causal/causal_judge.ts";
import type { EngineState } from "./engine_state.ts";
import type { NodeStats } from "./node_stats.ts";
import { NO_DEADLINE, type Participant, type Partition } from "./partition.ts";
import type { StreamId } from "../../lib/wire/event.ts";
import { streamKey } from "./stream_state.ts";
import type { TombstoneSnapshot } from "./snapshot.ts";

/**
 * `vigil collector`'s default `--retire-idle`: 10 minutes of silence (far
 * past a reorder window and a gap timeout). The core's own default is 0
 * (never), so an embedded collector or a replay keeps every node unless
 * asked.
 */
export const DEFAULT_RETIRE_IDLE_MS = 600_000;

/** Tombstones kept at most (the oldest dropped first): about 10 MB at the most. */
export const MAX_TOMBSTONES = 65_536;

/** Collector-clock ms between two sweeps, at least. */
export const SWEEP_EVERY_MS = 1_000;

/** What a retirement works with. */
export interface RetirementParts {
  /** The engine's state. */
  readonly state: EngineState;
  /** The causal judge, null when causal verdicts are off. */
  readonly causal: CausalJudge | null;
  /** Forgets a retired node's counts in the growth limits (`Admission.removeNode`). */
  readonly forget: (node: string) => void;
}

/** Options of a retirement. */
export interface RetirementOptions {
  /** Silence after which a node's participants at rest are retired, ms; 0 disables. */
  readonly idleMs: number;
  /** Tombstones kept at most. Default {@link MAX_TOMBSTONES}. */
  readonly maxTombstones?: number;
}

/** The sweep that retires departed nodes' participants, streams and stats. */
export class Retirement {
  readonly #state: EngineState;
  readonly #judge: CausalJudge | null;
  readonly #forget: (node: string) => void;
  readonly #idleMs: number;
  readonly #maxTombstones: number;
  /** Next sequence number of each retired stream, by `streamKey`, oldest first. */
  readonly #tombstones = new Map<string, number>();
  /** Participants already said idle while holding (said once each). */
  readonly #said = new WeakSet<Participant>();
  #nextSweepAt = -Infinity;
  #idleHolding = 0;

  /**
   * Creates the retirement of an engine.
   *
   * @example Wire up (the engine does)
   * ```ts ignore
   * const retirement = new Retirement(
   *   { state, causal: applier.causal, forget: (node) => admission.removeNode(node) },
   *   { idleMs: 600_000 },
   * );
   * retirement.sweep(now);
   * ```
   */
  constructor(parts: RetirementParts, options: RetirementOptions) {
    this.#state = parts.state;
    this.#judge = parts.causal;
    this.#forget = parts.forget;
    this.#idleMs = options.idleMs;
    this.#maxTombstones = options.maxTombstones ?? MAX_TOMBSTONES;
  }

  /** True when retirement is on (`idleMs` > 0). */
  get enabled(): boolean {
    return this.#idleMs > 0;
  }

  /** Participants idle past `idleMs` but not at rest, as of the last sweep (a gauge). */
  get idleHolding(): number {
    return this.#idleHolding;
  }

  /** Tombstones kept (a gauge). */
  get tombstones(): number {
    return this.#tombstones.size;
  }

  /**
   * Retires what is due at collector time `now`: at most once per
   * {@link SWEEP_EVERY_MS} (a call in between returns at once).
   */
  sweep(now: number): void {
    if (!this.enabled || now < this.#nextSweepAt) return;
    this.#nextSweepAt = now + SWEEP_EVERY_MS;
    const state = this.#state;
    const cutoff = now - this.#idleMs;
    let participants = 0;
    let nodes = 0;
    let holding = 0;
    for (const n of state.nodes.values()) {
      if (n.lastSeenAt > cutoff) continue;
      if (n.retireCheckAt > now) {
        holding += n.retireHeld;
        continue;
      }
      if (!quiet(n)) {
        n.retireCheckAt = now + this.#idleMs;
        n.retireHeld = 0;
        continue;
      }
      let kept = 0;
      for (const set of n.partitions.values()) {
        for (const p of set) {
          const part = p.find(n.node);
          if (part === undefined) {
            set.delete(p);
            continue;
          }
          if (!this.#atRest(p, part)) {
            kept++;
            this.#sayHolding(p, part, now - n.lastSeenAt);
            continue;
          }
          this.#retire(p, part);
          set.delete(p);
          participants++;
        }
      }
      holding += kept;
      n.retireHeld = kept;
      if (kept > 0) n.retireCheckAt = now + this.#idleMs;
      else {
        this.#retireNode(n);
        nodes++;
      }
    }
    this.#idleHolding = holding;
    if (participants > 0 || nodes > 0) {
      state.counters.retiredParticipants += participants;
      state.counters.retiredNodes += nodes;
      state.emit({
        type: "retired",
        participants,
        nodes,
        tombstones: this.#tombstones.size,
        idleHolding: holding,
      });
    }
  }

  /** True when participant `part` of `p` is at rest (see the module doc; its node is quiet). */
  #atRest(p: Partition, part: Participant): boolean {
    if (part.spec !== "") return false;
    if (p.mixed !== null && p.mixed.some((m) => m.node === part.node)) return false;
    for (const d of part.localDeadlines) if (d !== NO_DEADLINE) return false;
    for (const d of p.deadlines) if (d !== NO_DEADLINE) return false;
    const state = p.stateOf(part);
    const bytes = p.served.initialState;
    const read = p.served.globalBytes;
    if (state.length !== bytes.length) return false;
    for (let k = 0; k < read.length; k++) if (state[read[k]!] !== bytes[read[k]!]) return false;
    return true;
  }

  /** Retires `part` from `p`, the judge first (it lets go of the lane before its place is taken again). */
  #retire(p: Partition, part: Participant): void {
    this.#judge?.retire(p, part);
    p.retire(part);
    this.#state.changed.mark(p);
  }

  /** Retires a node with no participant left: tombstones for its streams, then its state. */
  #retireNode(n: NodeStats): void {
    for (const s of n.streams) this.#bury(s.id, s.next);
    this.#state.removeNode(n);
    this.#forget(n.node);
    this.#judge?.retireNode(n.node);
  }

  #bury(id: StreamId, next: number): void {
    const key = streamKey(id);
    const t = this.#tombstones;
    t.delete(key);
    t.set(key, next);
    if (t.size > this.#maxTombstones) t.delete(t.keys().next().value!);
  }

  /**
   * The next sequence number of a retired stream, taking its tombstone (the
   * stream is live again), or -1 when it has none.
   */
  resume(id: StreamId): number {
    if (this.#tombstones.size === 0) return -1;
    const key = streamKey(id);
    const next = this.#tombstones.get(key);
    if (next === undefined) return -1;
    this.#tombstones.delete(key);
    return next;
  }

  #sayHolding(p: Partition, part: Participant, idleMs: number): void {
    if (this.#said.has(part)) return;
    this.#said.add(part);
    this.#state.emit({ type: "idle_holding", partition: p.ref, node: part.node, idleMs });
  }

  /** The tombstones, oldest first, for a snapshot. */
  save(): TombstoneSnapshot[] {
    const out: TombstoneSnapshot[] = [];
    for (const [key, next] of this.#tombstones) {
      const [spec, node, boot] = key.split("\u0000") as [string, string, string];
      out.push({ spec, node, boot, next });
    }
    return out;
  }

  /** Loads a snapshot's tombstones (after the restored streams). */
  load(saved: readonly TombstoneSnapshot[]): void {
    for (const t of saved) {
      if (!Number.isSafeInteger(t.next) || t.next < 0) {
        throw new TypeError(
          `Snapshot tombstone of node '${t.node}' boot '${t.boot}' has next '${t.next}', not a sequence number`,
        );
      }
      this.#bury({ spec: t.spec, specName: "", node: t.node, boot: t.boot }, t.next);
    }
  }
}

/** True when nothing of node `n` waits in a reorder buffer and its streams have no open hole. */
function quiet(n: NodeStats): boolean {
  for (const s of n.streams) if (s.pendingCount > 0 || s.openHoles > 0) return false;
  return true;
}
