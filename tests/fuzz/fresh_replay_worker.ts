/**
 * The worker of `fresh_replay.ts`: replays one case and posts the failure's
 * kind and signature, or null.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { caseFromJson } from "./corpus.ts";
import { runSession } from "./ingest_fuzzer.ts";
import type { TargetKind } from "./targets.ts";

self.onmessage = async (e: MessageEvent<{ json: string; path: TargetKind }>) => {
  const c = caseFromJson(e.data.json);
  const r = await runSession(c.session, { path: e.data.path });
  self.postMessage(
    r.failure === null ? null : { kind: r.failure.kind, signature: r.failure.signature },
  );
};
