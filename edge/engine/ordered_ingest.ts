/**
 * Pre-ordered ingest: for a caller that already holds events in merge
 * order (`vigil replay`, whose reader merges the logs), each event is
 * applied at once, with none of the reorder machinery a batch off the wire
 * goes through (no partition buffer, no arrival entry, no flush pass): the
 * same slot filled from the same columns, the same `Applier.apply`.
 *
 * Only for events that need nothing else from the ingest routine: a stream
 * and a partition that earlier batches created (so admission, boots and
 * limits were settled there), the node already a participant, numbers that
 * follow on from the stream's last, and an event that orders after the
 * partition's last applied one. The caller checks these first
 * (`streamOf`, `partitionOf`, `Partition.indexOf`, its own record of the
 * partition's last event) and sends anything else through
 * `ingestColumns` and `flush`; an event out of merge order here is a bug
 * of the caller and throws rather than being applied late.
 *
 * Internal to the engine and its callers in this repository: columns
 * given here are trusted (made by the caller, not read off the wire), so
 * they are not validated again.
 *
 * @module
 */
import type { BatchHeader } from "../../lib/wire/event.ts";
import type { WireColumns } from "../../lib/wire/columns.ts";
import type { Applier } from "./applier.ts";
import type { EngineState } from "./engine_state.ts";
import type { EventStore } from "./event_store.ts";
import { compareSlotPos } from "./merge.ts";
import type { Partition } from "./partition.ts";
import { streamKey, type StreamState } from "./stream_state.ts";

/** The engine parts pre-ordered ingest works on. */
export interface OrderedIngestParts {
  readonly state: EngineState;
  /** Where events are filled before they are applied. */
  readonly store: EventStore;
  /** Applies one event. */
  readonly applier: Applier;
}

/** Applies events given in merge order at once (see the module doc). */
export class OrderedIngest {
  readonly #state: EngineState;
  readonly #store: EventStore;
  readonly #applier: Applier;

  /**
   * Works on an engine's parts (`CollectorEngine.ordered()` makes one).
   *
   * @example Apply an event at once
   * ```ts ignore
   * const ordered = orderedIngestOf(collector);
   * const stream = ordered.streamOf(columns); // created by an earlier batch
   * const p = ordered.partitionOf(columns.spec, columns.key(0));
   * if (stream !== undefined && p !== undefined) ordered.applyAt(stream, p, p.indexOf(columns.node), columns, 0);
   * ```
   */
  constructor(parts: OrderedIngestParts) {
    this.#state = parts.state;
    this.#store = parts.store;
    this.#applier = parts.applier;
  }

  /** The stream a batch header names, once an earlier batch created it; else undefined. */
  streamOf(h: BatchHeader): StreamState | undefined {
    return this.#state.streams.get(streamKey(h));
  }

  /** The partition of `key` under spec version `spec` (its hash), once created; else undefined. */
  partitionOf(spec: string, key: string): Partition | undefined {
    return this.#state.tables.get(spec)?.get(key);
  }

  /**
   * Applies event `i` of `c` (a batch of `stream`, whose number follows on
   * from the stream's last) to partition `p`, where its node is the
   * participant at `member` (`Partition.indexOf`), now.
   *
   * @throws {RangeError} When it does not follow on, its node is not that
   * participant of `p`, or it orders before `p`'s last applied event.
   */
  applyAt(stream: StreamState, p: Partition, member: number, c: WireColumns, i: number): void {
    const s = this.#store;
    const seq = c.firstSeq + i;
    if (member < 0 || p.participants[member]?.node !== c.node) {
      throw new RangeError(`Node '${c.node}' is not participant ${member} of partition '${p.key}'`);
    }
    if (seq !== stream.next) {
      throw new RangeError(
        `Event ${seq} of node '${c.node}' does not follow on from ${stream.next}`,
      );
    }
    const slot = s.allocEvent(c, i, member);
    s.place(slot, stream.index, p.index, false);
    const last = p.last;
    if (last !== null && compareSlotPos(s, slot, last) < 0) {
      s.free(slot);
      throw new RangeError(
        `Event ${seq} of node '${c.node}' orders before the last applied of partition '${p.key}'`,
      );
    }
    stream.receiveRun(seq, 1);
    stream.track(slot, s.genOf(slot), seq);
    const counters = this.#state.counters;
    counters.events++;
    this.#applier.apply(slot);
  }
}
