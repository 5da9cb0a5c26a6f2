/**
 * The SDK's step cost on the lease workload (acquire(2) then release(2),
 * 128 pairs = 256 steps per iteration, so ns/iter / 256 = ns per step),
 * side by side in one group against its anchors:
 * - the raw floor: the same two actions hand-written in WebAssembly text
 *   (`raw_lease_wasm.ts`), called as raw exports (baseline),
 * - `m.tryStep` in enforce mode with no sink (the allocation-free path),
 * - `pool.tryStep(handle, ..)` of the handle API (`createMonitorPool`),
 * - the generated typed class `LeaseMonitor` (`lease.monitor.ts` of the compile,
 *   extending `TypedMonitor`; no sink, so each method calls its own step
 *   export directly),
 * - `m.step` with events into a batcher over a memory transport (each
 *   iteration awaits `flush()`, so encoding and delivery are included),
 * - XState v5 with the same guards via `actor.send`,
 * - a hand-written JS check of the same guards (last, see there).
 *
 * On a loaded machine the averages carry preemption pauses (max in the
 * tens of ms); compare the min and p75 columns.
 *
 * Before timing, the hand-written module's verdicts are compared with the
 * compiled spec's on random steps (the anchor does the same work).
 *
 * Group `layout`: what 4-byte aligned blocks cost the step. The
 * hand-written module with 48-byte blocks (every i64 8-byte aligned,
 * baseline) against the same module with 44-byte blocks (the compiled
 * Lease's stride: the i64 slots of every other block 4-byte aligned, some
 * blocks across two cache lines), each stepping 4,096 instances in turn.
 *
 * With `--generic` (either way of running), `m.tryStep` and
 * `pool.tryStep` take the generic fast step, what a host that forbids
 * code generation from strings (workerd) takes.
 *
 * Interleaved instead (every case in turn, round after round, so a change
 * of the shared machine's load hits all alike; min and median ratios to
 * each group's baseline): `deno run -A --v8-flags=--no-liftoff
 * bench/sdk_bench.ts --interleaved=30`.
 *
 * Run: `deno bench -A --v8-flags=--no-liftoff bench/sdk_bench.ts`: WebAssembly
 * compiled by the optimizing tier from the start. Without the flag V8 runs
 * it first through its baseline compiler and optimizes it in a background
 * thread, which a loaded machine starves for seconds, so every case that
 * calls WebAssembly measured 5-40x slower than in steady state here.
 * Memory for 1M instances (one process per variant, so neither sees the other's garbage):
 * `deno run -A --v8-flags=--expose-gc bench/sdk_bench.ts --memory=pool`
 * `deno run -A --v8-flags=--expose-gc bench/sdk_bench.ts --memory=monitors`
 */
import { assign, createActor, createMachine } from "../tools/dev_deps/xstate.ts";
import { compile } from "../lib/compile.ts";
import { createBatcher, createMonitorPool, loadSpec, memoryTransport } from "../mod.ts";
import type { LoadedSpec, Verdict } from "../mod.ts";
import { rawLease } from "./raw_lease_wasm.ts";
import { LoadedSpecImpl } from "../runtime/monitor/load_spec.ts";

const STEPS = 256;
const root = new URL("..", import.meta.url).pathname;
const compiled = await compile(Deno.readTextFileSync(`${root}specs/lease.vigil`), {
  fileName: "lease.vigil",
});
const dir = Deno.makeTempDirSync({ prefix: "vigil-sdk-bench-" });
for (const [name, bytes] of compiled.files) Deno.writeFileSync(`${dir}/${name}`, bytes);
// `--generic`: the monitors and the pool step through the generic fast step, what a host that
// forbids code generation from strings (workerd) takes. A process of its own: with both fast
// steps in one process the monitor's call site would see two functions.
const generic = Deno.args.includes("--generic");
const loaded = await loadSpec(`${dir}/lease.js`);
const lease: LoadedSpec = generic
  ? new LoadedSpecImpl(loaded.compiled, { generate: false })
  : loaded;
let sink = 0;

// --- 1M instances: memory per instance -----------------------------------
function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) throw new Error("Run with --v8-flags=--expose-gc to measure memory");
  collect();
  collect();
}

function wasmBytes(spec: LoadedSpec): number {
  // The state blocks live in the compiled module's memory.
  return (spec.compiled as unknown as { instances: number }).instances * spec.meta.stride;
}

function measureMemory(spec: LoadedSpec, count: number, variant: string): void {
  const memory = () => Deno.memoryUsage();
  gc();
  const before = memory();
  const blocksBefore = spec.compiled.instances;
  let keyBytes = 0;
  let keep: unknown;
  if (variant === "pool") {
    const pool = createMonitorPool(spec, { capacity: count });
    for (let i = 0; i < count; i++) pool.open(`lock:${i}`);
    pool.tryStep(pool.handle(`lock:${count - 1}`), "acquire", { c: 1 });
    keyBytes = pool.keyBytes;
    keep = pool;
  } else {
    const monitors = new Array(count);
    for (let i = 0; i < count; i++) monitors[i] = spec.monitor({ node: "n", key: `lock:${i}` });
    monitors[count - 1].tryStep("acquire", { c: 1 });
    keep = monitors;
  }
  gc();
  const after = memory();
  const blocks = (spec.compiled.instances - blocksBefore) * spec.meta.stride;
  const per = (bytes: number) => (bytes / count).toFixed(1);
  const keyChars = Array.from({ length: count }, (_, i) => `lock:${i}`.length).reduce(
    (a, b) => a + b,
    0,
  );
  console.log(
    `${count} ${
      variant === "pool" ? "pool handles" : "monitor objects"
    } of '${spec.name}', keys lock:0 .. lock:${count - 1} (${per(keyChars)} bytes on average):`,
  );
  console.log(
    `  state blocks in WASM memory: ${per(blocks)} B/instance (stride ${spec.meta.stride})`,
  );
  console.log(`  JS heap: ${per(after.heapUsed - before.heapUsed)} B/instance`);
  console.log(
    `  external (ArrayBuffers; the key table is ${per(keyBytes)} B/instance): ${
      per(after.external - before.external)
    } B/instance`,
  );
  console.log(
    `  rss: ${per(after.rss - before.rss)} B/instance (includes WASM memory grown in pages)`,
  );
  const total = blocks + (after.heapUsed - before.heapUsed) +
    (variant === "pool" ? keyBytes : after.external - before.external);
  console.log(
    `  total (blocks + heap + ${variant === "pool" ? "key table" : "external"}): ${
      per(total)
    } B/instance`,
  );
  if (keep === undefined) console.log(wasmBytes(spec));
}

const memoryArg = Deno.args.find((a) => a.startsWith("--memory"));
if (memoryArg !== undefined) {
  measureMemory(lease, 1_000_000, memoryArg.endsWith("=monitors") ? "monitors" : "pool");
  Deno.exit(0);
}

// --- cases: Deno.bench, or interleaved rounds (--interleaved=<rounds>) -----------------------
interface Case {
  readonly name: string;
  readonly group: string;
  readonly baseline: boolean;
  readonly fn: () => void | Promise<void>;
}
const cases: Case[] = [];
const interleavedArg = Deno.args.find((a) => a.startsWith("--interleaved"));

/** Registers a case with `Deno.bench`, or keeps it for the interleaved rounds. */
function bench(
  name: string,
  options: { readonly group: string; readonly baseline?: boolean },
  fn: () => void | Promise<void>,
): void {
  if (interleavedArg === undefined) Deno.bench(name, options, fn);
  else cases.push({ name, group: options.group, baseline: options.baseline ?? false, fn });
}

/**
 * Runs every case in turn, round after round (each sample about 2 ms of
 * iterations after a warm-up), so a change of the machine's load hits every
 * case alike; prints per case the min and median ns per iteration and per
 * step, and the ratios to the group's baseline.
 */
async function runInterleaved(rounds: number): Promise<void> {
  const samples = cases.map(() => [] as number[]);
  const iterations = cases.map(() => 1);
  for (const [i, c] of cases.entries()) {
    // Warm up and find how many iterations take about 2 ms.
    const t0 = performance.now();
    while (performance.now() - t0 < 200) await c.fn();
    let n = 1;
    for (;;) {
      const t0 = performance.now();
      for (let k = 0; k < n; k++) await c.fn();
      if (performance.now() - t0 >= 2 || n >= 1 << 20) break;
      n *= 2;
    }
    iterations[i] = n;
  }
  for (let r = 0; r < rounds; r++) {
    for (const [i, c] of cases.entries()) {
      const n = iterations[i]!;
      const t0 = performance.now();
      for (let k = 0; k < n; k++) await c.fn();
      samples[i]!.push(((performance.now() - t0) * 1e6) / n);
    }
  }
  const stats = samples.map((xs) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return { min: sorted[0]!, median: sorted[Math.floor(sorted.length / 2)]! };
  });
  for (const group of new Set(cases.map((c) => c.group))) {
    const base = cases.findIndex((c) => c.group === group && c.baseline);
    console.log(`group ${group} (${rounds} interleaved rounds; ns per ${STEPS} steps, per step)`);
    for (const [i, c] of cases.entries()) {
      if (c.group !== group) continue;
      const { min, median } = stats[i]!;
      const ratio = base < 0
        ? ""
        : `  ${(min / stats[base]!.min).toFixed(2)}x / ${
          (median / stats[base]!.median).toFixed(2)
        }x baseline`;
      console.log(
        `  ${c.name.padEnd(44)} min ${min.toFixed(0).padStart(9)} (${
          (min / STEPS).toFixed(2)
        } ns/step)  median ${median.toFixed(0).padStart(9)} (${
          (median / STEPS).toFixed(2)
        } ns/step)${ratio}`,
      );
    }
  }
}

// --- the raw floor: hand-written WebAssembly, checked against the compiled spec first -------
const raw = rawLease();
{
  const inst = raw.create(1), check = lease.compiled.create(1);
  const acquire = lease.compiled.stepFn(0), release = lease.compiled.stepFn(1);
  let seed = 12345;
  for (let i = 0; i < 100_000; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const c = (seed >>> 16) % 6 - 1;
    const [r, s] = seed & 1
      ? [raw.acquire(inst, c), acquire(check, c)]
      : [raw.release(inst, c), release(check, c)];
    if ((r === 0) !== (s === 0)) {
      throw new Error(`Hand-written and compiled Lease differ at step ${i}: ${r} vs ${s}`);
    }
  }
}
const rawInst = raw.create(1);
const rawAcquire = raw.acquire, rawRelease = raw.release;
bench("raw hand-written WASM step (floor)", { group: "lease", baseline: true }, () => {
  for (let i = 0; i < STEPS / 2; i++) sink += rawAcquire(rawInst, 2) + rawRelease(rawInst, 2);
});

// --- what 4-byte aligned blocks cost: 48- against 44-byte blocks, 4,096 instances in turn ---
// Two literal closures, not one made in a loop: closures of one literal share their call
// feedback, which would make each call site see both modules' exports (polymorphic).
const INSTANCES = 4096;
const aligned = rawLease({ stride: 48 }), packed = rawLease({ stride: 44 });
const alignedFirst = aligned.create(INSTANCES), packedFirst = packed.create(INSTANCES);
let alignedNext = 0, packedNext = 0;
bench(
  "raw hand-written WASM step, 48-byte blocks",
  { group: "layout", baseline: true },
  () => {
    for (let i = 0; i < STEPS / 2; i++) {
      const inst = alignedFirst + alignedNext;
      alignedNext = alignedNext + 1 === INSTANCES ? 0 : alignedNext + 1;
      sink += aligned.acquire(inst, 2) + aligned.release(inst, 2);
    }
  },
);
bench("raw hand-written WASM step, 44-byte blocks", { group: "layout" }, () => {
  for (let i = 0; i < STEPS / 2; i++) {
    const inst = packedFirst + packedNext;
    packedNext = packedNext + 1 === INSTANCES ? 0 : packedNext + 1;
    sink += packed.acquire(inst, 2) + packed.release(inst, 2);
  }
});

// --- Monitor.tryStep, enforce, no sink ----------------------------------
const m = lease.monitor({ node: "bench", key: "lock:a" });
const two = { c: 2 };
bench(`m.tryStep (enforce, no sink${generic ? ", generic" : ""})`, { group: "lease" }, () => {
  for (let i = 0; i < STEPS / 2; i++) {
    sink += m.tryStep("acquire", two).code + m.tryStep("release", two).code;
  }
});

// --- the handle API ------------------------------------------------------
const pool = createMonitorPool(lease);
const handle = pool.open("lock:p");
bench(
  `pool.tryStep(handle) (enforce, no sink${generic ? ", generic" : ""})`,
  { group: "lease" },
  () => {
    for (let i = 0; i < STEPS / 2; i++) {
      sink += pool.tryStep(handle, "acquire", two).code + pool.tryStep(handle, "release", two).code;
    }
  },
);

// --- the generated typed class (imports "@vigil/vigil", mapped to ../mod.ts) -----
interface Typed {
  acquire(c: number): Verdict;
  release(c: number): Verdict;
}
const { LeaseMonitor } = await import(`file://${dir}/lease.monitor.ts`);
await LeaseMonitor.load();
const typed: Typed = new LeaseMonitor({ key: "lock:t" });
bench("generated typed class (LeaseMonitor)", { group: "lease" }, () => {
  for (let i = 0; i < STEPS / 2; i++) sink += typed.acquire(2).code + typed.release(2).code;
});

// --- Monitor.step with a batcher over a memory transport ------------------
const transport = memoryTransport();
transport.subscribe((bytes) => void (sink += bytes.length));
const batcher = createBatcher(transport, { maxEvents: 256, maxDelayMs: 50 });
const shipped = lease.monitor({ node: "bench", key: "lock:b", sink: batcher });
bench("m.step + batcher (memory transport)", { group: "lease" }, async () => {
  for (let i = 0; i < STEPS / 2; i++) {
    sink += shipped.step("acquire", two).code + shipped.step("release", two).code;
  }
  await batcher.flush();
});

// --- XState v5 with the same guards ---------------------------------------
interface Ctx {
  owner: number;
  token: number;
  granted: readonly number[];
}
type Ev = { type: "acquire"; c: number } | { type: "release"; c: number };
const inClient = (c: number) => Number.isInteger(c) && c >= 0 && c <= 3;
const machine = createMachine({
  types: {} as { context: Ctx; events: Ev },
  context: { owner: 0, token: 0, granted: [0, 0, 0, 0] },
  initial: "free",
  states: {
    free: {
      on: {
        acquire: {
          guard: ({ event }) => inClient(event.c),
          target: "held",
          actions: assign(({ context, event }) => ({
            owner: event.c,
            token: context.token + 1,
            granted: context.granted.map((g, k) => (k === event.c ? context.token + 1 : g)),
          })),
        },
      },
    },
    held: {
      on: {
        release: {
          guard: ({ context, event }) => inClient(event.c) && context.owner === event.c,
          target: "free",
        },
      },
    },
  },
});
const actor = createActor(machine).start();
bench("XState v5 actor.send", { group: "lease" }, () => {
  for (let i = 0; i < STEPS / 2; i++) {
    actor.send({ type: "acquire", c: 2 });
    actor.send({ type: "release", c: 2 });
  }
});

// --- hand-written JS: the same guards, assignments and invariant check (last: run
// before the others, it slowed every later case of the group several-fold here) ---
const FREE = 0, HELD = 1, MAX = 9223372036854775807;
const js = { mode: FREE, owner: 0, token: 0, granted: [0, 0, 0, 0] };
function jsAcquire(c: number): number {
  if (!Number.isInteger(c) || c < 0 || c > 3) return 2;
  if (js.mode !== FREE) return 3;
  if (js.token + 1 > MAX) return 5;
  const token = js.token + 1;
  js.granted[c] = js.token + 1;
  js.mode = HELD;
  js.owner = c;
  js.token = token;
  if (js.mode === HELD && js.granted[js.owner] !== js.token) return 11;
  return 0;
}
function jsRelease(c: number): number {
  if (!Number.isInteger(c) || c < 0 || c > 3) return 8;
  if (!(js.mode === HELD && js.owner === c)) return 9;
  js.mode = FREE;
  return 0;
}

bench("hand-written JS check", { group: "lease" }, () => {
  for (let i = 0; i < STEPS / 2; i++) sink += jsAcquire(2) + jsRelease(2);
});

if (interleavedArg !== undefined) {
  await runInterleaved(Number(interleavedArg.split("=")[1] ?? "30"));
  await batcher.close();
  Deno.exit(0);
}

globalThis.addEventListener("unload", () => {
  if (sink === 0.5) console.log(sink);
});
