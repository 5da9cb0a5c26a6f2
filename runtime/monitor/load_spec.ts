/**
 * Loading a compiled spec for monitoring: `loadSpec` instantiates the
 * compiled spec's core module from a URL, a path, bytes or a
 * `WebAssembly.Module` (no compiler, binaryen or jco at run time) and returns
 * a {@link LoadedSpec} that creates any number of keyed monitors, each one
 * instance block in the compiled module's memory. A closed monitor's block
 * goes back to a free list and is reused (reset to the initial state).
 *
 * Everything the monitors of one loaded spec share is precomputed here at
 * load time so the per-step path only indexes: the action name lookups,
 * each action's parameter codecs, the raw step/check exports and
 * dispatchers, the fast step by name (`fast_step.ts`: generated where the
 * host allows code generation from strings), one frozen verdict per code, the free instance blocks, the
 * node and monitor contexts, and the slab event states are copied into.
 *
 * @module
 */
import { loadCompiled, type LoadCompiledOptions } from "../../lib/abi/loader.ts";
import type { SpecSource } from "../../lib/abi/spec_source.ts";
import type { CompiledSpec, DispatchFn, StepFn } from "../../lib/abi/compiled.ts";
import type { SpecMeta } from "../../lib/abi/meta.ts";
import { describeVerdict, type Verdict } from "../../lib/abi/verdict.ts";
import type { MsgpackWriter } from "../../lib/wire/msgpack_writer.ts";
import type { HybridClock } from "./clock.ts";
import { checkKeyLength, createNode, type NodeContext } from "./node.ts";
import { MonitorImpl } from "./monitor.ts";
import { MonitorContext } from "./context.ts";
import { fastIndex, type ParamCodec, paramCodec } from "./param_codec.ts";
import { type FastStep, fastStepOf, SCAN_ACTIONS } from "./fast_step.ts";
import type { MonitoredSpec } from "./monitored_spec.ts";
import type { EventSink, Monitor, MonitorMode, MonitorOptions } from "./monitor_types.ts";

/**
 * A compiled spec ready to create monitors.
 *
 * @example Monitors of one loaded spec
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadSpec, type LoadedSpec } from "./load_spec.ts";
 * const lease: LoadedSpec = await loadSpec("dist/lease.core.wasm");
 * assert.equal(lease.name, "Lease");
 * const m = lease.monitor({ key: "lock:a" });
 * assert.equal(m.step("acquire", { c: 1 }).kind, "ok");
 * assert.equal(m.tryStep("acquire", { c: 2 }).kind, "guard_failed");
 * ```
 */
export interface LoadedSpec {
  /** The compiled spec's metadata (its `vigil` section). */
  readonly meta: SpecMeta;
  /** The spec name, e.g. `Lease`. */
  readonly name: string;
  /** SHA-256 of the spec source (lowercase hex): the stream's spec id. */
  readonly hash: string;
  /** The underlying compiled spec (raw exports, instance blocks, codecs). */
  readonly compiled: CompiledSpec;
  /** Action names in index order. */
  readonly actions: readonly string[];
  /**
   * Creates a monitor: one instance block in the initial state. Throws
   * `RangeError` when its key is longer than its node's `maxKeyBytes`
   * (default `DEFAULT_MAX_KEY_BYTES`, 4 096) UTF-8 bytes, which a collector
   * refuses by default.
   */
  monitor(options?: MonitorOptions): Monitor;
  /** This spec's context for a node id (created on first use, with `clock` if given). */
  node(id: string, clock?: HybridClock): NodeContext;
  /** Index of an action, or -1. */
  actionIndex(name: string): number;
  /** The cached frozen verdict of a code. */
  verdict(code: number): Verdict;
}

const MODES: readonly MonitorMode[] = ["enforce", "observe"];
/** Distinct (node, mode, sink, callback) contexts kept for sharing; beyond, each monitor gets its own. */
const MAX_SHARED_CONTEXTS = 64;
/** Bytes per slab that event state copies are cut from. */
const SLAB_BYTES = 64 * 1024;

/**
 * An additive `CompiledSpec` method this runtime uses when the loader
 * provides it: copies an instance's packed block into `target` at `offset`
 * without allocating. Without it, each event's state is a `stateBytes`
 * copy (one ArrayBuffer per event, several hundred ns).
 */
interface CopyState {
  copyState?(inst: number, target: Uint8Array, offset: number): void;
}

/** A JavaScript dispatcher, for a `CompiledSpec` without `dispatchStep`/`dispatchCheck`. */
function dispatcher(fns: readonly StepFn[]): DispatchFn {
  return (inst, action, ...args) => {
    const f = fns[action];
    return f === undefined ? 1 : f(inst, ...args);
  };
}

/**
 * The loaded spec behind {@link LoadedSpec}: its public members, and the
 * tables its monitors step through ({@link MonitoredSpec}, public on the
 * class for the runtime's monitors, not part of `LoadedSpec`). Also the
 * state source of its events: a batcher writes an event's state straight
 * from the block. Internal to the SDK: not exported from its entry points.
 *
 * @internal
 */
export class LoadedSpecImpl implements LoadedSpec, MonitoredSpec {
  // Documented on LoadedSpec and MonitoredSpec.
  readonly compiled: CompiledSpec;
  /** The compiled spec's metadata. */
  readonly meta: SpecMeta;
  readonly name: string;
  readonly hash: string;
  readonly actions: readonly string[];
  readonly actionsByName: ReadonlyMap<string, number>;
  /** Action name -> index, a fast-mode object (see {@link fastIndex}). */
  readonly actionIds: Readonly<Record<string, number>>;
  readonly actionItems: readonly string[];
  readonly steps: readonly StepFn[];
  readonly checks: readonly StepFn[];
  readonly dispatchStep: DispatchFn;
  readonly dispatchCheck: DispatchFn;
  readonly params: readonly (readonly ParamCodec[])[];
  readonly verdicts: readonly Verdict[];
  readonly ok: Verdict;
  readonly fastStep: FastStep;
  /** Whether {@link fastStep} is the generated implementation (see `fast_step.ts`). */
  readonly fastStepGenerated: boolean;
  readonly stride: number;
  readonly #freeBlocks: number[] = [];
  readonly #copyState: CopyState["copyState"];
  readonly #copyStateInto: CompiledSpec["copyStateInto"];
  #slab = new ArrayBuffer(0);
  #slabBytes = new Uint8Array(this.#slab);
  #slabAt = 0;
  readonly #nodes = new Map<string, NodeContext>();
  readonly #contexts: MonitorContext[] = [];

  /**
   * Precomputes the tables of `compiled` that its monitors step through;
   * `options.generate: false` keeps the generic fast step (see `fast_step.ts`).
   */
  constructor(compiled: CompiledSpec, options: { readonly generate?: boolean } = {}) {
    const meta = compiled.meta;
    this.compiled = compiled;
    this.meta = meta;
    this.name = meta.name;
    this.hash = meta.sourceHash;
    this.actions = meta.actions.map((a) => a.name);
    this.actionsByName = new Map(this.actions.map((n, i) => [n, i]));
    this.actionIds = fastIndex(this.actions);
    this.actionItems = meta.actions.map((a) => `action ${a.name}`);
    this.steps = meta.actions.map((_, i) => compiled.stepFn(i));
    this.checks = meta.actions.map((_, i) => compiled.checkFn(i));
    this.dispatchStep = compiled.dispatchStep ?? dispatcher(this.steps);
    this.dispatchCheck = compiled.dispatchCheck ?? dispatcher(this.checks);
    this.params = meta.actions.map((a) => a.params.map((p) => paramCodec(a.name, p.name, p.type)));
    this.verdicts = meta.verdicts.map((_, code) => Object.freeze(describeVerdict(meta, code)));
    this.ok = this.verdicts[0] ?? Object.freeze(describeVerdict(meta, 0));
    const fast = fastStepOf(this, options);
    this.fastStep = fast.step;
    this.fastStepGenerated = fast.generated;
    this.stride = meta.stride;
    this.#copyState = (compiled as CopyState).copyState;
    this.#copyStateInto = compiled.copyStateInto;
  }

  monitor(options: MonitorOptions = {}): Monitor {
    const key = options.key ?? "";
    if (typeof key !== "string") {
      throw new TypeError(`Option 'key' must be a string, got '${String(key)}'`);
    }
    const context = this.#context(options);
    checkKeyLength(key, context.node);
    return new MonitorImpl(this, context, key);
  }

  node(id: string, clock?: HybridClock): NodeContext {
    let node = this.#nodes.get(id);
    if (node === undefined) {
      node = createNode(clock === undefined ? { id } : { id, clock });
      this.#nodes.set(id, node);
    } else if (clock !== undefined && clock !== node.clock) {
      throw new TypeError(`Node '${id}' of spec '${this.name}' already has another clock`);
    }
    return node;
  }

  actionIndex(name: string): number {
    return this.actionsByName.get(name) ?? -1;
  }

  /** The verdict of a code (frozen; cached for every code of the table). */
  verdict(code: number): Verdict {
    return this.verdicts[code] ?? describeVerdict(this.meta, code);
  }

  /**
   * The index of an action name on the per-step path, or -1 (then the
   * caller's slow path looks it up in `actionsByName`). Few actions: a
   * scan of `actions` (literal names are internalized strings, so each
   * `===` is a pointer compare; measured about 4 ns faster per step than a
   * lookup, which goes megamorphic as soon as one call site sees two
   * names); more: the fast-mode `actionIds` object.
   */
  actionId(action: string): number {
    const names = this.actions;
    if (names.length <= SCAN_ACTIONS) {
      for (let i = 0; i < names.length; i++) if (names[i] === action) return i;
      return -1;
    }
    const a = this.actionIds[action];
    if (typeof a === "number") return a;
    // `__proto__` is no own key of the fast lookup (see fastIndex): found by a scan.
    return action === "__proto__" ? names.indexOf(action) : -1;
  }

  /**
   * A copy of an instance's block for an event: a view cut from a shared
   * slab that is never rewritten (events may be held by a batcher).
   */
  eventState(inst: number): Uint8Array {
    const copy = this.#copyState;
    if (copy === undefined) return this.compiled.stateBytes(inst);
    const stride = this.stride;
    if (this.#slabAt + stride > this.#slab.byteLength) {
      this.#slab = new ArrayBuffer(Math.max(SLAB_BYTES, stride));
      this.#slabBytes = new Uint8Array(this.#slab);
      this.#slabAt = 0;
    }
    const at = this.#slabAt;
    copy.call(this.compiled, inst, this.#slabBytes, at);
    this.#slabAt = at + stride;
    return new Uint8Array(this.#slab, at, stride);
  }

  /** Writes instance `inst`'s block into `w` as one msgpack bin (no copy in between). */
  writeState(inst: number, w: MsgpackWriter): void {
    const at = w.binSlot(this.stride);
    const into = this.#copyStateInto;
    if (into !== undefined) into.call(this.compiled, inst, w.data, at);
    else {
      const bytes = this.compiled.stateBytes(inst);
      for (let i = 0; i < bytes.length; i++) w.data.setUint8(at + i, bytes[i]!);
    }
  }

  /** A copy of instance `inst`'s block. */
  stateBytes(inst: number): Uint8Array {
    return this.compiled.stateBytes(inst);
  }

  /** An instance block in the initial state: a freed one, or a new one. */
  takeBlock(): number {
    return this.#freeBlocks.pop() ?? this.compiled.create(1);
  }

  /** Resets an instance block and keeps it for the next `takeBlock`. */
  releaseBlock(inst: number): void {
    this.compiled.reset(inst);
    this.#freeBlocks.push(inst);
  }

  #nodeOf(options: MonitorOptions): NodeContext {
    const n = options.node ?? "local";
    if (typeof n === "string") return this.node(n, options.clock);
    if (options.clock !== undefined && options.clock !== n.clock) {
      throw new TypeError(`Option 'clock' conflicts with the clock of node context '${n.id}'`);
    }
    return n;
  }

  #context(options: MonitorOptions): MonitorContext {
    const mode = options.mode ?? "enforce";
    if (!MODES.includes(mode)) {
      throw new TypeError(`Option 'mode' must be 'enforce' or 'observe', got '${String(mode)}'`);
    }
    const node = this.#nodeOf(options);
    const sink: EventSink | null = options.sink ?? null;
    if (sink !== null && typeof sink.push !== "function") {
      throw new TypeError("Option 'sink' must have a 'push' method");
    }
    const onViolation = options.onViolation ?? null;
    const found = this.#contexts.find((c) =>
      c.node === node && c.mode === mode && c.sink === sink && c.onViolation === onViolation
    );
    if (found !== undefined) return found;
    const spec = { spec: this.hash, specName: this.name };
    const ctx = new MonitorContext(spec, { node, mode, sink, onViolation });
    if (this.#contexts.length < MAX_SHARED_CONTEXTS) this.#contexts.push(ctx);
    return ctx;
  }
}

/**
 * Wraps an already loaded compiled spec (for example one compiled in a
 * test) for monitoring. Each call makes an independent `LoadedSpec`.
 *
 * @example Monitor a compiled spec
 * ```ts
 * import assert from "node:assert/strict";
 * import { specFromCompiled } from "./load_spec.ts";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * const lease = specFromCompiled(await loadCompiled("dist/lease.core.wasm"));
 * assert.equal(lease.monitor({ key: "lock:a" }).step("acquire", { c: 2 }).kind, "ok");
 * ```
 */
export function specFromCompiled(compiled: CompiledSpec): LoadedSpec {
  return new LoadedSpecImpl(compiled);
}

/**
 * Options of {@link loadSpec}: those of `loadCompiled`.
 *
 * @example Insist on the source the service was built against
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadSpec, type LoadSpecOptions } from "./load_spec.ts";
 * const first = await loadSpec("dist/lease.core.wasm");
 * const options: LoadSpecOptions = { sourceHash: first.hash };
 * assert.equal((await loadSpec("dist/lease.core.wasm", options)).hash, first.hash);
 * ```
 */
export interface LoadSpecOptions extends LoadCompiledOptions {}

/**
 * Loads a compiled spec for monitoring, from any {@link SpecSource}: a
 * `URL` or a path (resolved against the working directory) of
 * `<name>.js`, `<name>.core.wasm` or `<name>.wasm`; the bytes of the core
 * module or the component; or the core module as a `WebAssembly.Module`
 * (in a Worker, `import wasm from "./lease.core.wasm"`).
 *
 * @param source Where the compiled spec is.
 * @param options `sourceHash`: refuse a spec compiled from another source.
 * @throws {SpecLoadError} When the source cannot be read, is not a compiled
 * spec, was compiled for another ABI version or from another source.
 *
 * @example Guard a lease
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadSpec } from "./load_spec.ts";
 * const lease = await loadSpec(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const m = lease.monitor({ node: "api-1", key: "lock:orders" });
 * m.step("acquire", { c: 2 });
 * assert.equal(m.state.mode, "held");
 * assert.equal(m.tryStep("acquire", { c: 3 }).detail, "require mode == free");
 * ```
 */
export async function loadSpec(
  source: SpecSource,
  options: LoadSpecOptions = {},
): Promise<LoadedSpec> {
  return new LoadedSpecImpl(await loadCompiled(source, options));
}
