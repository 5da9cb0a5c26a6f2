/**
 * Test helpers for the hand-over's tests (`alert_handover_test.ts`,
 * `handover_store_test.ts`): a state bucket without NATS, and violations
 * of one key. Not part of the public API.
 *
 * @module
 */
import type { KV } from "@nats-io/kv";
import type { Violation } from "../engine/types.ts";
import type { HandoverBucket } from "./handover_store.ts";

/** A stand-in state bucket and what the tests look at. */
export interface FakeBucket extends HandoverBucket {
  /** The keys and their values, with revisions. */
  readonly values: Map<string, { revision: number; bytes: Uint8Array }>;
  /** Gets so far. */
  reads(): number;
  /** Listings so far. */
  listings(): number;
  /** Makes every request fail with `message` (null: answer again). */
  fail(message: string | null): void;
}

/**
 * A KV key store with revisions (get, create and update by compare-and-set), keys listed by a
 * subject filter whose last token may be `*` or `>`, and erase.
 */
export function fakeBucket(): FakeBucket {
  const values = new Map<string, { revision: number; bytes: Uint8Array }>();
  let seq = 0;
  let reads = 0;
  let listings = 0;
  let failing: string | null = null;
  const check = () => {
    if (failing !== null) throw new Error(failing);
  };
  const entry = (key: string) => {
    const v = values.get(key);
    if (v === undefined) return null;
    return {
      key,
      revision: v.revision,
      operation: "PUT",
      json: () => JSON.parse(new TextDecoder().decode(v.bytes)),
    };
  };
  const kv = {
    get: (key: string) => {
      reads++;
      return Promise.resolve().then(() => (check(), entry(key)));
    },
    create(key: string, bytes: Uint8Array) {
      return Promise.resolve().then(() => {
        check();
        if (values.has(key)) throw new Error("wrong last sequence: key exists");
        values.set(key, { revision: ++seq, bytes });
        return seq;
      });
    },
    update(key: string, bytes: Uint8Array, revision: number) {
      return Promise.resolve().then(() => {
        check();
        if (values.get(key)?.revision !== revision) throw new Error("wrong last sequence");
        values.set(key, { revision: ++seq, bytes });
        return seq;
      });
    },
  } as unknown as KV;
  const matches = (filter: string, key: string) => {
    const f = filter.split(".");
    const k = key.split(".");
    for (let i = 0; i < f.length; i++) {
      if (f[i] === ">") return k.length > i;
      if (k[i] === undefined || (f[i] !== "*" && f[i] !== k[i])) return false;
    }
    return k.length === f.length;
  };
  return {
    kv,
    values,
    reads: () => reads,
    listings: () => listings,
    fail: (message) => void (failing = message),
    keys(filter) {
      listings++;
      return Promise.resolve().then(() => {
        check();
        return [...values.keys()].filter((k) => matches(filter, k));
      });
    },
    erase(key) {
      return Promise.resolve().then(() => {
        check();
        values.delete(key);
      });
    },
  };
}

/** Violation `n` of the key `lock:1` of spec `abc`, its last event at seq `wall`. */
export const violation = (n: number, wall: number, extra: Partial<Violation> = {}): Violation =>
  ({
    id: `abc:lock:1:${n}`,
    kind: "invariant",
    spec: "abc",
    specName: "Lease",
    partition: "lock:1",
    property: { item: "global invariant", name: "OneHolder", code: 1, line: 3, column: 3 },
    at: { wall, logical: 0 },
    history: [{ node: "api-1", boot: "b1", seq: wall, wall, logical: 0 }],
    message: `OneHolder violated ${n}`,
    ...extra,
  }) as unknown as Violation;
