/**
 * Maintained node aggregates (`global-agg-add`, `global-check-agg`,
 * `global-liveness-agg`) against the full evaluation (`global-check`,
 * `global-liveness`) on random states: for every spec in `specs/` and
 * `examples/` with global items, and a spec written to reach every term
 * shape (count, sum near the i64 edges, exists, forall, a body that can fail,
 * terms in liveness predicates and beside pinned parts), a seeded walk over
 * random states (`tests/global_walk.ts`) keeps a set of up to 8 instances
 * and its record, changes one instance at a time (or adds one) the way a
 * collector does (remove its contributions, write, add them again; rebuild
 * when the record says it overflowed), and after each change both
 * maintained evaluations must equal the full ones.
 * Bounded: a fixed number of changes per spec (`VIGIL_AGGREGATE_CASES`,
 * default 2,000).
 *
 * @module
 */
import assert from "node:assert/strict";
import { compileToTemp } from "../tools/harness/spec_files.ts";
import type { CompiledSpec } from "../lib/abi/compiled.ts";
import { loadCompiled } from "../lib/abi/loader.ts";
import { analyze } from "../lib/frontend.ts";
import { aggregatePlan } from "../lib/wasm/codegen/global_aggregates.ts";
import { withoutExport } from "../tools/harness/older_spec.ts";
import { rng as random } from "./collector_core_fixture.ts";
import { createCollector } from "../edge/engine/collector.ts";
import type { DecodedBatch } from "../lib/wire/event.ts";
import { nodeBatches, randomSlots } from "./random_states.ts";
import { walkBlock } from "./global_walk.ts";

/** A spec whose global items hold every term shape the record maintains. */
const TERMS = `spec Terms
  type Role = enum { idle, lead, follow }
  type Key = 0..2
  state role: Role = idle
  state x: int = 0
  state y: 0..9 = 0
  state k: 0..4 = 0
  state m: map[Key, int] = 0

  action go(r: Role)
    role := r

  global invariant Budget
    sum(n in nodes: n.x) < 1000 and count(n in nodes: n.role == lead) <= 2

  global invariant Pinned
    (forall a, b in nodes: a.role == lead and b.role == lead and a.y == b.y implies a == b) and exists n in nodes: n.y < 9

  global invariant Keyed
    count(n in nodes: n.m[n.k] > 0) <= 3 or forall n in nodes: n.y != 7

  global invariant Divided
    sum(n in nodes: 100 / (n.y - 4)) != 77

  global invariant OneNine
    forall a, b in nodes: b.y == 9 and a.y == 9 implies b == a

  global invariant Mixed
    forall a, b in nodes: a.role == follow and b.x > 3 implies a == b

  global invariant DividedPair
    forall a, b in nodes: 10 / a.k > 2 and 10 / b.k > 2 implies a == b

  global liveness Lead within 1s
    when exists n in nodes: n.role == follow then eventually count(n in nodes: n.role == lead) == 1

  global liveness Settle within 1s
    when sum(n in nodes: n.y) > 20 then eventually forall n in nodes: n.m[n.k] == 0
`;

interface Tally {
  checks: number;
  /** Checks whose full verdict failed (the maintained one had to find it). */
  failing: number;
  /** Records rebuilt after an overflow. */
  rebuilt: number;
  /** Distinct liveness masks seen. */
  masks: Set<number>;
}

/** Runs `changes` seeded changes on `spec`; every evaluation must agree with the full one. */
function agree(spec: CompiledSpec, seed: number, changes: number): Tally {
  const agg = spec.globalAggregates;
  assert.ok(agg !== undefined, `spec '${spec.meta.name}' maintains no aggregate`);
  const tally: Tally = { checks: 0, failing: 0, rebuilt: 0, masks: new Set() };
  const cells = spec.create(Math.ceil(agg.size / spec.meta.stride));
  /** Non-zero once the record overflowed (it is rebuilt then). */
  let overflowed = 0;
  const walk = walkBlock(spec, {
    seed,
    steps: changes,
    onRestart: () => {
      agg.clear(cells);
      overflowed = 0;
    },
    // As a collector writes a participant: its contributions out, the state, its contributions in.
    beforeWrite: (inst) => {
      if (overflowed === 0) overflowed = agg.add(inst, cells, -1);
    },
    afterWrite: (inst) => {
      if (overflowed === 0) overflowed = agg.add(inst, cells, 1);
    },
  });
  for (const { step, block, count, changed, passedBefore, full } of walk) {
    if (overflowed !== 0) {
      tally.rebuilt++;
      agg.clear(cells);
      overflowed = 0;
      for (let i = 0; i < count; i++) overflowed |= agg.add(block + i, cells, 1);
    }
    const node: number = passedBefore ? changed : 0xffffffff;
    if (overflowed === 0) {
      const where =
        `spec '${spec.meta.name}', seed ${seed}, step ${step}: ${count} nodes, node ${changed}`;
      assert.equal(agg.check(block, count, node, cells), full, where);
      assert.equal(agg.check(block, count, 0xffffffff, cells), full, `${where}, no node`);
      const mask = spec.globalLiveness(block, count);
      assert.equal(agg.liveness(block, count, cells), mask, where);
      tally.masks.add(mask);
      tally.checks++;
    }
    if (full !== 0) tally.failing++;
  }
  return tally;
}

/**
 * The same walk with `global-agg-after` (the collector's one call after a
 * write): the record gets the written instance's contributions back in that
 * call, whose unpacked code, liveness mask and global liveness mask must be
 * the full check, `liveness` of the instance and the full global liveness;
 * an overflow it reports (bit 15) rebuilds the record. Returns the calls made.
 */
function agreeAfter(spec: CompiledSpec, seed: number, changes: number): number {
  const agg = spec.globalAggregates;
  assert.ok(agg?.after !== undefined, `spec '${spec.meta.name}' has no global-agg-after`);
  const cells = spec.create(Math.ceil(agg.size / spec.meta.stride));
  let overflowed = 0;
  /** The written instance's contributions wait for the next call. */
  let pending = false;
  let calls = 0;
  const walk = walkBlock(spec, {
    seed,
    steps: changes,
    onRestart: () => {
      agg.clear(cells);
      overflowed = 0;
      pending = false;
    },
    beforeWrite: (inst) => {
      if (overflowed === 0) overflowed = agg.add(inst, cells, -1);
    },
    afterWrite: () => void (pending = true),
  });
  for (const { step, block, count, changed, passedBefore, full } of walk) {
    if (overflowed !== 0) {
      agg.clear(cells);
      overflowed = 0;
      for (let i = 0; i < count; i++) overflowed |= agg.add(block + i, cells, 1);
      pending = false;
    }
    if (overflowed !== 0) continue;
    const r: number = agg.after(block, count, changed, passedBefore, cells, pending);
    pending = false;
    calls++;
    const where =
      `spec '${spec.meta.name}', seed ${seed}, step ${step}: ${count} nodes, node ${changed}`;
    assert.equal(r & 0x7fff, full, where);
    assert.equal((r >>> 16) & 0xff, spec.liveness(block + changed), where);
    assert.equal(r >>> 24, spec.globalLiveness(block, count), where);
    if ((r >>> 15) & 1) overflowed = 1;
  }
  return calls;
}

const CHANGES = Number(Deno.env.get("VIGIL_AGGREGATE_CASES") ?? 2000);

/** Every spec file with global items, in `specs/` (with `upgrade/`) and `examples/`. */
async function specFiles(): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string) => {
    for await (const e of Deno.readDir(dir)) {
      const path = `${dir}/${e.name}`;
      if (e.isDirectory) await walk(path);
      else if (e.name.endsWith(".vigil")) {
        if (/global (invariant|liveness)/.test(await Deno.readTextFile(path))) out.push(path);
      }
    }
  };
  for (const dir of ["specs", "examples"]) {
    await walk(new URL(`../${dir}`, import.meta.url).pathname);
  }
  return out.sort();
}

Deno.test("maintained aggregates agree with the full global check and liveness on random states of every spec with global items", async () => {
  const files = await specFiles();
  const names = files.map((f) => f.split("/").slice(-1)[0]!.replace(/\.vigil$/, ""));
  for (const expected of ["lease", "raft", "calc", "raft5"]) {
    assert.ok(names.includes(expected), `spec '${expected}' not found among ${names.join(", ")}`);
  }
  const maintained: string[] = [];
  for (const [i, file] of files.entries()) {
    const { spec } = await compileToTemp(names[i]!, await Deno.readTextFile(file));
    // A spec whose global items are pinned foralls only (lease_v1's OneHolder) has no term.
    if (spec.globalAggregates === undefined) continue;
    maintained.push(names[i]!);
    const tally = agree(spec, 0xa66 + i, CHANGES);
    assert.ok(tally.checks > CHANGES / 2, `spec '${names[i]}': only ${tally.checks} checks`);
    if (spec.meta.globalInvariants.length > 0) {
      assert.ok(tally.failing > 0, `no ${names[i]} change failed the check: nothing proven`);
    }
  }
  for (const expected of ["lease", "raft", "calc", "raft5"]) {
    assert.ok(maintained.includes(expected), `spec '${expected}' maintains no aggregate`);
  }
});

Deno.test("maintained aggregates agree with the full evaluation on every term shape, overflows and failing bodies included", async () => {
  const { spec } = await compileToTemp("terms", TERMS);
  const tally = agree(spec, 0xbeef, CHANGES * 2);
  assert.ok(tally.failing > CHANGES / 20, `only ${tally.failing} failing checks`);
  assert.ok(tally.rebuilt > 0, "no record overflowed: the rebuild path went untested");
  assert.ok(tally.masks.size > 3, `only ${tally.masks.size} distinct liveness masks`);
  const codes = new Set(spec.meta.globalInvariants.map((g) => g.code));
  assert.equal(codes.size, 7);
});

Deno.test("global-agg-after adds the written instance back and answers as the full check and liveness, on lease, calc and every term shape", async () => {
  for (const [name, source] of [["terms", TERMS], ["lease", null], ["calc", null]] as const) {
    const text = source ??
      await Deno.readTextFile(new URL(`../specs/${name}.vigil`, import.meta.url));
    const { spec } = await compileToTemp(name, text);
    assert.ok(agreeAfter(spec, 0xaf7 + name.length, CHANGES) > CHANGES / 2, name);
  }
});

Deno.test("a spec compiled before the aggregate exports, or without terms, has no maintained aggregates", async () => {
  const { files } = await compileToTemp(
    "calc",
    await Deno.readTextFile(
      new URL("../specs/calc.vigil", import.meta.url),
    ),
  );
  const core = files.get("calc.core.wasm")!;
  assert.ok((await loadCompiled(core)).globalAggregates !== undefined);
  const older = await loadCompiled(withoutExport(core, "global-check-agg"));
  assert.equal(older.globalAggregates, undefined);
  const toggle = await compileToTemp(
    "toggle",
    "spec Toggle\nstate on: bool = false\naction flip\n  on := not on\n",
  );
  assert.equal(toggle.spec.globalAggregates, undefined);
  const agg = (await loadCompiled(core)).globalAggregates!;
  assert.throws(() => agg.add(0, 0, 2), RangeError);
});

/** Random traffic of `spec` from `nodes` nodes over `keys` keys: each event carries a random state. */
function randomTraffic(
  spec: CompiledSpec,
  seed: number,
  nodes: number,
  keys: number,
): DecodedBatch[] {
  const rnd = random(seed);
  const scratch = spec.create(1);
  const action = 0;
  const argc = spec.meta.actions[action]!.params.length;
  return nodeBatches(
    spec,
    300,
    () => Math.floor(rnd() * nodes),
    (_n, b, firstSeq) =>
      Array.from({ length: 6 }, (_, e) => {
        assert.equal(spec.writeSlots(scratch, randomSlots(spec, rnd, 0.3 + 0.6 * rnd())), 0);
        return {
          key: `k:${Math.floor(rnd() * keys)}`,
          // Gaps of up to 1.5 s now and then, so liveness deadlines pass.
          wall: 1_732_170_000_000 + b * 100 + e + (rnd() < 0.05 ? 1_500 : 0),
          logical: 0,
          action,
          args: new Array<number>(argc).fill(0),
          state: spec.stateBytes(scratch),
          verdict: 0,
          seq: firstSeq + e,
        };
      }),
  );
}

/** What a collector announced over `batches`, in order. */
function outcomes(spec: CompiledSpec, batches: readonly DecodedBatch[]): string[] {
  let now = 0;
  const c = createCollector({ specs: [spec], now: () => now, windowMs: 0 });
  const seen: string[] = [];
  c.on((e) => {
    if (e.type === "violation") {
      const v = e.violation;
      seen.push(`${v.kind} ${v.partition} ${v.property.name} ${v.nodes.join(",")}`);
    } else if (e.type === "violation_cleared") seen.push(`cleared ${e.name}`);
  });
  for (const b of batches) {
    c.ingest(b);
    now = b.events.at(-1)!.wall - 1_732_170_000_000;
    c.advance(now);
  }
  c.flush();
  return seen;
}

Deno.test("the collector raises the same violations and liveness timeouts with maintained aggregates as with a spec compiled before them", async () => {
  for (const [name, source] of [["calc", null], ["terms", TERMS]] as const) {
    const text = source ??
      await Deno.readTextFile(new URL(`../specs/${name}.vigil`, import.meta.url));
    const { files } = await compileToTemp(name, text);
    const core = files.get(`${name}.core.wasm`)!;
    const maintained = await loadCompiled(core);
    // Before the aggregates, and so before global-after: the collector calls each export itself.
    const older = await loadCompiled(
      withoutExport(withoutExport(core, "global-check-agg"), "global-after"),
    );
    // The record's calls one by one after each write (no global-agg-after).
    const separate = await loadCompiled(withoutExport(core, "global-agg-after"));
    assert.ok(maintained.globalAggregates !== undefined && older.globalAggregates === undefined);
    assert.ok(maintained.globalAfter !== undefined && older.globalAfter === undefined);
    assert.ok(maintained.globalAggregates.after !== undefined);
    assert.equal(separate.globalAggregates?.after, undefined);
    for (const seed of [1, 2, 3]) {
      // 12 nodes over 3 keys: partitions pass AGGREGATE_FROM participants on the way.
      const batches = randomTraffic(maintained, seed, 12, 3);
      const mine = outcomes(maintained, batches);
      assert.ok(mine.some((s) => s.startsWith("invariant")), `${name} seed ${seed}: no violation`);
      assert.ok(
        mine.some((s) => s.startsWith("liveness_timeout")),
        `${name} seed ${seed}: no timeout`,
      );
      assert.deepEqual(mine, outcomes(older, batches), `${name} seed ${seed}`);
      assert.deepEqual(mine, outcomes(separate, batches), `${name} seed ${seed}, separate calls`);
    }
  }
});

Deno.test("an at-most-one pair invariant becomes a maintained count only when its predicate is the same on both nodes and cannot fail", () => {
  const program = analyze(TERMS).program!;
  const parts = aggregatePlan(program).invariants.map((i) => i.parts.map((p) => p.kind).join(" "));
  const names = program.globalInvariants.map((g) => g.name);
  assert.deepEqual(Object.fromEntries(names.map((n, i) => [n, parts[i]])), {
    Budget: "full full",
    Pinned: "pinned full",
    Keyed: "full",
    Divided: "full",
    OneNine: "full",
    Mixed: "pinned",
    DividedPair: "pinned",
  });
});
