/**
 * The incremental global check (`global-check-node`) against the full one
 * (`global-check`) on random states: for every spec with global invariants
 * and a spec written to reach each shape the code generator handles (three
 * pinned node variables, arithmetic errors in a pinned body, a split `and`
 * with an aggregate, a map read keyed by another node, a fourth node
 * variable that is not pinned), a seeded walk over random participant
 * states (`tests/global_walk.ts`) changes one participant (or adds one) at a
 * time, and after every change to a block that passed the full check the
 * two exports must agree. Bounded: a fixed number of cases per spec
 * (`VIGIL_INCREMENTAL_CASES`, default 2,000). A collector fed the same
 * traffic raises the same violations through the incremental check as
 * through a spec compiled before the export (the full check).
 *
 * @module
 */
import assert from "node:assert/strict";
import { compileToTemp, specSource } from "../tools/harness/spec_files.ts";
import type { CompiledSpec } from "../lib/abi/compiled.ts";
import { loadCompiled } from "../lib/abi/loader.ts";
import { rng as random } from "./collector_core_fixture.ts";
import { nodeBatches } from "./random_states.ts";
import { walkBlock } from "./global_walk.ts";
import { withoutExport } from "../tools/harness/older_spec.ts";
import { leaseKit } from "../tools/harness/lease/states.ts";
import { AFTER_GLOBAL_SHIFT, AFTER_LOCAL_SHIFT, globalAfterFits } from "../lib/abi/global_after.ts";
import { createCollector } from "../edge/engine/collector.ts";
import type { DecodedBatch } from "../lib/wire/event.ts";

/** A spec whose global invariants take every path of the incremental check. */
const SHAPES = `spec Shapes
  type Role = enum { idle, lead, follow }
  type Term = 0..3
  type Key = 0..2
  state role: Role = idle
  state term: Term = 0
  state x: int = 0
  state y: 0..9 = 0
  state m: map[Key, int] = 0

  action go(r: Role)
    role := r

  global invariant Trio
    forall a, b, c in nodes: a.x + b.x + c.x != 7 or a == b or b == c

  global invariant LeadersAndLoad
    (forall a, b in nodes: a.role == lead and b.role == lead and a.term == b.term implies a == b) and sum(n in nodes: n.y) < 30

  global invariant FewFollowers
    count(n in nodes: n.role == follow) <= 3

  global invariant Keyed
    forall a, b in nodes: a.m[b.term] >= 0 - 5 or a == b

  global invariant Deep
    forall a in nodes: forall b in nodes: exists k: Key: a.m[k] != b.x or a == b

  global invariant Four
    forall a, b, c, d in nodes: a.y + b.y + c.y + d.y < 34
`;

interface Tally {
  cases: number;
  /** Cases whose changed state fails the full check (the incremental one must find it). */
  failing: number;
  /** Failing cases with an arithmetic-error code rather than an invariant's own. */
  arith: number;
}

/**
 * Runs `cases` seeded cases on `spec` (changes of a random walk made to a
 * block that passed the full check); every one must agree.
 */
function agree(spec: CompiledSpec, seed: number, cases: number): Tally {
  const checkNode = spec.globalCheckNode;
  assert.ok(checkNode !== undefined, `spec '${spec.meta.name}' has no global-check-node`);
  const invariantCodes = new Set(spec.meta.globalInvariants.map((g) => g.code));
  const tally: Tally = { cases: 0, failing: 0, arith: 0 };
  for (const c of walkBlock(spec, { seed, steps: cases * 50, restartEvery: 16 })) {
    if (!c.passedBefore) continue;
    const incremental: number = checkNode(c.block, c.count, c.changed);
    assert.equal(
      incremental,
      c.full,
      `spec '${spec.meta.name}', seed ${seed}, step ${c.step}: ${c.count} nodes, node ${c.changed} ${
        c.joined ? "joined" : "changed"
      }`,
    );
    tally.cases++;
    if (c.full !== 0) {
      tally.failing++;
      if (!invariantCodes.has(c.full)) tally.arith++;
    }
    if (tally.cases === cases) break;
  }
  assert.equal(tally.cases, cases, `spec '${spec.meta.name}' drew too few passing states`);
  return tally;
}

const CASES = Number(Deno.env.get("VIGIL_INCREMENTAL_CASES") ?? 2000);

for (const name of ["lease", "raft", "calc"]) {
  Deno.test(`global-check-node agrees with global-check on random ${name} states`, async () => {
    const { spec } = await compileToTemp(name, specSource(name));
    const tally = agree(spec, 0x5eed + name.length, CASES);
    assert.ok(tally.failing > 0, `no ${name} case failed the check: the test would prove nothing`);
  });
}

Deno.test("global-check-node agrees with global-check on every shape it compiles", async () => {
  const { spec } = await compileToTemp("shapes", SHAPES);
  const tally = agree(spec, 0xc0ffee, CASES * 2);
  assert.ok(tally.failing > CASES / 20, `only ${tally.failing} failing cases`);
  assert.ok(tally.arith > 0, "no case ended in an arithmetic error");
});

/**
 * `global-after` against the three exports it stands for, on the same
 * walk: pinned after a passing block (the incremental check), unpinned
 * otherwise; the code, the changed instance's liveness mask and the
 * block's global liveness mask, unpacked.
 */
function afterAgrees(spec: CompiledSpec, seed: number, cases: number): number {
  const after = spec.globalAfter;
  assert.ok(after !== undefined, `spec '${spec.meta.name}' has no global-after`);
  let masks = 0;
  let n = 0;
  for (const c of walkBlock(spec, { seed, steps: cases, restartEvery: 16 })) {
    const packed = after(c.block, c.count, c.changed, c.passedBefore);
    const code = c.passedBefore ? spec.globalCheckNode!(c.block, c.count, c.changed) : c.full;
    const local = spec.liveness(c.block + c.changed);
    const global = spec.globalLiveness(c.block, c.count);
    const where = `spec '${spec.meta.name}', seed ${seed}, step ${c.step}`;
    assert.equal(packed & 0xffff, code, where);
    assert.equal((packed >>> AFTER_LOCAL_SHIFT) & 0xff, local, where);
    assert.equal(packed >>> AFTER_GLOBAL_SHIFT, global, where);
    if (local !== 0 || global !== 0) masks++;
    n++;
  }
  assert.equal(n, cases);
  return masks;
}

for (const name of ["lease", "raft", "calc"]) {
  Deno.test(`global-after answers as global-check(-node), liveness and global-liveness on random ${name} states`, async () => {
    const { spec } = await compileToTemp(name, specSource(name));
    afterAgrees(spec, 0xaf7e + name.length, CASES);
  });
}

Deno.test("global-after unpacks to the three answers on every shape, and liveness masks come through", async () => {
  const { spec } = await compileToTemp("shapes", SHAPES);
  afterAgrees(spec, 0xc0ffee, CASES);
  const lease = await compileToTemp("lease", specSource("lease"));
  assert.ok(afterAgrees(lease.spec, 7, 500) > 0, "no lease state had a liveness bit set");
});

Deno.test("a spec whose codes or liveness items do not fit the packing has no global-after", () => {
  const fits = { verdicts: new Array(20), liveness: new Array(4), globalLiveness: new Array(4) };
  assert.ok(globalAfterFits(fits));
  assert.ok(!globalAfterFits({ ...fits, liveness: new Array(5) }));
  assert.ok(!globalAfterFits({ ...fits, globalLiveness: new Array(5) }));
  assert.ok(!globalAfterFits({ ...fits, verdicts: new Array(0x10001) }));
});

Deno.test("global-check-node on a passing block and a spec without global invariants", async () => {
  const { spec } = await compileToTemp("lease", specSource("lease"));
  const first = spec.create(3);
  assert.equal(spec.globalCheckNode!(first, 3, 1), 0);
  const acquire = spec.stepFn(spec.actionIndex("acquire"));
  assert.equal(acquire(first + 0, 1), 0);
  assert.equal(spec.globalCheckNode!(first, 3, 0), 0);
  assert.equal(acquire(first + 2, 2), 0);
  const oneHolder = spec.meta.globalInvariants.find((g) => g.name === "OneHolder")!.code;
  assert.equal(spec.globalCheckNode!(first, 3, 2), oneHolder);
  assert.throws(() => spec.globalCheckNode!(first, 3, 3), RangeError);
  const toggle = await compileToTemp("toggle", specSource("toggle"));
  const t = toggle.spec.create(2);
  assert.equal(toggle.spec.globalCheckNode!(t, 2, 0), 0);
});

/** Random lease traffic from `nodes` nodes over `keys` keys: holders overlap now and then. */
function leaseTraffic(
  spec: CompiledSpec,
  seed: number,
  nodes: number,
  keys: number,
): DecodedBatch[] {
  const rnd = random(seed);
  const { free, held, acquire, release } = leaseKit(spec);
  const holding = Array.from({ length: nodes }, () => new Array<boolean>(keys).fill(false));
  return nodeBatches(
    spec,
    120,
    () => Math.floor(rnd() * nodes),
    (n, b, firstSeq) =>
      Array.from({ length: 8 }, (_, e) => {
        const k = Math.floor(rnd() * keys);
        const take = !holding[n]![k]! && rnd() < 0.6;
        holding[n]![k] = take;
        return {
          key: `lock:${k}`,
          wall: 1_732_170_000_000 + b * 8 + e,
          logical: 0,
          action: take ? acquire : release,
          args: [(n % 3) + 1],
          state: take ? held[n % 3]! : free,
          verdict: 0,
          seq: firstSeq + e,
        };
      }),
  );
}

Deno.test("the collector raises the same violations with global-check-node as with a spec compiled before it", async () => {
  const { files } = await compileToTemp("lease", specSource("lease"));
  const core = files.get("lease.core.wasm")!;
  // global-after (one call: check, liveness masks), the exports one by one, and the full check.
  const incremental = await loadCompiled(core);
  const separate = await loadCompiled(withoutExport(core, "global-after"));
  const older = await loadCompiled(
    withoutExport(withoutExport(core, "global-check-node"), "global-after"),
  );
  assert.ok(incremental.globalCheckNode !== undefined && incremental.globalAfter !== undefined);
  assert.ok(separate.globalCheckNode !== undefined && separate.globalAfter === undefined);
  assert.equal(older.globalCheckNode, undefined, "the older spec has no incremental export");
  for (const seed of [1, 2, 3, 4]) {
    const outcomes = [incremental, separate, older].map((spec) => {
      const c = createCollector({ specs: [spec], now: () => 0, windowMs: 0 });
      const seen: string[] = [];
      c.on((e) => {
        if (e.type === "violation") {
          seen.push(`violation ${e.violation.property.name} ${e.violation.nodes.join(",")}`);
        } else if (e.type === "violation_cleared") seen.push(`cleared ${e.name}`);
      });
      for (const b of leaseTraffic(spec, seed, 5, 3)) c.ingest(b);
      c.flush();
      return seen;
    });
    assert.ok(outcomes[0]!.some((s) => s.startsWith("violation OneHolder")), `seed ${seed}`);
    assert.deepEqual(outcomes[0], outcomes[1], `seed ${seed}`);
    assert.deepEqual(outcomes[0], outcomes[2], `seed ${seed}`);
  }
});
