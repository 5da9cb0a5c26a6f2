/**
 * A log that says each kind of thing once, then summarizes: the first
 * occurrence of a key (a refusal's source and reason, an internal error's
 * place) is logged at once with its detail; later ones are counted and
 * logged at most once per interval (default a minute) as one line with the
 * count since the last line. `flush()` (the service calls it from a timer)
 * writes the summaries that are due even when nothing new happens, so a
 * burst that stops is still reported. At most `maxKeys` keys are told
 * apart (keys quiet for an interval are forgotten to make room): beyond
 * them, the first new key is still logged and every later occurrence of a
 * new key is counted together in one summary line, so keys chosen by a
 * sender (node names) can grow neither memory nor the log without bound.
 * Web-standard only.
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
 *
 * @example Keys named by senders: two told apart, the rest counted together
 * ```ts
 * import assert from "node:assert/strict";
 * import { createThrottledLog } from "./log_throttle.ts";
 * const lines: string[] = [];
 * const log = createThrottledLog({
 *   onLog: (l) => void lines.push(l),
 *   now: () => 0,
 *   maxKeys: 2,
 *   othersLine: (n) => `${n} more refusals from other nodes`,
 * });
 * for (const node of ["a", "b", "c", "d", "e"]) {
 *   log.note(`unknown_spec/${node}`, () => `Refused a batch from node '${node}'`, (n) => `${n} more`);
 * }
 * log.flush({ all: true });
 * assert.deepEqual(lines, [
 *   "Refused a batch from node 'a'",
 *   "Refused a batch from node 'b'",
 *   "Refused a batch from node 'c'",
 *   "2 more refusals from other nodes",
 * ]);
 * ```
 */
export interface ThrottledLogOptions {
  /** Where lines go. Default `console.error`. */
  readonly onLog?: (line: string) => void;
  /** Clock, ms. Default `Date.now`. */
  readonly now?: () => number;
  /** Least time between two lines of one key, ms. Default 60 000. */
  readonly intervalMs?: number;
  /** Keys told apart at most; occurrences of further keys are counted together. Default 1024. */
  readonly maxKeys?: number;
  /** The summary line of the occurrences counted together. Default: a count of other kinds. */
  readonly othersLine?: SummaryLine;
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
  const maxKeys = options.maxKeys ?? 1024;
  const othersLine = options.othersLine ??
    ((count: number, seconds: number) =>
      `${count} more problems of other kinds in the last ${seconds} s (over ${maxKeys} kinds, counted together)`);
  const entries = new Map<string, Entry>();
  /** The occurrences of keys beyond `maxKeys`, counted together. */
  let others: Entry | null = null;
  let sweptAt = -Infinity;
  /** Forgets keys quiet for an interval (at most once a second: a flood of new keys must stay cheap). */
  const forgetQuiet = (t: number) => {
    if (t - sweptAt < 1_000) return;
    sweptAt = t;
    for (const [key, e] of entries) {
      if (e.pending === 0 && t - e.lastAt >= intervalMs) entries.delete(key);
    }
  };

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
      let e = entries.get(key);
      if (e === undefined) {
        if (entries.size >= maxKeys) forgetQuiet(t);
        if (entries.size < maxKeys || others === null) {
          const fresh = { lastAt: t, pending: 0, summary };
          if (entries.size < maxKeys) entries.set(key, fresh);
          else others = { ...fresh, summary: othersLine };
          write(first);
          return;
        }
        e = others;
      } else e.summary = summary;
      e.pending++;
      if (t - e.lastAt >= intervalMs) summarize(e, t);
    },
    flush(flushOptions = {}) {
      const t = now();
      for (const e of others === null ? entries.values() : [...entries.values(), others]) {
        if (e.pending > 0 && (flushOptions.all === true || t - e.lastAt >= intervalMs)) {
          summarize(e, t);
        }
      }
    },
  };
}
