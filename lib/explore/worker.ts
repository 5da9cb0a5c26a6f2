/**
 * The Web Worker entry of `vigil check --workers N`: holds one
 * {@link Shard} of the exploration and answers the coordinator's
 * requests (`lib/explore/parallel.ts`, {@link WorkerRequest}).
 *
 * @module
 */
import { Shard } from "./shard.ts";
import type { WorkerRequest } from "./shard_driver.ts";

/**
 * The worker's global scope, as much of it as this module uses: typed here
 * rather than through a runtime's worker lib, so the module compiles for
 * every runtime that runs it (Deno, Bun; the npm package ships it).
 */
const scope = globalThis as unknown as {
  onmessage: ((e: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: unknown): void;
};

let shard: Shard | null = null;

function run(msg: WorkerRequest): unknown {
  if (msg.op === "setup") {
    shard = new Shard(msg.args);
    return null;
  }
  const p = shard;
  if (p === null) throw new Error("The shard is not set up");
  switch (msg.op) {
    case "attach":
      p.attach(msg.args[0], msg.args[1]);
      return p.chunkStates;
    case "expand":
      return p.expand(msg.args[0], msg.args[1]);
    case "run":
      return p.run(msg.args[0], msg.args[1]);
    case "stats":
      return p.stats();
  }
}

scope.onmessage = (e: MessageEvent<WorkerRequest>) => {
  try {
    scope.postMessage({ id: e.data.id, result: run(e.data) });
  } catch (err) {
    scope.postMessage({ id: e.data.id, error: err instanceof Error ? err.message : String(err) });
  }
};
