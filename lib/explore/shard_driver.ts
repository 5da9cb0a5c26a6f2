/**
 * Driving a {@link Shard} asynchronously, so the coordinator
 * (`parallel.ts`) treats a shard in a Web Worker and one in this thread
 * alike: {@link ShardDriver}, the drivers of shards in this thread
 * ({@link inProcessDrivers}, for tests) and in a worker
 * ({@link workerDriver}), and the messages `lib/explore/worker.ts`
 * answers ({@link WorkerRequest}).
 *
 * @module
 */
import type { SharedBuffers } from "./shared_state_set.ts";
import { type ExpandResult, Shard, type ShardSetup, type ShardStats } from "./shard.ts";

/**
 * One shard, driven asynchronously (in a worker or in this thread).
 *
 * @example In-process drivers share one state set
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "../frontend.ts";
 * import { initialState } from "../interpreter/interpreter.ts";
 * import { buildMeta } from "../wasm/meta_build.ts";
 * import { buildCoreModule } from "../wasm/codegen/codegen.ts";
 * import { inProcessDrivers, type ShardDriver } from "./shard_driver.ts";
 * import { SharedStateSet } from "./shared_state_set.ts";
 * import { LevelSchedule } from "./level_schedule.ts";
 * const source = "spec C state n: 0..3 = 0 action inc require n < 3 n := n + 1";
 * const { program } = analyze(source);
 * const meta = buildMeta(program!, initialState(program!).state);
 * const wasm = buildCoreModule(program!, meta).wasm;
 * const drivers: ShardDriver[] = inProcessDrivers({ wasm, meta, program: program! }, 2);
 * const set = SharedStateSet.create(meta.stride / 4, { capacity: 64, parts: 2 });
 * const schedule = LevelSchedule.create(set);
 * const needs = await Promise.all(drivers.map((d) => d.attach(set.buffers, schedule.buffer)));
 * assert.equal(set.size, 1); // the initial state
 * assert.ok(needs.every((n) => n >= 1));
 * for (const d of drivers) d.close();
 * ```
 */
export interface ShardDriver {
  /**
   * Works on the shared set in `buffers` (first, and after it grew), in
   * the levels of the schedule in `schedule` (`LevelSchedule.buffer`);
   * resolves to the room the shard needs before it claims a chunk.
   */
  attach(buffers: SharedBuffers, schedule: SharedArrayBuffer): Promise<number>;
  /** Expands chunks of the current level while the set has room (see `Shard.expand`). */
  expand(level: number, budget: number): Promise<ExpandResult>;
  /**
   * Runs levels without the coordinator, meeting the other shards at the
   * barrier between levels (see `Shard.run`); absent when the shards
   * cannot block (several in one thread).
   */
  readonly run?: (budget: number, maxDepth: number) => Promise<ExpandResult>;
  /** The shard's counters. */
  stats(): Promise<ShardStats>;
  /** Releases the shard (terminates its worker). */
  close(): void;
}

/**
 * Drivers that run `parts` shards in the calling thread (for tests and
 * for comparing with the worker version); a single one also runs levels
 * on its own (`run`), several are driven level by level.
 *
 * @example Explore with three in-process shards
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "../frontend.ts";
 * import { initialState } from "../interpreter/interpreter.ts";
 * import { buildMeta } from "../wasm/meta_build.ts";
 * import { buildCoreModule } from "../wasm/codegen/codegen.ts";
 * import { exploreShards } from "./parallel.ts";
 * import { inProcessDrivers } from "./shard_driver.ts";
 * const { program } = analyze("spec C state n: 0..3 = 0 action inc require n < 3 n := n + 1");
 * const meta = buildMeta(program!, initialState(program!).state);
 * const wasm = buildCoreModule(program!, meta).wasm;
 * const drivers = inProcessDrivers({ wasm, meta, program: program! }, 3);
 * const report = await exploreShards(program!, meta, drivers);
 * assert.ok(report.distinctStates === 4 && report.deadlockCount === 1 && report.complete);
 * ```
 */
export function inProcessDrivers(
  setup: Omit<ShardSetup, "part" | "parts">,
  parts: number,
): ShardDriver[] {
  return Array.from({ length: parts }, (_, part) => {
    const p = new Shard({ ...setup, part, parts });
    return {
      attach: (buffers, schedule) => {
        p.attach(buffers, schedule);
        return Promise.resolve(p.chunkStates);
      },
      expand: (level, budget) => Promise.resolve(p.expand(level, budget)),
      ...(parts === 1
        ? { run: (budget: number, maxDepth: number) => Promise.resolve(p.run(budget, maxDepth)) }
        : {}),
      stats: () => Promise.resolve(p.stats()),
      close: () => {},
    };
  });
}

type DistributiveOmitId<T> = T extends unknown ? Omit<T, "id"> : never;

/**
 * The messages `lib/explore/worker.ts` answers: `{ id, op, args }` -> `{ id, result }` or `{ id, error }`.
 *
 * @example The setup message a worker gets first
 * ```ts
 * import assert from "node:assert/strict";
 * import type { WorkerRequest } from "./shard_driver.ts";
 * const requests: WorkerRequest[] = [{ id: 0, op: "expand", args: [0, Infinity] }, { id: 1, op: "stats" }];
 * assert.deepEqual(requests.map((r) => r.op), ["expand", "stats"]);
 * ```
 */
export type WorkerRequest =
  | { readonly id: number; readonly op: "setup"; readonly args: ShardSetup }
  | {
    readonly id: number;
    readonly op: "attach";
    readonly args: readonly [SharedBuffers, SharedArrayBuffer];
  }
  | { readonly id: number; readonly op: "expand"; readonly args: [number, number] }
  | { readonly id: number; readonly op: "run"; readonly args: [number, number] }
  | { readonly id: number; readonly op: "stats" };

/**
 * Drives a shard living in `worker` (already running `lib/explore/worker.ts`).
 *
 * @example Shards in workers
 * ```ts ignore
 * import { workerDriver } from "./shard_driver.ts";
 * const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
 * const driver = workerDriver(worker, { wasm, meta, program, part: 0, parts: 2 });
 * ```
 */
export function workerDriver(worker: Worker, setup: ShardSetup): ShardDriver {
  let next = 0;
  const pending = new Map<number, { ok: (v: unknown) => void; fail: (e: Error) => void }>();
  worker.onmessage = (e: MessageEvent<{ id: number; result?: unknown; error?: string }>) => {
    const p = pending.get(e.data.id);
    pending.delete(e.data.id);
    if (e.data.error !== undefined) p?.fail(new Error(e.data.error));
    else p?.ok(e.data.result);
  };
  const call = <T>(msg: DistributiveOmitId<WorkerRequest>): Promise<T> =>
    new Promise<T>((ok, fail) => {
      const id = next++;
      pending.set(id, { ok: ok as (v: unknown) => void, fail });
      worker.postMessage({ ...msg, id });
    });
  const ready = call<void>({ op: "setup", args: setup });
  return {
    attach: (buffers, schedule) =>
      ready.then(() => call({ op: "attach", args: [buffers, schedule] })),
    expand: (level, budget) => call({ op: "expand", args: [level, budget] }),
    run: (budget, maxDepth) => call({ op: "run", args: [budget, maxDepth] }),
    stats: () => call({ op: "stats" }),
    close: () => worker.terminate(),
  };
}
