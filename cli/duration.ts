/**
 * Durations on the command line, one parser for every command: a number
 * with a unit (`250ms`, `2s`, `1.5m`, `1h`), several summed (`1m30s`), or a
 * bare number, which means seconds (`--duration 20` is twenty seconds,
 * never twenty milliseconds). The collector's older `*-ms` flags keep their
 * meaning: their name carries the unit, so a bare number there is
 * milliseconds ({@link DurationOptions.bareUnit}).
 *
 * @module
 */
import { type Flags, UsageError } from "./flags.ts";

/** The units a duration may carry, in milliseconds. */
export const DURATION_UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
};

/** Options of {@link parseDuration}. */
export interface DurationOptions {
  /** The flag, without dashes, for messages (`duration`). */
  readonly flag: string;
  /** What a bare number means. Default `s`. */
  readonly bareUnit?: "s" | "ms";
  /** Accept `0`. Default false: a duration is at least 1 ms. */
  readonly allowZero?: boolean;
}

const PART = /([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)/y;

/**
 * Parses a duration into whole milliseconds.
 *
 * @throws {UsageError} When the text is not a duration, is below 1 ms (or
 * 0 when {@link DurationOptions.allowZero}), or is not a whole number of
 * milliseconds.
 *
 * @example Units, sums, and a bare number of seconds
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseDuration } from "./duration.ts";
 * assert.equal(parseDuration("20", { flag: "duration" }), 20_000);
 * assert.equal(parseDuration("250ms", { flag: "window" }), 250);
 * assert.equal(parseDuration("1m30s", { flag: "duration" }), 90_000);
 * assert.equal(parseDuration("1.5h", { flag: "duration" }), 5_400_000);
 * assert.equal(parseDuration("300", { flag: "window-ms", bareUnit: "ms" }), 300);
 * assert.throws(() => parseDuration("soon", { flag: "window" }), /Flag '--window' takes a duration/);
 * ```
 */
export function parseDuration(text: string, options: DurationOptions): number {
  const flag = `--${options.flag}`;
  const bad = () =>
    new UsageError(
      `Flag '${flag}' takes a duration such as '500ms', '20s', '2m' or '1h' ` +
        `(a bare number is ${options.bareUnit === "ms" ? "milliseconds" : "seconds"}), ` +
        `got '${text}'`,
    );
  const t = text.trim();
  if (t.length === 0) throw bad();
  let ms: number;
  if (/^[0-9]+(?:\.[0-9]+)?$/.test(t)) {
    ms = Number(t) * DURATION_UNITS[options.bareUnit ?? "s"]!;
  } else {
    ms = 0;
    let at = 0;
    while (at < t.length) {
      PART.lastIndex = at;
      const m = PART.exec(t);
      if (m === null) throw bad();
      ms += Number(m[1]) * DURATION_UNITS[m[2]!]!;
      at = PART.lastIndex;
    }
  }
  // Sums of decimals can land a hair off a whole number (0.1h): round within a microsecond.
  const whole = Math.round(ms);
  if (Math.abs(ms - whole) > 1e-3) {
    throw new UsageError(`Flag '${flag}' must be a whole number of milliseconds, got '${text}'`);
  }
  if (whole < (options.allowZero === true ? 0 : 1)) {
    throw new UsageError(
      `Flag '${flag}' must be ${options.allowZero === true ? "0 or more" : "at least 1ms"}, ` +
        `got '${text}'`,
    );
  }
  return whole;
}

/**
 * A duration in the shortest words the parser reads back: `250ms`, `20s`,
 * `2m`, `1h30m`.
 *
 * @example Format durations
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatDuration, parseDuration } from "./duration.ts";
 * assert.equal(formatDuration(20_000), "20s");
 * assert.equal(formatDuration(90_000), "1m30s");
 * assert.equal(formatDuration(1_250), "1s250ms");
 * assert.equal(parseDuration(formatDuration(5_400_000), { flag: "d" }), 5_400_000);
 * ```
 */
export function formatDuration(ms: number): string {
  if (ms === 0) return "0s";
  let rest = ms;
  let out = "";
  for (const unit of ["h", "m", "s", "ms"]) {
    const size = DURATION_UNITS[unit]!;
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * size;
  }
  return out;
}

/** Options of {@link durationFlag}. */
export interface DurationFlagOptions {
  /** The value when neither flag is given, ms. */
  readonly default: number;
  /** An older flag taking the same duration in milliseconds (`window-ms`). */
  readonly legacyMs?: string;
  /** Accept `0`. Default false. */
  readonly allowZero?: boolean;
}

/**
 * The duration given to flag `name` (a bare number is seconds) or to its
 * older `*-ms` twin (a bare number is milliseconds), in ms; the default
 * when neither is given.
 *
 * @throws {UsageError} When both are given, or a value is not a duration.
 *
 * @example The reorder window, as a duration or in milliseconds
 * ```ts
 * import assert from "node:assert/strict";
 * import { durationFlag } from "./duration.ts";
 * import { parseFlags } from "./flags.ts";
 * const spec = { string: ["window", "window-ms"] };
 * const o = { default: 250, legacyMs: "window-ms" };
 * assert.equal(durationFlag(parseFlags(["--window", "2"], spec), "window", o), 2_000);
 * assert.equal(durationFlag(parseFlags(["--window-ms", "40"], spec), "window", o), 40);
 * assert.equal(durationFlag(parseFlags([], spec), "window", o), 250);
 * ```
 */
export function durationFlag(flags: Flags, name: string, options: DurationFlagOptions): number {
  const text = flags.string.get(name);
  const legacy = options.legacyMs === undefined ? undefined : flags.string.get(options.legacyMs);
  if (text !== undefined && legacy !== undefined) {
    throw new UsageError(`Give either '--${name}' or '--${options.legacyMs}', not both`);
  }
  const allowZero = options.allowZero === true;
  if (text !== undefined) return parseDuration(text, { flag: name, allowZero });
  if (legacy !== undefined) {
    return parseDuration(legacy, { flag: options.legacyMs!, bareUnit: "ms", allowZero });
  }
  return options.default;
}
