/**
 * Warming a collector's hot code before it subscribes: a starting
 * collector that meets full traffic at once runs its ingest path cold
 * (interpreted, then compiled while the batches queue up), and the alerts
 * of its first second come late. {@link warmUp} runs made-up traffic of
 * the served specs through a scratch service and collector of their own:
 * batches encoded as nodes send them, decoded into columns, admitted,
 * merged across nodes, applied with the global checks (most keys of one
 * node each, as services own theirs; some shared by the nodes, until a
 * few dozen violations were raised and routed as alerts), liveness timed
 * out, and a snapshot taken and encoded as the KV store writes it. The
 * JavaScript engine compiles that code (and tiers up the spec's
 * WebAssembly) for the real collector, which shares it.
 *
 * Nothing of the real collector is touched: its state, counters, metrics,
 * listeners and store are not reached from the scratch ones. What stays is
 * the compiled code and the scratch instances in the spec's WebAssembly
 * memory (a module cannot free instances: a few hundred states, tens of
 * KB at most).
 *
 * A warm-up is bounded in time as well as in events ({@link WARM_UP_MAX_MS}:
 * a spec with large states would otherwise hold a start for many seconds),
 * and {@link warmUpService} is the form a starting collector calls: a
 * warm-up that fails is counted in `vigil_internal_errors_total{where="warm-up"}`,
 * said once in the log, and the collector starts cold.
 *
 * @module
 */
import type { CompiledSpec } from "../../lib/abi/compiled.ts";
import type { TypeDesc } from "../../lib/abi/meta.ts";
import { encodeBatch } from "../../lib/wire/encode.ts";
import type { EventBody } from "../../lib/wire/event.ts";
import { createCollector } from "../engine/collector.ts";
import type { Collector } from "../engine/types.ts";
import { encodeSnapshot } from "../store/snapshot_bytes.ts";
import { type CollectorService, createCollectorService } from "./service.ts";

/**
 * Events of a warm-up unless told (what the alert latency figures of
 * `bench/e2e_bench.ts` were measured with).
 *
 * @example The default
 * ```ts
 * import assert from "node:assert/strict";
 * import { WARM_UP_EVENTS } from "./warm_up.ts";
 * assert.equal(WARM_UP_EVENTS, 40_000);
 * ```
 */
export const WARM_UP_EVENTS = 40_000;

/**
 * Wall time a warm-up runs at most unless told, ms: by then the hot code is
 * compiled (40,000 Lease events take 0.2-2 s); a spec whose states are tens
 * of KB would take far longer to send the default event count.
 *
 * @example The default
 * ```ts
 * import assert from "node:assert/strict";
 * import { WARM_UP_MAX_MS } from "./warm_up.ts";
 * assert.equal(WARM_UP_MAX_MS, 5_000);
 * ```
 */
export const WARM_UP_MAX_MS = 5_000;

/**
 * Options of {@link warmUp}.
 *
 * @example A shorter warm-up
 * ```ts
 * import type { WarmUpOptions } from "./warm_up.ts";
 * const options: WarmUpOptions = { events: 5_000 };
 * ```
 */
export interface WarmUpOptions {
  /** Events in all, over every served spec. Default {@link WARM_UP_EVENTS}. */
  readonly events?: number;
  /** Events per batch. Default 256. */
  readonly batch?: number;
  /** Nodes sending. Default 4. */
  readonly nodes?: number;
  /** Instance keys per spec and node (and as many shared). Default 16. */
  readonly keys?: number;
  /**
   * Stops sending after this long, ms (checked after each batch; the
   * report says so in `stoppedEarly`). Default {@link WARM_UP_MAX_MS}.
   */
  readonly maxMs?: number;
}

/**
 * What a warm-up ran.
 *
 * @example Read a warm-up's figures
 * ```ts
 * import type { WarmUpReport } from "./warm_up.ts";
 * const line = (r: WarmUpReport) => `warm-up: ${r.applied} events in ${r.ms.toFixed(0)} ms`;
 * ```
 */
export interface WarmUpReport {
  /** Events the scratch collector applied. */
  readonly applied: number;
  /** Batches it refused (0 unless the made-up traffic broke a limit). */
  readonly refused: number;
  /** Violations raised (and routed as alerts). */
  readonly violations: number;
  /** Bytes of the encoded snapshot. */
  readonly snapshotBytes: number;
  /** Wall time of the warm-up, ms. */
  readonly ms: number;
  /** True when `maxMs` ran out before every event was sent. */
  readonly stoppedEarly: boolean;
}

/** Violations after which the made-up traffic stops sharing keys between nodes. */
const SHARED_UNTIL = 32;

/** Small argument values of a parameter's type, to pick from. */
function domain(t: TypeDesc): number[] {
  switch (t.kind) {
    case "bool":
      return [0, 1];
    case "range": {
      const lo = Number(t.lo);
      const hi = Math.min(Number(t.hi), lo + 3);
      return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
    }
    case "enum":
      return t.labels.map((_, i) => i);
    default:
      return [0, 1, 2, 3];
  }
}

/** A seeded generator of numbers in [0, 1) (xorshift32): the same traffic every time. */
function seeded(seed: number): () => number {
  let x = seed | 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

/**
 * Runs made-up traffic of `collector`'s specs through a scratch collector
 * and service (see the module doc) and returns what it ran. Call it
 * before the ingest subscribes.
 *
 * @example Warm a collector before it takes traffic
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { createCollector } from "../engine/collector.ts";
 * import { warmUp } from "./warm_up.ts";
 * const lease = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const collector = createCollector({ specs: [lease] });
 * const report = await warmUp(collector, { events: 2_000 });
 * assert.equal(report.applied, 2_000);
 * assert.equal(collector.metrics().applied, 0); // the real one saw nothing
 * ```
 */
export async function warmUp(
  collector: Collector,
  options: WarmUpOptions = {},
): Promise<WarmUpReport> {
  const t0 = performance.now();
  const specs = [...collector.specs.values()];
  // The newest version of each name (the last listed) sends the traffic.
  const senders = [...new Map(specs.map((s) => [s.meta.name, s])).values()];
  const total = options.events ?? WARM_UP_EVENTS;
  const per = Math.max(1, options.batch ?? 256);
  const nodes = Math.max(2, options.nodes ?? 4);
  const keys = Math.max(1, options.keys ?? 16);
  const maxMs = options.maxMs ?? WARM_UP_MAX_MS;
  let stoppedEarly = false;
  // Wall times as live ones are (doubles, not small integers), so the code compiled for them fits.
  let now = Date.now();
  const windowMs = 20;
  // Few violations kept: each holds its counterexample, and the snapshots would be mostly those.
  const scratch = createCollector({ specs, now: () => now, windowMs, maxViolations: 16 });
  const service = createCollectorService(scratch, { onLog: () => {} });
  let violations = 0;
  const stop = scratch.on((e) => {
    if (e.type === "violation") violations++;
  });
  let refused = 0;
  const next = seeded(0x5eed);
  try {
    const perSpec = Math.ceil(total / senders.length);
    senders: for (const [si, spec] of senders.entries()) {
      const gen = new Traffic(spec, { nodes, keys, next, prefix: `warm-up-${si}` });
      for (let sent = 0; sent < perSpec && sent < total;) {
        const n = Math.min(per, perSpec - sent);
        // Shared keys make violations, each routed and formatted as an alert: a few dozen do.
        const shared = violations < SHARED_UNTIL ? 0.1 : 0;
        const batch = gen.batch(Math.floor(next() * nodes), { count: n, wall: now, shared });
        if (!service.ingestBytes(batch, "jetstream").ok) refused++;
        sent += n;
        now += 5;
        scratch.advance(now);
        // Once, a quarter in, the clock jumps past the liveness bounds: deadlines time out.
        if (sent < perSpec / 4 && sent + n >= perSpec / 4) {
          now += 120_000;
          scratch.advance(now);
        }
        // A snapshot now and then, as the persist timer takes them.
        if (next() < 0.05) encodeSnapshot(scratch.snapshot());
        if (performance.now() - t0 > maxMs) {
          stoppedEarly = sent < perSpec || si < senders.length - 1;
          if (stoppedEarly) break senders;
        }
      }
    }
    scratch.flush();
    const bytes = encodeSnapshot(scratch.snapshot());
    await service.alerts.drain();
    return {
      applied: scratch.metrics().applied,
      refused,
      violations,
      snapshotBytes: bytes.length,
      ms: performance.now() - t0,
      stoppedEarly,
    };
  } finally {
    stop();
    await service.stop();
  }
}

/**
 * {@link warmUp} of `service`'s collector for a starting collector: never
 * throws. A warm-up that fails (a spec the made-up traffic breaks) is
 * counted in `vigil_internal_errors_total{where="warm-up"}` and logged
 * once through the service, and the collector starts cold: returns null.
 *
 * @example Warm up before subscribing
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { createCollector } from "../engine/collector.ts";
 * import { createCollectorService } from "./service.ts";
 * import { warmUpService } from "./warm_up.ts";
 * const lease = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const service = createCollectorService(createCollector({ specs: [lease] }));
 * const report = await warmUpService(service, { events: 1_000 });
 * assert.equal(report?.applied, 1_000);
 * ```
 */
export async function warmUpService(
  service: CollectorService,
  options: WarmUpOptions = {},
): Promise<WarmUpReport | null> {
  try {
    return await warmUp(service.collector, options);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    service.internalError(
      "warm-up",
      new Error(`the warm-up failed, starting cold: ${reason}`, { cause: e }),
    );
    return null;
  }
}

/**
 * The made-up traffic of one spec: `nodes` nodes stepping monitors on
 * `keys` keys each, and on `keys` keys they share.
 */
class Traffic {
  readonly #spec: CompiledSpec;
  readonly #next: () => number;
  /** The shared keys; `#own[k][n]`: node `n`'s own key `k`. */
  readonly #keys: string[];
  readonly #own: string[][];
  /** Node `n`'s monitors: on its own key `k` at `2 * (n * keys + k)`, on shared key `k` one after (created on first use). */
  readonly #insts: number[] = [];
  readonly #seqs: number[];
  readonly #boots: string[];
  readonly #nodes: string[];
  /** Per action, the argument values of each parameter. */
  readonly #domains: number[][][];

  constructor(
    spec: CompiledSpec,
    options: { nodes: number; keys: number; next: () => number; prefix: string },
  ) {
    this.#spec = spec;
    this.#next = options.next;
    this.#keys = Array.from({ length: options.keys }, (_, k) => `${options.prefix}:${k}`);
    this.#own = this.#keys.map((key) =>
      Array.from({ length: options.nodes }, (_, n) => `${key}:${n}`)
    );
    this.#seqs = new Array<number>(options.nodes).fill(0);
    this.#nodes = Array.from({ length: options.nodes }, (_, n) => `${options.prefix}-node-${n}`);
    this.#boots = this.#nodes.map(() => "warm-up");
    this.#domains = spec.meta.actions.map((a) => a.params.map((p) => domain(p.type)));
  }

  /** Encoded batch of `count` events of node `n` stamped `wall`, a share `shared` of them on shared keys. */
  batch(n: number, options: { count: number; wall: number; shared: number }): Uint8Array {
    const { count, wall, shared } = options;
    const spec = this.#spec;
    const next = this.#next;
    const keys = this.#keys.length;
    const events: EventBody[] = [];
    for (let i = 0; i < count; i++) {
      const k = Math.floor(next() * keys);
      const isShared = next() < shared;
      const slot = 2 * (n * keys + k) + (isShared ? 1 : 0);
      let inst = this.#insts[slot];
      if (inst === undefined) this.#insts[slot] = inst = spec.create();
      const action = Math.floor(next() * this.#domains.length);
      const args = this.#domains[action]!.map((d) => d[Math.floor(next() * d.length)]!);
      const verdict = spec.stepFn(action)(inst, ...args);
      events.push({
        key: isShared ? this.#keys[k]! : this.#own[k]![n]!,
        wall,
        logical: i,
        action,
        args,
        state: spec.stateBytes(inst),
        verdict,
      });
    }
    const header = {
      spec: spec.meta.sourceHash,
      specName: spec.meta.name,
      node: this.#nodes[n]!,
      boot: this.#boots[n]!,
      firstSeq: this.#seqs[n]!,
      dropped: [],
    };
    this.#seqs[n]! += count;
    return encodeBatch(header, events);
  }
}
