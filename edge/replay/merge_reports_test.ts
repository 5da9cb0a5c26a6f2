import assert from "node:assert/strict";
import { loadCompiled } from "../../lib/abi/loader.ts";
import { parseMapping } from "./mapping.ts";
import { mergeShardReports } from "./merge_reports.ts";
import { replayShard } from "./replay.ts";
import type { ReplayReport } from "./report_types.ts";
import { shardOf } from "./shard.ts";
import { LEASE_LOG_MAPPING } from "../../tools/harness/lease/logs.ts";

const MAPPING = parseMapping(LEASE_LOG_MAPPING);
const NODES = ["a", "b", "c"];

/**
 * Three nodes' logs over nine locks handed over in turn; lock 3 and lock 7
 * get a second holder (OneHolder), lock 5 a refused release, and there are
 * unmapped lines with and without a key and a filtered one.
 */
function logs(): Record<string, string[]> {
  const out: Record<string, string[]> = { a: [], b: [], c: [] };
  const step = (n: string, ts: number, lock: number, event: string, c: number) =>
    out[n]!.push(
      JSON.stringify({ ts, host: n, type: "transition", lock: `L${lock}`, event, args: { c } }),
    );
  for (let lock = 0; lock < 9; lock++) {
    for (let round = 0; round < 4; round++) {
      const t = 1000 + round * 100 + lock;
      const n = NODES[(lock + round) % 3]!;
      step(n, t, lock, "acquire", 1);
      if ((lock === 3 || lock === 7) && round === 2) {
        step(NODES[(lock + round + 1) % 3]!, t + 10, lock, "acquire", 2);
        step(NODES[(lock + round + 1) % 3]!, t + 30, lock, "release", 2);
      }
      if (lock === 5 && round === 1) step(n, t + 20, lock, "release", 3);
      step(n, t + 50, lock, "release", 1);
    }
  }
  out.a!.push('{"ts":2000,"host":"a","type":"transition","lock":"L4","event":"explode","args":{}}');
  out.b!.push('{"ts":2000,"host":"b","type":"transition",');
  out.c!.push('{"ts":2000,"host":"c","type":"info"}');
  for (const n of NODES) {
    out[n]!.sort((x, y) =>
      JSON.parse(x.endsWith(",") ? "{}" : x).ts - JSON.parse(y.endsWith(",") ? "{}" : y).ts
    );
  }
  return out;
}

async function shardReports(count: number, maxListed: number) {
  const files = Object.entries(logs());
  const parts = [];
  for (let index = 0; index < count; index++) {
    const spec = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
    const sources = files.map(([n, lines]) => ({
      name: `${n}.ndjson`,
      stream: new Blob([lines.join("\n")]).stream(),
    }));
    const shard = { index, count };
    parts.push(
      await replayShard(sources, {
        specs: [spec],
        mapping: MAPPING,
        windowMs: 100,
        maxListed,
        shard,
      }),
    );
  }
  return { parts, files: files.map(([n]) => `${n}.ndjson`) };
}

async function shards(count: number, maxListed: number) {
  const { parts, files } = await shardReports(count, maxListed);
  return mergeShardReports(parts, { files, maxListed, seconds: 1 });
}

function untimed(r: ReplayReport): unknown {
  return { ...r, summary: { ...r.summary, seconds: 0, linesPerSecond: 0 } };
}

Deno.test("Three shards' reports merge into the report of one, violations in canonical order", async () => {
  const one = await shards(1, 1000);
  assert.deepEqual(one.summary.byKind, { guard_failed: 1, invariant: 2 });
  assert.equal(one.summary.unmapped, 2);
  // The violating keys fall in different shards, so the merge has work to do.
  assert.ok(new Set(one.violations.map((v) => shardOf(v.key, 3))).size > 1);
  const three = await shards(3, 1000);
  assert.deepEqual(untimed(three), untimed(one));
  // Local before global on the same line; otherwise by the merged position of the line.
  const at = one.violations.map((v) => `${v.key}:${v.scope}`);
  assert.deepEqual(at, ["L5:local", "L3:global", "L7:global"]);
});

Deno.test("With maxListed 1 each list keeps the first item of the canonical order whatever the shards", async () => {
  const one = await shards(1, 1);
  const three = await shards(3, 1);
  assert.equal(one.violations.length, 1);
  assert.equal(one.unmapped.length, 1);
  assert.equal(one.summary.violations, 3);
  assert.deepEqual(untimed(three), untimed(one));
});

Deno.test("mergeShardReports refuses an empty list and a file it was not told of", async () => {
  assert.throws(
    () => mergeShardReports([], { files: [], maxListed: 1, seconds: 0 }),
    /No shard report/,
  );
  const { parts } = await shardReports(1, 10);
  assert.throws(
    () => mergeShardReports(parts, { files: ["other.ndjson"], maxListed: 10, seconds: 0 }),
    /Shard report names file 'a\.ndjson' not replayed/,
  );
});
