/**
 * A node context: the identity of one process in the event streams (node
 * id, boot id) and its one hybrid logical clock. Monitors of several specs
 * that share a context share the clock, so their events and the stamps they
 * attach to messages are ordered on one timeline.
 *
 * @module
 */
import { createClock, type HybridClock } from "./clock.ts";
import { DEFAULT_MAX_ID_BYTES, DEFAULT_MAX_KEY_BYTES, utf8Length } from "../../lib/wire/event.ts";

/**
 * Throws `RangeError` when `value` is longer than `max` UTF-8 bytes, the
 * bound a collector admits by default (its `maxIdBytes`, `maxKeyBytes`):
 * the process learns it where it names the id or key, not from the
 * collector's refusal counters.
 */
function checkLength(what: string, value: string, max: number, limit: string): void {
  // A string of n UTF-16 units takes at most 3n UTF-8 bytes: most are measured by `length` alone.
  if (value.length * 3 <= max) return;
  const bytes = utf8Length(value);
  if (bytes > max) {
    throw new RangeError(
      `${what} is ${bytes} UTF-8 bytes, over the ${max} a collector admits (${limit}): '${
        value.slice(0, 40)
      }…'`,
    );
  }
}

/** {@link checkLength} of a node or boot id (option `option`). */
function checkIdLength(option: string, id: string, max: number): void {
  checkLength(`Option '${option}'`, id, max, "maxIdBytes");
}

/** Option `name`, an integer >= 1, or `fallback` when absent. */
function boundOption(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`Option '${name}' must be an integer >= 1, got '${value}'`);
  }
  return value;
}

/**
 * Throws `RangeError` when an instance key is longer than the node's
 * `maxKeyBytes` (default `DEFAULT_MAX_KEY_BYTES` UTF-8 bytes, which a
 * collector refuses by default). Internal to the runtime: where a monitor
 * or a pool's instance is given its key.
 */
export function checkKeyLength(key: string, node: NodeContext): void {
  checkLength("Key", key, node.maxKeyBytes ?? DEFAULT_MAX_KEY_BYTES, "maxKeyBytes");
}

/**
 * The identity and clock of one node (process).
 *
 * @example Two monitors of one node share its clock
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadSpec } from "./load_spec.ts";
 * import { createNode, type NodeContext } from "./node.ts";
 * const lease = await loadSpec(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const node: NodeContext = createNode({ id: "api-1" });
 * const a = lease.monitor({ node, key: "lock:a" });
 * const b = lease.monitor({ node, key: "lock:b" });
 * assert.equal(a.node.clock, b.node.clock);
 * ```
 */
export interface NodeContext {
  /** Node id, e.g. `api-1`. */
  readonly id: string;
  /** Boot id: unique per context unless given, so sequence numbers restart cleanly. */
  readonly boot: string;
  /** The node's hybrid logical clock. */
  readonly clock: HybridClock;
  /**
   * The longest instance key its monitors take, in UTF-8 bytes (option
   * `maxKeyBytes` of {@link createNode}); `DEFAULT_MAX_KEY_BYTES` when absent.
   */
  readonly maxKeyBytes?: number;
}

/**
 * Options of {@link createNode}.
 *
 * @example A node with a fixed boot id and a fake clock
 * ```ts
 * import assert from "node:assert/strict";
 * import { createClock } from "./clock.ts";
 * import { createNode, type NodeOptions } from "./node.ts";
 * const options: NodeOptions = { id: "api-1", boot: "boot-7", clock: createClock({ now: () => 1_000 }) };
 * const node = createNode(options);
 * assert.equal(node.boot, "boot-7");
 * assert.equal(node.clock.peek().wall, 0);
 * ```
 */
export interface NodeOptions {
  /** Node id, non-empty. */
  readonly id: string;
  /** The node's clock. Default: a new `createClock()` over `Date.now`. */
  readonly clock?: HybridClock;
  /** Boot id. Default: a random UUID. */
  readonly boot?: string;
  /**
   * The longest node and boot id taken, in UTF-8 bytes. Default
   * `DEFAULT_MAX_ID_BYTES` (256), a collector's default `maxIdBytes`:
   * raise it with the collector's.
   */
  readonly maxIdBytes?: number;
  /**
   * The longest instance key the node's monitors and pools take, in UTF-8
   * bytes. Default `DEFAULT_MAX_KEY_BYTES` (4 096), a collector's default
   * `maxKeyBytes`: raise it with the collector's.
   */
  readonly maxKeyBytes?: number;
}

/**
 * Creates a node context to share between the monitors of several specs.
 *
 * The node's clock is named after it (`bindNode`): its stamps carry the
 * node id, so a receiver's next events record a dependency on this node.
 *
 * @throws {TypeError} When `id` or `boot` is empty or not a string, or
 * the clock already belongs to another node.
 * @throws {RangeError} When `id` or `boot` is longer than `maxIdBytes`
 * (default `DEFAULT_MAX_ID_BYTES`, 256) UTF-8 bytes, which a collector
 * refuses by default, or a bound is not an integer >= 1.
 *
 * @example One node, one clock for two specs
 * ```ts
 * import assert from "node:assert/strict";
 * import { createNode } from "./node.ts";
 * import { createClock } from "./clock.ts";
 * const node = createNode({ id: "api-1", clock: createClock({ now: () => 1_000 }) });
 * // lease.monitor({ node, key: "lock:a" }); order.monitor({ node, key: "order:7" });
 * assert.equal(node.id, "api-1");
 * assert.ok(node.boot.length > 0);
 * ```
 */
export function createNode(options: NodeOptions): NodeContext {
  const { id } = options;
  if (typeof id !== "string" || id === "") {
    throw new TypeError(`Option 'id' must be a non-empty string, got '${String(id)}'`);
  }
  const boot = options.boot ?? crypto.randomUUID();
  if (typeof boot !== "string" || boot === "") {
    throw new TypeError(`Option 'boot' must be a non-empty string, got '${String(boot)}'`);
  }
  const maxIdBytes = boundOption("maxIdBytes", options.maxIdBytes, DEFAULT_MAX_ID_BYTES);
  const maxKeyBytes = boundOption("maxKeyBytes", options.maxKeyBytes, DEFAULT_MAX_KEY_BYTES);
  checkIdLength("id", id, maxIdBytes);
  checkIdLength("boot", boot, maxIdBytes);
  const clock = options.clock ?? createClock({ node: id });
  // The clock writes the node's id into its stamps (so a receiver records a dependency).
  clock.bindNode?.(id);
  return Object.freeze({ id, boot, clock, maxKeyBytes });
}
