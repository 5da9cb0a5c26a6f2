/**
 * Replays a corpus case in a fresh module graph (a worker): state that
 * outlives a collector (module-level decoder buffers) cannot make a
 * minimised case fail only after the sessions run before it. Run as a
 * worker by {@link replayFresh}.
 *
 * @module
 */
import type { TargetKind } from "./targets.ts";

/** What a fresh replay found: the failure's kind and signature, or null. */
export type FreshResult = { readonly kind: string; readonly signature: string } | null;

/**
 * Replays a case (JSON text) through `path` in a new worker.
 *
 * @example Check a minimised case
 * ```ts ignore
 * const found = await replayFresh(caseToJson(c), "inprocess");
 * ```
 */
export function replayFresh(json: string, path: TargetKind): Promise<FreshResult> {
  const worker = new Worker(new URL("./fresh_replay_worker.ts", import.meta.url), {
    type: "module",
  });
  return new Promise<FreshResult>((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<FreshResult>) => resolve(e.data);
    worker.onerror = (e) => {
      e.preventDefault();
      reject(new Error(`Fresh replay failed: ${e.message}`));
    };
    worker.postMessage({ json, path });
  }).finally(() => worker.terminate());
}
