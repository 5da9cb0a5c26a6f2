/**
 * The log lines about slow lease renewals: each slow renewal is said once,
 * either on a line of its own or counted on the next one, and lines come at
 * most every `everyMs` (tens of leases renewed slowly at once make one line,
 * not tens). A renewal is slow when it succeeded more than a quarter of the
 * time-to-live after its first write was sent: the rule is a TTL of at
 * least 4x the 99th percentile of that round trip.
 *
 * @module
 */

/**
 * Options of {@link SlowRenewalLog}.
 *
 * @example Member c1, 3 s leases
 * ```ts
 * import assert from "node:assert/strict";
 * import type { SlowRenewalLogOptions } from "./slow_log.ts";
 * const o: SlowRenewalLogOptions = { id: "c1", ttlMs: 3000, log: () => {} };
 * assert.equal(o.ttlMs, 3000);
 * ```
 */
export interface SlowRenewalLogOptions {
  /** The member id. */
  readonly id: string;
  /** The lease time-to-live, ms. */
  readonly ttlMs: number;
  /** Where lines go. */
  readonly log: (line: string) => void;
  /** At most one line this often, ms. Default 10 000. */
  readonly everyMs?: number;
  /** The clock, ms. Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * Says each slow renewal once, at most one line every `everyMs`.
 *
 * @example Two slow renewals within 10 s: one line, then the second counted on the next
 * ```ts
 * import assert from "node:assert/strict";
 * import { SlowRenewalLog } from "./slow_log.ts";
 * const lines: string[] = [];
 * let t = 0;
 * const s = new SlowRenewalLog({ id: "c1", ttlMs: 2000, log: (l) => lines.push(l), now: () => t });
 * s.slow(3, 900, 2);
 * s.slow(4, 1200, 1);
 * assert.equal(lines.length, 1);
 * t = 10_000;
 * s.flush();
 * assert.match(lines[1]!, /1 more slow lease renewal .*slowest 1200 ms \(partition 4; lease TTL 2000 ms\)/);
 * ```
 */
export class SlowRenewalLog {
  readonly #options: SlowRenewalLogOptions;
  readonly #now: () => number;
  readonly #everyMs: number;
  #saidAt = -Infinity;
  #held = 0;
  #slowest = { partition: -1, ms: 0 };

  constructor(options: SlowRenewalLogOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#everyMs = options.everyMs ?? 10_000;
  }

  /** Renewals slower than this are slow: a quarter of the TTL, ms. */
  get slowMs(): number {
    return this.#options.ttlMs / 4;
  }

  /** A slow renewal of `partition`: succeeded `ms` after its first write, after `writes` writes. */
  slow(partition: number, ms: number, writes: number): void {
    const o = this.#options;
    if (this.#now() - this.#saidAt < this.#everyMs) {
      this.#held++;
      if (ms > this.#slowest.ms) this.#slowest = { partition, ms };
      return;
    }
    this.#saidAt = this.#now();
    const held = this.#held === 0 ? "" : `; ${this.#heldText()}`;
    this.#log(
      `vigil cluster: ${o.id} renewed the lease of partition ${partition} ${Math.round(ms)} ms ` +
        `after sending its first write (${writes} write${writes === 1 ? "" : "s"}; ` +
        `lease TTL ${o.ttlMs} ms: keep it at least 4x the p99 renewal round trip${held})`,
    );
  }

  /** Says the slow renewals held back, once `everyMs` has passed since the last line. */
  flush(): void {
    if (this.#held === 0 || this.#now() - this.#saidAt < this.#everyMs) return;
    this.#saidAt = this.#now();
    this.#log(`vigil cluster: ${this.#options.id} had ${this.#heldText()}`);
  }

  #heldText(): string {
    const n = this.#held;
    return `${n} more slow lease renewal${n === 1 ? "" : "s"} ` +
      `(over ${Math.round(this.slowMs)} ms), slowest ${Math.round(this.#slowest.ms)} ms ` +
      `(partition ${this.#slowest.partition}; lease TTL ${this.#options.ttlMs} ms)`;
  }

  #log(line: string): void {
    this.#held = 0;
    this.#slowest = { partition: -1, ms: 0 };
    this.#options.log(line);
  }
}
