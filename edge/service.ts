/**
 * The collector service: one {@link Collector} with what surrounds it in a
 * running collector, shared by the HTTP app and the NATS ingest. It
 * - counts every batch accepted or refused, by source and reason;
 * - advances the core on a short timer (`tickMs`), so an event is applied
 *   about one reorder window after its arrival and a violation is routed the
 *   moment the core raises it (alert router, SSE hubs);
 * - persists the core's snapshot on a timer (`persistMs`) and, only after a
 *   save resolves, runs the acknowledgements that ingest sources declared
 *   ready before the snapshot was taken (JetStream acks after apply + save);
 * - samples per-node event rates once a second.
 *
 * Web-standard only (timers, no `Deno.*`).
 *
 * @module
 */
import { type AlertRouter, type AlertRouterOptions, createAlertRouter } from "./alerts.ts";
import { InvalidBatchError, UnknownSpecError } from "./errors.ts";
import type { RejectReason } from "./problem.ts";
import { createSseHub, type SseHub } from "./sse.ts";
import type { CollectorStore } from "./store.ts";
import type { Collector, IngestResult, Violation } from "./types.ts";
import type { DecodedBatch } from "../runtime/event.ts";
import { decodeReference, WireFormatError } from "../runtime/codec.ts";
import { decodeColumns, WireColumns } from "../runtime/wire_columns.ts";
import { summary } from "./summary.ts";
import { createServiceMetrics, type ServiceMetrics } from "./service_metrics.ts";

/** Where a batch came from (a metrics label). */
export type IngestSource = "http" | "nats" | "jetstream";

/** Something holding deliveries to acknowledge once the state covering them is saved. */
export interface AckSource {
  /**
   * Called synchronously just before a snapshot is taken: returns the
   * acknowledgements that the snapshot covers (run after the save resolves).
   */
  ready(): readonly (() => void)[];
}

/** Options of {@link createCollectorService}. */
export interface CollectorServiceOptions {
  /** Where snapshots go. Default: none (nothing persisted). */
  readonly store?: CollectorStore;
  /** Alert routes besides SSE (webhooks, NATS publish). */
  readonly alerts?: Omit<AlertRouterOptions, "onDelivery">;
  /** Advance the core this often, ms. Default 10. */
  readonly tickMs?: number;
  /** Save a snapshot this often when something changed, ms. Default 250. */
  readonly persistMs?: number;
  /** SSE keep-alive, ms. Default 15 000. */
  readonly keepAliveMs?: number;
  /** Dashboard summary push period, ms. Default 1000. */
  readonly summaryMs?: number;
  /** Clock for rates and health, ms. Default `Date.now`. */
  readonly now?: () => number;
  /** Reports background failures (persist errors). Default `console.error`. */
  readonly onError?: (error: unknown) => void;
}

/** What a successful ingest answers. */
export type IngestOutcome =
  | { readonly ok: true; readonly result: IngestResult }
  | {
    readonly ok: false;
    readonly reason: RejectReason;
    readonly detail: string;
    readonly where?: string;
  };

/** The running collector around a core. */
export interface CollectorService {
  readonly collector: Collector;
  readonly metrics: ServiceMetrics;
  readonly alerts: AlertRouter<Violation>;
  /** `/api/alerts/stream`: one `alert` event per violation. */
  readonly alertHub: SseHub;
  /** `/api/events/stream`: `violation`, `status`, `gap` and periodic `summary` events. */
  readonly eventHub: SseHub;
  /** Ingests a decoded batch, mapping core refusals to a reason; counts either way. */
  ingest(batch: DecodedBatch, source: IngestSource): IngestOutcome;
  /** Decodes and ingests bytes (wire errors become `malformed`). */
  ingestBytes(bytes: Uint8Array, source: IngestSource): IngestOutcome;
  /** Ingests a batch decoded by `decodeColumns` (the columns are not retained). */
  ingestColumns(columns: WireColumns, source: IngestSource): IngestOutcome;
  /** Counts a batch refused before it reached the core (auth, size). */
  reject(reason: RejectReason, source: IngestSource): void;
  /** Registers an ack source; returns a function removing it. */
  addAckSource(source: AckSource): () => void;
  /** Takes a snapshot, saves it, then runs the acks it covers. Serialized. */
  persist(): Promise<void>;
  /** Events per second of each node over the last sample. */
  nodeRates(): ReadonlyMap<string, number>;
  /** Health: persistence state and uptime. */
  health(): { readonly ok: boolean; readonly detail: Readonly<Record<string, unknown>> };
  /** Starts the advance, persist and rate timers. */
  start(): void;
  /** Stops the timers, applies what is buffered, saves and acks a last time, closes the hubs. */
  stop(): Promise<void>;
}

/**
 * Creates a service around a collector core (timers start with `start()`).
 *
 * @example Serve a collector without timers (tests drive `advance` themselves)
 * ```ts ignore
 * import { createCollector } from "./collector.ts";
 * import { createCollectorService } from "./service.ts";
 * import { memoryStore } from "./store.ts";
 * const service = createCollectorService(createCollector({ specs: [lease] }), { store: memoryStore() });
 * service.ingestBytes(bytes, "http");
 * await service.persist();
 * ```
 */
export function createCollectorService(
  collector: Collector,
  options: CollectorServiceOptions = {},
): CollectorService {
  const now = options.now ?? Date.now;
  const onError = options.onError ?? ((e: unknown) => console.error("vigil collector:", e));
  const metrics = createServiceMetrics(collector, now);
  const alerts = createAlertRouter<Violation>({
    ...options.alerts,
    onDelivery: (route, ok) => metrics.alertDelivered(route, ok),
  });
  const alertHub = createSseHub({ keepAliveMs: options.keepAliveMs ?? 15_000 });
  const eventHub = createSseHub({ keepAliveMs: options.keepAliveMs ?? 15_000 });
  const sources = new Set<AckSource>();
  const startedAt = now();
  const timers: ReturnType<typeof setInterval>[] = [];
  let persisting: Promise<void> | null = null;
  let lastSaved = -1;
  let lastSaveAt = 0;
  let lastSaveMs = 0;
  let inFlight = 0;
  let persistError: string | null = null;

  for (const v of collector.violations()) metrics.violation(v);
  collector.on((ev) => {
    switch (ev.type) {
      case "violation":
        metrics.violation(ev.violation);
        alerts.send(ev.violation);
        break;
      case "status":
      case "gap":
      case "hole":
      case "violation_cleared":
        if (eventHub.clients > 0) eventHub.publish(ev.type, ev);
        break;
    }
  });
  alerts.listen((v) => {
    alertHub.publish("alert", v);
    eventHub.publish("violation", v);
  });

  function outcome(run: () => IngestResult, source: IngestSource, events: number): IngestOutcome {
    try {
      const result = run();
      metrics.accepted(source, events);
      return { ok: true, result };
    } catch (e) {
      if (e instanceof WireFormatError) return refuse("malformed", source, e.message, e.where);
      if (e instanceof UnknownSpecError) return refuse("unknown_spec", source, e.message);
      if (e instanceof InvalidBatchError) return refuse("invalid", source, e.message, e.at);
      throw e;
    }
  }
  function refuse(reason: RejectReason, source: IngestSource, detail: string, where?: string) {
    metrics.rejected(source, reason);
    const o = { ok: false as const, reason, detail };
    return where === undefined ? o : { ...o, where };
  }

  const columns = new WireColumns();

  /** Acks whose save failed: they run after the next successful save. */
  let carried: (() => void)[] = [];

  async function persistOnce(): Promise<void> {
    const acks = carried;
    carried = [];
    for (const s of sources) acks.push(...s.ready());
    const applied = collector.metrics().applied + collector.metrics().batches;
    if (options.store !== undefined && (applied !== lastSaved || acks.length > 0)) {
      const t0 = now();
      const snap = collector.snapshot();
      try {
        await options.store.save(snap);
      } catch (e) {
        carried = acks.concat(carried);
        throw e;
      }
      lastSaved = applied;
      lastSaveAt = now();
      lastSaveMs = lastSaveAt - t0;
      metrics.persisted(lastSaveMs);
    }
    for (const ack of acks) ack();
  }

  const service: CollectorService = {
    collector,
    metrics,
    alerts,
    alertHub,
    eventHub,
    ingest: (batch, source) => outcome(() => collector.ingest(batch), source, batch.events.length),
    ingestColumns: (c, source) => outcome(() => collector.ingestColumns(c), source, c.count),
    ingestBytes(bytes, source) {
      if (decodeColumns(bytes, columns)) return service.ingestColumns(columns, source);
      let batch: DecodedBatch;
      try {
        batch = decodeReference(bytes);
      } catch (e) {
        if (e instanceof WireFormatError) return refuse("malformed", source, e.message, e.where);
        throw e;
      }
      return service.ingest(batch, source);
    },
    reject(reason, source) {
      metrics.rejected(source, reason);
    },
    addAckSource(source) {
      sources.add(source);
      return () => sources.delete(source);
    },
    persist() {
      inFlight++;
      const run = (persisting ?? Promise.resolve()).then(persistOnce).finally(() => inFlight--)
        .then(
          () => void (persistError = null),
          (e) => {
            persistError = String((e as Error)?.message ?? e);
            metrics.persistFailed();
            onError(e);
          },
        );
      persisting = run;
      return run;
    },
    nodeRates: () => metrics.nodeRates(),
    health() {
      const ok = persistError === null;
      return {
        ok,
        detail: {
          status: ok ? "ok" : "degraded",
          uptimeSeconds: (now() - startedAt) / 1000,
          store: options.store?.kind ?? "none",
          lastSaveAt: lastSaveAt === 0 ? null : new Date(lastSaveAt).toISOString(),
          persistError,
          specs: [...collector.specs.values()].map((s) => s.meta.name),
        },
      };
    },
    start() {
      if (timers.length > 0) return;
      timers.push(setInterval(() => collector.advance(), options.tickMs ?? 10));
      // A timed save is skipped while one runs, and spaced to at least 4x the
      // last save's duration, so saving takes at most about a fifth of the time.
      timers.push(setInterval(() => {
        if (inFlight > 0 || now() - lastSaveAt < 4 * lastSaveMs) return;
        void service.persist();
      }, options.persistMs ?? 250));
      timers.push(setInterval(() => {
        metrics.sampleRates();
        if (eventHub.clients > 0) eventHub.publish("summary", summary(collector, metrics));
      }, options.summaryMs ?? 1000));
    },
    async stop() {
      for (const t of timers.splice(0)) clearInterval(t);
      collector.flush();
      await service.persist();
      alertHub.close();
      eventHub.close();
    },
  };
  return service;
}
