/**
 * Loading a compiled spec for monitoring: `loadSpec` instantiates the
 * compiled bindings (no compiler, binaryen or jco at run time) and returns
 * a {@link LoadedSpec} that creates any number of keyed monitors, each one
 * instance block in the compiled module's memory. A closed monitor's block
 * goes back to a free list and is reused (reset to the initial state).
 *
 * @module
 */
import { loadCompiled } from "../../lib/abi/loader.ts";
import type { CompiledSpec } from "../../lib/abi/compiled.ts";
import type { SpecMeta } from "../../lib/abi/meta.ts";
import type { Verdict } from "../../lib/abi/verdict.ts";
import type { HybridClock } from "./clock.ts";
import { createNode, type NodeContext } from "./node.ts";
import { MonitorImpl } from "./monitor.ts";
import { MonitorContext } from "./context.ts";
import type { EventSink, Monitor, MonitorMode, MonitorOptions } from "./monitor_types.ts";
import { SpecTables } from "./spec_tables.ts";

/** A compiled spec ready to create monitors. */
export interface LoadedSpec {
  readonly meta: SpecMeta;
  /** The spec name, e.g. `Lease`. */
  readonly name: string;
  /** SHA-256 of the spec source (lowercase hex): the stream's spec id. */
  readonly hash: string;
  /** The underlying compiled spec (raw exports, instance blocks, codecs). */
  readonly compiled: CompiledSpec;
  /** Action names in index order. */
  readonly actions: readonly string[];
  /** Creates a monitor: one instance block in the initial state. */
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

class Spec implements LoadedSpec {
  readonly #t: SpecTables;
  readonly #nodes = new Map<string, NodeContext>();
  readonly #contexts: MonitorContext[] = [];

  constructor(compiled: CompiledSpec) {
    this.#t = new SpecTables(compiled);
  }

  get meta(): SpecMeta {
    return this.#t.meta;
  }
  get name(): string {
    return this.#t.meta.name;
  }
  get hash(): string {
    return this.#t.meta.sourceHash;
  }
  get compiled(): CompiledSpec {
    return this.#t.compiled;
  }
  get actions(): readonly string[] {
    return this.#t.names;
  }

  monitor(options: MonitorOptions = {}): Monitor {
    const key = options.key ?? "";
    if (typeof key !== "string") {
      throw new TypeError(`Option 'key' must be a string, got '${String(key)}'`);
    }
    return new MonitorImpl(this.#t, this.#context(options), key);
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
    return this.#t.index.get(name) ?? -1;
  }

  verdict(code: number): Verdict {
    return this.#t.verdict(code);
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
 * ```ts ignore
 * import { specFromCompiled } from "./load_spec.ts";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * const lease = specFromCompiled(await loadCompiled("dist/lease.js"));
 * lease.monitor({ key: "lock:a" }).step("acquire", { c: 2 });
 * ```
 */
export function specFromCompiled(compiled: CompiledSpec): LoadedSpec {
  return new Spec(compiled);
}

/**
 * Loads the compiled bindings of a spec (`dist/lease.js`, a URL or a path
 * resolved against the working directory) for monitoring.
 *
 * @throws {SpecLoadError} When the files are missing or not a compiled spec of this ABI.
 *
 * @example Guard a lease
 * ```ts ignore
 * import { loadSpec } from "./load_spec.ts";
 * const lease = await loadSpec(new URL("../../dist/lease.js", import.meta.url));
 * const m = lease.monitor({ node: "api-1", key: "lock:orders" });
 * m.step("acquire", { c: 2 });
 * console.log(m.state); // { mode: "held", owner: 2, token: 1, granted: { ... } }
 * ```
 */
export async function loadSpec(url: URL | string): Promise<LoadedSpec> {
  return new Spec(await loadCompiled(url));
}
