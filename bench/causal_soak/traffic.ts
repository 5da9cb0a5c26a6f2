/**
 * The traffic of `bench/causal_soak_bench.ts` (see its module doc): lease
 * handoffs of the compiled `lease` spec, batched and shipped per node as
 * the SDK does, with the split brains a workload injects.
 *
 * @module
 */
import { compileToTemp, specSource } from "../../tools/harness/spec_files.ts";
import type { CompiledSpec } from "../../lib/abi/compiled.ts";
import { encodeBatch } from "../../lib/wire/encode.ts";
import type { EventBody } from "../../lib/wire/event.ts";
import { leaseKit } from "../../tools/harness/lease/states.ts";
import type { SoakConfig } from "./workloads.ts";

const BATCH_EVENTS = 256;
const BATCH_DELAY_MS = 50;
const SHIP_MS = 1;
const BASE_WALL = 1_732_170_000_000;

/** The compiled `lease` spec every collector of the run serves. */
export const { spec } = await compileToTemp("lease", specSource("lease"));
const ACQUIRE = spec.actionIndex("acquire");
const RELEASE = spec.actionIndex("release");

const { free, held } = leaseKit(spec);

/**
 * The spec without its `globalShape` marker, so the judge keeps full lanes
 * (the same proxy as `withoutShape` in `tests/causal/simulator.ts`, which
 * benchmarks may not import).
 */
export function withoutShape(s: CompiledSpec): CompiledSpec {
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
export interface Delivery {
  readonly now: number;
  readonly bytes: Uint8Array;
}

/** An injected split brain: `a` held `key` when `b` acquired it at `wall`, with no stamp. */
export interface Overlap {
  readonly key: string;
  readonly a: string;
  readonly b: string;
  readonly wall: number;
}

/**
 * The handoff traffic, generated round by round (its state carries over:
 * sequence numbers, last holders, each node's unshipped events).
 */
export class HandoffTraffic {
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
