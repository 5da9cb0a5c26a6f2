import assert from "node:assert/strict";
import type { StepEvent } from "../../lib/wire/event.ts";
import { loadSpec } from "./load_spec.ts";
import { createMonitorPool } from "./monitor_pool.ts";
import { KeyTable } from "./key_table.ts";
import { rng as random } from "../../tools/harness/spec_mutations.ts";
import { outcome, valueOf } from "./testdata/random_steps.ts";
import { createNode } from "./node.ts";
import type { ActionArgs, Monitor, MonitorMode } from "./monitor_types.ts";

const SPECS = ["lease", "account", "calc", "counter3", "mutex", "order", "raft", "toggle"];
const STEPS = 3000;

/** An event without its clock reading (the two sides have their own clocks) and boot. */
function comparable(e: StepEvent): unknown {
  return {
    key: e.key,
    action: e.action,
    args: Array.from(e.args),
    state: Array.from(e.state),
    verdict: e.verdict,
  };
}

for (const mode of ["enforce", "observe"] as MonitorMode[]) {
  Deno.test(`A monitor pool (${mode}) steps every example spec as monitors do on random sequences: same verdicts, errors, states, events and violations`, async () => {
    for (const name of SPECS) {
      const spec = await loadSpec(new URL(`../../dist/${name}.core.wasm`, import.meta.url));
      const next = random(0x9e3779b9 ^ name.length * 7919);
      const poolEvents: StepEvent[] = [];
      const monitorEvents: StepEvent[] = [];
      let poolViolations = 0, monitorViolations = 0;
      const pool = createMonitorPool(spec, {
        mode,
        node: createNode({ id: "n1", boot: "b" }),
        sink: { push: (e) => void poolEvents.push(e) },
        onViolation: () => void poolViolations++,
      });
      const monitorNode = createNode({ id: "n1", boot: "b" });
      const monitors = new Map<string, Monitor>();
      const keys = Array.from({ length: 12 }, (_, i) => `${name}:${i}:ключ`);
      const names = [...spec.actions, "no_such_action"];
      for (let step = 0; step < STEPS; step++) {
        const key = keys[Math.floor(next() * keys.length)]!;
        if (next() < 0.02) {
          pool.close(pool.handle(key));
          monitors.get(key)?.close();
          monitors.delete(key);
          continue;
        }
        const h = pool.open(key);
        let m = monitors.get(key);
        if (m === undefined) {
          m = spec.monitor({
            key,
            mode,
            node: monitorNode,
            sink: { push: (e) => void monitorEvents.push(e) },
            onViolation: () => void monitorViolations++,
          });
          monitors.set(key, m);
        }
        const action = names[Math.floor(next() * names.length)]!;
        const a = spec.actionIndex(action);
        const args: Record<string, unknown> = {};
        for (const p of a < 0 ? [] : spec.meta.actions[a]!.params) {
          if (next() > 0.01) args[p.name] = valueOf(p.type, next);
        }
        const how = next();
        const monitor = m;
        const [got, want] = how < 0.45
          ? [outcome(() => pool.step(h, action, args)), outcome(() => monitor.step(action, args))]
          : how < 0.9
          ? [
            outcome(() => pool.tryStep(h, action, args as ActionArgs)),
            outcome(() => monitor.tryStep(action, args)),
          ]
          : [
            outcome(() => pool.check(h, action, args)),
            outcome(() => monitor.check(action, args)),
          ];
        assert.deepEqual(
          got,
          want,
          `${name} step ${step}: ${action}(${JSON.stringify(args)}) on '${key}'`,
        );
        assert.deepEqual(
          pool.stateBytes(h),
          m.stateBytes(),
          `${name} step ${step}: state of '${key}'`,
        );
      }
      assert.ok(poolEvents.length > STEPS / 2, `${name}: the sequence emitted events`);
      assert.deepEqual(
        poolEvents.map(comparable),
        monitorEvents.map(comparable),
        `${name}: events`,
      );
      assert.equal(pool.violations, monitorViolations, `${name}: violations`);
      assert.equal(poolViolations, monitorViolations, `${name}: onViolation calls`);
      assert.ok(monitorViolations > 0, `${name}: the sequence had refusals`);
      assert.equal(pool.size, monitors.size, `${name}: live instances`);
      for (const [key, m] of monitors) assert.deepEqual(pool.state(pool.handle(key)), m.state);
    }
  });
}

Deno.test("A monitor pool without a sink (the fast path) gives the verdicts and states of monitors on random lease steps", async () => {
  const spec = await loadSpec(new URL("../../dist/lease.core.wasm", import.meta.url));
  const pool = createMonitorPool(spec);
  const next = random(42);
  const monitors = Array.from({ length: 8 }, (_, i) => spec.monitor({ key: `k${i}` }));
  const handles = monitors.map((m) => pool.open(m.key));
  for (let step = 0; step < 20_000; step++) {
    const i = Math.floor(next() * 8);
    const action = next() < 0.5 ? "acquire" : "release";
    const args = { c: Math.floor(next() * 6) - 1 };
    assert.equal(pool.tryStep(handles[i]!, action, args), monitors[i]!.tryStep(action, args));
  }
  for (let i = 0; i < 8; i++) {
    assert.deepEqual(pool.stateBytes(handles[i]!), monitors[i]!.stateBytes());
  }
  assert.equal(pool.violations, monitors.reduce((n, m) => n + m.violations, 0));
});

Deno.test("A monitor pool refuses a handle that is not one of its live instances, naming it", async () => {
  const spec = await loadSpec(new URL("../../dist/lease.core.wasm", import.meta.url));
  const pool = createMonitorPool(spec);
  const other = createMonitorPool(spec);
  const h = pool.open("lock:a");
  const foreign = other.open("lock:b");
  for (const bad of [-1, 1.5, foreign, 1e9]) {
    assert.throws(() => pool.tryStep(bad, "acquire", { c: 1 }), {
      name: "RangeError",
      message: `Handle ${bad} is not a live instance of this pool of spec 'Lease'`,
    });
  }
  pool.close(h);
  assert.throws(() => pool.state(h), RangeError);
  assert.throws(() => createMonitorPool(spec, { mode: "lenient" as MonitorMode }), {
    message: "Option 'mode' must be 'enforce' or 'observe', got 'lenient'",
  });
  assert.throws(() => createMonitorPool(spec, { capacity: -1 }), RangeError);
});

Deno.test("A key table keeps 50,000 keys through adds, removals, growth and compaction, as a Map does", () => {
  const table = new KeyTable();
  const model = new Map<string, number>();
  const next = random(7);
  let handle = 0;
  const free: number[] = [];
  for (let i = 0; i < 200_000; i++) {
    const key = `key:${Math.floor(next() * 50_000)}${i % 3 === 0 ? "é" : ""}`;
    if (model.has(key) && next() < 0.4) {
      const h = model.get(key)!;
      table.remove(h);
      model.delete(key);
      free.push(h);
    } else if (!model.has(key)) {
      const h = free.pop() ?? handle++;
      table.add(key, h);
      model.set(key, h);
    }
  }
  assert.equal(table.size, model.size);
  for (const [key, h] of model) {
    assert.equal(table.find(key), h);
    assert.equal(table.keyOf(h), key);
  }
  assert.equal(table.find("key:none"), -1);
  assert.deepEqual([...table.handles()], [...model.values()].sort((a, b) => a - b));
  assert.throws(() => table.add([...model.keys()][0]!, handle + 1), TypeError);
});

Deno.test("A key table widens its offsets past 16 MiB of keys and its hash slots past handle 2^24 - 2, keeping every key", () => {
  const table = new KeyTable();
  const model = new Map<string, number>();
  const big = "k".repeat(1 << 20);
  const bytesBefore = () => table.bytes;
  // 17 keys of 1 MiB: arena offsets beyond 2^24 need the 4-byte offsets.
  for (let i = 0; i < 17; i++) {
    const key = `${i}:${big}`;
    table.add(key, i);
    model.set(key, i);
  }
  for (let i = 17; i < 200; i++) {
    table.add(`small:${i}`, i);
    model.set(`small:${i}`, i);
  }
  // A handle whose 1 + handle needs 25 bits: the 4-byte hash slots.
  const high = (1 << 24) + 5;
  table.add("high", high);
  model.set("high", high);
  const sizeWithHigh = bytesBefore();
  assert.ok(sizeWithHigh > 4 * (1 << 24), "the offsets hold 4 bytes per handle up to the high one");
  for (let i = 0; i < 17; i += 2) {
    table.remove(i);
    model.delete(`${i}:${big}`);
  }
  assert.equal(table.size, model.size);
  for (const [key, h] of model) {
    assert.equal(table.find(key), h, `find ${key.slice(0, 12)}`);
    assert.equal(table.keyOf(h), key);
    assert.ok(table.has(h));
  }
  assert.equal(table.find(`0:${big}`), -1);
  assert.equal(table.has(0), false);
  assert.equal(table.has(high + 1), false);
  assert.deepEqual([...table.handles()], [...model.values()].sort((a, b) => a - b));
});

Deno.test("A key table of 100,000 keys of 11 bytes holds about 19 bytes per key (3-byte offsets and hash slots)", () => {
  const n = 100_000;
  const table = new KeyTable(n);
  for (let i = 0; i < n; i++) table.add(`lock:${String(i).padStart(6, "0")}`, i);
  // 12 arena bytes per key as sized, 3 per offset, 3 per hash slot at most 3/4 full.
  const expected = n * 12 + n * 3 + (Math.ceil(n / 0.75) + 1) * 3;
  assert.equal(table.bytes, expected);
  for (let i = 0; i < n; i += 997) {
    assert.equal(table.find(`lock:${String(i).padStart(6, "0")}`), i);
  }
});
