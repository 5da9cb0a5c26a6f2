/**
 * A watchdog for fuzz runs: an input that never returns blocks the event
 * loop, so no timer of the fuzzing thread can report it. The fuzzer bumps a
 * shared heartbeat before every step (with the session seed, path and step);
 * a worker watching it prints where the run is stuck and ends the process
 * when the heartbeat stops for `hangMs`.
 *
 * @module
 */
import type { TargetKind } from "./targets.ts";

const PATHS: readonly TargetKind[] = ["inprocess", "app", "serve"];

/** The fuzzing thread's side of a watchdog. */
export interface Watchdog {
  /** Records progress: about to run `step` of the session seeded `seed` on `path`. */
  beat(seed: number, path: TargetKind, step: number): void;
  /** Stops watching. */
  stop(): void;
}

/**
 * Starts a watchdog worker ending the process after `hangMs` without a beat.
 *
 * @example Watch a run
 * ```ts ignore
 * const dog = startWatchdog(60_000);
 * dog.beat(seed, "inprocess", 0);
 * dog.stop();
 * ```
 */
export function startWatchdog(hangMs: number): Watchdog {
  // [beats, seed, path, step]
  const shared = new Int32Array(new SharedArrayBuffer(16));
  const worker = new Worker(new URL("./watchdog_worker.ts", import.meta.url), { type: "module" });
  worker.postMessage({ shared, hangMs, paths: PATHS });
  return {
    beat(seed, path, step) {
      Atomics.store(shared, 1, seed | 0);
      Atomics.store(shared, 2, PATHS.indexOf(path));
      Atomics.store(shared, 3, step);
      Atomics.add(shared, 0, 1);
    },
    stop: () => worker.terminate(),
  };
}
