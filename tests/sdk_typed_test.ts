/**
 * The generated typed class (`specs/lease.vigil` -> `lease.monitor.ts`,
 * importing `@vigil/vigil`) shares the Monitor machinery: violations and
 * `onViolation` on its fast path, observe mode (step for step the same
 * verdicts, state, callbacks and events as an untyped monitor observing),
 * the observe path with a reported state, events to a sink (its slow
 * path), close; integers are numbers, refused beyond ±(2^53 - 1). It loads the core module beside it by default, or any
 * source its static `load` is given (bytes, a `WebAssembly.Module` as in a
 * Worker, a spec already loaded), and imports without reading anything.
 */
import assert from "node:assert/strict";
import { compiledDir } from "../tools/harness/sdk_fixture.ts";
import { createBatcher } from "../runtime/batcher/batcher.ts";
import { decodeBatch } from "../lib/wire/decode.ts";
import type { DecodedBatch, StepEvent } from "../lib/wire/event.ts";
import { memoryTransport } from "../runtime/transports/memory.ts";
import type { Divergence, ViolationEvent } from "../runtime/monitor/monitor_types.ts";
import { GuardError } from "../lib/abi/verdict.ts";
import { SpecLoadError } from "../lib/abi/bindings.ts";
import { loadSpec } from "../runtime/monitor/load_spec.ts";

const dir = await compiledDir("lease");
const CLASS_FILE = `${dir}/lease.monitor.ts`;
const { LeaseMonitor } = await import(`file://${CLASS_FILE}`);
await LeaseMonitor.load();

/** A fresh instance of the generated module (its own loaded spec), imported from `path`. */
async function freshClass(tag: string, path = CLASS_FILE) {
  return (await import(`file://${path}?${tag}`)).LeaseMonitor;
}

Deno.test("Typed fast path: enforce throws GuardError naming the spec file and records the violation", () => {
  const seen: ViolationEvent[] = [];
  const m = new LeaseMonitor({ key: "lock:a", onViolation: (v: ViolationEvent) => seen.push(v) });
  assert.equal(m.key, "lock:a");
  assert.equal(m.acquire(2).kind, "ok");
  assert.throws(() => m.acquire(3), (e: unknown) => {
    assert.ok(e instanceof GuardError);
    assert.equal(e.action, "acquire");
    assert.match(e.message, /lease\.vigil:14:5/);
    return true;
  });
  assert.equal(m.tryRelease(1).kind, "guard_failed");
  assert.equal(m.$monitor.violations, 2);
  assert.equal(m.$monitor.lastViolation.item, "action release");
  assert.deepEqual(seen.map((v) => [v.action, v.key, v.verdict.kind]), [
    ["acquire", "lock:a", "guard_failed"],
    ["release", "lock:a", "guard_failed"],
  ]);
  assert.equal(m.checkAcquire(1).kind, "guard_failed");
  assert.equal(m.$monitor.violations, 2, "check records nothing");
  assert.equal(m.state.owner, 2);
});

Deno.test("Typed observe mode returns refused verdicts and counts them", () => {
  const m = new LeaseMonitor({ mode: "observe" });
  assert.equal(m.release(0).kind, "guard_failed");
  assert.equal(m.acquire(9).kind, "bad_argument");
  assert.equal(m.$monitor.violations, 2);
  assert.equal(m.state.mode, "free");
});

Deno.test("Typed monitor with a sink emits one event per step, args and verdict included", async () => {
  const transport = memoryTransport();
  const batches: DecodedBatch[] = [];
  transport.subscribe((bytes) => void batches.push(decodeBatch(bytes)));
  const sink = createBatcher(transport, { maxDelayMs: 1 });
  const m = new LeaseMonitor({ node: "typed-1", key: "lock:e", sink });
  assert.equal(m.acquire(1).kind, "ok");
  assert.throws(() => m.acquire(2), GuardError);
  assert.equal(m.tryRelease(1).kind, "ok");
  assert.equal(m.checkAcquire(3).kind, "ok");
  await sink.close();
  const events = batches.flatMap((b) => b.events);
  assert.deepEqual(events.map((e) => [e.key, e.action, e.args, e.verdict === 0]), [
    ["lock:e", 0, [1], true],
    ["lock:e", 0, [2], false],
    ["lock:e", 1, [1], true],
  ]);
  assert.equal(m.$monitor.violations, 1);
});

Deno.test("A closed typed monitor refuses every method", () => {
  const m = new LeaseMonitor();
  m.$close();
  assert.throws(() => m.acquire(1), TypeError);
  assert.throws(() => m.tryAcquire(1), TypeError);
  assert.throws(() => m.checkAcquire(1), TypeError);
});

Deno.test("The typed class is written to lease.monitor.ts, and no lease.ts is written", async () => {
  const names = [...Deno.readDirSync(dir)].map((e) => e.name);
  assert.ok(names.includes("lease.monitor.ts"));
  assert.ok(!names.includes("lease.ts"), names.join(", "));
  const text = await Deno.readTextFile(CLASS_FILE);
  assert.match(
    text,
    /^import \{ loadSpec as \$loadSpec, TypedMonitor as \$TypedMonitor \} from "@vigil\/vigil";$/m,
  );
});

Deno.test("Typed class loaded by default reads the core module beside it", () => {
  assert.equal(LeaseMonitor.spec.name, "Lease");
  assert.equal(new LeaseMonitor().acquire(1).kind, "ok");
});

Deno.test("Typed class load installs each method's fast path over the raw exports on the prototype", async () => {
  const Lease = await freshClass("fast");
  const generic = Lease.prototype.acquire;
  assert.match(String(generic), /return this\.\$step\(0, c\)/);
  assert.doesNotMatch(String(generic), /\$step0/);
  const before = new Set(Object.getOwnPropertyNames(Lease.prototype));
  await Lease.load(await Deno.readFile(`${dir}/lease.core.wasm`));
  assert.notEqual(Lease.prototype.acquire, generic);
  assert.match(String(Lease.prototype.acquire), /const \$code = \$step0\(\$inst, c\);/);
  assert.match(String(Lease.prototype.checkRelease), /const \$code = \$check1\(\$inst, c\);/);
  assert.deepEqual(new Set(Object.getOwnPropertyNames(Lease.prototype)), before, "no new members");
  assert.ok(
    !Object.keys(Lease.prototype).includes("acquire"),
    "the installed methods stay non-enumerable like class methods",
  );
  const m = new Lease({ key: "fast" });
  assert.equal(m.acquire(2).kind, "ok");
  assert.equal(m.tryAcquire(1).detail, "require mode == free");
  assert.equal(m.$monitor.violations, 1);
});

Deno.test("Typed class loads from a WebAssembly.Module, as a Worker that imports the .core.wasm", async () => {
  const Lease = await freshClass("module");
  const module = new WebAssembly.Module(await Deno.readFile(`${dir}/lease.core.wasm`));
  const spec = await Lease.load(module);
  assert.notEqual(spec, LeaseMonitor.spec, "its own instance");
  const m = new Lease({ key: "w" });
  assert.equal(m.acquire(3).kind, "ok");
  assert.equal(m.state.owner, 3);
  assert.throws(() => m.acquire(1), GuardError);
});

Deno.test("Typed class loads from the component's bytes and from a spec loaded with loadSpec", async () => {
  const fromBytes = await freshClass("bytes");
  await fromBytes.load(await Deno.readFile(`${dir}/lease.wasm`));
  assert.equal(new fromBytes().tryRelease(0).kind, "guard_failed");
  const fromSpec = await freshClass("spec");
  const spec = await loadSpec(`${dir}/lease.js`);
  assert.equal(await fromSpec.load(spec), spec);
  assert.equal(new fromSpec().acquire(0).kind, "ok");
  assert.equal(spec.monitor().state.mode, "free", "the class shares the given spec");
});

Deno.test("Typed class copied alone imports without reading anything and loads what it is given", async () => {
  const alone = await Deno.makeTempDir({ prefix: "vigil-typed-alone-" });
  try {
    await Deno.copyFile(CLASS_FILE, `${alone}/lease.monitor.ts`);
    const Lease = await freshClass("alone", `${alone}/lease.monitor.ts`);
    assert.throws(
      () => new Lease(),
      new TypeError("Spec 'Lease' is not loaded: call 'await LeaseMonitor.load()' first"),
    );
    await assert.rejects(Lease.load(), (e: unknown) => {
      assert.ok(e instanceof SpecLoadError);
      assert.equal(e.reason, "not_found");
      assert.equal(e.where, `file://${alone}/lease.core.wasm`);
      return true;
    });
    await Lease.load(await Deno.readFile(`${dir}/lease.core.wasm`));
    assert.equal(new Lease().acquire(2).kind, "ok", "a failed load can be retried");
  } finally {
    await Deno.remove(alone, { recursive: true });
  }
});

Deno.test("Typed class refuses a compiled spec of another source as source_mismatch", async () => {
  const mutexDir = await compiledDir("mutex");
  const Lease = await freshClass("mismatch");
  await assert.rejects(Lease.load(`${mutexDir}/mutex.core.wasm`), (e: unknown) => {
    assert.ok(e instanceof SpecLoadError);
    assert.equal(e.reason, "source_mismatch");
    assert.match(
      e.message,
      /^Compiled spec 'Mutex' in 'file:.*\/mutex\.core\.wasm' was compiled from source/,
    );
    return true;
  });
  await assert.rejects(Lease.load(await loadSpec(`${mutexDir}/mutex.core.wasm`)), TypeError);
  assert.throws(() => new Lease(), TypeError);
});

/** The same steps through the typed class and an untyped monitor of the same spec, both observing. */
function observeBoth(sink: boolean) {
  const record = () => {
    const seen: string[] = [];
    const events: StepEvent[] = [];
    const options = {
      node: "obs-1",
      key: "lock:o",
      mode: "observe" as const,
      onViolation: (v: ViolationEvent) => void seen.push(`${v.action} ${v.verdict.kind}`),
      ...(sink ? { sink: { push: (e: StepEvent) => void events.push(e) } } : {}),
    };
    return { seen, events, options };
  };
  const typed = record();
  const untyped = record();
  const m = new LeaseMonitor(typed.options);
  const u = LeaseMonitor.spec.monitor(untyped.options);
  const steps: [string, number][] = [
    ["release", 0],
    ["acquire", 1],
    ["acquire", 2],
    [
      "acquire",
      9,
    ],
    ["release", 2],
    ["release", 1],
  ];
  const verdicts = steps.map(([action, c]) => {
    const got = action === "acquire" ? m.acquire(c) : m.release(c);
    const want = u.step(action, { c });
    assert.equal(got, want, `${action}(${c}): the same frozen verdict`);
    assert.deepEqual(m.state, u.state, `${action}(${c}): the same state`);
    return got.kind;
  });
  return { m, u, typed, untyped, verdicts };
}

Deno.test("Typed observe mode records, reports and returns refused steps without applying them, as the SDK's observe mode does", () => {
  for (const sink of [false, true]) {
    const { m, u, typed, untyped, verdicts } = observeBoth(sink);
    assert.deepEqual(verdicts, [
      "guard_failed",
      "ok",
      "guard_failed",
      "bad_argument",
      "guard_failed",
      "ok",
    ]);
    assert.equal(m.state.mode, "free");
    assert.equal(m.state.owner, 1, "refused acquires left the owner alone");
    assert.equal(m.$monitor.violations, 4);
    assert.equal(m.$monitor.violations, u.violations);
    assert.deepEqual(typed.seen, [
      "release guard_failed",
      "acquire guard_failed",
      "acquire bad_argument",
      "release guard_failed",
    ]);
    assert.deepEqual(typed.seen, untyped.seen);
    if (sink) {
      const shape = (e: StepEvent) => [e.action, Array.from(e.args), e.verdict];
      assert.equal(
        typed.events.length,
        6,
        "every step is reported, refused ones with their verdict",
      );
      assert.deepEqual(typed.events.map(shape), untyped.events.map(shape));
      assert.deepEqual(typed.events.map((e) => e.verdict === 0), [
        false,
        true,
        false,
        false,
        false,
        true,
      ]);
    }
  }
});

Deno.test("Typed plain method with observed reports each divergence and goes on from the actual state", () => {
  const m = new LeaseMonitor({ key: "lock:d", mode: "observe" });
  const v = m.acquire(1, { observed: { owner: 2, granted: { 1: 0 } } });
  assert.equal(v.kind, "divergence");
  assert.deepEqual(
    m.$monitor.divergences.map((d: Divergence) => [d.variable, d.expected, d.actual]),
    [["owner", 1, 2], ["granted", { 0: 0, 1: 1, 2: 0, 3: 0 }, { 0: 0, 1: 0, 2: 0, 3: 0 }]],
  );
  assert.equal(m.state.owner, 2, "the monitor continues from the reported state");
  assert.equal(m.release(2, { observed: { mode: "free" } }).kind, "ok");
  assert.deepEqual(m.$monitor.divergences, []);
  const enforced = new LeaseMonitor({ key: "lock:e" });
  enforced.acquire(1);
  assert.throws(() => enforced.acquire(2, { observed: { owner: 2 } }), (e: unknown) => {
    assert.ok(e instanceof GuardError);
    assert.match(e.message, /lease\.vigil:14:5/, "the message points at the spec file");
    return true;
  });
  assert.equal(enforced.state.owner, 1, "refused in enforce mode: nothing adopted");
});

Deno.test("Typed int arguments and state are numbers: beyond ±(2^53 - 1) a RangeError names the parameter or variable", async () => {
  const calcDir = await compiledDir("calc");
  const { CalcMonitor } = await import(`file://${calcDir}/calc.monitor.ts`);
  await CalcMonitor.load();
  const m = new CalcMonitor({ key: "calc:1" });
  assert.equal(m.put(2 ** 52).kind, "ok");
  assert.equal(m.state.acc, 2 ** 52);
  assert.equal(typeof m.state.acc, "number");
  assert.throws(
    () => m.put(2 ** 53),
    new RangeError(
      "Action 'put' parameter 'v': 9007199254740992 is beyond the safe integers of a number (±(2^53 - 1))",
    ),
  );
  assert.throws(() => m.tryAdd(-(2 ** 60)), RangeError);
  assert.throws(() => m.checkMul(2 ** 53), RangeError);
  assert.equal(m.state.acc, 2 ** 52, "nothing was stepped");
  assert.equal(m.tryPut(1.5).kind, "bad_argument", "a fraction reaches the spec");
  assert.equal(m.mul(4).kind, "ok");
  assert.throws(() => m.state, (e: unknown) => {
    assert.ok(e instanceof RangeError);
    assert.equal(
      e.message,
      "State 'acc' of spec 'Calc' instance 'calc:1' holds 18014398509481984, beyond the safe integers of a number (±(2^53 - 1)); read it exactly as a bigint from '$monitor.state'",
    );
    return true;
  });
  assert.equal(m.$monitor.state.acc, 2n ** 54n, "the untyped state gives it exactly");
  assert.equal(m.put(-2).kind, "ok");
  assert.equal(m.store(1).kind, "ok");
  assert.deepEqual(m.state.cells, { "-2": 0, "-1": 0, 0: 0, 1: 4, 2: 0 }, "map values are numbers");
});
