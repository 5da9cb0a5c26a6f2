/**
 * The demo's injected split brain is one episode, so the collector raises
 * one alert for it (issue 13):
 * - the lock server counts both racing grants: the lock is free again only
 *   once both racers released it, and the next grant passes on both
 *   releases (before, a racer releasing first freed the lock while the other
 *   still worked, and only the freeing release was passed on);
 * - in process, the embedded cluster and the demo's collector, with the
 *   racing holds lasting past the collector's raise point (as on a starved
 *   machine, where the demo at a tenth of a core raised two `possibly`
 *   alerts): one alert naming the two racers; with the demo's own race work
 *   the holds end before it and the alert is `definitely`.
 */
import assert from "node:assert/strict";
import { createClock, formatStamp, specFromCompiled } from "../mod.ts";
import { createCollector, createCollectorService, type Violation } from "../edge/mod.ts";
import { LockServer } from "../cli/demo/lock.ts";
import { startEmbeddedCluster } from "../cli/demo/sim.ts";
import { DEMO_MAX_SKEW_MS, DEMO_WINDOW_MS, RACE_LOCK, raceWorkMs } from "../cli/demo/cluster.ts";
import { compiledLease } from "../tools/harness/collector_app_fixture.ts";
import { waitFor } from "../tools/harness/wait.ts";

Deno.test("demo lock server: a raced lock is free once both racers released; the next grant passes on both releases", () => {
  const server = new LockServer({ clock: createClock({ now: () => 1_000 }), random: () => 0 });
  const lock = "lock:x";
  let wall = 2_000;
  const stamp = (node: string) => formatStamp({ wall: wall++, logical: 0, node });
  const acquire = (client: number) =>
    server.handle({ op: "acquire", lock, client, stamp: stamp(`c${client}`) });
  const release = (client: number, token: number) => {
    const s = stamp(`c${client}`);
    server.handle({ op: "release", lock, client, token, stamp: s });
    return s;
  };

  const first = acquire(1);
  assert.deepEqual([first.ok, first.token, first.after], [true, 1, []], "a lock's first grant");
  const r1 = release(1, 1);
  server.injectRace(lock);
  const a = acquire(2);
  assert.deepEqual([a.ok, a.after], [true, [r1]], "a handoff passes on the release");
  const b = acquire(3);
  assert.deepEqual([b.ok, b.after], [true, []], "the race's second grant follows no release");
  assert.equal(acquire(1).ok, false);

  // The second racer lets go first: the first still holds the lock.
  const rb = release(3, b.token);
  assert.equal(acquire(1).ok, false, "the lock is held while one racer still works");
  const ra = release(2, a.token);
  const next = acquire(1);
  assert.ok(next.ok, "free once both racers released");
  assert.deepEqual(next.after, [rb, ra], "the next holder's acquire follows both releases");
  assert.equal(acquire(2).ok, false, "the race is over: one holder again");
  assert.deepEqual(server.stats.grants, 4);
});

const RACE_NOTE = /to client (\d) .* while client (\d) holds it/;

/**
 * The embedded demo into the demo's collector: injects the race `races` times, one after the
 * other (each once the lock was handed on 20 times after its holds and judgement is past them),
 * and returns the alerts and each race's two racers.
 */
async function raceRun(
  workMs: number,
  races: number,
): Promise<{ vs: readonly Violation[]; racers: string[][] }> {
  const compiled = await compiledLease();
  const collector = createCollector({
    specs: [compiled],
    windowMs: DEMO_WINDOW_MS.embedded,
    maxSkewMs: DEMO_MAX_SKEW_MS,
  });
  const service = createCollectorService(collector);
  service.start();
  const notes: string[] = [];
  const refused: string[] = [];
  const cluster = startEmbeddedCluster({
    spec: specFromCompiled(compiled),
    deliver: (bytes) => void service.ingestBytes(bytes, "http"),
    onNote: (text) => notes.push(text),
    onRefused: (node, e) => refused.push(`${node}: ${e.message}`),
    raceWorkMs: workMs,
    locks: [RACE_LOCK],
  });
  const grants = async () => (await cluster.stats()).grants;
  const racers: string[][] = [];
  try {
    await waitFor(async () => await grants() >= 20, { what: "20 grants", timeoutMs: 30_000 });
    for (let r = 0; r < races; r++) {
      await cluster.injectBug();
      const race = await waitFor(() => notes.filter((n) => RACE_NOTE.test(n))[r], {
        what: `race ${r + 1}'s grants`,
        timeoutMs: 30_000,
      });
      const [, a, b] = race.match(RACE_NOTE)!;
      racers.push([`node-${a}`, `node-${b}`].sort());
      const grantsThen = await grants();
      // Past the racing holds and the collector's horizon (2S plus the window behind), then 20
      // grants more: the lock was handed on after the race.
      await new Promise((done) => setTimeout(done, workMs + 2 * DEMO_MAX_SKEW_MS + 600));
      await waitFor(async () => await grants() >= grantsThen + 20, {
        what: "20 grants after the race",
        timeoutMs: 30_000,
      });
    }
    await cluster.stop();
    collector.flush();
    assert.deepEqual(refused, []);
    return { vs: collector.violations(), racers };
  } finally {
    await cluster.stop();
    await service.stop();
  }
}

/** The alerts as [nodes, verdict, HLC wall] for a message. */
const shown = (vs: readonly Violation[]) =>
  JSON.stringify(vs.map((v) => [v.nodes, v.causal?.verdict, v.at.wall]));

Deno.test({
  name:
    "demo: racing holds that outlast the collector's raise point (a starved machine) still make one alert",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const raisePoint = 4 * DEMO_MAX_SKEW_MS + 2 * DEMO_WINDOW_MS.embedded;
    // Three races: with the old server a second alert came in 1 of 3 runs (2 of 6 runs of one race).
    const { vs, racers } = await raceRun(raisePoint + 600, 3);
    assert.equal(vs.length, 3, shown(vs));
    vs.forEach((v, r) => {
      assert.deepEqual([v.property.name, v.partition], ["OneHolder", RACE_LOCK]);
      // Ends past the raise point are unknown to the verdict but lie after it, and each racer's
      // start is more than 2S before it: `definitely` (docs/causality.md, "Episodes and alerts").
      assert.equal(v.causal?.verdict, "definitely", `race ${r + 1}: ${shown(vs)}`);
      for (const node of racers[r]!) {
        assert.ok(v.nodes.includes(node), `race ${r + 1}: ${shown(vs)}`);
      }
    });
  },
});

Deno.test({
  name:
    "demo: with the demo's race work the holds end before the raise point: one definitely alert",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const { vs, racers } = await raceRun(raceWorkMs(DEMO_WINDOW_MS.embedded), 1);
    assert.equal(vs.length, 1, shown(vs));
    const v = vs[0]!;
    assert.deepEqual([v.partition, [...v.nodes].sort(), v.causal?.verdict], [
      RACE_LOCK,
      racers[0],
      "definitely",
    ]);
  },
});
