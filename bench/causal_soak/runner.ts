/**
 * Causal verdicts (issue 13) on the workloads `bench/causal_bench.ts` does
 * not measure: one collector fed many rounds (steady state, not start-up),
 * handoffs with no stamps that physical time orders, and real split brains
 * mixed into ordered handoffs. Causal verdicts on (`maxSkewMs`) and off
 * (merge order: the anchor) run in the same process, each with its own
 * collector fed the same bytes, round by round, interleaved (the order
 * alternates per round).
 *
 * Traffic: Lease handoffs. Turn `t` is key `t % keys`, taken by node
 * `(t + floor(t / keys)) % nodes` (so every node is active at once and a
 * key's next holder is always another node): an acquire, then a release,
 * `--rate` events per millisecond of wall time (default 16), no clock skew
 * (walls are true time). Each node ships its events as the SDK's batcher
 * does: a batch at 256 events or once its oldest event is 50 ms old,
 * delivered 1 ms later; the collector clock is true time, `advance` runs
 * every 10 ms as the service's timer does (`tickMs`), the reorder window is
 * 250 ms. The collectors are never flushed between rounds; after the last
 * round the nodes' last batches are delivered, the clock moves 20 s on in
 * ticks and the collectors flush (the `final` line).
 *
 * Workloads (`--workload`, default `all`, each one bounded by `--budget-s`,
 * default 120 s, after which it stops and says so):
 * - `long`: every acquire carries the previous holder's release stamp (as
 *   `causal_bench.ts`), 16 nodes, 256 keys, S = 500 ms, 20 rounds of
 *   262,144 events: does the CPU per event hold, does the heap stay flat.
 * - `ordered`: no stamps at all, but a key's next acquire comes more than
 *   2S after its release (keys: the smallest power of two that makes the
 *   gap 1.25 x 2S at the rate), so physical time orders every handoff: 16
 *   and 64 nodes, S = 500 and 50 ms, 6 rounds each. 0 alerts expected.
 * - `mix`: stamped handoffs (16 nodes, 512 keys, S = 500 ms, 6 rounds of
 *   65,536 events), and 1% of them (each key's every 100th, staggered over keys) overlap
 *   with no stamp: the new holder acquires before the old one releases (a
 *   real split brain of two events, 1/8 ms). Expected: exactly one alert
 *   per injected overlap, naming both nodes, with causal verdicts and
 *   without; the run throws (exit code 1) when the alerts differ.
 *   `--overlap-every <n>`: one in n handoffs instead of 100.
 * - `general`: `long`'s traffic, 6 rounds, and a third collector with
 *   causal verdicts whose spec lacks the exclusion marker (`globalShape`),
 *   so the judge keeps full lanes: the general path's cost.
 *
 * Run: `deno run -A bench/causal_soak_bench.ts [--workload long|ordered|mix|general|all]
 * [--rounds N] [--events N] [--nodes N] [--keys N] [--skew MS] [--rate N] [--budget-s S]`
 * (the flags override the workload's defaults; `--nodes` and `--skew` pick
 * one of `ordered`'s four cases). More collectors in the same run:
 * - `--base <git revision or directory>`: causal verdicts with the
 *   collector of that revision (its `edge/` and `lib/` extracted beside the
 *   tree) or of a directory holding `edge/` and `lib/` (this tree with a
 *   patch applied, say): an A/B in one process (with `general`, its full
 *   lanes too).
 * - `--also-tick <ms>`: causal verdicts with the timer's `advance` every
 *   that many ms instead of 10 (what the ticks cost).
 *
 * `--profile <file prefix>`: only the collector(s) with causal verdicts (no
 * anchor, no forced collections), a V8 CPU profile and a sampling heap
 * profile of rounds 2 on (`bench/v8_profile.ts`), written to
 * `<prefix>.cpuprofile` and `<prefix>.heapprofile`, their tops printed.
 * `--heap-snapshot <file>`: only the collector(s) with causal verdicts, and
 * after the last round a V8 heap snapshot written to `<file>` (Chrome
 * DevTools opens it) with its objects' self sizes summed by constructor
 * printed (what the heap holds, where the per-round figures say how much).
 *
 * Prints, per round and collector: CPU ms of the process for the round's
 * ingest (M events per CPU second), bytes V8 allocated per event (garbage
 * included), the heap after a forced full collection (V8 heap used plus
 * external memory, MB) and its change over the round (what that collector
 * kept: the other one did not run in between), alerts raised so far, late
 * events and lane drops. Then a summary over the rounds after the first
 * (start-up): median CPU per event on and off and what causal verdicts add,
 * the last third of the rounds against the first third after start-up
 * (does the rate hold), and the heap's growth per round over the second
 * half (does it stay flat).
 *
 * @module
 */
import { compileToTemp, specSource } from "../tools/harness/spec_files.ts";
import { benchArgs } from "../tools/harness/bench_args.ts";
import { createCollector } from "../edge/engine/collector.ts";
import type { Collector } from "../edge/engine/types.ts";
import type { CompiledSpec } from "../lib/abi/compiled.ts";
import { encodeBatch } from "../lib/wire/encode.ts";
import type { EventBody } from "../lib/wire/event.ts";
import process from "node:process";
import v8 from "node:v8";
import vm from "node:vm";
import { startProfiler, topAllocations, topSelf } from "./v8_profile.ts";
import { treeAt } from "../tools/harness/tree_at.ts";
import { leaseKit } from "../tools/harness/lease_states.ts";

/** The workloads, by name. */
type WorkloadName = "long" | "ordered" | "mix" | "general";

/** What one run feeds its collectors. */
interface SoakConfig {
  readonly name: string;
  readonly nodes: number;
  readonly keys: number;
  readonly maxSkewMs: number;
  readonly rounds: number;
  /** Events per round (a round ends at the first turn boundary past it). */
  readonly events: number;
  /** Events per millisecond of wall time. */
  readonly rate: number;
  /** Every acquire carries the previous holder's release stamp (else none does). */
  readonly stamps: boolean;
  /** Every this many handoffs of a key, an overlapping stampless one (0: none). */
  readonly overlapEvery: number;
  /** A third collector: causal verdicts with full lanes (the spec without its exclusion marker). */
  readonly general: boolean;
  /** Another collector with causal verdicts whose timer ticks every this many ms (null: none). */
  readonly alsoTickMs: number | null;
}

const WINDOW_MS = 250;
const TICK_MS = 10;
const BATCH_EVENTS = 256;
const BATCH_DELAY_MS = 50;
const SHIP_MS = 1;
const BASE_WALL = 1_732_170_000_000;

const { spec } = await compileToTemp("lease", specSource("lease"));
const ACQUIRE = spec.actionIndex("acquire");
const RELEASE = spec.actionIndex("release");

const { free, held } = leaseKit(spec);

/**
 * The spec without its `globalShape` marker, so the judge keeps full lanes
 * (the same proxy as `withoutShape` in `tests/causal/simulator.ts`, which
 * benchmarks may not import).
 */
function withoutShape(s: CompiledSpec): CompiledSpec {
  const { globalShape: _shape, ...meta } = s.meta;
  return new Proxy(s, {
    get(target, key) {
      if (key === "meta") return meta;
      const value = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

const nodeName = (n: number) => `node-${String(n).padStart(2, "0")}`;

/** One batch as delivered: its bytes and the collector clock at arrival. */
interface Delivery {
  readonly now: number;
  readonly bytes: Uint8Array;
}

/** An injected split brain: `a` held `key` when `b` acquired it at `wall`, with no stamp. */
interface Overlap {
  readonly key: string;
  readonly a: string;
  readonly b: string;
  readonly wall: number;
}

/**
 * The handoff traffic, generated round by round (its state carries over:
 * sequence numbers, last holders, each node's unshipped events).
 */
class HandoffTraffic {
  readonly #c: SoakConfig;
  #turn = 0;
  #s = 0;
  readonly #seq: number[];
  readonly #pending: EventBody[][];
  readonly #pendingSince: number[];
  readonly #last: ({ node: number; wall: number; logical: number } | null)[];
  readonly #passes: number[];
  readonly overlaps: Overlap[] = [];
  deps = 0;

  constructor(config: SoakConfig) {
    this.#c = config;
    if ((config.keys + 1) % config.nodes === 0) {
      throw new RangeError(
        `With ${config.nodes} nodes and ${config.keys} keys a key's next holder is the same node`,
      );
    }
    this.#seq = new Array(config.nodes).fill(0);
    this.#pending = Array.from({ length: config.nodes }, () => []);
    this.#pendingSince = new Array(config.nodes).fill(0);
    this.#last = new Array(config.keys).fill(null);
    this.#passes = new Array(config.keys).fill(0);
  }

  /** True time (ms) of the next event. */
  get now(): number {
    return BASE_WALL + Math.floor(this.#s / this.#c.rate);
  }

  /** The next round's deliveries (at least `events` events), in arrival order. */
  round(): { deliveries: Delivery[]; events: number } {
    const out: Delivery[] = [];
    const first = this.#s;
    let nextCheck = this.now + 1;
    while (this.#s - first < this.#c.events) {
      this.#turnOnce(out);
      if (this.now >= nextCheck) {
        this.#shipOverdue(out);
        nextCheck = this.now + 1;
      }
    }
    return { deliveries: out, events: this.#s - first };
  }

  /** Every node's unshipped events, delivered now. */
  drain(): Delivery[] {
    const out: Delivery[] = [];
    for (let n = 0; n < this.#c.nodes; n++) this.#ship(n, out);
    return out;
  }

  #turnOnce(out: Delivery[]): void {
    const { keys, nodes, stamps, overlapEvery } = this.#c;
    const t = this.#turn++;
    const k = t % keys;
    const n = (t + Math.floor(t / keys)) % nodes;
    const pass = this.#passes[k]!++;
    const prev = this.#last[k]!;
    const dep = stamps && prev !== null && prev.node !== n ? prev : null;
    const overlap = overlapEvery > 0 && pass % overlapEvery === (k * 37) % overlapEvery;
    const key = `lock:${k}`;
    const c = n % 3;
    this.#event(n, key, ACQUIRE, c, dep, out);
    if (!overlap) {
      const r = this.#event(n, key, RELEASE, c, null, out);
      this.#last[k] = { node: n, ...r };
      return;
    }
    // A split brain: the next node acquires with no stamp while n still holds, then both release.
    const m = (n + 1) % nodes;
    const b = this.#event(m, key, ACQUIRE, m % 3, null, out);
    this.#event(n, key, RELEASE, c, null, out);
    const r = this.#event(m, key, RELEASE, m % 3, null, out);
    this.#last[k] = { node: m, ...r };
    this.overlaps.push({ key, a: nodeName(n), b: nodeName(m), wall: b.wall });
  }

  #event(
    n: number,
    key: string,
    action: number,
    client: number,
    dep: { node: number; wall: number; logical: number } | null,
    out: Delivery[],
  ): { wall: number; logical: number } {
    const s = this.#s++;
    const wall = BASE_WALL + Math.floor(s / this.#c.rate);
    const logical = s % this.#c.rate;
    const pending = this.#pending[n]!;
    if (pending.length === 0) this.#pendingSince[n] = wall;
    if (dep !== null) this.deps++;
    pending.push({
      key,
      wall,
      logical,
      action,
      args: [client + 1],
      state: action === ACQUIRE ? held[client]! : free,
      verdict: 0,
      ...(dep === null
        ? {}
        : { deps: [{ node: nodeName(dep.node), wall: dep.wall, logical: dep.logical }] }),
    });
    if (pending.length >= BATCH_EVENTS) this.#ship(n, out);
    return { wall, logical };
  }

  #shipOverdue(out: Delivery[]): void {
    const now = this.now;
    for (let n = 0; n < this.#c.nodes; n++) {
      if (this.#pending[n]!.length > 0 && now - this.#pendingSince[n]! >= BATCH_DELAY_MS) {
        this.#ship(n, out);
      }
    }
  }

  #ship(n: number, out: Delivery[]): void {
    const events = this.#pending[n]!;
    if (events.length === 0) return;
    const header = {
      spec: spec.meta.sourceHash,
      specName: spec.meta.name,
      node: nodeName(n),
      boot: "boot-1",
      firstSeq: this.#seq[n]!,
      dropped: [],
    };
    out.push({ now: this.now + SHIP_MS, bytes: encodeBatch(header, events).slice() });
    this.#seq[n]! += events.length;
    this.#pending[n] = [];
  }
}

/** What the checks read of an invariant alert. */
interface Alert {
  readonly partition: string;
  readonly at: { readonly wall: number; readonly logical: number };
  readonly nodes: readonly string[];
  /** With causal verdicts: `possibly` or `definitely`. */
  readonly verdict: string | null;
  readonly message: string;
}

/** The run passed its time budget. */
class BudgetExceeded extends Error {
  constructor(budgetS: number, where: string) {
    super(`Stopped: the run passed its budget of ${budgetS} s (${where})`);
    this.name = "BudgetExceeded";
  }
}

/** Forces a full collection (`--expose-gc` set from inside, `gc` reached through a new context). */
const gc: () => void = (() => {
  v8.setFlagsFromString("--expose-gc");
  const f = vm.runInNewContext("gc") as unknown;
  if (typeof f !== "function") throw new Error("Cannot force a collection: no 'gc' function");
  return f as () => void;
})();

/** Bytes V8 allocated so far (`total_allocated_bytes`). */
function allocatedSoFar(): number {
  const stats = v8.getHeapStatistics() as { total_allocated_bytes?: number };
  const b = stats.total_allocated_bytes;
  if (b === undefined) throw new Error("This V8 does not report 'total_allocated_bytes'");
  return b;
}

/** False while profiling: forced collections would fill the profile. */
let forceGc = true;

/** Live bytes after a full collection: V8 heap used plus external memory (typed arrays, WASM). */
function liveBytes(): number {
  if (forceGc) gc();
  const s = v8.getHeapStatistics() as { used_heap_size: number; external_memory?: number };
  return s.used_heap_size + (s.external_memory ?? 0);
}

/** One collector of the run and its measurements. */
class Fed {
  readonly name: string;
  readonly collector: Collector;
  /** The invariant alerts raised, as much as the checks read (a whole `Violation` is 20-35 KB here: kept, they were the heap growth of a run). */
  readonly alerts: Alert[] = [];
  #now = 0;
  #nextTick = 0;
  heap = 0;
  readonly #tickMs: number;
  /** CPU ns per event, per round. */
  readonly nsPerEvent: number[] = [];
  readonly bytesPerEvent: number[] = [];
  readonly heaps: number[] = [];

  constructor(
    name: string,
    specs: CompiledSpec,
    maxSkewMs: number | null,
    options: { readonly tickMs?: number; readonly create?: typeof createCollector } = {},
  ) {
    this.name = name;
    this.#tickMs = options.tickMs ?? TICK_MS;
    const create = options.create ?? createCollector;
    const h0 = liveBytes();
    this.collector = create({
      specs: [specs],
      now: () => this.#now,
      windowMs: WINDOW_MS,
      ...(maxSkewMs === null ? {} : { maxSkewMs }),
    });
    this.collector.on((e) => {
      if (e.type === "violation" && e.violation.kind === "invariant") {
        const v = e.violation;
        this.alerts.push({
          partition: v.partition,
          at: { wall: v.at.wall, logical: v.at.logical },
          nodes: [...v.nodes],
          verdict: v.causal?.verdict ?? null,
          message: v.message,
        });
      }
    });
    this.heap = liveBytes() - h0;
  }

  /** Delivers `ds` in order (the timer's `advance` every {@link TICK_MS}), within `deadline`. */
  feed(ds: readonly Delivery[], deadline: number, budgetS: number, round: string): void {
    const c = this.collector;
    for (let i = 0; i < ds.length; i++) {
      const d = ds[i]!;
      this.#now = d.now;
      if (d.now >= this.#nextTick) {
        c.advance(d.now);
        this.#nextTick = d.now + this.#tickMs;
      }
      c.ingestBytes(d.bytes);
      if ((i & 63) === 63 && performance.now() > deadline) {
        throw new BudgetExceeded(budgetS, `${this.name}, ${round}, batch ${i + 1} of ${ds.length}`);
      }
    }
  }

  /** Moves the clock `ms` on in ticks, then flushes. */
  finish(ms: number, deadline: number, budgetS: number): void {
    const end = this.#now + ms;
    while (this.#now < end) {
      this.#now += this.#tickMs;
      this.collector.advance(this.#now);
      if (performance.now() > deadline) throw new BudgetExceeded(budgetS, `${this.name}, final`);
    }
    this.collector.flush();
  }

  /** Runs `f` measured: CPU ms, bytes allocated per event, and the heap kept after it. */
  measure(events: number, f: () => void): { ms: number; perEvent: number; kept: number } {
    const h0 = liveBytes();
    const a0 = allocatedSoFar();
    const c0 = process.cpuUsage();
    f();
    const c = process.cpuUsage(c0);
    const a = allocatedSoFar() - a0;
    const kept = liveBytes() - h0;
    this.heap += kept;
    return { ms: (c.user + c.system) / 1000, perEvent: a / events, kept };
  }
}

const mb = (b: number) => (b / 1e6).toFixed(1);
const signed = (b: number) => `${b >= 0 ? "+" : ""}${mb(b)}`;
const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0
    ? NaN
    : s.length % 2 === 1
    ? s[s.length >> 1]!
    : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Least-squares slope of `ys` against their index. */
function slope(ys: readonly number[]): number {
  const n = ys.length;
  if (n < 2) return NaN;
  const mx = (n - 1) / 2;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  ys.forEach((y, x) => {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  });
  return num / den;
}

/** Checks the alerts of `fed` against the injected overlaps: one each, naming both nodes. */
function checkAlerts(fed: Fed, overlaps: readonly Overlap[], maxSkewMs: number | null): string {
  const byKey = new Map<string, { injected: Overlap[]; alerts: Alert[] }>();
  const at = (key: string) => {
    let e = byKey.get(key);
    if (e === undefined) byKey.set(key, e = { injected: [], alerts: [] });
    return e;
  };
  for (const o of overlaps) at(o.key).injected.push(o);
  for (const v of fed.alerts) at(v.partition).alerts.push(v);
  const problems: string[] = [];
  let named = 0;
  let definitely = 0;
  const slack = 2 * (maxSkewMs ?? 0) + WINDOW_MS;
  for (const [key, { injected, alerts }] of byKey) {
    alerts.sort((x, y) => x.at.wall - y.at.wall || x.at.logical - y.at.logical);
    if (injected.length !== alerts.length) {
      problems.push(
        `'${key}': ${injected.length} split brains injected (at ${
          injected.map((o) => o.wall).join(", ")
        }), ${alerts.length} alerts (at ${alerts.map((v) => v.at.wall).join(", ")})`,
      );
      continue;
    }
    injected.forEach((o, i) => {
      const v = alerts[i]!;
      if (Math.abs(v.at.wall - o.wall) > slack) {
        problems.push(`'${key}': alert at ${v.at.wall} for the split brain at ${o.wall}`);
      }
      if (v.nodes.includes(o.a) && v.nodes.includes(o.b)) named++;
      else {problems.push(
          `'${key}' at ${o.wall}: alert names ${v.nodes.join(", ")}, not ${o.a}, ${o.b}`,
        );}
      if (v.verdict === "definitely") definitely++;
    });
  }
  if (problems.length > 0) {
    throw new Error(
      `${fed.name}: ${fed.alerts.length} alerts for ${overlaps.length} injected split brains; ${problems.length} problems, first: ${
        problems.slice(0, 5).join("; ")
      }`,
    );
  }
  return `${fed.name}: ${fed.alerts.length} alerts for ${overlaps.length} injected split brains, one each, ${named} naming both nodes` +
    (maxSkewMs === null ? "" : ` (${definitely} definitely)`);
}

/**
 * Writes a V8 heap snapshot of this process to `file` (through
 * `node:inspector`) and returns its `n` largest constructors by summed
 * self size, as "MB count name".
 */
async function heapSnapshot(file: string, n: number): Promise<string[]> {
  const { Session } = await import("node:inspector");
  const session = new Session();
  session.connect();
  const chunks: string[] = [];
  session.on("HeapProfiler.addHeapSnapshotChunk", (m) => void chunks.push(m.params.chunk));
  await new Promise<void>((resolve, reject) =>
    session.post("HeapProfiler.takeHeapSnapshot", {}, (e) => e ? reject(e) : resolve())
  );
  session.disconnect();
  const text = chunks.join("");
  await Deno.writeTextFile(file, text);
  const snap = JSON.parse(text) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snap.snapshot.meta.node_fields;
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = ["type", "name", "self_size"].map((f) => fields.indexOf(f));
  const types = snap.snapshot.meta.node_types[0];
  const by = new Map<string, { bytes: number; count: number }>();
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + typeAt!]!]!;
    const name = type === "object" || type === "native"
      ? snap.strings[snap.nodes[i + nameAt!]!]!
      : `(${type})`;
    const e = by.get(name) ?? { bytes: 0, count: 0 };
    e.bytes += snap.nodes[i + sizeAt!]!;
    e.count++;
    by.set(name, e);
  }
  return [...by].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, n)
    .map(([name, e]) => `${(e.bytes / 1e6).toFixed(2)} MB ${e.count} ${name.slice(0, 60)}`);
}

/** Another tree's collector, run beside this tree's (`--base`). */
interface Base {
  readonly label: string;
  readonly create: typeof createCollector;
}

/**
 * `createCollector` of `rev`: a directory holding `edge/` and `lib/` (e.g.
 * this tree with a patch applied), or a git revision (its `edge/` and
 * `lib/` extracted to a temporary directory).
 */
async function baseAt(rev: string): Promise<Base> {
  const isDir = await Deno.stat(rev).then((s) => s.isDirectory, () => false);
  const dir = isDir ? await Deno.realPath(rev) : await treeAt(rev, ["edge", "lib"]);
  const mod = await import(`file://${dir}/edge/engine/collector.ts`);
  return { label: rev, create: mod.createCollector };
}

/** Runs one workload; returns false when it stopped at its budget. */
async function runSoak(
  c: SoakConfig,
  budgetS: number,
  options: {
    readonly profile: string | null;
    readonly base: Base | null;
    readonly heapFile: string | null;
  },
): Promise<boolean> {
  const { profile, base, heapFile } = options;
  const solo = profile !== null || heapFile !== null;
  const started = performance.now();
  const deadline = started + budgetS * 1000;
  console.log(
    `\n== ${c.name}: ${c.nodes} nodes, ${c.keys} keys, S = ${c.maxSkewMs} ms, window ${WINDOW_MS} ms, ` +
      `${c.rounds} rounds of ${c.events} events, ${c.rate} events/ms, ` +
      `${c.stamps ? "every acquire with the previous holder's stamp" : "no stamps"}` +
      `${c.overlapEvery > 0 ? `, 1 in ${c.overlapEvery} handoffs an overlap with no stamp` : ""}`,
  );
  if (!c.stamps) {
    const gap = (2 * c.keys - 1) / c.rate;
    console.log(
      `a key's release to its next acquire: ${gap.toFixed(1)} ms (2S = ${2 * c.maxSkewMs} ms)`,
    );
  }
  const traffic = new HandoffTraffic(c);
  const feds = [
    ...(solo ? [] : [new Fed("off", spec, null)]),
    new Fed("on", spec, c.maxSkewMs),
    ...(c.general ? [new Fed("on, full lanes", withoutShape(spec), c.maxSkewMs)] : []),
    ...(c.alsoTickMs === null
      ? []
      : [new Fed(`on, ${c.alsoTickMs} ms ticks`, spec, c.maxSkewMs, { tickMs: c.alsoTickMs })]),
    ...(base === null
      ? []
      : [new Fed(`on at ${base.label}`, spec, c.maxSkewMs, { create: base.create })]),
    ...(base === null || !c.general ? [] : [
      new Fed(`on at ${base.label}, full lanes`, withoutShape(spec), c.maxSkewMs, {
        create: base.create,
      }),
    ]),
  ];
  const withCausal = feds.filter((f) => f.name !== "off");
  let stopped: BudgetExceeded | null = null;
  let rounds = 0;
  let profiler: Awaited<ReturnType<typeof startProfiler>> | null = null;
  if (profile !== null) {
    console.log(
      `profiling rounds 2 to ${c.rounds} (no anchor: the collector with causal verdicts only)`,
    );
  }
  try {
    for (let r = 0; r < c.rounds; r++) {
      if (profile !== null && r === 1) {
        profiler = await startProfiler({
          cpuFile: `${profile}.cpuprofile`,
          allocFile: `${profile}.heapprofile`,
        });
      }
      const { deliveries, events } = traffic.round();
      const order = feds.map((_, i) => feds[(i + r) % feds.length]!);
      const parts: string[] = [];
      for (const fed of order) {
        const m = fed.measure(
          events,
          () => fed.feed(deliveries, deadline, budgetS, `round ${r + 1}`),
        );
        fed.nsPerEvent.push(m.ms / events * 1e6);
        fed.bytesPerEvent.push(m.perEvent);
        fed.heaps.push(fed.heap);
      }
      for (const fed of feds) {
        const mt = fed.collector.metrics();
        const ms = fed.nsPerEvent.at(-1)! / 1e6 * events;
        parts.push(
          `${fed.name} ${ms.toFixed(0)} ms (${(events / ms / 1000).toFixed(2)}M/s), ` +
            `${fed.bytesPerEvent.at(-1)!.toFixed(0)} B/event, heap ${mb(fed.heap)} MB ` +
            `(${signed(fed.heap - (fed.heaps.at(-2) ?? 0))}), ` +
            `${fed.alerts.length} alerts, ${mt.late} late` +
            (fed.name === "off" ? "" : `, ${mt.causalLaneDrops} lane drops`),
        );
      }
      rounds++;
      console.log(
        `round ${r + 1} (${events} events, load ${Deno.loadavg()[0]!.toFixed(1)}): ${
          parts.join("; ")
        }`,
      );
    }
    if (profiler !== null) {
      const { cpu, alloc } = await profiler.stop();
      profiler = null;
      console.log(`CPU, self time (${profile}.cpuprofile):\n  ${topSelf(cpu!, 25).join("\n  ")}`);
      console.log(
        `allocations (${profile}.heapprofile):\n  ${topAllocations(alloc!, 15).join("\n  ")}`,
      );
    }
    if (heapFile !== null) {
      console.log(
        `heap snapshot after round ${rounds} (${heapFile}), self sizes by constructor:\n  ${
          (await heapSnapshot(heapFile, 25)).join("\n  ")
        }`,
      );
    }
    const last = traffic.drain();
    for (const fed of feds) {
      const m = fed.measure(1, () => {
        fed.feed(last, deadline, budgetS, "final");
        fed.finish(20_000, deadline, budgetS);
      });
      console.log(
        `final (last batches, 20 s of ticks, flush): ${fed.name} ${m.ms.toFixed(0)} ms, ` +
          `heap ${
            mb(fed.heap)
          } MB, ${fed.alerts.length} alerts, ${fed.collector.metrics().late} late`,
      );
    }
  } catch (e) {
    if (!(e instanceof BudgetExceeded)) throw e;
    stopped = e;
    console.log(`${e.message}, after ${rounds} full rounds`);
  }
  if (profiler !== null) await profiler.stop();
  if (!solo) summarize(feds, withCausal, rounds);
  if (stopped === null) {
    if (c.overlapEvery > 0) {
      for (const fed of feds) {
        console.log(checkAlerts(fed, traffic.overlaps, fed.name === "off" ? null : c.maxSkewMs));
      }
    } else {
      for (const fed of feds) {
        if (fed.alerts.length > 0) {
          throw new Error(
            `${fed.name}: ${fed.alerts.length} alerts on traffic with no split brain, first: ${
              fed.alerts[0]!.message
            }`,
          );
        }
      }
      console.log(`0 alerts (none expected), ${traffic.deps} dependencies sent`);
    }
  }
  console.log(`${c.name}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return stopped === null;
}

/** The summary over the rounds after the first (start-up). */
function summarize(feds: readonly Fed[], withCausal: readonly Fed[], rounds: number): void {
  if (rounds < 2) {
    console.log("summary: fewer than 2 rounds, no steady state to report");
    return;
  }
  const steady = (xs: readonly number[]) => xs.slice(1, rounds);
  const off = feds[0]!;
  const offNs = median(steady(off.nsPerEvent));
  for (const fed of feds) {
    const ns = steady(fed.nsPerEvent);
    const third = Math.max(1, Math.floor(ns.length / 3));
    const early = median(ns.slice(0, third));
    const late = median(ns.slice(-third));
    const heaps = fed.heaps.slice(0, rounds);
    const half = heaps.slice(Math.floor(heaps.length / 2));
    console.log(
      `summary ${fed.name}: ${median(ns).toFixed(0)} CPU ns/event (${
        (1e3 / median(ns)).toFixed(2)
      }M per CPU s), ` +
        `${
          median(steady(fed.bytesPerEvent)).toFixed(0)
        } B/event; last ${third} rounds / first ${third} after start-up: ` +
        `${(late / early).toFixed(2)}x CPU per event (CPU per round's slope ${
          slope(ns).toFixed(1)
        } ns/event per round); ` +
        `heap ${mb(heaps[0]!)} MB after round 1, ${mb(heaps.at(-1)!)} MB after round ${rounds}, ` +
        `second half's slope ${(slope(half) / 1e3).toFixed(1)} KB per round`,
    );
  }
  for (const fed of withCausal) {
    // Per round, on over off: the anchor ran in the same round, so a load shift hits both.
    const ratio = steady(fed.nsPerEvent).map((ns, r) => ns / steady(off.nsPerEvent)[r]!);
    const third = Math.max(1, Math.floor(ratio.length / 3));
    console.log(
      `summary: causal verdicts (${fed.name}) add ${
        (median(steady(fed.nsPerEvent)) - offNs).toFixed(0)
      } CPU ns/event, ` +
        `${
          (median(steady(fed.bytesPerEvent)) - median(steady(off.bytesPerEvent))).toFixed(0)
        } B/event, ` +
        `on/off ${(median(steady(fed.nsPerEvent)) / offNs).toFixed(2)}x; ` +
        `on/off per round, last ${third} rounds / first ${third} after start-up (load cancels): ${
          (median(ratio.slice(-third)) / median(ratio.slice(0, third))).toFixed(2)
        }x`,
    );
  }
}

/** Smallest power of two `k` with a key's release-to-acquire gap over 1.25 x 2S at `rate`. */
function orderedKeys(maxSkewMs: number, rate: number): number {
  let k = 1;
  while ((2 * k - 1) / rate <= 1.25 * 2 * maxSkewMs) k *= 2;
  return k;
}

/** The configurations of a workload, the flags overriding its defaults. */
function configs(name: WorkloadName, flags: ReadonlyMap<string, string>): SoakConfig[] {
  const num = (flag: string, dflt: number) => {
    const text = flags.get(flag);
    const x = text === undefined ? dflt : Number(text);
    if (!Number.isInteger(x) || x < 1) {
      throw new RangeError(`Flag '--${flag}' must be an integer >= 1, got '${text}'`);
    }
    return x;
  };
  const rate = num("rate", 16);
  const base = {
    name,
    nodes: num("nodes", 16),
    keys: num("keys", 256),
    maxSkewMs: num("skew", 500),
    rounds: num("rounds", 20),
    events: num("events", 1 << 18),
    rate,
    stamps: true,
    overlapEvery: 0,
    general: false,
    alsoTickMs: flags.has("also-tick") ? num("also-tick", 100) : null,
  };
  switch (name) {
    case "long":
      return [base];
    case "general":
      return [{ ...base, rounds: num("rounds", 6), general: true }];
    case "mix":
      return [{
        ...base,
        keys: num("keys", 512),
        rounds: num("rounds", 6),
        events: num("events", 1 << 16),
        overlapEvery: num("overlap-every", 100),
      }];
    case "ordered": {
      const cases: SoakConfig[] = [];
      for (const nodes of flags.has("nodes") ? [num("nodes", 16)] : [16, 64]) {
        for (const maxSkewMs of flags.has("skew") ? [num("skew", 500)] : [500, 50]) {
          cases.push({
            ...base,
            name: `ordered, ${nodes} nodes, S = ${maxSkewMs} ms`,
            nodes,
            maxSkewMs,
            keys: num("keys", orderedKeys(maxSkewMs, rate)),
            rounds: num("rounds", 6),
            stamps: false,
          });
        }
      }
      return cases;
    }
  }
}

if (import.meta.main) {
  const args = benchArgs(Deno.args, {
    string: [
      "workload",
      "rounds",
      "events",
      "nodes",
      "keys",
      "skew",
      "rate",
      "budget-s",
      "profile",
      "heap-snapshot",
      "also-tick",
      "overlap-every",
      "base",
    ],
  });
  const which = args.string.get("workload") ?? "all";
  const names: WorkloadName[] = which === "all"
    ? ["long", "ordered", "mix", "general"]
    : [which as WorkloadName];
  for (const n of names) {
    if (!["long", "ordered", "mix", "general"].includes(n)) {
      throw new RangeError(
        `Flag '--workload' must be long, ordered, mix, general or all, got '${n}'`,
      );
    }
  }
  const budgetS = Number(args.string.get("budget-s") ?? 120);
  if (!(budgetS > 0)) throw new RangeError(`Flag '--budget-s' must be > 0, got '${budgetS}'`);
  const profile = args.string.get("profile") ?? null;
  const heapFile = args.string.get("heap-snapshot") ?? null;
  const baseRev = args.string.get("base");
  const base = baseRev === undefined ? null : await baseAt(baseRev);
  // Forced collections would fill the profile: the heap figures are then live and dead bytes.
  forceGc = profile === null;
  let complete = true;
  for (const n of names) {
    for (const c of configs(n, args.string)) {
      complete = await runSoak(c, budgetS, { profile, base, heapFile }) && complete;
    }
  }
  if (!complete) {
    console.log("some runs stopped at their budget: their figures cover the rounds finished");
    Deno.exitCode = 2;
  }
}
