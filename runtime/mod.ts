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
export { loadSpec, specFromCompiled } from "./monitor/load_spec.ts";
export { createNode } from "./monitor/node.ts";
export { UNKNOWN_ACTION_INDEX, VERDICT_DIVERGENCE } from "./monitor/monitor_types.ts";
export { TypedMonitor } from "./monitor/typed_monitor.ts";
export { wrap } from "./monitor/wrap.ts";
export { vigilGuard } from "./hono/guard.ts";
export { memoryStore } from "./hono/guard_store.ts";
export { kvStore } from "./hono/kv_guard_store.ts";
export {
  conflictProblem,
  PROBLEM_JSON,
  PROBLEM_TYPE_BASE,
  problemResponse,
  verdictProblem,
} from "./hono/problem.ts";
export {
  ClockDriftError,
  compareHlc,
  createClock,
  formatStamp,
  parseStamp,
} from "./monitor/clock.ts";
export { createBatcher } from "./batcher/batcher.ts";
export { memoryTransport } from "./transports/memory.ts";
export { natsTransport } from "./transports/nats.ts";
export { ensureStream, jetstreamTransport } from "./transports/jetstream.ts";
export { httpTransport } from "./transports/http.ts";
export {
  DeliveryError,
  HttpStatusError,
  PublishTimeoutError,
  TransportClosedError,
  TransportError,
} from "./transports/transport.ts";
export { decodeBatch, WireFormatError } from "../lib/wire/decode.ts";
export { encodeBatch } from "../lib/wire/encode.ts";
export { WIRE_VERSION } from "../lib/wire/event.ts";
export {
  describeVerdict,
  formatVerdict,
  GuardError,
  loadCompiled,
  OK,
  SpecLoadError,
} from "../lib/abi/mod.ts";

export type { LoadedSpec } from "./monitor/load_spec.ts";
export type { NodeContext, NodeOptions } from "./monitor/node.ts";
export type {
  ActionArgs,
  Divergence,
  EventSink,
  Monitor,
  MonitorMode,
  MonitorOptions,
  StepOptions,
  ViolationEvent,
} from "./monitor/monitor_types.ts";
export type { TypedMonitorOptions } from "./monitor/typed_monitor.ts";
export type { ActionMapping, WrapOptions, Wrapped } from "./monitor/wrap.ts";
export type { GuardOptions } from "./hono/guard.ts";
export type { GuardStore, LoadedInstance, StoredInstance } from "./hono/guard_store.ts";
export type { KvAtomicLike, KvKeyLike, KvLike, KvStoreOptions } from "./hono/kv_guard_store.ts";
export type { ProblemContext, TransitionProblem } from "./hono/problem.ts";
export type { ClockOptions, HlcStamp, HlcTimestamp, HybridClock } from "./monitor/clock.ts";
export type {
  BackpressurePolicy,
  Batcher,
  BatcherOptions,
  BatcherStats,
  BatcherStatus,
  Timers,
} from "./batcher/batcher.ts";
export type {
  MemoryTransport,
  MemoryTransportOptions,
  ReceivedBatch,
} from "./transports/memory.ts";
export type { NatsTransportOptions } from "./transports/nats.ts";
export type { JetStreamTransportOptions } from "./transports/jetstream.ts";
export type { HttpTransportOptions } from "./transports/http.ts";
export type { BatchMeta, Transport } from "./transports/transport.ts";
export type { DecodedBatch, DecodedEvent, StepEvent, StreamId } from "../lib/wire/event.ts";
export type { CompiledSpec, SpecLoadReason, SpecMeta, StateView, Verdict } from "../lib/abi/mod.ts";
