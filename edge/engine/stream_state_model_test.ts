/**
 * `StreamState` against a naive oracle that keeps one entry per sequence
 * number (received, buffered, in a hole with its `since` and `declared`
 * flag), under random sequences of receive, reach, declare (many ranges),
 * apply, expire, closing over the hole limit, snapshot and restore. After
 * every step the tracker must agree with the oracle on every answer and on
 * its whole state.
 */
import assert from "node:assert/strict";
import fc from "../../tools/dev_deps/fast_check.ts";
import { EventStore } from "./event_store.ts";
import { type Hole, StreamState } from "./stream_state.ts";
import type { Range } from "../../lib/wire/seq_ranges.ts";
import type { StreamSnapshot } from "./types.ts";

const ID = { spec: "ab", specName: "A", node: "n1", boot: "b1" };
/** Numbers stay below this, so the oracle can walk all of them. */
const N = 48;

interface Cell {
  readonly since: number;
  readonly declared: boolean;
}

/** One entry per number: the obviously right model of a stream. */
class Oracle {
  next = 0;
  readonly received = new Set<number>();
  readonly pending = new Set<number>();
  readonly holes = new Map<number, Cell>();

  /** Maximal runs of consecutive hole numbers with the same `since` and `declared`, ascending. */
  runs(): Hole[] {
    const out: Hole[] = [];
    for (let n = 0; n < this.next; n++) {
      const c = this.holes.get(n);
      if (c === undefined) continue;
      const last = out[out.length - 1];
      if (
        last !== undefined && last[1] === n - 1 && last[2] === c.since && last[3] === c.declared
      ) {
        last[1] = n;
      } else {
        out.push([n, n, c.since, c.declared]);
      }
    }
    return out;
  }

  receivedRanges(): Range[] {
    const out: Range[] = [];
    for (let n = 0; n < this.next; n++) {
      if (!this.received.has(n)) continue;
      const last = out[out.length - 1];
      if (last !== undefined && last[1] === n - 1) last[1] = n;
      else out.push([n, n]);
    }
    return out;
  }

  reach(seq: number, now: number): Hole | null {
    if (seq <= this.next) return null;
    const gap: Hole = [this.next, seq - 1, now, false];
    for (let n = this.next; n < seq; n++) this.holes.set(n, { since: now, declared: false });
    this.next = seq;
    return gap;
  }

  receive(seq: number, now: number): -1 | 0 | 1 {
    if (this.received.has(seq)) return -1;
    this.reach(seq, now);
    this.next = Math.max(this.next, seq + 1);
    this.received.add(seq);
    this.pending.add(seq);
    return this.holes.delete(seq) ? 1 : 0;
  }

  /** Ranges one at a time, as the wire describes them. */
  declareAll(ranges: readonly Range[], now: number): { holes: Hole[]; count: number } {
    const opened: Hole[] = [];
    let count = 0;
    for (const [a, b] of ranges) {
      for (let n = a; n <= Math.min(b, this.next - 1); n++) {
        const c = this.holes.get(n);
        if (c !== undefined && !c.declared) {
          this.holes.set(n, { since: c.since, declared: true });
          count++;
        }
      }
      if (b >= this.next) {
        const gap = this.reach(a, now);
        if (gap !== null) opened.push(gap);
        const from = Math.max(a, this.next);
        for (let n = from; n <= b; n++) this.holes.set(n, { since: now, declared: true });
        opened.push([from, b, now, true]);
        count += b - from + 1;
        this.next = b + 1;
      }
    }
    return { holes: opened, count };
  }

  #remove(runs: readonly Hole[]): void {
    for (const [a, b] of runs) for (let n = a; n <= b; n++) this.holes.delete(n);
  }

  expire(deadline: number): Hole[] {
    const gone = this.runs().filter((h) => h[2] <= deadline);
    this.#remove(gone);
    return gone;
  }

  closeOverLimit(max: number): Hole[] {
    const runs = this.runs();
    const gone = runs.slice(0, Math.max(0, runs.length - max));
    this.#remove(gone);
    return gone;
  }

  appliedThrough(): number {
    let min = this.next;
    for (const n of this.pending) min = Math.min(min, n);
    return min - 1;
  }

  /** A restart: buffered numbers are forgotten and reopen as undeclared holes at `now`. */
  restart(now: number): void {
    for (const n of this.pending) {
      this.received.delete(n);
      this.holes.set(n, { since: now, declared: false });
    }
    this.pending.clear();
  }
}

type Op =
  | { readonly op: "receive"; readonly seq: number }
  | { readonly op: "reach"; readonly seq: number }
  | { readonly op: "declare"; readonly start: number; readonly parts: readonly [number, number][] }
  | { readonly op: "apply"; readonly pick: number }
  | { readonly op: "expire"; readonly back: number }
  | { readonly op: "close" }
  | { readonly op: "restart" }
  | { readonly op: "tick"; readonly dt: number };

const seq = fc.integer({ min: 0, max: N - 1 });
const OP: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant("receive" as const), seq }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("reach" as const), seq }) },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant("declare" as const),
      start: fc.integer({ min: 0, max: N - 1 }),
      parts: fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 1, max: 4 })), {
        maxLength: 10,
      }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("apply" as const), pick: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant("expire" as const),
      back: fc.integer({ min: 0, max: 8 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("close" as const) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("restart" as const) }) },
  {
    weight: 3,
    arbitrary: fc.record({ op: fc.constant("tick" as const), dt: fc.integer({ min: 0, max: 3 }) }),
  },
);

/** Ascending, disjoint ranges (possibly touching) from a start and (gap, length) parts, below N. */
function rangesOf(start: number, parts: readonly [number, number][]): Range[] {
  const out: Range[] = [];
  let at = start;
  for (const [gap, len] of parts) {
    const first = at + gap;
    const last = first + len - 1;
    if (last >= N) break;
    out.push([first, last]);
    at = last + 1;
  }
  return out;
}

/** The stream's whole state agrees with the oracle's. */
function agree(s: StreamState, o: Oracle, where: string): void {
  assert.equal(s.next, o.next, `next, ${where}`);
  assert.deepEqual(s.holes.map((h) => [...h]), o.runs(), `holes, ${where}`);
  assert.equal(s.openHoles, s.holes.length);
  for (let i = 1; i < s.holes.length; i++) {
    assert.ok(s.holes[i - 1]![1] < s.holes[i]![0], `holes sorted and disjoint, ${where}`);
  }
  assert.deepEqual(s.received, o.receivedRanges(), `received, ${where}`);
  assert.equal(s.appliedThrough(), o.appliedThrough(), `appliedThrough, ${where}`);
  assert.equal(s.pendingCount, o.pending.size, `pending, ${where}`);
  for (let first = 0; first <= o.next; first++) {
    let none = true;
    for (let n = first; n < first + 3; n++) if (o.pending.has(n)) none = false;
    assert.equal(s.isApplied(first, 3), none, `isApplied(${first}, 3), ${where}`);
  }
}

Deno.test("StreamState agrees with a per-number oracle under random receive, declare, expire, limit and restart", () => {
  fc.assert(
    fc.property(
      fc.array(OP, { minLength: 1, maxLength: 60 }),
      fc.integer({ min: 1, max: 6 }),
      (ops, maxHoles) => {
        let now = 0;
        let store = new EventStore(8);
        let s = new StreamState(ID, now, store, { maxHoles });
        const slots = new Map<number, number>();
        const o = new Oracle();
        ops.forEach((op, step) => {
          const where = `step ${step} ${JSON.stringify(op)}`;
          switch (op.op) {
            case "receive": {
              const r = s.receive(op.seq, now);
              assert.equal(r, o.receive(op.seq, now), where);
              if (r !== -1) {
                const slot = store.alloc();
                slots.set(op.seq, slot);
                s.track(slot, store.genOf(slot), op.seq);
              }
              break;
            }
            case "reach":
              assert.deepEqual(s.reach(op.seq, now), o.reach(op.seq, now), where);
              break;
            case "declare": {
              const ranges = rangesOf(op.start, op.parts);
              const got = s.declareAll(ranges, now);
              const want = o.declareAll(ranges, now);
              assert.equal(got.count, want.count, `newly declared, ${where}`);
              assert.deepEqual(got.holes, want.holes, `opened, ${where}`);
              break;
            }
            case "apply": {
              const pending = [...o.pending].sort((a, b) => a - b);
              if (pending.length === 0) break;
              const n = pending[op.pick % pending.length]!;
              store.retire(slots.get(n)!);
              s.applied();
              o.pending.delete(n);
              break;
            }
            case "expire": {
              const deadline = now - op.back;
              assert.deepEqual(s.expire(deadline), o.expire(deadline), `expired, ${where}`);
              break;
            }
            case "close":
              assert.deepEqual(s.closeOverLimit(), o.closeOverLimit(maxHoles), `closed, ${where}`);
              assert.ok(s.openHoles <= maxHoles);
              break;
            case "restart": {
              const snap = JSON.parse(JSON.stringify(s.snapshot())) as StreamSnapshot;
              store = new EventStore(8);
              s = StreamState.restore(snap, now, store, { maxHoles });
              slots.clear();
              o.restart(now);
              break;
            }
            case "tick":
              now += op.dt;
              break;
          }
          agree(s, o, where);
        });
      },
    ),
    { numRuns: 400 },
  );
});

Deno.test("StreamState refuses drop ranges that are not ascending and disjoint before changing anything", () => {
  const s = new StreamState(ID, 0, new EventStore(8));
  s.reach(4, 1);
  for (
    const [ranges, pattern] of [
      [[[3, 5], [5, 6]], /index 1: range '5\.\.6' is not after the previous range/],
      [[[2, 1]], /index 0: range '2\.\.1' ends before it starts/],
      [[[0, 0], [-2, -1]], /index 1: expected non-negative safe integers, got '-2\.\.-1'/],
      [[[1.5, 2]], /index 0: expected non-negative safe integers/],
      [[[0, 2 ** 53]], /index 0: expected non-negative safe integers/],
    ] as const
  ) {
    assert.throws(
      () => s.declareAll(ranges, 2),
      (e) => e instanceof RangeError && pattern.test(e.message),
    );
  }
  assert.deepEqual(s.holes, [[0, 3, 1, false]]);
  assert.equal(s.next, 4);
});
