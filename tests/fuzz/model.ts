/**
 * The fuzzer's model of the collector's accounting, independent of its
 * code: per stream (spec, node, boot) the numbers received as events, the
 * numbers declared dropped, and how far holes have timed out. Fed with
 * every batch the collector accepted (decoded by the reference decoder), it
 * says what the collector must have answered for it, and what its counters
 * must read after the gap timeout:
 * - an event whose number was received before is a duplicate, else accepted;
 * - a declared number not received, not already declared and not already
 *   timed out is newly dropped (counted once);
 * - when every hole times out (a clock advance past the gap timeout), each
 *   number below the stream's next that is neither received nor declared
 *   is lost; a declared number is never also lost;
 * - per partition key, the accepted events are what gets applied.
 *
 * Streams whose numbers reach past {@link WIDE_NUMBERS} (a mutant declaring
 * a range of 2^60 numbers) are too wide to track number by number, and
 * streams that may hold more open holes than the collector keeps per stream
 * (`MAX_HOLES_PER_STREAM`: it closes the lowest ones early, as lost) are not
 * modelled hole by hole: their drops and losses are left out of the exact
 * checks (marked `wide`).
 *
 * @module
 */
import { MAX_HOLES_PER_STREAM } from "../../edge/engine/stream_state.ts";
import type { IngestResult } from "../../edge/engine/types.ts";
import type { BatchContent } from "./session.ts";

/** Streams reaching past this many numbers are not tracked number by number. */
export const WIDE_NUMBERS = 1 << 20;

class StreamModel {
  next = 0;
  /** Every number below is timed out (or received) since the last full expiry. */
  expiredBelow = 0;
  readonly received = new Set<number>();
  readonly declared = new Set<number>();
  /** At least the number of holes open since the last full expiry. */
  holeBound = 0;
  wide = false;
  constructor(readonly node: string) {}
}

/** Totals of one node (over its boots). */
export interface NodeTotals {
  accepted: number;
  duplicates: number;
  dropped: number;
  lost: number;
  /** Some stream of the node is too wide: `dropped` and `lost` are not exact. */
  wide: boolean;
}

/** The accounting model of one session. */
export class AccountingModel {
  readonly #streams = new Map<string, StreamModel>();
  /** Accepted events per partition (`spec \0 key`). */
  readonly partitions = new Map<string, number>();
  readonly nodes = new Map<string, NodeTotals>();
  accepted = 0;
  duplicates = 0;
  dropped = 0;
  lost = 0;
  /** Batches accepted. */
  batches = 0;
  /** Some stream is too wide: global `dropped` and `lost` are not exact. */
  wide = false;

  #node(id: string): NodeTotals {
    let n = this.nodes.get(id);
    if (n === undefined) {
      this.nodes.set(id, n = { accepted: 0, duplicates: 0, dropped: 0, lost: 0, wide: false });
    }
    return n;
  }

  /**
   * Records a batch the collector accepted and compares with its answer;
   * returns what differs (empty when it answered as the model says).
   */
  batch(b: BatchContent, got: IngestResult): string[] {
    this.batches++;
    const key = `${b.spec}\u0000${b.node}\u0000${b.boot}`;
    let s = this.#streams.get(key);
    if (s === undefined) this.#streams.set(key, s = new StreamModel(b.node));
    const node = this.#node(b.node);
    let reach = Math.max(s.next, b.firstSeq + b.keys.length);
    for (const [, last] of b.dropped) reach = Math.max(reach, last + 1);
    // Each range opens at most a gap and itself, the first number a gap, an
    // event below `next` splits at most one hole.
    let below = 0;
    for (let i = 0; i < b.keys.length && b.firstSeq + i < s.next; i++) below++;
    s.holeBound += 2 * b.dropped.length + 1 + below;
    if (!s.wide && (reach > WIDE_NUMBERS || s.holeBound >= MAX_HOLES_PER_STREAM || !this.#exact)) {
      s.wide = true;
      node.wide = true;
      this.wide = true;
    }
    let dropped = 0;
    if (!s.wide) {
      for (const [first, last] of b.dropped) {
        for (let x = Math.max(first, s.expiredBelow); x <= last; x++) {
          if (s.received.has(x) || s.declared.has(x)) continue;
          s.declared.add(x);
          dropped++;
        }
      }
    }
    let accepted = 0;
    let duplicates = 0;
    for (let i = 0; i < b.keys.length; i++) {
      const seq = b.firstSeq + i;
      if (s.received.has(seq)) {
        duplicates++;
        continue;
      }
      s.received.add(seq);
      accepted++;
      const pk = `${b.spec}\u0000${b.keys[i]!}`;
      this.partitions.set(pk, (this.partitions.get(pk) ?? 0) + 1);
    }
    s.next = Math.max(s.next, reach);
    node.accepted += accepted;
    node.duplicates += duplicates;
    this.accepted += accepted;
    this.duplicates += duplicates;
    const problems: string[] = [];
    if (got.accepted !== accepted) problems.push(`accepted ${got.accepted}, expected ${accepted}`);
    if (got.duplicates !== duplicates) {
      problems.push(`duplicates ${got.duplicates}, expected ${duplicates}`);
    }
    if (!(got.late >= 0 && got.late <= got.accepted)) {
      problems.push(`late ${got.late} outside 0..${got.accepted}`);
    }
    // A wide stream's drops are what the collector says (still counted once below).
    const d = s.wide ? got.dropped : dropped;
    if (!s.wide && got.dropped !== dropped) {
      problems.push(`dropped ${got.dropped}, expected ${dropped}`);
    }
    node.dropped += d;
    this.dropped += d;
    return problems;
  }

  #exact = true;

  /**
   * Some holes may have timed out and others not (a clock advance the model
   * cannot place): from now on drops and losses are not exact.
   */
  inexact(): void {
    this.#exact = false;
    this.wide = true;
    for (const s of this.#streams.values()) s.wide = true;
    for (const n of this.nodes.values()) n.wide = true;
  }

  /** Every open hole times out (the clock passed the gap timeout since each opened). */
  expireAll(): void {
    for (const s of this.#streams.values()) {
      if (s.wide) continue;
      let lost = 0;
      for (let x = s.expiredBelow; x < s.next; x++) {
        if (!s.received.has(x) && !s.declared.has(x)) lost++;
      }
      s.expiredBelow = s.next;
      s.holeBound = 0;
      this.#node(s.node).lost += lost;
      this.lost += lost;
    }
  }
}
