/**
 * The ordered feed (`edge/replay/ordered_feed.ts`: ticks in merge order
 * applied as fed, not through the collector's reorder buffers) gives the
 * report of the buffered path exactly, on random lease logs with what makes
 * a tick go the buffered way: lines out of the window, nodes tied in time
 * whose files are not in node order, new keys and nodes arriving late, and
 * every kind of finding.
 */
import assert from "node:assert/strict";
import { parseMapping, replayShard } from "../edge/replay/mod.ts";
import type { ReplayReport } from "../edge/replay/mod.ts";
import { leaseSpec, type Line, source } from "./replay_fixture.ts";
import { rng as random } from "../tools/harness/spec_mutations.ts";
import { LEASE_LOG_MAPPING } from "../tools/harness/lease/logs.ts";

const MAPPING = LEASE_LOG_MAPPING;

/**
 * Files (not in node order) of random lease lines: locks handed over
 * between nodes, the next acquire often in the millisecond of the release
 * (`ties`: then merge order, node before node, decides whether the two
 * overlap), now and then an acquire of a held lock (`errors`: a double
 * hold, or a refused step when the holder acquires again), and `disorder`
 * the share of lines that go back in time (out of the window, some).
 */
function logs(seed: number, lines: number, o: { disorder: number; ties: number; errors: number }) {
  const rnd = random(seed);
  const files: Record<string, Line[]> = {
    "d.ndjson": [],
    "b.ndjson": [],
    "c.ndjson": [],
    "a.ndjson": [],
  };
  const names = Object.keys(files);
  const holder = new Map<string, number>();
  let t = 1_700_000_000_000;
  for (let i = 0; i < lines; i++) {
    if (rnd() >= o.ties) t += 1 + Math.floor(rnd() * 30);
    // New keys keep coming (a tick with a new key is buffered).
    const lock = `L${Math.floor(rnd() * (4 + Math.floor(i / 2000)))}`;
    const held = holder.get(lock);
    let n: number;
    let event: string;
    if (held === undefined || rnd() < o.errors) {
      n = Math.floor(rnd() * names.length);
      event = "acquire";
      holder.set(lock, n);
    } else {
      n = held;
      event = "release";
      holder.delete(lock);
    }
    const file = names[n]!;
    const host = file[0]!;
    const r = rnd();
    if (r < 0.005) {
      files[file]!.push(
        `{"ts":${t},"host":"${host}","type":"transition","lock":"${lock}","event":`,
      );
      continue;
    }
    if (r < 0.01) files[file]!.push({ ts: t, host, type: "gc", ms: 3 });
    const back = rnd() < o.disorder ? Math.floor(rnd() * 900) : 0;
    files[file]!.push({
      ts: t - back,
      host,
      type: "transition",
      lock,
      event,
      args: { c: n },
    });
  }
  return files;
}

async function run(files: Record<string, readonly Line[]>, ordered: boolean) {
  const out = await replayShard(
    Object.entries(files).map(([name, lines]) => source(name, lines)),
    { specs: [await leaseSpec()], mapping: parseMapping(MAPPING), windowMs: 200, ordered },
  );
  return out;
}

function withoutTiming(r: ReplayReport): unknown {
  const { seconds: _s, linesPerSecond: _l, ...summary } = r.summary;
  return { ...r, summary };
}

Deno.test("The ordered feed gives the buffered path's report on random lease logs", async () => {
  let direct = 0;
  let buffered = 0;
  const cases = [[1, 0, 0.001], [2, 0.0002, 0.01], [3, 0.002, 0.3], [4, 0.01, 0.6]] as const;
  for (const [seed, disorder, ties] of cases) {
    const files = logs(seed, 12_000, { disorder, ties, errors: 0.01 });
    const fed = await run(files, true);
    const reference = await run(files, false);
    assert.equal(reference.ticks?.direct, 0);
    assert.deepEqual(withoutTiming(fed.report), withoutTiming(reference.report), `seed ${seed}`);
    assert.deepEqual(fed.violationOrder, reference.violationOrder);
    // The logs must hold findings of each kind, or equal reports prove little.
    const kinds = fed.report.summary.byKind;
    assert.ok(
      (kinds["guard_failed"] ?? 0) > 0 && (kinds["invariant"] ?? 0) > 0,
      JSON.stringify(kinds),
    );
    assert.ok(fed.report.summary.unmapped > 0);
    direct += fed.ticks!.direct;
    buffered += fed.ticks!.buffered;
  }
  // Both ways were taken.
  assert.ok(direct > 10 && buffered > 10, `direct ${direct}, buffered ${buffered}`);
});
