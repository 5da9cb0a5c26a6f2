/**
 * Test helper: an in-memory stand-in for the subset of Deno KV the
 * collector store uses (`Deno.openKv` needs `--unstable-kv`, which
 * `deno task test` does not pass). Keys list in Deno KV order within one
 * part type (numbers numerically, strings by code unit).
 *
 * @module
 */
import type { KvAtomic, KvHandle, KvKey } from "../edge/store/kv_store.ts";

type Part = KvKey[number];

function comparePart(a: Part, b: Part): number {
  const rank = (p: Part) =>
    p instanceof Uint8Array ? 0 : typeof p === "string" ? 1 : typeof p === "number" ? 2 : 3;
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (typeof a === "number" && typeof b === "number") return a - b;
  const x = String(a), y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function compareKeys(a: KvKey, b: KvKey): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = comparePart(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

const id = (key: KvKey) => JSON.stringify(key.map((p) => [typeof p, String(p)]));

/** An in-memory KV; `sets` counts committed writes. */
export class FakeKv implements KvHandle {
  readonly #data = new Map<string, { key: KvKey; value: unknown }>();
  sets = 0;

  get<T>(key: KvKey): Promise<{ readonly value: T | null }> {
    return Promise.resolve({ value: (this.#data.get(id(key))?.value ?? null) as T | null });
  }

  async *list<T>(selector: { readonly prefix: KvKey }): AsyncIterable<{ key: KvKey; value: T }> {
    const { prefix } = selector;
    const hits = [...this.#data.values()]
      .filter((e) =>
        e.key.length > prefix.length && prefix.every((p, i) => comparePart(p, e.key[i]!) === 0)
      )
      .sort((a, b) => compareKeys(a.key, b.key));
    for (const e of hits) yield { key: e.key, value: e.value as T };
  }

  /** Writes one key (for tests that plant entries). */
  set(key: KvKey, value: unknown): Promise<{ readonly ok: boolean }> {
    return this.atomic().set(key, value).commit();
  }

  delete(key: KvKey): Promise<void> {
    this.#data.delete(id(key));
    return Promise.resolve();
  }

  atomic(): KvAtomic {
    const ops: [KvKey, unknown][] = [];
    const op: KvAtomic = {
      set: (key, value) => (ops.push([key, value]), op),
      delete: (key) => (ops.push([key, undefined]), op),
      commit: () => {
        for (const [key, value] of ops) {
          if (value === undefined) {
            this.#data.delete(id(key));
            continue;
          }
          this.#data.set(id(key), { key, value: structuredClone(value) });
          this.sets++;
        }
        return Promise.resolve({ ok: true });
      },
    };
    return op;
  }
}
