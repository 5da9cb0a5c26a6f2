/**
 * SDK nodes of a test or benchmark workload that step keys met as they go
 * (`tests/collector_kill_test.ts`, `tests/collector_restart_test.ts`,
 * `tests/cluster_fixture.ts`, `bench/cluster_bench.ts`): each node has its
 * context, its own sink (a batcher over some transport) and one observing
 * monitor per key, made the first time the key is stepped. (Workloads
 * with a fixed set of keys per node: `lease_workload.ts`.)
 *
 * @module
 */
import { createNode, type NodeContext } from "../../runtime/monitor/node.ts";
import type { LoadedSpec } from "../../runtime/monitor/load_spec.ts";
import type { EventSink, Monitor } from "../../runtime/monitor/monitor_types.ts";

/** One node of {@link observingNodes}. */
export interface ObservingNode<S extends EventSink> {
  /** The node's number (0 first). */
  readonly i: number;
  /** Its context (id, boot, clock). */
  readonly ctx: NodeContext;
  /** Where its monitors push their events. */
  readonly batcher: S;
  /** Its monitor of `key` (observe mode, pushing to {@link ObservingNode.batcher}), made on first use. */
  monitor(key: string): Monitor;
}

/**
 * `count` nodes of spec `spec`: node `i` is named `id(i)` and pushes to
 * `sink(i)`.
 *
 * @example Two nodes recording their events
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadSpec } from "../../runtime/monitor/load_spec.ts";
 * import type { StepEvent } from "../../lib/wire/event.ts";
 * import { observingNodes } from "./observing_nodes.ts";
 * const lease = await loadSpec(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const events: StepEvent[] = [];
 * const nodes = observingNodes(lease, 2, { id: (i) => `n${i}`, sink: () => ({ push: (e: StepEvent) => void events.push(e) }) });
 * nodes[0]!.monitor("lock:a").step("acquire", { c: 1 });
 * nodes[0]!.monitor("lock:a").step("release", { c: 1 });
 * assert.equal(nodes[0]!.monitor("lock:a"), nodes[0]!.monitor("lock:a"));
 * assert.deepEqual(events.map((e) => [e.node, e.key]), [["n0", "lock:a"], ["n0", "lock:a"]]);
 * ```
 */
export function observingNodes<S extends EventSink>(
  spec: LoadedSpec,
  count: number,
  options: { readonly id: (i: number) => string; readonly sink: (i: number) => S },
): ObservingNode<S>[] {
  return Array.from({ length: count }, (_, i) => {
    const ctx = createNode({ id: options.id(i) });
    const batcher = options.sink(i);
    const monitors = new Map<string, Monitor>();
    return {
      i,
      ctx,
      batcher,
      monitor(key: string): Monitor {
        let m = monitors.get(key);
        if (m === undefined) {
          m = spec.monitor({ node: ctx, key, sink: batcher, mode: "observe" });
          monitors.set(key, m);
        }
        return m;
      },
    };
  });
}
