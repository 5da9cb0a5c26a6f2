/**
 * Test helpers for the collector app: a fresh Lease `CompiledSpec` for a
 * collector, the Lease `LoadedSpec` for simulated nodes, and a node whose
 * steps (through the real Monitor, so state blocks and verdicts are
 * genuine) become encoded wire batches.
 *
 * @module
 */
import { compiledDir, loadExample } from "./sdk_fixture.ts";
import { loadCompiled } from "../../lib/abi/mod.ts";
import type { CompiledSpec } from "../../lib/abi/mod.ts";
import { encodeBatch } from "../../lib/wire/encode.ts";
import type { StepEvent } from "../../lib/wire/event.ts";
import type { LoadedSpec } from "../../runtime/monitor/load_spec.ts";
import { createClock } from "../../runtime/monitor/clock.ts";
import type { Monitor } from "../../runtime/monitor/monitor_types.ts";

/** A fresh compiled Lease (its own WASM instance) for a collector. */
export async function compiledLease(): Promise<CompiledSpec> {
  return loadCompiled(`${await compiledDir("lease")}/lease.js`);
}

/** The Lease spec loaded for the SDK side (monitors). */
export function sdkLease(): Promise<LoadedSpec> {
  return loadExample("lease");
}

/** A node stepping Lease instances; `take()` returns its events since the last call as one batch. */
export class TestNode {
  readonly events: StepEvent[] = [];
  readonly #spec: LoadedSpec;
  readonly #id: string;
  readonly #boot: string;
  readonly #clock;
  #sent = 0;
  readonly #monitors = new Map<string, Monitor>();

  constructor(spec: LoadedSpec, id: string, boot = `${id}-boot`, now?: () => number) {
    this.#spec = spec;
    this.#id = id;
    this.#boot = boot;
    this.#clock = createClock(now === undefined ? {} : { now });
  }

  /** Steps `action` on instance `key` (observe mode: refused steps are events too). */
  step(key: string, action: string, args: Record<string, number> = {}): this {
    let m = this.#monitors.get(key);
    if (m === undefined) {
      m = this.#spec.monitor({
        node: { id: this.#id, boot: this.#boot, clock: this.#clock },
        key,
        mode: "observe",
        sink: { push: (e: StepEvent) => this.events.push(e) },
      });
      this.#monitors.set(key, m);
    }
    m.step(action, args);
    return this;
  }

  /** The events not taken yet, encoded as one batch (sequence numbers count from 0 per node). */
  take(): Uint8Array {
    const events = this.events.slice(this.#sent);
    const first = this.#sent;
    this.#sent = this.events.length;
    return encodeBatch({
      spec: this.#spec.hash,
      specName: this.#spec.name,
      node: this.#id,
      boot: this.#boot,
      firstSeq: first,
      dropped: [],
    }, events);
  }
}
