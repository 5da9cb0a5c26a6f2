/**
 * The collector's Prometheus metrics: the service's own counters (batches by
 * source and outcome, violations by property, persistence, alert
 * deliveries) and, refreshed at each scrape, the core's counters and gauges.
 * `docs/operations.md` explains each one.
 *
 * @module
 */
import { createRegistry, type Labels, type Metric, type Registry } from "./metrics.ts";
import type { RejectReason } from "./ingest_problem.ts";
import type { Collector, Violation } from "../engine/types.ts";

/**
 * The metrics of one collector service.
 *
 * @example Accepted batches in the exposition
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
 * import { parsePrometheus } from "./metrics.ts";
 * import { createCollectorService } from "./service.ts";
 * import type { ServiceMetrics } from "./service_metrics.ts";
 * const service = createCollectorService(createCollector({ specs: [lease] }));
 * service.ingestBytes(acquire("api-1", 1), "http");
 * const metrics: ServiceMetrics = service.metrics;
 * const events = parsePrometheus(metrics.render()).find((s) => s.name === "vigil_events_accepted_total");
 * assert.equal(events?.value, 1);
 * await service.stop();
 * ```
 */
export interface ServiceMetrics {
  /** The registry every metric of the service lives in. */
  readonly registry: Registry;
  /** Counts a batch accepted from `source` (`http`, `nats`, ...) and its events. */
  accepted(source: string, events: number): void;
  /** Counts a batch refused from `source`, by reason. */
  rejected(source: string, reason: RejectReason): void;
  /** Counts a violation, by spec and property. */
  violation(v: Violation): void;
  /** Records a successful save of the state and how long it took, ms. */
  persisted(ms: number): void;
  /** Counts a failed save of the state. */
  persistFailed(): void;
  /** Counts an alert delivery to `route`, by outcome. */
  alertDelivered(route: string, ok: boolean): void;
  /** Counts an unexpected exception caught at `where` (a timer, a handler, an ingest). */
  internalError(where: string): void;
  /** Sets a gauge reported by an ingest source (e.g. JetStream pending). */
  gauge(name: "jetstream_pending" | "jetstream_ack_pending" | "ack_waiting", value: number): void;
  /** Samples per-node event counters (call once a second). */
  sampleRates(at?: number): void;
  /** Events per second of each node, from the last two samples. */
  nodeRates(): ReadonlyMap<string, number>;
  /** The text exposition. */
  render(): string;
  /** Rejected batches by reason, all sources. */
  rejectedBy(reason: RejectReason): number;
}

type CoreMetrics = ReturnType<Collector["metrics"]>;
/** The core's numeric counters and gauges. */
type CoreKey = {
  [K in keyof CoreMetrics]: CoreMetrics[K] extends number ? K : never;
}[keyof CoreMetrics];

const CORE_COUNTERS: readonly [CoreKey, string, string][] = [
  ["events", "vigil_events_accepted", "Unique events accepted by the core (duplicates excluded)"],
  ["applied", "vigil_events_applied", "Events applied in merged order"],
  ["duplicates", "vigil_duplicate_events", "Events received again (same node, boot, sequence)"],
  ["late", "vigil_late_events", "Events that arrived after their reorder window had closed"],
  ["gaps", "vigil_gaps", "Sequence holes opened (undeclared gaps)"],
  [
    "dropped",
    "vigil_dropped_events",
    "Sequence numbers declared dropped by senders (never also counted lost)",
  ],
  [
    "lost",
    "vigil_lost_events",
    "Sequence numbers never received nor declared dropped (hole timed out or closed at the hole limit)",
  ],
  ["livenessTimeouts", "vigil_liveness_timeouts", "Global liveness deadlines that passed"],
  ["localVerdicts", "vigil_local_verdicts", "Events whose node-local verdict was not ok"],
  [
    "converted",
    "vigil_converted_events",
    "Events of an older spec version whose state was converted to the newest layout",
  ],
  [
    "unconvertible",
    "vigil_unconvertible_events",
    "Events of an older spec version whose state could not be converted (partition mixed)",
  ],
  ["unknownVersion", "vigil_unknown_version_batches", "Batches of a spec version not served"],
  ["retiredStreams", "vigil_retired_streams", "Streams of a retired version left out at restore"],
  [
    "causalLaneDrops",
    "vigil_causal_lane_drops",
    "Causal verdicts: intervals dropped at a lane's cap before every judgement that could meet them",
  ],
  [
    "causalApproximatedEnds",
    "vigil_causal_approximated_ends",
    "Causal verdicts: intervals an older event started whose end may be later than the real one",
  ],
  [
    "causalStampsRefused",
    "vigil_causal_stamps_refused",
    "Causal verdicts: dependencies refused, their stamp not before the event naming them",
  ],
  [
    "retiredParticipants",
    "vigil_retired_participants",
    "Participants of nodes silent past --retire-idle retired at rest",
  ],
  ["retiredNodes", "vigil_retired_nodes", "Nodes retired once no participant of theirs was left"],
  [
    "causalStampsOfRetired",
    "vigil_causal_stamps_of_retired",
    "Causal verdicts: dependencies naming a retired node, not recorded (since start)",
  ],
  [
    "causalClockAhead",
    "vigil_causal_clock_ahead",
    "Causal verdicts: nodes whose walls led every other's by more than 2S and the window (since start)",
  ],
];

const CORE_GAUGES: readonly [CoreKey, string, string][] = [
  ["buffered", "vigil_buffered_events", "Events waiting in reorder windows"],
  ["nodes", "vigil_nodes", "Nodes seen"],
  ["streams", "vigil_streams", "Event streams (spec, node, boot) seen"],
  [
    "mixedPartitions",
    "vigil_mixed_partitions",
    "Partitions with a state not convertible to the newest version",
  ],
  ["nodeTombstones", "vigil_node_tombstones", "Tombstones of retired nodes' streams kept"],
  [
    "idleHoldingParticipants",
    "vigil_idle_holding_participants",
    "Participants of nodes silent past --retire-idle kept: not at rest (possible zombie holders)",
  ],
];

/**
 * Creates the metrics of a service around `collector`.
 *
 * @example Count a refused batch
 * ```ts ignore
 * const m = createServiceMetrics(collector, Date.now);
 * m.rejected("http", "malformed");
 * m.render().includes('vigil_batches_rejected_total{reason="malformed",source="http"} 1');
 * ```
 */
export function createServiceMetrics(collector: Collector, now: () => number): ServiceMetrics {
  const r = createRegistry();
  const received = r.counter("vigil_events_received", "Events in accepted batches, by source");
  const batches = r.counter("vigil_batches_accepted", "Batches accepted, by source");
  const rejected = r.counter("vigil_batches_rejected", "Batches refused, by source and reason");
  const violations = r.counter("vigil_violations", "Violations raised, by spec, property, kind");
  const core = new Map<CoreKey, Metric>();
  for (const [k, name, help] of CORE_COUNTERS) core.set(k, r.counter(name, help));
  for (const [k, name, help] of CORE_GAUGES) core.set(k, r.gauge(name, help));
  const partitions = r.gauge(
    "vigil_partitions",
    "Partitions by status (ok, violated, unknown, mixed)",
  );
  const byLimit = r.counter(
    "vigil_limit_refusals",
    "Batches the core refused because admitting them would pass a limit, by limit",
  );
  const lag = r.gauge("vigil_ingest_lag_seconds", "Age of the oldest event waiting to be applied");
  const intervals = r.gauge(
    "vigil_causal_intervals",
    "Causal verdicts: state intervals the judge's lanes hold (pruned 4S plus the window behind)",
  );
  const pending = r.gauge("vigil_jetstream_pending_messages", "Messages not yet delivered");
  const ackPending = r.gauge("vigil_jetstream_ack_pending_messages", "Delivered, unacked");
  const ackWaiting = r.gauge("vigil_ack_waiting_messages", "Held until applied and saved");
  const saves = r.counter("vigil_persist", "Snapshots saved");
  const saveErrors = r.counter("vigil_persist_errors", "Snapshot saves that failed");
  const saveSeconds = r.gauge("vigil_persist_last_seconds", "Duration of the last save");
  const deliveries = r.counter("vigil_alert_deliveries", "Alert deliveries by route, outcome");
  const internal = r.counter(
    "vigil_internal_errors",
    "Unexpected exceptions caught (logged), by where they were caught",
  );
  const rates = new Map<string, number>();
  const lastCount = new Map<string, number>();
  let lastSample = now();
  let sampled = false;

  r.onCollect(() => {
    const m = collector.metrics();
    for (const [k, metric] of core) metric.set({}, m[k]);
    lag.set({}, m.lagMs / 1000);
    // A pass over every lane: read here, once per scrape, not in metrics() (read several times a second).
    intervals.set({}, collector.causalIntervals());
    for (const [limit, n] of Object.entries(m.refusedByLimit ?? {})) byLimit.set({ limit }, n);
    // One status scan each (no partition view built); ok is the rest.
    const all = collector.partitionsPage({ limit: 1 }).total;
    let others = 0;
    for (const status of ["violated", "unknown", "mixed"] as const) {
      const n = collector.partitionsPage({ status, limit: 1 }).total;
      partitions.set({ status }, n);
      others += n;
    }
    partitions.set({ status: "ok" }, all - others);
  });

  /** One frozen `{ source }` per source: the counters key it once (every batch counts). */
  const sourceLabels = new Map<string, Labels>();
  const bySource = (source: string): Labels => {
    let labels = sourceLabels.get(source);
    if (labels === undefined) sourceLabels.set(source, labels = Object.freeze({ source }));
    return labels;
  };

  return {
    registry: r,
    accepted(source, events) {
      const labels = bySource(source);
      batches.inc(labels);
      received.inc(labels, events);
    },
    rejected: (source, reason) => rejected.inc({ source, reason }),
    violation(v) {
      violations.inc({ spec: v.specName, property: v.property.name, kind: v.kind });
    },
    persisted(ms) {
      saves.inc();
      saveSeconds.set({}, ms / 1000);
    },
    persistFailed: () => saveErrors.inc(),
    alertDelivered: (route, ok) => deliveries.inc({ route, outcome: ok ? "ok" : "failed" }),
    internalError: (where) => internal.inc({ where }),
    gauge(name, value) {
      (name === "jetstream_pending" ? pending : name === "ack_waiting" ? ackWaiting : ackPending)
        .set({}, value);
    },
    sampleRates(at) {
      const t = at ?? now();
      const dt = Math.max(1, t - lastSample) / 1000;
      lastSample = t;
      // The first sample starts every node present (a restored state must not spike); a node
      // seen later starts from 0, so its first events count in its first rate.
      const present = new Set<string>();
      for (const n of collector.nodes()) {
        const before = lastCount.get(n.node) ?? (sampled ? 0 : n.events);
        rates.set(n.node, (n.events - before) / dt);
        lastCount.set(n.node, n.events);
        present.add(n.node);
      }
      // A node the collector retired (`--retire-idle`) leaves the rates too: churn must not grow them.
      for (const node of lastCount.keys()) {
        if (!present.has(node)) {
          lastCount.delete(node);
          rates.delete(node);
        }
      }
      sampled = true;
    },
    nodeRates: () => rates,
    render: () => r.render(),
    rejectedBy(reason) {
      let n = 0;
      for (const source of ["http", "nats", "jetstream"]) n += rejected.get({ source, reason });
      return n;
    },
  };
}
