/**
 * A small command-line flag parser: `--name value`, `--name=value`,
 * boolean `--flag`, short aliases, repeated string flags, and positionals.
 *
 * @module
 */

/** A command-line usage error: exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Which flags take values, which are booleans, and short aliases. */
export interface FlagSpec {
  readonly string?: readonly string[];
  readonly boolean?: readonly string[];
  readonly alias?: Readonly<Record<string, string>>;
}

/** Parsed flags: the last value of each string flag, all values, booleans, positionals. */
export interface Flags {
  readonly string: Map<string, string>;
  readonly all: Map<string, string[]>;
  readonly boolean: Set<string>;
  readonly positional: string[];
}

/**
 * Parses arguments; throws {@link UsageError} for an unknown flag or a missing value.
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
    if (booleans.has(name) && value === undefined) {
      flags.boolean.add(name);
    } else if (strings.has(name)) {
      value ??= args[++i];
      if (value === undefined) throw new UsageError(`Flag '--${name}' needs a value`);
      flags.string.set(name, value);
      flags.all.set(name, [...(flags.all.get(name) ?? []), value]);
    } else {
      throw new UsageError(`Unknown flag '${arg}'`);
    }
  }
  return flags;
}
