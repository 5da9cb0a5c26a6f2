import assert from "node:assert/strict";
import type { KV } from "@nats-io/kv";
import { removeEntries } from "./kv_json.ts";

/**
 * A KV of one key whose first `conflicts` updates fail as a compare-and-set
 * conflict does (another writer updated the key in between).
 */
function conflictingKv(value: Record<string, unknown>, conflicts: number) {
  let revision = 1;
  let bytes: Uint8Array = new TextEncoder().encode(JSON.stringify(value));
  let left = conflicts;
  const kv = {
    get: () =>
      Promise.resolve({
        operation: "PUT",
        revision,
        json: () => JSON.parse(new TextDecoder().decode(bytes)),
      }),
    update: (_key: string, next: Uint8Array, at: number) => {
      if (left-- > 0 || at !== revision) {
        return Promise.reject(new Error("wrong last sequence: 2"));
      }
      bytes = next;
      revision++;
      return Promise.resolve(revision);
    },
    create: () => Promise.reject(new Error("key exists")),
  };
  return {
    kv: kv as unknown as KV,
    read: () => JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>,
  };
}

Deno.test("removeEntries removes every id even when its write is retried after a conflict and the ids came from a one-shot iterable", async () => {
  const store = conflictingKv({ a: 1, b: 2, c: 3 }, 2);
  function* ids() {
    yield "a";
    yield "c";
  }
  await removeEntries(store.kv, "k", ids(), 1_000);
  assert.deepEqual(store.read(), { b: 2 });
});
