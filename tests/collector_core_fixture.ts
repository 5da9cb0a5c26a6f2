/**
 * Test helpers for the collector: example specs loaded twice (a
 * `LoadedSpec` for the simulated nodes, a separate `CompiledSpec` instance
 * for the collector), a recording sink that numbers each node's events like
 * a batcher, and batch builders (split, redeliver, drop) that go through the
 * real wire codec.
 *
 * @module
 */
import { loadCompiled } from "../lib/abi/mod.ts";
import type { CompiledSpec } from "../lib/abi/mod.ts";
import { decodeBatch } from "../lib/wire/decode.ts";
import { encodeBatch } from "../lib/wire/encode.ts";
import type { DecodedBatch, StepEvent } from "../lib/wire/event.ts";
import type { SeqRange } from "../lib/wire/seq_ranges.ts";
import { loadSpec } from "../runtime/monitor/load_spec.ts";
import type { LoadedSpec } from "../runtime/monitor/load_spec.ts";
import { compiledDir } from "../tools/harness/sdk_fixture.ts";
import type { Collector, CollectorEvent, Violation } from "../edge/engine/types.ts";
import { mulberry32 } from "../tools/harness/seeded_random.ts";

/** A spec for the nodes and a separate instance for the collector. */
export async function loadPair(
  name: string,
): Promise<{ nodes: LoadedSpec; collector: CompiledSpec }> {
  const dir = await compiledDir(name);
  return {
    nodes: await loadSpec(`${dir}/${name}.js`),
    collector: await loadCompiled(`${dir}/${name}.js`),
  };
}

/** A fresh collector-side instance of a compiled example spec. */
export async function loadForCollector(name: string): Promise<CompiledSpec> {
  return loadCompiled(`${await compiledDir(name)}/${name}.js`);
}

/** Collects step events per stream (node + boot), in push order. */
export class Recorder {
  readonly streams = new Map<string, StepEvent[]>();
  readonly push = (e: StepEvent): void => {
    const k = `${e.node}\u0000${e.boot}`;
    let list = this.streams.get(k);
    if (list === undefined) this.streams.set(k, list = []);
    // The monitor may reuse memory: keep a copy of the state.
    list.push({ ...e, state: e.state.slice(), args: Array.from(e.args) });
  };

  /** The events of one node (first boot found), numbered from 0. */
  of(node: string): StepEvent[] {
    for (const [k, v] of this.streams) if (k.startsWith(`${node}\u0000`)) return v;
    return [];
  }
}

/** One batch of a stream: events `[from, to)` of `events`, with declared drops. */
export function batchOf(
  events: readonly StepEvent[],
  from: number,
  to: number,
  dropped: readonly SeqRange[] = [],
  skip: ReadonlySet<number> = new Set(),
): DecodedBatch {
  const first = events[0]!;
  const body = events.slice(from, to).filter((_, i) => !skip.has(from + i));
  const header = {
    spec: first.spec,
    specName: first.specName,
    node: first.node,
    boot: first.boot,
    firstSeq: from,
    dropped,
  };
  if (skip.size > 0) throw new RangeError("Use separate batches for skipped numbers");
  return decodeBatch(encodeBatch(header, body));
}

/** Splits a stream's events into batches of the given sizes (cycled). */
export function splitStream(
  events: readonly StepEvent[],
  sizes: readonly number[],
): DecodedBatch[] {
  const out: DecodedBatch[] = [];
  let i = 0;
  let k = 0;
  while (i < events.length) {
    const n = Math.max(1, sizes[k++ % sizes.length] ?? 1);
    out.push(batchOf(events, i, Math.min(events.length, i + n)));
    i += n;
  }
  return out;
}

/** Records every notification of a collector. */
export function listen(c: Collector): { all: CollectorEvent[]; violations: () => Violation[] } {
  const all: CollectorEvent[] = [];
  c.on((e) => all.push(e));
  return {
    all,
    violations: () => all.flatMap((e) => e.type === "violation" ? [e.violation] : []),
  };
}

/** The spec line of an item, from the source: the first line containing `text`. */
export function lineOf(source: string, text: string): number {
  const i = source.split("\n").findIndex((l) => l.includes(text));
  if (i < 0) throw new Error(`No line with '${text}'`);
  return i + 1;
}

/** A deterministic pseudo-random generator (mulberry32: `tools/harness/seeded_random.ts`). */
export const rng: (seed: number) => () => number = mulberry32;
