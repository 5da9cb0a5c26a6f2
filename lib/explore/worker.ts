/**
 * The Web Worker entry of `vigil check --workers N`: holds one
 * {@link Shard} of the exploration and answers the coordinator's
 * requests (`lib/explore/parallel.ts`, {@link WorkerRequest}).
 *
 * @module
 */
import { Shard } from "./shard.ts";
import type { WorkerRequest } from "./parallel.ts";

/**
 * The worker's global scope, as much of it as this module uses: typed here
 * rather than through a runtime's worker lib, so the module compiles for
 * every runtime that runs it (Deno, Bun; the npm package ships it).
 */
const scope = globalThis as unknown as {
  onmessage: ((e: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: unknown, transfer?: Transferable[]): void;
};

let shard: Shard | null = null;

function run(msg: WorkerRequest): { result: unknown; transfer: Transferable[] } {
  if (msg.op === "setup") {
    shard = new Shard(msg.args);
    return { result: null, transfer: [] };
  }
  const p = shard;
  if (p === null) throw new Error("The shard is not set up");
  switch (msg.op) {
    case "expand": {
      const batches = p.expand();
      return { result: batches, transfer: batches.map((b) => b.buffer as ArrayBuffer) };
    }
    case "absorb":
      return { result: p.absorb(msg.args[0], msg.args[1]), transfer: [] };
    case "node":
      return { result: p.node(msg.args), transfer: [] };
    case "stats":
      return { result: p.stats(), transfer: [] };
  }
}

scope.onmessage = (e: MessageEvent<WorkerRequest>) => {
  try {
    const { result, transfer } = run(e.data);
    scope.postMessage({ id: e.data.id, result }, transfer);
  } catch (err) {
    scope.postMessage({ id: e.data.id, error: err instanceof Error ? err.message : String(err) });
  }
};
