/**
 * A held lease's deadline as its member judges it, and the rule a
 * partition's saves follow with it (`partition_store.ts`): a save counts
 * (and the events it covers may be acknowledged) only if its head write
 * was answered before the deadline.
 *
 * The deadline is conservative: the send of the last renewal whose success
 * was seen, plus the time-to-live (the servers age a lease from the write
 * they stored, after its send, so they cannot expire it earlier). A new
 * owner acquires only after the expiry, reads the partition's head and
 * claims it after that; a head write answered before the deadline was
 * applied before, so that read sees it and the claim is on its revision.
 * A head answered later may have raced the claim: on nats-server 2.9.10
 * both compare-and-sets on one revision of a replicated stream can succeed
 * (`docs/operations.md`, "Saves and the lease's deadline"), and the new
 * owner then continues from the state before the save. Such a save waits
 * until the deadline moves past its answer (a renewal sent later
 * succeeded: the lease was held throughout) or the lease is lost (the save
 * fails as fenced, its events stay unacknowledged and are redelivered to
 * the next owner).
 *
 * Times are on {@link leaseClock}, a monotonic clock that the member's
 * thread and its keeper's thread (`lease_keeper/thread.ts`) share.
 *
 * @module
 */

/**
 * The lease clock, ms: monotonic in each thread (`performance.now()`), and
 * the same across a process's threads (each thread's origin is the wall
 * clock when it started, read once; a wall clock stepped forward between
 * two threads' starts puts the later one ahead, which `lease_keeper/thread.ts`
 * measures on each bound the keeper's thread reports and takes back).
 *
 * @example Never goes back
 * ```ts
 * import assert from "node:assert/strict";
 * import { leaseClock } from "./lease_deadline.ts";
 * const a = leaseClock();
 * assert.ok(leaseClock() >= a);
 * ```
 */
export function leaseClock(): number {
  return performance.timeOrigin + performance.now();
}

/** A save's answer waiting for the deadline to move past it. */
interface Waiting {
  readonly at: number;
  readonly done: (ok: boolean) => void;
}

/**
 * One held lease's deadline: moved on by each renewal that succeeds,
 * ended by the lease's loss; saves ask it whether an answer came in time.
 *
 * @example An answer after the deadline counts once a later renewal succeeded
 * ```ts
 * import assert from "node:assert/strict";
 * import { LeaseDeadline } from "./lease_deadline.ts";
 * const d = new LeaseDeadline(1000, 3000); // acquired by a write sent at 1000, TTL 3000
 * assert.equal(d.before(3999), true);
 * const counts = d.counts(4100); // answered after the deadline (4000)
 * d.renewed(1200); // deadline 4200
 * assert.equal(await counts, true);
 * ```
 */
export class LeaseDeadline {
  readonly #ttlMs: number;
  #deadline: number;
  #lost = false;
  #waiting: Waiting[] = [];

  /** A lease acquired by a write sent at `sentAt` ({@link leaseClock}), time-to-live `ttlMs`. */
  constructor(sentAt: number, ttlMs: number) {
    if (!(ttlMs > 0)) throw new RangeError(`Lease TTL must be > 0 ms, got '${ttlMs}'`);
    this.#ttlMs = ttlMs;
    this.#deadline = sentAt + ttlMs;
  }

  /** The deadline now ({@link leaseClock} ms); -Infinity once lost. */
  get deadline(): number {
    return this.#lost ? -Infinity : this.#deadline;
  }

  /** True once the lease was lost. */
  get lost(): boolean {
    return this.#lost;
  }

  /** True when `at` is before the deadline (and the lease not lost). */
  before(at: number): boolean {
    return !this.#lost && at < this.#deadline;
  }

  /** A renewal sent at `sentAt` succeeded: the deadline is at least `sentAt + TTL`. */
  renewed(sentAt: number): void {
    if (this.#lost) return;
    this.#deadline = Math.max(this.#deadline, sentAt + this.#ttlMs);
    const still: Waiting[] = [];
    for (const w of this.#waiting) {
      if (w.at < this.#deadline) w.done(true);
      else still.push(w);
    }
    this.#waiting = still;
  }

  /** The lease is lost: every wait ends with false, and every later answer is late. */
  lose(): void {
    this.#lost = true;
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const w of waiting) w.done(false);
  }

  /**
   * Whether an answer at `at` counts: true at once when before the deadline, else once a renewal
   * moves the deadline past it; false once the lease is lost.
   */
  counts(at: number): Promise<boolean> {
    if (this.#lost) return Promise.resolve(false);
    if (at < this.#deadline) return Promise.resolve(true);
    return new Promise((done) => this.#waiting.push({ at, done }));
  }
}
