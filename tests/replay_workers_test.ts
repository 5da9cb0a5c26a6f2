import assert from "node:assert/strict";
import { shardOf } from "../edge/replay/mod.ts";
import type { ReplayReport } from "../edge/replay/mod.ts";
import { LEASE_MAPPING, leaseBindings, replayArgs, vigil, withLogFiles } from "./replay_fixture.ts";

const NODES = ["api-1", "api-2", "api-3", "api-4"];
const LOCKS = 24;

/** The mapping of the generated logs (with the log's own sequence numbers). */
const MAPPING = { ...LEASE_MAPPING, state: "after", seq: "n" };

/** A small deterministic generator (LCG), so the logs are the same on every run. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/**
 * Four nodes' lease logs over 24 locks with every kind of finding: locks
 * handed over in turn, and now and then a second holder (OneHolder), a
 * refused release, an observed state that differs (divergence), a holder
 * that never releases (HolderReleases, SomeoneCanAcquire), lines that
 * cannot be mapped (with and without a key, or with an observed state the
 * spec cannot hold), filtered and blank lines,
 * lines displaced beyond the window, and a gap in one node's sequence
 * numbers (a hole of the whole node).
 */
function multiPartitionLogs(): Record<string, string[]> {
  const rnd = random(15);
  const out: Record<string, { ts: number; text: string }[]> = {};
  for (const n of NODES) out[n] = [];
  const line = (node: string, ts: number, fields: Record<string, unknown>) =>
    out[node]!.push({ ts, text: JSON.stringify({ ts, host: node, ...fields }) });
  const step = (
    node: string,
    ts: number,
    lock: string,
    event: string,
    c: number,
    after?: unknown,
  ) =>
    line(node, ts, {
      type: "transition",
      lock,
      event,
      args: { c },
      ...(after === undefined ? {} : { after }),
    });
  const base = 1_700_000_000_000;
  for (let lock = 0; lock < LOCKS; lock++) {
    const key = `lock:${lock}`;
    let t = base + lock * 7;
    for (let round = 0; round < 12; round++) {
      const holder = NODES[(lock + round) % NODES.length]!;
      const c = 1 + ((lock + round) % 3);
      const r = rnd();
      step(holder, t, key, "acquire", c, r < 0.1 ? { mode: "held", owner: c } : undefined);
      if (r < 0.06) {
        // A second node takes the lock while it is held.
        const other = NODES[(lock + round + 1) % NODES.length]!;
        step(other, t + 20, key, "acquire", c === 3 ? 1 : c + 1);
        step(other, t + 40, key, "release", c === 3 ? 1 : c + 1);
      } else if (r < 0.1) {
        step(holder, t + 30, key, "release", c === 3 ? 1 : c + 1); // the wrong client: refused
      } else if (r < 0.13) {
        // The log says someone else owns it: a divergence.
        step(holder, t + 25, key, "release", c, { mode: "free", owner: c === 3 ? 1 : c + 1 });
        step(holder, t + 26, key, "acquire", c);
      }
      if (lock === 5 && round === 11) break; // held to the end: liveness timeouts
      step(holder, t + 50, key, "release", c);
      t += r < 0.04 ? 45_000 : 100; // some rounds come back after HolderReleases' bound
      if (r < 0.04) step(holder, t - 44_000, key, "acquire", c); // held 44 s: late release
      if (r < 0.04) step(holder, t - 10, key, "release", c);
    }
  }
  for (let i = 0; i < 40; i++) {
    const node = NODES[i % NODES.length]!;
    const ts = base + Math.floor(rnd() * 1_300_000);
    const lock = `lock:${Math.floor(rnd() * LOCKS)}`;
    const kind = i % 6;
    if (kind === 0) line(node, ts, { type: "info", msg: "gc" });
    else if (kind === 1) {
      line(node, ts, { type: "transition", lock, event: "frobnicate", args: {} });
    } else if (kind === 2) line(node, ts, { type: "transition", event: "acquire", args: { c: 1 } });
    else if (kind === 3) {
      line(node, ts, { type: "transition", lock, event: "acquire", args: { c: 9 } });
    } else if (kind === 4) {
      out[node]!.push({ ts, text: `{"ts":${ts},"host":"${node}","type":"transition",` });
    } else {
      // An observed state the spec cannot hold: unmapped, and not numbered in any shard.
      const after = { mode: "lost" };
      line(node, ts, { type: "transition", lock, event: "release", args: { c: 1 }, after });
    }
  }
  const files: Record<string, string[]> = {};
  for (const n of NODES) {
    const ls = out[n]!.sort((a, b) => a.ts - b.ts);
    // Every 53rd line goes 3 s later in the file: beyond the 1 s window.
    for (let i = 40; i + 30 < ls.length; i += 53) ls.splice(i + 30, 0, ls.splice(i, 1)[0]!);
    let seq = 0;
    files[`${n}.ndjson`] = ls.map((l, i) => {
      if (n === "api-3" && i === 200) seq += 2; // two lines of api-3 missing
      const o = JSON.parse(l.text.endsWith(",") ? "{}" : l.text);
      if (l.text.endsWith(",")) return l.text; // invalid JSON stays invalid
      return i % 61 === 7
        ? `\n${JSON.stringify({ ...o, n: seq++ })}`
        : JSON.stringify({ ...o, n: seq++ });
    });
  }
  return files;
}

/** The report without its timing (the only part that may differ between runs). */
function untimed(text: string): unknown {
  const r = JSON.parse(text) as { summary: Record<string, unknown> };
  delete r.summary.seconds;
  delete r.summary.linesPerSecond;
  return r;
}

/** `vigil replay` of `inputs` in `dir` with a 1 s window, as JSON, on `workers` workers and `extra` flags. */
function workersArgs(
  spec: string,
  dir: string,
  inputs: readonly string[],
): (workers: number, extra?: string[]) => string[] {
  return (workers, extra = []) =>
    replayArgs(spec, dir, [
      "--window",
      "1s",
      "--json",
      "--workers",
      String(workers),
      ...extra,
      ...inputs,
    ]);
}

function withLogs(run: (dir: string, files: string[]) => Promise<void>): Promise<void> {
  return withLogFiles(MAPPING, multiPartitionLogs(), run);
}

Deno.test("vigil replay --workers 3 and 2, reading in one thread or in parallel (--parallel-read), give the report of --workers 1 on a multi-partition log with violations", async () => {
  const spec = await leaseBindings();
  await withLogs(async (dir, files) => {
    const args = workersArgs(spec, dir, files);
    const one = await vigil(args(1));
    assert.equal(one.code, 1, one.stderr);
    const report = JSON.parse(one.stdout) as ReplayReport;
    const s = report.summary;
    // The log has every kind of finding, in keys of every shard: otherwise the comparison proves little.
    assert.ok((s.byKind.invariant ?? 0) > 0, JSON.stringify(s.byKind));
    assert.ok((s.byKind.guard_failed ?? 0) > 0, JSON.stringify(s.byKind));
    assert.ok((s.byKind.divergence ?? 0) > 0, JSON.stringify(s.byKind));
    assert.ok((s.byKind.liveness_timeout ?? 0) > 0, JSON.stringify(s.byKind));
    assert.ok(report.violations.some((v) => v.scope === "global"));
    assert.ok(
      s.unmapped > 0 && s.filtered > 0 && s.blank > 0 && s.outOfWindow > 0,
      JSON.stringify(s),
    );
    assert.ok(s.sequenceGaps > 0 && report.violations.some((v) => v.incomplete), JSON.stringify(s));
    assert.ok(Object.keys(report.unmappedReasons).some((r) => r.startsWith("observed state")));
    const shards = new Set(report.violations.map((v) => shardOf(v.key, 3)));
    assert.deepEqual([...shards].sort(), [0, 1, 2]);
    for (
      const [workers, extra] of [[3, []], [2, []], [3, ["--parallel-read"]], [2, [
        "--parallel-read",
      ]]] as const
    ) {
      const many = await vigil(args(workers, [...extra]));
      assert.equal(many.code, 1, many.stderr);
      assert.deepEqual(untimed(many.stdout), untimed(one.stdout), `--workers ${workers} ${extra}`);
    }
    // With few listed, each list keeps the same first items of the canonical order.
    const few1 = await vigil(args(1, ["--max-listed", "4"]));
    const few3 = await vigil(args(3, ["--max-listed", "4"]));
    assert.equal((JSON.parse(few1.stdout) as ReplayReport).violations.length, 4);
    assert.deepEqual(untimed(few3.stdout), untimed(few1.stdout));
  });
});

Deno.test("vigil replay --workers 2 reads standard input once and reports as --workers 1", async () => {
  const spec = await leaseBindings();
  await withLogs(async (dir, files) => {
    const stdin = (await Promise.all(files.map((f) => Deno.readTextFile(f)))).join("");
    const args = workersArgs(spec, dir, ["-"]);
    const one = await vigil(args(1), { stdin });
    assert.equal(one.code, 1, one.stderr);
    for (const extra of [[], ["--parallel-read"]]) {
      const two = await vigil(args(2, extra), { stdin });
      assert.equal(two.code, 1, two.stderr);
      const report = JSON.parse(two.stdout) as ReplayReport;
      assert.ok(report.summary.events > 0 && report.summary.violations > 0);
      assert.equal(report.unmapped[0]?.file, "(stdin)");
      assert.deepEqual(untimed(two.stdout), untimed(one.stdout), `${extra}`);
    }
  });
});

Deno.test("vigil replay --workers refuses causal verdicts with exit code 2", async () => {
  const spec = await leaseBindings();
  await withLogs(async (dir, files) => {
    const causal = await vigil(
      replayArgs(spec, dir, ["--max-skew", "200ms", "--workers", "2", ...files]),
    );
    assert.equal(causal.code, 2);
    assert.match(causal.stderr, /causal verdicts .* need one worker/);
  });
});

Deno.test("vigil replay --parallel-read without two workers or more is a usage error, not ignored", async () => {
  const spec = await leaseBindings();
  await withLogs(async (dir, files) => {
    for (const workers of [[], ["--workers", "1"]]) {
      const r = await vigil(replayArgs(spec, dir, ["--parallel-read", ...workers, ...files]));
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /'--parallel-read': needs '--workers n' with n >= 2/);
    }
  });
});
