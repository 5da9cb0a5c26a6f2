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

/** The last renewal round trips kept. */
const KEPT = 2048;

/**
 * A member's lease figures.
 *
 * @example A quiet member
 * ```ts
 * import assert from "node:assert/strict";
 * import type { LeaseStats } from "./stats.ts";
 * const s: LeaseStats = {
 *   renewals: 10, p50Ms: 2, p99Ms: 5, maxMs: 5, slow: 0, retries: 0, uncertain: 0, acquired: 4,
 *   lost: 0, handedOver: 0, lateSaves: 0, fencedSaves: 0,
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
  readonly #counts = {
    slow: 0,
    retries: 0,
    uncertain: 0,
    acquired: 0,
    lost: 0,
    handedOver: 0,
    lateSaves: 0,
    fencedSaves: 0,
  };

  /** One renewal answered after `ms`. */
  renewed(ms: number): void {
    this.#roundTrips[this.#renewals % KEPT] = ms;
    this.#renewals++;
  }

  /** One slow renewal, renewal retry, partition acquired, lost or handed over, or late save. */
  count(
    what:
      | "slow"
      | "retries"
      | "uncertain"
      | "acquired"
      | "lost"
      | "handedOver"
      | "lateSaves"
      | "fencedSaves",
  ): void {
    this.#counts[what]++;
  }

  /** The figures now. */
  stats(): LeaseStats {
    const n = Math.min(this.#renewals, KEPT);
    const sorted = this.#roundTrips.slice(0, n).sort();
    const at = (q: number) => n === 0 ? 0 : sorted[Math.min(n - 1, Math.floor(q * n))]!;
    return {
      renewals: this.#renewals,
      p50Ms: Math.round(at(0.5)),
      p99Ms: Math.round(at(0.99)),
      maxMs: Math.round(n === 0 ? 0 : sorted[n - 1]!),
      ...this.#counts,
    };
  }
}
