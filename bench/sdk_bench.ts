/**
 * The SDK's step cost on the lease workload (acquire(2) then release(2),
 * 128 pairs = 256 steps per iteration, so ns/iter / 256 = ns per step),
 * side by side in one group:
 * - a hand-written JS check of the same guards (baseline),
 * - `m.tryStep` in enforce mode with no sink (the allocation-free path),
 * - the generated typed class `LeaseMonitor` (`lease.monitor.ts` of the compile,
 *   extending `TypedMonitor`; no sink, so each method calls its own step
 *   export directly),
 * - `m.step` with events into a batcher over a memory transport (each
 *   iteration awaits `flush()`, so encoding and delivery are included),
 * - XState v5 with the same guards via `actor.send`.
 *
 * Run: `deno bench -A bench/sdk_bench.ts`
 * Memory for 1M monitors: `deno run -A --v8-flags=--expose-gc bench/sdk_bench.ts --memory`
 */
import { assign, createActor, createMachine } from "../tools/dev_deps/xstate.ts";
import { compile } from "../lib/compile.ts";
import { createBatcher, loadSpec, memoryTransport } from "../mod.ts";
import type { LoadedSpec, Verdict } from "../mod.ts";

const STEPS = 256;
const root = new URL("..", import.meta.url).pathname;
const compiled = await compile(Deno.readTextFileSync(`${root}specs/lease.vigil`), {
  fileName: "lease.vigil",
});
const dir = Deno.makeTempDirSync({ prefix: "vigil-sdk-bench-" });
for (const [name, bytes] of compiled.files) Deno.writeFileSync(`${dir}/${name}`, bytes);
const lease = await loadSpec(`${dir}/lease.js`);
let sink = 0;

// --- 1M monitors: memory per instance -----------------------------------
function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function measureMemory(spec: LoadedSpec, count: number): void {
  gc();
  const before = Deno.memoryUsage();
  const monitors = new Array(count);
  for (let i = 0; i < count; i++) monitors[i] = spec.monitor({ node: "n", key: `lock:${i}` });
  gc();
  const after = Deno.memoryUsage();
  const per = (k: "rss" | "heapUsed" | "external") => ((after[k] - before[k]) / count).toFixed(1);
  console.log(`${count} monitors of '${spec.name}' (state block ${spec.meta.stride} bytes):`);
  console.log(
    `  rss ${per("rss")} B/instance, JS heap ${per("heapUsed")} B/instance, external ${
      per("external")
    } B/instance`,
  );
  monitors[count - 1].step("acquire", { c: 1 });
  gc();
  const rawBefore = Deno.memoryUsage();
  spec.compiled.create(count);
  gc();
  const rawAfter = Deno.memoryUsage();
  console.log(
    `  bare instance blocks (compiled.create): rss ${
      ((rawAfter.rss - rawBefore.rss) / count).toFixed(1)
    } B/instance`,
  );
}

if (Deno.args.includes("--memory")) {
  measureMemory(lease, 1_000_000);
  Deno.exit(0);
}

// --- hand-written JS: the same guards, assignments and invariant check ---
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

Deno.bench("hand-written JS check", { group: "lease", baseline: true }, () => {
  for (let i = 0; i < STEPS / 2; i++) sink += jsAcquire(2) + jsRelease(2);
});

// --- Monitor.tryStep, enforce, no sink ----------------------------------
const m = lease.monitor({ node: "bench", key: "lock:a" });
const two = { c: 2 };
Deno.bench("m.tryStep (enforce, no sink)", { group: "lease" }, () => {
  for (let i = 0; i < STEPS / 2; i++) {
    sink += m.tryStep("acquire", two).code + m.tryStep("release", two).code;
  }
});

// --- the generated typed class (imports "@vigil/vigil", mapped to ../mod.ts) -----
interface Typed {
  acquire(c: number): Verdict;
  release(c: number): Verdict;
}
const { LeaseMonitor } = await import(`file://${dir}/lease.monitor.ts`);
await LeaseMonitor.load();
const typed: Typed = new LeaseMonitor({ key: "lock:t" });
Deno.bench("generated typed class (LeaseMonitor)", { group: "lease" }, () => {
  for (let i = 0; i < STEPS / 2; i++) sink += typed.acquire(2).code + typed.release(2).code;
});

// --- Monitor.step with a batcher over a memory transport ------------------
const transport = memoryTransport();
transport.subscribe((bytes) => void (sink += bytes.length));
const batcher = createBatcher(transport, { maxEvents: 256, maxDelayMs: 50 });
const shipped = lease.monitor({ node: "bench", key: "lock:b", sink: batcher });
Deno.bench("m.step + batcher (memory transport)", { group: "lease" }, async () => {
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
Deno.bench("XState v5 actor.send", { group: "lease" }, () => {
  for (let i = 0; i < STEPS / 2; i++) {
    actor.send({ type: "acquire", c: 2 });
    actor.send({ type: "release", c: 2 });
  }
});

globalThis.addEventListener("unload", () => {
  if (sink === 0.5) console.log(sink);
});
