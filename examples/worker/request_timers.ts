/**
 * Timers that requests run, for a batcher kept across a Worker's requests.
 *
 * A Worker's own timer belongs to the request that set it: once that
 * request is over, the timer never fires, and a promise made in it that
 * settles later has its continuations dropped. A batcher kept across
 * requests sets timers for its delay flush and for retrying a failed send;
 * left to the platform, one could fire in a request that is over, or never.
 *
 * {@link requestTimers} never asks the platform for a timer. It notes each
 * callback with the time it is due, and `runDue()`, called by a request,
 * runs the ones whose time has come, in that request. So every send the
 * batcher starts, first or retried, starts inside a live request, which
 * can wait for it to settle.
 *
 * @module
 */
import type { Timers } from "@vigil/vigil";

/** Timers whose callbacks run only when a request calls `runDue()`. */
export interface RequestTimers extends Timers {
  /** Runs every callback whose time has come, in the order they were set; returns how many. */
  runDue(): number;
  /** Timers set and neither run nor cleared. */
  readonly pending: number;
}

/** Options of {@link requestTimers}. */
export interface RequestTimersOptions {
  /** The clock, ms. Default `Date.now`. */
  readonly now?: () => number;
}

interface PendingTimer {
  readonly fn: () => void;
  readonly due: number;
}

class RequestTimersImpl implements RequestTimers {
  readonly #now: () => number;
  readonly #pending = new Map<number, PendingTimer>();
  #lastId = 0;

  constructor(options: RequestTimersOptions) {
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
    return id;
  }

  clearTimeout(id: unknown): void {
    if (typeof id === "number") this.#pending.delete(id);
  }

  runDue(): number {
    const now = this.#now();
    let ran = 0;
    for (const [id, timer] of [...this.#pending]) {
      // A callback may clear or set timers: run only those still pending.
      if (timer.due > now || !this.#pending.delete(id)) continue;
      ran++;
      timer.fn();
    }
    return ran;
  }
}

/**
 * Creates timers that only `runDue()` runs: give them to a batcher kept
 * across a Worker's requests, and call `runDue()` in every request.
 *
 * @example A flush delay runs in the first request after it is due
 * ```ts
 * import assert from "node:assert/strict";
 * import { requestTimers } from "./request_timers.ts";
 * let now = 1_000;
 * const timers = requestTimers({ now: () => now });
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
