/**
 * A log that says each kind of thing once, then summarizes: the first
 * occurrence of a key (a refusal's source and reason, an internal error's
 * place) is logged at once with its detail; later ones are counted and
 * logged at most once per interval (default a minute) as one line with the
 * count since the last line. `flush()` (the service calls it from a timer)
 * writes the summaries that are due even when nothing new happens, so a
 * burst that stops is still reported. Web-standard only.
 *
 * @module
 */

/**
 * Options of {@link createThrottledLog}.
 *
 * @example A fake clock and a list for the lines
 * ```ts
 * import assert from "node:assert/strict";
 * import { createThrottledLog, type ThrottledLogOptions } from "./log_throttle.ts";
 * const lines: string[] = [];
 * const options: ThrottledLogOptions = { onLog: (l) => void lines.push(l), now: () => 0, intervalMs: 1_000 };
 * const log = createThrottledLog(options);
 * log.note("malformed", () => "Refused a malformed batch", (n) => `${n} more malformed batches`);
 * assert.deepEqual(lines, ["Refused a malformed batch"]);
 * ```
 */
export interface ThrottledLogOptions {
  /** Where lines go. Default `console.error`. */
  readonly onLog?: (line: string) => void;
  /** Clock, ms. Default `Date.now`. */
  readonly now?: () => number;
  /** Least time between two lines of one key, ms. Default 60 000. */
  readonly intervalMs?: number;
}

/**
 * Builds the summary line of `count` occurrences over the last `seconds`.
 *
 * @example The line that sums up what was held back
 * ```ts
 * import assert from "node:assert/strict";
 * import type { SummaryLine } from "./log_throttle.ts";
 * const summary: SummaryLine = (count, seconds) => `${count} more refusals in ${seconds} s`;
 * assert.equal(summary(3, 60), "3 more refusals in 60 s");
 * ```
 */
export type SummaryLine = (count: number, seconds: number) => string;

/**
 * A log with one line per key per interval.
 *
 * @example One line, then a count once the interval passed
 * ```ts
 * import assert from "node:assert/strict";
 * import { createThrottledLog, type ThrottledLog } from "./log_throttle.ts";
 * let t = 0;
 * const lines: string[] = [];
 * const log: ThrottledLog = createThrottledLog({ onLog: (l) => void lines.push(l), now: () => t, intervalMs: 1_000 });
 * for (let i = 0; i < 3; i++) log.note("k", () => "first", (n) => `${n} more`);
 * t = 2_000;
 * log.flush();
 * assert.deepEqual(lines, ["first", "2 more"]);
 * ```
 */
export interface ThrottledLog {
  /**
   * Notes one occurrence of `key`: the first is logged at once as
   * `first()`; later ones are counted and summarized with `summary`.
   */
  note(key: string, first: () => string, summary: SummaryLine): void;
  /** Logs the summaries that are due (with `all`, every pending one). */
  flush(options?: { readonly all?: boolean }): void;
}

interface Entry {
  lastAt: number;
  pending: number;
  summary: SummaryLine;
}

/**
 * Creates a throttled log.
 *
 * @example One line, then a summary a minute later
 * ```ts
 * import assert from "node:assert/strict";
 * import { createThrottledLog } from "./log_throttle.ts";
 * const lines: string[] = [];
 * let t = 0;
 * const log = createThrottledLog({ onLog: (l) => lines.push(l), now: () => t });
 * const summary = (n: number, s: number) => `${n} more in ${s} s`;
 * for (let i = 0; i < 5; i++) log.note("http/malformed", () => "first: bad byte", summary);
 * t = 60_000;
 * log.flush();
 * assert.deepEqual(lines, ["first: bad byte", "4 more in 60 s"]);
 * ```
 */
export function createThrottledLog(options: ThrottledLogOptions = {}): ThrottledLog {
  const onLog = options.onLog ?? ((line: string) => console.error(line));
  const now = options.now ?? Date.now;
  const intervalMs = options.intervalMs ?? 60_000;
  const entries = new Map<string, Entry>();

  const write = (line: () => string) => {
    try {
      onLog(line());
    } catch {
      // A failing log sink must not turn a logged problem into a crash.
    }
  };
  const summarize = (e: Entry, t: number) => {
    const count = e.pending;
    const seconds = Math.max(1, Math.round((t - e.lastAt) / 1000));
    e.pending = 0;
    e.lastAt = t;
    write(() => e.summary(count, seconds));
  };

  return {
    note(key, first, summary) {
      const t = now();
      const e = entries.get(key);
      if (e === undefined) {
        entries.set(key, { lastAt: t, pending: 0, summary });
        write(first);
        return;
      }
      e.pending++;
      e.summary = summary;
      if (t - e.lastAt >= intervalMs) summarize(e, t);
    },
    flush(flushOptions = {}) {
      const t = now();
      for (const e of entries.values()) {
        if (e.pending > 0 && (flushOptions.all === true || t - e.lastAt >= intervalMs)) {
          summarize(e, t);
        }
      }
    },
  };
}
