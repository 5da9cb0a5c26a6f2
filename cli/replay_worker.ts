/**
 * One checking worker thread of `vigil replay --workers n`
 * (`node:worker_threads`, so it runs on Deno, Node and Bun): loads the
 * specs, then checks the steps of its shard of the keys as the main
 * thread's reader sends them (buffers of records,
 * `edge/replay/shard_records.ts`), acknowledging each buffer so the reader
 * keeps a bounded number in flight, and posts back its report for the
 * main thread to merge.
 *
 * @module
 */
import { parentPort, workerData } from "node:worker_threads";
import { type ReplayShard, ShardChecker, type ShardReport } from "../edge/replay/mod.ts";
import { loadSpecFiles } from "./spec_files.ts";

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
}

/**
 * A worker's message: a buffer of records checked (`ack`), its shard's
 * report, or why it failed.
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
export async function shardChecker(job: ReplayJob): Promise<ShardChecker> {
  const specs = await loadSpecFiles(job.specPaths, { log: () => {} });
  return new ShardChecker({
    specs,
    files: job.files,
    maxListed: job.maxListed,
    historySize: job.historySize,
    globalChecks: job.globalChecks,
  });
}

const port = parentPort;
if (port !== null && port !== undefined) {
  const fail = (e: unknown) =>
    port.postMessage({ error: (e as Error).message ?? String(e) } satisfies ReplayWorkerReply);
  // Buffers that come while the specs load wait here, in order.
  const waiting: ArrayBuffer[] = [];
  let checker: ShardChecker | null = null;
  let failed = false;
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
  port.on("message", (records: ArrayBuffer) => {
    if (checker === null) waiting.push(records);
    else take(records);
  });
  shardChecker(workerData as ReplayJob).then((c) => {
    checker = c;
    for (const records of waiting.splice(0)) take(records);
  }, (e) => {
    failed = true;
    fail(e);
  });
}
