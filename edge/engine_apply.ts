/**
 * Applying one event to its partition: the participant's latest state,
 * histories, the global invariant check and its episodes, liveness
 * deadlines, local verdicts, and the notifications these raise. Internal to
 * the engine (`engine.ts`); the semantics are documented in `collector.ts`.
 *
 * @module
 */
import { type DeadlineQueue, expireDeadlines, trackLiveness } from "./liveness.ts";
import { type Buffered, compareMerge } from "./merge.ts";
import type { NodeStats } from "./node_stats.ts";
import type { Partition } from "./partition.ts";
import type { Counters } from "./engine_counters.ts";
import type { CollectorEvent, EventSnapshot, Violation } from "./types.ts";
import { buildViolation } from "./violation.ts";

/** What an applied record's `state` becomes. */
const APPLIED_STATE = new Uint8Array(0);

/** The parts of the engine the applier uses. */
export interface ApplierHost {
  readonly counters: Counters;
  readonly violations: Violation[];
  readonly o: { readonly maxViolations: number };
  readonly listening: boolean;
  now(): number;
  node(id: string): NodeStats;
  emit(e: CollectorEvent): void;
}

/** Applies events for an engine. */
export class Applier {
  readonly #e: ApplierHost;
  readonly #dirty: Set<Partition>;
  readonly #deadlines: DeadlineQueue;

  /**
   * Creates the applier of an engine, sharing its dirty-partition and
   * open-deadline sets.
   *
   * @example Wire up
   * ```ts
   * import { Applier, type ApplierHost } from "./engine_apply.ts";
   * import { DeadlineQueue } from "./liveness.ts";
   * import type { Partition } from "./partition.ts";
   * const make = (host: ApplierHost) => new Applier(host, new Set<Partition>(), new DeadlineQueue());
   * ```
   */
  constructor(host: ApplierHost, dirty: Set<Partition>, deadlines: DeadlineQueue) {
    this.#e = host;
    this.#dirty = dirty;
    this.#deadlines = deadlines;
  }

  /** Applies one event to its partition: state, history, checks, notifications. */
  apply(b: Buffered): void {
    const p = b.partition;
    b.done = true;
    if (!b.late) b.stream.applied();
    if (p.hasDeadlines && p.hasOpenDeadline) {
      this.expire(p, Math.max(p.last?.wall ?? -Infinity, b.wall), b);
    }
    const part = p.participant(b.node, b.boot);
    if (part.seq < 0) this.#e.node(b.node).partitionsFor(p.spec).add(p), this.#dirty.add(p);
    const newer = part.seq < 0 ||
      (part.boot === b.boot
        ? b.seq > part.seq
        : b.wall > part.wall || (b.wall === part.wall && b.logical > part.logical));
    part.events.push(b);
    p.history.push(b);
    this.#advanceLast(p, b);
    if (p.applied++ === 0) this.#dirty.add(p);
    this.#e.counters.applied++;
    if (newer) p.write(part, b.state);
    b.state = APPLIED_STATE;
    if (newer) {
      part.boot = b.boot;
      part.seq = b.seq;
      part.wall = b.wall;
      part.logical = b.logical;
    }
    if (b.verdict !== 0) this.#localVerdict(p, b);
    if (b.late && this.#e.listening) {
      this.#e.emit({ type: "late", partition: p.ref, event: p.rt.eventInfo(b) });
    }
    if (newer) this.#check(p, b);
  }

  #advanceLast(p: Partition, b: Buffered): void {
    const last = p.last;
    if (last === null) {
      p.last = { wall: b.wall, logical: b.logical, node: b.node, boot: b.boot, seq: b.seq };
    } else if (compareMerge(b, last) > 0) {
      last.wall = b.wall;
      last.logical = b.logical;
      last.node = b.node;
      last.boot = b.boot;
      last.seq = b.seq;
    }
  }

  #localVerdict(p: Partition, rec: EventSnapshot): void {
    const kind = p.rt.verdictKind(rec.verdict);
    const n = this.#e.node(rec.node);
    n.localVerdicts[kind] = (n.localVerdicts[kind] ?? 0) + 1;
    this.#e.counters.localVerdicts++;
    if (this.#e.listening) {
      this.#e.emit({ type: "local_verdict", partition: p.ref, event: p.rt.eventInfo(rec) });
    }
  }

  #check(p: Partition, ev: Buffered): void {
    const code = p.check();
    if (code !== p.episode) {
      const before = p.episode;
      p.episode = code;
      this.#dirty.add(p);
      if (code !== 0) {
        this.#raise(p, {
          kind: "invariant",
          property: p.rt.invariantRef(code),
          at: { wall: ev.wall, logical: ev.logical },
          detectedAt: this.#e.now(),
          nodes: p.involved(code),
          incomplete: this.#incomplete(p),
        });
      } else {
        this.#e.emit({
          type: "violation_cleared",
          partition: p.ref,
          name: p.rt.invariantRef(before).name,
          at: { wall: ev.wall, logical: ev.logical },
        });
      }
    }
    if (p.hasDeadlines) {
      const expired = p.livenessExpired;
      const opened = trackLiveness(p, ev.wall);
      if (opened >= 0) this.#deadlines.push(opened, p);
      if (expired !== p.livenessExpired) this.#dirty.add(p);
    }
  }

  /** Times out the liveness deadlines of `p` passed by merged time `time`. */
  expire(p: Partition, time: number, ev: Buffered | null): void {
    const due = expireDeadlines(p, time);
    for (const [i, deadline] of due) {
      this.#e.counters.livenessTimeouts++;
      this.#dirty.add(p);
      this.#raise(p, {
        kind: "liveness_timeout",
        property: p.rt.livenessRef(i),
        at: ev === null ? { wall: time, logical: 0 } : { wall: ev.wall, logical: ev.logical },
        deadline,
        detectedAt: this.#e.now(),
        nodes: p.participants.map((q) => q.node),
        incomplete: this.#incomplete(p),
      });
    }
  }

  #raise(p: Partition, facts: Parameters<typeof buildViolation>[1]): void {
    const v = buildViolation(p, facts);
    this.#e.counters.violations++;
    this.#e.violations.push(v);
    if (this.#e.violations.length > this.#e.o.maxViolations) this.#e.violations.shift();
    this.#e.emit({ type: "violation", violation: v });
  }

  #incomplete(p: Partition): boolean {
    if (p.incomplete) return true;
    for (const q of p.participants) if (this.#e.node(q.node).holesFor(p.spec) > 0) return true;
    return false;
  }
}
