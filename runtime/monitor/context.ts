/**
 * A monitor context: what the monitors of one loaded spec with the same
 * node, mode, sink and violation callback share, and the step events they
 * emit through it. Each event ticks the node clock. A batcher sink (one
 * with {@link PUSH_STEP}) takes the step as scalars and encodes it at once,
 * the state straight from the instance block (no event object, no copy);
 * any other sink gets a `StepEvent` (args as an f64 array, post-state
 * bytes, verdict code).
 *
 * Dependencies: when the node clock recorded dependencies (stamps of other
 * nodes observed) since this context's previous event, the next event
 * carries them: given to a batcher first ({@link PUSH_DEPS}), or as the
 * `deps` of a `StepEvent`.
 *
 * @module
 */
import type { EventDependency, StreamId } from "../../lib/wire/event.ts";
import type { NodeContext } from "./node.ts";
import { PUSH_DEPS, PUSH_STEP, type StepSink } from "../batcher/batcher_types.ts";
import type { MonitoredSpec } from "./monitored_spec.ts";
import type { EventSink, MonitorMode, ViolationEvent } from "./monitor_types.ts";

/** What {@link MonitorContext} is made of (checked by the caller). */
export interface MonitorContextOptions {
  readonly node: NodeContext;
  readonly mode: MonitorMode;
  readonly sink: EventSink | null;
  readonly onViolation: ((v: ViolationEvent) => void) | null;
}

function argsOf(n: number, a0: number, a1: number, a2: number, a3: number): number[] {
  return n === 0 ? [] : n === 1 ? [a0] : n === 2 ? [a0, a1] : n === 3 ? [a0, a1, a2] : [
    a0,
    a1,
    a2,
    a3,
  ];
}

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return typeof x === "object" && x !== null &&
    typeof (x as PromiseLike<unknown>).then === "function";
}

/**
 * What monitors with the same node, mode, sink and callback share (the
 * loaded spec makes and reuses them), and the events they emit.
 *
 * @example A context without a sink
 * ```ts
 * import assert from "node:assert/strict";
 * import { MonitorContext } from "./context.ts";
 * import { createNode } from "./node.ts";
 * const node = createNode({ id: "api-1" });
 * const ctx = new MonitorContext({ spec: "ab12", specName: "Lease" }, {
 *   node, mode: "enforce", sink: null, onViolation: null,
 * });
 * assert.equal(ctx.enforce, true);
 * assert.equal(ctx.stream.node, "api-1");
 * ```
 */
export class MonitorContext {
  readonly node: NodeContext;
  readonly mode: MonitorMode;
  readonly enforce: boolean;
  readonly sink: EventSink | null;
  readonly onViolation: ((v: ViolationEvent) => void) | null;
  /** The stream of the events: the spec's id and name, the node's id and boot. */
  readonly stream: StreamId;
  /** The sink again when it takes scalar steps (a batcher), else null. */
  readonly #stepSink: StepSink | null;
  /** The node clock's dependency count when this context's last event took them. */
  #depSerial = 0;

  /** A context of spec `spec` (its hash and name) for `options`. */
  constructor(spec: Pick<StreamId, "spec" | "specName">, options: MonitorContextOptions) {
    const { node, mode, sink, onViolation } = options;
    this.node = node;
    this.mode = mode;
    this.enforce = mode === "enforce";
    this.sink = sink;
    this.onViolation = onViolation;
    this.stream = Object.freeze({
      spec: spec.spec,
      specName: spec.specName,
      node: node.id,
      boot: node.boot,
    });
    this.#stepSink = sink !== null && PUSH_STEP in sink ? sink as StepSink : null;
  }

  /**
   * Emits the step of action index `a` (arguments `x0 .. x<n-1>`, `n` its
   * parameter count, at most 4) of instance `inst` with key `key`, its
   * verdict `code`. Positional like {@link PUSH_STEP}: this is the
   * per-step path. Returns the sink's promise (a full `block` batcher), or
   * null. Requires a sink.
   */
  emitStep(
    spec: MonitoredSpec,
    inst: number,
    key: string,
    a: number,
    code: number,
    x0: number,
    x1: number,
    x2: number,
    x3: number,
  ): PromiseLike<unknown> | null {
    const n = spec.params[a]!.length;
    const stepSink = this.#stepSink;
    if (stepSink === null) return this.emit(spec, inst, key, a, code, argsOf(n, x0, x1, x2, x3));
    const clock = this.node.clock;
    clock.tick();
    const serial = clock.depSerial;
    if (serial !== undefined && serial !== this.#depSerial) {
      const deps = this.#takeDeps(serial);
      if (deps !== undefined) stepSink[PUSH_DEPS]?.(this.stream, deps);
    }
    const r = stepSink[PUSH_STEP](
      this.stream,
      key,
      clock.wall,
      clock.logical,
      a,
      n,
      x0,
      x1,
      x2,
      x3,
      spec,
      inst,
      code,
    );
    return r === undefined ? null : r;
  }

  /**
   * Emits a step event with an argument array (any arity, an unknown
   * action, the observe path). Returns the sink's promise, or null.
   * Requires a sink.
   */
  emit(
    spec: MonitoredSpec,
    inst: number,
    key: string,
    action: number,
    verdict: number,
    args: ArrayLike<number>,
  ): PromiseLike<unknown> | null {
    const { node, stream, sink } = this;
    const clock = node.clock;
    clock.tick();
    const serial = clock.depSerial;
    const deps = serial !== undefined && serial !== this.#depSerial
      ? this.#takeDeps(serial)
      : undefined;
    const r = sink!.push({
      ...(deps === undefined ? {} : { deps }),
      spec: stream.spec,
      specName: stream.specName,
      node: stream.node,
      boot: stream.boot,
      key,
      wall: clock.wall,
      logical: clock.logical,
      action,
      args,
      state: spec.eventState(inst),
      verdict,
    });
    return isThenable(r) ? r : null;
  }

  /** The dependencies the clock recorded since this context last took them (serial `serial` now). */
  #takeDeps(serial: number): EventDependency[] | undefined {
    const deps = this.node.clock.dependenciesSince?.(this.#depSerial);
    this.#depSerial = serial;
    return deps === undefined || deps.length === 0 ? undefined : deps;
  }
}
