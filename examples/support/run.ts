/**
 * The launchers' common run: compile the spec if needed, use (or start) a
 * NATS server, make a stream for this run, start `vigil collector` and the
 * example's processes, start them together, stop them after a while, wait
 * until the collector has every event they sent, print its verdict, and
 * clean everything up (every process is stopped, the stream deleted).
 * Also the launchers' shared options and command line.
 *
 * @module
 */
import { parseArgs } from "node:util";
import {
  type ApiNode,
  type ApiViolation,
  type CollectorProcess,
  formatReport,
  startCollector,
  waitForEvents,
} from "./collector.ts";
import { createRunStream, type RunStream, useNats } from "./nats.ts";
import { type Child, ensureCompiled, prefixEcho, spawnDeno } from "./processes.ts";
import { sleep } from "./node.ts";

/** One example process the run starts. */
export interface ProcessSpec {
  /** Name in the output, e.g. `client-1` (also its node id at the collector). */
  readonly name: string;
  /** Arguments after `deno run -A <script>`. */
  readonly args: readonly string[];
  /** Start it (send `go`) before the others, then wait for this line. */
  readonly first?: RegExp;
}

/** Options of {@link runExample}. */
export interface RunOptions {
  /** Example name, e.g. `lock`: used for the stream name. */
  readonly name: string;
  /** The spec source, relative to the repository root. */
  readonly spec: string;
  /** The process script, relative to the repository root. */
  readonly script: string;
  /** NATS URL; default: start a throwaway nats-server. */
  readonly nats?: string | undefined;
  /** Where compiled specs go. Default `dist`. */
  readonly dist?: string | undefined;
  /** How long the processes run after `go` (with `until`: at the most). */
  readonly durationMs: number;
  /**
   * Stop the processes as soon as this holds (asked every 100 ms after `go`), `durationMs` at
   * the latest; default: they run `durationMs`. For a bug that shows at a moment that depends on
   * the machine's load (an election, a race), so the run neither stops before it nor runs on.
   */
  readonly until?: ((collector: CollectorProcess) => Promise<boolean>) | undefined;
  /** The processes, given the run's stream and subjects and the compiled bindings. */
  readonly processes: (run: RunStream, specJs: string) => readonly ProcessSpec[];
  /** Echo every process's output. Default true. */
  readonly echo?: boolean | undefined;
  /** Fail the run after this long, ms. Default 60 000. */
  readonly timeoutMs?: number | undefined;
  /** Called with the collector after all events arrived, before it stops. */
  readonly inspect?: ((collector: CollectorProcess) => Promise<void>) | undefined;
}

/** Options of a NATS example's launcher (`runLockService`, `runRaftElection`). */
export interface LauncherOptions {
  /** NATS URL; default: start a throwaway nats-server. */
  readonly nats?: string;
  /** Where the compiled spec goes. Default `dist`. */
  readonly dist?: string;
  /** Run the example's buggy variant. */
  readonly bug?: boolean;
  /** The example's monitors refuse what the spec forbids. */
  readonly enforce?: boolean;
  /** How long the processes run; the launcher's default otherwise. */
  readonly durationMs?: number;
  /** Echo every process's output. Default true. */
  readonly echo?: boolean;
  /** Fail after this long, ms. Default 60 000. */
  readonly timeoutMs?: number;
  /** Called with the collector after all events arrived, before it stops. */
  readonly inspect?: RunOptions["inspect"];
  /** Stop as soon as this holds, `durationMs` at the latest ({@link RunOptions.until}). */
  readonly until?: RunOptions["until"];
}

/**
 * The run options a launcher passes through unchanged (NATS URL, dist,
 * echo, timeout, inspect, until).
 *
 * @example Pass a launcher's options on
 * ```ts ignore
 * runExample({ name: "lock", spec, script, durationMs: 4_000, processes, ...passThrough(options) });
 * ```
 */
export function passThrough(
  options: LauncherOptions,
): Pick<RunOptions, "nats" | "dist" | "echo" | "timeoutMs" | "inspect" | "until"> {
  const { nats, dist, echo, timeoutMs, inspect, until } = options;
  return { nats, dist, echo, timeoutMs, inspect, until };
}

/**
 * The arguments every process of a run gets (see `NODE_FLAGS`): the NATS
 * URL, the compiled spec, and the run's stream, subject and prefix.
 *
 * @example A process's arguments
 * ```ts ignore
 * const args = ["--id", "1", ...processArgs(run, specJs)];
 * ```
 */
export function processArgs(run: RunStream, specJs: string): string[] {
  return [
    "--nats",
    run.url,
    "--spec",
    specJs,
    "--stream",
    run.stream,
    "--subject",
    run.subject,
    "--prefix",
    run.prefix,
  ];
}

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/**
 * Reads a duration as the `vigil` commands do: a number with a unit (`ms`,
 * `s`, `m`, `h`); a bare number is seconds.
 *
 * @example Units, and a bare number
 * ```ts
 * import assert from "node:assert/strict";
 * import { durationMs } from "./run.ts";
 * assert.equal(durationMs("2500ms"), 2_500);
 * assert.equal(durationMs("10"), 10_000);
 * assert.equal(durationMs("1.5m"), 90_000);
 * assert.throws(() => durationMs("soon"), /Invalid duration 'soon'/);
 * ```
 */
export function durationMs(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (m === null) {
    throw new TypeError(`Invalid duration '${text}': use a number with ms, s, m or h`);
  }
  return Number(m[1]) * UNIT_MS[m[2] ?? "s"]!;
}

/**
 * A launcher's command line (`--nats URL`, `--bug`, `--enforce`,
 * `--duration 10s`: a unit `ms`, `s`, `m` or `h`, a bare number is seconds,
 * as in `vigil`; the launcher's defaults otherwise): runs the example and
 * exits 0 when the collector found no violation, else 1.
 *
 * @example The lock service's command line
 * ```ts ignore
 * if (import.meta.main) await launcherMain(runLockService);
 * ```
 */
export async function launcherMain(
  launch: (options: LauncherOptions) => Promise<RunResult>,
): Promise<never> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      nats: { type: "string" },
      bug: { type: "boolean", default: false },
      enforce: { type: "boolean", default: false },
      duration: { type: "string" },
    },
  });
  const result = await launch({
    ...(values.nats === undefined ? {} : { nats: values.nats }),
    bug: values.bug,
    enforce: values.enforce,
    ...(values.duration === undefined ? {} : { durationMs: durationMs(values.duration) }),
  });
  Deno.exit(result.violations.length === 0 ? 0 : 1);
}

/** What the collector concluded. */
export interface RunResult {
  readonly violations: readonly ApiViolation[];
  readonly nodes: readonly ApiNode[];
  /** Events the processes reported as sent. */
  readonly sent: number;
  /** Events the collector received from them. */
  readonly received: number;
}

/** What a run started, for the clean-up. */
interface Started {
  readonly children: Child[];
  run: RunStream | null;
  collector: Promise<CollectorProcess> | null;
}

/**
 * Runs an example end to end and returns the collector's verdict. Fails
 * after `timeoutMs` (default 60 s); every process it started is stopped in
 * any case.
 *
 * @example Run the lock service with its bug
 * ```ts ignore
 * const result = await runExample({ name: "lock", spec: "specs/lease.vigil", script: "...", durationMs: 3000, processes: () => [] });
 * ```
 */
export async function runExample(options: RunOptions): Promise<RunResult> {
  const specJs = await ensureCompiled(options.spec, options.dist ?? "dist");
  const nats = await useNats(options.nats);
  const started: Started = { children: [], run: null, collector: null };
  const ms = options.timeoutMs ?? 60_000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`Example '${options.name}' did not finish within ${ms} ms`)),
      ms,
    );
  });
  try {
    return await Promise.race([drive(options, specJs, nats.url, started), deadline]);
  } finally {
    clearTimeout(timer);
    await Promise.all(started.children.map((c) => c.stop("SIGKILL", 0)));
    await started.collector?.then((c) => c.stop(), () => {});
    await started.run?.close();
    await nats.stop();
  }
}

async function drive(
  options: RunOptions,
  specJs: string,
  natsUrl: string,
  started: Started,
): Promise<RunResult> {
  const echo = options.echo === false ? undefined : prefixEcho;
  const log = (line: string) => echo?.("run", line);
  const run = started.run = await createRunStream(natsUrl, options.name);
  log(`NATS ${natsUrl}, stream ${run.stream}`);
  const procs = options.processes(run, specJs);
  started.collector = startCollector({
    specs: [specJs],
    nats: natsUrl,
    stream: run.stream,
    subject: run.subject,
    ...(echo ? { echo } : {}),
  });
  const children = started.children;
  for (const p of procs) {
    const args = ["run", "-A", options.script, ...p.args, "--wait-go"];
    children.push(spawnDeno(p.name, args, { stdin: true, ...(echo ? { echo } : {}) }));
  }
  const collector = await started.collector;
  await Promise.all(children.map((c) => c.waitFor(/ ready\b/, 20_000)));
  for (const [i, p] of procs.entries()) {
    if (p.first === undefined) continue;
    await children[i]!.send("go");
    await children[i]!.waitFor(p.first, 10_000);
  }
  await Promise.all(children.map((c, i) => procs[i]!.first ? null : c.send("go")));
  if (options.until === undefined) {
    log(`running for ${options.durationMs} ms`);
    await sleep(options.durationMs);
  } else {
    log(`running until the condition holds, ${options.durationMs} ms at the most`);
    const end = Date.now() + options.durationMs;
    while (!(await options.until(collector)) && Date.now() < end) await sleep(100);
  }
  const sent = await stopInOrder(children, procs);
  const nodes = children.map((c) => c.name);
  const received = await waitForEvents(collector, nodes, sent, 10_000);
  const violations = await collector.get<ApiViolation[]>("/api/violations");
  const nodeRows = await collector.get<ApiNode[]>("/api/nodes");
  if (echo) console.log(formatReport(violations, nodeRows));
  await options.inspect?.(collector);
  return { violations, nodes: nodeRows, sent, received };
}

/** Stops the processes started after the first ones, then the first ones; sums their events. */
async function stopInOrder(children: readonly Child[], procs: readonly ProcessSpec[]) {
  const sentBy = async (c: Child) => {
    await c.send("stop");
    const m = await c.waitFor(/done: sent (\d+) events/, 10_000);
    await c.stop("SIGTERM", 2_000);
    return Number(m[1]);
  };
  const later = children.filter((_, i) => procs[i]!.first === undefined);
  const first = children.filter((_, i) => procs[i]!.first !== undefined);
  const a = await Promise.all(later.map(sentBy));
  const b = await Promise.all(first.map(sentBy));
  return [...a, ...b].reduce((s, n) => s + n, 0);
}
