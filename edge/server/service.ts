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
 *   a timed persist waits while the last one's hold on the JS thread is
 *   over `persistShare` of the time since it started, while its save took
 *   longer than the time since it ended, or while the thread is behind
 *   (the persist timer came late), at most 1 s (`persist_pacer.ts`);
 * - samples per-node event rates once a second, and keeps the dashboard's
 *   rates over time (`edge/server/rates.ts`: events/s of the busiest nodes,
 *   refused batches/s by reason, lag, violations), pushed to the event
 *   stream as `rates` one sample at a time;
 * - takes every carrier's batches through one function, `ingestBytes`:
 *   the bytes are decoded straight into columns (`decodeToColumns`, which
 *   falls back to the reference decoder for encodings the fast reader
 *   declines) and the columns applied (`Collector.ingestColumns`), with no
 *   object per event;
 * - never lets an unexpected exception out: every timer callback and
 *   listener is guarded, and an ingest that fails unexpectedly is refused
 *   with reason `internal`. Such an exception is counted in
 *   `vigil_internal_errors_total{where}` and logged;
 * - logs refusals where an operator sees them: the first refusal of each
 *   (source, reason) at once with its detail, later ones at most once a
 *   minute per (source, reason) as a count (`edge/server/log_throttle.ts`).
 *
 * Web-standard only (timers, no `Deno.*`).
 *
 * @module
 */
import { type AlertRouter, type AlertRouterOptions, createAlertRouter } from "./alerts.ts";
import { InvalidBatchError, LimitError, UnknownSpecError } from "../engine/errors.ts";
import { createThrottledLog } from "./log_throttle.ts";
import type { RejectReason } from "./ingest_problem.ts";
import { createSseHub, type SseHub } from "./sse.ts";
import type { CollectorStore } from "../store/store.ts";
import type { Collector, IngestResult, Violation } from "../engine/types.ts";
import type { StreamId } from "../../lib/wire/event.ts";
import { decodeToColumns, WireFormatError } from "../../lib/wire/decode.ts";
import { WireColumns } from "../../lib/wire/columns.ts";
import { summary } from "./summary.ts";
import { createRateRing, type RateRing } from "./rates.ts";
import { createServiceMetrics, type ServiceMetrics } from "./service_metrics.ts";
import { type AckSource, Persister } from "./persister.ts";
import { judgeRefusals } from "./judge_refusals.ts";

/**
 * Where a batch came from (a metrics label).
 *
 * @example Batches counted by where they came from
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { encodeBatch } from "../../lib/wire/encode.ts";
 * import { createCollector } from "../engine/collector.ts";
 * const lease = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const acquire = (node: string, c: number) => {
 *   const inst = lease.create();
 *   const action = lease.actionIndex("acquire");
 *   const verdict = lease.stepFn(action)(inst, c);
 *   const header = { spec: lease.meta.sourceHash, specName: "Lease", node, boot: "b1", firstSeq: 0, dropped: [] };
 *   const state = lease.stateBytes(inst);
 *   return encodeBatch(header, [{ key: "lock:a", wall: 1_000, logical: 0, action, args: [c], state, verdict }]);
 * };
 * import { createCollectorService, type IngestSource } from "./service.ts";
 * const service = createCollectorService(createCollector({ specs: [lease] }), { onLog: () => {} });
 * const source: IngestSource = "http";
 * service.ingestBytes(acquire("api-1", 1), source);
 * assert.match(service.metrics.render(), /source="http"/);
 * await service.stop();
 * ```
 */
export type IngestSource = "http" | "nats" | "jetstream";

export type { AckSource } from "./persister.ts";

/**
 * Options of {@link createCollectorService}.
 *
 * @example Persist to memory, log nowhere
 * ```ts
 * import assert from "node:assert/strict";
 * import { createCollector } from "../engine/collector.ts";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { memoryStore } from "../store/store.ts";
 * import { createCollectorService, type CollectorServiceOptions } from "./service.ts";
 * const lease = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const store = memoryStore();
 * const options: CollectorServiceOptions = { store, persistMs: 1_000, onLog: () => {} };
 * const service = createCollectorService(createCollector({ specs: [lease] }), options);
 * await service.persist();
 * assert.equal(store.saves, 1);
 * await service.stop();
 * ```
 */
export interface CollectorServiceOptions {
  /** Where snapshots go. Default: none (nothing persisted). */
  readonly store?: CollectorStore;
  /** Alert routes besides SSE (webhooks, NATS publish). */
  readonly alerts?: Omit<AlertRouterOptions, "onDelivery">;
  /** Advance the core this often, ms. Default 10. */
  readonly tickMs?: number;
  /** Save a snapshot this often when something changed, ms. Default 250. */
  readonly persistMs?: number;
  /**
   * Share of the JS thread timed saves may hold (taking the snapshot and
   * the store's synchronous work), in (0, 1]: after a save that held the
   * thread for `h` ms, the next timed one waits until `h / persistShare`
   * ms after its start (at most 1 s, or `persistMs` when longer). Default
   * 0.02.
   */
  readonly persistShare?: number;
  /** SSE keep-alive, ms. Default 15 000. */
  readonly keepAliveMs?: number;
  /** Dashboard summary push period, ms. Default 1000. */
  readonly summaryMs?: number;
  /** Clock for rates, health and the persists' pacing, ms. Default `Date.now` (pacing: `performance.now`). */
  readonly now?: () => number;
  /** Reports each failed save. Default: a log line (at most one a minute after the first). */
  readonly onError?: (error: unknown) => void;
  /** Where refusal and internal-error lines go. Default `console.error`. */
  readonly onLog?: (line: string) => void;
  /** Least time between two log lines about one kind of refusal or internal error, ms. Default 60 000. */
  readonly logIntervalMs?: number;
}

/**
 * What a refusal's log line says about the batch (all optional).
 *
 * @example Count a batch refused before the core
 * ```ts
 * import assert from "node:assert/strict";
 * import { createCollector } from "../engine/collector.ts";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { createCollectorService, type RefusalInfo } from "./service.ts";
 * const lease = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const lines: string[] = [];
 * const service = createCollectorService(createCollector({ specs: [lease] }), { onLog: (l) => void lines.push(l) });
 * const info: RefusalInfo = { detail: "Body over 1 MiB", node: "api-1" };
 * service.reject("too_large", "http", info);
 * assert.equal(service.metrics.rejectedBy("too_large"), 1);
 * assert.equal(lines.length, 1);
 * await service.stop();
 * ```
 */
export interface RefusalInfo {
  /** Why, in words (the problem's `detail`). */
  readonly detail?: string;
  /** The batch's node, or the node its token names. */
  readonly node?: string;
  /** Where in the batch (the problem's `where`). */
  readonly where?: string;
  /** The collector limit passed (`limit` refusals). */
  readonly limit?: string;
}

/**
 * Which batch some bytes decoded to: its stream, first sequence number and number of events.
 *
 * @example Which batch some bytes were
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { encodeBatch } from "../../lib/wire/encode.ts";
 * import { createCollector } from "../engine/collector.ts";
 * const lease = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const acquire = (node: string, c: number) => {
 *   const inst = lease.create();
 *   const action = lease.actionIndex("acquire");
 *   const verdict = lease.stepFn(action)(inst, c);
 *   const header = { spec: lease.meta.sourceHash, specName: "Lease", node, boot: "b1", firstSeq: 0, dropped: [] };
 *   const state = lease.stateBytes(inst);
 *   return encodeBatch(header, [{ key: "lock:a", wall: 1_000, logical: 0, action, args: [c], state, verdict }]);
 * };
 * import { createCollectorService, type DecodedBatchRef } from "./service.ts";
 * const service = createCollectorService(createCollector({ specs: [lease] }));
 * const seen: DecodedBatchRef[] = [];
 * service.ingestBytes(acquire("api-1", 1), "nats", { onDecoded: (b) => void seen.push(b) });
 * assert.deepEqual(seen.map((b) => [b.stream.node, b.firstSeq, b.count]), [["api-1", 0, 1]]);
 * await service.stop();
 * ```
 */
export interface DecodedBatchRef {
  /** The stream the batch belongs to. */
  readonly stream: StreamId;
  /** Sequence number of the batch's first event. */
  readonly firstSeq: number;
  /** Number of events (numbers `firstSeq` to `firstSeq + count - 1`). */
  readonly count: number;
}

/**
 * Options of {@link CollectorService.ingestBytes}.
 *
 * @example A node may only send its own batches
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { encodeBatch } from "../../lib/wire/encode.ts";
 * import { createCollector } from "../engine/collector.ts";
 * const lease = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const acquire = (node: string, c: number) => {
 *   const inst = lease.create();
 *   const action = lease.actionIndex("acquire");
 *   const verdict = lease.stepFn(action)(inst, c);
 *   const header = { spec: lease.meta.sourceHash, specName: "Lease", node, boot: "b1", firstSeq: 0, dropped: [] };
 *   const state = lease.stateBytes(inst);
 *   return encodeBatch(header, [{ key: "lock:a", wall: 1_000, logical: 0, action, args: [c], state, verdict }]);
 * };
 * import { createCollectorService, type IngestBytesOptions } from "./service.ts";
 * const service = createCollectorService(createCollector({ specs: [lease] }), { onLog: () => {} });
 * const options: IngestBytesOptions = { node: "api-2" };
 * const outcome = service.ingestBytes(acquire("api-1", 1), "http", options);
 * assert.deepEqual(outcome.ok ? null : outcome.reason, "node_mismatch");
 * await service.stop();
 * ```
 */
export interface IngestBytesOptions {
  /**
   * The node the sender authenticated as: a batch of another node is
   * refused (`node_mismatch`) before anything of it is applied.
   */
  readonly node?: string;
  /**
   * Called once the bytes decode, before the batch is checked and applied:
   * tells a carrier that acks or counts per batch which batch it is,
   * whatever happens next.
   */
  readonly onDecoded?: (batch: DecodedBatchRef) => void;
}

/**
 * What an ingest answers: the core's counts, or a refusal.
 *
 * @example Accepted, then refused as malformed
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { encodeBatch } from "../../lib/wire/encode.ts";
 * import { createCollector } from "../engine/collector.ts";
 * const lease = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const acquire = (node: string, c: number) => {
 *   const inst = lease.create();
 *   const action = lease.actionIndex("acquire");
 *   const verdict = lease.stepFn(action)(inst, c);
 *   const header = { spec: lease.meta.sourceHash, specName: "Lease", node, boot: "b1", firstSeq: 0, dropped: [] };
 *   const state = lease.stateBytes(inst);
 *   return encodeBatch(header, [{ key: "lock:a", wall: 1_000, logical: 0, action, args: [c], state, verdict }]);
 * };
 * import { createCollectorService, type IngestOutcome } from "./service.ts";
 * const service = createCollectorService(createCollector({ specs: [lease] }), { onLog: () => {} });
 * const ok: IngestOutcome = service.ingestBytes(acquire("api-1", 1), "http");
 * const bad: IngestOutcome = service.ingestBytes(new Uint8Array([0xc1]), "http");
 * assert.deepEqual([ok.ok, bad.ok ? null : bad.reason], [true, "malformed"]);
 * await service.stop();
 * ```
 */
export type IngestOutcome =
  | { readonly ok: true; readonly result: IngestResult }
  | {
    readonly ok: false;
    readonly reason: RejectReason;
    readonly detail: string;
    readonly where?: string;
    /** The collector limit passed (reason `limit`). */
    readonly limit?: string;
  };

/**
 * The running collector around a core.
 *
 * @example Two holders raise one violation
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { encodeBatch } from "../../lib/wire/encode.ts";
 * import { createCollector } from "../engine/collector.ts";
 * const lease = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const acquire = (node: string, c: number) => {
 *   const inst = lease.create();
 *   const action = lease.actionIndex("acquire");
 *   const verdict = lease.stepFn(action)(inst, c);
 *   const header = { spec: lease.meta.sourceHash, specName: "Lease", node, boot: "b1", firstSeq: 0, dropped: [] };
 *   const state = lease.stateBytes(inst);
 *   return encodeBatch(header, [{ key: "lock:a", wall: 1_000, logical: 0, action, args: [c], state, verdict }]);
 * };
 * import { type CollectorService, createCollectorService } from "./service.ts";
 * const service: CollectorService = createCollectorService(createCollector({ specs: [lease], windowMs: 0 }));
 * service.ingestBytes(acquire("api-1", 1), "http");
 * service.ingestBytes(acquire("api-2", 2), "http");
 * service.collector.flush();
 * assert.equal(service.collector.violations()[0]?.property.name, "OneHolder");
 * await service.stop();
 * ```
 */
export interface CollectorService {
  /** The collector core the service drives. */
  readonly collector: Collector;
  /** The service's metrics. */
  readonly metrics: ServiceMetrics;
  /** Routes violations to webhooks and NATS. */
  readonly alerts: AlertRouter<Violation>;
  /** `/api/alerts/stream`: one `alert` event per violation. */
  readonly alertHub: SseHub;
  /** `/api/events/stream`: `violation`, `status`, `gap` and periodic `summary` and `rates` events. */
  readonly eventHub: SseHub;
  /** The rates over time (`GET /api/rates`), one sample per summary period. */
  readonly rates: RateRing;
  /**
   * The one ingest path of every carrier: decodes one batch straight into
   * columns and applies them (`Collector.ingestColumns`), mapping wire
   * errors to `malformed` and core refusals to their reason; counts and
   * logs either way. Never throws: an unexpected error is refused as
   * `internal`.
   */
  ingestBytes(
    bytes: Uint8Array,
    source: IngestSource,
    options?: IngestBytesOptions,
  ): IngestOutcome;
  /** Counts (and logs, see the module doc) a batch refused before it reached the core (auth, size). */
  reject(reason: RejectReason, source: IngestSource, info?: RefusalInfo): void;
  /**
   * Counts an unexpected exception in `vigil_internal_errors_total{where}`
   * and logs it (the first of each `where` with its stack, later ones as a
   * count at most once a minute). Never throws.
   */
  internalError(where: string, error: unknown): void;
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
 * import { createCollector } from "../engine/collector.ts";
 * import { createCollectorService } from "./service.ts";
 * import { memoryStore } from "../store/store.ts";
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
  const metrics = createServiceMetrics(collector, now);
  const log = createThrottledLog({
    othersLine: (n, secs) =>
      `vigil collector: refused ${n} more batches of other nodes and reasons in the last ${secs} s`,
    ...(options.onLog === undefined ? {} : { onLog: options.onLog }),
    ...(options.logIntervalMs === undefined ? {} : { intervalMs: options.logIntervalMs }),
    now,
  });
  /** One line, unthrottled: the engine says each retirement sweep and each idle holder once. */
  const logLine = options.onLog ?? ((line: string) => console.error(line));
  const internalError = (where: string, error: unknown) => {
    try {
      metrics.internalError(where);
      log.note(
        `internal/${where}`,
        () =>
          `vigil collector: internal error in ${where} (counted in vigil_internal_errors_total): ${
            describe(error)
          }`,
        (n, secs) =>
          `vigil collector: ${n} more internal error${
            n === 1 ? "" : "s"
          } in ${where} in the last ${secs} s`,
      );
    } catch {
      // Counting and logging must never throw in turn.
    }
  };
  /** Runs `fn`, turning an exception into a counted, logged internal error. */
  const guard = (where: string, fn: () => void) => () => {
    try {
      fn();
    } catch (e) {
      internalError(where, e);
    }
  };
  const onError = options.onError ?? ((e: unknown) =>
    log.note(
      "persist",
      () => `vigil collector: saving the state failed: ${describe(e)}`,
      (n, secs) =>
        `vigil collector: ${n} more failed save${n === 1 ? "" : "s"} in the last ${secs} s`,
    ));
  const alerts = createAlertRouter<Violation>({
    ...options.alerts,
    onDelivery: (route, ok) => metrics.alertDelivered(route, ok),
    onError: (e) => internalError("alerts", e),
  });
  const keepAliveMs = options.keepAliveMs ?? 15_000;
  const hubError = (e: unknown) => internalError("sse", e);
  const alertHub = createSseHub({ keepAliveMs, onError: hubError });
  const eventHub = createSseHub({ keepAliveMs, onError: hubError });
  const sources = new Set<AckSource>();
  const rateRing = createRateRing({ intervalMs: options.summaryMs ?? 1000 });
  const startedAt = now();
  const timers: ReturnType<typeof setInterval>[] = [];
  const persister = new Persister({
    collector,
    ...(options.store === undefined ? {} : { store: options.store }),
    sources,
    metrics,
    periodMs: options.persistMs ?? 250,
    ...(options.persistShare === undefined ? {} : { share: options.persistShare }),
    now,
    // The pacing clock: the injected one, else a monotonic one with sub-millisecond steps.
    clock: options.now ?? (() => performance.now()),
    onError: (e) => guard("persist", () => onError(e))(),
  });

  for (const v of collector.violations()) metrics.violation(v);
  collector.on((ev) => {
    try {
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
        case "retired":
          logLine(
            `vigil collector: retired ${ev.participants} participant${
              ev.participants === 1 ? "" : "s"
            } and ${ev.nodes} node${
              ev.nodes === 1 ? "" : "s"
            } silent past --retire-idle (${ev.tombstones} tombstones kept, ${ev.idleHolding} idle participants holding a state)`,
          );
          break;
        case "clock_ahead":
          log.note(
            "causal/clock_ahead",
            () =>
              `vigil collector: node '${ev.node}' sends walls ${
                Math.round(ev.aheadMs)
              } ms ahead of every other node's, more than twice --max-skew and the window (its clock is off by more than the bound: causal verdicts order its events too early; counted in vigil_causal_clock_ahead)`,
            (n, secs) =>
              `vigil collector: causal verdicts found ${n} more node${
                n === 1 ? "" : "s"
              } ahead of the others in the last ${secs} s (vigil_causal_clock_ahead)`,
          );
          break;
        case "idle_holding":
          logLine(
            `vigil collector: node '${ev.node}' silent for ${
              Math.round(ev.idleMs / 1000)
            } s still holds a state in partition '${ev.partition.specName}/${ev.partition.key}' (not the initial state, or a deadline or episode open): kept, not retired (vigil_idle_holding_participants)`,
          );
          break;
      }
    } catch (e) {
      internalError("listener", e);
    }
  });
  alerts.listen((v) => {
    alertHub.publish("alert", v, { id: v.id });
    eventHub.publish("violation", v, { id: v.id });
  });

  function refuse(reason: RejectReason, source: IngestSource, info: RefusalInfo): IngestOutcome {
    service.reject(reason, source, info);
    return {
      ok: false,
      reason,
      detail: info.detail ?? "",
      ...(info.where === undefined ? {} : { where: info.where }),
      ...(info.limit === undefined ? {} : { limit: info.limit }),
    };
  }
  /** The refusal of an ingest that threw `e`: a known refusal, or `internal`. */
  function refusal(e: unknown, source: IngestSource, node: string | undefined): IngestOutcome {
    const n = node === undefined || node === "" ? {} : { node };
    if (e instanceof WireFormatError) {
      return refuse("malformed", source, { detail: e.message, where: e.where, ...n });
    }
    if (e instanceof UnknownSpecError) {
      return refuse("unknown_spec", source, { detail: e.message, ...n });
    }
    if (e instanceof InvalidBatchError) {
      return refuse("invalid", source, { detail: e.message, where: e.at, ...n });
    }
    if (e instanceof LimitError) {
      return refuse("limit", source, { detail: e.message, limit: e.limit, ...n });
    }
    internalError("ingest", e);
    return refuse("internal", source, {
      detail: "Unexpected collector error while ingesting; the collector logged it",
      ...n,
    });
  }
  /** Reused by every ingest (the core retains nothing of them). */
  const columns = new WireColumns();

  function ingestBytes(
    bytes: Uint8Array,
    source: IngestSource,
    options: IngestBytesOptions,
  ): IngestOutcome {
    const c = columns;
    try {
      decodeToColumns(bytes, c);
    } catch (e) {
      return refusal(e, source, options.node);
    }
    try {
      options.onDecoded?.({
        stream: { spec: c.spec, specName: c.specName, node: c.node, boot: c.boot },
        firstSeq: c.firstSeq,
        count: c.count,
      });
      const node = options.node;
      if (node !== undefined && c.node !== node) {
        return refuse("node_mismatch", source, {
          detail: `Token of node '${node}' used for node '${c.node}'`,
          node,
        });
      }
      const result = collector.ingestColumns(c);
      metrics.accepted(source, c.count);
      return { ok: true, result };
    } catch (e) {
      return refusal(e, source, c.node);
    }
  }

  const service: CollectorService = {
    collector,
    metrics,
    alerts,
    alertHub,
    eventHub,
    rates: rateRing,
    ingestBytes: (bytes, source, options = {}) => ingestBytes(bytes, source, options),
    reject(reason, source, info = {}) {
      metrics.rejected(source, reason);
      rateRing.refused(reason);
      // One line per source, reason, node (and limit: each one is its own problem to fix); node
      // names are chosen by senders, so the log bounds its keys (others are counted together).
      const key = `${source}/${reason}/${info.node ?? ""}/${info.limit ?? ""}`;
      const from = info.node === undefined ? "" : ` from node '${info.node}'`;
      log.note(
        key,
        () => refusalLine(reason, source, info),
        (n, secs) =>
          `vigil collector: refused ${n} more ${source} batch${
            n === 1 ? "" : "es"
          } (${reason})${from} in the last ${secs} s`,
      );
    },
    internalError,
    addAckSource(source) {
      sources.add(source);
      return () => sources.delete(source);
    },
    persist: () => persister.persist(),
    nodeRates: () => metrics.nodeRates(),
    health() {
      const persistError = persister.error;
      const lastSaveAt = persister.lastSaveAt;
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
      timers.push(setInterval(guard("advance", () => collector.advance()), options.tickMs ?? 10));
      // Timed saves, paced by what the last one cost (persister.ts, persist_pacer.ts).
      persister.timerStarted();
      timers.push(setInterval(guard("persist", () => persister.tick()), options.persistMs ?? 250));
      // The judge's refusals, each said once with its count and summed up after (log_throttle.ts).
      const judged = judgeRefusals.map((r) => ({ ...r, seen: collector.metrics()[r.counter] }));
      const rates = guard("rates", () => {
        const at = now();
        metrics.sampleRates(at);
        const m = collector.metrics();
        for (const r of judged) {
          const count = m[r.counter];
          if (count <= r.seen) continue;
          const grew = count - r.seen;
          r.seen = count;
          log.note(r.key, () => r.first(grew), r.summary);
        }
        const sample = rateRing.sample({
          at,
          nodeRates: metrics.nodeRates(),
          lagMs: m.lagMs,
          violations: m.violations,
        });
        if (eventHub.clients > 0) eventHub.publish("rates", sample, { replay: false });
      });
      const push = guard("summary", () => {
        if (eventHub.clients > 0) {
          eventHub.publish("summary", summary(collector, metrics), { replay: false });
        }
      });
      const flushLog = guard("log", () => log.flush());
      timers.push(setInterval(() => {
        rates();
        push();
        flushLog();
      }, options.summaryMs ?? 1000));
    },
    async stop() {
      for (const t of timers.splice(0)) clearInterval(t);
      guard("flush", () => collector.flush())();
      await service.persist();
      alertHub.close();
      eventHub.close();
      log.flush({ all: true });
    },
  };
  return service;
}

/** An error's stack (or message), for a log line. */
function describe(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

/** The first log line of a kind of refusal. */
function refusalLine(reason: RejectReason, source: IngestSource, info: RefusalInfo): string {
  const article = source === "http" ? "an" : "a";
  const from = info.node === undefined ? "" : ` from node '${info.node}'`;
  const at = info.where === undefined ? "" : ` at '${info.where}'`;
  const limit = info.limit === undefined ? "" : ` (limit '${info.limit}')`;
  const detail = info.detail === undefined || info.detail === "" ? "" : `: ${info.detail}`;
  return `vigil collector: refused ${article} ${source} batch (${reason})${from}${at}${limit}${detail}`;
}
