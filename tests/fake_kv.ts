/**
 * Test helper: an in-memory stand-in for Deno KV as the stores use it
 * (`Kv`, `lib/ports/kv.ts`), for tests that run without KV enabled. Keys
 * list in Deno KV order within one part type (numbers numerically, strings
 * by code unit); versionstamps count writes.
 *
 * @module
 */
import type { Kv, KvAtomic, KvCheck, KvEntryMaybe, KvKey, KvListEntry } from "../lib/ports/kv.ts";

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
export class FakeKv implements Kv {
  readonly #data = new Map<string, { key: KvKey; value: unknown; versionstamp: string }>();
  sets = 0;

  get(key: KvKey): Promise<KvEntryMaybe> {
    const e = this.#data.get(id(key));
    return Promise.resolve(e ?? { value: null, versionstamp: null });
  }

  async *list(selector: { readonly prefix: KvKey }): AsyncIterable<KvListEntry> {
    const { prefix } = selector;
    const hits = [...this.#data.values()]
      .filter((e) =>
        e.key.length > prefix.length && prefix.every((p, i) => comparePart(p, e.key[i]!) === 0)
      )
      .sort((a, b) => compareKeys(a.key, b.key));
    for (const e of hits) yield { key: e.key, value: e.value };
  }

  /** Writes one key (for tests that plant entries). */
  set(key: KvKey, value: unknown): Promise<{ readonly ok: boolean }> {
    return this.atomic().set(key, value).commit();
  }

  atomic(): KvAtomic {
    const checks: KvCheck[] = [];
    const ops: [KvKey, unknown][] = [];
    const op: KvAtomic = {
      check: (...cs) => (checks.push(...cs), op),
      set: (key, value) => (ops.push([key, value]), op),
      delete: (key) => (ops.push([key, undefined]), op),
      commit: () => {
        const stamp = (key: KvKey) => this.#data.get(id(key))?.versionstamp ?? null;
        if (!checks.every((c) => stamp(c.key) === c.versionstamp)) {
          return Promise.resolve({ ok: false });
        }
        for (const [key, value] of ops) {
          if (value === undefined) {
            this.#data.delete(id(key));
            continue;
          }
          this.sets++;
          this.#data.set(id(key), {
            key,
            value: structuredClone(value),
            versionstamp: `${this.sets}`,
          });
        }
        return Promise.resolve({ ok: true });
      },
    };
    return op;
  }
}
