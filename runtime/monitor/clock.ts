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
 * Dependencies: a stamp carries the node id of its clock
 * (`<wall>-<logical>@<node>`, set by `createNode`). Observing a stamp that
 * names a node records a dependency on that node at that time (the latest
 * per sender is kept); the next event of each of the node's streams
 * carries the dependencies recorded since that stream's previous event
 * (`dependenciesSince`, read by the monitor context), and the collector
 * rebuilds happened-before from them (`docs/causality.md`). A stamp
 * without a node (an older SDK) is merged into the clock with no
 * dependency.
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
import type { EventDependency } from "../../lib/wire/event.ts";

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
  /**
   * Node id written into stamps (`@<node>`). Default: none until a node
   * context (`createNode`) takes the clock and names it.
   */
  readonly node?: string;
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
  /** Node id written into stamps; undefined until named. */
  readonly node?: string | undefined;
  /**
   * Names the clock's node (what `createNode` does); throws `TypeError`
   * when it already belongs to another node.
   */
  bindNode?(node: string): void;
  /** Count of dependencies recorded so far (grows with every `observe` of a stamp naming another node). */
  readonly depSerial?: number;
  /**
   * The dependencies recorded after serial `serial` (the latest per
   * sender), for the next event of a stream that last took them at
   * `serial`.
   */
  dependenciesSince?(serial: number): EventDependency[];
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
  const clock = now !== undefined || maxReuse === 1
    ? new Hlc(now ?? Date.now, maxDriftMs)
    : new Hlc(coarseNow(maxReuse), maxDriftMs, Date.now);
  if (options.node !== undefined) clock.bindNode(options.node);
  return clock;
}

/** A dependency as the clock keeps it: the latest stamp of one sender and when it was recorded. */
interface Recorded {
  readonly node: string;
  wall: number;
  logical: number;
  serial: number;
}

/**
 * `Date.now` whose reading is reused by up to `maxReuse` consecutive calls
 * within one turn of the event loop: a microtask queued at the turn's
 * first reading expires the reading at the next checkpoint (one microtask
 * per turn, not one per reading: a loop of steps within one turn queues
 * one, however many readings it takes).
 */
function coarseNow(maxReuse: number): () => number {
  let reading = 0;
  let left = 0;
  let armed = false;
  const expire = () => {
    left = 0;
    armed = false;
  };
  return () => {
    if (left > 0) {
      left--;
      return reading;
    }
    reading = Date.now();
    left = maxReuse - 1;
    if (!armed) {
      armed = true;
      queueMicrotask(expire);
    }
    return reading;
  };
}

/** What {@link Hlc}'s constructor stores in its wall field first (see `#wall`). */
const NOT_A_NUMBER = Object.freeze({});

class Hlc implements HybridClock {
  /**
   * Wall part, a tagged field (the constructor stores a non-number in it
   * first, so V8 keeps a pointer to an immutable number there instead of an
   * unboxed double): `tick` stores a new number only when the physical
   * clock advances, and each event's read hands the stored one on; a double
   * field is copied out and boxed anew at every read passed to a call (16
   * bytes per event).
   */
  #wall: number;
  #logical = 0;
  /** The physical clock of ticks (possibly reusing a reading, see `coarseNow`). */
  readonly #now: () => number;
  /** The physical clock of `observe`: always a fresh reading. */
  readonly #fresh: () => number;
  readonly #maxDriftMs: number;
  #node: string | undefined = undefined;
  /** The latest recorded stamp per sender (few: one per peer that sent to this node). */
  readonly #recorded: Recorded[] = [];
  #depSerial = 0;

  constructor(now: () => number, maxDriftMs: number, fresh: () => number = now) {
    this.#wall = NOT_A_NUMBER as unknown as number; // makes the field tagged (see #wall)
    this.#wall = 0;
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

  get node(): string | undefined {
    return this.#node;
  }

  get depSerial(): number {
    return this.#depSerial;
  }

  bindNode(node: string): void {
    if (this.#node === node) return;
    if (this.#node !== undefined) {
      throw new TypeError(`Clock already belongs to node '${this.#node}', not '${node}'`);
    }
    this.#node = node;
  }

  dependenciesSince(serial: number): EventDependency[] {
    const out: EventDependency[] = [];
    for (const r of this.#recorded) {
      if (r.serial > serial) out.push({ node: r.node, wall: r.wall, logical: r.logical });
    }
    return out;
  }

  /** Records remote stamp `r` of another node as a dependency (the latest per sender). */
  #record(r: HlcTimestamp & { node: string }): void {
    const serial = ++this.#depSerial;
    for (const d of this.#recorded) {
      if (d.node !== r.node) continue;
      if (r.wall > d.wall || (r.wall === d.wall && r.logical > d.logical)) {
        d.wall = r.wall;
        d.logical = r.logical;
      }
      d.serial = serial;
      return;
    }
    this.#recorded.push({ node: r.node, wall: r.wall, logical: r.logical, serial });
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
    const from = r.node;
    if (from !== undefined && from !== this.#node) {
      this.#record(r as HlcTimestamp & { node: string });
    }
  }

  stamp(): HlcStamp {
    this.tick();
    const node = this.#node;
    return formatStamp(
      node === undefined
        ? { wall: this.#wall, logical: this.#logical }
        : { wall: this.#wall, logical: this.#logical, node },
    );
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
