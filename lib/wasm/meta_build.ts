/**
 * Builds the {@link SpecMeta} carried in a compiled spec's `vigil` custom
 * section from a checked {@link Program} and its initial state: export
 * names, types (bounds as decimal strings), the packed slot layout, the
 * liveness bits and the verdict table.
 *
 * @module
 */
import type { IExpr, IInvariant, ILiveness, Program, Type } from "../ir.ts";
import { layoutOf } from "./state_layout.ts";
import { ABI_VERSION, type PropertyMeta, type SpecMeta, type TypeDesc } from "../abi/meta.ts";
import { actionExportNames } from "./wit_names.ts";

/** At most this many liveness items fit the two-bits-per-item u32 mask. */
export const MAX_LIVENESS_ITEMS = 16;

/**
 * Describes a type for the metadata: range bounds become decimal strings.
 *
 * @example Describe a range
 * ```ts
 * import assert from "node:assert/strict";
 * import { typeDesc } from "./meta_build.ts";
 * assert.deepEqual(typeDesc({ kind: "range", lo: 0n, hi: 3n }), { kind: "range", lo: "0", hi: "3" });
 * ```
 */
export function typeDesc(type: Type): TypeDesc {
  switch (type.kind) {
    case "bool":
    case "int":
      return { kind: type.kind };
    case "range": {
      const desc = { kind: "range", lo: type.lo.toString(), hi: type.hi.toString() } as const;
      return type.name === undefined ? desc : { ...desc, name: type.name };
    }
    case "enum":
      return { kind: "enum", name: type.name, labels: [...type.labels] };
    case "map":
      return { kind: "map", key: typeDesc(type.key), value: typeDesc(type.value) };
    case "node":
      throw new TypeError(`Type 'node' has no metadata description`);
  }
}

function invariantMeta(inv: IInvariant): PropertyMeta {
  return { name: inv.name, code: inv.code, range: inv.range };
}

function livenessMeta(items: readonly ILiveness[]): PropertyMeta[] {
  if (items.length > MAX_LIVENESS_ITEMS) {
    throw new RangeError(
      `'${items.length}' liveness items do not fit a 32-bit mask of ${MAX_LIVENESS_ITEMS}`,
    );
  }
  return items.map((l, bit) => ({
    name: l.name,
    code: l.code,
    range: l.range,
    withinMs: l.withinMs,
    bit,
  }));
}

/**
 * The slots the global invariants read of each node's state, ascending:
 * every `nodeSlot`, and every entry of a `nodeMap`. A global expression
 * that read the evaluating monitor's own slots would make it every slot.
 *
 * @example A global invariant that reads one of two variables
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "../frontend.ts";
 * import { globalSlots } from "./meta_build.ts";
 * const program = analyze(
 *   "spec S\n  state a: int = 0\n  state b: bool = false\n  action go\n    a := a + 1\n" +
 *     "  global invariant OneB\n    forall m, n in nodes: m.b and n.b implies m == n\n",
 * ).program!;
 * assert.deepEqual(globalSlots(program), [1]);
 * ```
 */
export function globalSlots(program: Program): number[] {
  const read = new Set<number>();
  let all = false;
  const visit = (e: unknown): void => {
    if (e === null || typeof e !== "object") return;
    if (Array.isArray(e)) {
      for (const x of e) visit(x);
      return;
    }
    const node = e as { readonly kind?: unknown; readonly [key: string]: unknown };
    if (node.kind === "nodeSlot") read.add(node.slot as number);
    else if (node.kind === "nodeMap") {
      for (let k = 0; k < (node.size as number); k++) read.add((node.base as number) + k);
    } else if (node.kind === "slot" || node.kind === "map") all = true;
    for (const value of Object.values(node)) visit(value);
  };
  for (const inv of program.globalInvariants) visit(inv.expr);
  if (all) return Array.from({ length: program.slotCount }, (_, k) => k);
  return [...read].sort((a, b) => a - b);
}

/**
 * `"exclusion"` when every global invariant (at least one) is of the form
 * `forall a, b in nodes: P(a) and P(b) implies a == b`, where `P` reads
 * only its node's slots (`nodeSlot`), constants, `not`, comparisons and
 * logic (no arithmetic, map or own slot: nothing that can fail), and the
 * two sides are the same `P` (`SpecMeta.globalShape`). A cut of such a
 * spec fails only if two of its nodes' states satisfy `P`.
 *
 * @example Lease's one holder is; a pairwise term is not
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "../frontend.ts";
 * import { globalShape } from "./meta_build.ts";
 * const spec = (inv: string) =>
 *   analyze(
 *     "spec S\n  state m: int = 0\n  state t: int = 0\n  action go\n    m := 1\n" +
 *       `  global invariant G\n    ${inv}\n`,
 *   ).program!;
 * assert.equal(globalShape(spec("forall a, b in nodes: a.m == 1 and b.m == 1 implies a == b")), "exclusion");
 * assert.equal(globalShape(spec("forall a, b in nodes: a.m == 1 and b.m == 1 and a.t == b.t implies a == b")), undefined);
 * ```
 */
export function globalShape(program: Program): "exclusion" | undefined {
  if (program.globalInvariants.length === 0) return undefined;
  for (const inv of program.globalInvariants) if (!exclusion(inv.expr)) return undefined;
  return "exclusion";
}

/** `forall x, y in nodes: P(x) and P(y) implies x == y` (see {@link globalShape}). */
function exclusion(e: IExpr): boolean {
  if (e.kind !== "nodeQuant" || e.quant !== "forall") return false;
  const inner = e.body;
  if (inner.kind !== "nodeQuant" || inner.quant !== "forall" || inner.local === e.local) {
    return false;
  }
  const x = e.local;
  const y = inner.local;
  const body = inner.body;
  if (body.kind !== "logic" || body.op !== "implies") return false;
  const both = body.left;
  const same = body.right;
  if (both.kind !== "logic" || both.op !== "and") return false;
  if (same.kind !== "cmp" || same.op !== "==") return false;
  const l = same.left;
  const r = same.right;
  if (l.kind !== "local" || r.kind !== "local") return false;
  if (!((l.index === x && r.index === y) || (l.index === y && r.index === x))) return false;
  return mirrored(both.left, x, both.right, y);
}

/** True when `a` reads only node `x` and `b` is the same expression reading node `y` instead. */
function mirrored(a: IExpr, x: number, b: IExpr, y: number): boolean {
  switch (a.kind) {
    case "const":
      return b.kind === "const" && b.value === a.value;
    case "nodeSlot":
      return b.kind === "nodeSlot" && a.node === x && b.node === y && a.slot === b.slot;
    case "not":
      return b.kind === "not" && mirrored(a.operand, x, b.operand, y);
    case "cmp":
      return b.kind === "cmp" && b.op === a.op && mirrored(a.left, x, b.left, y) &&
        mirrored(a.right, x, b.right, y);
    case "logic":
      return b.kind === "logic" && b.op === a.op && mirrored(a.left, x, b.left, y) &&
        mirrored(a.right, x, b.right, y);
    default:
      return false;
  }
}

/**
 * Builds the metadata of a compiled spec. `initial` is the initial state
 * (one value per slot, e.g. `initialState(program).state`).
 *
 * @example Build the metadata
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "../frontend.ts";
 * import { initialState } from "../interpreter/interpreter.ts";
 * import { buildMeta } from "./meta_build.ts";
 * const program = analyze("spec Toggle\nstate on: bool = false\naction flip\n  on := not on\n").program!;
 * const meta = buildMeta(program, initialState(program).state);
 * assert.ok(meta.actions[0]!.stepExport === "step-flip");
 * ```
 */
export function buildMeta(program: Program, initial: readonly bigint[]): SpecMeta {
  if (initial.length !== program.slotCount) {
    throw new RangeError(
      `Initial state has '${initial.length}' slots, not '${program.slotCount}'`,
    );
  }
  const layout = layoutOf(program);
  const names = actionExportNames(program.actions.map((a) => a.name));
  return {
    abi: ABI_VERSION,
    name: program.name,
    sourceHash: program.sourceHash,
    stride: layout.stride,
    slots: layout.slots.map((s) => ({ offset: s.offset, width: s.width, signed: s.signed })),
    vars: program.vars.map((v) => ({
      name: v.name,
      type: typeDesc(v.type),
      base: v.base,
      size: v.size,
      range: v.range,
    })),
    initial: initial.map((v) => v.toString()),
    actions: program.actions.map((a, i) => ({
      name: a.name,
      stepExport: names[i]!.step,
      checkExport: names[i]!.check,
      params: a.params.map((p) => ({ name: p.name, type: typeDesc(p.type), code: p.code })),
      range: a.range,
    })),
    invariants: program.invariants.map(invariantMeta),
    globalInvariants: program.globalInvariants.map(invariantMeta),
    globalSlots: globalSlots(program),
    ...(globalShape(program) === undefined ? {} : { globalShape: "exclusion" as const }),
    liveness: livenessMeta(program.liveness),
    globalLiveness: livenessMeta(program.globalLiveness),
    verdicts: program.verdicts.map((v) => ({ ...v })),
    range: program.range,
  };
}
