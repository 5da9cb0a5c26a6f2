/**
 * What a cluster member's leases went through: how long its renewals took
 * to be answered (round trips of the KV writes that keep its leases, over
 * the last 2,048 of them, each from its first write's send to its success),
 * how many renewals were slow (over a quarter of the lease time-to-live) or
 * needed a second write, and how many partitions it acquired, lost (lease
 * expired or taken while it still served them) and handed over.
 * `GET /api/cluster` shows each member's, and the cluster bench prints them:
 * renewals slower than the lease time-to-live are what make partitions
 * change owner on a loaded member.
 *
 * @module
 */

import { HistogramCounts, type HistogramSnapshot } from "../../server/histogram.ts";

/** The last renewal round trips kept. */
const KEPT = 2048;

/**
 * Bucket bounds of the renewal round-trip histogram, seconds: fine below a
 * quarter of the default 3 s TTL (0.75, where a renewal is slow), coarse
 * above it.
 */
export const RENEWAL_BOUNDS_S: readonly number[] = [
  0.005,
  0.01,
  0.025,
  0.05,
  0.1,
  0.25,
  0.5,
  0.75,
  1,
  1.5,
  2,
  3,
  5,
  10,
];

/** Bucket bounds of the late-save wait histogram, seconds (a wait is under about two TTLs). */
export const LATE_SAVE_WAIT_BOUNDS_S: readonly number[] = [
  0.01,
  0.05,
  0.1,
  0.25,
  0.5,
  1,
  2,
  3,
  5,
  10,
  30,
];

/**
 * A member's lease latencies as histograms since it started (every renewal and every late save,
 * not only the last 2,048), for `/metrics`.
 *
 * @example The buckets of a fresh recorder
 * ```ts
 * import assert from "node:assert/strict";
 * import { type LeaseHistograms, LeaseStatsRecorder, RENEWAL_BOUNDS_S } from "./stats.ts";
 * const h: LeaseHistograms = new LeaseStatsRecorder().histograms();
 * assert.deepEqual(h.renewalSeconds.bounds, RENEWAL_BOUNDS_S);
 * assert.equal(h.lateSaveWaitSeconds.count, 0);
 * ```
 */
export interface LeaseHistograms {
  /** Renewal round trips (first write sent to success), seconds. */
  readonly renewalSeconds: HistogramSnapshot;
  /** Late saves' waits (answer to a renewal showing the lease held, or to its loss), seconds. */
  readonly lateSaveWaitSeconds: HistogramSnapshot;
}

/**
 * A member's lease figures.
 *
 * @example A quiet member
 * ```ts
 * import assert from "node:assert/strict";
 * import type { LeaseStats } from "./stats.ts";
 * const s: LeaseStats = {
 *   renewals: 10, p50Ms: 2, p99Ms: 5, maxMs: 5, slow: 0, retries: 0, uncertain: 0, acquired: 4,
 *   lost: 0, handedOver: 0, lateSaves: 0, fencedSaves: 0, heldAlerts: 0, droppedAlerts: 0,
 *   handedOverAlerts: 0, unhandedAlerts: 0, reraisedAlerts: 0, takenOverAlerts: 0,
 *   lateSaveWaitP50Ms: 0, lateSaveWaitP99Ms: 0, lateSaveWaitMaxMs: 0,
 * };
 * assert.equal(s.lost, 0);
 * ```
 */
export interface LeaseStats {
  /** Renewals answered since the member started. */
  readonly renewals: number;
  /** Median round trip of the last renewals, ms (0 before any). */
  readonly p50Ms: number;
  /** 99th percentile round trip of the last renewals, ms (0 before any). */
  readonly p99Ms: number;
  /** Slowest of the last renewals, ms (0 before any). */
  readonly maxMs: number;
  /** Renewals that succeeded more than a quarter of the lease time-to-live after their first write. */
  readonly slow: number;
  /** Second writes sent for renewals not succeeded within the retry timeout. */
  readonly retries: number;
  /**
   * Times a lease's TTL ran out with a renewal still in flight (saves and acks paused until it
   * answered; lost when it failed).
   */
  readonly uncertain: number;
  /** Partitions acquired (leases taken) since the member started. */
  readonly acquired: number;
  /** Partitions lost: the lease expired or was taken while the member ran the partition. */
  readonly lost: number;
  /** Partitions handed over gracefully (rebalance or leave). */
  readonly handedOver: number;
  /**
   * Saves whose head write was answered after the lease's deadline (not acknowledged until a
   * renewal showed the lease held throughout, `lease_deadline.ts`).
   */
  readonly lateSaves: number;
  /** Of {@link lateSaves}, those refused as fenced (the lease was lost): their events not acked. */
  readonly fencedSaves: number;
  /**
   * How long the last late saves waited, from their head's answer until a renewal showed the
   * lease held or the lease was lost: median, ms (0 before any). Their acks wait as long.
   */
  readonly lateSaveWaitP50Ms: number;
  /** 99th percentile of the same, ms (0 before any). */
  readonly lateSaveWaitP99Ms: number;
  /** Longest of the same, ms (0 before any). */
  readonly lateSaveWaitMaxMs: number;
  /**
   * Violations raised after their lease's deadline, held (not routed) until a renewal showed the
   * lease held (`alert_ledger.ts`).
   */
  readonly heldAlerts: number;
  /** Of {@link heldAlerts}, those dropped because the lease was lost (handed over). */
  readonly droppedAlerts: number;
  /** Of {@link droppedAlerts}, those written for the next owner (`alert_handover.ts`). */
  readonly handedOverAlerts: number;
  /** Of {@link droppedAlerts}, those that could not be written: said whole in the log. */
  readonly unhandedAlerts: number;
  /**
   * Alerts a previous owner handed over to this member's partitions that this member raised
   * again itself (the handed-over copy discarded).
   */
  readonly reraisedAlerts: number;
  /** Alerts a previous owner handed over that this member did not raise again: routed here. */
  readonly takenOverAlerts: number;
}

/**
 * Records a member's lease figures.
 *
 * @example Three renewals and a loss
 * ```ts
 * import assert from "node:assert/strict";
 * import { LeaseStatsRecorder } from "./stats.ts";
 * const r = new LeaseStatsRecorder();
 * for (const ms of [3, 1, 2]) r.renewed(ms);
 * r.count("lost");
 * r.count("retries");
 * const s = r.stats();
 * assert.equal(s.renewals, 3);
 * assert.equal(s.p50Ms, 2);
 * assert.equal(s.maxMs, 3);
 * assert.equal(s.lost, 1);
 * assert.equal(s.retries, 1);
 * ```
 */
export class LeaseStatsRecorder {
  readonly #roundTrips = new Float64Array(KEPT);
  #renewals = 0;
  readonly #lateWaits = new Float64Array(KEPT);
  #lateEnded = 0;
  readonly #renewalHistogram = new HistogramCounts(RENEWAL_BOUNDS_S);
  readonly #lateWaitHistogram = new HistogramCounts(LATE_SAVE_WAIT_BOUNDS_S);
  readonly #counts = {
    slow: 0,
    retries: 0,
    uncertain: 0,
    acquired: 0,
    lost: 0,
    handedOver: 0,
    lateSaves: 0,
    fencedSaves: 0,
    heldAlerts: 0,
    droppedAlerts: 0,
    handedOverAlerts: 0,
    unhandedAlerts: 0,
    reraisedAlerts: 0,
    takenOverAlerts: 0,
  };

  /** One renewal answered after `ms`. */
  renewed(ms: number): void {
    this.#roundTrips[this.#renewals % KEPT] = ms;
    this.#renewals++;
    this.#renewalHistogram.observe(ms / 1000);
  }

  /** A late save ended after waiting `waitedMs` from its answer: counted, or `fenced`. */
  lateSaveEnded(waitedMs: number, fenced: boolean): void {
    this.#lateWaits[this.#lateEnded % KEPT] = waitedMs;
    this.#lateEnded++;
    this.#lateWaitHistogram.observe(waitedMs / 1000);
    if (fenced) this.count("fencedSaves");
  }

  /** One slow renewal, renewal retry, partition acquired, lost or handed over, late save or held alert. */
  count(
    what:
      | "slow"
      | "retries"
      | "uncertain"
      | "acquired"
      | "lost"
      | "handedOver"
      | "lateSaves"
      | "fencedSaves"
      | "heldAlerts"
      | "droppedAlerts"
      | "handedOverAlerts"
      | "unhandedAlerts"
      | "reraisedAlerts"
      | "takenOverAlerts",
  ): void {
    this.#counts[what]++;
  }

  /** The latency histograms now. */
  histograms(): LeaseHistograms {
    return {
      renewalSeconds: this.#renewalHistogram.snapshot(),
      lateSaveWaitSeconds: this.#lateWaitHistogram.snapshot(),
    };
  }

  /** The figures now. */
  stats(): LeaseStats {
    const trips = quantiles(this.#roundTrips, this.#renewals);
    const waits = quantiles(this.#lateWaits, this.#lateEnded);
    return {
      renewals: this.#renewals,
      p50Ms: trips.p50,
      p99Ms: trips.p99,
      maxMs: trips.max,
      ...this.#counts,
      lateSaveWaitP50Ms: waits.p50,
      lateSaveWaitP99Ms: waits.p99,
      lateSaveWaitMaxMs: waits.max,
    };
  }
}

/** Median, 99th percentile and maximum of the last `count` values kept in `ring`, rounded ms. */
function quantiles(ring: Float64Array, count: number): { p50: number; p99: number; max: number } {
  const n = Math.min(count, ring.length);
  const sorted = ring.slice(0, n).sort();
  const at = (q: number) => n === 0 ? 0 : sorted[Math.min(n - 1, Math.floor(q * n))]!;
  return {
    p50: Math.round(at(0.5)),
    p99: Math.round(at(0.99)),
    max: Math.round(n === 0 ? 0 : sorted[n - 1]!),
  };
}
