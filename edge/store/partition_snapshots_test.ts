import assert from "node:assert/strict";
import { loadCompiled } from "../../lib/abi/loader.ts";
import { encodeBatch } from "../../lib/wire/encode.ts";
import { createCollector, restoreCollector } from "../engine/collector.ts";
import type { CollectorOptions } from "../engine/options.ts";
import type { Collector, CollectorSnapshot } from "../engine/types.ts";
import { snapshotChanges } from "./partition_snapshots.ts";
import { rng } from "../../tools/harness/spec_mutations.ts";
import { compileToTemp, ROOT } from "../../tools/harness/spec_files.ts";
import type { CompiledSpec } from "../../lib/abi/compiled.ts";

const lease = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));

/** One step of a workload: a batch's bytes, or the clock moved to `advance`. */
type Op = { readonly bytes: Uint8Array } | { readonly advance: number } | { readonly snap: true };

/**
 * Four nodes stepping Lease monitors on 24 keys (two nodes share a key now
 * and then: split brains, so violations), with gaps in their numbering
 * (holes, timed out or declared dropped: `incomplete` partitions, marked
 * at ingest, before the next announcement) and the clock moving past
 * the liveness bounds (timeouts without an event): every way a partition's
 * snapshot changes, between snapshots taken at random points.
 */
function workload(
  seed: number,
  steps: number,
  specOf: (node: number) => CompiledSpec = () => lease,
): Op[] {
  const next = rng(seed);
  const pick = (n: number) => Math.floor(next() * n);
  const ops: Op[] = [];
  const seqs = [0, 0, 0, 0];
  const insts = new Map<string, number>();
  const holding = new Set<string>();
  let now = 1_000;
  for (let r = 0; r < steps; r++) {
    const roll = next();
    if (roll < 0.6) {
      const n = pick(4);
      const events = [];
      for (let k = 1 + pick(4); k > 0; k--) {
        const key = `lock:${pick(24)}`;
        const id = `${n}/${key}`;
        const spec = specOf(n);
        let inst = insts.get(id);
        if (inst === undefined) insts.set(id, inst = spec.create());
        const c = n % 3 + 1;
        const action = spec.actionIndex(
          holding.has(id) && next() < 0.8 ? "release" : "acquire",
        );
        const verdict = spec.stepFn(action)(inst, c);
        if (verdict === 0) {
          if (action === spec.actionIndex("acquire")) holding.add(id);
          else holding.delete(id);
        }
        events.push({
          key,
          wall: now + r,
          logical: 0,
          action,
          args: [c],
          state: spec.stateBytes(inst),
          verdict,
        });
      }
      // A gap: a hole until it times out, or declared dropped (the partitions turn incomplete at once).
      const dropped: [number, number][] = [];
      if (next() < 0.06) {
        const gap = 1 + pick(3);
        if (next() < 0.5) dropped.push([seqs[n]!, seqs[n]! + gap - 1]);
        seqs[n]! += gap;
      }
      const header = {
        spec: specOf(n).meta.sourceHash,
        specName: "Lease",
        node: `node-${n}`,
        boot: "b1",
        firstSeq: seqs[n]!,
        dropped,
      };
      seqs[n]! += events.length;
      ops.push({ bytes: encodeBatch(header, events) });
    } else if (roll < 0.8) {
      now += next() < 0.3 ? 20_000 + pick(50_000) : pick(200);
      ops.push({ advance: now });
    } else ops.push({ snap: true });
  }
  return ops;
}

/** Plays `ops` into a fresh collector on a clock of its own; snapshots at the `snap` steps when `snaps`. */
function play(
  ops: readonly Op[],
  options: {
    readonly snaps: boolean;
    readonly onSnap?: (c: Collector, k: number) => void;
    /** More collector options (causal verdicts). */
    readonly core?: Partial<CollectorOptions>;
    /** Restore this snapshot first (taken at step `from`, the clock at `clock`). */
    readonly restore?: { readonly snapshot: CollectorSnapshot; readonly clock: number };
  },
): Collector {
  let now = options.restore?.clock ?? 1_000;
  const core = {
    specs: [lease],
    now: () => now,
    windowMs: 10,
    gapTimeoutMs: 5_000,
    ...options.core,
  };
  const c = options.restore === undefined
    ? createCollector(core)
    : restoreCollector(options.restore.snapshot, core);
  ops.forEach((op, k) => {
    if ("bytes" in op) c.ingestBytes(op.bytes);
    else if ("advance" in op) {
      now = op.advance;
      c.advance(now);
    } else if (options.snaps) options.onSnap?.(c, k);
  });
  return c;
}

Deno.test("Snapshots taken from the dirty set equal snapshots built from scratch at every point", () => {
  let compared = 0;
  let rebuiltFewer = 0;
  for (const seed of [1, 2, 3, 4]) {
    const ops = workload(seed, 300);
    let last: ReturnType<typeof snapshotChanges> = undefined;
    let lastParts: readonly unknown[] = [];
    play(ops, {
      snaps: true,
      onSnap: (c, k) => {
        const snap = c.snapshot();
        // The reference: the same steps up to here into a collector that never took a snapshot.
        const ref = play(ops.slice(0, k), { snaps: false }).snapshot();
        assert.equal(
          JSON.stringify(snap),
          JSON.stringify(ref),
          `seed ${seed}, step ${k}: the incremental snapshot differs from a full one`,
        );
        const changes = snapshotChanges(snap)!;
        if (last !== undefined) {
          const since = changes.since(last.seq)!;
          // Every partition whose object is new since the last snapshot, and no other.
          const before = new Set(lastParts);
          assert.deepEqual(since, snap.partitions.filter((p) => !before.has(p)));
          if (since.length < snap.partitions.length) rebuiltFewer++;
        }
        last = changes;
        lastParts = snap.partitions;
        compared++;
      },
    });
  }
  assert.ok(compared > 100, `only ${compared} snapshots compared`);
  assert.ok(rebuiltFewer > 50, `only ${rebuiltFewer} snapshots kept some partition's object`);
});

Deno.test("A snapshot's changes since an earlier snapshot span the snapshots between", () => {
  const ops = workload(9, 300);
  const snaps: ReturnType<Collector["snapshot"]>[] = [];
  play(ops, { snaps: true, onSnap: (c) => void snaps.push(c.snapshot()) });
  assert.ok(snaps.length > 20);
  const last = snaps[snaps.length - 1]!;
  const feed = snapshotChanges(last)!;
  for (const [i, s] of snaps.entries()) {
    const before = new Set(s.partitions);
    assert.deepEqual(
      feed.since(snapshotChanges(s)!.seq),
      last.partitions.filter((p) => !before.has(p)),
      `since snapshot ${i}`,
    );
  }
  // An earlier snapshot's changes answer as of that snapshot, not the newest.
  const mid = snaps[10]!;
  const first = new Set(snaps[0]!.partitions);
  assert.deepEqual(
    snapshotChanges(mid)!.since(snapshotChanges(snaps[0]!)!.seq),
    mid.partitions.filter((p) => !first.has(p)),
  );
  // A copy has no changes to tell: a store compares objects then.
  assert.equal(snapshotChanges({ ...last }), undefined);
  assert.equal(snapshotChanges(JSON.parse(JSON.stringify(last))), undefined);
});

/** Compares, at every snapshot step of `ops` played by `play(ops, options)`, with a collector that never took one; returns the number compared. */
function compareAtEverySnapshot(
  ops: readonly Op[],
  options: Omit<Parameters<typeof play>[1], "snaps" | "onSnap">,
  what: string,
): number {
  let compared = 0;
  play(ops, {
    ...options,
    snaps: true,
    onSnap: (c, k) => {
      const snap = c.snapshot();
      const ref = play(ops.slice(0, k), { ...options, snaps: false }).snapshot();
      assert.equal(JSON.stringify(snap), JSON.stringify(ref), `${what}, step ${k}`);
      compared++;
    },
  });
  return compared;
}

Deno.test("Snapshots from the dirty set equal full ones with causal verdicts on", () => {
  let compared = 0;
  for (const seed of [5, 6]) {
    compared += compareAtEverySnapshot(
      workload(seed, 200),
      { core: { maxSkewMs: 50 } },
      `seed ${seed}`,
    );
  }
  assert.ok(compared > 40, `only ${compared} snapshots compared`);
});

Deno.test("Snapshots from the dirty set equal full ones after a restore", () => {
  let compared = 0;
  for (const [seed, core] of [[7, {}], [8, { maxSkewMs: 50 }]] as const) {
    const ops = workload(seed, 300);
    const cut = 120;
    // The state at step `cut` as a store gives it back (a copy: no objects shared).
    let clock = 1_000;
    for (const op of ops.slice(0, cut)) if ("advance" in op) clock = op.advance;
    const before = play(ops.slice(0, cut), { snaps: false, core });
    const snapshot = JSON.parse(JSON.stringify(before.snapshot())) as CollectorSnapshot;
    compared += compareAtEverySnapshot(
      ops.slice(cut),
      { core, restore: { snapshot, clock } },
      `seed ${seed} restored at ${cut}`,
    );
  }
  assert.ok(compared > 40, `only ${compared} snapshots compared`);
});

Deno.test("Snapshots from the dirty set equal full ones while nodes run two versions of the spec", async () => {
  // Version 1 and 2 of the upgrade Lease (docs/upgrades.md): nodes 0 and 2 send version 1, whose
  // states the collector converts to version 2's layout (participants on an older version).
  const [v1, v2] = await Promise.all(["lease_v1", "lease_v2"].map(async (name) => {
    const source = await Deno.readTextFile(`${ROOT}specs/upgrade/${name}.vigil`);
    const { dir } = await compileToTemp(name, source);
    return await loadCompiled(`${dir}/${name}.core.wasm`);
  }));
  let compared = 0;
  for (const seed of [11, 12]) {
    const ops = workload(seed, 250, (n) => n % 2 === 0 ? v1! : v2!);
    const core = { specs: [v1!, v2!] };
    compared += compareAtEverySnapshot(ops, { core }, `seed ${seed}`);
    // The older version's states were converted (participants on version 1 beside version 2).
    assert.ok(play(ops, { snaps: false, core }).metrics().converted > 0, "nothing converted");
  }
  assert.ok(compared > 40, `only ${compared} snapshots compared`);
});
