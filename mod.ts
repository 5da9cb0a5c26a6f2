/**
 * Vigil: runtime monitoring from a spec. `vigil` is what a service
 * imports: load a compiled spec, monitor keyed instances (enforce or
 * observe), wrap objects, or extend the generated typed class; stamp
 * messages with a hybrid logical clock; ship every step as an event
 * through a batcher over the memory or HTTP transport.
 *
 * Only the core loads here: no compiler (binaryen, jco), no NATS client,
 * no Hono, no msgpack decoder. What a service opts into has its own entry
 * point: `vigil/nats` and `vigil/jetstream` (transports), `vigil/hono`
 * (the `vigilGuard` middleware), `vigil/abi` (the compiled-spec contract);
 * the collector is `vigil/edge`, replay `vigil/replay`, the compiler
 * `vigil/compiler` and the model checker `vigil/explore`.
 *
 * @example Guard a lease and ship its events
 * ```ts ignore
 * import { createBatcher, GuardError, loadSpec, memoryTransport } from "@vigil/vigil";
 * const lease = await loadSpec(new URL("./dist/lease.js", import.meta.url));
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
export { loadSpec, specFromCompiled } from "./runtime/monitor/load_spec.ts";
export { createNode } from "./runtime/monitor/node.ts";
export { UNKNOWN_ACTION_INDEX, VERDICT_DIVERGENCE } from "./lib/abi/verdict_codes.ts";
export { TypedMonitor } from "./runtime/monitor/typed_monitor.ts";
export { createMonitorPool } from "./runtime/monitor/monitor_pool.ts";
export { wrap } from "./runtime/monitor/wrap.ts";
export { ClockDriftError, compareHlc, createClock } from "./runtime/monitor/clock.ts";
export { formatStamp, parseStamp } from "./lib/wire/stamp.ts";
export { createBatcher } from "./runtime/batcher/batcher.ts";
export { createPartitionedBatcher } from "./runtime/batcher/partitioned.ts";
export { partitionOf } from "./lib/wire/subjects.ts";
export { memoryTransport } from "./runtime/transports/memory.ts";
export { httpTransport } from "./runtime/transports/http.ts";
export {
  BatchRefusedError,
  DeliveryError,
  HttpStatusError,
  PublishTimeoutError,
  TransportClosedError,
  TransportError,
} from "./runtime/transports/transport.ts";
export { encodeBatch } from "./lib/wire/encode.ts";
export { DEFAULT_MAX_ID_BYTES, DEFAULT_MAX_KEY_BYTES, WIRE_VERSION } from "./lib/wire/event.ts";
export { loadCompiled } from "./lib/abi/loader.ts";
export { SpecLoadError } from "./lib/abi/bindings.ts";
export { describeVerdict, formatVerdict, GuardError, OK } from "./lib/abi/verdict.ts";

export type { LoadedSpec, LoadSpecOptions } from "./runtime/monitor/load_spec.ts";
export type { SpecSource } from "./lib/abi/spec_source.ts";
export type { NodeContext, NodeOptions } from "./runtime/monitor/node.ts";
export type {
  ActionArgs,
  Divergence,
  EventSink,
  Monitor,
  MonitorMode,
  MonitorOptions,
  StepOptions,
  ViolationEvent,
} from "./runtime/monitor/monitor_types.ts";
export type { SpecArgs, TypedMonitorOptions, TypedSpec } from "./runtime/monitor/typed_monitor.ts";
export type {
  MonitorPool,
  MonitorPoolOptions,
  PoolViolation,
} from "./runtime/monitor/monitor_pool.ts";
export type { ActionMapping, WrapOptions, Wrapped } from "./runtime/monitor/wrap.ts";
export type { ClockOptions, HybridClock } from "./runtime/monitor/clock.ts";
export type { HlcStamp, HlcTimestamp } from "./lib/wire/stamp.ts";
export type {
  BackpressurePolicy,
  Batcher,
  BatcherOptions,
  BatcherStats,
  BatcherStatus,
  Timers,
} from "./runtime/batcher/batcher.ts";
export type {
  PartitionedBatcher,
  PartitionedBatcherOptions,
} from "./runtime/batcher/partitioned.ts";
export type {
  DropStatus,
  ErrorStatus,
  FlushStatus,
  RefusedStatus,
} from "./runtime/batcher/status.ts";
export type {
  BatchHandler,
  MemoryTransport,
  MemoryTransportOptions,
  ReceivedBatch,
} from "./runtime/transports/memory.ts";
export type { HttpTransportOptions } from "./runtime/transports/http.ts";
export type { BatchMeta, Refusal, Sleep, Transport } from "./runtime/transports/transport.ts";
export type {
  BatchHeader,
  DecodedBatch,
  DecodedEvent,
  EventBody,
  EventDependency,
  StepEvent,
  StreamId,
} from "./lib/wire/event.ts";
export type { SeqRange } from "./lib/wire/seq_ranges.ts";
export type { CompiledSpec, StateView } from "./lib/abi/compiled.ts";
export type { SpecLoadReason } from "./lib/abi/bindings.ts";
export type { SpecMeta } from "./lib/abi/meta.ts";
export type { Verdict } from "./lib/abi/verdict.ts";
