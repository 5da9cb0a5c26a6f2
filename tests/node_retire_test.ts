/**
 * Nodes that leave (`edge/engine/retirement.ts`, `docs/operations.md`):
 * generations of nodes with new names hand a lease round; the collector
 * retires each departed node's participants at rest, then the node,
 * leaving tombstones. Counts stay bounded where they grew with every
 * generation, the verdicts are those of the same run with retirement off,
 * a zombie holder is kept (and a second holder raises the alert), a
 * returning node resumes where it was, and a restart in the middle changes
 * nothing.
 *
 * @module
 */
import assert from "node:assert/strict";
import { loadCompiled } from "../lib/abi/loader.ts";
import { createCollector, restoreCollector } from "../edge/engine/collector.ts";
import type { Collector, CollectorEvent, CollectorSnapshot } from "../edge/engine/types.ts";
import type { EventBody } from "../lib/wire/event.ts";
import { LeaseEvents } from "./causal/lease_workload.ts";
import { compile } from "../lib/mod.ts";
import type { CompiledSpec } from "../lib/abi/compiled.ts";

const spec = await loadCompiled(new URL("../dist/lease.core.wasm", import.meta.url));
const BASE = 1_732_170_000_000;
const GEN_MS = 3_000;
const RETIRE_MS = 5_000;
const lease = new LeaseEvents(spec);

/** A collector on a clock the run sets. */
class Run {
  now = BASE;
  collector: Collector;
  readonly seq = new Map<string, number>();
  readonly events: CollectorEvent[] = [];
  readonly #options: Parameters<typeof createCollector>[0];

  constructor(
    retireIdleMs: number,
    options: { localLiveness?: boolean; maxSkewMs?: number } = {},
    served: CompiledSpec = spec,
    readonly lease = new LeaseEvents(served),
  ) {
    this.#options = {
      specs: [served],
      now: () => this.now,
      windowMs: 10,
      retireIdleMs,
      ...options,
    };
    this.collector = createCollector(this.#options);
    this.collector.on((e) => void this.events.push(e));
  }

  send(node: string, events: EventBody[]): void {
    const first = this.seq.get(node) ?? 0;
    this.collector.ingestBytes(this.lease.batch(node, events, { firstSeq: first }));
    this.seq.set(node, first + events.length);
  }

  advance(at: number): void {
    this.now = at;
    this.collector.advance(at);
  }

  /** Snapshot, then a fresh collector restored from it (the same clock and options). */
  restart(edit: (s: CollectorSnapshot) => CollectorSnapshot = (s) => s): void {
    const snap = edit(structuredClone(this.collector.snapshot()));
    this.collector = restoreCollector(snap, this.#options);
    this.collector.on((e) => void this.events.push(e));
  }

  /** The participants of a partition (by key), in index order. */
  participants(key = "lock:0"): string[] {
    const p = this.collector.snapshot().partitions.find((x) => x.key === key);
    return (p?.participants ?? []).map((q) => q.node);
  }
}

/**
 * Generation `g` of 4 nodes hands lock:0 round for {@link GEN_MS}. In
 * generation `zombieAt`, node 0 also acquires lock:z and never releases
 * it (then falls silent with the rest of its generation); in each
 * generation of `overlaps`, node 1 acquires and releases lock:z at the
 * start (a second holder).
 */
function generation(
  run: Run,
  g: number,
  options: { zombieAt?: number; overlaps?: readonly number[] } = {},
): void {
  const nodes = [0, 1, 2, 3].map((i) => `g${g}-n${i}`);
  for (let t = g * GEN_MS, turn = 0; t < (g + 1) * GEN_MS; t += 20) {
    const byNode = new Map<string, EventBody[]>();
    for (let u = t; u < t + 20; u += 4, turn++) {
      const node = nodes[turn % 4]!;
      const wall = BASE + u;
      const l = byNode.get(node) ?? [];
      const first = u === g * GEN_MS + 4;
      l.push(lease.acquire(wall, { key: "lock:0" }));
      if (first && (options.zombieAt === g || options.overlaps?.includes(g))) {
        l.push(lease.acquire(wall + 1, { key: "lock:z" }));
      }
      l.push(lease.release(wall + 2, { key: "lock:0" }));
      if (first && options.overlaps?.includes(g)) {
        l.push(lease.release(wall + 3, { key: "lock:z" }));
      }
      byNode.set(node, l);
    }
    for (const [node, l] of byNode) run.send(node, l);
    run.advance(BASE + t + 20);
  }
}

Deno.test("Retirement keeps nodes, streams and participants bounded over generations of new nodes, with the alerts of a run without it", () => {
  const GENS = 24;
  // Local liveness off: the zombie's own open deadline would keep it too; here its state must.
  const on = new Run(RETIRE_MS, { localLiveness: false });
  const off = new Run(0, { localLiveness: false });
  const seen: { nodes: number; streams: number; participants: number }[] = [];
  for (let g = 0; g < GENS; g++) {
    // A zombie in generation 5; later generations overlap it on lock:z.
    const plan = { zombieAt: 5, overlaps: [9, 15, 23] };
    generation(on, g, plan);
    generation(off, g, plan);
    const m = on.collector.metrics();
    seen.push({ nodes: m.nodes, streams: m.streams, participants: on.participants().length });
  }
  const m = on.collector.metrics();
  const mOff = off.collector.metrics();
  // Without retirement every node stays: 4 per generation.
  assert.equal(mOff.nodes, 4 * GENS);
  assert.equal(mOff.streams, 4 * GENS);
  assert.equal(off.participants().length, 4 * GENS);
  // With it, at most the last two generations' nodes and the zombie.
  for (const [g, s] of seen.entries()) {
    // lock:z keeps its participants while its global liveness obligation (the zombie's) is open.
    const held = [9, 15, 23].filter((x) => x < g).length;
    assert.ok(
      s.nodes <= 9 + held && s.streams <= 9 + held,
      `generation ${g}: ${JSON.stringify(s)}`,
    );
    assert.ok(s.participants <= 9, `generation ${g}: ${JSON.stringify(s)}`);
  }
  assert.equal(m.retiredNodes, 4 * GENS - m.nodes);
  assert.equal(m.nodeTombstones, m.retiredNodes, "one stream each");
  assert.ok(m.retiredParticipants >= m.retiredNodes);
  // The zombie is kept, counted and said once.
  assert.ok(on.collector.nodes().some((n) => n.node === "g5-n1"), "the zombie holder is kept");
  assert.equal(m.idleHoldingParticipants, 3, "the zombie, and g9-n1, g15-n1 in lock:z");
  const said = on.events.filter((e) => e.type === "idle_holding");
  assert.deepEqual(said.map((e) => e.type === "idle_holding" ? e.node : ""), [
    "g5-n1",
    "g9-n1",
    "g15-n1",
  ]);
  assert.ok(on.events.some((e) => e.type === "retired"));
  // Each later holder of lock:z overlaps the zombie: the alert names both.
  const alerts = on.collector.violations();
  const invariant = alerts.filter((v) => v.kind === "invariant");
  assert.deepEqual(invariant.map((v) => [...v.nodes].sort()), [
    ["g5-n1", "g9-n1"],
    ["g15-n1", "g5-n1"],
    ["g23-n1", "g5-n1"],
  ]);
  assert.equal(
    invariant.length,
    alerts.length,
    "no other alert (its 60 s global liveness not yet due)",
  );
  // lock:z kept its participants (its obligation open): the alerts are those of the run without
  // retirement in full, cuts included.
  assert.deepEqual(alerts, off.collector.violations());
  assert.equal(m.events, mOff.events);
  assert.equal(m.applied, mOff.applied);
});

Deno.test("With causal verdicts, the judge's intervals stay bounded too, and the same holders are alerted", () => {
  const GENS = 16;
  const on = new Run(RETIRE_MS, { localLiveness: false, maxSkewMs: 0.5 });
  const off = new Run(0, { localLiveness: false, maxSkewMs: 0.5 });
  const intervals: number[] = [];
  for (let g = 0; g < GENS; g++) {
    const plan = { zombieAt: 3, overlaps: [7, 15] };
    generation(on, g, plan);
    generation(off, g, plan);
    intervals.push(on.collector.causalIntervals());
    assert.equal(
      on.collector.causalIntervals(),
      on.collector.causalIntervals(true),
      "count = recount",
    );
  }
  on.collector.flush();
  off.collector.flush();
  const m = on.collector.metrics();
  assert.ok(m.nodes <= 10 && on.participants().length <= 9, JSON.stringify(m));
  assert.equal(off.collector.metrics().nodes, 4 * GENS);
  // Without retirement the judge keeps a lane per node that ever joined; with it, the last ones'.
  const offIntervals = off.collector.causalIntervals();
  assert.ok(offIntervals >= 4 * GENS, `off: ${offIntervals}`);
  assert.ok(Math.max(...intervals.slice(4)) <= 3 * 9, `on: ${intervals}`);
  const pairs = (c: Collector) =>
    c.violations().filter((v) => v.kind === "invariant").map((v) => [...v.nodes].sort());
  assert.deepEqual(pairs(on.collector), [["g3-n1", "g7-n1"], ["g15-n1", "g3-n1"]]);
  assert.deepEqual(pairs(on.collector), pairs(off.collector));
});

Deno.test("A retired node's late duplicate is dropped and the node resumes where it was, from the initial state", () => {
  const run = new Run(RETIRE_MS);
  const acquire = (wall: number) => lease.acquire(BASE + wall, { key: "lock:0" });
  const release = (wall: number) => lease.release(BASE + wall, { key: "lock:0" });
  const a0 = acquire(0);
  const r0 = release(2);
  run.send("a", [a0, r0]);
  run.send("b", [acquire(4), release(6)]);
  run.advance(BASE + 100);
  for (let t = 1_000; t <= 7_000; t += 1_000) run.advance(BASE + t);
  let m = run.collector.metrics();
  assert.equal(m.retiredNodes, 2);
  assert.equal(m.nodes, 0);
  assert.equal(m.nodeTombstones, 2);
  assert.deepEqual(run.participants(), []);
  // A late duplicate of a's first batch: dropped, nothing applied.
  const applied = m.applied;
  run.collector.ingestBytes(lease.batch("a", [a0, r0], { firstSeq: 0 }));
  run.advance(BASE + 7_100);
  m = run.collector.metrics();
  assert.equal(m.duplicates, 2, "both events known as received");
  assert.equal(m.applied, applied);
  assert.equal(m.gaps, 0);
  // a resumes at its next number: no hole, judged from the initial state (it can acquire).
  run.send("a", [acquire(8_000)]);
  run.send("b", [acquire(8_002)]);
  run.advance(BASE + 8_100);
  m = run.collector.metrics();
  assert.equal(m.gaps, 0, "no hole: a resumed at its next number");
  assert.equal(m.duplicates, 2);
  assert.equal(m.applied, applied + 2);
  assert.equal(m.nodeTombstones, 0, "both streams live again");
  const v = run.collector.violations();
  assert.equal(v.length, 1, "two holders again: a's state came back from the initial state");
  assert.deepEqual([...v[0]!.nodes].sort(), ["a", "b"]);
  assert.deepEqual(run.participants(), ["a", "b"]);
});

for (const causal of [false, true]) {
  Deno.test(`A restart in the middle of churn keeps tombstones and participants, and the run's alerts${causal ? " (causal verdicts)" : ""}`, () => {
    const GENS = 12;
    const options = causal ? { maxSkewMs: 0.5 } : {};
    const straight = new Run(RETIRE_MS, options);
    const restarted = new Run(RETIRE_MS, options);
    for (let g = 0; g < GENS; g++) {
      const plan = { zombieAt: 3, overlaps: [6, 10] };
      generation(straight, g, plan);
      generation(restarted, g, plan);
      if (g === 7) {
        const before = restarted.collector.metrics();
        const places = restarted.participants();
        restarted.restart();
        const after = restarted.collector.metrics();
        assert.equal(after.nodeTombstones, before.nodeTombstones);
        assert.ok(after.nodeTombstones > 0);
        assert.equal(after.nodes, before.nodes);
        assert.equal(after.streams, before.streams);
        assert.deepEqual(restarted.participants(), places, "participants keep their order");
      }
    }
    const a = straight.collector.metrics();
    const b = restarted.collector.metrics();
    for (
      const k of [
        "events",
        "applied",
        "duplicates",
        "gaps",
        "retiredNodes",
        "nodeTombstones",
        "nodes",
      ] as const
    ) {
      assert.equal(b[k], a[k], k);
    }
    if (causal) {
      assert.equal(restarted.collector.causalIntervals(), straight.collector.causalIntervals());
      assert.equal(
        restarted.collector.causalIntervals(),
        restarted.collector.causalIntervals(true),
      );
    }
    // Alerts equal in full, cuts and causal evidence included.
    assert.deepEqual(restarted.collector.violations(), straight.collector.violations());
    assert.ok(straight.collector.violations().length > 0);
  });
}

Deno.test("A snapshot without tombstones (older) still loads, and a bad tombstone is refused with where", () => {
  const run = new Run(RETIRE_MS);
  for (let g = 0; g < 4; g++) generation(run, g);
  assert.ok(run.collector.metrics().nodeTombstones > 0);
  run.restart(({ tombstones: _, ...old }) => old);
  assert.equal(run.collector.metrics().nodeTombstones, 0);
  generation(run, 4);
  const snap = run.collector.snapshot();
  assert.throws(
    () =>
      restoreCollector({
        ...snap,
        tombstones: [{ spec: spec.meta.sourceHash, node: "x", boot: "b", next: -1 }],
      }, {
        specs: [spec],
      }),
    /tombstone of node 'x' boot 'b' has next '-1'/,
  );
});

Deno.test("Retirement off (retireIdleMs 0) keeps every node; the option refuses a negative value", () => {
  const run = new Run(0);
  for (let g = 0; g < 3; g++) generation(run, g);
  run.advance(BASE + 3_600_000);
  const m = run.collector.metrics();
  assert.equal(m.nodes, 12);
  assert.equal(m.retiredParticipants, 0);
  assert.throws(() => createCollector({ specs: [spec], retireIdleMs: -1 }), /retireIdleMs/);
});

/** The Lease spec without its liveness items: a holder keeps no deadline, only its state says it holds. */
async function leaseWithoutLiveness(): Promise<CompiledSpec> {
  const source = (await Deno.readTextFile(new URL("../specs/lease.vigil", import.meta.url)))
    .replace(/\n *(global )?liveness [^\n]*\n[^\n]*/g, "");
  assert.ok(!source.includes("liveness"), "liveness items left out");
  const compiled = await compile(source, { fileName: "lease_quiet.vigil" });
  const dir = await Deno.makeTempDir({ prefix: "vigil-retire-" });
  try {
    for (const [file, bytes] of compiled.files) await Deno.writeFile(`${dir}/${file}`, bytes);
    return await loadCompiled(new URL(`file://${dir}/lease_quiet.core.wasm`));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("A zombie holder with no deadline is kept by its state alone, and a second holder raises the alert", async () => {
  const quiet = await leaseWithoutLiveness();
  const run = new Run(RETIRE_MS, {}, quiet);
  const at = (ms: number) => BASE + ms;
  const l = run.lease;
  run.send("zombie", [l.acquire(at(0), { key: "lock:0" })]);
  run.send("a", [l.acquire(at(10), { key: "lock:1" }), l.release(at(12), { key: "lock:1" })]);
  for (let t = 1_000; t <= 8_000; t += 1_000) run.advance(at(t));
  const m = run.collector.metrics();
  assert.equal(m.retiredNodes, 1, "a, at rest, is retired");
  assert.equal(m.idleHoldingParticipants, 1);
  assert.deepEqual(run.collector.nodes().map((n) => n.node), ["zombie"]);
  run.send("b", [l.acquire(at(9_000), { key: "lock:0" })]);
  run.advance(at(9_100));
  const v = run.collector.violations();
  assert.equal(v.length, 1);
  assert.deepEqual([...v[0]!.nodes].sort(), ["b", "zombie"]);
});
