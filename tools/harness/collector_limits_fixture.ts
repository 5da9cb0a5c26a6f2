/**
 * Workloads for the collector's limits and memory: wire batches (built with
 * `encodeBatch`) of lease events over many partition keys, many nodes, many
 * boots of one node and many participants of one partition, fed through
 * `ingestBytes`, and a heap/RSS measurement with an optional forced GC
 * (`--v8-flags=--expose-gc`). Shared by `tests/collector_limits_test.ts`
 * and `bench/limits_bench.ts`.
 *
 * @module
 */
import { loadCompiled } from "../../lib/abi/mod.ts";
import type { CompiledSpec } from "../../lib/abi/mod.ts";
import { encodeBatch } from "../../lib/wire/encode.ts";
import type { EventBody } from "../../lib/wire/event.ts";
import type { Collector } from "../../edge/engine/types.ts";

/** The shipped lease bindings (`deno task build` makes them). */
export const LEASE_BINDINGS = new URL("../../dist/lease.js", import.meta.url);

/** A collector-side instance of `dist/lease.js`. */
export function loadLease(): Promise<CompiledSpec> {
  return loadCompiled(LEASE_BINDINGS);
}

import type { LeaseKit } from "./lease/states.ts";
export { type LeaseKit, leaseKit } from "./lease/states.ts";

const WALL0 = 1_732_170_000_000;

/** A wire batch of a stream of `spec`: `events` numbered from `firstSeq`. */
export function wireBatch(
  spec: CompiledSpec,
  stream: { readonly node: string; readonly boot: string; readonly firstSeq: number },
  events: readonly EventBody[],
): Uint8Array {
  return encodeBatch({
    spec: spec.meta.sourceHash,
    specName: spec.meta.name,
    node: stream.node,
    boot: stream.boot,
    firstSeq: stream.firstSeq,
    dropped: [],
  }, events);
}

/** A stream of the lease spec: node, boot, first sequence number. */
export type LeaseStream = {
  readonly node: string;
  readonly boot: string;
  readonly firstSeq: number;
};

/**
 * The batch builders the limits tests share, over `kit`'s spec: `at` (a
 * stream), `batch` (the wire batch of a stream holding events) and `keys`
 * (a handoff, 2 events, of each key by client `c` at wall time `t`).
 */
export function leaseBatches(kit: LeaseKit): {
  at: (node: string, boot: string, firstSeq: number) => LeaseStream;
  batch: (s: LeaseStream, events: readonly EventBody[]) => Uint8Array;
  keys: (names: readonly string[], c?: number, t?: number) => EventBody[];
} {
  return {
    at: (node, boot, firstSeq) => ({ node, boot, firstSeq }),
    batch: (s, events) => wireBatch(kit.spec, s, events),
    keys: (names, c = 1, t = 0) => names.flatMap((k) => handoff(kit, k, c, t)),
  };
}

/** An acquire (`held`) then release (`free`) of `key` by client `c`, at wall time `t`. */
export function handoff(kit: LeaseKit, key: string, c: number, t: number): EventBody[] {
  return [
    {
      key,
      wall: WALL0 + t,
      logical: 0,
      action: kit.acquire,
      args: [c],
      state: kit.held[c - 1]!,
      verdict: 0,
    },
    {
      key,
      wall: WALL0 + t,
      logical: 1,
      action: kit.release,
      args: [c],
      state: kit.free,
      verdict: 0,
    },
  ];
}

/** An acquire of `key` by client `c` at wall time `t`, left held. */
export function hold(kit: LeaseKit, key: string, c: number, t: number): EventBody {
  return handoff(kit, key, c, t)[0]!;
}

/**
 * Batches of one node creating `count` partitions `lock:<from + i>` (an
 * acquire and a release each), `perBatch` keys per batch, numbered from
 * `firstSeq`.
 */
export function partitionBatches(
  kit: LeaseKit,
  options: {
    readonly node: string;
    readonly boot?: string;
    readonly from: number;
    readonly count: number;
    readonly perBatch: number;
    readonly firstSeq?: number;
    /** Added to each key's wall time offset (later rounds over the same keys). */
    readonly wallBase?: number;
  },
): Uint8Array[] {
  const out: Uint8Array[] = [];
  let seq = options.firstSeq ?? 0;
  for (let i = 0; i < options.count; i += options.perBatch) {
    const events: EventBody[] = [];
    const n = Math.min(options.perBatch, options.count - i);
    for (let j = 0; j < n; j++) {
      const k = options.from + i + j;
      events.push(...handoff(kit, `lock:${k}`, 1 + (k % 3), (options.wallBase ?? 0) + k));
    }
    out.push(
      wireBatch(
        kit.spec,
        { node: options.node, boot: options.boot ?? "boot-1", firstSeq: seq },
        events,
      ),
    );
    seq += events.length;
  }
  return out;
}

/** A batch of a fresh stream `(node, boot)` from 0: one handoff of `key`. */
export function joinBatch(
  kit: LeaseKit,
  node: string,
  boot: string,
  key: string,
  t = 0,
): Uint8Array {
  return wireBatch(kit.spec, { node, boot, firstSeq: 0 }, handoff(kit, key, 1, t));
}

/**
 * The growth workload: node `node-0` creates `partitions` partitions
 * `lock:<i>` (a handoff each, 128 keys a batch), then `joiners` more nodes
 * (`node-1`, ...) each join one of them with a fresh boot, after them in
 * time (so nothing is late).
 */
export function growthWorkload(
  kit: LeaseKit,
  partitions: number,
  joiners: number,
): { creating: Uint8Array[]; joining: Uint8Array[] } {
  const creating = partitionBatches(kit, {
    node: "node-0",
    from: 0,
    count: partitions,
    perBatch: 128,
  });
  const joining = Array.from(
    { length: joiners },
    (_, i) =>
      joinBatch(
        kit,
        `node-${i + 1}`,
        `boot-${i + 1}`,
        `lock:${(i * 7) % partitions}`,
        partitions + i,
      ),
  );
  return { creating, joining };
}

/** Ingests every batch through `ingestBytes`; returns the events accepted. */
export function ingestAll(c: Collector, batches: readonly Uint8Array[]): number {
  let accepted = 0;
  for (const b of batches) accepted += c.ingestBytes(b).accepted;
  return accepted;
}

/** Runs a full GC when exposed (`--v8-flags=--expose-gc`); false when not. */
export function collectGarbage(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return false;
  gc();
  gc();
  return true;
}

/** Memory figures (bytes) after a GC when one can be forced. */
export interface MemoryFigures {
  readonly rss: number;
  readonly heapUsed: number;
  readonly external: number;
}

/** `Deno.memoryUsage()` after a forced GC (when exposed). */
export function memoryNow(): MemoryFigures {
  collectGarbage();
  const m = Deno.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external };
}

/** `b - a` per field, divided by `n`. */
export function perItem(a: MemoryFigures, b: MemoryFigures, n: number): MemoryFigures {
  return {
    rss: (b.rss - a.rss) / n,
    heapUsed: (b.heapUsed - a.heapUsed) / n,
    external: (b.external - a.external) / n,
  };
}
