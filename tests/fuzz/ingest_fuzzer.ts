/**
 * The stateful ingest fuzzer: runs sessions (`session.ts`) against a fresh
 * collector behind one ingest path (`targets.ts`) and checks, after every
 * input:
 * - nothing throws out of the ingest call, `advance` or `flush`, and no
 *   error escapes to the event loop;
 * - every answer is an acceptance or a refusal of a known reason (over
 *   HTTP: 202 with counts, or a problem+json whose status matches its
 *   reason); `internal` is a failure (an unexpected error was caught);
 * - a valid batch with its node's token is accepted;
 * - an accepted batch decodes with the reference decoder, has no sequence
 *   number past 2^53 - 1, and its answer (accepted, duplicates, dropped)
 *   is what the accounting model (`model.ts`) says;
 * - no input takes longer than the stall limit;
 * - memory stays within a bound of what the session admitted;
 *
 * and after the session (everything flushed, the clock past the gap
 * timeout): the core's counters, each node's and each partition's equal the
 * model's (every event of every accepted batch accounted exactly once as
 * accepted, duplicate, dropped or lost, and applied), and the service
 * counted every input as accepted or refused by reason.
 *
 * A failing session is minimised (steps, then the failing input's bytes)
 * and kept as a JSON case in `tests/fuzz/corpus/` (`corpus.ts`).
 *
 * @module
 */
import { decodeReference } from "../../lib/wire/decode.ts";
import type { DecodedBatch } from "../../lib/wire/event.ts";
import { parsePrometheus } from "../../edge/server/metrics.ts";
import { FuzzFailure } from "./failure.ts";
import { replayFresh } from "./fresh_replay.ts";
import { leaseKit } from "./lease_events.ts";
import { AccountingModel } from "./model.ts";
import { caseToJson, writeCase } from "./corpus.ts";
import { sessionSeed } from "./rand.ts";
import {
  type BatchContent,
  generateSession,
  type SendStep,
  type Session,
  type Step,
} from "./session.ts";
import { createTarget, describe, ServeHost, type Target, type TargetKind } from "./targets.ts";

export { FuzzFailure } from "./failure.ts";
export { caseFromJson, caseToJson, type CorpusCase, readCorpus, writeCase } from "./corpus.ts";
export type { Session, Step } from "./session.ts";
export type { Answer, Target, TargetKind } from "./targets.ts";

/** Options of {@link runSession}. */
export interface RunOptions {
  /** The ingest path. Default `inprocess`. */
  readonly path?: TargetKind;
  /**
   * An input taking more than this much CPU time of this thread is a stall,
   * ms (default 2,000); so is one taking more than 10 times it of wall time
   * (a wait). CPU, not wall time: a loaded or stalled machine stretches the
   * wall time of every input (a freeze of 3 s made inputs of a few ms
   * "stalls"), a quadratic path the CPU time. Where the thread's CPU time
   * cannot be read (not Linux), wall time against `stallMs` as before.
   */
  readonly stallMs?: number;
  /**
   * Memory allowed above the start before anything is admitted, bytes.
   * Memory is this isolate's (V8 heap used plus array buffers), not the
   * process's RSS, so tests running beside it in other workers do not count.
   * Default 1 GiB.
   */
  readonly memorySlack?: number;
  /** The memory the bound starts from. Default: measured at the session's start. */
  readonly baseMemory?: number;
  /** The server of the `serve` path. */
  readonly host?: ServeHost | undefined;
  /** Called before each step (tracing a run that may be killed). */
  readonly onStep?: (index: number, step: Step) => void;
  /** Wraps each session's target (tests plant faults with it). */
  readonly wrapTarget?: (target: Target) => Target;
}

/** What one session did. */
export interface SessionReport {
  inputs: number;
  accepted: number;
  refused: Record<string, number>;
  /** Valid batches sent, and mutants the collector accepted. */
  valid: number;
  mutantsAccepted: number;
  duplicates: number;
  dropped: number;
  lost: number;
  slowestMs: number;
  slowestNote: string;
  failure: FuzzFailure | null;
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
/** Memory allowed per admitted event, drop range and body byte. */
const PER_EVENT = 4096;
const PER_BYTE = 64;

/** This isolate's memory: V8 heap used plus array buffers. */
function isolateMemory(): number {
  const m = Deno.memoryUsage();
  return m.heapUsed + m.external;
}

function rss(): number {
  return Deno.memoryUsage().rss;
}

function mib(n: number): string {
  return `${Math.round(n / (1 << 20))} MiB`;
}

function expect(kind: "counters", what: string, got: number, want: number): void {
  if (got !== want) throw new FuzzFailure(kind, `${what} is '${got}', expected '${want}'`);
}

/**
 * Runs one session against a fresh collector behind `path`; the first
 * oracle failure ends it and is reported (with its step).
 *
 * @example Run a generated session in process
 * ```ts ignore
 * const report = await runSession(generateSession(7, await leaseKit()), { path: "app" });
 * assert.equal(report.failure, null);
 * ```
 */
export async function runSession(
  session: Session,
  options: RunOptions = {},
): Promise<SessionReport> {
  const kit = await leaseKit();
  const path = options.path ?? "inprocess";
  const stallMs = options.stallMs ?? 2_000;
  const base = options.baseMemory ?? isolateMemory();
  const slack = options.memorySlack ?? 1 << 30;
  const { config } = session;
  const clock = { now: config.startMs };
  const report: SessionReport = {
    inputs: 0,
    accepted: 0,
    refused: {},
    valid: 0,
    mutantsAccepted: 0,
    duplicates: 0,
    dropped: 0,
    lost: 0,
    slowestMs: 0,
    slowestNote: "",
    failure: null,
  };
  let uncaught: unknown = undefined;
  const onError = (e: ErrorEvent) => {
    e.preventDefault();
    uncaught ??= e.error ?? e.message;
  };
  const onRejection = (e: PromiseRejectionEvent) => {
    e.preventDefault();
    uncaught ??= e.reason;
  };
  addEventListener("error", onError);
  addEventListener("unhandledrejection", onRejection);
  const model = new AccountingModel();
  let admitted = 0;
  // Arrival times of accepted batches since every hole last timed out.
  let firstIngest = Infinity;
  let lastIngest = -Infinity;
  let target: Target | null = null;

  const checkMemory = (note: string) => {
    const now = isolateMemory();
    const bound = base + slack + admitted;
    if (now > bound) {
      throw new FuzzFailure(
        "memory",
        `Memory '${mib(now)}' over the bound '${mib(bound)}' (start '${mib(base)}') after ${note}`,
      );
    }
  };
  const checkUncaught = () => {
    if (uncaught !== undefined) {
      throw new FuzzFailure(
        "uncaught",
        `An error escaped to the event loop: ${describe(uncaught)}`,
      );
    }
  };
  /** The stall oracle's verdict on an input that took `ms` of wall time and `cpu` ms of CPU (null: unknown). */
  const stalled = (ms: number, cpu: number | null) =>
    cpu === null ? ms > stallMs : cpu > stallMs || ms > 10 * stallMs;
  const took = (ms: number, cpu: number | null) =>
    cpu === null
      ? `'${Math.round(ms)}' ms`
      : `'${Math.round(ms)}' ms ('${Math.round(cpu)}' ms of CPU)`;
  const timed = <T>(what: string, run: () => T): T => {
    const t0 = performance.now();
    const c0 = threadCpuMs();
    let out: T;
    try {
      out = run();
    } catch (e) {
      if (e instanceof FuzzFailure) throw e;
      throw new FuzzFailure("threw", `${what} threw ${describe(e)}`, -1, { cause: e });
    }
    const ms = performance.now() - t0;
    const cpu = c0 === null ? null : threadCpuMs()! - c0;
    if (stalled(ms, cpu)) throw new FuzzFailure("stall", `${what} took ${took(ms, cpu)}`);
    return out;
  };
  const advanceTo = (t: number) => {
    clock.now = t;
    if (firstIngest !== Infinity) {
      const deadline = t - config.gapTimeoutMs;
      if (deadline >= lastIngest) {
        model.expireAll();
        firstIngest = Infinity;
        lastIngest = -Infinity;
      } else if (deadline >= firstIngest) {
        model.inexact();
      }
    }
    timed(`advance(${t - config.startMs} ms in)`, () => target!.collector.advance(t));
  };

  const send = async (step: SendStep) => {
    const t0 = performance.now();
    const c0 = threadCpuMs();
    const answer = await target!.send(step);
    const ms = performance.now() - t0;
    const cpu = c0 === null ? null : threadCpuMs()! - c0;
    report.inputs++;
    if (step.valid) report.valid++;
    if (ms > report.slowestMs) (report.slowestMs = ms, (report.slowestNote = step.note));
    if (stalled(ms, cpu)) throw new FuzzFailure("stall", `Input took ${took(ms, cpu)}`);
    if (!answer.ok) {
      report.refused[answer.reason] = (report.refused[answer.reason] ?? 0) + 1;
      if (answer.reason === "internal") {
        throw new FuzzFailure("internal", `Refused as 'internal' (${answer.detail})`);
      }
      if (step.valid && answer.reason !== "limit") {
        throw new FuzzFailure(
          "refused_valid",
          `Valid batch refused as '${answer.reason}' (${answer.detail})`,
        );
      }
    } else {
      report.accepted++;
      if (!step.valid) report.mutantsAccepted++;
      const batch = step.content ?? referenceContent(step.bytes);
      const last = batch.firstSeq + batch.keys.length - 1;
      const lastDrop = batch.dropped.length > 0 ? batch.dropped[batch.dropped.length - 1]![1] : 0;
      if (last > MAX_SAFE || lastDrop > MAX_SAFE) {
        throw new FuzzFailure(
          "unsafe_seq",
          `Accepted sequence numbers past 2^53 - 1 (first '${batch.firstSeq}', ` +
            `${batch.keys.length} events, last dropped '${lastDrop}')`,
        );
      }
      const problems = model.batch(batch, answer.result);
      if (problems.length > 0) {
        throw new FuzzFailure("accounting", `Answer ${problems.join(", ")}`);
      }
      admitted += PER_EVENT * (batch.keys.length + batch.dropped.length + 1) +
        PER_BYTE * step.bytes.length;
      firstIngest = Math.min(firstIngest, clock.now);
      lastIngest = clock.now;
    }
    if (ms > 20 || report.inputs % 64 === 0) checkMemory("an input");
  };

  try {
    target = await createTarget(path, kit, { config, clock, host: options.host });
    if (options.wrapTarget !== undefined) target = options.wrapTarget(target);
    for (let i = 0; i < session.steps.length; i++) {
      const step: Step = session.steps[i]!;
      options.onStep?.(i, step);
      try {
        if (step.kind === "advance") advanceTo(clock.now + step.ms);
        else await send(step);
        checkUncaught();
      } catch (e) {
        if (e instanceof FuzzFailure) {
          e.step = i;
          e.input = step.kind === "send" ? step.note : `advance ${step.ms} ms`;
        }
        throw e;
      }
    }
    timed("flush()", () => target!.collector.flush());
    advanceTo(clock.now + config.gapTimeoutMs + config.windowMs + 1);
    checkUncaught();
    finalChecks(target, model, report);
    checkMemory("the session");
  } catch (e) {
    if (!(e instanceof FuzzFailure)) throw e;
    report.failure = e;
  } finally {
    try {
      await target?.close();
      checkUncaught();
    } catch (e) {
      report.failure ??= e instanceof FuzzFailure
        ? e
        : new FuzzFailure("threw", `Closing the collector threw ${describe(e)}`);
    }
    removeEventListener("error", onError);
    removeEventListener("unhandledrejection", onRejection);
  }
  report.duplicates = model.duplicates;
  report.dropped = model.dropped;
  report.lost = model.lost;
  return report;
}

/** What an accepted body holds, by the reference decoder (which must accept it). */
function referenceContent(bytes: Uint8Array): BatchContent {
  let b: DecodedBatch;
  try {
    b = decodeReference(bytes);
  } catch (e) {
    throw new FuzzFailure(
      "decoder_disagrees",
      `Accepted a batch the reference decoder refuses (${(e as Error).message})`,
    );
  }
  return { ...b, keys: b.events.map((e) => e.key) };
}

/** The checks after a session: core, node and partition counters, and the service's counts. */
function finalChecks(target: Target, model: AccountingModel, report: SessionReport): void {
  const c = target.collector;
  const m = c.metrics();
  expect("counters", "Core 'batches'", m.batches, model.batches);
  expect("counters", "Core 'events'", m.events, model.accepted);
  expect("counters", "Core 'duplicates'", m.duplicates, model.duplicates);
  expect("counters", "Core 'dropped'", m.dropped, model.dropped);
  if (!model.wide) expect("counters", "Core 'lost'", m.lost, model.lost);
  expect("counters", "Core 'buffered' after flush", m.buffered, 0);
  expect("counters", "Core 'applied' after flush", m.applied, m.events);
  const nodes = c.nodes();
  expect("counters", "Number of nodes", nodes.length, model.nodes.size);
  for (const n of nodes) {
    const t = model.nodes.get(n.node);
    if (t === undefined) throw new FuzzFailure("counters", `Node '${n.node}' was never accepted`);
    expect("counters", `Node 'events'`, n.events, t.accepted);
    expect("counters", `Node 'duplicates'`, n.duplicates, t.duplicates);
    expect("counters", `Node 'openHoles' after the gap timeout`, n.openHoles, 0);
    if (!t.wide) expect("counters", `Node 'lostEvents'`, n.lostEvents, t.lost);
  }
  const parts = c.partitions();
  expect("counters", "Number of partitions", parts.length, model.partitions.size);
  for (const p of parts) {
    const want = model.partitions.get(`${p.spec}\u0000${p.key}`) ?? 0;
    expect("counters", "Partition 'applied'", p.applied, want);
  }
  const samples = parsePrometheus(target.service.metrics.render());
  const count = (name: string, labels: Record<string, string>) =>
    samples.filter((s) =>
      s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)
    ).reduce((a, s) => a + s.value, 0);
  const source = target.source;
  expect(
    "counters",
    "Service 'vigil_batches_accepted_total'",
    count("vigil_batches_accepted_total", { source }),
    report.accepted,
  );
  for (const [reason, n] of Object.entries(report.refused)) {
    expect(
      "counters",
      `Service 'vigil_batches_rejected_total' of '${reason}'`,
      count("vigil_batches_rejected_total", { source, reason }),
      n,
    );
  }
  expect(
    "counters",
    "Service batches accepted and rejected",
    count("vigil_batches_accepted_total", { source }) +
      count("vigil_batches_rejected_total", { source }),
    report.inputs,
  );
}

/** Same failure for minimisation: same kind, and same cause for errors. */
function sameFailure(a: FuzzFailure, b: FuzzFailure): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "threw" || a.kind === "uncaught" || a.kind === "answer") {
    return a.signature === b.signature;
  }
  return true;
}

/**
 * Minimises a failing session: cuts the steps after the failing one, then
 * removes chunks of steps, then chunks of the failing input's bytes, while
 * the same failure reproduces (within `budgetMs`).
 *
 * @example Minimise a failing session
 * ```ts ignore
 * const small = await minimize(session, report.failure!, { path: "inprocess" });
 * ```
 */
export async function minimize(
  session: Session,
  failure: FuzzFailure,
  options: RunOptions & { budgetMs?: number } = {},
): Promise<Session> {
  const path = options.path ?? "inprocess";
  const deadline = Date.now() + (options.budgetMs ?? 60_000);
  let best = session;
  let bestFailure = failure;
  const tries = async (steps: Step[]): Promise<boolean> => {
    const candidate: Session = { ...best, steps };
    const r = await runSession(candidate, options);
    if (r.failure === null || !sameFailure(r.failure, failure)) return false;
    best = candidate;
    bestFailure = r.failure;
    return true;
  };
  if (failure.step >= 0) await tries(best.steps.slice(0, failure.step + 1));
  for (let chunk = Math.ceil(best.steps.length / 2); chunk >= 1; chunk = Math.floor(chunk / 2)) {
    for (
      let start = best.steps.length - chunk;
      start >= 0 && Date.now() < deadline;
      start -= chunk
    ) {
      const steps = [...best.steps];
      steps.splice(start, chunk);
      if (steps.length > 0) await tries(steps);
    }
    if (chunk === 1 || Date.now() >= deadline) break;
  }
  const at = bestFailure.step;
  const step = at >= 0 ? best.steps[at] : undefined;
  if (step?.kind === "send" && !step.valid) {
    for (let chunk = step.bytes.length >> 1; chunk >= 1 && Date.now() < deadline; chunk >>= 1) {
      for (let start = 0; Date.now() < deadline;) {
        const cur = best.steps[at] as SendStep;
        if (start + chunk > cur.bytes.length) break;
        const bytes = new Uint8Array(cur.bytes.length - chunk);
        bytes.set(cur.bytes.subarray(0, start));
        bytes.set(cur.bytes.subarray(start + chunk), start);
        const steps = [...best.steps];
        steps[at] = { ...cur, bytes, note: `${cur.note} (minimised)` };
        if (!(await tries(steps))) start += chunk;
      }
    }
  }
  // Module-level state (decoder buffers) outlives a collector: the smaller
  // session must fail on its own too, else the whole session is kept.
  const cut = failure.step >= 0
    ? { ...session, steps: session.steps.slice(0, failure.step + 1) }
    : session;
  for (const candidate of [best, cut]) {
    if (candidate === session) break;
    const c = { kind: failure.kind, message: "", path, seed: session.seed, session: candidate };
    const fresh = await replayFresh(caseToJson(c), path);
    if (fresh !== null && fresh.kind === failure.kind) return candidate;
  }
  return session;
}

/** Options of {@link fuzz}. */
export interface FuzzOptions extends RunOptions {
  /** The run's seed; session `i` is seeded `sessionSeed(seed, i)`. */
  readonly seed: number;
  /** Stop after this long, ms. Default: no limit (then `inputs` or `sessions` must be set). */
  readonly budgetMs?: number;
  /** Stop after about this many inputs. */
  readonly inputs?: number;
  /** Stop after this many sessions. */
  readonly sessions?: number;
  /** Paths, one per session in turn. Default `["inprocess", "app"]`. */
  readonly paths?: readonly TargetKind[];
  /** Heavy inputs (megabyte bodies, deep nesting). Default false. */
  readonly heavy?: boolean;
  /** Most steps per session. Default 400. */
  readonly maxSteps?: number;
  /** Stop after this many distinct failures. Default 1. */
  readonly maxFailures?: number;
  /** Minimisation time per failure, ms (0: keep the whole session). Default 60,000. */
  readonly minimizeMs?: number;
  /** Where failing sessions are written (`null`: nowhere). Default `null`. */
  readonly corpus?: URL | null;
  /** Progress and failure lines. Default: none. */
  readonly log?: (line: string) => void;
  /** Called before each session (tracing a run that may be killed). */
  readonly onSession?: (seed: number, path: TargetKind) => void;
}

/** A failure found by {@link fuzz}. */
export interface FoundFailure {
  readonly failure: FuzzFailure;
  readonly seed: number;
  readonly session: number;
  readonly path: TargetKind;
  /** Steps of the kept (minimised) session. */
  readonly steps: number;
  /** The corpus file written, if any. */
  readonly file: string | null;
}

/** Totals of a fuzz run. */
export interface FuzzReport {
  readonly seed: number;
  inputs: number;
  sessions: number;
  elapsedMs: number;
  accepted: number;
  valid: number;
  mutantsAccepted: number;
  duplicates: number;
  dropped: number;
  lost: number;
  refused: Record<string, number>;
  slowestMs: number;
  slowestNote: string;
  /** RSS at the start, the most seen after a session, and at the end, bytes. */
  rssStart: number;
  rssMax: number;
  rssEnd: number;
  readonly failures: FoundFailure[];
}

/**
 * Runs sessions until the budget is spent (time, inputs or sessions) or
 * `maxFailures` distinct failures were found; each new failure is
 * minimised and, with `corpus`, written there.
 *
 * @example A short in-process run
 * ```ts ignore
 * const report = await fuzz({ seed: 1, sessions: 10, paths: ["inprocess"] });
 * assert.deepEqual(report.failures, []);
 * ```
 */
export async function fuzz(options: FuzzOptions): Promise<FuzzReport> {
  const kit = await leaseKit();
  const paths = options.paths ?? ["inprocess", "app"];
  const log = options.log ?? (() => {});
  const started = Date.now();
  const baseMemory = options.baseMemory ?? isolateMemory();
  const baseRss = rss();
  const host = paths.includes("serve") ? options.host ?? new ServeHost() : undefined;
  const run: RunOptions = { ...options, baseMemory, host };
  const report: FuzzReport = {
    seed: options.seed,
    inputs: 0,
    sessions: 0,
    elapsedMs: 0,
    accepted: 0,
    valid: 0,
    mutantsAccepted: 0,
    duplicates: 0,
    dropped: 0,
    lost: 0,
    refused: {},
    slowestMs: 0,
    slowestNote: "",
    rssStart: baseRss,
    rssMax: baseRss,
    rssEnd: baseRss,
    failures: [],
  };
  const seen = new Set<string>();
  const done = () =>
    (options.budgetMs !== undefined && Date.now() - started >= options.budgetMs) ||
    (options.inputs !== undefined && report.inputs >= options.inputs) ||
    (options.sessions !== undefined && report.sessions >= options.sessions) ||
    report.failures.length >= (options.maxFailures ?? 1);
  let lastLog = started;
  try {
    for (let index = 0; !done(); index++) {
      const seed = sessionSeed(options.seed, index);
      const path = paths[index % paths.length]!;
      const session = generateSession(seed, kit, {
        heavy: options.heavy ?? false,
        maxSteps: options.maxSteps ?? 400,
      });
      options.onSession?.(seed, path);
      const r = await runSession(session, { ...run, path });
      report.sessions++;
      report.rssEnd = rss();
      report.rssMax = Math.max(report.rssMax, report.rssEnd);
      report.inputs += r.inputs;
      report.accepted += r.accepted;
      report.valid += r.valid;
      report.mutantsAccepted += r.mutantsAccepted;
      report.duplicates += r.duplicates;
      report.dropped += r.dropped;
      report.lost += r.lost;
      for (const [k, v] of Object.entries(r.refused)) {
        report.refused[k] = (report.refused[k] ?? 0) + v;
      }
      if (r.slowestMs > report.slowestMs) {
        report.slowestMs = r.slowestMs;
        report.slowestNote = `${r.slowestNote} (session seed ${seed}, ${path})`;
      }
      if (Date.now() - lastLog >= 5_000) {
        lastLog = Date.now();
        const s = (lastLog - started) / 1000;
        log(
          `${report.inputs} inputs in ${report.sessions} sessions, ` +
            `${Math.round(report.inputs / s)} inputs/s, ${report.failures.length} failures`,
        );
      }
      const f = r.failure;
      if (f === null || seen.has(f.signature)) continue;
      seen.add(f.signature);
      log(
        `FAIL ${f.describe()}\n  session seed ${seed} (run seed ${options.seed}, session ${index}, ${path})`,
      );
      const small = (options.minimizeMs ?? 60_000) > 0
        ? await minimize(session, f, { ...run, path, budgetMs: options.minimizeMs ?? 60_000 })
        : session;
      let file: string | null = null;
      if (options.corpus != null) {
        const c = { kind: f.kind, message: f.describe(), path, seed, session: small };
        file = await writeCase(options.corpus, c);
        log(`  kept ${small.steps.length} steps in ${file}`);
      }
      report.failures.push({
        failure: f,
        seed,
        session: index,
        path,
        steps: small.steps.length,
        file,
      });
    }
  } finally {
    if (host !== undefined && options.host === undefined) await host.close();
  }
  report.elapsedMs = Date.now() - started;
  return report;
}

/** Ticks per second of `/proc/<pid>/stat`'s times (`getconf CLK_TCK`: 100 on Linux). */
const CLK_TCK = 100;

/**
 * CPU time of the calling thread so far (user + system), ms, from Linux's
 * `/proc/thread-self/stat` (10 ms resolution); null where it cannot be
 * read. The thread's, not the process's: `deno test --parallel` runs other
 * test files in other threads of the same process.
 */
export function threadCpuMs(): number | null {
  try {
    const stat = Deno.readTextFileSync("/proc/thread-self/stat");
    // The fields after the command name (which may hold spaces), from field 3 on.
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK;
  } catch {
    return null;
  }
}
