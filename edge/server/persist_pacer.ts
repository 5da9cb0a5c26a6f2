/**
 * When the collector service may start a timed persist. A persist holds
 * the JS thread while it takes the snapshot and while the store encodes
 * it, and every alert waits behind it; the store's writes then run off
 * the thread (Deno KV commits on a thread of their own) but still take
 * a core of a small machine. So a timed persist starts only when
 * - none runs (the service's timer asks every `persistMs`);
 * - the last one's hold on the thread is at most `share` of the time since
 *   it started (a 10 ms hold at the default 2%: 500 ms apart), so persists
 *   take a bounded part of the thread however costly a snapshot gets;
 * - as much time passed since the last one ended as its save took (the
 *   store's writes run at most half the time);
 * - the thread is not behind: the timer asking came at most `busyLagMs`
 *   late (a later one means the thread was busy, e.g. working off a
 *   backlog of deliveries, where a snapshot would only lengthen the wait
 *   of every batch queued behind it).
 *
 * The spacing these ask for is capped at `maxSpacingMs` (1 s, or
 * `periodMs` when longer) after the last start (or the first ask): JetStream
 * deliveries are acknowledged only after a save, so saves may not stop
 * for long: a collector taking 4,000 JetStream batches a second holds
 * about 4,000 of them unacknowledged at 1 s, a fifth of the consumer's
 * `max_ack_pending` (20,000), which stops deliveries when reached.
 *
 * @module
 */

/**
 * Options of {@link PersistPacer}.
 *
 * @example Persists taking at most 5% of the thread, at most 10 s apart
 * ```ts
 * import { PersistPacer, type PersistPacerOptions } from "./persist_pacer.ts";
 * const options: PersistPacerOptions = { periodMs: 1_000, share: 0.05, maxSpacingMs: 10_000 };
 * new PersistPacer(options);
 * ```
 */
export interface PersistPacerOptions {
  /** How often the service's timer asks for a persist, ms (the spacing cap is at least this). */
  readonly periodMs: number;
  /** Share of the thread persists may hold, in (0, 1]. Default 0.02. */
  readonly share?: number;
  /** Longest spacing the bounds may ask for, ms. Default 1 000 (or `periodMs` when longer). */
  readonly maxSpacingMs?: number;
  /** A timer this late (ms) finds the thread busy: the persist waits. Default 10. */
  readonly busyLagMs?: number;
}

/** What one persist cost: when it started and ended, and how long it held the thread, ms. */
export interface PersistCost {
  /** Clock at its start, ms. */
  readonly startedAt: number;
  /** Clock when its save resolved, ms. */
  readonly endedAt: number;
  /** Time it held the thread (snapshot and the store's synchronous work), ms. */
  readonly heldMs: number;
}

/**
 * Decides when the next timed persist may start, from what the last one
 * cost (see the module doc).
 *
 * @example A costly snapshot spaces the next persist out
 * ```ts
 * import assert from "node:assert/strict";
 * import { PersistPacer } from "./persist_pacer.ts";
 * const pacer = new PersistPacer({ periodMs: 250, share: 0.02 });
 * assert.equal(pacer.due(0), true);
 * pacer.started();
 * pacer.finished({ startedAt: 0, endedAt: 30, heldMs: 20 });
 * assert.equal(pacer.due(250), false); // 20 ms is 2% of 1 000 ms
 * assert.equal(pacer.due(1_000), true);
 * ```
 */
export class PersistPacer {
  readonly #share: number;
  readonly #maxSpacingMs: number;
  readonly #busyLagMs: number;
  /** The last start, or the first ask before any (clock ms); -Infinity before either. */
  #since = -Infinity;
  #running = 0;
  /** The earliest start of the next timed persist (clock ms); -Infinity before the first. */
  #next = -Infinity;

  /** Creates a pacer; throws `RangeError` for a period below 0 or a share outside (0, 1]. */
  constructor(options: PersistPacerOptions) {
    const share = options.share ?? 0.02;
    if (!(options.periodMs >= 0)) {
      throw new RangeError(`Persist period must be at least 0 ms, got '${options.periodMs}'`);
    }
    if (!(share > 0 && share <= 1)) {
      throw new RangeError(`Persist share must be in (0, 1], got '${share}'`);
    }
    this.#share = share;
    this.#maxSpacingMs = Math.max(options.periodMs, options.maxSpacingMs ?? 1_000);
    this.#busyLagMs = options.busyLagMs ?? 10;
  }

  /**
   * True when a timed persist may start at `now` (clock ms), asked by a
   * timer that came `lagMs` late (0 when unknown).
   */
  due(now: number, lagMs = 0): boolean {
    if (this.#since === -Infinity) this.#since = now;
    if (this.#running > 0 || now < this.#next) return false;
    return lagMs <= this.#busyLagMs || now >= this.#since + this.#maxSpacingMs;
  }

  /**
   * Notes that a persist started (timed or asked for) at `now` (clock ms;
   * when not given, the spacing cap counts from the last start known).
   */
  started(now?: number): void {
    this.#running++;
    if (now !== undefined) this.#since = now;
  }

  /** Notes that a persist ended, with what it cost (`null`: it saved nothing or failed). */
  finished(cost: PersistCost | null): void {
    this.#running--;
    if (cost === null) return;
    this.#since = cost.startedAt;
    const saveMs = cost.endedAt - cost.startedAt;
    this.#next = Math.min(
      cost.startedAt + this.#maxSpacingMs,
      Math.max(cost.startedAt + cost.heldMs / this.#share, cost.endedAt + saveMs),
    );
  }

  /** The earliest start of the next timed persist (clock ms; -Infinity: now). */
  get nextAt(): number {
    return this.#next;
  }
}
