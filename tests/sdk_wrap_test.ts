import assert from "node:assert/strict";
import { GuardError, OK } from "../lib/abi/verdict.ts";
import type { Verdict } from "../lib/abi/verdict.ts";
import { loadExample } from "../tools/harness/sdk_fixture.ts";
import { wrap } from "../runtime/monitor/wrap.ts";
import { TypedMonitor, type TypedMonitorOptions } from "../runtime/monitor/typed_monitor.ts";

const lease = await loadExample("lease");

class Lock {
  holder: number | null = null;
  log: string[] = [];
  take(c: number): string {
    this.log.push(`take ${c}`);
    this.holder = c;
    return `taken by ${c}`;
  }
  give(c: number): void {
    this.log.push(`give ${c}`);
    this.holder = null;
  }
  async takeLater(c: number, fail = false): Promise<number> {
    await Promise.resolve();
    if (fail) throw new Error("backend down");
    this.holder = c;
    return c;
  }
}

Deno.test("wrap (enforce) checks a class's method before it runs and refuses without running it", () => {
  class L extends Lock {}
  const w = wrap(L, lease, {
    key: (l) => `lock:${l.log.length}`,
    actions: { take: "acquire", give: "release" },
  });
  const lock = new L();
  assert.equal(lock.take(2), "taken by 2");
  assert.throws(
    () => lock.take(3),
    (e: unknown) => e instanceof GuardError && e.verdict.line === 14,
  );
  assert.deepEqual(lock.log, ["take 2"], "the refused call did not run");
  lock.give(2);
  assert.equal(w.monitorOf(lock).state.mode, "free");
  assert.equal(w.monitorOf(lock).key, "lock:0");
  const other = new L();
  other.take(1);
  assert.equal(w.monitorOf(other).state.owner, 1, "one monitor per receiver");
  w.unwrap();
  assert.doesNotThrow(() => lock.give(9));
});

Deno.test("wrap (enforce) rolls a sync transition back when the method throws", () => {
  const obj = {
    take(c: number): void {
      if (c === 1) throw new Error("no");
    },
  };
  const w = wrap(obj, lease, { key: "k", actions: { take: "acquire" } });
  assert.throws(() => obj.take(1), /no/);
  assert.equal(w.monitorOf(obj).state.mode, "free", "rolled back");
  obj.take(2);
  assert.equal(w.monitorOf(obj).state.owner, 2);
});

Deno.test("wrap (enforce) takes an async transition at the call, refusing a concurrent one", async () => {
  class L extends Lock {}
  const w = wrap(L, lease, {
    key: "k",
    actions: { takeLater: { action: "acquire", args: (c: number) => ({ c }) } },
  });
  const lock = new L();
  const first = lock.takeLater(1);
  assert.throws(() => lock.takeLater(2), GuardError, "checked against the taken transition");
  assert.equal(await first, 1);
  assert.equal(w.monitorOf(lock).state.owner, 1);
});

Deno.test("wrap (enforce) rolls an async transition back when the promise rejects", async () => {
  class L extends Lock {}
  const w = wrap(L, lease, { key: "k", actions: { takeLater: "acquire" } });
  const lock = new L();
  await assert.rejects(lock.takeLater(1, true), /backend down/);
  assert.equal(w.monitorOf(lock).state.mode, "free");
  assert.equal(await lock.takeLater(3), 3);
  assert.equal(w.monitorOf(lock).state.owner, 3);
});

Deno.test("wrap (observe) steps after the method returns, with the reported state", async () => {
  class L extends Lock {}
  const seen: Verdict[] = [];
  const w = wrap(L, lease, {
    key: "k",
    mode: "observe",
    actions: { take: "acquire", give: "release", takeLater: "acquire" },
    state: (l) => ({ mode: l.holder === null ? "free" : "held", owner: l.holder ?? 0 }),
    onViolation: (e) => seen.push(e.verdict),
  });
  const lock = new L();
  lock.take(2);
  lock.take(3);
  assert.deepEqual(lock.log, ["take 2", "take 3"], "observe never blocks");
  assert.equal(seen[0]?.kind, "guard_failed");
  assert.equal(w.monitorOf(lock).state.owner, 3, "continued from the reported state");
  lock.give(3);
  assert.equal(await lock.takeLater(1), 1);
  assert.equal(w.monitorOf(lock).state.owner, 1);
  await assert.rejects(lock.takeLater(2, true));
  assert.equal(w.monitorOf(lock).state.owner, 1, "a failed call is not stepped");
});

Deno.test("wrap refuses unknown methods and actions", () => {
  assert.throws(
    () => wrap({}, lease, { key: "k", actions: { take: "acquire" } }),
    /Cannot wrap 'take'/,
  );
  assert.throws(
    () => wrap({ take() {} }, lease, { key: "k", actions: { take: "grab" } }),
    /unknown action 'grab'/,
  );
});

class LeaseMonitor extends TypedMonitor {
  constructor(options: TypedMonitorOptions = {}) {
    super(lease, options);
  }
  acquire(c: number): Verdict {
    return this.$step(0, c);
  }
  tryAcquire(c: number): Verdict {
    return this.$tryStep(0, c);
  }
  checkRelease(c: number): Verdict {
    return this.$check(1, c);
  }
  releaseArgs(c: number): Verdict {
    return this.$stepArgs(1, [c]);
  }
}

Deno.test("TypedMonitor gives generated classes the Monitor machinery", () => {
  const m = new LeaseMonitor({ key: "lock:t" });
  assert.equal(m.acquire(2), OK);
  assert.throws(() => m.acquire(3), GuardError);
  assert.equal(m.tryAcquire(1).kind, "guard_failed");
  assert.equal(m.checkRelease(2), OK);
  assert.equal(m.releaseArgs(2), OK);
  assert.equal(m.$state.mode, "free");
  assert.equal(m.$monitor.key, "lock:t");
  assert.equal(m.$monitor.violations, 2);
  m.$close();
  assert.throws(() => m.acquire(1), /closed/);
});

Deno.test("TypedMonitor in observe mode records instead of throwing", () => {
  const m = new LeaseMonitor({ mode: "observe" });
  m.acquire(1);
  assert.equal(m.acquire(2).kind, "guard_failed");
  assert.equal(m.$monitor.violations, 1);
  m.$close();
});
