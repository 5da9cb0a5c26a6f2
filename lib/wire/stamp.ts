/**
 * Hybrid logical clock stamps, the form both ends read: `<wall>-<logical>`
 * with both integers in base 36 (e.g. `m3qz8k1s-0`, 10 characters for
 * today's dates), followed by `@<node>` when the sender's node id is known
 * (`m3qz8k1s-0@api-1`). A service attaches one to the messages it sends
 * (the SDK's clock, `runtime/monitor/clock.ts`, writes and observes them);
 * the collector's replay reads them from log lines.
 *
 * The node part makes a received stamp a dependency: the receiver's next
 * event records "every event of node `<node>` up to this time happened
 * before me" (`EventDependency` in `event.ts`, `docs/causality.md`). A
 * stamp without it (written by an older SDK) still parses: its time is
 * merged into the clock, and no dependency is recorded.
 *
 * @module
 */

/**
 * A point in hybrid logical time.
 *
 * @example A timestamp and its stamp
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatStamp, type HlcTimestamp, parseStamp } from "./stamp.ts";
 * const t: HlcTimestamp = { wall: 1_700_000_000_000, logical: 2 };
 * assert.deepEqual(parseStamp(formatStamp(t)), t);
 * ```
 */
export interface HlcTimestamp {
  /** Physical part, milliseconds since the Unix epoch (never decreases). */
  readonly wall: number;
  /** Counter breaking ties within one `wall` millisecond. */
  readonly logical: number;
  /** The node that issued it, when known (a stamp's `@<node>` part). */
  readonly node?: string;
}

/**
 * The compact form of a timestamp carried on messages: `<wall>-<logical>` in base 36.
 *
 * @example A stamp is base 36 wall and logical parts
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatStamp, type HlcStamp } from "./stamp.ts";
 * const stamp: HlcStamp = formatStamp({ wall: 36, logical: 1 });
 * assert.equal(stamp, "10-1");
 * ```
 */
export type HlcStamp = string;

/**
 * Formats a timestamp as a stamp string (with `@<node>` when `t.node` is set).
 *
 * @example Format
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatStamp } from "./stamp.ts";
 * assert.equal(formatStamp({ wall: 36, logical: 1 }), "10-1");
 * assert.equal(formatStamp({ wall: 36, logical: 1, node: "api-1" }), "10-1@api-1");
 * ```
 */
export function formatStamp(t: HlcTimestamp): HlcStamp {
  const time = `${t.wall.toString(36)}-${t.logical.toString(36)}`;
  return t.node === undefined ? time : `${time}@${t.node}`;
}

const STAMP_RE = /^([0-9a-z]{1,11})-([0-9a-z]{1,11})(?:@(\S{1,256}))?$/;

/**
 * Parses a stamp string; throws `TypeError` when it is not one. The node
 * part is optional (stamps of older SDKs have none); when present it is 1
 * to 256 characters, no white space.
 *
 * @example Parse
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseStamp } from "./stamp.ts";
 * assert.deepEqual(parseStamp("10-1"), { wall: 36, logical: 1 });
 * assert.deepEqual(parseStamp("10-1@api-1"), { wall: 36, logical: 1, node: "api-1" });
 * assert.throws(() => parseStamp("10"), TypeError);
 * assert.throws(() => parseStamp("10-1@"), TypeError);
 * ```
 */
export function parseStamp(stamp: HlcStamp): HlcTimestamp {
  const m = typeof stamp === "string" ? STAMP_RE.exec(stamp) : null;
  if (m === null) throw new TypeError(`Invalid clock stamp '${String(stamp)}'`);
  const t = checkTimestamp({ wall: parseInt(m[1]!, 36), logical: parseInt(m[2]!, 36) });
  return m[3] === undefined ? t : { wall: t.wall, logical: t.logical, node: m[3] };
}

/**
 * `t` when both parts are non-negative safe integers; throws `TypeError`
 * otherwise.
 *
 * @example Check a timestamp
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkTimestamp } from "./stamp.ts";
 * assert.deepEqual(checkTimestamp({ wall: 5, logical: 0 }), { wall: 5, logical: 0 });
 * assert.throws(() => checkTimestamp({ wall: -1, logical: 0 }), TypeError);
 * ```
 */
export function checkTimestamp(t: HlcTimestamp): HlcTimestamp {
  if (
    !Number.isSafeInteger(t.wall) || t.wall < 0 || !Number.isSafeInteger(t.logical) || t.logical < 0
  ) {
    throw new TypeError(`Invalid clock timestamp '${t.wall}', '${t.logical}'`);
  }
  return t;
}
