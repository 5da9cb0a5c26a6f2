/**
 * Test helpers for the collector app tests: the lease spec compiled once,
 * loaded for the simulated nodes (SDK) and separately for the collector,
 * and a node that steps monitors and hands out its events as encoded
 * batches.
 *
 * NOTE: reconstructed by the collector-core engineer after accidentally
 * overwriting the app engineer's uncommitted original; the exports match
 * the uses in `collector_app_test.ts`.
 *
 * @module
 */
import { loadCompiled } from "../lib/abi/mod.ts";
import type { CompiledSpec } from "../lib/abi/mod.ts";
import { encodeBatch } from "../runtime/codec.ts";
import type { EventBody, StepEvent } from "../runtime/event.ts";
import { createClock } from "../runtime/clock.ts";
import { createNode } from "../runtime/node.ts";
import type { NodeContext } from "../runtime/node.ts";
import { loadSpec } from "../runtime/spec.ts";
import type { LoadedSpec } from "../runtime/spec.ts";
import type { ActionArgs, Monitor } from "../runtime/monitor_types.ts";
import { compiledDir } from "./sdk_fixture.ts";

/** The lease spec loaded through the SDK (for simulated nodes). */
export async function sdkLease(): Promise<LoadedSpec> {
  return loadSpec(`${await compiledDir("lease")}/lease.js`);
}

/** A fresh compiled lease spec instance (for a collector). */
export async function compiledLease(): Promise<CompiledSpec> {
  return loadCompiled(`${await compiledDir("lease")}/lease.js`);
}

/** A simulated node: one monitor per key, events numbered like a batcher. */
export class TestNode {
  readonly spec: LoadedSpec;
  readonly context: NodeContext;
  readonly #monitors = new Map<string, Monitor>();
  readonly #events: EventBody[] = [];
  #next = 0;

  constructor(spec: LoadedSpec, id: string, options: { boot?: string; now?: () => number } = {}) {
    this.spec = spec;
    this.context = createNode({
      id,
      boot: options.boot ?? `${id}-boot`,
      clock: createClock({ now: options.now ?? (() => 1_700_000_000_000) }),
    });
  }

  /** Steps the monitor of `key` (created on first use); refused steps are recorded, not thrown. */
  step(key: string, action: string, args: ActionArgs = {}): this {
    let m = this.#monitors.get(key);
    if (m === undefined) {
      const sink = { push: (e: StepEvent) => this.#events.push({ ...e, state: e.state.slice() }) };
      m = this.spec.monitor({ node: this.context, key, mode: "observe", sink });
      this.#monitors.set(key, m);
    }
    m.tryStep(action, args);
    return this;
  }

  /** The events stepped since the last `take`, as one encoded batch. */
  take(): Uint8Array {
    const events = this.#events.splice(0);
    const header = {
      spec: this.spec.hash,
      specName: this.spec.name,
      node: this.context.id,
      boot: this.context.boot,
      firstSeq: this.#next,
      dropped: [],
    };
    this.#next += events.length;
    return encodeBatch(header, events);
  }
}
