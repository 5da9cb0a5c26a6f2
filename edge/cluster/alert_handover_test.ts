import assert from "node:assert/strict";
import type { KV } from "@nats-io/kv";
import type { CollectorListener, Violation } from "../engine/types.ts";
import { waitFor } from "../../tools/harness/wait.ts";
import {
  type HandedOverViolation,
  handOverAlerts,
  handoverKey,
  sameEpisode,
  startAlertIntake,
} from "./alert_handover.ts";

/** A KV key store with revisions, enough for get, create and update by compare-and-set; `reads()` counts the gets. */
function fakeKv(): KV & {
  values: Map<string, { revision: number; bytes: Uint8Array }>;
  reads(): number;
} {
  const values = new Map<string, { revision: number; bytes: Uint8Array }>();
  let seq = 0;
  let reads = 0;
  const entry = (key: string) => {
    const v = values.get(key);
    if (v === undefined) return null;
    return {
      key,
      revision: v.revision,
      operation: "PUT",
      json: () => JSON.parse(new TextDecoder().decode(v.bytes)),
    };
  };
  return {
    values,
    reads: () => reads,
    get: (key: string) => {
      reads++;
      return Promise.resolve(entry(key));
    },
    create(key: string, bytes: Uint8Array) {
      if (values.has(key)) return Promise.reject(new Error("wrong last sequence: key exists"));
      values.set(key, { revision: ++seq, bytes });
      return Promise.resolve(seq);
    },
    update(key: string, bytes: Uint8Array, revision: number) {
      if (values.get(key)?.revision !== revision) {
        return Promise.reject(new Error("wrong last sequence"));
      }
      values.set(key, { revision: ++seq, bytes });
      return Promise.resolve(seq);
    },
  } as unknown as KV & { values: typeof values; reads(): number };
}

const violation = (n: number, wall: number, extra: Partial<Violation> = {}): Violation =>
  ({
    id: `abc:lock:1:${n}`,
    kind: "invariant",
    spec: "abc",
    specName: "Lease",
    partition: "lock:1",
    property: { item: "global invariant", name: "OneHolder", code: 1, line: 3, column: 3 },
    at: { wall, logical: 0 },
    history: [{ node: "api-1", boot: "b1", seq: wall, wall, logical: 0 }],
    message: `OneHolder violated ${n}`,
    ...extra,
  }) as unknown as Violation;

function fakeCore() {
  const listeners: CollectorListener[] = [];
  let appliedSeq = -1;
  return {
    collector: {
      on(l: CollectorListener) {
        listeners.push(l);
        return () => void listeners.splice(listeners.indexOf(l), 1);
      },
      appliedThrough: () => appliedSeq,
    },
    raise: (v: Violation) => {
      for (const l of [...listeners]) l({ type: "violation", violation: v } as never);
    },
    apply: (seq: number) => void (appliedSeq = seq),
  };
}

const tick = () => new Promise((r) => setTimeout(r, 400));

Deno.test("Two owners' copies of one failure are the same episode; another property, key or event is not, even with the same number", () => {
  const v = violation(3, 100);
  assert.ok(sameEpisode(v, violation(3, 100)));
  // The next owner's third violation may be another episode (a verdict that depended on arrival).
  assert.ok(!sameEpisode(v, violation(3, 200)), "same number, another violating event");
  assert.ok(sameEpisode(v, violation(2, 100)), "numbered otherwise, same violating event");
  assert.ok(!sameEpisode(v, violation(2, 200)));
  assert.ok(!sameEpisode(v, violation(3, 100, { partition: "lock:2" })));
  assert.ok(!sameEpisode(v, violation(3, 100, { kind: "liveness_timeout" })));
  assert.ok(
    !sameEpisode(v, violation(3, 100, { property: { ...v.property, name: "Fencing" } })),
  );
});

Deno.test("The intake discards a handed-over alert its core raises again, routes one it does not once its events are applied and settled, and empties the record", async () => {
  const kv = fakeKv();
  const key = handoverKey("t", 2);
  await handOverAlerts(kv, key, "c1", [violation(1, 10), violation(2, 20)], { timeoutMs: 1_000 });
  const core = fakeCore();
  const sent: HandedOverViolation[] = [];
  const outcomes: string[] = [];
  let now = 1_000;
  const intake = startAlertIntake(kv, {
    cluster: "t",
    partition: 2,
    collector: core.collector,
    send: (v) => void sent.push(v),
    drain: () => Promise.resolve(),
    settleMs: 5_000,
    now: () => now,
    log: () => {},
    onOutcome: (o) => void outcomes.push(o),
  });
  try {
    await tick();
    assert.equal(sent.length, 0, "nothing decided before the events are applied");
    // The core re-raises the first (same id): its copy is discarded.
    core.raise(violation(1, 10));
    core.apply(20);
    await tick();
    assert.deepEqual(outcomes, ["reraised"]);
    assert.equal(sent.length, 0, "the second's events are applied, its settle time not passed");
    now += 4_999;
    await tick();
    assert.equal(sent.length, 0);
    now += 1;
    await tick();
    assert.deepEqual(sent.map((v) => v.id), ["abc:lock:1:2@c1"]);
    assert.equal(sent[0]!.handedOver.from, "c1");
    assert.equal(sent[0]!.message, "OneHolder violated 2");
    assert.deepEqual(outcomes, ["reraised", "takenOver"]);
    await tick();
    assert.deepEqual((await kv.get(key))!.json(), {}, "the record forgets both");
    // A late raise of the routed one changes nothing (decided once).
    core.raise(violation(2, 20));
    await tick();
    assert.deepEqual(intake.counts(), { reraised: 1, takenOver: 1 });
  } finally {
    await intake.stop();
  }
});

Deno.test("The intake routes a handed-over alert whose events never come after its longest wait, and reads entries written after it started", async () => {
  const kv = fakeKv();
  const key = handoverKey("t", 0);
  const core = fakeCore();
  const sent: HandedOverViolation[] = [];
  let now = 0;
  let drained = 0;
  const intake = startAlertIntake(kv, {
    cluster: "t",
    partition: 0,
    collector: core.collector,
    send: (v) => void sent.push(v),
    drain: () => Promise.resolve(void drained++),
    settleMs: 1_000,
    maxWaitMs: 30_000,
    now: () => now,
    log: () => {},
  });
  try {
    await tick();
    // The old owner finds its lease lost after the new owner started.
    await handOverAlerts(kv, key, "c9", [violation(7, 70)], { timeoutMs: 1_000 });
    const written = kv.reads();
    now += 1_000;
    // The intake's next poll (its timer, every 250 ms) sees the entry at this clock: waited for, not
    // assumed within a sleep (a loaded machine delays timers).
    await waitFor(() => kv.reads() > written, {
      what: "the intake's poll after the entry was written",
    });
    await tick();
    now += 29_999;
    await tick();
    assert.equal(sent.length, 0, "its events never applied: waiting");
    now += 1;
    await tick();
    assert.deepEqual(sent.map((v) => v.id), ["abc:lock:1:7@c9"]);
    await tick();
    assert.ok(drained >= 1, "removed only after the routing drained");
    assert.deepEqual((await kv.get(key))!.json(), {});
  } finally {
    await intake.stop();
  }
});

Deno.test("Handing over skips an alert already handed over and returns those past the record's size limit", async () => {
  const kv = fakeKv();
  const key = handoverKey("t", 1);
  assert.deepEqual(
    await handOverAlerts(kv, key, "c1", [violation(1, 1)], { timeoutMs: 1_000 }),
    [],
  );
  const big = violation(2, 2, { message: "x".repeat(300 * 1024) });
  const left = await handOverAlerts(kv, key, "c1", [violation(1, 1), big, violation(3, 3)], {
    timeoutMs: 1_000,
  });
  assert.deepEqual(left.map((v) => v.id), ["abc:lock:1:2"]);
  assert.deepEqual(Object.keys((await kv.get(key))!.json()).sort(), [
    "abc:lock:1:1@c1",
    "abc:lock:1:3@c1",
  ]);
});

Deno.test("The intake says a malformed hand-over entry once and removes it from the record", async () => {
  const kv = fakeKv();
  const key = handoverKey("t", 4);
  await handOverAlerts(kv, key, "c1", [violation(1, 10)], { timeoutMs: 1_000 });
  const record = (await kv.get(key))!.json() as Record<string, unknown>;
  record["junk@c9"] = { from: 7 };
  await kv.update(
    key,
    new TextEncoder().encode(JSON.stringify(record)),
    (await kv.get(key))!.revision,
  );
  const lines: string[] = [];
  const core = fakeCore();
  const intake = startAlertIntake(kv, {
    cluster: "t",
    partition: 4,
    collector: core.collector,
    send: () => {},
    drain: () => Promise.resolve(),
    settleMs: 5_000,
    now: () => 0,
    log: (line) => void lines.push(line),
  });
  try {
    await tick();
    await tick();
    assert.deepEqual(lines.filter((l) => l.includes("malformed")).length, 1, lines.join("\n"));
    const left = Object.keys((await kv.get(key))!.json() as object);
    assert.deepEqual(left, ["abc:lock:1:1@c1"], "the malformed entry is gone, the good one waits");
  } finally {
    await intake.stop();
  }
});
