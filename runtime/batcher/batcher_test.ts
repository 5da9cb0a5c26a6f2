import assert from "node:assert/strict";
import fc from "../../tools/dev_deps/fast_check.ts";
import { type BatcherStatus, createBatcher, type Timers } from "./batcher.ts";
import { decodeBatch } from "../../lib/wire/decode.ts";
import {
  type BatchMeta,
  type DecodedBatch,
  MAX_DROP_RANGES,
  type StepEvent,
} from "../../lib/wire/event.ts";
import { PendingQueue, Stream } from "./queue.ts";
import { messageId } from "../transports/jetstream.ts";
import { memoryTransport } from "../transports/memory.ts";
import {
  BatchRefusedError,
  DeliveryError,
  HttpStatusError,
  type Transport,
  TransportClosedError,
} from "../transports/transport.ts";
import type { RefusedStatus } from "./status.ts";

/** Fake timers: nothing fires until `advance`. */
class FakeTimers implements Timers {
  now = 0;
  #next = 0;
  readonly #due = new Map<number, { at: number; fn: () => void }>();
  setTimeout(fn: () => void, ms: number): unknown {
    this.#due.set(++this.#next, { at: this.now + ms, fn });
    return this.#next;
  }
  clearTimeout(id: unknown): void {
    this.#due.delete(id as number);
  }
  async advance(ms: number): Promise<void> {
    const end = this.now + ms;
    for (;;) {
      const [id, t] = [...this.#due].sort((a, b) => a[1].at - b[1].at)[0] ?? [];
      if (id === undefined || t!.at > end) break;
      this.#due.delete(id);
      this.now = t!.at;
      t!.fn();
      await settle();
    }
    this.now = end;
    await settle();
  }
  get pending(): number {
    return this.#due.size;
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

interface Held {
  readonly bytes: Uint8Array;
  readonly meta: BatchMeta;
  resolve(): void;
  reject(e: unknown): void;
}

/** A transport whose sends wait until the test settles them (or accepts at once when `auto`). */
class GateTransport implements Transport {
  readonly name = "gate";
  readonly held: Held[] = [];
  readonly received: DecodedBatch[] = [];
  auto = false;
  closed = false;
  send(bytes: Uint8Array, meta: BatchMeta): Promise<void> {
    if (this.closed) return Promise.reject(new TransportClosedError("gate"));
    if (this.auto) {
      this.received.push(decodeBatch(bytes));
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      this.held.push({
        bytes,
        meta,
        resolve: () => {
          this.received.push(decodeBatch(bytes));
          resolve();
        },
        reject,
      });
    });
  }
  async release(n = Infinity): Promise<void> {
    for (let i = 0; i < n && this.held.length > 0; i++) this.held.shift()!.resolve();
    await settle();
  }
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

function event(node: string, i: number): StepEvent {
  return {
    spec: "5eed".padEnd(64, "0"),
    specName: "Lease",
    node,
    boot: "boot-1",
    key: `k${i % 3}`,
    wall: 1_000 + i,
    logical: 0,
    action: i % 2,
    args: [i],
    state: new Uint8Array([i & 255, 0, 0, 0]),
    verdict: 0,
  };
}

/** Every sequence number of each stream, from 0 to its last, delivered or declared dropped exactly once. */
function accounting(
  batches: readonly DecodedBatch[],
): Map<string, { events: number[]; dropped: number[] }> {
  const out = new Map<string, { events: number[]; dropped: number[] }>();
  for (const b of batches) {
    const k = `${b.node}/${b.boot}`;
    const a = out.get(k) ?? { events: [], dropped: [] };
    out.set(k, a);
    for (const e of b.events) a.events.push(e.seq);
    for (const [x, y] of b.dropped) for (let s = x; s <= y; s++) a.dropped.push(s);
  }
  return out;
}

function assertExactlyOnce(
  batches: readonly DecodedBatch[],
  pushedPerNode: Map<string, number>,
): void {
  const acc = accounting(batches);
  for (const [node, n] of pushedPerNode) {
    const a = acc.get(`${node}/boot-1`) ?? { events: [], dropped: [] };
    const all = [...a.events, ...a.dropped].sort((x, y) => x - y);
    assert.deepEqual(all, Array.from({ length: n }, (_, i) => i), `stream ${node}`);
  }
}

Deno.test("Batcher sends a batch as soon as it holds maxEvents events", async () => {
  const timers = new FakeTimers();
  const t = new GateTransport();
  t.auto = true;
  const b = createBatcher(t, { maxEvents: 4, timers });
  for (let i = 0; i < 10; i++) b.push(event("n1", i));
  await settle();
  assert.deepEqual(t.received.map((r) => [r.firstSeq, r.events.length]), [[0, 4], [4, 4]]);
  assert.deepEqual(t.received[1]!.events.map((e) => e.args[0]), [4, 5, 6, 7]);
  assert.equal(b.stats().buffered, 2);
});

Deno.test("Batcher flushes a partial batch when maxDelay elapses", async () => {
  const timers = new FakeTimers();
  const t = new GateTransport();
  t.auto = true;
  const b = createBatcher(t, { maxDelayMs: 50, timers });
  for (let i = 0; i < 3; i++) b.push(event("n1", i));
  await timers.advance(49);
  assert.equal(t.received.length, 0);
  await timers.advance(1);
  assert.equal(t.received.length, 1);
  assert.deepEqual(t.received[0]!.events.map((e) => e.seq), [0, 1, 2]);
  assert.equal(timers.pending, 0);
});

Deno.test("Batcher splits batches by estimated bytes", async () => {
  const t = new GateTransport();
  t.auto = true;
  const b = createBatcher(t, { maxBytes: 2_000, timers: new FakeTimers() });
  for (let i = 0; i < 5; i++) b.push({ ...event("n1", i), state: new Uint8Array(900) });
  await b.flush();
  assert.deepEqual(t.received.map((r) => r.events.length), [2, 2, 1]);
});

Deno.test("Batcher numbers each stream from 0 and never mixes streams in a batch", async () => {
  const t = new GateTransport();
  t.auto = true;
  const b = createBatcher(t, { maxEvents: 3, timers: new FakeTimers() });
  for (let i = 0; i < 10; i++) b.push(event(i % 2 === 0 ? "a" : "b", i));
  await b.close();
  for (const r of t.received) {
    r.events.forEach((e) => assert.equal(e.args[0]! % 2 === 0, r.node === "a"));
  }
  assertExactlyOnce(t.received, new Map([["a", 5], ["b", 5]]));
  assert.equal(accounting(t.received).get("a/boot-1")!.dropped.length, 0);
});

Deno.test("Batcher dropNewest drops arrivals when full and the next batch declares exactly them", async () => {
  const t = new GateTransport();
  const b = createBatcher(t, {
    maxEvents: 2,
    maxBuffered: 4,
    maxInFlight: 1,
    policy: "dropNewest",
    timers: new FakeTimers(),
  });
  for (let i = 0; i < 10; i++) assert.equal(b.push(event("n1", i)), undefined);
  assert.deepEqual(b.stats().dropped, 6);
  await t.release(2);
  b.push(event("n1", 10));
  t.auto = true;
  await t.release();
  await b.close();
  assert.deepEqual(t.received.map((r) => [r.firstSeq, r.events.length, r.dropped]), [
    [0, 2, []],
    [2, 2, []],
    [10, 1, [[4, 9]]],
  ]);
  assert.equal(b.stats().sent, 5);
});

Deno.test("Batcher dropOldest drops the oldest event not in flight and keeps the newest", async () => {
  const t = new GateTransport();
  const b = createBatcher(t, {
    maxEvents: 2,
    maxBuffered: 4,
    maxInFlight: 1,
    policy: "dropOldest",
    timers: new FakeTimers(),
  });
  for (let i = 0; i < 10; i++) b.push(event("n1", i));
  assert.equal(b.stats().dropped, 6);
  t.auto = true;
  await t.release();
  await b.close();
  const acc = accounting(t.received).get("n1/boot-1")!;
  assert.deepEqual(acc.events.sort((x, y) => x - y), [0, 1, 8, 9]);
  assert.deepEqual(acc.dropped, [2, 3, 4, 5, 6, 7]);
  assertExactlyOnce(t.received, new Map([["n1", 10]]));
});

Deno.test("Batcher block policy makes push wait for room and loses nothing", async () => {
  const t = new GateTransport();
  const b = createBatcher(t, {
    maxEvents: 2,
    maxBuffered: 2,
    maxInFlight: 1,
    policy: "block",
    timers: new FakeTimers(),
  });
  assert.equal(b.push(event("n1", 0)), undefined);
  assert.equal(b.push(event("n1", 1)), undefined);
  const waiting = b.push(event("n1", 2));
  assert.ok(waiting instanceof Promise);
  let entered = false;
  waiting.then(() => (entered = true));
  await settle();
  assert.equal(entered, false);
  await t.release();
  assert.equal(entered, true);
  t.auto = true;
  await b.close();
  assert.equal(b.stats().dropped, 0);
  assert.deepEqual(t.received.flatMap((r) => r.events.map((e) => e.seq)), [0, 1, 2]);
});

Deno.test("Batcher retries a failed send with backoff and reports the errors", async () => {
  const timers = new FakeTimers();
  const t = new GateTransport();
  const b = createBatcher(t, { maxEvents: 2, retryDelayMs: 100, timers });
  const statuses: BatcherStatus[] = [];
  const reading = (async () => {
    for await (const s of b.status()) statuses.push(s);
  })();
  b.push(event("n1", 0));
  b.push(event("n1", 1));
  await settle();
  t.held.shift()!.reject(new DeliveryError("gate", 1));
  await settle();
  assert.equal(t.held.length, 0);
  await timers.advance(99);
  assert.equal(t.held.length, 0);
  await timers.advance(1);
  assert.equal(t.held.length, 1);
  t.held.shift()!.reject(new DeliveryError("gate", 1));
  await settle();
  await timers.advance(199);
  assert.equal(t.held.length, 0);
  await timers.advance(1);
  await t.release();
  t.auto = true;
  await b.close();
  await reading;
  assert.deepEqual(statuses.map((s) => s.type), ["error", "error", "flush"]);
  assert.deepEqual(statuses.map((s) => s.type === "error" ? s.attempt : 0), [1, 2, 0]);
  assert.equal(b.stats().errors, 2);
  assert.equal(b.stats().sent, 2);
});

Deno.test("Batcher close flushes everything, closes the transport, then refuses pushes", async () => {
  const t = memoryTransport();
  const got: number[] = [];
  t.subscribe((bytes) => void got.push(...decodeBatch(bytes).events.map((e) => e.seq)));
  const b = createBatcher(t, { maxDelayMs: 10_000 });
  for (let i = 0; i < 300; i++) b.push(event("n1", i));
  await b.close();
  assert.deepEqual(got, Array.from({ length: 300 }, (_, i) => i));
  assert.throws(() => b.push(event("n1", 0)), TypeError);
  const b2 = createBatcher(t);
  b2.push(event("n2", 0));
  await b2.close();
  assert.equal(b2.stats().abandoned, 1);
});

Deno.test("Batcher close gives up after closeTimeoutMs on a failing transport and counts the loss", async () => {
  const timers = new FakeTimers();
  const failing: Transport = {
    name: "down",
    send: () => Promise.reject(new DeliveryError("down", 1)),
    close: () => Promise.resolve(),
  };
  const b = createBatcher(failing, {
    maxEvents: 2,
    retryDelayMs: 100,
    closeTimeoutMs: 1_000,
    timers,
  });
  for (let i = 0; i < 5; i++) b.push(event("n1", i));
  let closed = false;
  const closing = b.close().then(() => (closed = true));
  await timers.advance(900);
  assert.equal(closed, false);
  for (let i = 0; i < 10 && !closed; i++) await timers.advance(1_000);
  await closing;
  const s = b.stats();
  assert.equal(s.abandoned, 5);
  assert.equal(s.sent, 0);
  assert.ok(s.errors >= 3);
});

Deno.test("Batcher rejects invalid options", () => {
  const t = memoryTransport();
  assert.throws(() => createBatcher(t, { maxEvents: 0 }), RangeError);
  assert.throws(() => createBatcher(t, { maxDelayMs: -1 }), RangeError);
  // @ts-expect-error: not a policy
  assert.throws(() => createBatcher(t, { policy: "random" }), RangeError);
});

Deno.test("Batcher accounts for every sequence number exactly once under any schedule", async () => {
  const op = fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({ kind: fc.constant("push" as const), node: fc.constantFrom("a", "b") }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant("ok" as const), n: fc.integer({ min: 1, max: 3 }) }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("fail" as const) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("refuse" as const) }) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant("tick" as const),
        ms: fc.integer({ min: 1, max: 120 }),
      }),
    },
  );
  await fc.assert(
    fc.asyncProperty(
      fc.array(op, { maxLength: 80 }),
      fc.constantFrom("dropOldest" as const, "dropNewest" as const),
      fc.integer({ min: 1, max: 3 }),
      async (ops, policy, maxInFlight) => {
        const timers = new FakeTimers();
        const t = new GateTransport();
        const b = createBatcher(t, {
          maxEvents: 3,
          maxBuffered: 5,
          maxInFlight,
          policy,
          timers,
          maxDelayMs: 50,
          onLog: () => {},
        });
        const pushed = new Map<string, number>([["a", 0], ["b", 0]]);
        for (const o of ops) {
          if (o.kind === "push") {
            b.push(event(o.node, pushed.get(o.node)!));
            pushed.set(o.node, pushed.get(o.node)! + 1);
          } else if (o.kind === "ok") await t.release(o.n);
          else if (o.kind === "fail") t.held.shift()?.reject(new DeliveryError("gate", 1));
          else if (o.kind === "refuse") {
            t.held.shift()?.reject(new BatchRefusedError("gate", { reason: "test", detail: "" }));
          } else await timers.advance(o.ms);
          await settle();
          assert.ok(b.stats().buffered <= 5);
        }
        t.auto = true;
        await t.release();
        const closing = b.close();
        for (let i = 0; i < 20; i++) await timers.advance(5_000);
        await closing;
        assertExactlyOnce(t.received, pushed);
        const s = b.stats();
        assert.equal(s.pushed, s.sent + s.dropped + s.abandoned + s.refused);
        assert.equal(s.abandoned, 0);
      },
    ),
    { numRuns: 200 },
  );
});

/** Accepts every batch except those `fails` picks, which it refuses as closed (so they are abandoned). */
class PickyTransport implements Transport {
  readonly name = "picky";
  readonly received: DecodedBatch[] = [];
  readonly metas: BatchMeta[] = [];
  fails: (meta: BatchMeta) => boolean = () => false;
  send(bytes: Uint8Array, meta: BatchMeta): Promise<void> {
    if (this.fails(meta)) return Promise.reject(new TransportClosedError(this.name));
    this.received.push(decodeBatch(bytes));
    this.metas.push(meta);
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

const oddEvents = (meta: BatchMeta) => meta.count > 0 && meta.firstSeq % 2 === 1;

/** Every batch declares at most MAX_DROP_RANGES ranges, ascending, none adjacent to the next. */
function assertDropsCapped(batches: readonly DecodedBatch[]): void {
  for (const b of batches) {
    assert.ok(
      b.dropped.length <= MAX_DROP_RANGES,
      `${b.dropped.length} ranges at seq ${b.firstSeq}`,
    );
    for (let k = 1; k < b.dropped.length; k++) {
      assert.ok(b.dropped[k - 1]![1] + 1 < b.dropped[k]![0], `ranges ${k - 1} and ${k} not merged`);
    }
  }
}

Deno.test("Batcher declares at most MAX_DROP_RANGES ranges per batch and carries the rest, every number once", async () => {
  const t = new PickyTransport();
  const b = createBatcher(t, { maxEvents: 1, maxInFlight: 16, timers: new FakeTimers() });
  const half = 2_500; // non-adjacent drops per round, more than twice the cap
  let pushed = 0;
  const push = (n: number) => {
    for (let i = 0; i < n; i++) b.push(event("n1", pushed++));
  };
  // Every odd-numbered batch is abandoned: its number becomes a drop, none adjacent to another.
  t.fails = oddEvents;
  push(2 * half);
  await b.flush();
  assert.equal(b.stats().abandoned, half);
  assert.ok(t.received.every((r) => r.dropped.length === 0), "nothing declared yet");
  // The next event's batch declares the newest ranges; event-less batches before it carry the rest.
  t.fails = () => false;
  push(1);
  await b.flush();
  const carried = t.received.filter((r) => r.dropped.length > 0);
  assert.deepEqual(carried.map((r) => [r.events.length, r.dropped.length]), [
    [0, MAX_DROP_RANGES],
    [0, MAX_DROP_RANGES],
    [1, half - 2 * MAX_DROP_RANGES],
  ]);
  assert.deepEqual(
    carried.map((r) => r.firstSeq),
    [2 * MAX_DROP_RANGES, 4 * MAX_DROP_RANGES, 2 * half],
    "an event-less batch's seq is one past its last range",
  );
  // Again; now only event-less batches declare them (at the next flush).
  t.fails = oddEvents;
  push(2 * half);
  await b.flush();
  t.fails = () => false;
  await b.close();
  assertDropsCapped(t.received);
  assertExactlyOnce(t.received, new Map([["n1", pushed]]));
  const s = b.stats();
  assert.equal(s.abandoned, 2 * half);
  assert.equal(s.sent + s.abandoned, pushed);
  const declared = t.received.reduce((n, r) => n + r.dropped.length, 0);
  assert.equal(declared, 2 * half, "one range per abandoned number, none adjacent");
  const full = t.received.filter((r) => r.dropped.length === MAX_DROP_RANGES);
  assert.equal(full.length, 4);
  // Each batch's meta names its last declared number, so JetStream ids never collide.
  t.metas.forEach((m, i) => assert.equal(m.lastDropped, t.received[i]!.dropped.at(-1)?.[1]));
  const ids = t.metas.map(messageId);
  assert.equal(new Set(ids).size, ids.length, "message ids are distinct");
});

Deno.test("Batcher declares a run of abandoned batches as one range", async () => {
  const t = new PickyTransport();
  const b = createBatcher(t, { maxEvents: 1, maxInFlight: 8, timers: new FakeTimers() });
  t.fails = (meta) => meta.firstSeq >= 10 && meta.firstSeq < 110;
  for (let i = 0; i < 120; i++) b.push(event("n1", i));
  await b.flush();
  await b.close();
  assertExactlyOnce(t.received, new Map([["n1", 120]]));
  assert.deepEqual(t.received.flatMap((r) => r.dropped), [[10, 109]]);
});

Deno.test("PendingQueue.absorb keeps a batch's declaration within MAX_DROP_RANGES and hands back the rest", () => {
  const s = new Stream("5eed", "Lease", "n1", "boot-1");
  const odd = (from: number, n: number): [number, number][] =>
    Array.from({ length: n }, (_, i) => [from + 2 * i, from + 2 * i]);
  s.dropped = odd(1, 1500);
  const q = new PendingQueue();
  const first = q.add(s, 3001, 64);
  assert.equal(first.dropped.length, MAX_DROP_RANGES, "the oldest ranges");
  assert.deepEqual(s.dropped, odd(1 + 2 * MAX_DROP_RANGES, 1500 - MAX_DROP_RANGES));
  const next = q.add(s, 3001, 64);
  assert.equal(s.dropped.length, 0);
  assert.ok(q.absorb(first), "first has no events: its declaration moves to the next batch");
  assert.deepEqual(next.dropped, odd(1, MAX_DROP_RANGES));
  assert.deepEqual(s.dropped, odd(1 + 2 * MAX_DROP_RANGES, 1500 - MAX_DROP_RANGES));
});

/** A transport named `http` refusing every batch (status 400), the `n`th (from 0) for `reasonOf(n)`. */
function refusingTransport(reasonOf: (n: number) => string): Transport {
  let n = 0;
  return {
    name: "http",
    send: () => {
      const reason = reasonOf(n++);
      const refusal = { reason, detail: `No (${reason})`, status: 400 };
      return Promise.reject(new BatchRefusedError("http", refusal));
    },
    close: () => Promise.resolve(),
  };
}

const REFUSAL = {
  reason: "node_mismatch",
  detail: "Token of node 'api-2' used for node 'n1'",
  status: 401,
  problem: { type: "urn:vigil:problem:node_mismatch", status: 401 },
};

Deno.test("Batcher reports a refused batch once, never sends it again, and the next batch declares its numbers", async () => {
  const timers = new FakeTimers();
  const t = new GateTransport();
  const reports: RefusedStatus[] = [];
  const statuses: BatcherStatus[] = [];
  const lines: string[] = [];
  const b = createBatcher(t, {
    maxEvents: 3,
    timers,
    onRefused: (r) => void reports.push(r),
    onLog: (l) => void lines.push(l),
  });
  const watching = (async () => {
    for await (const s of b.status()) statuses.push(s);
  })();
  for (let i = 0; i < 3; i++) b.push(event("n1", i));
  await settle();
  assert.equal(t.held.length, 1);
  t.held.shift()!.reject(new BatchRefusedError("gate", REFUSAL));
  await settle();
  assert.deepEqual(
    reports.map((r) => [r.reason, r.status, r.detail, r.ranges, r.declared, r.count, r.attempt]),
    [["node_mismatch", 401, REFUSAL.detail, [[0, 2]], [], 3, 1]],
  );
  assert.equal(reports[0]!.problem?.type, "urn:vigil:problem:node_mismatch");
  assert.deepEqual(reports[0]!.stream, {
    spec: "5eed".padEnd(64, "0"),
    specName: "Lease",
    node: "n1",
    boot: "boot-1",
  });
  assert.doesNotThrow(() => JSON.stringify(reports[0]), "a report can be logged as JSON");
  // Never sent again, however long the batcher waits: the delay tick sends a batch declaring its numbers.
  await timers.advance(60_000);
  assert.deepEqual(
    t.held.map((h) => [h.meta.count, decodeBatch(h.bytes).dropped]),
    [[0, [[0, 2]]]],
  );
  await t.release();
  const s = b.stats();
  assert.deepEqual([s.refused, s.refusals, s.errors, s.abandoned, s.buffered], [
    3,
    { node_mismatch: 1 },
    1,
    0,
    0,
  ]);
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /node 'n1'.*events 0-2.*'gate' \(node_mismatch, status 401\)/);
  t.auto = true;
  b.push(event("n1", 3));
  await b.flush();
  assert.deepEqual(t.received.map((r) => [r.firstSeq, r.dropped, r.events.length]), [
    [3, [[0, 2]], 0],
    [3, [], 1],
  ]);
  await b.close();
  await watching;
  assert.deepEqual(
    statuses.map((x) => x.type),
    ["refused", "flush", "flush"],
    "a refusal is a refused status, not an error status",
  );
});

Deno.test("Batcher logs one line per refusal reason, then a count per interval, and the rest at close", async () => {
  const timers = new FakeTimers();
  const reasons = ["unknown_spec", "unknown_spec", "unknown_spec", "too_large", "unknown_spec"];
  const refusing = refusingTransport((n) => reasons[n % reasons.length]!);
  const lines: string[] = [];
  const b = createBatcher(refusing, {
    maxEvents: 2,
    timers,
    logIntervalMs: 1_000,
    onLog: (l) => void lines.push(l),
  });
  for (let i = 0; i < 10; i++) b.push(event("n1", i));
  await settle();
  assert.deepEqual(b.stats().refusals, { unknown_spec: 4, too_large: 1 });
  assert.equal(lines.length, 2);
  assert.match(lines[0]!, /\(unknown_spec, status 400\): No \(unknown_spec\)/);
  assert.match(lines[1]!, /\(too_large, status 400\): No \(too_large\)/);
  // The delay tick sends a batch declaring the ten numbers dropped: refused too, and counted.
  await timers.advance(1_000);
  assert.deepEqual(lines.slice(2), [
    "vigil batcher: 4 more batches (6 events) were refused over 'http' (unknown_spec) in the last 1 s",
  ]);
  await timers.advance(1_000);
  assert.equal(lines.length, 3, "a quiet interval writes nothing");
  b.push(event("n1", 10));
  b.push(event("n1", 11));
  await settle();
  assert.equal(lines.length, 4, "a reason quiet for an interval is written at once again");
  b.push(event("n1", 12));
  b.push(event("n1", 13));
  await settle();
  const closing = b.close();
  await timers.advance(20_000);
  await closing;
  assert.match(
    lines.at(-1)!,
    /more batch(es)? \(\d+ events?\) (was|were) refused over 'http' \(\w+\) before the batcher closed$/,
  );
  const s = b.stats();
  assert.equal(s.sent, 0);
  assert.equal(s.pushed, s.refused);
  assert.equal(s.abandoned, 0);
});

Deno.test("Batcher retries a 503 and a network failure with backoff and reports no refusal", async () => {
  const timers = new FakeTimers();
  const t = new GateTransport();
  const reports: RefusedStatus[] = [];
  const lines: string[] = [];
  const b = createBatcher(t, {
    maxEvents: 2,
    timers,
    retryDelayMs: 100,
    onRefused: (r) => void reports.push(r),
    onLog: (l) => void lines.push(l),
  });
  b.push(event("n1", 0));
  b.push(event("n1", 1));
  await settle();
  t.held.shift()!.reject(new HttpStatusError("gate", 503, 5));
  await settle();
  await timers.advance(100);
  t.held.shift()!.reject(new DeliveryError("gate", 5));
  await settle();
  await timers.advance(200);
  await t.release();
  await b.close();
  assert.deepEqual(t.received.map((r) => r.events.map((e) => e.seq)), [[0, 1]]);
  const s = b.stats();
  assert.deepEqual([s.sent, s.errors, s.refused, s.refusals], [2, 2, 0, {}]);
  assert.deepEqual([reports, lines], [[], []]);
});

Deno.test("Batcher logs an exception thrown by onRefused and keeps counting", async () => {
  const refusing = refusingTransport(() => "too_large");
  const lines: string[] = [];
  const b = createBatcher(refusing, {
    onRefused: () => {
      throw new Error("callback bug");
    },
    onLog: (l) => void lines.push(l),
  });
  b.push(event("n1", 0));
  await b.flush();
  assert.equal(b.stats().refusals.too_large, 1);
  assert.deepEqual(lines.map((l) => l.includes("callback bug")), [true, false]);
  await b.close();
});
