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

/** The custom section name. */
export const META_SECTION = "vigil";
/** The ABI version this loader understands. */
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

/** A type as described in the metadata (range bounds as decimal strings). */
export type TypeDesc =
  | { readonly kind: "bool" }
  | { readonly kind: "int" }
  | { readonly kind: "range"; readonly lo: string; readonly hi: string; readonly name?: string }
  | { readonly kind: "enum"; readonly name: string; readonly labels: readonly string[] }
  | { readonly kind: "map"; readonly key: TypeDesc; readonly value: TypeDesc };

/** An action and the names of its component exports. */
export interface ActionMeta {
  readonly name: string;
  /** WIT export names, e.g. `step-acquire` and `check-acquire`. */
  readonly stepExport: string;
  readonly checkExport: string;
  readonly params: readonly {
    readonly name: string;
    readonly type: TypeDesc;
    readonly code: number;
  }[];
  readonly range: SourceRange;
}

/** An invariant or liveness item. `bit` is its bit in the liveness masks. */
export interface PropertyMeta {
  readonly name: string;
  readonly code: number;
  readonly range: SourceRange;
  readonly withinMs?: number;
  readonly bit?: number;
}

/** Everything the runtime needs to drive and describe a compiled spec. */
export interface SpecMeta {
  readonly abi: number;
  readonly name: string;
  /** SHA-256 of the spec source, lowercase hex. */
  readonly sourceHash: string;
  /** Bytes per instance block in linear memory. */
  readonly stride: number;
  /** Packed layout of each slot within an instance block. */
  readonly slots: readonly SlotLayout[];
  readonly vars: readonly {
    readonly name: string;
    readonly type: TypeDesc;
    readonly base: number;
    readonly size: number;
    readonly range: SourceRange;
  }[];
  /** Initial slot values (decimal strings). */
  readonly initial: readonly string[];
  readonly actions: readonly ActionMeta[];
  readonly invariants: readonly PropertyMeta[];
  readonly globalInvariants: readonly PropertyMeta[];
  /** Local liveness: bit `2*bit` of `liveness(inst)` is `when`, `2*bit+1` is `eventually`. */
  readonly liveness: readonly PropertyMeta[];
  /** Same encoding for `global-liveness(first, count)`. */
  readonly globalLiveness: readonly PropertyMeta[];
  /** `verdicts[code]` for every code. */
  readonly verdicts: readonly VerdictEntry[];
  /** The spec header's range. */
  readonly range: SourceRange;
}
