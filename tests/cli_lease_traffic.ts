/**
 * Test helper: Lease nodes of the SDK stepping locks on a clock the test
 * moves, shipping through any sink (a batcher over HTTP or JetStream), so a
 * test writes the merged order it wants (`acquire` by `n1`, then by `n2`,
 * is two holders).
 *
 * @module
 */
import { createClock, createNode, type LoadedSpec, type Monitor } from "../mod.ts";
import type { Batcher } from "../runtime/batcher/batcher.ts";

/** Nodes that step Lease instances, observed, into their batchers. */
export interface LeaseTraffic {
  /** Node `node` does `action(c)` on lock `key`, 10 ms after the previous step. */
  step(node: string, key: string, action: "acquire" | "release", c: number): void;
  /** Events stepped so far. */
  readonly stepped: number;
  /** Flushes and closes every batcher. */
  close(): Promise<void>;
}

/**
 * Nodes of `spec`, one per entry of `batchers` (node id -> its batcher).
 *
 * @example Two nodes over HTTP
 * ```ts ignore
 * const t = leaseTraffic(lease, { n1: createBatcher(httpTransport(url)), n2: createBatcher(httpTransport(url)) });
 * t.step("n1", "lock:1", "acquire", 1);
 * await t.close();
 * ```
 */
export function leaseTraffic(
  spec: LoadedSpec,
  batchers: Readonly<Record<string, Batcher>>,
): LeaseTraffic {
  let now = Date.now();
  let stepped = 0;
  // One hybrid logical clock per node, all reading the physical time the test moves.
  const nodes = new Map(
    Object.entries(batchers).map((
      [id, batcher],
    ) => [id, { node: createNode({ id, clock: createClock({ now: () => now }) }), batcher }]),
  );
  const monitors = new Map<string, Monitor>();
  return {
    step(node, key, action, c) {
      const n = nodes.get(node);
      if (n === undefined) throw new RangeError(`No node '${node}'`);
      let m = monitors.get(`${node}/${key}`);
      if (m === undefined) {
        m = spec.monitor({ node: n.node, key, sink: n.batcher, mode: "observe" });
        monitors.set(`${node}/${key}`, m);
      }
      now += 10;
      m.step(action, { c });
      stepped++;
    },
    get stepped() {
      return stepped;
    },
    async close() {
      await Promise.all([...nodes.values()].map((n) => n.batcher.close()));
    },
  };
}
