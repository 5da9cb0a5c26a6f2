/**
 * The collector service's persistence: saves the core's snapshot to the
 * store, one save at a time, and only after a save resolves runs the
 * acknowledgements that ingest sources declared ready before its snapshot
 * was taken (JetStream acks after apply + save; acks of a failed save run
 * after the next one that succeeds). Timed saves ask {@link Persister.tick},
 * which paces them by what the last one cost (`persist_pacer.ts`).
 *
 * @module
 */
import type { Collector } from "../engine/types.ts";
import type { CollectorStore } from "../store/store.ts";
import { type PersistCost, PersistPacer } from "./persist_pacer.ts";
import type { ServiceMetrics } from "./service_metrics.ts";

/**
 * Something holding deliveries to acknowledge once the state covering them is saved.
 *
 * @example Acknowledge deliveries once the state covering them is saved
 * ```ts
 * import assert from "node:assert/strict";
 * import { createCollector } from "../engine/collector.ts";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { memoryStore } from "../store/store.ts";
 * import { type AckSource, createCollectorService } from "./service.ts";
 * const lease = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const service = createCollectorService(createCollector({ specs: [lease] }), { store: memoryStore() });
 * let acked = 0;
 * const source: AckSource = { ready: () => [() => void acked++] };
 * service.addAckSource(source);
 * await service.persist();
 * assert.equal(acked, 1);
 * await service.stop();
 * ```
 */
export interface AckSource {
  /**
   * Called synchronously just before a snapshot is taken: returns the
   * acknowledgements that the snapshot covers (run after the save resolves).
   */
  ready(): readonly (() => void)[];
}

/** What {@link Persister} works with. */
export interface PersisterOptions {
  /** The core whose snapshot is saved. */
  readonly collector: Collector;
  /** Where snapshots go; none: nothing is saved (acks run at once). */
  readonly store?: CollectorStore;
  /** The ingest sources whose acks wait for a save (the set is read at each save). */
  readonly sources: ReadonlySet<AckSource>;
  /** Counts saves and failed saves. */
  readonly metrics: Pick<ServiceMetrics, "persisted" | "persistFailed">;
  /** How often timed saves are asked for, ms. */
  readonly periodMs: number;
  /** Share of the thread saves may hold (`PersistPacer`); default its own. */
  readonly share?: number;
  /** Wall clock, ms (save times and `lastSaveAt`). */
  readonly now: () => number;
  /** Pacing clock, ms (monotonic where it can be). */
  readonly clock: () => number;
  /** Told of a failed save (after it is counted and recorded as `error`). */
  readonly onError: (error: unknown) => void;
}

/**
 * Saves snapshots and runs the acks that wait for them (see the module doc).
 *
 * @example Without a store, a persist runs the ready acks at once
 * ```ts ignore
 * const p = new Persister({ collector, sources, metrics, periodMs: 250, now: Date.now,
 *   clock: () => performance.now(), onError: console.error });
 * await p.persist();
 * ```
 */
export class Persister {
  readonly #o: PersisterOptions;
  readonly #pacer: PersistPacer;
  #running: Promise<void> | null = null;
  /** Applied events and batches at the last save (-1: none yet). */
  #lastSaved = -1;
  #lastSaveAt = 0;
  #error: string | null = null;
  /** Acks whose save failed: they run after the next successful save. */
  #carried: (() => void)[] = [];
  /** When the next `tick` is expected: how late it comes tells a busy thread. */
  #expected: number;

  constructor(options: PersisterOptions) {
    this.#o = options;
    this.#pacer = new PersistPacer({
      periodMs: options.periodMs,
      ...(options.share === undefined ? {} : { share: options.share }),
    });
    this.#expected = options.clock() + options.periodMs;
  }

  /** The last save's failure, or null once a save succeeded (or none failed). */
  get error(): string | null {
    return this.#error;
  }

  /** Wall time of the last successful save, ms (0: none yet). */
  get lastSaveAt(): number {
    return this.#lastSaveAt;
  }

  /** The timer starts (again): the next {@link tick} is expected one period from now. */
  timerStarted(): void {
    this.#expected = this.#o.clock() + this.#o.periodMs;
  }

  /**
   * The timer's call: a timed save starts unless one runs, the last one's
   * cost asks for more room, or the thread is behind (this call came late).
   */
  tick(): void {
    const t = this.#o.clock();
    const lag = Math.max(0, t - this.#expected);
    this.#expected = t + this.#o.periodMs;
    if (this.#pacer.due(t, lag)) void this.persist();
  }

  /** Saves (after any save running now) and then runs the ready acks; never rejects. */
  persist(): Promise<void> {
    this.#pacer.started(this.#o.clock());
    let cost: PersistCost | null = null;
    const run = (this.#running ?? Promise.resolve()).then(() => this.#once())
      .then((c) => void (cost = c))
      .finally(() => this.#pacer.finished(cost))
      .then(
        () => void (this.#error = null),
        (e) => {
          this.#error = String((e as Error)?.message ?? e);
          this.#o.metrics.persistFailed();
          this.#o.onError(e);
        },
      );
    this.#running = run;
    return run;
  }

  /** Saves if something changed, then acks; what the save cost (null: nothing saved). */
  async #once(): Promise<PersistCost | null> {
    const { collector, store, clock, now } = this.#o;
    const acks = this.#carried;
    this.#carried = [];
    for (const s of this.#o.sources) for (const ack of s.ready()) acks.push(ack);
    const applied = collector.metrics().applied + collector.metrics().batches;
    let cost: PersistCost | null = null;
    if (store !== undefined && (applied !== this.#lastSaved || acks.length > 0)) {
      const t0 = now();
      const startedAt = clock();
      let heldMs = 0;
      try {
        const saved = store.save(collector.snapshot());
        // The snapshot and the store's work up to its first wait held the thread.
        heldMs = clock() - startedAt;
        await saved;
      } catch (e) {
        this.#carried = acks.concat(this.#carried);
        throw e;
      }
      this.#lastSaved = applied;
      this.#lastSaveAt = now();
      this.#o.metrics.persisted(this.#lastSaveAt - t0);
      cost = { startedAt, endedAt: clock(), heldMs };
    }
    for (const ack of acks) ack();
    return cost;
  }
}
