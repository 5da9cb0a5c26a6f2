/**
 * Test helper: wait for a condition instead of sleeping. {@link waitFor}
 * polls a (possibly async) condition until it returns a value other than
 * `false`, `null` or `undefined`, and fails with a message naming what was
 * awaited and the last value seen when the time is up.
 *
 * @module
 */

/** Options of {@link waitFor}. */
export interface WaitOptions {
  /** Give up after this long, ms. Default 10 000. */
  readonly timeoutMs?: number;
  /** Poll this often, ms. Default 10. */
  readonly intervalMs?: number;
  /** What is awaited, for the error message. Default `condition`. */
  readonly what?: string;
  /** Describes the state when the time is up (added to the error message). */
  readonly detail?: () => string | Promise<string>;
}

/** A condition's result: anything but `false`, `null` or `undefined` ends the wait. */
export type Awaited<T> = T | false | null | undefined;

/**
 * Resolves with the condition's first result other than `false`, `null` or
 * `undefined`; rejects when `timeoutMs` passes first. A condition that
 * throws counts as not met (the last error is reported on timeout).
 *
 * @example Wait until a counter reaches 3
 * ```ts
 * import assert from "node:assert/strict";
 * import { waitFor } from "./wait.ts";
 * let n = 0;
 * const timer = setInterval(() => n++, 1);
 * const seen = await waitFor(() => n >= 3 && n, { what: "three ticks" });
 * clearInterval(timer);
 * assert.ok(seen >= 3);
 * ```
 *
 * @example Time out with a clear message
 * ```ts
 * import assert from "node:assert/strict";
 * import { waitFor } from "./wait.ts";
 * await assert.rejects(
 *   waitFor(() => false, { timeoutMs: 20, what: "nothing" }),
 *   /Timed out after 20 ms waiting for nothing/,
 * );
 * ```
 */
export async function waitFor<T>(
  condition: () => Awaited<T> | Promise<Awaited<T>>,
  options: WaitOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 10;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown = undefined;
  for (;;) {
    try {
      const v = await condition();
      if (v !== false && v !== null && v !== undefined) return v;
      lastError = undefined;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() >= deadline) {
      const parts = [`Timed out after ${timeoutMs} ms waiting for ${options.what ?? "condition"}`];
      if (options.detail !== undefined) parts.push(await options.detail());
      if (lastError !== undefined) parts.push(`last error: ${String(lastError)}`);
      throw new Error(parts.join("; "), { cause: lastError });
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Resolves on a later turn of the event loop, once every promise job queued
 * so far (and every job those queue in turn) has run. For asserting that
 * something has NOT happened on a path with no timers and no I/O: by then it
 * has either happened or is parked on a promise nobody has resolved.
 *
 * @example A promise chain has run to its end
 * ```ts
 * import assert from "node:assert/strict";
 * import { nextTurn } from "./wait.ts";
 * let steps = 0;
 * let p = Promise.resolve();
 * for (let i = 0; i < 100; i++) p = p.then(() => void steps++);
 * await nextTurn();
 * assert.equal(steps, 100);
 * ```
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Waits for a batcher's (or any) `flush()`, failing clearly after 10 s
 * instead of hanging (a refusal retried forever would never settle it).
 *
 * @example A flush that settles
 * ```ts
 * import assert from "node:assert/strict";
 * import { flushed } from "./wait.ts";
 * let calls = 0;
 * await flushed({ flush: () => Promise.resolve(void calls++) });
 * assert.equal(calls, 1);
 * ```
 */
export async function flushed(batcher: { flush(): Promise<unknown> }): Promise<void> {
  let done = false;
  const flushing = batcher.flush().then(() => void (done = true));
  await waitFor(() => done, { what: "the batcher's flush" });
  await flushing;
}
