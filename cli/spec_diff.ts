/**
 * What changed between two versions of a spec, and whether they can run
 * side by side during a rolling upgrade (`vigil diff`). The verdict follows
 * the state conversion rules (`lib/abi/state_convert.ts`), by which the
 * collector carries the states of nodes still on the old version to the
 * new layout:
 *
 * - **compatible**: every state of the old version converts (variables
 *   added, dropped, or widened: a range that grows, enum labels added or
 *   reordered);
 * - **incompatible**, with the reasons: the spec's name changed (versions
 *   are matched by name), a variable is retyped (no state converts), or a
 *   change converts only the states whose values allow it (an enum label
 *   removed, a range narrowed, `int` to a range, a map key removed): the
 *   partitions holding such values would turn `mixed`.
 *
 * Actions and properties are reported too (added, removed, changed: their
 * text or their parameters), for the reader; they do not decide the
 * verdict, since each node's events are decoded with its own version and
 * global items are checked with the newest.
 *
 * @module
 */
import { describeType, planConversion } from "../lib/abi/state_convert.ts";
import type { PropertyMeta, SpecMeta, TypeDesc } from "../lib/abi/meta.ts";
import type { SourceRange } from "../lib/abi/source_range.ts";

/** One side of a diff: the file, its metadata, and its source when it is one. */
export interface SpecSide {
  /** As named on the command line. */
  readonly file: string;
  readonly meta: SpecMeta;
  /** The source text (`.vigil`), or absent for compiled input. */
  readonly source?: string;
}

/** One added, removed or changed item. */
export interface DiffEntry {
  readonly change: "added" | "removed" | "changed";
  /** The item, e.g. `mode`, `acquire`, `global invariant OneHolder`. */
  readonly name: string;
  /** The old form (removed, changed). */
  readonly before?: string;
  /** The new form (added, changed). */
  readonly after?: string;
  /** What it means, e.g. `starts at its initial value`. */
  readonly note?: string;
}

/** Labels added to and removed from the enum type of a variable (or of its map's keys or values). */
export interface LabelChange {
  /** The variable, with `[key]` or `[value]` for a map's part. */
  readonly variable: string;
  /** The enum type's name in the new version. */
  readonly type: string;
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

/** The diff of two versions of a spec. */
export interface SpecDiff {
  readonly old: { readonly file: string; readonly name: string; readonly hash: string };
  readonly new: { readonly file: string; readonly name: string; readonly hash: string };
  /** True when both have the same source hash. */
  readonly identical: boolean;
  readonly variables: readonly DiffEntry[];
  readonly labels: readonly LabelChange[];
  readonly actions: readonly DiffEntry[];
  /** Invariants, liveness items, local and global. */
  readonly properties: readonly DiffEntry[];
  /** Can nodes of both versions run side by side (states convert by variable name)? */
  readonly compatible: boolean;
  /** Why not, one sentence each. */
  readonly reasons: readonly string[];
  /** What the diff could not compare (compiled input has no source text). */
  readonly notes: readonly string[];
}

/** A scalar value of type `t` in the spec's words. */
function valueText(t: TypeDesc, raw: string): string {
  if (t.kind === "bool") return raw === "0" ? "false" : "true";
  if (t.kind === "enum") return t.labels[Number(raw)] ?? raw;
  return raw; // ranges and ints hold their value
}

/** The initial value of variable `v` of `meta`, as text. */
function initialText(meta: SpecMeta, v: SpecMeta["vars"][number]): string {
  const slots = meta.initial.slice(v.base, v.base + v.size);
  if (v.type.kind !== "map") return valueText(v.type, slots[0] ?? "0");
  const value = v.type.value;
  const distinct = [...new Set(slots)];
  return distinct.length === 1 ? valueText(value, distinct[0]!) : `(${slots.length} entries)`;
}

function varText(meta: SpecMeta, v: SpecMeta["vars"][number]): string {
  return `${describeType(v.type)} = ${initialText(meta, v)}`;
}

/** The enum types inside a type, with where they are. */
function enumsOf(
  t: TypeDesc,
  at: string,
): { at: string; name: string; labels: readonly string[] }[] {
  if (t.kind === "enum") return [{ at, name: t.name, labels: t.labels }];
  if (t.kind === "map") {
    return [...enumsOf(t.key, `${at}[key]`), ...enumsOf(t.value, `${at}[value]`)];
  }
  return [];
}

/** The text of a source range, whitespace and comments normalised; `null` without a source. */
function textOf(source: string | undefined, r: SourceRange): string | null {
  if (source === undefined) return null;
  const lines = source.split("\n").slice(r.line - 1, r.endLine);
  if (lines.length === 0) return null;
  const last = lines.length - 1;
  lines[last] = lines[last]!.slice(0, r.line === r.endLine ? r.endColumn - 1 : r.endColumn - 1);
  lines[0] = lines[0]!.slice(r.column - 1);
  return lines.map((l) => l.replace(/\/\/.*$/, "").trim()).filter((l) => l !== "").join(" ")
    .replace(/\s+/g, " ");
}

function signature(a: SpecMeta["actions"][number]): string {
  return `${a.name}(${a.params.map((p) => `${p.name}: ${describeType(p.type)}`).join(", ")})`;
}

/** Added, removed and changed items of two lists matched by name. */
function byName<T extends { readonly name: string; readonly range: SourceRange }>(
  before: readonly T[],
  after: readonly T[],
  how: {
    readonly label: (x: T) => string;
    readonly form: (x: T) => string;
    readonly oldSource: string | undefined;
    readonly newSource: string | undefined;
  },
): DiffEntry[] {
  const out: DiffEntry[] = [];
  const now = new Map(after.map((x) => [how.label(x), x]));
  const was = new Map(before.map((x) => [how.label(x), x]));
  for (const x of before) {
    const name = how.label(x);
    const y = now.get(name);
    if (y === undefined) {
      out.push({ change: "removed", name, before: how.form(x) });
      continue;
    }
    const formChanged = how.form(x) !== how.form(y);
    const a = textOf(how.oldSource, x.range);
    const b = textOf(how.newSource, y.range);
    const textChanged = a !== null && b !== null && a !== b;
    if (formChanged || textChanged) {
      out.push({
        change: "changed",
        name,
        before: how.form(x),
        after: how.form(y),
        ...(textChanged && !formChanged ? { note: "text changed" } : {}),
      });
    }
  }
  for (const y of after) {
    const name = how.label(y);
    if (!was.has(name)) out.push({ change: "added", name, after: how.form(y) });
  }
  return out;
}

function properties(meta: SpecMeta): (PropertyMeta & { readonly kind: string })[] {
  return [
    ...meta.invariants.map((p) => ({ ...p, kind: "invariant" })),
    ...meta.globalInvariants.map((p) => ({ ...p, kind: "global invariant" })),
    ...meta.liveness.map((p) => ({ ...p, kind: "liveness" })),
    ...meta.globalLiveness.map((p) => ({ ...p, kind: "global liveness" })),
  ];
}

/**
 * Compares two versions of a spec.
 *
 * @example A version that adds a variable and drops a label
 * ```ts
 * import assert from "node:assert/strict";
 * import { diffSpecs } from "./spec_diff.ts";
 * import { DIAL_META } from "../lib/abi/testdata/hand_metas.ts";
 * const v2 = {
 *   ...DIAL_META,
 *   sourceHash: "2".repeat(64),
 *   slots: [...DIAL_META.slots, { offset: 2, width: 1, signed: false }],
 *   vars: [
 *     { ...DIAL_META.vars[0]!, type: { kind: "enum", name: "Mode", labels: ["off", "high"] } },
 *     DIAL_META.vars[1]!,
 *     { ...DIAL_META.vars[1]!, name: "notes", base: 2, type: { kind: "range", lo: "0", hi: "9" } },
 *   ],
 *   initial: [...DIAL_META.initial, "4"],
 * } as const;
 * const d = diffSpecs({ file: "v1", meta: DIAL_META }, { file: "v2", meta: v2 });
 * assert.deepEqual(d.variables.map((e) => [e.change, e.name]), [["changed", "mode"], ["added", "notes"]]);
 * assert.deepEqual(d.labels, [{ variable: "mode", type: "Mode", added: [], removed: ["low"] }]);
 * assert.equal(d.compatible, false);
 * assert.match(d.reasons[0] ?? "", /Variable 'mode' loses label 'low'/);
 * ```
 */
export function diffSpecs(older: SpecSide, newer: SpecSide): SpecDiff {
  const from = older.meta;
  const to = newer.meta;
  const plan = planConversion(from, to);
  const reasons: string[] = [];
  if (from.name !== to.name) {
    reasons.push(
      `The spec is renamed from '${from.name}' to '${to.name}': the collector matches versions ` +
        `by name, so it would run them as two specs`,
    );
  }
  for (const r of plan.retyped) reasons.push(`${r.reason}: no state converts`);
  for (const r of plan.risks) {
    reasons.push(
      `${r.reason}: a state holding such a value does not convert (its partition turns mixed)`,
    );
  }
  const oldVars = new Map(from.vars.map((v) => [v.name, v]));
  const newVars = new Map(to.vars.map((v) => [v.name, v]));
  const variables: DiffEntry[] = [];
  const labels: LabelChange[] = [];
  for (const v of to.vars) {
    const old = oldVars.get(v.name);
    if (old === undefined) {
      variables.push({
        change: "added",
        name: v.name,
        after: varText(to, v),
        note: "starts at its initial value",
      });
      continue;
    }
    const retyped = plan.retyped.find((r) => r.variable === v.name);
    const risk = plan.risks.find((r) => r.variable === v.name);
    const typeChanged = describeType(old.type) !== describeType(v.type);
    const initialChanged = initialText(from, old) !== initialText(to, v);
    if (typeChanged || initialChanged) {
      variables.push({
        change: "changed",
        name: v.name,
        before: varText(from, old),
        after: varText(to, v),
        note: retyped !== undefined
          ? "retyped: no state converts"
          : risk !== undefined
          ? `${risk.reason.replace(/^Variable '[^']*' /, "")}: converts only states that allow it`
          : typeChanged
          ? "converts"
          : "initial value changed (existing states keep theirs)",
      });
    }
    const before = new Map(enumsOf(old.type, v.name).map((e) => [e.at, e]));
    for (const e of enumsOf(v.type, v.name)) {
      const b = before.get(e.at);
      if (b === undefined) continue;
      const added = e.labels.filter((l) => !b.labels.includes(l));
      const removed = b.labels.filter((l) => !e.labels.includes(l));
      if (added.length > 0 || removed.length > 0) {
        labels.push({ variable: e.at, type: e.name, added, removed });
      }
    }
  }
  for (const v of from.vars) {
    if (!newVars.has(v.name)) {
      variables.push({
        change: "removed",
        name: v.name,
        before: varText(from, v),
        note: "dropped",
      });
    }
  }
  const sources = { oldSource: older.source, newSource: newer.source };
  const actions = byName(from.actions, to.actions, {
    label: (a) => a.name,
    form: signature,
    ...sources,
  });
  const props = byName(properties(from), properties(to), {
    label: (p) => `${p.kind} ${p.name}`,
    form: (p) => `${p.kind} ${p.name}${p.withinMs === undefined ? "" : ` within ${p.withinMs} ms`}`,
    ...sources,
  });
  const notes: string[] = [];
  if (older.source === undefined || newer.source === undefined) {
    notes.push(
      "The text of actions and properties is compared only when both sides are .vigil sources",
    );
  }
  return {
    old: { file: older.file, name: from.name, hash: from.sourceHash },
    new: { file: newer.file, name: to.name, hash: to.sourceHash },
    identical: from.sourceHash === to.sourceHash,
    variables,
    labels,
    actions,
    properties: props,
    compatible: reasons.length === 0,
    reasons,
    notes,
  };
}

const MARK = { added: "+", removed: "-", changed: "~" } as const;

/** One entry as a line; `named`: the forms do not include the name (variables). */
function entryLine(e: DiffEntry, named: boolean): string {
  const forms = e.change === "added"
    ? [e.after]
    : e.change === "removed"
    ? [e.before]
    : e.before === e.after
    ? [e.after]
    : [e.before, e.after];
  const shown = forms.map((f) => f ?? "").join(" -> ");
  const text = named ? `${e.name}: ${shown}` : shown;
  return `  ${MARK[e.change]} ${text}${e.note === undefined ? "" : `  (${e.note})`}`;
}

/**
 * The diff as text: a header, each section that has changes, and the verdict.
 *
 * @example A compatible change
 * ```ts
 * import assert from "node:assert/strict";
 * import { diffSpecs, formatDiff } from "./spec_diff.ts";
 * import { TOGGLE_META } from "../lib/abi/testdata/hand_metas.ts";
 * const v2 = { ...TOGGLE_META, sourceHash: "2".repeat(64), actions: TOGGLE_META.actions.slice(0, 1) };
 * const text = formatDiff(diffSpecs({ file: "a.vigil", meta: TOGGLE_META }, { file: "b.vigil", meta: v2 }));
 * assert.match(text, /^Toggle: a\.vigil -> b\.vigil\n/);
 * assert.match(text, /\nactions:\n  - turnOn\(\)\n/);
 * assert.match(text, /\ncompatible: /);
 * ```
 */
export function formatDiff(d: SpecDiff): string {
  const name = d.old.name === d.new.name ? d.new.name : `${d.old.name} -> ${d.new.name}`;
  const out = [`${name}: ${d.old.file} -> ${d.new.file}`];
  if (d.identical) out.push("no change (same source hash)");
  const section = (title: string, entries: readonly DiffEntry[], named = false) => {
    if (entries.length === 0) return;
    out.push(`${title}:`);
    for (const e of entries) out.push(entryLine(e, named));
  };
  section("variables", d.variables, true);
  if (d.labels.length > 0) {
    out.push("enum labels:");
    for (const l of d.labels) {
      const parts = [
        ...l.added.map((x) => `+${x}`),
        ...l.removed.map((x) => `-${x}`),
      ];
      out.push(`  ~ ${l.variable} (${l.type}): ${parts.join(" ")}`);
    }
  }
  section("actions", d.actions);
  section("properties", d.properties);
  for (const n of d.notes) out.push(`note: ${n}`);
  if (d.compatible) {
    out.push(
      "compatible: nodes of both versions can run side by side; states convert by variable name",
    );
  } else {
    out.push("incompatible for a rolling upgrade:");
    for (const r of d.reasons) out.push(`  - ${r}`);
  }
  return out.join("\n");
}
