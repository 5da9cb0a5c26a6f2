/**
 * The dependency table's vector clocks (`edge/engine/causal/happened_before.ts`)
 * against a brute-force transitive closure of the entries it keeps, on
 * seeded random histories: entries recorded out of order and again
 * (redelivery), pruned now and then, and looked up at random times in
 * random order (forward and backward from the last lookup, which the
 * table's search starts from).
 */
import assert from "node:assert/strict";
import { DependencyTable, type HlcPoint } from "../edge/engine/causal/happened_before.ts";
import { Rng } from "./causal/simulator.ts";

/** Per node, the latest point of it known to precede `node`'s event at `at`, from entry rows (six numbers each). */
function closure(rows: readonly number[], names: readonly string[]) {
  const memo = new Map<string, Map<string, HlcPoint>>();
  const before = (a: HlcPoint, b: HlcPoint) =>
    a.wall < b.wall || (a.wall === b.wall && a.logical <= b.logical);
  const known = (node: number, at: HlcPoint): Map<string, HlcPoint> => {
    const key = `${node}@${at.wall}.${at.logical}`;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    const out = new Map<string, HlcPoint>();
    const raise = (name: string, p: HlcPoint) => {
      const q = out.get(name);
      if (q === undefined || !before(p, q)) out.set(name, p);
    };
    for (let k = 0; k < rows.length; k += 6) {
      if (rows[k] !== node || !before({ wall: rows[k + 1]!, logical: rows[k + 2]! }, at)) continue;
      const from = rows[k + 3]!;
      const t = { wall: rows[k + 4]!, logical: rows[k + 5]! };
      raise(names[from]!, t);
      for (const [name, p] of known(from, t)) if (name !== names[node]) raise(name, p);
    }
    memo.set(key, out);
    return out;
  };
  return known;
}

/** True when `p` is known and at or after `q`. */
function atLeast(p: HlcPoint | undefined, q: HlcPoint): boolean {
  return p !== undefined && (p.wall > q.wall || (p.wall === q.wall && p.logical >= q.logical));
}

Deno.test("Vector clocks equal the transitive closure of the entries kept, whatever the order entries and lookups come in", () => {
  let lookups = 0;
  let nonEmpty = 0;
  for (let seed = 1; seed <= 12; seed++) {
    const rng = new Rng(seed);
    const names = ["A", "B", "C", "D", "E"].slice(0, 2 + (seed % 4));
    const table = new DependencyTable();
    // Entries: a receiver's event after the stamp it observed (HLC order), walls 0-2 000.
    const entries: [string, HlcPoint, string, HlcPoint][] = [];
    for (let e = 0; e < 150; e++) {
      const to = rng.int(0, names.length - 1);
      let from = rng.int(0, names.length - 2);
      if (from >= to) from++;
      const fw = rng.int(0, 1_900);
      const at = { wall: fw + rng.int(0, 100), logical: rng.int(0, 3) };
      const stamp = { wall: fw, logical: at.wall === fw ? 0 : rng.int(0, 3) };
      if (at.wall === stamp.wall && at.logical <= stamp.logical) at.logical = stamp.logical + 1;
      entries.push([names[to]!, at, names[from]!, stamp]);
    }
    // Mostly in order of the receiving event, some out of it, some twice.
    entries.sort((a, b) => a[1].wall - b[1].wall + rng.int(-150, 150));
    const pruning = seed % 3 === 0;
    const all: number[] = [];
    for (let e = 0; e < entries.length; e++) {
      const [to, at, from, stamp] = entries[e]!;
      table.record(to, at, { node: from, ...stamp });
      if (rng.next() < 0.1) table.record(to, at, { node: from, ...stamp });
      if (e % 50 === 49 && pruning) table.prune(at.wall - 600);
      const id = (name: string) => table.nodes.indexOf(name);
      all.push(id(to), at.wall, at.logical, id(from), stamp.wall, stamp.logical);
      if (e % 10 !== 9) continue;
      // Without pruning, exactly the closure; a pruned table may still know what its kept vectors learnt.
      const kept = closure(table.rows(), table.nodes);
      const ever = closure(all, table.nodes);
      for (let q = 0; q < 40; q++) {
        const node = rng.int(0, table.nodes.length - 1);
        const at = { wall: rng.int(0, 2_100), logical: rng.int(0, 4) };
        const got = table.vectorAt(table.nodes[node]!, at);
        const want = kept(node, at);
        const where = `seed ${seed}, ${e + 1} entries, ${
          table.nodes[node]
        } at ${at.wall}.${at.logical}`;
        if (!pruning) assert.deepEqual(new Map([...got].sort()), new Map([...want].sort()), where);
        else {
          const most = ever(node, at);
          for (const [name, p] of want) assert.ok(atLeast(got.get(name), p), `${where}: ${name}`);
          for (const [name, p] of got) assert.ok(atLeast(most.get(name), p), `${where}: ${name}`);
        }
        lookups++;
        if (want.size > 0) nonEmpty++;
      }
    }
  }
  assert.ok(
    lookups >= 7_000 && nonEmpty > lookups / 3,
    `${lookups} lookups, ${nonEmpty} knowing something`,
  );
});

Deno.test("An entry whose stamp is not before its event is refused and counted, and orders nothing", () => {
  const table = new DependencyTable();
  table.record("B", { wall: 20, logical: 0 }, { node: "A", wall: 30, logical: 0 }); // after
  table.record("B", { wall: 21, logical: 0 }, { node: "A", wall: 21, logical: 0 }); // the same time
  table.record("B", { wall: 22, logical: 1 }, { node: "A", wall: 22, logical: 0 }); // before: kept
  assert.equal(table.stampsAfter, 2);
  assert.equal(table.size, 1);
  assert.deepEqual(table.vectorAt("B", { wall: 25, logical: 0 }).get("A"), {
    wall: 22,
    logical: 0,
  });
  assert.equal(table.precedes("A", { wall: 23, logical: 0 }, "B", { wall: 40, logical: 0 }), false);
  // A cycle of claimed orders (A after B's stamp, B after A's later one) would loop the lookups: the late half is refused.
  table.record("A", { wall: 10, logical: 0 }, { node: "B", wall: 50, logical: 0 });
  table.record("B", { wall: 45, logical: 0 }, { node: "A", wall: 9, logical: 0 });
  assert.equal(table.stampsAfter, 3);
  assert.equal(table.vectorAt("A", { wall: 60, logical: 0 }).size, 0);
  assert.deepEqual(table.vectorAt("B", { wall: 60, logical: 0 }).get("A"), {
    wall: 22,
    logical: 0,
  });
});

Deno.test("A vector of an event before a late entry's time is kept across the epoch it bumped; one at or after it is recomputed", () => {
  const table = new DependencyTable();
  table.record("B", { wall: 20, logical: 0 }, { node: "A", wall: 10, logical: 0 });
  table.record("C", { wall: 40, logical: 0 }, { node: "B", wall: 30, logical: 0 });
  assert.deepEqual(table.vectorAt("C", { wall: 41, logical: 0 }).get("A"), {
    wall: 10,
    logical: 0,
  });
  // Late: B's event at 25 received A's stamp at 24, before C's entry naming B at 30.
  const epoch = table.epoch;
  table.record("B", { wall: 25, logical: 0 }, { node: "A", wall: 24, logical: 0 });
  assert.ok(table.epoch > epoch);
  assert.deepEqual(table.vectorAt("C", { wall: 41, logical: 0 }).get("A"), {
    wall: 24,
    logical: 0,
  });
  assert.deepEqual(table.vectorAt("B", { wall: 21, logical: 0 }).get("A"), {
    wall: 10,
    logical: 0,
  });
  // At the late entry's exact time, on the logical part: B at 25.0 again, from C's stamp.
  table.record("B", { wall: 25, logical: 0 }, { node: "C", wall: 5, logical: 0 });
  assert.deepEqual(table.vectorAt("C", { wall: 41, logical: 0 }).get("C"), undefined);
  assert.deepEqual(table.vectorAt("B", { wall: 25, logical: 0 }).get("C"), { wall: 5, logical: 0 });
});

Deno.test("entriesAt gives exactly the entries carried by the event at that time, as a scan of every row does", () => {
  const rng = new Rng(7);
  const table = new DependencyTable();
  const names = ["A", "B", "C", "D"];
  for (let e = 0; e < 400; e++) {
    const to = rng.int(0, 3);
    const from = (to + rng.int(1, 3)) % 4;
    const at = { wall: rng.int(10, 60), logical: rng.int(0, 2) };
    table.record(names[to]!, at, { node: names[from]!, wall: at.wall - rng.int(1, 9), logical: 0 });
  }
  const rows = table.rows();
  let some = 0;
  for (const node of names) {
    for (let wall = 8; wall <= 62; wall++) {
      for (let logical = 0; logical <= 3; logical++) {
        const want: { node: string; wall: number; logical: number }[] = [];
        for (let k = 0; k < rows.length; k += 6) {
          if (table.nodes[rows[k]!] !== node || rows[k + 1] !== wall || rows[k + 2] !== logical) {
            continue;
          }
          want.push({
            node: table.nodes[rows[k + 3]!]!,
            wall: rows[k + 4]!,
            logical: rows[k + 5]!,
          });
        }
        const got = table.entriesAt(node, { wall, logical });
        assert.deepEqual(got, want, `${node} at ${wall}.${logical}`);
        if (want.length > 1) some++;
      }
    }
  }
  assert.ok(some > 20, `${some} times carrying more than one entry`);
});

Deno.test("An entry carried at or after the latest wall pruned before (prunedTo) is kept: the handoff's carried stamp relies on it", () => {
  const t = new DependencyTable();
  assert.equal(t.prunedTo, -Infinity);
  for (let k = 0; k < 8; k++) {
    t.record("B", { wall: 10 * k + 5, logical: 0 }, { node: "A", wall: 10 * k, logical: 0 });
  }
  t.prune(42);
  assert.equal(t.prunedTo, 42);
  t.prune(30);
  assert.equal(t.prunedTo, 42, "the latest wall, not the last one");
  assert.ok(t.size < 8, "some were pruned");
  for (let k = 0; k < 8; k++) {
    const at = { wall: 10 * k + 5, logical: 0 };
    if (at.wall >= t.prunedTo) assert.equal(t.entriesAt("B", at).length, 1);
  }
});
