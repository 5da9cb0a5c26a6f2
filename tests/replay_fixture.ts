/**
 * Test helpers for `replay`: the lease spec compiled once, NDJSON sources
 * built in memory, and a valid three-node lease history with skewed clocks
 * that tests then break in chosen ways.
 *
 * @module
 */
import { loadCompiled } from "../lib/abi/mod.ts";
import type { CompiledSpec } from "../lib/abi/mod.ts";
import { parseMapping, replay } from "../edge/replay/mod.ts";
import type { ReplayOptions, ReplayReport, ReplaySource } from "../edge/replay/mod.ts";
import { compiledDir } from "../tools/harness/sdk_fixture.ts";
import { LEASE_LOG_MAPPING } from "../tools/harness/lease/logs.ts";
import { runVigil, type VigilRun } from "./cli_process.ts";

/** The mapping of the lease logs below. */
export const LEASE_MAPPING = { ...LEASE_LOG_MAPPING, state: "state" };

/** The compiled lease bindings path. */
export async function leaseBindings(): Promise<string> {
  return `${await compiledDir("lease")}/lease.js`;
}

/** A fresh compiled lease spec (its own instances). */
export async function leaseSpec(): Promise<CompiledSpec> {
  return loadCompiled(await leaseBindings());
}

/** One log line: an object (serialized) or raw text. */
export type Line = Readonly<Record<string, unknown>> | string;

/** The NDJSON text of some lines. */
export function ndjson(lines: readonly Line[]): string {
  return lines.map((l) => typeof l === "string" ? l : JSON.stringify(l)).join("\n") + "\n";
}

/** An in-memory source. */
export function source(name: string, lines: readonly Line[]): ReplaySource {
  return { name, stream: new Blob([ndjson(lines)]).stream() };
}

/** Replays in-memory files (name -> lines) against a fresh lease spec. */
export async function replayLease(
  files: Readonly<Record<string, readonly Line[]>>,
  options: Partial<Omit<ReplayOptions, "mapping">> & { mapping?: unknown } = {},
): Promise<ReplayReport> {
  const { mapping, ...rest } = options;
  return replay(
    Object.entries(files).map(([name, lines]) => source(name, lines)),
    {
      specs: [await leaseSpec()],
      mapping: parseMapping(mapping ?? LEASE_MAPPING),
      windowMs: 200,
      ...rest,
    },
  );
}

/** Clock skew of each node (ms). */
export const SKEW: Readonly<Record<string, number>> = { a: 0, b: 30, c: -40 };

/** A step of the true history: at true time `t`, node `n` does `event(c)` on `lock`. */
export interface Step {
  readonly t: number;
  readonly n: string;
  readonly lock: string;
  readonly event: string;
  readonly c: number;
  readonly state?: Readonly<Record<string, unknown>>;
}

/**
 * A valid history: locks L1 and L2 are acquired and released in turn by
 * a, b, c (steps of one lock 100 ms apart, more than the skew between any
 * two clocks), with an `info` line between the steps of each node.
 */
export function leaseHistory(): Step[] {
  const steps: Step[] = [];
  const nodes = ["a", "b", "c"];
  for (let round = 0; round < 3; round++) {
    const n = nodes[round]!;
    const c = round + 1;
    const t = 1_000 + round * 200;
    steps.push({ t, n, lock: "L1", event: "acquire", c });
    steps.push({ t: t + 100, n, lock: "L1", event: "release", c });
    const m = nodes[(round + 1) % 3]!;
    steps.push({ t: t + 50, n: m, lock: "L2", event: "acquire", c });
    steps.push({ t: t + 150, n: m, lock: "L2", event: "release", c });
  }
  return steps.sort((x, y) => x.t - y.t);
}

/** The lines of each node's file (`<node>.ndjson`), stamped with the node's skewed clock. */
export function nodeFiles(steps: readonly Step[]): Record<string, Line[]> {
  const files: Record<string, Line[]> = { "a.ndjson": [], "b.ndjson": [], "c.ndjson": [] };
  for (const s of steps) {
    const ts = s.t + (SKEW[s.n] ?? 0);
    const line: Record<string, unknown> = {
      ts,
      host: s.n,
      type: "transition",
      lock: s.lock,
      event: s.event,
      args: { c: s.c },
    };
    if (s.state !== undefined) line.state = s.state;
    files[`${s.n}.ndjson`]!.push(line);
    files[`${s.n}.ndjson`]!.push({ ts: ts + 1, host: s.n, type: "info", msg: "ok" });
  }
  return files;
}

/** The 1-based line number of the first line of `file` matching `pred`. */
export function lineOf(
  lines: readonly Line[],
  pred: (l: Record<string, unknown>) => boolean,
): number {
  const i = lines.findIndex((l) => typeof l !== "string" && pred(l as Record<string, unknown>));
  if (i < 0) throw new Error("No such line");
  return i + 1;
}

/**
 * Runs the real CLI (`deno run -A cli/main.ts ...`), with `options.stdin`
 * as its standard input: its exit code and output (`cli_process.ts`'s
 * {@link runVigil}).
 */
export function vigil(
  args: readonly string[],
  options: { readonly stdin?: string } = {},
): Promise<VigilRun> {
  return runVigil(args, options);
}

/**
 * The arguments of `vigil replay` with spec `spec` and the mapping
 * {@link withLogFiles} wrote to `dir`, then `rest` (flags and inputs).
 */
export function replayArgs(spec: string, dir: string, rest: readonly string[]): string[] {
  return ["replay", "--spec", spec, "--map", `${dir}/mapping.json`, ...rest];
}

/**
 * Writes `mapping.json` and the log files (name -> lines) to a temporary
 * directory, runs `run` with it and the files' paths, then removes it.
 */
export async function withLogFiles(
  mapping: unknown,
  files: Readonly<Record<string, readonly Line[]>>,
  run: (dir: string, paths: string[]) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "vigil_replay_" });
  try {
    await Deno.writeTextFile(`${dir}/mapping.json`, JSON.stringify(mapping));
    const paths: string[] = [];
    for (const [name, lines] of Object.entries(files)) {
      await Deno.writeTextFile(`${dir}/${name}`, ndjson(lines));
      paths.push(`${dir}/${name}`);
    }
    await run(dir, paths);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
