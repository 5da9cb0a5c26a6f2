/**
 * A JSON value in a KV key changed by read-modify-write with
 * compare-and-set (the alert ledger's `routed.<cluster>.<p>`, `alert_ledger.ts`,
 * and the old layout's record of held alerts handed over, `handover.<cluster>.<p>`,
 * `handover_store.ts`), each read and write bounded in time.
 *
 * @module
 */
import type { KV } from "@nats-io/kv";

const enc = new TextEncoder();

/**
 * `what`, or a rejection `no answer within <ms> ms` once `ms` passed.
 *
 * @example A read that answers in time
 * ```ts
 * import assert from "node:assert/strict";
 * import { within } from "./kv_json.ts";
 * assert.equal(await within(Promise.resolve(3), 1_000), 3);
 * await assert.rejects(within(new Promise(() => {}), 5), /no answer within 5 ms/);
 * ```
 */
export function within<T>(what: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    what,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Reads the JSON object at `key` (`{}` when absent or deleted), lets
 * `change` edit it in place, and writes it back by compare-and-set on the
 * revision read (`create` when absent); a write refused because another
 * came first is tried again from a fresh read, up to 10 times. `change`
 * returns false to write nothing. Each read and write is bounded by
 * `timeoutMs`.
 *
 * @example Add an entry to a map kept in a key
 * ```ts ignore
 * await updateJson<Record<string, string>>(kv, "routed.vigil.3", (m) => {
 *   m["a:lock:1"] = "done";
 *   return true;
 * }, 5_000);
 * ```
 */
export async function updateJson<T extends object>(
  kv: KV,
  key: string,
  change: (value: T) => boolean,
  timeoutMs: number,
): Promise<void> {
  for (let attempt = 0;; attempt++) {
    const e = await within(kv.get(key), timeoutMs);
    const live = e !== null && e.operation === "PUT";
    const value = (live ? e.json<T>() : {}) as T;
    if (!change(value)) return;
    const bytes = enc.encode(JSON.stringify(value));
    try {
      if (e === null) await within(kv.create(key, bytes), timeoutMs);
      else await within(kv.update(key, bytes, e.revision), timeoutMs);
      return;
    } catch (err) {
      const text = `${(err as Error)?.message ?? ""}`;
      if (!/wrong last sequence|key exists/i.test(text) || attempt >= 10) throw err;
    }
  }
}

/**
 * Reads the JSON object at `key`, `{}` when absent or deleted (bounded by `timeoutMs`).
 *
 * @example Read the held alerts handed over for partition 3
 * ```ts ignore
 * const entries = await readJson<Record<string, unknown>>(kv, "handover.vigil.3", 5_000);
 * ```
 */
export async function readJson<T extends object>(
  kv: KV,
  key: string,
  timeoutMs: number,
): Promise<T> {
  const e = await within(kv.get(key), timeoutMs);
  return (e !== null && e.operation === "PUT" ? e.json<T>() : {}) as T;
}

/**
 * Removes the entries `ids` from the JSON map at `key` ({@link updateJson}; nothing is written
 * when none is there).
 *
 * @example Forget two ledger ids a save covers
 * ```ts ignore
 * await removeEntries(kv, "routed.vigil.3", ["a:lock:1:1", "a:lock:1:2"], 5_000);
 * ```
 */
export function removeEntries(
  kv: KV,
  key: string,
  ids: Iterable<string>,
  timeoutMs: number,
): Promise<void> {
  // Taken once: the update runs again on a compare-and-set conflict, and a one-shot iterable (a
  // generator) would be used up by then.
  const list = [...ids];
  return updateJson<Record<string, unknown>>(kv, key, (entries) => {
    let changed = false;
    for (const id of list) {
      if (id in entries) {
        delete entries[id];
        changed = true;
      }
    }
    return changed;
  }, timeoutMs);
}
