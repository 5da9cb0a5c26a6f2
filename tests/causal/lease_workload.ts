/**
 * The lease workload of the causal tests (`tests/causal_scale_test.ts`,
 * `tests/causal_restart_test.ts`, `tests/causal_exclusion_lanes_test.ts`,
 * `tests/causal_lane_cap_test.ts`, `tests/causal_approximated_ends_test.ts`):
 * the state blocks of a free and a held lease, lease events and the
 * batches of a node's stream, the benchmark's handoffs
 * (`bench/causal_bench.ts`) encoded per node, and a collector with the
 * tests' causal settings on a clock the test sets or fed round robin.
 *
 * @module
 */
import type { CompiledSpec } from "../../lib/abi/compiled.ts";
import { encodeBatch } from "../../lib/wire/encode.ts";
import type { EventBody, EventDependency } from "../../lib/wire/event.ts";
import { createCollector } from "../../edge/engine/collector.ts";
import type { Collector } from "../../edge/engine/types.ts";

/** The causal tests' collector settings: a 250 ms reorder window and a 500 ms skew bound (causal verdicts on). */
export const CAUSAL_OPTIONS = { windowMs: 250, maxSkewMs: 500 } as const;

/** The action numbers and state blocks of the lease spec: free, and held by client 1. */
export interface LeaseStates {
  readonly acquire: number;
  readonly release: number;
  readonly free: Uint8Array;
  readonly held: Uint8Array;
}

/** The lease spec's free state, and its state after `acquire(1)`. */
export function leaseStates(spec: CompiledSpec): LeaseStates {
  const acquire = spec.actionIndex("acquire");
  const release = spec.actionIndex("release");
  const inst = spec.create();
  const free = spec.stateBytes(inst);
  spec.stepFn(acquire)(inst, 1);
  const held = spec.stateBytes(inst);
  return { acquire, release, free, held };
}

/** Options of {@link handoffBatches}. */
export interface HandoffOptions {
  readonly nodes: number;
  readonly keys: number;
  /** Events in all (an acquire and a release per turn). */
  readonly events: number;
  /** Every this many turns (0: never), the acquire carries no stamp: the handoff is not ordered. */
  readonly overlapEvery?: number;
  /** Milliseconds between two events (default 1/16: 16 events per millisecond). */
  readonly everyMs?: number;
  /** Events per batch (default 256). */
  readonly batchSize?: number;
}

/** The node name of node number `n`. */
export function nodeName(n: number): string {
  return `node-${String(n).padStart(2, "0")}`;
}

/**
 * Lease handoffs: node `n` acquires key `turn % keys` and releases it at
 * once, the nodes taking turns; 16 events per millisecond (or one every
 * `everyMs`); every acquire
 * carries the previous holder's release stamp but each key's first and,
 * with `overlapEvery`, every such turn (then counted in `overlaps`).
 * Encoded per node in batches of `batchSize` events.
 */
export function handoffBatches(
  spec: CompiledSpec,
  options: HandoffOptions,
): { batches: Uint8Array[][]; deps: number; overlaps: number } {
  const { nodes, keys, events, overlapEvery = 0, everyMs = 1 / 16, batchSize = 256 } = options;
  const lease = new LeaseEvents(spec);
  const streams: EventBody[][] = Array.from({ length: nodes }, () => []);
  const last: ({ node: number; wall: number; logical: number } | null)[] = new Array(keys).fill(
    null,
  );
  let deps = 0;
  let overlaps = 0;
  for (let s = 0; s < events; s++) {
    const turn = s >> 1;
    const key = turn % keys;
    const n = Math.floor(turn / keys) % nodes;
    const acquiring = (s & 1) === 0;
    const wall = 1_732_170_000_000 + (everyMs >= 1 ? s * everyMs : s >> 4);
    const logical = everyMs >= 1 ? 0 : s & 15;
    const prev = last[key] ?? null;
    const stampless = acquiring && overlapEvery > 0 && turn % overlapEvery === overlapEvery - 1;
    const carries = acquiring && prev !== null && prev.node !== n && !stampless;
    if (carries) deps++;
    if (acquiring && prev !== null && prev.node !== n && stampless) overlaps++;
    const at = { key: `lock:${key}`, logical };
    streams[n]!.push(
      !acquiring ? lease.release(wall, at) : carries
        ? lease.acquire(wall, {
          ...at,
          deps: [{ node: nodeName(prev.node), wall: prev.wall, logical: prev.logical }],
        })
        : lease.acquire(wall, at),
    );
    if (!acquiring) last[key] = { node: n, wall, logical };
  }
  const batches = streams.map((evs, n) => {
    const out: Uint8Array[] = [];
    for (let i = 0; i < evs.length; i += batchSize) {
      out.push(
        nodeBatch(spec, { node: nodeName(n), firstSeq: i, events: evs.slice(i, i + batchSize) }),
      );
    }
    return out;
  });
  return { batches, deps, overlaps };
}

/** A batch of one node's stream ({@link nodeBatch}). */
export interface NodeBatch {
  /** The node's name. */
  readonly node: string;
  /** The events, in the stream's order. */
  readonly events: readonly EventBody[];
  /** Sequence number of the first event (default 0). */
  readonly firstSeq?: number;
}

/**
 * The bytes of a batch of `spec`'s events from node `batch.node` (boot
 * `b1`, nothing dropped), copied out of the encoder's buffer so that a
 * later encoding does not overwrite it.
 */
export function nodeBatch(spec: CompiledSpec, batch: NodeBatch): Uint8Array {
  const header = {
    spec: spec.meta.sourceHash,
    specName: spec.meta.name,
    node: batch.node,
    boot: "b1",
    firstSeq: batch.firstSeq ?? 0,
    dropped: [],
  };
  return encodeBatch(header, batch.events).slice();
}

/** What a lease event may say besides its action and wall time; every field has a default. */
export interface LeaseEventOptions {
  /** Instance key (default `lock:one`). */
  readonly key?: string;
  /** HLC logical part (default 0). */
  readonly logical?: number;
  /** Post-state (default: held after an acquire, free after a release). */
  readonly state?: Uint8Array;
  /** Stamps of other nodes' events this one follows (default: none). */
  readonly deps?: readonly EventDependency[];
}

/** Events of the lease spec by client 1, and batches of them per node. */
export class LeaseEvents {
  /** The collector's copy of the lease spec. */
  readonly spec: CompiledSpec;
  /** Its action numbers and state blocks. */
  readonly states: LeaseStates;

  /** Lease events of `spec` (the compiled `specs/lease.vigil`). */
  constructor(spec: CompiledSpec) {
    this.spec = spec;
    this.states = leaseStates(spec);
  }

  /** `acquire(1)` at `wall`: the lease held (unless `options.state` says otherwise). */
  acquire(wall: number, options: LeaseEventOptions = {}): EventBody {
    return this.#event(this.states.acquire, this.states.held, wall, options);
  }

  /** `release(1)` at `wall`: the lease free (unless `options.state` says otherwise). */
  release(wall: number, options: LeaseEventOptions = {}): EventBody {
    return this.#event(this.states.release, this.states.free, wall, options);
  }

  /** The bytes of a batch of node `node`'s events, from sequence `firstSeq` (default 0). */
  batch(
    node: string,
    events: readonly EventBody[],
    options: { firstSeq?: number } = {},
  ): Uint8Array {
    return nodeBatch(this.spec, { node, events, firstSeq: options.firstSeq ?? 0 });
  }

  #event(action: number, state: Uint8Array, wall: number, options: LeaseEventOptions): EventBody {
    return {
      key: options.key ?? "lock:one",
      wall,
      logical: options.logical ?? 0,
      action,
      args: [1],
      state: options.state ?? state,
      verdict: 0,
      ...(options.deps === undefined ? {} : { deps: options.deps }),
    };
  }
}

/**
 * Every node's batches in round-robin order: each node's first batch,
 * then each one's second, and so on (a node whose batches ran out is
 * passed over).
 */
export function roundRobin(batches: readonly (readonly Uint8Array[])[]): Uint8Array[] {
  const order: Uint8Array[] = [];
  for (let i = 0; batches.some((b) => i < b.length); i++) {
    for (const b of batches) if (i < b.length) order.push(b[i]!);
  }
  return order;
}

/**
 * A fresh collector of `spec` ({@link CAUSAL_OPTIONS}) fed `batches` in
 * {@link roundRobin} order, its clock moving 1 ms before each batch from
 * 0, then flushed.
 */
export function ingestRoundRobin(
  spec: CompiledSpec,
  batches: readonly (readonly Uint8Array[])[],
): Collector {
  const c = new ClockedCollector(spec, 0);
  for (const b of roundRobin(batches)) {
    c.now++;
    c.collector.ingestBytes(b);
  }
  c.collector.flush();
  return c.collector;
}

/** A collector of one spec with {@link CAUSAL_OPTIONS}, on a clock the test sets. */
export class ClockedCollector {
  /** The collector's clock (ms); setting it alone judges nothing (see {@link advance}). */
  now: number;
  /** The collector. */
  readonly collector: Collector;

  /** A collector of `spec` whose clock reads `start`. */
  constructor(spec: CompiledSpec, start: number) {
    this.now = start;
    this.collector = createCollector({ specs: [spec], now: () => this.now, ...CAUSAL_OPTIONS });
  }

  /** Sets the clock to `at` and lets the collector judge up to it. */
  advance(at: number): void {
    this.now = at;
    this.collector.advance(at);
  }
}

/**
 * Feeds one clocked collector node by node, each batch with its node's
 * next sequence numbers (the causal retire and first-dependency tests).
 */
export class SequencedNodes {
  readonly c: ClockedCollector;
  readonly lease: LeaseEvents;
  readonly #base: number;
  readonly #seq = new Map<string, number>();

  /** Nodes sending `lease`'s events to a collector whose clock starts at `base` (ms). */
  constructor(lease: LeaseEvents, base: number) {
    this.lease = lease;
    this.#base = base;
    this.c = new ClockedCollector(lease.spec, base);
  }

  /** Node `node`'s next sequence number. */
  next(node: string): number {
    return this.#seq.get(node) ?? 0;
  }

  /** The collector fed. */
  get collector(): Collector {
    return this.c.collector;
  }

  /** Node `node` sends `events`; the clock moves to `clock` (ms from the base). */
  send(node: string, events: readonly EventBody[], clock: number): void {
    const first = this.next(node);
    this.c.collector.ingestBytes(this.lease.batch(node, events, { firstSeq: first }));
    this.#seq.set(node, first + events.length);
    this.c.advance(this.#base + clock);
  }
}
