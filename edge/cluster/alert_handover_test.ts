import assert from "node:assert/strict";
import type { CollectorListener, Violation } from "../engine/types.ts";
import { waitFor } from "../../tools/harness/wait.ts";
import {
  type AlertIntakeOptions,
  type HandedOverViolation,
  sameEpisode,
  startAlertIntake,
} from "./alert_handover.ts";
import { legacyHandoverKey, writeHandover } from "./handover_store.ts";
import { fakeBucket, violation } from "./handover_fixture.ts";

/** Writes `vs` for partition `p` of cluster `t` as raised by `from`. */
const handOver = (
  bucket: ReturnType<typeof fakeBucket>,
  p: number,
  from: string,
  vs: Violation[],
) => writeHandover(bucket, from, vs, { cluster: "t", partition: p, timeoutMs: 1_000 });

/** The entry ids waiting for partition `p` of cluster `t` (per-alert keys and the old record). */
const waitingIds = (bucket: ReturnType<typeof fakeBucket>, p: number): string[] => {
  const ids: string[] = [];
  for (const [key, { bytes }] of bucket.values) {
    let value;
    try {
      value = JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      value = { id: key };
    }
    if (key === legacyHandoverKey("t", p)) ids.push(...Object.keys(value));
    else if (key.startsWith(`handover.t.${p}.`)) ids.push(value.id ?? key);
  }
  return ids.sort();
};

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

/** An intake of partition `partition` of cluster `t` on `kv`: nothing logged, drained at once, unless `options` says otherwise. */
const intakeOf = (
  kv: ReturnType<typeof fakeBucket>,
  partition: number,
  options:
    & Omit<AlertIntakeOptions, "cluster" | "partition" | "drain" | "send">
    & Partial<Pick<AlertIntakeOptions, "drain" | "send">>,
) =>
  startAlertIntake(kv, {
    cluster: "t",
    partition,
    send: () => {},
    drain: () => Promise.resolve(),
    log: () => {},
    ...options,
  });

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

Deno.test("The intake discards a handed-over alert its core raises again, routes one it does not once its events are applied and settled, and removes both", async () => {
  const kv = fakeBucket();
  await handOver(kv, 2, "c1", [violation(1, 10), violation(2, 20)]);
  assert.deepEqual(waitingIds(kv, 2), ["abc:lock:1:1@c1", "abc:lock:1:2@c1"]);
  const core = fakeCore();
  const sent: HandedOverViolation[] = [];
  const outcomes: string[] = [];
  let now = 1_000;
  const intake = intakeOf(kv, 2, {
    collector: core.collector,
    send: (v) => void sent.push(v),
    settleMs: 5_000,
    now: () => now,
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
    assert.deepEqual(waitingIds(kv, 2), [], "both removed");
    // A late raise of the routed one changes nothing (decided once).
    core.raise(violation(2, 20));
    await tick();
    assert.deepEqual(intake.counts(), { reraised: 1, takenOver: 1 });
  } finally {
    await intake.stop();
  }
});

Deno.test("The intake routes a handed-over alert whose events never come after its longest wait, and reads entries written after it started", async () => {
  const kv = fakeBucket();
  const core = fakeCore();
  const sent: HandedOverViolation[] = [];
  let now = 0;
  let drained = 0;
  const intake = intakeOf(kv, 0, {
    collector: core.collector,
    send: (v) => void sent.push(v),
    drain: () => Promise.resolve(void drained++),
    settleMs: 1_000,
    maxWaitMs: 30_000,
    now: () => now,
  });
  try {
    await tick();
    // The old owner finds its lease lost after the new owner started.
    await handOver(kv, 0, "c9", [violation(7, 70)]);
    const written = kv.listings();
    now += 1_000;
    // The intake's next poll (its timer, every 250 ms) sees the entry at this clock: waited for, not
    // assumed within a sleep (a loaded machine delays timers).
    await waitFor(() => kv.listings() > written, {
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
    assert.deepEqual(waitingIds(kv, 0), []);
  } finally {
    await intake.stop();
  }
});

/** Writes the old layout's record of partition `p` (one JSON map), as a member before it did. */
function writeLegacy(
  kv: ReturnType<typeof fakeBucket>,
  p: number,
  entries: Record<string, unknown>,
) {
  kv.values.set(legacyHandoverKey("t", p), {
    revision: 1_000 + p,
    bytes: new TextEncoder().encode(JSON.stringify(entries)),
  });
}

Deno.test("The intake says a malformed hand-over entry once, in either layout, and removes it", async () => {
  const kv = fakeBucket();
  await handOver(kv, 4, "c1", [violation(1, 10)]);
  writeLegacy(kv, 4, { "junk@c9": { from: 7 } });
  kv.values.set("handover.t.4.0123456789abcdef0123456789abcdef", {
    revision: 2_000,
    bytes: new TextEncoder().encode("{not json"),
  });
  const lines: string[] = [];
  const core = fakeCore();
  const intake = intakeOf(kv, 4, {
    collector: core.collector,
    settleMs: 5_000,
    now: () => 0,
    log: (line) => void lines.push(line),
  });
  try {
    await tick();
    await tick();
    await tick();
    assert.deepEqual(lines.filter((l) => l.includes("malformed")).length, 2, lines.join("\n"));
    assert.deepEqual(
      waitingIds(kv, 4),
      ["abc:lock:1:1@c1"],
      "the malformed entries are gone, the good one waits",
    );
    assert.ok(!kv.values.has("handover.t.4.0123456789abcdef0123456789abcdef"));
  } finally {
    await intake.stop();
  }
});

Deno.test("The intake takes the old layout's record an older member wrote, and decides an id found in both layouts once, removing both", async () => {
  const kv = fakeBucket();
  // A member before the per-alert keys handed 1 and 2 over in one record; an upgraded one wrote 2
  // (the same id: the same member id, restarted upgraded) and 3 in keys of their own.
  writeLegacy(kv, 6, {
    "abc:lock:1:1@c1": { from: "c1", lostAt: 5, violation: violation(1, 10) },
    "abc:lock:1:2@c1": { from: "c1", lostAt: 5, violation: violation(2, 20) },
  });
  await handOver(kv, 6, "c1", [violation(2, 20), violation(3, 30)]);
  const core = fakeCore();
  const sent: HandedOverViolation[] = [];
  let now = 0;
  const intake = intakeOf(kv, 6, {
    collector: core.collector,
    send: (v) => void sent.push(v),
    settleMs: 1_000,
    now: () => now,
  });
  try {
    await tick();
    core.raise(violation(1, 10));
    core.apply(30);
    await tick();
    now += 1_000;
    await tick();
    await tick();
    assert.deepEqual(sent.map((v) => v.id).sort(), ["abc:lock:1:2@c1", "abc:lock:1:3@c1"]);
    assert.deepEqual(intake.counts(), { reraised: 1, takenOver: 2 });
    assert.deepEqual(waitingIds(kv, 6), [], "the record's entries and the keys are removed");
  } finally {
    await intake.stop();
  }
});

Deno.test("An old record that is not JSON is said once and erased, the per-alert keys still taken; a removal failing at every tick is said once, and when it ends", async () => {
  const kv = fakeBucket();
  kv.values.set(legacyHandoverKey("t", 7), {
    revision: 1,
    bytes: new TextEncoder().encode("{truncated"),
  });
  await handOver(kv, 7, "c1", [violation(1, 10)]);
  const erase = kv.erase;
  kv.erase = () => Promise.reject(new Error("no answer within 1000 ms"));
  const lines: string[] = [];
  const sent: HandedOverViolation[] = [];
  const core = fakeCore();
  core.apply(10);
  const intake = intakeOf(kv, 7, {
    collector: core.collector,
    send: (v) => void sent.push(v),
    settleMs: 0,
    log: (line) => void lines.push(line),
  });
  try {
    await waitFor(() => sent.length === 1, { what: "the per-alert entry routed" });
    assert.deepEqual(sent.map((v) => v.id), ["abc:lock:1:1@c1"]);
    // Several ticks (250 ms each) of failed removals.
    await tick();
    await tick();
    const failing = lines.filter((l) => l.includes("could not remove"));
    assert.equal(failing.length, 1, lines.join("\n"));
    assert.equal(lines.filter((l) => l.includes("malformed")).length, 1, lines.join("\n"));
    assert.match(lines.find((l) => l.includes("malformed"))!, /'handover\.t\.7'/);
    kv.erase = erase;
    await waitFor(() => waitingIds(kv, 7).length === 0 && !kv.values.has("handover.t.7"), {
      what: "the old record and the key erased",
    });
    await waitFor(() => lines.some((l) => /removed .* after \d+ failed tries/.test(l)), {
      what: "the end of the failures said",
    });
    assert.equal(lines.filter((l) => l.includes("could not remove")).length, 1);
    assert.equal(lines.filter((l) => l.includes("could not read")).length, 0, lines.join("\n"));
  } finally {
    await intake.stop();
  }
});
