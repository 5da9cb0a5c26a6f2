/**
 * The split-brain simulator of issue 13: nodes of `specs/lease.vigil` pass
 * a lease by message (a stamp on every handoff), with skewed clocks;
 * their events go through the real SDK (monitors, node clocks, a batcher)
 * and the real wire to a real collector in process, each batch arriving
 * after its own shipping delay, the collector's clock being true time.
 * Split brains are injected: a node acquires while another holds, with no
 * message, for a chosen real overlap. Seeded and bounded: it runs on a
 * simulated clock, no timers, no sleeping.
 *
 * @module
 */
import { loadSpec } from "../../runtime/monitor/load_spec.ts";
import { createNode } from "../../runtime/monitor/node.ts";
import { createClock } from "../../runtime/monitor/clock.ts";
import { createBatcher } from "../../runtime/batcher/batcher.ts";
import type { Transport } from "../../runtime/transports/transport.ts";
import { loadCompiled } from "../../lib/abi/loader.ts";
import type { CompiledSpec } from "../../lib/abi/compiled.ts";
import { createCollector } from "../../edge/engine/collector.ts";
import type { Collector, Violation } from "../../edge/engine/types.ts";
import type { LoadedSpec } from "../../runtime/monitor/load_spec.ts";
import { mulberry32 } from "../../tools/harness/seeded_random.ts";

const DIST = new URL("../../dist/", import.meta.url);

/** The SDK's and the collector's copies of the lease spec (separate instances). */
export interface LeaseSpecs {
  readonly sdk: LoadedSpec;
  readonly collector: CompiledSpec;
}

/** Loads the compiled lease spec twice: once for the nodes, once for the collector. */
export async function loadLease(): Promise<LeaseSpecs> {
  return {
    sdk: await loadSpec(new URL("lease.core.wasm", DIST)),
    collector: await loadCompiled(new URL("lease.core.wasm", DIST)),
  };
}

/**
 * `spec` with its global invariants' shape marker left out
 * (`SpecMeta.globalShape`): the causal judge then keeps full lanes for it,
 * as for any spec not of the exclusion shape (the differential tests run
 * both).
 */
export function withoutShape(spec: CompiledSpec): CompiledSpec {
  const { globalShape: _shape, ...meta } = spec.meta;
  return new Proxy(spec, {
    get(target, key) {
      if (key === "meta") return meta;
      const value = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** The same lease specs, the collector's judged with full lanes ({@link withoutShape}). */
export function fullLanes(specs: LeaseSpecs): LeaseSpecs {
  return { sdk: specs.sdk, collector: withoutShape(specs.collector) };
}

/** The Lease specs (the SDK's and the collector's) under both lane kinds, each with its name (for simulated worlds run on both). */
export function leaseLaneKinds(specs: LeaseSpecs) {
  return [["lanes of P-intervals", specs], ["full lanes", fullLanes(specs)]] as const;
}

/** The collector's Lease spec under both lane kinds, each with its name (for tests run on both). */
export function laneKinds(specs: LeaseSpecs) {
  return leaseLaneKinds(specs).map(([kind, lease]) => [kind, lease.collector] as const);
}

/** A small seeded generator (mulberry32: `tools/harness/seeded_random.ts`). */
export class Rng {
  readonly #next: () => number;
  constructor(seed: number) {
    this.#next = mulberry32(seed);
  }
  /** Uniform in [0, 1). */
  next(): number {
    return this.#next();
  }
  /** Uniform integer in [a, b]. */
  int(a: number, b: number): number {
    return a + Math.floor(this.next() * (b - a + 1));
  }
  /** Uniform in [a, b). */
  real(a: number, b: number): number {
    return a + this.next() * (b - a);
  }
}

/** One scripted step of a node at a real time. */
export type Op =
  | { readonly t: number; readonly node: string; readonly op: "acquire"; readonly stamp?: string }
  | {
    readonly t: number;
    readonly node: string;
    readonly op: "release";
    readonly handTo?: string;
    readonly delay?: number;
  };

/** Options of {@link World}. */
export interface WorldOptions {
  readonly nodes: Readonly<Record<string, number>>;
  readonly specs: LeaseSpecs;
  /** The collector's skew bound; undefined: merge-order verdicts. */
  readonly maxSkewMs?: number;
  readonly windowMs: number;
  /** Shipping delay of a batch, drawn per batch. */
  readonly ship: (rng: Rng) => number;
  readonly rng: Rng;
  readonly start: number;
  /** Sees every batch sent, with the real time it was sent at. */
  readonly onSend?: (bytes: Uint8Array, at: number) => void;
}

/**
 * A world: nodes with skewed clocks sending through one batcher (one
 * event per batch) to one collector, driven by a scripted timeline.
 */
export class World {
  readonly collector: Collector;
  readonly #ops: Op[] = [];
  readonly #arrivals: { at: number; bytes: Uint8Array }[] = [];
  readonly #monitors = new Map<string, ReturnType<LoadedSpec["monitor"]>>();
  readonly #options: WorldOptions;
  #now: number;
  /** Real intervals during which each node held the lease: [acquire, release]. */
  readonly holds: { node: string; from: number; to: number }[] = [];
  readonly #open = new Map<string, number>();
  handoffs = 0;
  readonly #batcher: ReturnType<typeof createBatcher>;

  constructor(options: WorldOptions) {
    this.#options = options;
    this.#now = options.start;
    this.collector = createCollector({
      specs: [options.specs.collector],
      now: () => this.#now,
      windowMs: options.windowMs,
      ...(options.maxSkewMs === undefined ? {} : { maxSkewMs: options.maxSkewMs }),
    });
    const arrivals = this.#arrivals;
    const transport: Transport = {
      name: "simulated",
      send: (bytes) => {
        options.onSend?.(bytes.slice(), this.#now);
        arrivals.push({ at: this.#now + options.ship(options.rng), bytes: bytes.slice() });
        return Promise.resolve();
      },
      close: () => Promise.resolve(),
    };
    this.#batcher = createBatcher(transport, {
      maxEvents: 1,
      maxInFlight: 1_000_000,
      timers: { setTimeout: () => 0, clearTimeout: () => {} },
    });
    for (const [id, skew] of Object.entries(options.nodes)) {
      const node = createNode({
        id,
        boot: `${id}-boot`,
        clock: createClock({ now: () => this.#now + skew }),
      });
      this.#monitors.set(
        id,
        options.specs.sdk.monitor({ node, key: "lock", sink: this.#batcher, mode: "observe" }),
      );
    }
  }

  /** Schedules a step. */
  schedule(op: Op): void {
    this.#ops.push(op);
  }

  /**
   * Runs every scheduled step (and the handoffs they cause), delivering
   * batches as they arrive; then moves the collector clock far on (unless
   * `options.advance` is false: the collector flushes at the last step's
   * time) and flushes.
   */
  async run(options: { readonly advance?: boolean } = {}): Promise<void> {
    const ops = this.#ops;
    while (ops.length > 0) {
      ops.sort((a, b) => a.t - b.t);
      const op = ops.shift()!;
      this.#deliverUntil(op.t);
      this.#now = op.t;
      this.#step(op);
      await Promise.resolve();
    }
    this.#deliverUntil(Infinity);
    if (options.advance !== false) {
      this.#now += 10 * (this.#options.windowMs + 2 * (this.#options.maxSkewMs ?? 0)) + 60_000;
      this.collector.advance(this.#now);
    }
    this.collector.flush();
  }

  #step(op: Op): void {
    const m = this.#monitors.get(op.node)!;
    const c = Object.keys(this.#options.nodes).indexOf(op.node) + 1;
    if (op.op === "acquire") {
      if (op.stamp !== undefined) m.observe(op.stamp);
      m.step("acquire", { c });
      this.#open.set(op.node, this.#now);
      return;
    }
    m.step("release", { c });
    this.holds.push({ node: op.node, from: this.#open.get(op.node)!, to: this.#now });
    this.#open.delete(op.node);
    if (op.handTo !== undefined) {
      this.handoffs++;
      this.#ops.push({
        t: this.#now + (op.delay ?? 1),
        node: op.handTo,
        op: "acquire",
        stamp: m.stamp(),
      });
    }
  }

  #deliverUntil(t: number): void {
    const arrivals = this.#arrivals;
    if (arrivals.length === 0) return;
    arrivals.sort((a, b) => a.at - b.at);
    while (arrivals.length > 0 && arrivals[0]!.at <= t) {
      const a = arrivals.shift()!;
      if (a.at > this.#now) this.#now = a.at;
      this.collector.advance(this.#now);
      this.collector.ingestBytes(a.bytes);
    }
    if (t !== Infinity && t > this.#now) this.collector.advance(t);
  }

  /** The global invariant alerts raised. */
  alerts(): Violation[] {
    return this.collector.violations().filter((v) => v.kind === "invariant");
  }
}

/** One injected split brain: `intruder` held while `holder` held, for `overlapMs` of real time. */
export interface Injected {
  readonly holder: string;
  readonly intruder: string;
  readonly overlapMs: number;
  /** Real time span of the union of both holds. */
  readonly from: number;
  readonly to: number;
}

/** Options of {@link splitBrainRun}. */
export interface RunOptions {
  readonly specs: LeaseSpecs;
  readonly rng: Rng;
  /** Split brains to inject (0: a clean run). */
  readonly splitBrains: number;
  /** Clean handoffs between two split brains (and in a clean run, in total). */
  readonly handoffsBetween: number;
  readonly maxSkewMs: number;
  readonly skewMs: number;
  readonly windowMs: number;
  /** Shipping delay range of a batch (ms). */
  readonly ship: readonly [number, number];
  /** Real overlap of each split brain (ms), drawn log-uniformly in this range. */
  readonly overlap: readonly [number, number];
  /** Sees every batch sent, with the real time it was sent at. */
  readonly onSend?: (bytes: Uint8Array, at: number) => void;
}

/** What a run gives: the injections, the alerts, the handoffs made. */
export interface RunResult {
  readonly injected: readonly Injected[];
  readonly alerts: readonly Violation[];
  readonly handoffs: number;
  readonly holds: readonly { node: string; from: number; to: number }[];
  readonly skews: Readonly<Record<string, number>>;
}

/**
 * One run: 3 nodes with clocks skewed within `skewMs`, the lease passed
 * around by message, `splitBrains` split brains injected at least 2S +
 * window + 2 s of real time apart (so their episodes cannot merge).
 */
export async function splitBrainRun(options: RunOptions): Promise<RunResult> {
  const { rng, skewMs } = options;
  const ids = ["A", "B", "C"];
  const skews: Record<string, number> = {};
  for (const id of ids) skews[id] = Math.round(rng.real(-skewMs, skewMs));
  const start = 1_700_000_000_000 + rng.int(0, 1_000_000);
  const world = new World({
    nodes: skews,
    specs: options.specs,
    maxSkewMs: options.maxSkewMs,
    windowMs: options.windowMs,
    ship: (r) => r.real(options.ship[0], options.ship[1]),
    rng,
    start,
    ...(options.onSend === undefined ? {} : { onSend: options.onSend }),
  });
  const injected: Injected[] = [];
  const gap = 2 * options.maxSkewMs + options.windowMs + 2_000;
  let t = start + 10;
  let holder = "A";
  const other = (not: string[]) => {
    const rest = ids.filter((x) => !not.includes(x));
    return rest[rng.int(0, rest.length - 1)]!;
  };
  // The first holder acquires with no message; every later acquire comes by handoff.
  world.schedule({ t, node: holder, op: "acquire" });
  const segments = Math.max(1, options.splitBrains);
  for (let s = 0; s < segments; s++) {
    for (let k = 0; k < options.handoffsBetween; k++) {
      const hold = rng.int(1, 30);
      const next = other([holder]);
      const delay = rng.int(1, 5);
      t += hold;
      world.schedule({ t, node: holder, op: "release", handTo: next, delay });
      t += delay;
      holder = next;
    }
    if (options.splitBrains === 0) break;
    // The split brain: `holder` holds (it acquired at `t`); `intruder` acquires with no message.
    const [lo, hi] = options.overlap;
    const overlap = Math.max(
      lo,
      Math.min(hi, Math.round(Math.exp(rng.real(Math.log(lo), Math.log(hi))))),
    );
    const intruder = other([holder]);
    const z1 = t + rng.int(1, 20);
    const tail = rng.int(1, 20);
    // Either the intruder releases first, or the holder does; the real overlap is `overlap` either way.
    const intruderFirst = rng.next() < 0.5;
    const z2 = intruderFirst ? z1 + overlap : z1 + overlap + tail;
    const h2 = intruderFirst ? z1 + overlap + tail : z1 + overlap;
    world.schedule({ t: z1, node: intruder, op: "acquire" });
    world.schedule({ t: z2, node: intruder, op: "release" });
    const next = other([holder, intruder]);
    // After a quiet gap (longer than 2S + window), the holder's handoff goes on.
    world.schedule({ t: h2, node: holder, op: "release", handTo: next, delay: gap });
    injected.push({ holder, intruder, overlapMs: overlap, from: t, to: Math.max(z2, h2) });
    t = h2 + gap;
    holder = next;
  }
  await world.run();
  return { injected, alerts: world.alerts(), handoffs: world.handoffs, holds: world.holds, skews };
}
