import assert from "node:assert/strict";
import { GuardError, OK } from "../lib/abi/verdict.ts";
import { loadExample } from "../tools/harness/sdk_fixture.ts";
import { specNames, specSource } from "../tools/harness/spec_files.ts";
import type { ViolationEvent } from "../runtime/monitor/monitor_types.ts";

const lease = await loadExample("lease");

Deno.test("Monitor steps the issue's lease example and refuses a second acquire", () => {
  const m = lease.monitor({ node: "api-1", key: "lock:orders", mode: "enforce" });
  assert.equal(m.step("acquire", { c: 2 }), OK);
  assert.deepEqual(m.state, {
    mode: "held",
    owner: 2,
    token: 1,
    granted: { 0: 0, 1: 0, 2: 1, 3: 0 },
  });
  assert.throws(() => m.step("acquire", { c: 3 }), (e: unknown) => {
    assert.ok(e instanceof GuardError);
    assert.equal(e.action, "acquire");
    assert.equal(e.verdict.kind, "guard_failed");
    assert.equal(e.verdict.item, "action acquire");
    assert.equal(e.verdict.detail, "require mode == free");
    assert.equal(e.verdict.line, 14);
    assert.match(e.message, /require mode == free/);
    return true;
  });
  assert.equal(m.state.owner, 2);
  m.close();
});

Deno.test("Monitor tryStep returns the cached verdict and changes nothing when refused", () => {
  const m = lease.monitor({ key: "k" });
  m.step("acquire", { c: 1 });
  const before = m.stateBytes();
  const v = m.tryStep("acquire", { c: 3 });
  assert.equal(v.kind, "guard_failed");
  assert.ok(Object.isFrozen(v));
  assert.equal(m.tryStep("acquire", { c: 0 }), v, "same frozen verdict object per code");
  assert.deepEqual(m.stateBytes(), before);
  assert.equal(m.tryStep("release", { c: 1 }), OK);
  assert.equal(m.state.mode, "free");
  m.close();
});

Deno.test("Monitor check gives the verdict without applying it", () => {
  const m = lease.monitor({ key: "k" });
  assert.equal(m.check("release", { c: 2 }).detail, "require mode == held and owner == c");
  assert.equal(m.check("acquire", { c: 2 }), OK);
  assert.equal(m.state.mode, "free");
  assert.equal(m.violations, 0, "check records nothing");
  m.close();
});

Deno.test("Monitor answers an unknown action with unknown_action (code 1)", () => {
  const m = lease.monitor({ key: "k" });
  const v = m.tryStep("steal", {});
  assert.equal(v.code, 1);
  assert.equal(v.kind, "unknown_action");
  assert.throws(() => m.step("steal"), GuardError);
  assert.equal(m.check("steal").kind, "unknown_action");
  m.close();
});

Deno.test("Monitor rejects arguments it cannot encode with TypeError naming action and parameter", () => {
  const m = lease.monitor({ key: "k" });
  assert.throws(() => m.step("acquire", {}), /Action 'acquire' parameter 'c': missing argument/);
  assert.throws(() => m.step("acquire"), TypeError);
  assert.throws(() => m.tryStep("acquire", { c: "two" }), /expected a number or bigint, got 'two'/);
  assert.throws(() => m.tryStep("acquire", { c: 2n ** 60n + 1n }), RangeError);
  assert.equal(
    m.tryStep("acquire", { c: 7 }).kind,
    "bad_argument",
    "out-of-type numbers go to WASM",
  );
  assert.equal(m.tryStep("acquire", { c: 2n }), OK, "bigints are accepted");
  m.close();
});

/**
 * Enum-typed action parameters read from a spec's source, independently of
 * the compiler: `type T = enum { a, b }` declarations, then `action
 * name(p: T, ...)` parameters whose type is one of them.
 */
function enumParamsInSource(source: string): { action: string; param: string; labels: string[] }[] {
  const enums = new Map<string, string[]>();
  for (const m of source.matchAll(/type\s+(\w+)\s*=\s*enum\s*\{([^}]*)\}/g)) {
    enums.set(m[1]!, m[2]!.split(",").map((l) => l.trim()).filter((l) => l !== ""));
  }
  const out: { action: string; param: string; labels: string[] }[] = [];
  for (const m of source.matchAll(/action\s+(\w+)\s*\(([^)]*)\)/g)) {
    for (const part of m[2]!.split(",")) {
      const [param, type] = part.split(":").map((x) => x.trim());
      const labels = enums.get(type ?? "");
      if (param !== undefined && labels !== undefined) out.push({ action: m[1]!, param, labels });
    }
  }
  return out;
}

Deno.test("Monitor encodes every enum label of every spec's actions and refuses an unknown label", async () => {
  const exercised: string[] = [];
  for (const name of specNames()) {
    const spec = await loadExample(name);
    const m = spec.monitor({ key: "o" });
    for (const { action, param, labels } of enumParamsInSource(specSource(name))) {
      const index = spec.actionIndex(action);
      assert.ok(index >= 0, `${name}: no action '${action}'`);
      const params = spec.meta.actions[index]!.params;
      const position = params.findIndex((p) => p.name === param);
      assert.ok(position >= 0, `${name}: action '${action}' has no parameter '${param}'`);
      const args = (label: string) => {
        const out: Record<string, unknown> = {};
        for (const q of params) out[q.name] = q.name === param ? label : 0;
        return out;
      };
      labels.forEach((label, i) => {
        assert.equal(spec.compiled.encodeArgs(index, args(label))[position], i, `${name} ${label}`);
        const v = m.tryStep(action, args(label));
        assert.notEqual(v.kind, "bad_argument", `${name}: ${action}(${param}: ${label})`);
      });
      const expected = `Action '${action}' parameter '${param}': expected one of ${
        labels.map((l) => `'${l}'`).join(", ")
      }, got 'nope'`;
      assert.throws(() => m.tryStep(action, args("nope")), (e: unknown) => {
        assert.ok(e instanceof TypeError);
        assert.equal(e.message, expected);
        return true;
      });
      exercised.push(`${name}.${action}.${param}`);
    }
    m.close();
  }
  assert.deepEqual(exercised, ["account.withdraw.ch"], "enum parameters exercised");
});

Deno.test("Monitor in enforce mode counts violations and calls onViolation", () => {
  const seen: ViolationEvent[] = [];
  const m = lease.monitor({ key: "k", onViolation: (e) => seen.push(e) });
  m.tryStep("release", { c: 0 });
  assert.throws(() => m.step("release", { c: 0 }), GuardError);
  assert.equal(m.violations, 2);
  assert.equal(m.lastViolation?.kind, "guard_failed");
  assert.equal(seen.length, 2);
  assert.equal(seen[0]!.action, "release");
  assert.equal(seen[0]!.key, "k");
  assert.equal(seen[0]!.monitor, m);
  m.close();
});

Deno.test("Monitor in observe mode never throws on a refused step and keeps the state", () => {
  const m = lease.monitor({ key: "k", mode: "observe" });
  m.step("acquire", { c: 1 });
  const v = m.step("acquire", { c: 2 });
  assert.equal(v.kind, "guard_failed");
  assert.equal(m.violations, 1);
  assert.equal(m.state.owner, 1);
  assert.equal(m.step("nope").kind, "unknown_action");
  m.close();
});

Deno.test("Monitor stepIndex takes raw f64 arguments", () => {
  const m = lease.monitor({ key: "k" });
  const acquire = lease.actionIndex("acquire");
  assert.equal(m.stepIndex(acquire, 3), OK);
  assert.equal(m.tryStepIndex(acquire, 1).kind, "guard_failed");
  assert.equal(m.checkIndex(lease.actionIndex("release"), 3), OK);
  assert.equal(m.tryStepIndex(acquire).kind, "bad_argument", "a missing raw argument is NaN");
  assert.throws(() => m.stepIndex(99, 1), RangeError);
  m.close();
});

Deno.test("Monitor close returns the block for reuse in the initial state", () => {
  const spec = lease;
  const a = spec.monitor({ key: "a" });
  a.step("acquire", { c: 2 });
  const instances = spec.compiled.instances;
  a.close();
  a.close();
  assert.equal(a.closed, true);
  assert.throws(() => a.tryStep("release", { c: 2 }), /Monitor 'a' of spec 'Lease' is closed/);
  assert.throws(() => a.state, TypeError);
  const b = spec.monitor({ key: "b" });
  assert.equal(spec.compiled.instances, instances, "no new block");
  assert.equal(b.state.mode, "free");
  b.close();
});

Deno.test("Monitors of one spec keep separate states", () => {
  const a = lease.monitor({ key: "a" });
  const b = lease.monitor({ key: "b" });
  a.step("acquire", { c: 1 });
  assert.equal(b.state.mode, "free");
  b.step("acquire", { c: 3 });
  assert.equal(a.state.owner, 1);
  assert.equal(b.state.owner, 3);
  a.close();
  b.close();
});

Deno.test("LoadedSpec validates monitor options", () => {
  assert.throws(() => lease.monitor({ mode: "strict" as "enforce" }), /Option 'mode'/);
  assert.throws(() => lease.monitor({ key: 3 as unknown as string }), /Option 'key'/);
  assert.throws(() => lease.monitor({ sink: {} as never }), /Option 'sink'/);
  assert.equal(lease.name, "Lease");
  assert.match(lease.hash, /^[0-9a-f]{64}$/);
  assert.deepEqual(lease.actions, ["acquire", "release"]);
});

Deno.test("One loaded spec serves 100k keyed monitors, their states in WASM memory", async () => {
  const spec = await loadExample("lease");
  const count = 100_000;
  const monitors = Array.from({ length: count }, (_, i) => spec.monitor({ key: `lock:${i}` }));
  assert.equal(spec.compiled.instances, count);
  monitors.forEach((m, i) => m.step("acquire", { c: i % 4 }));
  for (const i of [0, 1, 2, 3, 4_999, 99_999]) {
    const s = monitors[i]!.state;
    assert.equal(s.mode, "held");
    assert.equal(s.owner, i % 4);
  }
  assert.equal(monitors[7]!.tryStep("release", { c: 2 }).kind, "guard_failed");
  assert.equal(monitors[7]!.tryStep("release", { c: 3 }), OK);
  assert.equal(monitors[8]!.state.mode, "held", "neighbours untouched");
  for (const m of monitors) m.close();
  spec.monitor({ key: "again" });
  assert.equal(spec.compiled.instances, count, "closed blocks are reused");
});
