/**
 * Command-line arguments of benchmark scripts: `--name value` strings and
 * `--flag` booleans, through `node:util`'s `parseArgs` (benchmarks do not
 * reach into the CLI's own flag parser).
 *
 * @module
 */
import { parseArgs } from "node:util";

/** Parsed arguments: strings by name, booleans present. */
export interface BenchArgs {
  readonly string: ReadonlyMap<string, string>;
  readonly boolean: ReadonlySet<string>;
}

/**
 * Parses `args` with the given string and boolean option names; unknown
 * options are refused.
 *
 * @example Read a count and a switch
 * ```ts
 * import assert from "node:assert/strict";
 * import { benchArgs } from "./bench_args.ts";
 * const a = benchArgs(["--events", "500", "--client"], { string: ["events"], boolean: ["client"] });
 * assert.equal(a.string.get("events"), "500");
 * assert.ok(a.boolean.has("client"));
 * ```
 */
export function benchArgs(
  args: readonly string[],
  names: { readonly string?: readonly string[]; readonly boolean?: readonly string[] },
): BenchArgs {
  const options: Record<string, { type: "string" | "boolean" }> = {};
  for (const n of names.string ?? []) options[n] = { type: "string" };
  for (const n of names.boolean ?? []) options[n] = { type: "boolean" };
  const { values } = parseArgs({ args: [...args], options, allowPositionals: true });
  const string = new Map<string, string>();
  const boolean = new Set<string>();
  for (const [k, v] of Object.entries(values)) {
    if (typeof v === "string") string.set(k, v);
    else if (v === true) boolean.add(k);
  }
  return { string, boolean };
}

/**
 * The integer value of `--name` in `args`: `options.default` when absent; a
 * `RangeError` naming the flag and the value when it is not an integer of
 * at least `options.min` (default 1).
 *
 * @example Read a count, refuse a fraction
 * ```ts
 * import assert from "node:assert/strict";
 * import { benchArgs, integerFlag } from "./bench_args.ts";
 * const a = benchArgs(["--rounds", "2.5"], { string: ["rounds", "keys"] });
 * assert.equal(integerFlag(a, "keys", { default: 64 }), 64);
 * assert.throws(() => integerFlag(a, "rounds", { default: 3 }), /Flag '--rounds' must be an integer >= 1, got '2.5'/);
 * ```
 */
export function integerFlag(
  args: Pick<BenchArgs, "string">,
  name: string,
  options: { readonly default: number; readonly min?: number },
): number {
  const text = args.string.get(name);
  const x = text === undefined ? options.default : Number(text);
  const min = options.min ?? 1;
  if (!Number.isInteger(x) || x < min) {
    throw new RangeError(`Flag '--${name}' must be an integer >= ${min}, got '${text}'`);
  }
  return x;
}
