import assert from "node:assert/strict";
import type { EventSnapshot, PartitionSnapshot } from "../engine/types.ts";
import {
  packedBytes,
  PackedPartitionError,
  packedSnapshot,
  packSnapshot,
  unpackPartition,
} from "./packed_partition.ts";
import { decodeSnapshot, encodeSnapshot } from "./snapshot_bytes.ts";
import { rng } from "../../tests/collector_core_fixture.ts";

/** Numbers of every shape a snapshot may hold: small, large, negative, fractional, not finite. */
function numberOf(r: () => number): number {
  const pick = Math.floor(r() * 9);
  switch (pick) {
    case 0:
      return Math.floor(r() * 128);
    case 1:
      return 1_700_000_000_000 + Math.floor(r() * 1e6);
    case 2:
      return -Math.floor(r() * 1e5);
    case 3:
      return r() * 1000;
    case 4:
      return -1;
    case 5:
      return Number.MAX_SAFE_INTEGER;
    case 6:
      return 2 ** 60;
    case 7:
      return -0;
    default:
      return Math.floor(r() * 70_000);
  }
}

const NAMES = [
  "api-1",
  "api-2",
  "nœud-3",
  "",
  "x".repeat(40),
  ...Array.from({ length: 30 }, (_, i) => `n${i}`),
];

function eventOf(r: () => number, wall: number): EventSnapshot {
  const e: EventSnapshot = {
    node: NAMES[Math.floor(r() * NAMES.length)]!,
    boot: `b${Math.floor(r() * 3)}`,
    seq: Math.floor(r() * 1e6),
    wall: r() < 0.1 ? numberOf(r) : wall,
    logical: Math.floor(r() * 4),
    action: Math.floor(r() * 5),
    args: Array.from({ length: Math.floor(r() * 4) }, () => numberOf(r)),
    verdict: Math.floor(r() * 3),
    late: r() < 0.2,
  };
  return r() < 0.2 ? { ...e, spec: `old${Math.floor(r() * 2)}` } : e;
}

function partitionOf(r: () => number): PartitionSnapshot {
  let wall = 1_700_000_000_000;
  const events = (n: number) =>
    Array.from({ length: n }, () => eventOf(r, wall += Math.floor(r() * 50)));
  const participants = Array.from({ length: Math.floor(r() * 20) }, (_, i) => {
    const state = btoa(
      String.fromCharCode(
        ...Array.from({ length: Math.floor(r() * 40) }, () => Math.floor(r() * 256)),
      ),
    );
    const q = {
      node: NAMES[i % NAMES.length]!,
      boot: "b1",
      seq: Math.floor(r() * 1e6),
      wall: r() < 0.1 ? -Infinity : wall,
      logical: Math.floor(r() * 3),
      state,
      lastEvents: events(Math.floor(r() * 6)),
    };
    const local = r() < 0.3 ? { ...q, localDeadlines: [numberOf(r), -1, -2] } : q;
    return r() < 0.2 ? { ...local, spec: "old1" } : local;
  });
  const last = r() < 0.2 ? null : {
    wall,
    logical: 1,
    node: NAMES[Math.floor(r() * NAMES.length)]!,
    boot: "b1",
    seq: 7,
  };
  const out: PartitionSnapshot = {
    spec: "hash-1",
    key: r() < 0.5 ? `lock:${Math.floor(r() * 100)}` : "clé:ü",
    participants,
    history: events(Math.floor(r() * 40)),
    lastApplied: last === null ? null : { wall: last.wall, logical: last.logical },
    lastPos: last,
    applied: Math.floor(r() * 1e7),
    episode: Math.floor(r() * 3),
    deadlines: Array.from({ length: Math.floor(r() * 3) }, () => numberOf(r)),
    incomplete: r() < 0.3,
    violations: Math.floor(r() * 5),
  };
  return r() < 0.2
    ? { ...out, mixed: [{ node: "api-1", spec: "old1", reason: "Variable 'x' gone" }] }
    : out;
}

Deno.test("A packed partition unpacks to the snapshot it was packed from, every field and number shape", () => {
  for (let seed = 1; seed <= 300; seed++) {
    const r = rng(seed);
    const snap = partitionOf(r);
    const back = unpackPartition(packSnapshot(snap));
    assert.deepEqual(back, snap, `seed ${seed}`);
    // The packed object reads the same through its fields and through JSON.
    const { participants: _p, history: _h, ...head } = snap;
    const packed = seed % 2 === 0
      ? packedSnapshot(packSnapshot(snap))
      : packedSnapshot(packSnapshot(snap), head);
    assert.deepEqual(packed, snap, `seed ${seed}: the packed object`);
    assert.deepEqual({ ...packed }, snap, `seed ${seed}: spread`);
    assert.deepEqual([packed.spec, packed.key, packed.applied], [
      snap.spec,
      snap.key,
      snap.applied,
    ]);
    assert.deepEqual(packed.history, snap.history, `seed ${seed}: history`);
    assert.deepEqual(
      JSON.parse(JSON.stringify(packed)),
      JSON.parse(JSON.stringify(snap)),
      `seed ${seed}: JSON`,
    );
  }
});

Deno.test("A partition record whose causal part is longer than a call takes arguments (a 200,000-character JSON) unpacks", () => {
  // An open episode in a partition many nodes passed through: a 130,828-character causal part was
  // written, and reading it back threw (ASCII decoded by String.fromCharCode.apply over every byte).
  const lanes = Array.from({ length: 20_000 }, (_, k) => [k]);
  const causal = { lanes, note: "x".repeat(60_000) } as unknown as NonNullable<
    PartitionSnapshot["causal"]
  >;
  const snap: PartitionSnapshot = { ...partitionOf(rng(11)), causal };
  assert.ok(JSON.stringify(causal).length > 200_000);
  assert.deepEqual(unpackPartition(packSnapshot(snap)), snap);
  assert.deepEqual(
    JSON.parse(JSON.stringify(packedSnapshot(packSnapshot(snap)))),
    JSON.parse(JSON.stringify(snap)),
  );
});

Deno.test("A packed snapshot's record is written as it is, not packed again", () => {
  const snap = partitionOf(rng(7));
  const bytes = packSnapshot(snap);
  const packed = packedSnapshot(bytes);
  assert.equal(packSnapshot(packed), bytes);
  assert.equal(packedBytes(snap), null);
});

Deno.test("Damaged partition records are refused with where reading stopped", () => {
  const bytes = packSnapshot(partitionOf(rng(3)));
  const cut = bytes.subarray(0, bytes.length - 3);
  assert.throws(() => unpackPartition(cut), (e: unknown) => {
    assert.ok(e instanceof PackedPartitionError);
    assert.match(e.message, /damaged at byte \d+ of \d+/);
    return true;
  });
  const longer = new Uint8Array(bytes.length + 1);
  longer.set(bytes);
  assert.throws(() => unpackPartition(longer), /1 bytes after its end/);
  const other = bytes.slice();
  other[0] = 9;
  assert.throws(() => unpackPartition(other), /format '9', expected '1'/);
});

Deno.test("An encoded snapshot decodes to its plain form; a plain JSON snapshot still decodes", () => {
  const partitions = Array.from({ length: 12 }, (_, i) => partitionOf(rng(100 + i)));
  const snap = {
    version: 1 as const,
    takenAt: 42,
    streams: [],
    nodes: [],
    violations: [],
    counters: { events: 9 },
    partitions,
  };
  assert.deepEqual(decodeSnapshot(encodeSnapshot(snap)), snap);
  const some = decodeSnapshot(encodeSnapshot(snap, partitions.slice(3, 5)));
  assert.deepEqual(some.partitions, partitions.slice(3, 5));
  const json = new TextEncoder().encode(JSON.stringify(snap));
  assert.deepEqual(decodeSnapshot(json), JSON.parse(JSON.stringify(snap)));
  const bytes = encodeSnapshot(snap);
  assert.throws(
    () => decodeSnapshot(bytes.subarray(0, bytes.length - 1)),
    /end at \d+ inside record 11/,
  );
});
