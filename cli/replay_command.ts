/**
 * `vigil replay --spec dist/x.js --map mapping.json [--window 500ms] [--json] [--html report.html] logs/*.ndjson`:
 * checks structured logs against compiled specs (see `docs/replay.md`).
 * Exit code 1 when violations are found, 0 otherwise, 2 for usage errors
 * (including an invalid mapping or a spec that cannot be loaded).
 *
 * @module
 */
import { existsSync } from "node:fs";
import { type FileHandle, open, readFile, stat, writeFile } from "node:fs/promises";
import * as os from "node:os";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { Readable } from "node:stream";
import { Worker } from "node:worker_threads";
import {
  formatReport,
  MappingError,
  mergeShardReports,
  parseMapping,
  replay,
  replayDispatched,
  type ReplayReport,
  replayReportHtml,
  type ReplaySource,
} from "../edge/replay/mod.ts";
import type { Mapping, ShardReport } from "../edge/replay/mod.ts";
import type { ReplayJob, ReplayWorkerInput, ReplayWorkerReply } from "./replay_worker.ts";
import { LineExtractor } from "../edge/replay/extract.ts";
import { readInThread } from "../edge/replay/file_reading.ts";
import { FileRecordStream, RecordQueue } from "../edge/replay/file_records.ts";
import { replayRecords } from "../edge/replay/record_merge.ts";
import { replaySpecs } from "../edge/replay/replay_spec.ts";
import { parseFlags, UsageError } from "./flags.ts";
import { durationFlag } from "./duration.ts";
import { type CommandHelp, flagSpecOf, formatHelp } from "./help.ts";
import { expandPaths } from "./paths.ts";
import type { CompiledSpec } from "../lib/abi/mod.ts";
import { loadSpecFiles } from "./spec_files.ts";

const HELP_SPEC: CommandHelp = {
  usage: ["vigil replay --spec <spec>... --map mapping.json [options] <log>..."],
  summary: `Checks structured logs (NDJSON, one JSON object per line; .gz files are
decompressed; '-' reads standard input; a directory means its *.ndjson,
*.jsonl and *.log files) against specs: every mapped line is a step of its
(node, key) instance, the nodes are merged per key by time and the global
invariants and global liveness are checked as the collector does.
Violations are reported with the log lines (file:line) that led to them.`,
  options: [
    {
      flag: "--spec file",
      help:
        "compiled bindings (dist/<name>.js) or a spec source (<name>.vigil, compiled in memory); repeatable",
    },
    { flag: "--map file", help: "mapping file (JSON; see docs/replay.md)" },
    {
      flag: "--window d",
      help:
        "how far lines of one file may be out of time order (500ms, 2s, 1m; a bare number is seconds; default 500ms)",
    },
    { flag: "--json", help: "print the report as JSON" },
    {
      flag: "--html file",
      help:
        "also write the report as one self-contained HTML page, with a space-time diagram per global violation whose causality was recorded",
    },
    {
      flag: "--max-skew d",
      help:
        "bound on any node's clock error for causal verdicts on global invariants (possibly/definitely, as the collector); default 500ms when the mapping reads stamp, sends or receives, else off (the merge order)",
    },
    {
      flag: "--local-only",
      help: "check each instance's steps only (no global invariants or global liveness; faster)",
    },
    {
      flag: "--max-listed n",
      help:
        "violations, unmapped and out-of-window lines kept in detail (default 1000; all are counted)",
    },
    { flag: "--max-shown n", help: "items shown per list in the text report (default 20)" },
    {
      flag: "--history n",
      help: "merged events kept per key for global counterexamples (default 32)",
    },
    {
      flag: "--workers n",
      help:
        "use n threads: this one reads and maps every line once, n-1 worker threads check, each the keys of its shard; the same report as one (default 2 with two cores or more and 64 MiB of log files or more, else 1; not with causal verdicts)",
    },
    {
      flag: "--parallel-read",
      help:
        "with --workers n: the workers also read, map and order the log files, each its share (this thread one share), and this thread merges them; the same report",
    },
  ],
  examples: [
    "vigil replay --spec dist/lease.js --map lease-map.json logs/",
    "zcat app.ndjson.gz | vigil replay --spec specs/lease.vigil --map map.json --json -",
    "vigil replay --spec dist/lease.js --map lease-map.json --html report.html logs/",
  ],
  exitCodes: [[0, "no violation"], [1, "violations found"], [
    2,
    "usage error (an invalid mapping, a spec that cannot be loaded)",
  ]],
};

/** `vigil replay --help`. */
export const HELP: string = formatHelp(HELP_SPEC);

function count(text: string | undefined, flag: string, dflt: number): number {
  if (text === undefined) return dflt;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    throw new UsageError(`Flag '--${flag}': expected a positive integer, got '${text}'`);
  }
  return n;
}

/**
 * Reads and validates a mapping file.
 *
 * @throws {UsageError} When it cannot be read or is not a valid mapping.
 */
export async function loadMapping(path: string): Promise<Mapping> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new UsageError(`Cannot read mapping file '${path}'`);
  }
  try {
    return parseMapping(JSON.parse(text));
  } catch (e) {
    if (e instanceof SyntaxError) throw new UsageError(`Mapping file '${path}': ${e.message}`);
    if (e instanceof MappingError) throw new UsageError(`Mapping file '${path}': ${e.message}`);
    throw e;
  }
}

const LOG_FILE = /\.(ndjson|jsonl|json|log)(\.gz)?$/;

/** A Node readable as a web stream of bytes (Deno, Node and Bun all convert). */
function webStream(source: Readable): ReadableStream<Uint8Array<ArrayBuffer>> {
  return Readable.toWeb(source) as unknown as ReadableStream<Uint8Array<ArrayBuffer>>;
}

/** The name a log's lines are cited by: its path, or '(stdin)' for `-`. */
function logName(path: string): string {
  return path === "-" ? "(stdin)" : path;
}

/**
 * Opens a log (a path, `-` for standard input, `.gz` decompressed) as a replay source.
 *
 * @throws {UsageError} When the file cannot be read.
 */
export async function openLog(path: string): Promise<ReplaySource> {
  if (path === "-") return { name: logName(path), stream: webStream(process.stdin) };
  await checkLog(path);
  const stream = fileStream(path);
  return {
    name: logName(path),
    stream: path.endsWith(".gz") ? stream.pipeThrough(new DecompressionStream("gzip")) : stream,
  };
}

/** Bytes read from a log file at a time. */
const READ_CHUNK = 1 << 20;

/**
 * A file's bytes as a web stream read `READ_CHUNK` bytes at a time (about
 * a tenth of the CPU of a Node stream's 64 KiB chunks turned into a web
 * stream, measured on Deno and Node).
 */
function fileStream(path: string): ReadableStream<Uint8Array<ArrayBuffer>> {
  let file: FileHandle | null = null;
  return new ReadableStream<Uint8Array<ArrayBuffer>>({
    async pull(controller) {
      file ??= await open(path, "r");
      const chunk = new Uint8Array(READ_CHUNK);
      const { bytesRead } = await file.read(chunk, 0, READ_CHUNK, null);
      if (bytesRead === 0) {
        await file.close();
        file = null;
        controller.close();
      } else controller.enqueue(bytesRead === READ_CHUNK ? chunk : chunk.subarray(0, bytesRead));
    },
    async cancel() {
      await file?.close();
    },
  }, { highWaterMark: 0 });
}

/** Fails, with the reason, when a log cannot be opened (rather than mid-replay). */
async function checkLog(path: string): Promise<void> {
  try {
    await (await open(path, "r")).close();
  } catch (e) {
    throw new UsageError(`Cannot read log file '${path}': ${(e as Error).message}`);
  }
}

/** A worker module beside this one: `.ts` in the sources, `.js` in the npm package. */
function workerModule(name: string): URL {
  const ext = import.meta.url.endsWith(".js") ? "js" : "ts";
  const url = new URL(`./${name}.${ext}`, import.meta.url);
  if (url.protocol === "file:" && !existsSync(fileURLToPath(url))) {
    throw new UsageError(`Flag '--workers': the worker module '${fileURLToPath(url)}' is missing`);
  }
  return url;
}

/**
 * Buffers of records a checking worker may have unacknowledged before the
 * reader waits for it (256 KiB each: 8 MiB a worker). Enough to cover a
 * worker's start-up (its runtime, modules and specs: 0.1-0.2 s, in which
 * the reader maps some 150k lines) without the reader stalling.
 */
const IN_FLIGHT = 32;

/**
 * Replays in `threads` threads: this one reads, maps and merges every
 * line, and `threads - 1` worker threads check, each the keys of its shard
 * (`replayDispatched` sends each step to the worker of its key's shard);
 * or, with `parallelRead`, each worker also reads, maps and windows its
 * share of the log files (this thread one share too, and standard input),
 * and this thread merges the files' records, numbers the steps and sends
 * them (`replayRecords`). The workers' reports merge with the reading part
 * into the report one thread gives.
 *
 * The workers are started first and load the specs themselves, while
 * `specs` (this thread's) load: their start-up overlaps it.
 */
async function replayInWorkers(
  job: Omit<ReplayJob, "shard" | "read"> & { readonly windowMs: number; readonly mapPath: string },
  o: {
    /** Threads in all: this reading one and `threads - 1` checking workers (>= 2). */
    readonly threads: number;
    /** This thread's specs, loading. */
    readonly specs: Promise<readonly CompiledSpec[]>;
    readonly mapping: Mapping;
    /** The workers (and this thread) read the files, each its share; else this thread reads all. */
    readonly parallelRead: boolean;
  },
): Promise<ReplayReport> {
  // The names the lines are cited by (standard input's is '(stdin)').
  const files = job.files.map(logName);
  const url = workerModule("replay_worker");
  const t0 = performance.now();
  const n = o.threads - 1;
  const inFlight = new Array<number>(n).fill(0);
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const nudge = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  const queues = files.map(() => new RecordQueue());
  const fail = (e: Error) => {
    failure ??= e;
    for (const q of queues) q.fail(failure);
    nudge();
  };
  // The files are dealt in turn to the workers and this thread (which reads standard input).
  const here = files.map((_, i) => !o.parallelRead || job.files[i] === "-" || i % (n + 1) === n);
  const workers: Worker[] = [];
  const parts = Array.from(
    { length: n },
    (_, index) =>
      new Promise<ShardReport>((resolve, reject) => {
        const { windowMs, mapPath, ...rest } = job;
        const read = files.map((_, i) => i).filter((i) => !here[i] && i % (n + 1) === index);
        const worker = new Worker(url, {
          workerData: {
            ...rest,
            files,
            shard: { index, count: n },
            read: { files: read, mapPath, windowMs },
          } satisfies ReplayJob,
        });
        workers.push(worker);
        for (const i of read) {
          queues[i]!.onTaken = () => worker.postMessage({ read: i } satisfies ReplayWorkerInput);
        }
        let settled = false;
        const settle = (f: () => void) => {
          if (settled) return;
          settled = true;
          f();
          void worker.terminate();
          nudge();
        };
        const failed = (message: string) =>
          settle(() => {
            fail(new Error(`Replay worker ${index}: ${message}`));
            reject(failure);
          });
        worker.on("message", (reply: ReplayWorkerReply) => {
          if ("records" in reply) queues[reply.file]!.push(reply.records);
          else if ("ack" in reply) {
            inFlight[index]! -= reply.ack;
            nudge();
          } else if ("part" in reply) settle(() => resolve(reply.part));
          else failed(reply.error);
        });
        worker.on("error", (e: Error) => failed(e.message));
        worker.on("exit", (code: number) => failed(`exited with code ${code}`));
      }),
  );
  // A failure is rethrown by the merge's next wait; the others are not left unhandled.
  for (const p of parts) p.catch(() => {});
  try {
    const loaded = await o.specs;
    const specs = replaySpecs(loaded);
    const sources = await Promise.all(job.files.map(openLog));
    sources.forEach((source, i) => {
      if (!here[i]) void source.stream.cancel(); // read by a worker
    });
    const dispatch = {
      specs: loaded,
      mapping: o.mapping,
      maxListed: job.maxListed,
      globalChecks: job.globalChecks,
      workers: n,
      send: (index: number, records: ArrayBuffer) => {
        inFlight[index]!++;
        workers[index]!.postMessage(records, [records]);
      },
      drain: async () => {
        while (failure === null && inFlight.some((k) => k > IN_FLIGHT)) {
          await new Promise<void>((resolve) => wake = resolve);
        }
        if (failure !== null) throw failure;
      },
    };
    let head: ShardReport;
    if (o.parallelRead) {
      const extractor = new LineExtractor(o.mapping, specs, files);
      sources.forEach((source, i) => {
        if (here[i]) queues[i] = readInThread(source, i, { extractor, windowMs: job.windowMs });
      });
      head = await replayRecords(
        queues.map((q, i) => new FileRecordStream(i, specs, q)),
        { ...dispatch, specs, files },
      );
    } else head = await replayDispatched(sources, { ...dispatch, windowMs: job.windowMs });
    const checked = await Promise.all(parts);
    return mergeShardReports([head, ...checked], {
      files,
      maxListed: job.maxListed,
      seconds: (performance.now() - t0) / 1000,
    });
  } finally {
    // One failed, or all reported: none is left running.
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/**
 * Log bytes (all files together) from which `vigil replay` uses two threads
 * by default: below, a worker's start-up (its runtime, modules and specs,
 * about 0.1-0.2 CPU-s) costs about as much as the checking it takes off the
 * reading thread (measured on 2 cores, lease logs of 142 bytes a line: 41
 * to 61 MiB within noise of one thread, 82 MiB and more faster with two).
 */
export const THREADS_FROM_BYTES = 64 << 20;

/**
 * The threads `vigil replay` uses without `--workers`: two (this one
 * reads, a worker checks) where two cores are available, the logs are
 * files of {@link THREADS_FROM_BYTES} or more, and the checks can be split
 * by key (no causal verdicts); else one. Standard input, whose size is not
 * known, is read with one thread (`--workers 2` asks for two).
 *
 * @example Two cores and large files
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultThreads, THREADS_FROM_BYTES } from "./replay_command.ts";
 * const big = { cores: 2, bytes: THREADS_FROM_BYTES, stdin: false, causal: false };
 * assert.equal(defaultThreads(big), 2);
 * assert.equal(defaultThreads({ ...big, cores: 1 }), 1);
 * assert.equal(defaultThreads({ ...big, bytes: 1000 }), 1);
 * assert.equal(defaultThreads({ ...big, causal: true }), 1);
 * ```
 */
export function defaultThreads(o: {
  /** Cores this process may use. */
  readonly cores: number;
  /** Bytes of the log files. */
  readonly bytes: number;
  /** True when a log is standard input. */
  readonly stdin: boolean;
  /** True when the verdicts are causal (they cannot be split by key). */
  readonly causal: boolean;
}): number {
  return o.cores >= 2 && !o.causal && !o.stdin && o.bytes >= THREADS_FROM_BYTES ? 2 : 1;
}

/** Bytes of the files at `paths` (standard input, and a file that cannot be read, count none). */
async function logBytes(paths: readonly string[]): Promise<number> {
  let total = 0;
  for (const p of paths) {
    if (p !== "-") total += await stat(p).then((st) => st.size, () => 0);
  }
  return total;
}

/** Runs `vigil replay`; returns the process exit code. */
export async function replayCommand(args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, flagSpecOf(HELP_SPEC));
  if (flags.boolean.has("help")) {
    console.log(HELP);
    return 0;
  }
  const specPaths = flags.all.get("spec") ?? [];
  if (specPaths.length === 0) throw new UsageError("Expected at least one '--spec dist/<name>.js'");
  const mapPath = flags.string.get("map");
  if (mapPath === undefined) throw new UsageError("Expected '--map mapping.json'");
  if (flags.positional.length === 0) throw new UsageError("Expected at least one log file");
  const windowMs = durationFlag(flags, "window", { default: 500, allowZero: true });
  const maxListed = count(flags.string.get("max-listed"), "max-listed", 1000);
  const maxShown = count(flags.string.get("max-shown"), "max-shown", 20);
  const historySize = count(flags.string.get("history"), "history", 32);
  const htmlPath = flags.string.get("html");
  if (htmlPath === "") throw new UsageError("Flag '--html': expected a file name");
  const skewFlag = flags.string.get("max-skew");
  // Checked before anything is read; `off` and an absent flag are settled below.
  const skewGiven = skewFlag === undefined || skewFlag === "off"
    ? 500
    : durationFlag(flags, "max-skew", { default: 500, allowZero: true });
  const mapping = await loadMapping(mapPath);
  // Causal verdicts by default only when the logs say what ordered what: without any message,
  // handoffs closer than twice the bound could all be concurrent.
  const causal = mapping.mappings.some((m) => m.stamp ?? m.sends ?? m.receives);
  const maxSkew = skewFlag === "off" || (skewFlag === undefined && !causal) ? undefined : skewGiven;
  const workersFlag = flags.string.get("workers");
  const asked = workersFlag === undefined ? undefined : count(workersFlag, "workers", 1);
  const causalVerdicts = causal || maxSkew !== undefined;
  if (asked !== undefined && asked > 1 && causalVerdicts) {
    throw new UsageError(
      "Flag '--workers': causal verdicts (--max-skew, or a mapping that reads 'stamp', 'sends' or 'receives') need one worker: dependencies cross keys",
    );
  }
  const parallelRead = flags.boolean.has("parallel-read");
  if (parallelRead && (asked === undefined || asked < 2)) {
    throw new UsageError(
      "Flag '--parallel-read': needs '--workers n' with n >= 2 (with one worker every file is read in this thread)",
    );
  }
  const files = await expandPaths(flags.positional, { match: LOG_FILE, stdin: true });
  if (files.length === 0) throw new UsageError("No log files found");
  const threads = asked ?? defaultThreads({
    cores: os.availableParallelism?.() ?? os.cpus().length,
    bytes: await logBytes(files),
    stdin: files.includes("-"),
    causal: causalVerdicts,
  });
  const globalChecks = !flags.boolean.has("local-only");
  let report;
  try {
    if (threads > 1) {
      // The workers start (and load the specs themselves) while this thread loads them.
      const specs = loadSpecFiles(specPaths);
      specs.catch(() => {}); // awaited by replayInWorkers once its workers are started
      report = await replayInWorkers(
        { specPaths, files, windowMs, maxListed, historySize, globalChecks, mapPath },
        { threads, specs, mapping, parallelRead },
      );
    } else {
      const specs = await loadSpecFiles(specPaths);
      report = await replay(await Promise.all(files.map(openLog)), {
        specs,
        mapping,
        windowMs,
        maxListed,
        historySize,
        globalChecks,
        ...(maxSkew === undefined ? {} : { maxSkewMs: maxSkew }),
      });
    }
  } catch (e) {
    if (e instanceof MappingError) throw new UsageError(`Mapping file '${mapPath}': ${e.message}`);
    throw e;
  }
  if (htmlPath !== undefined) {
    try {
      await writeFile(htmlPath, replayReportHtml(report, { maxShown: maxListed }));
    } catch (e) {
      throw new UsageError(`Cannot write HTML report '${htmlPath}': ${(e as Error).message}`);
    }
  }
  if (flags.boolean.has("json")) console.log(JSON.stringify(report, null, 2));
  else console.log(formatReport(report, { maxShown }));
  return report.summary.violations > 0 ? 1 : 0;
}
