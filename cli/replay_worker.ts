/**
 * One worker thread of `vigil replay --workers n` (`node:worker_threads`,
 * so it runs on Deno, Node and Bun): loads the specs, then
 *
 * - reads its share of the log files, each to its end and each on its own
 *   (`edge/replay/file_reading.ts`: split, mapped, windowed), posting each
 *   file's records (`edge/replay/file_records.ts`) to the main thread,
 *   which merges the files; a file's reading pauses while a bounded number
 *   of its buffers are not acknowledged (the other files go on);
 * - checks the steps of its shard of the keys as the main thread sends
 *   them (buffers of records, `edge/replay/shard_records.ts`),
 *   acknowledging each buffer so the main thread keeps a bounded number in
 *   flight, and posts back its report for the main thread to merge.
 *
 * @module
 */
import { parentPort, workerData } from "node:worker_threads";
import { type ReplayShard, ShardChecker, type ShardReport } from "../edge/replay/mod.ts";
import { LineExtractor } from "../edge/replay/extract.ts";
import { readFileRecords } from "../edge/replay/file_reading.ts";
import { replaySpecs } from "../edge/replay/replay_spec.ts";
import type { CompiledSpec } from "../lib/abi/mod.ts";
import { loadSpecFiles } from "./spec_files.ts";
import { loadMapping, openLog } from "./replay_command.ts";

/**
 * What a worker is given.
 *
 * @example The first of two workers
 * ```ts
 * import assert from "node:assert/strict";
 * import type { ReplayJob } from "./replay_worker.ts";
 * const job: ReplayJob = {
 *   specPaths: ["dist/lease.js"],
 *   files: ["logs/api-1.ndjson"],
 *   maxListed: 1000,
 *   historySize: 32,
 *   globalChecks: true,
 *   shard: { index: 0, count: 2 },
 * };
 * assert.equal(job.shard.count, 2);
 * ```
 */
export interface ReplayJob {
  /** The `--spec` paths (loaded again in the worker). */
  readonly specPaths: readonly string[];
  /** The log files, in order (their names, for the lines cited). */
  readonly files: readonly string[];
  readonly maxListed: number;
  readonly historySize: number;
  readonly globalChecks: boolean;
  /** This worker's keys. */
  readonly shard: ReplayShard;
  /** The files this worker reads (indices into `files`), with the mapping and the window; none: it only checks. */
  readonly read?: {
    readonly files: readonly number[];
    readonly mapPath: string;
    readonly windowMs: number;
  };
}

/**
 * A worker's message: a buffer of records checked (`ack`), records of a
 * file it reads, its shard's report, or why it failed.
 *
 * @example A failure
 * ```ts
 * import assert from "node:assert/strict";
 * import type { ReplayWorkerReply } from "./replay_worker.ts";
 * const reply: ReplayWorkerReply = { error: "Cannot read spec 'dist/lease.js'" };
 * assert.ok("error" in reply);
 * ```
 */
export type ReplayWorkerReply =
  | { readonly ack: number }
  | { readonly file: number; readonly records: ArrayBuffer }
  | { readonly part: ShardReport }
  | { readonly error: string };

/**
 * The checker of one shard, with the job's specs loaded.
 *
 * @example One shard of one
 * ```ts ignore
 * const checker = await shardChecker({ ...job, shard: { index: 0, count: 1 } });
 * for (const records of buffers) checker.consume(records);
 * console.log(checker.report().report.summary.events);
 * ```
 */
export async function shardChecker(
  job: ReplayJob,
  loaded?: readonly CompiledSpec[],
): Promise<ShardChecker> {
  const specs = loaded ?? await loadSpecFiles(job.specPaths, { log: () => {} });
  return new ShardChecker({
    specs,
    files: job.files,
    maxListed: job.maxListed,
    historySize: job.historySize,
    globalChecks: job.globalChecks,
  });
}

/**
 * What the main thread sends a worker: a buffer of records to check, or
 * the acknowledgement of a buffer of file `read` it merged.
 */
export type ReplayWorkerInput = ArrayBuffer | { readonly read: number };

/** Buffers of one file posted and not acknowledged before its reading pauses. */
export const READ_IN_FLIGHT = 8;

/** Reads the job's files, posting their records; a file's reading pauses while it is too far ahead. */
async function readFiles(
  job: ReplayJob,
  specs: readonly CompiledSpec[],
  post: (reply: ReplayWorkerReply, transfer: ArrayBuffer[]) => void,
  acks: { onAck: ((file: number) => void) | null },
): Promise<void> {
  const read = job.read;
  if (read === undefined || read.files.length === 0) return;
  const inFlight = new Map<number, number>();
  const waiting = new Map<number, () => void>();
  acks.onAck = (file) => {
    inFlight.set(file, (inFlight.get(file) ?? 0) - 1);
    const w = waiting.get(file);
    waiting.delete(file);
    w?.();
  };
  const extractor = new LineExtractor(
    await loadMapping(read.mapPath),
    replaySpecs(specs),
    job.files,
  );
  await Promise.all(read.files.map(async (index) => {
    inFlight.set(index, 0);
    await readFileRecords(await openLog(job.files[index]!), index, {
      extractor,
      windowMs: read.windowMs,
      send: (records) => {
        inFlight.set(index, inFlight.get(index)! + 1);
        post({ file: index, records }, [records]);
      },
      drain: async () => {
        while (inFlight.get(index)! > READ_IN_FLIGHT) {
          await new Promise<void>((resolve) => waiting.set(index, resolve));
        }
      },
    });
  }));
}

const port = parentPort;
if (port !== null && port !== undefined) {
  const fail = (e: unknown) =>
    port.postMessage({ error: (e as Error).message ?? String(e) } satisfies ReplayWorkerReply);
  // Buffers that come while the specs load wait here, in order.
  const waiting: ArrayBuffer[] = [];
  let checker: ShardChecker | null = null;
  let failed = false;
  const acks: { onAck: ((file: number) => void) | null } = { onAck: null };
  const take = (records: ArrayBuffer) => {
    if (failed) return;
    try {
      const done = checker!.consume(records);
      port.postMessage({ ack: 1 } satisfies ReplayWorkerReply);
      if (done) port.postMessage({ part: checker!.report() } satisfies ReplayWorkerReply);
    } catch (e) {
      failed = true;
      fail(e);
    }
  };
  port.on("message", (m: ReplayWorkerInput) => {
    if (!(m instanceof ArrayBuffer)) acks.onAck?.(m.read);
    else if (checker === null) waiting.push(m);
    else take(m);
  });
  const job = workerData as ReplayJob;
  loadSpecFiles(job.specPaths, { log: () => {} }).then(async (specs) => {
    checker = await shardChecker(job, specs);
    for (const records of waiting.splice(0)) take(records);
    await readFiles(job, specs, (reply, transfer) => port.postMessage(reply, transfer), acks);
  }).catch((e) => {
    failed = true;
    fail(e);
  });
}
