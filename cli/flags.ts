/**
 * A small command-line flag parser: `--name value`, `--name=value`,
 * boolean `--flag`, short aliases, repeated string flags, and positionals.
 * An unknown flag is a {@link UsageError} that names the closest known one
 * (`--prot`: did you mean `--port`?); {@link intFlag} reads a whole number
 * within bounds. Durations are read by `duration.ts`.
 *
 * @module
 */
import { closest } from "./suggest.ts";

/**
 * A command-line usage error: exit code 2, its message printed as one line.
 *
 * @example A usage error carries its message
 * ```ts
 * import assert from "node:assert/strict";
 * import { UsageError } from "./flags.ts";
 * const e = new UsageError("Expected at least one spec file");
 * assert.equal(e.name, "UsageError");
 * assert.ok(e instanceof Error);
 * ```
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/**
 * Which flags take values, which are booleans, and short aliases.
 *
 * @example Flags of a command
 * ```ts
 * import assert from "node:assert/strict";
 * import type { FlagSpec } from "./flags.ts";
 * const spec: FlagSpec = { string: ["out"], boolean: ["quiet", "help"], alias: { q: "quiet" } };
 * assert.equal(spec.alias?.q, "quiet");
 * ```
 */
export interface FlagSpec {
  readonly string?: readonly string[];
  readonly boolean?: readonly string[];
  readonly alias?: Readonly<Record<string, string>>;
}

/**
 * Parsed flags: the last value of each string flag, all values, booleans, positionals.
 *
 * @example Read parsed flags
 * ```ts
 * import assert from "node:assert/strict";
 * import { type Flags, parseFlags } from "./flags.ts";
 * const f: Flags = parseFlags(["--token", "a=1", "--token=b=2", "-q"], {
 *   string: ["token"],
 *   boolean: ["quiet"],
 *   alias: { q: "quiet" },
 * });
 * assert.deepEqual(f.all.get("token"), ["a=1", "b=2"]);
 * assert.equal(f.string.get("token"), "b=2");
 * assert.ok(f.boolean.has("quiet"));
 * ```
 */
export interface Flags {
  readonly string: Map<string, string>;
  readonly all: Map<string, string[]>;
  readonly boolean: Set<string>;
  readonly positional: string[];
}

/** `--name` for a long flag, `-n` for a one-letter alias. */
function dashed(name: string): string {
  return name.length === 1 ? `-${name}` : `--${name}`;
}

/**
 * The usage error for an unknown flag `arg`, naming the closest known flag
 * of `spec` when one is close.
 *
 * @example An unknown flag and its suggestion
 * ```ts
 * import assert from "node:assert/strict";
 * import { unknownFlag } from "./flags.ts";
 * const e = unknownFlag("--prot", { string: ["port", "hostname"] });
 * assert.equal(e.message, "Unknown flag '--prot'; did you mean '--port'?");
 * ```
 */
export function unknownFlag(arg: string, spec: FlagSpec): UsageError {
  const name = arg.replace(/^--?/, "").replace(/=.*$/, "");
  const known = [...(spec.string ?? []), ...(spec.boolean ?? [])];
  const hint = closest(name, known);
  return new UsageError(
    `Unknown flag '${arg.replace(/=.*$/, "")}'${
      hint === null ? "" : `; did you mean '${dashed(hint)}'?`
    }`,
  );
}

/**
 * Parses arguments; throws {@link UsageError} for an unknown flag (naming
 * the closest known one), a missing value, or a value given to a boolean flag.
 *
 * @example Parse flags
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseFlags } from "./flags.ts";
 * const f = parseFlags(["a.vigil", "--out", "dist"], { string: ["out"] });
 * assert.ok(f.string.get("out") === "dist" && f.positional[0] === "a.vigil");
 * ```
 */
export function parseFlags(args: readonly string[], spec: FlagSpec): Flags {
  const strings = new Set(spec.string ?? []);
  const booleans = new Set(spec.boolean ?? []);
  const flags: Flags = { string: new Map(), all: new Map(), boolean: new Set(), positional: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") {
      flags.positional.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      flags.positional.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    let name = arg.replace(/^--?/, "");
    let value: string | undefined;
    if (eq > 0) {
      name = arg.slice(0, eq).replace(/^--?/, "");
      value = arg.slice(eq + 1);
    }
    name = spec.alias?.[name] ?? name;
    if (booleans.has(name)) {
      if (value !== undefined) {
        throw new UsageError(`Flag '--${name}' takes no value, got '${value}'`);
      }
      flags.boolean.add(name);
    } else if (strings.has(name)) {
      value ??= args[++i];
      if (value === undefined) throw new UsageError(`Flag '--${name}' needs a value`);
      flags.string.set(name, value);
      flags.all.set(name, [...(flags.all.get(name) ?? []), value]);
    } else {
      throw unknownFlag(arg, spec);
    }
  }
  return flags;
}

/** Options of {@link intFlag}. */
export interface IntFlagOptions {
  /** The value when the flag is absent. */
  readonly default: number;
  /** The smallest value accepted. Default 0. */
  readonly min?: number;
  /** The largest value accepted. Default `Number.MAX_SAFE_INTEGER`. */
  readonly max?: number;
}

/**
 * The whole number given to flag `name` (its last value), or the default.
 *
 * @throws {UsageError} When the value is not a whole number within bounds.
 *
 * @example Read a port
 * ```ts
 * import assert from "node:assert/strict";
 * import { intFlag, parseFlags } from "./flags.ts";
 * const flags = parseFlags(["--port", "8081"], { string: ["port", "max"] });
 * assert.equal(intFlag(flags, "port", { default: 8080, max: 65535 }), 8081);
 * assert.equal(intFlag(flags, "max", { default: 7 }), 7);
 * const bad = parseFlags(["--port", "http"], { string: ["port"] });
 * assert.throws(() => intFlag(bad, "port", { default: 8080 }), /Flag '--port' takes a whole number/);
 * ```
 */
export function intFlag(flags: Flags, name: string, options: IntFlagOptions): number {
  const raw = flags.string.get(name);
  if (raw === undefined) return options.default;
  const min = options.min ?? 0;
  const max = options.max ?? Number.MAX_SAFE_INTEGER;
  const n = /^[0-9]+$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw new UsageError(`Flag '--${name}' takes a whole number ${range}, got '${raw}'`);
  }
  return n;
}
