/**
 * One worker thread of `vigil replay --workers n` (`node:worker_threads`,
 * so it runs on Deno, Node and Bun): loads the specs and the mapping,
 * replays every log with its shard of the keys (`edge/replay/shard.ts`) and
 * posts back its report for the main thread to merge.
 *
 * @module
 */
import { parentPort, workerData } from "node:worker_threads";
import { type ReplayShard, replayShard, type ShardReport } from "../edge/replay/mod.ts";
import { loadMapping, openLog } from "./replay_command.ts";
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
 *   mapPath: "lease-map.json",
 *   files: ["logs/api-1.ndjson"],
 *   windowMs: 500,
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
  /** The `--map` path. */
  readonly mapPath: string;
  /** The log files, in order (no standard input). */
  readonly files: readonly string[];
  readonly windowMs: number;
  readonly maxListed: number;
  readonly historySize: number;
  readonly globalChecks: boolean;
  /** This worker's keys. */
  readonly shard: ReplayShard;
}

/**
 * A worker's answer: its shard's report, or why it failed.
 *
 * @example A failure
 * ```ts
 * import assert from "node:assert/strict";
 * import type { ReplayWorkerReply } from "./replay_worker.ts";
 * const reply: ReplayWorkerReply = { error: "Cannot read log file 'a.ndjson'" };
 * assert.ok("error" in reply);
 * ```
 */
export type ReplayWorkerReply = { readonly part: ShardReport } | { readonly error: string };

/**
 * Runs one shard of a replay in this thread.
 *
 * @example One shard of one
 * ```ts ignore
 * const part = await runReplayJob({ ...job, shard: { index: 0, count: 1 } });
 * console.log(part.report.summary.events);
 * ```
 */
export async function runReplayJob(job: ReplayJob): Promise<ShardReport> {
  const specs = await loadSpecFiles(job.specPaths, { log: () => {} });
  const mapping = await loadMapping(job.mapPath);
  const sources = await Promise.all(job.files.map(openLog));
  return await replayShard(sources, {
    specs,
    mapping,
    windowMs: job.windowMs,
    maxListed: job.maxListed,
    historySize: job.historySize,
    globalChecks: job.globalChecks,
    shard: job.shard,
  });
}

const port = parentPort;
if (port !== null && port !== undefined) {
  runReplayJob(workerData as ReplayJob).then(
    (part) => port.postMessage({ part } satisfies ReplayWorkerReply),
    (e) =>
      port.postMessage({ error: (e as Error).message ?? String(e) } satisfies ReplayWorkerReply),
  );
}
