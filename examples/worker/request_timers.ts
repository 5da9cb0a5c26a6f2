/**
 * Timers for a batcher that lives longer than one request, as in a Worker.
 *
 * A Worker's timer belongs to the request that set it: once that request
 * has answered and its `waitUntil` promises have settled, the timer never
 * fires, even while later requests run in the same isolate. A batcher kept
 * across requests sets timers for its delay flush and for retrying a failed
 * send; lost, they would leave a batch waiting for good.
 *
 * {@link requestTimers} remembers every timer it sets. A timer that fires
 * runs as usual; one whose request ended first is run by the next request
 * that calls `runDue()`, in that request's context. Clearing a timer only
 * forgets it: the underlying timer, possibly another request's, is left to
 * fire into nothing (a Worker cannot clear another request's timer).
 *
 * @module
 */
import type { Timers } from "@vigil/vigil";

/** Timers whose callbacks survive the end of the request that set them. */
export interface RequestTimers extends Timers {
  /** Runs, now, every callback whose time has come but that has not run; returns how many. */
  runDue(): number;
  /** Timers set and neither run nor cleared. */
  readonly pending: number;
}

/** Options of {@link requestTimers}. */
export interface RequestTimersOptions {
  /** The timers that do the waiting. Default `globalThis`. */
  readonly timers?: Timers;
  /** The clock `runDue` compares with, ms. Default `Date.now`. */
  readonly now?: () => number;
}

interface PendingTimer {
  readonly fn: () => void;
  readonly due: number;
}

class RequestTimersImpl implements RequestTimers {
  readonly #timers: Timers;
  readonly #now: () => number;
  readonly #pending = new Map<number, PendingTimer>();
  #lastId = 0;

  constructor(options: RequestTimersOptions) {
    this.#timers = options.timers ?? globalThis;
    this.#now = options.now ?? Date.now;
  }

  get pending(): number {
    return this.#pending.size;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    if (typeof fn !== "function") {
      throw new TypeError(`Timer callback must be a function, got '${typeof fn}'`);
    }
    const id = ++this.#lastId;
    const delay = Number.isFinite(ms) && ms > 0 ? ms : 0;
    this.#pending.set(id, { fn, due: this.#now() + delay });
    this.#timers.setTimeout(() => this.#fire(id), delay);
    return id;
  }

  clearTimeout(id: unknown): void {
    if (typeof id === "number") this.#pending.delete(id);
  }

  runDue(): number {
    const now = this.#now();
    let ran = 0;
    for (const [id, timer] of [...this.#pending]) {
      if (timer.due <= now && this.#fire(id)) ran++;
    }
    return ran;
  }

  #fire(id: number): boolean {
    const timer = this.#pending.get(id);
    if (timer === undefined) return false;
    this.#pending.delete(id);
    timer.fn();
    return true;
  }
}

/**
 * Creates timers for a batcher kept across a Worker's requests; call
 * `runDue()` at the start of every request.
 *
 * @example A timer whose request ended runs in the next request
 * ```ts
 * import assert from "node:assert/strict";
 * import { requestTimers } from "./request_timers.ts";
 * // The underlying timers of a request that has ended: nothing they hold ever fires.
 * const ended = { setTimeout: () => 0, clearTimeout: () => {} };
 * let now = 1_000;
 * const timers = requestTimers({ timers: ended, now: () => now });
 * const fired: string[] = [];
 * timers.setTimeout(() => fired.push("flush"), 50);
 * assert.equal(timers.runDue(), 0, "not due yet");
 * now += 50;
 * assert.equal(timers.runDue(), 1);
 * assert.deepEqual(fired, ["flush"]);
 * assert.equal(timers.pending, 0);
 * ```
 */
export function requestTimers(options: RequestTimersOptions = {}): RequestTimers {
  return new RequestTimersImpl(options);
}
