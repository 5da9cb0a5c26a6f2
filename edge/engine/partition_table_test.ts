import assert from "node:assert/strict";
import { loadCompiled } from "../../lib/abi/loader.ts";
import { Partition } from "./partition.ts";
import { PartitionTable } from "./partition_table.ts";
import { ServedSpec } from "./served_spec.ts";
import { rng } from "../../tools/harness/spec_mutations.ts";

const lease = await loadCompiled(new URL("../../dist/lease.js", import.meta.url));
const UTF8 = new TextEncoder();
const options = { historySize: 4, cutEvents: 2, initialParticipants: 1 };

/** Looks `key` up by its bytes inside a larger buffer (as a batch holds it). */
function lookUp(table: PartitionTable, key: string): Partition | undefined {
  const bytes = UTF8.encode(`["${key}"]`);
  return table.cached(bytes, 2, bytes.length - 4);
}

Deno.test("PartitionTable key cache: never a wrong partition, and the two keys cached last always hit", () => {
  for (const seed of [1, 2, 3]) {
    const next = rng(seed);
    const table = new PartitionTable(new ServedSpec(lease));
    // ASCII and non-ASCII keys (the cache compares bytes with the key's codes, or its UTF-8).
    const parts = Array.from({ length: 3000 }, (_, i) => {
      const key = next() < 0.2 ? `clé:${i}` : `lock:${i}`;
      const p = new Partition(table.served, key, options);
      table.add(p);
      return p;
    });
    let last: Partition | null = null;
    for (let step = 0; step < 20_000; step++) {
      const p = parts[Math.floor(next() * parts.length)]!;
      table.cache(p);
      // The last two cached hit even when they share a set (a direct-mapped cache misses one).
      assert.equal(lookUp(table, p.key), p, `step ${step}: last cached ${p.key}`);
      if (last !== null && last !== p) {
        assert.equal(lookUp(table, last.key), last, `step ${step}: cached before ${last.key}`);
      }
      last = p;
      if (step % 2000 === 0) {
        for (const q of parts) {
          const got = lookUp(table, q.key);
          assert.ok(got === undefined || got === q, `step ${step}: ${q.key} found ${got?.key}`);
        }
      }
    }
  }
});

Deno.test("PartitionTable key cache holds all 512 keys of the ingest bench's workload at once", () => {
  const table = new PartitionTable(new ServedSpec(lease));
  const parts: Partition[] = [];
  for (let n = 0; n < 8; n++) {
    for (let k = 0; k < 64; k++) {
      const p = new Partition(table.served, `p0:${n}:${k}`, options);
      table.add(p);
      table.cache(p);
      parts.push(p);
    }
  }
  const missed = parts.filter((p) => lookUp(table, p.key) !== p).map((p) => p.key);
  assert.deepEqual(missed, []);
});
