/**
 * The oracle itself, on small Lease scenarios whose verdicts are worked out
 * by hand from the semantics documented in `edge/engine/collector.ts`: merge order,
 * episodes, nodes involved, the newest state across boots, duplicates, and
 * late events in the window model.
 */
import assert from "node:assert/strict";
import { loadForCollector } from "./collector_core_fixture.ts";
import {
  mergeOrder,
  type OracleEvent,
  OracleSpec,
  sortedMerge,
  WindowModel,
} from "./merge_oracle.ts";
import { specSource } from "../tools/harness/spec_files.ts";

const spec = await OracleSpec.fromSource(specSource("lease"));
const compiled = await loadForCollector("lease");
const inst = compiled.create();

/** A packed Lease state: `held` by `owner` or `free` (slots: mode, owner, token, granted[0..3]). */
function lease(held: boolean, owner = 0): Uint8Array {
  compiled.writeSlots(inst, [held ? 1n : 0n, BigInt(owner), 0n, 0n, 0n, 0n, 0n]);
  return compiled.stateBytes(inst);
}

let seqs = new Map<string, number>();
/** An event of `node` (boot `<node>-1` unless given) at HLC `wall`.`logical`, numbered per stream. */
function ev(
  node: string,
  wall: number,
  held: boolean,
  options: { logical?: number; boot?: string; key?: string } = {},
): OracleEvent {
  const boot = options.boot ?? `${node}-1`;
  const seq = seqs.get(boot) ?? 0;
  seqs.set(boot, seq + 1);
  return {
    spec: spec.hash,
    node,
    boot,
    seq,
    key: options.key ?? "lock:1",
    wall,
    logical: options.logical ?? 0,
    action: held ? 0 : 1,
    args: [1],
    state: lease(held, held ? 1 : 0),
    verdict: 0,
  };
}

Deno.test("A double hold opens one OneHolder episode at the second acquire; a release ends it", () => {
  seqs = new Map();
  const a1 = ev("a", 10, true);
  const b1 = ev("b", 20, true);
  const a2 = ev("a", 25, true); // same code while the episode is open: no new violation
  const b2 = ev("b", 30, false);
  const run = sortedMerge([spec], [b2, a2, b1, a1]);
  const p = run.partitions.get("Lease/lock:1")!;
  assert.deepEqual(p.violations.map((v) => [v.name, v.at, v.nodes]), [
    ["OneHolder", { wall: 20, logical: 0 }, ["a", "b"]],
  ]);
  assert.deepEqual(p.violations[0]!.history, [["a", 0, false], ["b", 0, false]]);
  assert.deepEqual(p.violations[0]!.cut.map((c) => [c.node, c.seq, c.state]), [
    ["a", 0, spec.view([1n, 1n, 0n, 0n, 0n, 0n, 0n])],
    ["b", 0, spec.view([1n, 1n, 0n, 0n, 0n, 0n, 0n])],
  ]);
  assert.deepEqual(p.clears, [{
    partition: "Lease/lock:1",
    name: "OneHolder",
    at: { wall: 30, logical: 0 },
  }]);
  assert.equal(p.status, "ok");
  assert.deepEqual(p.participants.map((q) => [q.node, q.seq]), [["a", 1], ["b", 1]]);
});

Deno.test("Merge order breaks HLC ties by logical, node id, boot id, then sequence number", () => {
  seqs = new Map();
  // b holds first by logical time, then a (same wall, higher logical): a is the second holder.
  const b = ev("b", 10, true, { logical: 0 });
  const a = ev("a", 10, true, { logical: 1 });
  const run = sortedMerge([spec], [a, b]);
  const v = run.partitions.get("Lease/lock:1")!.violations;
  assert.deepEqual(v.map((x) => x.at), [{ wall: 10, logical: 1 }]);
  assert.deepEqual(v[0]!.history.map(([n]) => n), ["b", "a"]);
  const at = (node: string, boot: string, seq: number) => ({
    wall: 1,
    logical: 0,
    node,
    boot,
    seq,
  });
  assert.ok(mergeOrder(at("a", "z", 9), at("b", "a", 0)) < 0, "node before boot");
  assert.ok(mergeOrder(at("a", "y", 9), at("a", "z", 0)) < 0, "boot before seq");
  assert.ok(mergeOrder(at("a", "y", 2), at("a", "y", 10)) < 0, "seq as numbers");
  assert.ok(mergeOrder({ ...at("b", "a", 0), logical: 0 }, { ...at("a", "a", 0), logical: 1 }) < 0);
  assert.equal(mergeOrder(at("a", "y", 2), at("a", "y", 2)), 0);
  // Equal HLCs: node id decides.
  seqs = new Map();
  const tie = sortedMerge([spec], [ev("b", 10, true), ev("a", 10, true)]);
  assert.deepEqual(tie.partitions.get("Lease/lock:1")!.violations[0]!.history.map(([n]) => n), [
    "a",
    "b",
  ]);
});

Deno.test("The nodes involved are the smallest failing subset: a free third node is left out", () => {
  seqs = new Map();
  const run = sortedMerge([spec], [ev("c", 5, false), ev("a", 10, true), ev("b", 20, true)]);
  const v = run.partitions.get("Lease/lock:1")!.violations;
  assert.equal(v.length, 1);
  assert.deepEqual(v[0]!.nodes, ["a", "b"]);
  assert.deepEqual(
    v[0]!.cut.map((c) => c.node),
    ["c", "a", "b"],
    "the cut lists every participant",
  );
});

Deno.test("Across boots the newer HLC wins: a new boot's older-stamped event keeps the old state", () => {
  seqs = new Map();
  const old = ev("a", 50, true, { boot: "a-1" });
  // Boot a-2 starts with a clock behind the old boot's last HLC, but its event
  // orders after the old one only if its HLC is higher; at 40 it orders before.
  const behind = ev("a", 40, false, { boot: "a-2" });
  const run = sortedMerge([spec], [old, behind, ev("b", 60, true)]);
  const p = run.partitions.get("Lease/lock:1")!;
  assert.deepEqual(p.participants.map((q) => [q.node, q.boot, q.wall]), [
    ["a", "a-1", 50],
    ["b", "b-1", 60],
  ]);
  assert.equal(p.violations.length, 1, "a still holds when b acquires");
  seqs = new Map();
  const ahead = sortedMerge([spec], [
    ev("a", 50, true, { boot: "a-1" }),
    ev("a", 55, false, { boot: "a-2" }),
    ev("b", 60, true),
  ]);
  const q = ahead.partitions.get("Lease/lock:1")!;
  assert.deepEqual(q.participants.map((x) => [x.node, x.boot]), [["a", "a-2"], ["b", "b-1"]]);
  assert.equal(q.violations.length, 0);
});

Deno.test("Duplicates are counted once; partitions are per key", () => {
  seqs = new Map();
  const a = ev("a", 10, true, { key: "k:1" });
  const b = ev("b", 10, true, { key: "k:2" });
  const run = sortedMerge([spec], [a, b, a, { ...a }]);
  assert.equal(run.events, 2);
  assert.equal(run.duplicates, 2);
  assert.deepEqual([...run.partitions.keys()], ["Lease/k:1", "Lease/k:2"]);
  assert.ok([...run.partitions.values()].every((p) => p.violations.length === 0));
});

Deno.test("The window model releases by arrival plus window, and a late old event never overwrites a newer state", () => {
  seqs = new Map();
  const a0 = ev("a", 10, true);
  const a1 = ev("a", 30, false);
  const b0 = ev("b", 20, true);
  const m = new WindowModel([spec], { windowMs: 5 });
  m.ingest([a1], 100);
  assert.equal(m.run.applied, 0, "buffered until 105");
  m.advance(104);
  assert.equal(m.run.applied, 0);
  m.advance(105);
  assert.equal(m.run.applied, 1);
  m.ingest([b0], 106); // orders before a1, already applied: late, applied at once
  m.ingest([a0], 107); // late too, and older than a1 on a's stream: a's state stays free
  m.flush();
  const p = m.run.partitions.get("Lease/lock:1")!;
  assert.equal(m.run.late, 2);
  assert.deepEqual(p.participants.map((q) => [q.node, q.seq]), [["a", 1], ["b", 0]]);
  assert.equal(p.violations.length, 0, "a's free state was newest when b's late hold arrived");
  // The sorted merge of the same events sees the double hold at b's acquire.
  seqs = new Map();
  const merged = sortedMerge([spec], [ev("a", 10, true), ev("a", 30, false), ev("b", 20, true)]);
  assert.equal(merged.partitions.get("Lease/lock:1")!.violations.length, 1);
});

Deno.test("The window model applies what orders before a due event first, in merge order", () => {
  seqs = new Map();
  const a0 = ev("a", 10, true);
  const b0 = ev("b", 20, true);
  const m = new WindowModel([spec], { windowMs: 50 });
  m.ingest([b0], 0); // due at 50
  m.ingest([a0], 40); // due at 90, but orders before b0
  m.advance(50);
  assert.equal(m.run.applied, 2);
  assert.equal(m.run.late, 0);
  assert.deepEqual(m.run.partitions.get("Lease/lock:1")!.violations[0]!.history, [
    ["a", 0, false],
    ["b", 0, false],
  ]);
  assert.equal(m.buffered, 0);
});
