/**
 * One collector of a `bench/causal_soak_bench.ts` run and its
 * measurements: CPU, bytes allocated, and the heap it keeps.
 *
 * @module
 */
import { createCollector } from "../../edge/engine/collector.ts";
import type { Collector } from "../../edge/engine/types.ts";
import type { CompiledSpec } from "../../lib/abi/compiled.ts";
import process from "node:process";
import v8 from "node:v8";
import vm from "node:vm";
import type { Delivery } from "./traffic.ts";
import { TICK_MS, WINDOW_MS } from "./workloads.ts";

/** What the checks read of an invariant alert. */
export interface Alert {
  readonly partition: string;
  readonly at: { readonly wall: number; readonly logical: number };
  readonly nodes: readonly string[];
  /** With causal verdicts: `possibly` or `definitely`. */
  readonly verdict: string | null;
  readonly message: string;
}

/** The run passed its time budget. */
export class BudgetExceeded extends Error {
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

/**
 * Live bytes: V8 heap used plus external memory (typed arrays, WASM), after
 * a full collection when `collect` (not while profiling: forced collections
 * would fill the profile; the figures are then live and dead bytes).
 */
function liveBytes(collect: boolean): number {
  if (collect) gc();
  const s = v8.getHeapStatistics() as { used_heap_size: number; external_memory?: number };
  return s.used_heap_size + (s.external_memory ?? 0);
}

/** One collector of the run and its measurements. */
export class Fed {
  readonly name: string;
  readonly collector: Collector;
  /** The invariant alerts raised, as much as the checks read (a whole `Violation` is 20-35 KB here: kept, they were the heap growth of a run). */
  readonly alerts: Alert[] = [];
  #now = 0;
  #nextTick = 0;
  heap = 0;
  readonly #tickMs: number;
  readonly #collect: boolean;
  /** CPU ns per event, per round. */
  readonly nsPerEvent: number[] = [];
  readonly bytesPerEvent: number[] = [];
  readonly heaps: number[] = [];

  constructor(
    name: string,
    specs: CompiledSpec,
    maxSkewMs: number | null,
    options: {
      readonly tickMs?: number;
      readonly create?: typeof createCollector;
      /** Heap figures after a forced full collection (default true; false while profiling). */
      readonly collect?: boolean;
    } = {},
  ) {
    this.name = name;
    this.#tickMs = options.tickMs ?? TICK_MS;
    this.#collect = options.collect ?? true;
    const create = options.create ?? createCollector;
    const h0 = liveBytes(this.#collect);
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
    this.heap = liveBytes(this.#collect) - h0;
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
    const h0 = liveBytes(this.#collect);
    const a0 = allocatedSoFar();
    const c0 = process.cpuUsage();
    f();
    const c = process.cpuUsage(c0);
    const a = allocatedSoFar() - a0;
    const kept = liveBytes(this.#collect) - h0;
    this.heap += kept;
    return { ms: (c.user + c.system) / 1000, perEvent: a / events, kept };
  }
}
