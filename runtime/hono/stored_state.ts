/**
 * A guarded instance's stored state across versions of its spec. A guard
 * store keeps each state in the layout of the version that wrote it, with
 * that version's hash, and records the version's {@link StateLayout} (its
 * variables, their types, slots and initial values: what conversion needs,
 * from the compiled metadata) beside the states. A replica reading a state
 * written by another version (an older one during a rolling upgrade, a newer
 * one during a rollback) converts it to its own layout by variable name,
 * the way the collector converts the states of nodes on another version
 * (`lib/abi/state_convert.ts`: new variables at their initial values,
 * dropped ones removed, labels by label, ranges checked).
 *
 * A state that cannot be carried (a retyped variable, a label or a value
 * the reading version does not have) is never guessed: reading it throws a
 * {@link StoredStateError} naming the variable and the reason
 * (`unconvertible`), as does a state whose version's layout was never
 * recorded (`unknown_version`).
 *
 * @module
 */
import type { SpecMeta } from "../../lib/abi/meta.ts";
import type { SlotLayout } from "../../lib/abi/slot_layout.ts";
import { convertBlock, planConversion, type StateConversion } from "../../lib/abi/state_convert.ts";
import type { LoadedInstance, StoredInstance } from "./guard_store.ts";

/**
 * A spec as a guard store needs it: its compiled metadata. A `LoadedSpec` is one.
 *
 * @example A loaded spec is a guarded spec
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadSpec } from "../monitor/load_spec.ts";
 * import type { GuardedSpec } from "./stored_state.ts";
 * const lease: GuardedSpec = await loadSpec(new URL("../../dist/lease.core.wasm", import.meta.url));
 * assert.equal(lease.meta.name, "Lease");
 * ```
 */
export interface GuardedSpec {
  /** The compiled spec's metadata (name, hash, state layout). */
  readonly meta: SpecMeta;
}

/**
 * The layout of one version's state, as a store records it (plain data:
 * a KV store keeps it as it is).
 *
 * @example The layout of the Lease's state
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadSpec } from "../monitor/load_spec.ts";
 * import { layoutOf, type StateLayout } from "./stored_state.ts";
 * const lease = await loadSpec(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const layout: StateLayout = layoutOf(lease);
 * assert.equal(layout.hash, lease.hash);
 * assert.deepEqual(layout.vars.map((v) => v.name), ["mode", "owner", "token", "granted"]);
 * ```
 */
export interface StateLayout {
  /** The spec's name, e.g. `Lease`. */
  readonly spec: string;
  /** The version's source hash. */
  readonly hash: string;
  /** Bytes of a state block. */
  readonly stride: number;
  /** Where each slot is in a block. */
  readonly slots: readonly SlotLayout[];
  /** The state variables: name, type, first slot and slot count (as in `SpecMeta`). */
  readonly vars: readonly Omit<SpecMeta["vars"][number], "range">[];
  /** Initial slot values (decimal strings). */
  readonly initial: readonly string[];
}

/**
 * The layout of a spec's state, from its metadata.
 *
 * @example Two versions have two layouts
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadSpec } from "../monitor/load_spec.ts";
 * import { layoutOf } from "./stored_state.ts";
 * const lease = await loadSpec(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const mutex = await loadSpec(new URL("../../dist/mutex.core.wasm", import.meta.url));
 * assert.notEqual(layoutOf(lease).hash, layoutOf(mutex).hash);
 * assert.equal(layoutOf(lease).stride, lease.meta.stride);
 * ```
 */
export function layoutOf(spec: GuardedSpec): StateLayout {
  const m = spec.meta;
  return {
    spec: m.name,
    hash: m.sourceHash,
    stride: m.stride,
    slots: m.slots.map(({ offset, width, signed }) => ({ offset, width, signed })),
    vars: m.vars.map(({ name, type, base, size }) => ({ name, type, base, size })),
    initial: [...m.initial],
  };
}

/**
 * Why a stored state could not be read in the reading version's layout.
 *
 * @example Tell the two apart on an error
 * ```ts
 * import assert from "node:assert/strict";
 * import { StoredStateError, type StoredStateReason } from "./stored_state.ts";
 * const e = new StoredStateError("unknown_version", {
 *   spec: "Lease", key: "lock:7", from: "a".repeat(64), to: "b".repeat(64),
 * });
 * const reason: StoredStateReason = e.reason;
 * assert.equal(reason, "unknown_version");
 * ```
 */
export type StoredStateReason = "unknown_version" | "unconvertible";

/**
 * A stored state that the reading version cannot take: written by a
 * version whose layout the store never recorded (`unknown_version`), or
 * holding what the reading version cannot represent (`unconvertible`,
 * naming the `variable`).
 *
 * @example A rollback meets a label the older version lacks
 * ```ts
 * import assert from "node:assert/strict";
 * import { StoredStateError } from "./stored_state.ts";
 * const e = new StoredStateError("unconvertible", {
 *   spec: "Lease", key: "lock:7", from: "a".repeat(64), to: "b".repeat(64),
 *   variable: "mode", reason: "Variable 'mode' holds 'expired', a label the new version does not have",
 * });
 * assert.equal(e.variable, "mode");
 * assert.match(e.message, /^Instance 'lock:7' of spec 'Lease' was stored by version 'aaaaaaaaaaaa'/);
 * ```
 */
export class StoredStateError extends Error {
  /** What went wrong. */
  readonly reason: StoredStateReason;
  /** The spec's name. */
  readonly spec: string;
  /** The instance key. */
  readonly key: string;
  /** The hash of the version that stored the state. */
  readonly from: string;
  /** The hash of the reading version. */
  readonly to: string;
  /** The variable that does not convert (`unconvertible` only). */
  readonly variable?: string;

  /** Builds the error; `details.reason` says in words why the state does not convert. */
  constructor(
    reason: StoredStateReason,
    details: {
      readonly spec: string;
      readonly key: string;
      readonly from: string;
      readonly to: string;
      readonly variable?: string;
      readonly reason?: string;
    },
  ) {
    const at = `Instance '${details.key}' of spec '${details.spec}' was stored by version '${
      details.from.slice(0, 12)
    }'`;
    super(
      reason === "unknown_version"
        ? `${at}, whose state layout this store has not recorded: it cannot be read by version '${
          details.to.slice(0, 12)
        }'`
        : `${at} and does not convert to version '${details.to.slice(0, 12)}': ${
          details.reason ?? "no reason given"
        }`,
    );
    this.name = "StoredStateError";
    this.reason = reason;
    this.spec = details.spec;
    this.key = details.key;
    this.from = details.from;
    this.to = details.to;
    if (details.variable !== undefined) this.variable = details.variable;
  }
}

/** A source range for metadata rebuilt from a layout (conversion never reads it). */
const NO_RANGE = { line: 0, column: 0, endLine: 0, endColumn: 0 } as const;

/** The metadata `planConversion` reads, rebuilt from a layout (everything else empty). */
function metaOf(layout: StateLayout): SpecMeta {
  return {
    abi: 0,
    name: layout.spec,
    sourceHash: layout.hash,
    stride: layout.stride,
    slots: layout.slots,
    vars: layout.vars.map((v) => ({ ...v, range: NO_RANGE })),
    initial: layout.initial,
    actions: [],
    invariants: [],
    globalInvariants: [],
    liveness: [],
    globalLiveness: [],
    verdicts: [],
    range: NO_RANGE,
  };
}

/** Writes `slots` into a new block of `layout` (little-endian, packed per its slots). */
function writeBlock(layout: StateLayout, slots: readonly bigint[]): Uint8Array {
  const bytes = new Uint8Array(layout.stride);
  const data = new DataView(bytes.buffer);
  layout.slots.forEach(({ offset, width, signed }, i) => {
    const v = slots[i] ?? 0n;
    if (width === 8) {
      if (signed) data.setBigInt64(offset, v, true);
      else data.setBigUint64(offset, v, true);
      return;
    }
    const n = Number(v);
    if (width === 1) data.setUint8(offset, n & 0xff);
    else if (width === 2) data.setUint16(offset, n & 0xffff, true);
    else data.setUint32(offset, n >>> 0, true);
  });
  return bytes;
}

/**
 * True when `v` has the shape of a {@link StateLayout} (a store checks what
 * it reads back before trusting it).
 *
 * @example A layout and something else
 * ```ts
 * import assert from "node:assert/strict";
 * import { isStateLayout } from "./stored_state.ts";
 * const layout = { spec: "S", hash: "ab", stride: 1, slots: [], vars: [], initial: [] };
 * assert.equal(isStateLayout(layout), true);
 * assert.equal(isStateLayout({ spec: "S" }), false);
 * ```
 */
export function isStateLayout(v: unknown): v is StateLayout {
  if (typeof v !== "object" || v === null) return false;
  const r = v as Record<string, unknown>;
  return typeof r.spec === "string" && typeof r.hash === "string" &&
    typeof r.stride === "number" && Array.isArray(r.slots) && Array.isArray(r.vars) &&
    Array.isArray(r.initial);
}

/**
 * Converts stored states between the layouts of two versions, planning
 * each pair of versions once (a store keeps one).
 *
 * @example Carry a version-1 Lease state to version 2
 * ```ts
 * import assert from "node:assert/strict";
 * import { compile } from "../../lib/compile.ts";
 * import { specFromCompiled } from "../monitor/load_spec.ts";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { layoutOf, StateConverter } from "./stored_state.ts";
 * const load = async (file: string) => {
 *   const source = await Deno.readTextFile(new URL(`../../specs/upgrade/${file}`, import.meta.url));
 *   const { files } = await compile(source, { fileName: file });
 *   return specFromCompiled(await loadCompiled(files.get(file.replace(".vigil", ".core.wasm"))!));
 * };
 * const [v1, v2] = [await load("lease_v1.vigil"), await load("lease_v2.vigil")];
 * const m = v1.monitor({ key: "lock:7" });
 * m.step("acquire", { c: 3 });
 * const state = new StateConverter().convert("lock:7", m.stateBytes(), layoutOf(v1), layoutOf(v2));
 * const n = v2.monitor({ key: "lock:7" });
 * n.setStateBytes(state);
 * assert.deepEqual(n.state, { mode: "held", owner: 3, token: 1, renewals: 0 });
 * ```
 */
export class StateConverter {
  readonly #plans = new Map<string, StateConversion>();
  readonly #layouts = new WeakMap<SpecMeta, StateLayout>();

  /**
   * What a store's `load` answers for the record `found` of `key`: as
   * stored when `reader` is only a spec name or the version that stored
   * it; else converted to `reader`'s layout, the storing version's layout
   * found by `recorded(spec, hash)` (`null`: never recorded).
   *
   * @throws {StoredStateError} `unknown_version` when the storing version's
   * layout was never recorded; `unconvertible` as {@link convert}.
   */
  async read(
    reader: GuardedSpec | string,
    key: string,
    found: { readonly stored: StoredInstance; readonly version: string },
    recorded: (spec: string, hash: string) => Promise<StateLayout | null>,
  ): Promise<LoadedInstance> {
    const { stored, version } = found;
    if (typeof reader === "string" || stored.hash === reader.meta.sourceHash) {
      return { value: stored, version };
    }
    let to = this.#layouts.get(reader.meta);
    if (to === undefined) {
      to = layoutOf(reader);
      this.#layouts.set(reader.meta, to);
    }
    const from = await recorded(to.spec, stored.hash);
    if (from === null) {
      throw new StoredStateError("unknown_version", {
        spec: to.spec,
        key,
        from: stored.hash,
        to: to.hash,
      });
    }
    const state = this.convert(key, stored.state, from, to);
    return { value: { hash: to.hash, state }, version, convertedFrom: stored.hash };
  }

  /**
   * The state `state` of `key`, stored in layout `from`, in layout `to`.
   *
   * @throws {StoredStateError} `unconvertible`, naming the variable, when it does not carry.
   * @throws {TypeError} When `state` is not a block of `from` (wrong length).
   */
  convert(key: string, state: Uint8Array, from: StateLayout, to: StateLayout): Uint8Array {
    if (state.length !== from.stride) {
      throw new TypeError(
        `Stored state of instance '${key}' of spec '${from.spec}' has ${state.length} bytes, not the ${from.stride} of its version '${
          from.hash.slice(0, 12)
        }'`,
      );
    }
    const id = `${from.hash}>${to.hash}`;
    let plan = this.#plans.get(id);
    if (plan === undefined) {
      plan = planConversion(metaOf(from), metaOf(to));
      this.#plans.set(id, plan);
    }
    const result = convertBlock(plan, state);
    if (!result.ok) {
      throw new StoredStateError("unconvertible", {
        spec: to.spec,
        key,
        from: from.hash,
        to: to.hash,
        variable: result.problem.variable,
        reason: result.problem.reason,
      });
    }
    return writeBlock(to, result.slots);
  }
}
