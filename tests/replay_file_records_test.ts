/**
 * Parallel reading for `vigil replay --workers n`: each file read, mapped
 * and windowed on its own into records (`edge/replay/file_reading.ts`),
 * the files' records merged, numbered and dispatched on one thread
 * (`edge/replay/record_merge.ts`), gives the report of one worker exactly,
 * on random lease logs fed in random chunks, with holes of keys and of
 * whole nodes and files near violations (whether a violation is
 * `incomplete` depends on when its key's holes are counted: per chunk, as
 * the single-threaded reader counts them), out-of-window lines, filtered
 * and blank lines, and observed states the spec cannot hold.
 */
import assert from "node:assert/strict";
import {
  mergeShardReports,
  parseMapping,
  replay,
  replayDispatched,
  ShardChecker,
} from "../edge/replay/mod.ts";
import type { ReplayReport, ReplaySource, ShardReport } from "../edge/replay/mod.ts";
import { LineExtractor } from "../edge/replay/extract.ts";
import { readInThread } from "../edge/replay/file_reading.ts";
import { FileRecordStream } from "../edge/replay/file_records.ts";
import { replayRecords } from "../edge/replay/record_merge.ts";
import { replaySpecs } from "../edge/replay/replay_spec.ts";
import type { CompiledSpec } from "../lib/abi/mod.ts";
import { LEASE_MAPPING, leaseSpec, type Line, ndjson } from "./replay_fixture.ts";
import { rng as random } from "../tools/harness/spec_mutations.ts";

const MAPPING = parseMapping(LEASE_MAPPING);
const WINDOW_MS = 200;

/** Three nodes' lease lines over a few locks, with every kind of finding and hole. */
function logs(seed: number, lines: number): Record<string, Line[]> {
  const rnd = random(seed);
  const names = ["c.ndjson", "a.ndjson", "b.ndjson"];
  const files: Record<string, Line[]> = Object.fromEntries(names.map((n) => [n, []]));
  const holder = new Map<string, number>();
  let t = 1_700_000_000_000;
  for (let i = 0; i < lines; i++) {
    t += Math.floor(rnd() * 25);
    const lock = `L${Math.floor(rnd() * 12)}`;
    const held = holder.get(lock);
    const double = rnd() < 0.02;
    const n = held === undefined || double ? Math.floor(rnd() * 3) : held;
    const event = held === undefined || double ? "acquire" : "release";
    if (event === "acquire") holder.set(lock, n);
    else holder.delete(lock);
    const file = names[n]!;
    const host = file[0]!;
    const back = rnd() < 0.02 ? Math.floor(rnd() * 600) : 0; // some beyond the window
    const r = rnd();
    const step = { ts: t - back, host, type: "transition", lock, event, args: { c: n + 1 } };
    if (r < 0.02) files[file]!.push({ ...step, event: "frobnicate" }); // a hole of the key
    else if (r < 0.03) files[file]!.push({ ...step, host: undefined }); // a hole of the file
    else if (r < 0.035) files[file]!.push(`{"ts":${t},"host":"${host}","lock":`); // of the file
    else if (r < 0.04) files[file]!.push({ ...step, args: {} }); // a hole of the node's key
    else if (r < 0.045) files[file]!.push({ ...step, state: { mode: "lost" } }); // unusable
    else if (r < 0.06) files[file]!.push({ ts: t, host, type: "gc" }); // filtered
    else if (r < 0.065) files[file]!.push("   ");
    else files[file]!.push(step);
  }
  // A clean lock with a hole: unknown, not ok.
  const quiet = { host: "a", type: "transition", lock: "Q", args: { c: 1 } };
  files["a.ndjson"]!.push({ ...quiet, ts: t + 1, event: "acquire" });
  files["a.ndjson"]!.push({ ...quiet, ts: t + 2, event: "frobnicate" });
  files["a.ndjson"]!.push({ ...quiet, ts: t + 3, event: "release" });
  return files;
}

/** The files as sources whose bytes come in random chunks (the same for the same seed). */
function chunked(files: Record<string, Line[]>, seed: number): ReplaySource[] {
  const rnd = random(seed);
  return Object.entries(files).map(([name, lines]) => {
    const bytes = new TextEncoder().encode(ndjson(lines));
    const chunks: Uint8Array[] = [];
    for (let at = 0; at < bytes.length;) {
      const n = 1 + Math.floor(rnd() * 600);
      chunks.push(bytes.slice(at, at + n));
      at += n;
    }
    return {
      name,
      stream: new ReadableStream<Uint8Array>({
        pull(c) {
          const next = chunks.shift();
          if (next === undefined) c.close();
          else c.enqueue(next);
        },
      }),
    };
  });
}

/** Checkers of `n` shards, fed in this thread; `parts()` their reports once done. */
function checkers(spec: CompiledSpec, files: readonly string[], n: number) {
  const all = Array.from({ length: n }, () =>
    new ShardChecker({
      specs: [spec],
      files,
      maxListed: 1000,
      historySize: 32,
      globalChecks: true,
    }));
  return {
    send: (w: number, records: ArrayBuffer) => void all[w]!.consume(records),
    parts: (): ShardReport[] => all.map((c) => c.report()),
  };
}

function untimed(r: ReplayReport): unknown {
  const { seconds: _s, linesPerSecond: _l, ...summary } = r.summary;
  return { ...r, summary };
}

Deno.test("Files read apart into records and merged give the report of one worker, on random chunked logs", async () => {
  const spec = await leaseSpec();
  let incomplete = 0;
  let complete = 0;
  let unusable = 0;
  let unknown = 0;
  for (let seed = 1; seed <= 6; seed++) {
    const files = logs(seed, 900);
    const names = Object.keys(files);
    const one = await replay(chunked(files, seed), {
      specs: [spec],
      mapping: MAPPING,
      windowMs: WINDOW_MS,
    });
    for (const workers of [1, 2, 3]) {
      // Today's path: one reading thread dispatching to the workers.
      const c1 = checkers(spec, names, workers);
      const head1 = await replayDispatched(chunked(files, seed), {
        specs: [spec],
        mapping: MAPPING,
        windowMs: WINDOW_MS,
        workers,
        send: c1.send,
      });
      const dispatched = mergeShardReports([head1, ...c1.parts()], {
        files: names,
        maxListed: 1000,
        seconds: 0,
      });
      // Each file read apart into its records, then merged.
      const specs = replaySpecs([spec]);
      const extractor = new LineExtractor(MAPPING, specs, names);
      const streams = chunked(files, seed).map((s, i) =>
        new FileRecordStream(i, specs, readInThread(s, i, { extractor, windowMs: WINDOW_MS }))
      );
      const c2 = checkers(spec, names, workers);
      const head2 = await replayRecords(streams, {
        specs,
        files: names,
        mapping: MAPPING,
        workers,
        send: c2.send,
      });
      const merged = mergeShardReports([head2, ...c2.parts()], {
        files: names,
        maxListed: 1000,
        seconds: 0,
      });
      assert.deepEqual(untimed(merged), untimed(dispatched), `seed ${seed}, ${workers} workers`);
      assert.deepEqual(untimed(merged), untimed(one), `seed ${seed}, ${workers} workers vs replay`);
    }
    incomplete += one.violations.filter((v) => v.incomplete).length;
    complete += one.violations.filter((v) => !v.incomplete).length;
    for (const [reason, n] of Object.entries(one.unmappedReasons)) {
      if (reason.startsWith("observed state")) unusable += n;
    }
    assert.ok(one.summary.outOfWindow > 0 && one.summary.filtered > 0 && one.summary.blank > 0);
    unknown += one.summary.partitionsUnknown;
    assert.ok(one.violations.some((v) => v.scope === "global"), `seed ${seed}: a global violation`);
  }
  // The logs put holes beside violations: some violations rest on one, some not.
  assert.ok(incomplete > 0 && complete > 0, `incomplete ${incomplete}, complete ${complete}`);
  assert.ok(unusable > 0, "observed states the spec cannot hold");
  assert.ok(unknown > 0, "partitions unknown (holes, no violation)");
});

Deno.test("A file's reading failure reaches the merge as an error", async () => {
  const spec = await leaseSpec();
  const specs = replaySpecs([spec]);
  const extractor = new LineExtractor(MAPPING, specs, ["a.ndjson"]);
  const broken: ReplaySource = {
    name: "a.ndjson",
    stream: new ReadableStream<Uint8Array>({
      pull(c) {
        c.error(new Error("disk gone"));
      },
    }),
  };
  const stream = new FileRecordStream(
    0,
    specs,
    readInThread(broken, 0, { extractor, windowMs: 1 }),
  );
  await assert.rejects(
    replayRecords([stream], {
      specs,
      files: ["a.ndjson"],
      mapping: MAPPING,
      workers: 1,
      send: () => {},
    }),
    /disk gone/,
  );
});
