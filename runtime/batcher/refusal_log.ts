/**
 * The batcher's log of refused batches: the first refusal of a reason is
 * written at once with its detail and the numbers dropped; later ones of
 * that reason are counted and written as one line per interval (batches
 * and events since the last line); a reason quiet for a whole interval is
 * written at once again. `close()` writes what is still counted. Timers are
 * the batcher's (injectable), so no clock is read. Web-standard only.
 *
 * @module
 */
import type { Timers } from "./batcher_types.ts";
import type { RefusedStatus } from "./status.ts";
import type { SeqRange } from "../../lib/wire/seq_ranges.ts";

/**
 * Options of {@link RefusalLog}.
 *
 * @example Lines into a list, a summary at most every 10 s
 * ```ts
 * import assert from "node:assert/strict";
 * import { RefusalLog, type RefusalLogOptions } from "./refusal_log.ts";
 * const lines: string[] = [];
 * const options: RefusalLogOptions = { onLog: (l) => void lines.push(l), intervalMs: 10_000, timers: globalThis };
 * const log = new RefusalLog(options);
 * log.close();
 * assert.deepEqual(lines, []);
 * ```
 */
export interface RefusalLogOptions {
  /** Where lines go. */
  readonly onLog: (line: string) => void;
  /** Least time between two lines about one reason, ms. */
  readonly intervalMs: number;
  /** Timers for the summaries. */
  readonly timers: Timers;
}

interface Entry {
  readonly transport: string;
  readonly reason: string;
  batches: number;
  events: number;
  timer: unknown;
}

/** `events 3-9`, `event 3`, `events 3-4 and 9`, or `no events`. */
function numbers(ranges: readonly SeqRange[]): string {
  if (ranges.length === 0) return "no events";
  const one = ranges.length === 1 && ranges[0]![0] === ranges[0]![1];
  const shown = ranges.slice(0, 3).map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`));
  const more = ranges.length > 3 ? ` and ${ranges.length - 3} more ranges` : "";
  return `${one ? "event" : "events"} ${shown.join(", ")}${more}`;
}

/**
 * The line written for the first refused batch of a reason.
 *
 * @example What the log says about a batch refused for another node's token
 * ```ts
 * import assert from "node:assert/strict";
 * import { refusalLine } from "./refusal_log.ts";
 * import { BatchRefusedError } from "../transports/transport.ts";
 * const refusal = { reason: "node_mismatch", detail: "Token of node 'api-2' used for node 'api-1'", status: 401 };
 * const line = refusalLine({
 *   type: "refused", transport: "http", ...refusal,
 *   stream: { spec: "ab", specName: "Lease", node: "api-1", boot: "b1" },
 *   firstSeq: 0, count: 5, ranges: [[0, 4]], declared: [], attempt: 1,
 *   error: new BatchRefusedError("http", refusal),
 * });
 * assert.equal(
 *   line,
 *   "vigil batcher: a batch of node 'api-1' (spec 'Lease', events 0-4) was refused over 'http' (node_mismatch, status 401): Token of node 'api-2' used for node 'api-1'; its events are dropped and declared so in the next batch",
 * );
 * ```
 */
export function refusalLine(r: RefusedStatus): string {
  const status = r.status === undefined ? "" : `, status ${r.status}`;
  const detail = r.detail === "" ? "" : `: ${r.detail}`;
  const what = r.count > 0
    ? "its events are dropped and declared so in the next batch"
    : "the drops it declared go in the next batch";
  return `vigil batcher: a batch of node '${r.stream.node}' (spec '${r.stream.specName}', ${
    numbers(r.ranges)
  }) was refused over '${r.transport}' (${r.reason}${status})${detail}; ${what}`;
}

/**
 * One line per refusal reason per interval.
 *
 * @example One line at once, then a count when the interval ends
 * ```ts
 * import assert from "node:assert/strict";
 * import { RefusalLog } from "./refusal_log.ts";
 * import { BatchRefusedError } from "../transports/transport.ts";
 * const lines: string[] = [];
 * let fire = () => {};
 * const timers = { setTimeout: (fn: () => void) => (fire = fn, 1), clearTimeout: () => {} };
 * const log = new RefusalLog({ onLog: (l) => void lines.push(l), intervalMs: 60_000, timers });
 * const refusal = { reason: "unknown_spec", detail: "Unknown spec 'ab'", status: 400 };
 * for (let i = 0; i < 3; i++) {
 *   log.note({
 *     type: "refused", transport: "http", ...refusal,
 *     stream: { spec: "ab", specName: "Lease", node: "api-1", boot: "b1" },
 *     firstSeq: 10 * i, count: 10, ranges: [[10 * i, 10 * i + 9]], declared: [], attempt: 1,
 *     error: new BatchRefusedError("http", refusal),
 *   });
 * }
 * assert.equal(lines.length, 1);
 * fire();
 * assert.equal(lines[1], "vigil batcher: 2 more batches (20 events) were refused over 'http' (unknown_spec) in the last 60 s");
 * log.close();
 * ```
 */
export class RefusalLog {
  readonly #options: RefusalLogOptions;
  readonly #entries = new Map<string, Entry>();

  /** A log writing to `options.onLog`. */
  constructor(options: RefusalLogOptions) {
    this.#options = options;
  }

  /** Notes one refused batch: written at once when its reason was quiet, else counted. */
  note(r: RefusedStatus): void {
    const key = `${r.transport}\u0000${r.reason}`;
    const e = this.#entries.get(key);
    if (e !== undefined) {
      e.batches++;
      e.events += r.count;
      return;
    }
    this.#write(() => refusalLine(r));
    const entry: Entry = {
      transport: r.transport,
      reason: r.reason,
      batches: 0,
      events: 0,
      timer: null,
    };
    const tick = () => {
      if (entry.batches === 0) {
        this.#entries.delete(key);
        return;
      }
      this.#summarize(entry, `in the last ${Math.round(this.#options.intervalMs / 1000)} s`);
      entry.timer = this.#options.timers.setTimeout(tick, this.#options.intervalMs);
    };
    entry.timer = this.#options.timers.setTimeout(tick, this.#options.intervalMs);
    this.#entries.set(key, entry);
  }

  /** Writes a line for `error`, thrown by the user's `onRefused`. */
  callbackFailed(error: unknown): void {
    const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.#write(() => `vigil batcher: the onRefused callback threw: ${what}`);
  }

  /** Writes every count still pending and stops the timers. */
  close(): void {
    for (const e of this.#entries.values()) {
      this.#options.timers.clearTimeout(e.timer);
      if (e.batches > 0) this.#summarize(e, "before the batcher closed");
    }
    this.#entries.clear();
  }

  #summarize(e: Entry, when: string): void {
    const { batches, events, transport, reason } = e;
    e.batches = 0;
    e.events = 0;
    this.#write(() =>
      `vigil batcher: ${batches} more batch${batches === 1 ? "" : "es"} (${events} event${
        events === 1 ? "" : "s"
      }) ${batches === 1 ? "was" : "were"} refused over '${transport}' (${reason}) ${when}`
    );
  }

  #write(line: () => string): void {
    try {
      this.#options.onLog(line());
    } catch {
      // A failing log sink must not stop the batcher.
    }
  }
}
