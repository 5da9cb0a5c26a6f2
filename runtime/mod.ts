/**
 * The in-process SDK: load a compiled spec, monitor keyed instances
 * (enforce or observe), wrap objects, guard Hono routes, and ship every
 * step as an event with a hybrid logical clock through a batcher.
 *
 * @example Guard a lease and ship its events
 * ```ts ignore
 * import { createBatcher, GuardError, loadSpec, memoryTransport } from "./mod.ts";
 * const lease = await loadSpec(new URL("../dist/lease.js", import.meta.url));
 * const batcher = createBatcher(memoryTransport(), { maxEvents: 256, maxDelayMs: 50 });
 * const m = lease.monitor({ node: "api-1", key: "lock:orders", sink: batcher });
 * m.step("acquire", { c: 2 });
 * try {
 *   m.step("acquire", { c: 3 });
 * } catch (e) {
 *   if (e instanceof GuardError) console.log(e.verdict.detail, e.verdict.line); // require mode == free 14
 * }
 * await batcher.close();
 * ```
 *
 * @module
 */
export { loadSpec, specFromCompiled } from "./spec.ts";
export { createNode } from "./node.ts";
export { UNKNOWN_ACTION_INDEX, VERDICT_DIVERGENCE } from "./monitor_types.ts";
export { TypedMonitor } from "./typed_monitor.ts";
export { wrap } from "./wrap.ts";
export { vigilGuard } from "./hono_guard.ts";
export { memoryStore } from "./guard_store.ts";
export { kvStore } from "./kv_store.ts";
export {
  conflictProblem,
  PROBLEM_JSON,
  PROBLEM_TYPE_BASE,
  problemResponse,
  verdictProblem,
} from "./problem.ts";
export { ClockDriftError, compareHlc, createClock, formatStamp, parseStamp } from "./clock.ts";
export { createBatcher } from "./batcher.ts";
export { memoryTransport } from "./memory_transport.ts";
export { natsTransport } from "./nats_transport.ts";
export { ensureStream, jetstreamTransport } from "./jetstream_transport.ts";
export { httpTransport } from "./http_transport.ts";
export {
  DeliveryError,
  HttpStatusError,
  PublishTimeoutError,
  TransportClosedError,
  TransportError,
} from "./transport.ts";
export { decodeBatch, encodeBatch, WireFormatError } from "./codec.ts";
export { WIRE_VERSION } from "./event.ts";
export {
  describeVerdict,
  formatVerdict,
  GuardError,
  loadCompiled,
  OK,
  SpecLoadError,
} from "../lib/abi/mod.ts";

export type { LoadedSpec } from "./spec.ts";
export type { NodeContext, NodeOptions } from "./node.ts";
export type {
  ActionArgs,
  Divergence,
  EventSink,
  Monitor,
  MonitorMode,
  MonitorOptions,
  StepOptions,
  ViolationEvent,
} from "./monitor_types.ts";
export type { TypedMonitorOptions } from "./typed_monitor.ts";
export type { ActionMapping, WrapOptions, Wrapped } from "./wrap.ts";
export type { GuardOptions } from "./hono_guard.ts";
export type { GuardStore, LoadedInstance, StoredInstance } from "./guard_store.ts";
export type { KvAtomicLike, KvKeyLike, KvLike, KvStoreOptions } from "./kv_store.ts";
export type { ProblemContext, TransitionProblem } from "./problem.ts";
export type { ClockOptions, HlcStamp, HlcTimestamp, HybridClock } from "./clock.ts";
export type {
  BackpressurePolicy,
  Batcher,
  BatcherOptions,
  BatcherStats,
  BatcherStatus,
  Timers,
} from "./batcher.ts";
export type { MemoryTransport, MemoryTransportOptions, ReceivedBatch } from "./memory_transport.ts";
export type { NatsTransportOptions } from "./nats_transport.ts";
export type { JetStreamTransportOptions } from "./jetstream_transport.ts";
export type { HttpTransportOptions } from "./http_transport.ts";
export type { BatchMeta, Transport } from "./transport.ts";
export type { DecodedBatch, DecodedEvent, StepEvent, StreamId } from "./event.ts";
export type { CompiledSpec, SpecLoadReason, SpecMeta, StateView, Verdict } from "../lib/abi/mod.ts";
