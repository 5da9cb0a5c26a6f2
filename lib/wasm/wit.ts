/**
 * WIT generation: the component world of a compiled spec, with doc comments
 * naming the spec item each export comes from. The world is the one of
 * `docs/abi.md`: top-level scalar function exports only.
 *
 * @module
 */
import {
  type ActionMeta,
  DISPATCH_EXPORTS,
  dispatchArity,
  type PropertyMeta,
  type SpecMeta,
  type TypeDesc,
} from "../abi/meta.ts";
import type { SourceRange } from "../abi/source_range.ts";
import { globalAfterAggFits, globalAfterFits } from "../abi/global_after.ts";
import { paramKebabNames, toKebab, witIdent as escapeKeyword } from "./wit_names.ts";

const LABEL = /^[a-z][a-z0-9]*(-[a-z][a-z0-9]*)*$/;

/**
 * Converts a spec identifier to a WIT label (kebab-case, every word
 * starting with a letter); the same conversion as `names.ts`'s `toKebab`,
 * which names the core exports (`markPaid`, `mark_paid` -> `mark-paid`).
 *
 * @example Kebab-case an action name
 * ```ts
 * import assert from "node:assert/strict";
 * import { kebabCase } from "./wit.ts";
 * assert.equal(kebabCase("markPaid"), "mark-paid");
 * ```
 */
export function kebabCase(name: string): string {
  return toKebab(name);
}

/**
 * Escapes a WIT label with `%` when it is a keyword; rejects a string that
 * is not a WIT label.
 *
 * @example Escape a keyword
 * ```ts
 * import assert from "node:assert/strict";
 * import { witIdent } from "./wit.ts";
 * assert.equal(witIdent("type"), "%type");
 * assert.throws(() => witIdent("Bad Label"), RangeError);
 * ```
 */
export function witIdent(label: string): string {
  if (!LABEL.test(label)) throw new RangeError(`Invalid WIT label '${label}'`);
  return escapeKeyword(label);
}

/**
 * The world name of a spec as `componentEmbed` expects it (escaped when a keyword).
 *
 * @example The world of spec `Lease`
 * ```ts
 * import assert from "node:assert/strict";
 * import { worldOf } from "./wit.ts";
 * assert.equal(worldOf({ name: "OrderWorkflow" }), "order-workflow");
 * ```
 */
export function worldOf(meta: Pick<SpecMeta, "name">): string {
  return witIdent(kebabCase(meta.name));
}

function at(range: SourceRange): string {
  return `line ${range.line}:${range.column}`;
}

function typeText(t: TypeDesc): string {
  switch (t.kind) {
    case "bool":
      return "bool";
    case "int":
      return "int";
    case "range":
      return t.name ?? `${t.lo}..${t.hi}`;
    case "enum":
      return t.name;
    case "map":
      return `map[${typeText(t.key)}, ${typeText(t.value)}]`;
  }
}

/** Parameter labels of an action: kebab-cased, escaped, distinct from `inst` and each other. */
function paramLabels(action: ActionMeta): string[] {
  return paramKebabNames(action.params.map((p) => p.name)).map(witIdent);
}

function actionExports(a: ActionMeta): string[] {
  const params = paramLabels(a).map((label) => `, ${label}: f64`).join("");
  const sig = `func(inst: u32${params}) -> u32;`;
  const paramDocs = a.params.map((p) =>
    `  /// Parameter \`${p.name}: ${typeText(p.type)}\` (bad_argument code ${p.code}).`
  );
  return [
    `  /// From \`action ${a.name}\` (${at(a.range)}): checks the transition and applies it`,
    "  /// when the verdict is 0 (ok); returns the verdict code.",
    ...paramDocs,
    `  export ${witIdent(a.stepExport)}: ${sig}`,
    `  /// From \`action ${a.name}\` (${
      at(a.range)
    }): the verdict of the transition, never applied.`,
    `  export ${witIdent(a.checkExport)}: ${sig}`,
  ];
}

/** `dispatch-step` and `dispatch-check`: one export for every action (see `codegen_dispatch.ts`). */
function dispatchExports(meta: SpecMeta): string[] {
  const k = dispatchArity(meta);
  const args = Array.from({ length: k }, (_, i) => `, a${i}: f64`).join("");
  const sig = `func(inst: u32, action: u32${args}) -> u32;`;
  const slots = k === 1 ? "`a0`" : `\`a0 .. a${k - 1}\``;
  const actions = meta.actions.map((a, i) => `  /// - action index ${i}: \`${a.name}\``);
  return [
    `  /// \`step-<action>\` of action index \`action\`, its arguments first in ${slots} (the rest`,
    "  /// ignored); returns 1 (unknown_action) for any other index.",
    ...actions,
    `  export ${DISPATCH_EXPORTS.step}: ${sig}`,
    "  /// `check-<action>` of action index `action`, dispatched the same way.",
    `  export ${DISPATCH_EXPORTS.check}: ${sig}`,
  ];
}

function propertyDocs(word: string, items: readonly PropertyMeta[]): string[] {
  if (items.length === 0) return [`  /// No \`${word}\` items: always 0.`];
  return items.map((p) =>
    `  /// - \`${word} ${p.name}\` (${at(p.range)}), verdict code ${p.code}.`
  );
}

function livenessDocs(word: string, items: readonly PropertyMeta[]): string[] {
  if (items.length === 0) return [`  /// No \`${word}\` items: always 0.`];
  return items.map((p, i) => {
    const bit = p.bit ?? i;
    return `  /// Bits ${2 * bit} (when) and ${2 * bit + 1} (eventually): \`${word} ${p.name}\` (${
      at(p.range)
    }).`;
  });
}

/**
 * The WIT package and world of a compiled spec, with `///` doc comments
 * naming the spec item behind each export.
 *
 * @example Generate the world of a spec
 * ```ts
 * import assert from "node:assert/strict";
 * import { witOf } from "./wit.ts";
 * import { DIAL_META } from "../abi/testdata/hand_metas.ts";
 * const wit = witOf(DIAL_META);
 * assert.ok(wit.startsWith("/// Compiled Vigil spec `Dial`"));
 * assert.match(wit, /^package vigil:dial;$/m);
 * assert.match(wit, /^world dial \{$/m);
 * ```
 */
export function witOf(meta: SpecMeta): string {
  const world = worldOf(meta);
  const lines = [
    `/// Compiled Vigil spec \`${meta.name}\` (${at(meta.range)}), ABI version ${meta.abi}.`,
    `/// Source SHA-256: ${meta.sourceHash}.`,
    `package vigil:${world};`,
    "",
    `/// Monitor of spec \`${meta.name}\`: instance states live in the core module's memory,`,
    `/// ${meta.stride} bytes per instance; every export is scalar.`,
    `world ${world} {`,
    "  /// Allocates `count` instances in the initial state (`init`); returns the first index.",
    "  export create: func(count: u32) -> u32;",
    "  /// Puts instance `inst` back in the initial state (`init`).",
    "  export reset: func(inst: u32);",
    "  /// The number of instances allocated.",
    "  export instance-count: func() -> u32;",
    "  /// Byte address of instance `inst`'s state block in the core module's memory.",
    "  export state-ptr: func(inst: u32) -> u32;",
    `  /// Slot \`slot\` of instance \`inst\` (state variables ${
      meta.vars.map((v) => `\`${v.name}\``).join(", ") || "none"
    }).`,
    "  export read-slot: func(inst: u32, slot: u32) -> s64;",
    "  /// Writes a slot; returns 0, or 1 when `value` is outside the slot's type (not written).",
    "  export write-slot: func(inst: u32, slot: u32, value: s64) -> u32;",
    ...meta.actions.flatMap(actionExports),
    ...dispatchExports(meta),
    "  /// Local invariants on the current state (prev(x) = x), in declaration order;",
    "  /// returns the first failing invariant's code, or 0.",
    ...propertyDocs("invariant", meta.invariants),
    "  export check-invariants: func(inst: u32) -> u32;",
    "  /// Local liveness predicates of instance `inst` as a bit mask.",
    ...livenessDocs("liveness", meta.liveness),
    "  export liveness: func(inst: u32) -> u32;",
    "  /// Global invariants over instances `first .. first+count-1`, in declaration order;",
    "  /// returns the first failing invariant's code, or 0.",
    ...propertyDocs("global invariant", meta.globalInvariants),
    "  export global-check: func(first: u32, count: u32) -> u32;",
    "  /// The same verdict as `global-check`, given that every global invariant held",
    "  /// before the instance at position `node` changed or joined: re-checks only what involves it.",
    "  export global-check-node: func(first: u32, count: u32, node: u32) -> u32;",
    "  /// Global liveness predicates over instances `first .. first+count-1` as a bit mask.",
    ...livenessDocs("global liveness", meta.globalLiveness),
    "  export global-liveness: func(first: u32, count: u32) -> u32;",
    "  /// Bytes of the record of maintained node aggregates (counts and sums), 0 when none.",
    "  export global-agg-size: func() -> u32;",
    "  /// Adds (`delta` 1) or removes (-1) instance `inst`'s contributions to the record at instance",
    "  /// `cells`; returns non-zero when the record overflowed and must be rebuilt.",
    "  export global-agg-add: func(inst: u32, cells: u32, delta: s32) -> u32;",
    "  /// `global-check` with the aggregates read from the record at `cells`; when `node < count`,",
    "  /// given that every global invariant held before the instance at `node` changed.",
    "  export global-check-agg: func(first: u32, count: u32, node: u32, cells: u32) -> u32;",
    "  /// `global-liveness` with the aggregates read from the record at `cells`.",
    "  export global-liveness-agg: func(first: u32, count: u32, cells: u32) -> u32;",
    ...(globalAfterFits(meta)
      ? [
        "  /// After the state of the instance at position `node` was written: the verdict of",
        "  /// `global-check-node` (when `pinned` is non-zero) or `global-check`, or'ed with",
        "  /// `liveness(first + node) << 16` and `global-liveness(first, count) << 24`.",
        "  export global-after: func(first: u32, count: u32, node: u32, pinned: u32) -> u32;",
      ]
      : []),
    ...(globalAfterAggFits(meta)
      ? [
        "  /// `global-after` for a block read from the record at `cells`: adds instance `first + node`",
        "  /// to it first when `add` is non-zero (bit 15 set: it overflowed), then `global-check-agg`",
        "  /// (`node` when `pinned`, else `count`) and `global-liveness-agg`.",
        "  export global-agg-after: func(first: u32, count: u32, node: u32, pinned: u32, cells: u32, add: u32) -> u32;",
      ]
      : []),
    "}",
    "",
  ];
  return lines.join("\n");
}
