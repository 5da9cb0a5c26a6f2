/**
 * The collector (`@vigil/vigil/edge`): merge the event streams of many nodes in
 * causal order, check global invariants and liveness, and serve a Hono app
 * (ingest, JSON API, live dashboard, SSE alerts, metrics). Everything here
 * is web-standard except `kvCollectorStore`, which takes a Deno KV handle
 * (`Kv`). The NATS ingest is its own entry, `@vigil/vigil/edge/nats`
 * (`edge/ingest/nats.ts`), so importing this module loads no NATS client.
 *
 * @example Serve a collector over HTTP ingest
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "../lib/abi/loader.ts";
 * import { createCollector, createCollectorApp, readAuth, tokenAuth } from "./mod.ts";
 * const lease = await loadCompiled(new URL("../dist/lease.js", import.meta.url)); // `deno task build`
 * const collector = createCollector({ specs: [lease] });
 * const auth = tokenAuth({ "api-1": "s3cret" });
 * const readers = readAuth(["r3ad"], { ingest: auth });
 * const app = createCollectorApp(collector, { auth, readAuth: readers, keepAliveMs: 0 });
 * assert.equal((await app.request("/healthz")).status, 200);
 * assert.equal((await app.request("/api/summary")).status, 401); // the read side wants a read token
 * // In a process: app.service.start(); Deno.serve({ port: 8080 }, app.fetch);
 * ```
 *
 * @module
 */
export { createCollector, restoreCollector } from "./engine/collector.ts";
export { InvalidBatchError, LimitError, UnknownSpecError } from "./engine/errors.ts";
export { DEFAULT_LIMITS, LIMIT_NAMES } from "./engine/limits.ts";
export {
  createCollectorApp,
  DEFAULT_PAGE_LIMIT,
  MAX_PAGE_LIMIT,
  readPolicy,
} from "./server/app.ts";
export { createCollectorService } from "./server/service.ts";
export { WARM_UP_EVENTS, WARM_UP_MAX_MS, warmUp, warmUpService } from "./server/warm_up.ts";
export { DEFAULT_HEADER_TIMEOUT_MS, serveCollector } from "./server/http_server.ts";
export { decodeBatch, decodeToColumns, WireFormatError } from "../lib/wire/decode.ts";
export { DEFAULT_MAX_ID_BYTES, DEFAULT_MAX_KEY_BYTES } from "../lib/wire/event.ts";
export { DEFAULT_BODY_TIMEOUT_MS, DEFAULT_MAX_BODY_BYTES, handleIngest } from "./ingest/http.ts";
export {
  bearerToken,
  parseReadTokens,
  parseTokens,
  randomToken,
  readAuth,
  tokenAuth,
} from "./server/auth.ts";
export { cookieValue, READ_COOKIE, readAccess, readUnauthorized } from "./server/read_access.ts";
export { createThrottledLog } from "./server/log_throttle.ts";
export { problem } from "./server/ingest_problem.ts";
export { PROBLEM_JSON, PROBLEM_TYPE_BASE, problemResponse } from "../lib/wire/problem.ts";
export { createSseHub, formatSse, SSE_RESET_EVENT, sseId } from "./server/sse.ts";
export { createRateRing } from "./server/rates.ts";
export type {
  RateInput,
  RateRing,
  RateRingOptions,
  RateSample,
  RateWindow,
} from "./server/rates.ts";
export {
  createRegistry,
  escapeLabel,
  parsePrometheus,
  PROMETHEUS_TEXT,
  readHistogram,
} from "./server/metrics.ts";
export { createAlertRouter } from "./server/alerts.ts";
export {
  SIGNATURE_HEADER,
  signBody,
  verifyWebhook,
  WEBHOOK_HEADERS,
  WebhookVerificationError,
} from "./server/webhook_signature.ts";
export { ALERT_SUBJECT_PREFIX, alertSubject } from "../lib/wire/subjects.ts";
export { dashboardHtml } from "./server/dashboard.ts";
export { memoryStore } from "./store/store.ts";
export { kvCollectorStore } from "./store/kv_store.ts";

export type {
  Collector,
  CollectorEvent,
  CollectorListener,
  CollectorMetrics,
  CollectorOptions,
  CollectorSnapshot,
  CutEntry,
  EventInfo,
  EventSnapshot,
  Hlc,
  IngestResult,
  MixedEntry,
  NodeInfo,
  NodeVersion,
  Page,
  PageOptions,
  ParticipantSnapshot,
  PartitionInfo,
  PartitionKey,
  PartitionSnapshot,
  PartitionStatus,
  PropertyRef,
  StreamSnapshot,
  TombstoneSnapshot,
  Violation,
} from "./engine/types.ts";
export type {
  CausalPartitionPart,
  CausalPartitionSnapshot,
  CausalSnapshot,
  EpisodeSnapshot,
  FoundSnapshot,
  IntervalRow,
} from "./engine/causal/causal_snapshot.ts";
export type { LimitName, Limits } from "./engine/limits.ts";
export type { ClusterRoutes, CollectorApp, CollectorAppOptions, ReadPolicy } from "./server/app.ts";
export type { CollectorServer, FetchHandler, ServeCollectorOptions } from "./server/http_server.ts";
export type {
  AckSource,
  CollectorService,
  CollectorServiceOptions,
  DecodedBatchRef,
  IngestBytesOptions,
  IngestOutcome,
  IngestSource,
  RefusalInfo,
} from "./server/service.ts";
export type { HttpIngestOptions } from "./ingest/http.ts";
export type { WarmUpOptions, WarmUpReport } from "./server/warm_up.ts";
export type { ReadAuth, TokenAuth } from "./server/auth.ts";
export type { SummaryLine, ThrottledLog, ThrottledLogOptions } from "./server/log_throttle.ts";
export type { Problem, RejectReason } from "./server/ingest_problem.ts";
export type {
  FormatSseOptions,
  SseHub,
  SseHubOptions,
  SsePublishOptions,
  SseResetReason,
  SseResponseOptions,
} from "./server/sse.ts";
export type {
  Family,
  HistogramMetric,
  HistogramSnapshot,
  Labels,
  Metric,
  Registry,
  Sample,
} from "./server/metrics.ts";
export type { AlertRouter, AlertRouterOptions, RoutableAlert, Webhook } from "./server/alerts.ts";
export type {
  VerifiedWebhook,
  VerifyWebhookOptions,
  WebhookHeaders,
  WebhookMessage,
  WebhookVerificationReason,
} from "./server/webhook_signature.ts";
export type { CollectorStore } from "./store/store.ts";
export type { KvCollectorStoreOptions } from "./store/kv_store.ts";
export type {
  Kv,
  Kv as KvHandle,
  KvAtomic,
  KvCheck,
  KvEntryMaybe,
  KvKey,
  KvKeyPart,
  KvListEntry,
} from "../lib/ports/kv.ts";
export type { ProblemDetails, ProblemResponseOptions } from "../lib/wire/problem.ts";
export type { WireColumns } from "../lib/wire/columns.ts";
export type { Interner } from "../lib/wire/msgpack_reader.ts";
export type { EventDependency } from "../lib/wire/event.ts";
export type { ServiceMetrics } from "./server/service_metrics.ts";
export type { NodeRow, Summary } from "./server/summary.ts";
