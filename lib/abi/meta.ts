/**
 * The description of a compiled spec carried in the core module's `vigil`
 * custom section (UTF-8 JSON), so a runtime can name the spec line of any
 * verdict without the source or the compiler. `bigint` values are decimal
 * strings.
 *
 * @module
 */
import type { SlotLayout } from "./slot_layout.ts";
import type { SourceRange } from "./source_range.ts";
import type { VerdictEntry } from "./verdict_codes.ts";

/**
 * The custom section name.
 *
 * @example The custom section of a compiled core module
 * ```ts
 * import assert from "node:assert/strict";
 * import { META_SECTION } from "./meta.ts";
 * const bytes = await Deno.readFile(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const module = new WebAssembly.Module(bytes);
 * assert.equal(WebAssembly.Module.customSections(module, META_SECTION).length, 1);
 * ```
 */
export const META_SECTION = "vigil";
/**
 * The ABI version this loader understands.
 *
 * @example A compiled spec records the ABI it was built for
 * ```ts
 * import assert from "node:assert/strict";
 * import { ABI_VERSION } from "./meta.ts";
 * import { loadCompiled } from "./loader.ts";
 * const lease = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * assert.equal(lease.meta.abi, ABI_VERSION);
 * ```
 */
export const ABI_VERSION = 1;

/**
 * The export names of the dispatchers: `dispatch-step(inst, action, a0, ..)`
 * and `dispatch-check(..)` call the step or check export of action index
 * `action` with its arguments first in `a0 ..` (see `docs/abi.md`).
 */
export const DISPATCH_EXPORTS = {
  step: "dispatch-step",
  check: "dispatch-check",
} as const;

/**
 * The number of f64 argument parameters of a spec's dispatchers: the
 * largest parameter count of its actions, at least 1.
 *
 * @example Arity of the Lease dispatchers
 * ```ts
 * import assert from "node:assert/strict";
 * import { dispatchArity } from "./meta.ts";
 * assert.equal(dispatchArity({ actions: [{ params: [{}] }, { params: [] }] }), 1);
 * ```
 */
export function dispatchArity(
  meta: { readonly actions: readonly { readonly params: readonly unknown[] }[] },
): number {
  return meta.actions.reduce((k, a) => Math.max(k, a.params.length), 1);
}

/**
 * A type as described in the metadata (range bounds as decimal strings).
 *
 * @example Describe a variable's type in words
 * ```ts
 * import assert from "node:assert/strict";
 * import type { TypeDesc } from "./meta.ts";
 * const describe = (t: TypeDesc): string =>
 *   t.kind === "range" ? `${t.lo}..${t.hi}` : t.kind === "enum" ? t.labels.join("|") : t.kind === "map" ? `map[${describe(t.key)}, ${describe(t.value)}]` : t.kind;
 * assert.equal(describe({ kind: "map", key: { kind: "range", lo: "0", hi: "3" }, value: { kind: "int" } }), "map[0..3, int]");
 * ```
 */
export type TypeDesc =
  | { readonly kind: "bool" }
  | { readonly kind: "int" }
  | { readonly kind: "range"; readonly lo: string; readonly hi: string; readonly name?: string }
  | { readonly kind: "enum"; readonly name: string; readonly labels: readonly string[] }
  | { readonly kind: "map"; readonly key: TypeDesc; readonly value: TypeDesc };

/**
 * An action and the names of its component exports.
 *
 * @example The actions of a compiled spec and their parameters
 * ```ts
 * import assert from "node:assert/strict";
 * import type { ActionMeta } from "./meta.ts";
 * import { loadCompiled } from "./loader.ts";
 * const lease = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const actions: readonly ActionMeta[] = lease.meta.actions;
 * assert.deepEqual(actions.map((a) => `${a.name}(${a.params.map((p) => p.name).join(", ")})`), ["acquire(c)", "release(c)"]);
 * ```
 */
export interface ActionMeta {
  /** The action's name. */
  readonly name: string;
  /** WIT export names, e.g. `step-acquire` and `check-acquire`. */
  readonly stepExport: string;
  /** WIT export name of the action's check function. */
  readonly checkExport: string;
  /** The action's parameters, in order: name, type and `bad_argument` verdict code. */
  readonly params: readonly {
    readonly name: string;
    readonly type: TypeDesc;
    readonly code: number;
  }[];
  /** Where the action is declared in the source. */
  readonly range: SourceRange;
}

/**
 * An invariant or liveness item. `bit` is its bit in the liveness masks.
 *
 * @example The liveness properties and their deadlines
 * ```ts
 * import assert from "node:assert/strict";
 * import type { PropertyMeta } from "./meta.ts";
 * import { loadCompiled } from "./loader.ts";
 * const lease = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const liveness: readonly PropertyMeta[] = lease.meta.liveness;
 * assert.deepEqual(liveness.map((p) => [p.name, p.withinMs]), [["HolderReleases", 30_000]]);
 * ```
 */
export interface PropertyMeta {
  /** The property's name. */
  readonly name: string;
  /** Its verdict code (`invariant_failed` or `liveness_timeout`). */
  readonly code: number;
  /** Where the property is declared in the source. */
  readonly range: SourceRange;
  /** Liveness only: the deadline, ms. */
  readonly withinMs?: number;
  /** Liveness only: its bit in the liveness masks. */
  readonly bit?: number;
}

/**
 * Everything the runtime needs to drive and describe a compiled spec.
 *
 * @example What a compiled spec says about itself
 * ```ts
 * import assert from "node:assert/strict";
 * import type { SpecMeta } from "./meta.ts";
 * import { loadCompiled } from "./loader.ts";
 * const lease = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const meta: SpecMeta = lease.meta;
 * assert.equal(meta.name, "Lease");
 * assert.match(meta.sourceHash, /^[0-9a-f]{64}$/);
 * assert.deepEqual(meta.vars.map((v) => v.name), ["mode", "owner", "token", "granted"]);
 * ```
 */
export interface SpecMeta {
  /** ABI version the spec was compiled for (`ABI_VERSION`). */
  readonly abi: number;
  /** The spec's name, e.g. `Lease`. */
  readonly name: string;
  /** SHA-256 of the spec source, lowercase hex. */
  readonly sourceHash: string;
  /** Bytes per instance block in linear memory. */
  readonly stride: number;
  /** Packed layout of each slot within an instance block. */
  readonly slots: readonly SlotLayout[];
  /** State variables in declaration order: name, type, first slot, slot count and source range. */
  readonly vars: readonly {
    readonly name: string;
    readonly type: TypeDesc;
    readonly base: number;
    readonly size: number;
    readonly range: SourceRange;
  }[];
  /** Initial slot values (decimal strings). */
  readonly initial: readonly string[];
  /** Actions, in declaration order. */
  readonly actions: readonly ActionMeta[];
  /** Local invariants, in declaration order. */
  readonly invariants: readonly PropertyMeta[];
  /** Global invariants, in declaration order. */
  readonly globalInvariants: readonly PropertyMeta[];
  /**
   * The slots the global invariants read of each node's state, ascending
   * (a collector may compare states on these alone). Absent in specs
   * compiled before it was recorded: read as every slot.
   */
  readonly globalSlots?: readonly number[];
  /**
   * `"exclusion"` when every global invariant is `forall a, b in nodes:
   * P(a) and P(b) implies a == b` for one predicate `P` of a node's own
   * slots that cannot fail (a cut then fails only if two of its nodes'
   * states satisfy `P`; the causal judge searches no cut for an interval
   * whose state does not). Absent for any other form, and in specs compiled
   * before it was recorded.
   */
  readonly globalShape?: "exclusion";
  /** Local liveness: bit `2*bit` of `liveness(inst)` is `when`, `2*bit+1` is `eventually`. */
  readonly liveness: readonly PropertyMeta[];
  /** Same encoding for `global-liveness(first, count)`. */
  readonly globalLiveness: readonly PropertyMeta[];
  /** `verdicts[code]` for every code. */
  readonly verdicts: readonly VerdictEntry[];
  /** The spec header's range. */
  readonly range: SourceRange;
}
