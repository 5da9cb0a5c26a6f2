/**
 * The partition contract both ends share (`lib/wire/subjects.ts`) and the
 * SDK's partitioned batcher (`runtime/batcher/partitioned.ts`):
 * - `partitionOf` is the 32-bit FNV-1a of the key's UTF-8 bytes modulo n:
 *   fixed vectors (computed with an independent Python implementation, and
 *   the published FNV-1a test value of "a"), and a cross-check of random
 *   keys (ASCII and not) against Python run now;
 * - the partitioned batcher sends each key's events to one partition's
 *   transport, on that partition's subject, numbering each partition's
 *   stream from 0 without gaps; monitors push into it as scalars, each
 *   key on its partition's stream.
 */
import assert from "node:assert/strict";
import {
  MAX_PARTITIONS,
  partitionBoot,
  partitionFilter,
  partitionOf,
  partitionSubject,
} from "../lib/wire/subjects.ts";
import { decodeBatch } from "../lib/wire/decode.ts";
import type { DecodedBatch } from "../lib/wire/event.ts";
import { createPartitionedBatcher } from "../runtime/batcher/partitioned.ts";
import { memoryTransport } from "../runtime/transports/memory.ts";
import { transportSubject } from "../runtime/transports/nats.ts";
import { loadSpec } from "../runtime/monitor/load_spec.ts";
import { createNode } from "../runtime/monitor/node.ts";
import { ROOT } from "../tools/harness/spec_files.ts";

Deno.test("partitionOf matches fixed FNV-1a vectors computed independently", () => {
  // (key, n, FNV-1a 32 of the UTF-8 bytes, partition) from a Python implementation;
  // FNV-1a("a") = 0xe40c292c is the published test value.
  const vectors: [string, number, number][] = [
    ["", 16, 5],
    ["a", 16, 12],
    ["lock:a", 16, 11],
    ["lock:orders", 16, 9],
    ["lock:0:17", 4, 2],
    ["\u00e9", 7, 2],
    ["user/42", 1000, 113],
  ];
  for (const [key, n, p] of vectors) assert.equal(partitionOf(key, n), p, `key '${key}' n ${n}`);
  assert.equal(0xe40c292c % 16, 12);
  assert.equal(partitionOf("anything", 1), 0);
});

Deno.test("partitionOf agrees with Python's FNV-1a on random keys, ASCII and not", async () => {
  const keys: string[] = [];
  for (let i = 0; i < 300; i++) {
    const len = 1 + Math.floor(Math.random() * 24);
    let k = "";
    for (let j = 0; j < len; j++) {
      const r = Math.random();
      k += r < 0.7
        ? String.fromCharCode(33 + Math.floor(Math.random() * 94))
        : r < 0.9
        ? String.fromCharCode(0xa1 + Math.floor(Math.random() * 0x700))
        : "\u{1F600}";
    }
    keys.push(k);
  }
  const script = [
    "import json,sys",
    "def fnv(s):",
    "  h=0x811c9dc5",
    "  for b in s.encode('utf-8'):",
    "    h^=b; h=(h*0x01000193)&0xffffffff",
    "  return h",
    "keys=json.load(sys.stdin)",
    "print(json.dumps([[fnv(k)%n for n in (1,2,3,16,97,4096)] for k in keys]))",
  ].join("\n");
  const child = new Deno.Command("python3", {
    args: ["-c", script],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(JSON.stringify(keys)));
  await writer.close();
  const out = await child.output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  const expected = JSON.parse(new TextDecoder().decode(out.stdout)) as number[][];
  const actual = keys.map((k) => [1, 2, 3, 16, 97, 4096].map((n) => partitionOf(k, n)));
  assert.deepEqual(actual, expected);
});

Deno.test("partition subjects, filters and boots name the partition; bad counts are refused", () => {
  const stream = { spec: "ab12", specName: "my.Lease" };
  assert.equal(partitionSubject(stream, 0), "vigil.events.my_Lease.0");
  assert.equal(partitionFilter(15), "vigil.events.*.15");
  assert.equal(partitionBoot("b-1", 15), "b-1~p15");
  assert.throws(() => partitionOf("k", 0), /from 1 to 4096, got '0'/);
  assert.throws(() => partitionOf("k", MAX_PARTITIONS + 1), RangeError);
  assert.throws(() => partitionOf("k", 1.5), RangeError);
  assert.throws(() => partitionSubject(stream, MAX_PARTITIONS), /from 0 to 4095/);
  assert.throws(() => partitionFilter(-1), RangeError);
  assert.throws(() => createPartitionedBatcher(() => memoryTransport(), { partitions: 0 }), {
    name: "RangeError",
    message: /Option 'partitions' must be an integer from 1 to 4096, got '0'/,
  });
  assert.throws(() => transportSubject({ partition: 4096 }), RangeError);
});

Deno.test("Partitioned batcher numbers each partition's stream from 0 without gaps, on its subject", async () => {
  const n = 8;
  const got: { p: number; subject: string; batch: DecodedBatch }[] = [];
  const batcher = createPartitionedBatcher((p) => {
    const t = memoryTransport();
    const subject = transportSubject({ partition: p });
    t.subscribe((bytes, meta) =>
      void got.push({ p, subject: subject(meta), batch: decodeBatch(bytes) })
    );
    return t;
  }, { partitions: n, maxEvents: 7, maxDelayMs: 5 });
  const base = { spec: "ab", specName: "Lease", node: "n1", boot: "b1", logical: 0, action: 0 };
  const keys = Array.from({ length: 40 }, (_, i) => `lock:${i}`);
  const pushed = new Map<string, number>();
  for (let i = 0; i < 500; i++) {
    const key = keys[(i * 7919) % keys.length]!;
    pushed.set(key, (pushed.get(key) ?? 0) + 1);
    batcher.push({
      ...base,
      key,
      wall: 1_000 + i,
      args: [i],
      state: new Uint8Array(4),
      verdict: 0,
    });
  }
  await batcher.close();
  assert.equal(batcher.stats().pushed, 500);
  assert.equal(batcher.stats().sent, 500);
  const seen = new Map<string, number>();
  for (let p = 0; p < n; p++) {
    const mine = got.filter((g) => g.p === p).sort((a, b) => a.batch.firstSeq - b.batch.firstSeq);
    let next = 0;
    for (const { subject, batch } of mine) {
      assert.equal(subject, `vigil.events.Lease.${p}`);
      assert.equal(batch.boot, `b1~p${p}`);
      assert.equal(batch.node, "n1");
      assert.equal(batch.firstSeq, next, `partition ${p} has no gap`);
      next += batch.events.length;
      for (const e of batch.events) {
        assert.equal(partitionOf(e.key, n), p);
        seen.set(e.key, (seen.get(e.key) ?? 0) + 1);
      }
    }
    assert.equal(next, batcher.partitionStats(p).sent);
  }
  assert.deepEqual(new Map([...seen].sort()), new Map([...pushed].sort()));
});

Deno.test("Monitors push into the partitioned batcher as scalars, each key on its partition's stream", async () => {
  const lease = await loadSpec(`${ROOT}dist/lease.core.wasm`);
  const collect = () => {
    const out: DecodedBatch[] = [];
    const b = createPartitionedBatcher((_p) => {
      const t = memoryTransport();
      t.subscribe((bytes) => void out.push(decodeBatch(bytes)));
      return t;
    }, { partitions: 4 });
    return { out, b };
  };
  const scalar = collect();
  const node = createNode({ id: "api-1", boot: "b7" });
  for (const key of ["lock:a", "lock:b", "lock:c", "lock:a"]) {
    const m = lease.monitor({ node, key, sink: scalar.b, mode: "observe" });
    m.step("acquire", { c: 1 });
    m.step("release", { c: 1 });
  }
  await scalar.b.close();
  const byKey = (batches: DecodedBatch[]) =>
    batches.flatMap((b) => b.events.map((e) => `${b.boot} ${e.key} ${e.action} ${e.args}`)).sort();
  const lines = byKey(scalar.out);
  assert.equal(lines.length, 8);
  for (const line of lines) {
    const [boot, key] = line.split(" ");
    assert.equal(boot, `b7~p${partitionOf(key!, 4)}`);
  }
  assert.throws(() => scalar.b.push({} as never), /closed/);
});
