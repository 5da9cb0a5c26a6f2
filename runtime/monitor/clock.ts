/**
 * A hybrid logical clock (Kulkarni et al., "Logical Physical Clocks", 2014):
 * one per node, physical milliseconds plus a counter. Every local or send
 * event `tick`s it; every received message's stamp is `observe`d, so an event
 * caused by a message always orders after the send, whatever the wall clocks
 * of the two nodes say.
 *
 * The stamp attached to messages is a short string, `<wall>-<logical>` with
 * both integers in base 36 (e.g. `m3qz8k1s-0`, 10 characters for today's
 * dates): its format is part of the wire (`lib/wire/stamp.ts`, where
 * `formatStamp` writes it and `parseStamp` reads it back).
 *
 * Physical clock cost: `Date.now()` costs about 50 ns here, a third of an
 * event's budget, so the default clock lets up to `maxReuse` (default 8)
 * consecutive ticks within one turn of the event loop share one reading:
 * the first tick of every turn (macrotask or microtask checkpoint) and
 * every `maxReuse`-th tick read `Date.now()` afresh. A reused reading is
 * thus never from an earlier turn and at most `maxReuse - 1` ticks old:
 * about a microsecond in a tight loop of steps; code that works for long
 * between steps within one turn should pass `maxReuse: 1`. The HLC
 * guarantees (monotonic, receipt after send) do not depend on it. An
 * injected `now` is read on every tick; `observe` always reads afresh.
 *
 * Drift: a remote stamp whose wall time is more than `maxDriftMs` (default
 * 60 s) ahead of this node's physical clock is REJECTED: `observe` throws
 * {@link ClockDriftError} and leaves the clock unchanged. Clamping would
 * silently break the guarantee that a receipt orders after its send, so the
 * caller decides (log, alert, drop the message).
 *
 * @module
 */
import {
  checkTimestamp,
  formatStamp,
  type HlcStamp,
  type HlcTimestamp,
  parseStamp,
} from "../../lib/wire/stamp.ts";

/**
 * Options of {@link createClock}.
 *
 * @example A fake physical clock (tests)
 * ```ts
 * import assert from "node:assert/strict";
 * import { type ClockOptions, createClock } from "./clock.ts";
 * let now = 1_000;
 * const options: ClockOptions = { now: () => now, maxDriftMs: 5_000 };
 * const clock = createClock(options);
 * clock.tick();
 * now = 2_000;
 * clock.tick();
 * assert.equal(clock.peek().wall, 2_000);
 * ```
 */
export interface ClockOptions {
  /** Physical clock in ms. Default `Date.now`. */
  readonly now?: () => number;
  /** Largest accepted lead of a remote wall time over the physical clock. Default 60 000. */
  readonly maxDriftMs?: number;
  /**
   * Ticks of one event-loop turn that may share one reading of the default
   * physical clock (`Date.now`). Default 8; 1 reads it on every tick.
   * Ignored with `now` (an injected clock is read on every tick).
   */
  readonly maxReuse?: number;
}

/**
 * A node's hybrid logical clock.
 *
 * @example Stamp a message and merge a received stamp
 * ```ts
 * import assert from "node:assert/strict";
 * import { compareHlc, createClock, type HybridClock } from "./clock.ts";
 * import { parseStamp } from "../../lib/wire/stamp.ts";
 * const a: HybridClock = createClock({ now: () => 1_000 });
 * const b: HybridClock = createClock({ now: () => 1_000 });
 * const sent = a.stamp();
 * b.observe(sent);
 * assert.ok(compareHlc(b.peek(), parseStamp(sent)) > 0); // the receipt orders after the send
 * ```
 */
export interface HybridClock {
  /** Wall part of the last timestamp issued or observed. */
  readonly wall: number;
  /** Logical part of the last timestamp issued or observed. */
  readonly logical: number;
  /** Advances the clock for a local or send event; read `wall`/`logical` after (no allocation). */
  tick(): void;
  /** Merges a received timestamp (stamp string or object); throws {@link ClockDriftError} when too far ahead. */
  observe(remote: HlcStamp | HlcTimestamp): void;
  /** Ticks (sending is an event) and returns the stamp to attach to the outgoing message. */
  stamp(): HlcStamp;
  /** The current timestamp as an object, without advancing. */
  peek(): HlcTimestamp;
}

/**
 * A remote stamp too far ahead of the local physical clock.
 *
 * @example A stamp from too far ahead is refused
 * ```ts
 * import assert from "node:assert/strict";
 * import { ClockDriftError, createClock } from "./clock.ts";
 * const clock = createClock({ now: () => 1_000, maxDriftMs: 100 });
 * assert.throws(() => clock.observe({ wall: 5_000, logical: 0 }), ClockDriftError);
 * ```
 */
export class ClockDriftError extends RangeError {
  /** The rejected remote timestamp. */
  readonly remote: HlcTimestamp;
  /** The local physical clock when it was observed. */
  readonly physical: number;
  /** The configured bound. */
  readonly maxDriftMs: number;
  /** Creates the error from the rejected timestamp, the physical time and the bound. */
  constructor(remote: HlcTimestamp, physical: number, maxDriftMs: number) {
    super(
      `Remote clock '${formatStamp(remote)}' is ${
        remote.wall - physical
      } ms ahead of the physical clock (limit ${maxDriftMs} ms)`,
    );
    this.name = "ClockDriftError";
    this.remote = remote;
    this.physical = physical;
    this.maxDriftMs = maxDriftMs;
  }
}

/**
 * Creates a hybrid logical clock.
 *
 * @example Order a receipt after its send despite a slow receiver clock
 * ```ts
 * import assert from "node:assert/strict";
 * import { compareHlc, createClock } from "./clock.ts";
 * import { parseStamp } from "../../lib/wire/stamp.ts";
 * const sender = createClock({ now: () => 5_000 });
 * const receiver = createClock({ now: () => 1_000 });
 * const stamp = sender.stamp();
 * receiver.observe(stamp);
 * receiver.tick();
 * assert.ok(compareHlc(receiver.peek(), parseStamp(stamp)) > 0);
 * assert.equal(receiver.peek().wall, 5_000); // the sender's wall time, not the receiver's 1 000
 * ```
 */
export function createClock(options: ClockOptions = {}): HybridClock {
  const maxDriftMs = options.maxDriftMs ?? 60_000;
  if (!(maxDriftMs >= 0)) {
    throw new RangeError(`Option 'maxDriftMs' must be >= 0, got '${maxDriftMs}'`);
  }
  const maxReuse = options.maxReuse ?? 8;
  if (!(Number.isInteger(maxReuse) && maxReuse >= 1)) {
    throw new RangeError(`Option 'maxReuse' must be an integer >= 1, got '${maxReuse}'`);
  }
  const now = options.now;
  if (now !== undefined || maxReuse === 1) return new Hlc(now ?? Date.now, maxDriftMs);
  return new Hlc(coarseNow(maxReuse), maxDriftMs, Date.now);
}

/**
 * `Date.now` whose reading is reused by up to `maxReuse` consecutive calls
 * within one turn of the event loop (a microtask queued at each reading
 * expires it at the next checkpoint).
 */
function coarseNow(maxReuse: number): () => number {
  let reading = 0;
  let left = 0;
  const expire = () => {
    left = 0;
  };
  return () => {
    if (left > 0) {
      left--;
      return reading;
    }
    reading = Date.now();
    left = maxReuse - 1;
    queueMicrotask(expire);
    return reading;
  };
}

class Hlc implements HybridClock {
  #wall = 0;
  #logical = 0;
  /** The physical clock of ticks (possibly reusing a reading, see `coarseNow`). */
  readonly #now: () => number;
  /** The physical clock of `observe`: always a fresh reading. */
  readonly #fresh: () => number;
  readonly #maxDriftMs: number;

  constructor(now: () => number, maxDriftMs: number, fresh: () => number = now) {
    this.#now = now;
    this.#fresh = fresh;
    this.#maxDriftMs = maxDriftMs;
  }

  get wall(): number {
    return this.#wall;
  }

  get logical(): number {
    return this.#logical;
  }

  tick(): void {
    const pt = Math.floor(this.#now());
    if (pt > this.#wall) {
      this.#wall = pt;
      this.#logical = 0;
    } else {
      this.#logical++;
    }
  }

  observe(remote: HlcStamp | HlcTimestamp): void {
    const r = typeof remote === "string" ? parseStamp(remote) : checkTimestamp(remote);
    const pt = Math.floor(this.#fresh());
    if (r.wall - pt > this.#maxDriftMs) throw new ClockDriftError(r, pt, this.#maxDriftMs);
    const wall = Math.max(this.#wall, r.wall, pt);
    if (wall === this.#wall && wall === r.wall) {
      this.#logical = Math.max(this.#logical, r.logical) + 1;
    } else if (wall === this.#wall) {
      this.#logical++;
    } else if (wall === r.wall) {
      this.#logical = r.logical + 1;
    } else {
      this.#logical = 0;
    }
    this.#wall = wall;
  }

  stamp(): HlcStamp {
    this.tick();
    return formatStamp(this);
  }

  peek(): HlcTimestamp {
    return { wall: this.#wall, logical: this.#logical };
  }
}

/**
 * Orders two timestamps: wall first, then logical. Equal timestamps from
 * different nodes are ordered by node id at the collector.
 *
 * @example Sort timestamps
 * ```ts
 * import assert from "node:assert/strict";
 * import { compareHlc } from "./clock.ts";
 * const ts = [{ wall: 2, logical: 0 }, { wall: 1, logical: 5 }, { wall: 1, logical: 2 }];
 * ts.sort(compareHlc);
 * assert.deepEqual(ts, [{ wall: 1, logical: 2 }, { wall: 1, logical: 5 }, { wall: 2, logical: 0 }]);
 * ```
 */
export function compareHlc(a: HlcTimestamp, b: HlcTimestamp): number {
  return a.wall !== b.wall ? (a.wall < b.wall ? -1 : 1) : a.logical - b.logical;
}
