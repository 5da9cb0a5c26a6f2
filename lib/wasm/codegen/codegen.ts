/**
 * The core WebAssembly module of a compiled spec, built with binaryen.
 *
 * Exports (names from the WIT world; action names from `meta`): `create`,
 * `reset`, `instance-count`, `state-ptr`, `read-slot`, `write-slot`,
 * `step-<a>` and `check-<a>` per action, `dispatch-step` and
 * `dispatch-check` (one export for every action, see
 * `codegen_dispatch.ts`), `check-invariants`, `liveness`, `global-check`,
 * `global-check-node` (`global_incremental.ts`), `global-liveness`, the
 * maintained aggregates `global-agg-size`, `global-agg-add`,
 * `global-check-agg` and `global-liveness-agg` (`global_aggregates.ts`),
 * `global-after` and `global-agg-after` when the spec fits their packed
 * results (`global_after.ts`, `global_aggregates.ts`), `explore-expand`
 * only when asked (`expand.ts`, for the model checker),
 * and the memory as `memory`. The
 * `vigil` custom section holds `JSON.stringify(meta)`. Features: MVP,
 * mutable globals, sign extension and bulk memory (`memory.copy`); no
 * multi-value. See `codegen_instances.ts` for the memory map.
 *
 * @module
 */
import binaryen from "binaryen";
import type { Program } from "../../ir.ts";
import { DISPATCH_EXPORTS, META_SECTION, type SpecMeta } from "../../abi/meta.ts";
import {
  addActionFunction,
  addCheckInvariants,
  addLiveness,
  type CodegenInput,
} from "./actions.ts";
import { addDispatcher } from "./dispatch.ts";
import { addExpand, EXPAND_EXPORT } from "./expand.ts";
import { addGlobalCheck, addGlobalLiveness } from "./globals.ts";
import { addGlobalCheckNode } from "./global_incremental.ts";
import { addGlobalAggregates } from "./global_aggregates.ts";
import { addGlobalAfter } from "./global_after.ts";
import { GLOBAL_AFTER_AGG_EXPORT, GLOBAL_AFTER_EXPORT } from "../../abi/global_after.ts";
import { addInstanceFunctions, dataSegment, planInstances } from "./instances.ts";

/** Options of {@link buildCoreModule}. */
export interface CoreModuleOptions {
  /** Run binaryen's optimizer (level 3, shrink 1). Default `true`. */
  readonly optimize?: boolean;
  /**
   * Add the model checker's `explore-expand` (`expand.ts`). Default
   * `false`: the modules of the SDK and the collector do not have it.
   */
  readonly explore?: boolean;
}

/** The built core module: its binary and its text form (for golden files). */
export interface CoreModule {
  readonly wasm: Uint8Array;
  readonly text: string;
}

/** The export names of the fixed (non-action) functions. */
export const FIXED_EXPORTS = {
  create: "create",
  reset: "reset",
  instanceCount: "instance-count",
  statePtr: "state-ptr",
  readSlot: "read-slot",
  writeSlot: "write-slot",
  checkInvariants: "check-invariants",
  liveness: "liveness",
  globalCheck: "global-check",
  globalCheckNode: "global-check-node",
  globalLiveness: "global-liveness",
  globalAggSize: "global-agg-size",
  globalAggAdd: "global-agg-add",
  globalCheckAgg: "global-check-agg",
  globalLivenessAgg: "global-liveness-agg",
} as const;

/**
 * binaryen's `bulk-memory-opt` feature bit (memory.copy and memory.fill),
 * which binaryen.js 122 does not name; `bulk-memory` requires it.
 */
const BULK_MEMORY_OPT = 1 << 19;

/** The binaryen features the module uses; components accept all of them. */
export const CORE_FEATURES: number = binaryen.Features.MutableGlobals |
  binaryen.Features.SignExt |
  binaryen.Features.BulkMemory |
  BULK_MEMORY_OPT;

const MAX_PAGES = 65536;

/** Checks that each map's entries are contiguous and equally wide (dynamic keys rely on it). */
function checkMapLayout(program: Program, meta: SpecMeta): void {
  for (const v of program.vars) {
    const first = meta.slots[v.base];
    if (first === undefined) throw new RangeError(`Variable '${v.name}' has no slot layout`);
    for (let i = 1; i < v.size; i++) {
      const s = meta.slots[v.base + i];
      if (
        s === undefined || s.width !== first.width || s.offset !== first.offset + i * first.width
      ) {
        throw new RangeError(`Map '${v.name}' is not laid out contiguously`);
      }
    }
  }
}

function mapBaseTable(program: Program): (slot: number) => number {
  const bases: number[] = new Array(program.slotCount);
  for (const v of program.vars) for (let i = 0; i < v.size; i++) bases[v.base + i] = v.base;
  return (slot) => bases[slot] ?? slot;
}

function addFunctions(m: binaryen.Module, input: CodegenInput, meta: SpecMeta): string[] {
  const names: string[] = Object.values(FIXED_EXPORTS);
  input.program.actions.forEach((action, i) => {
    const am = meta.actions[i];
    if (am === undefined || am.name !== action.name) {
      throw new RangeError(`Metadata does not describe action '${action.name}'`);
    }
    addActionFunction(m, input, action, am.stepExport, true);
    addActionFunction(m, input, action, am.checkExport, false);
    names.push(am.stepExport, am.checkExport);
  });
  addDispatcher(m, meta, DISPATCH_EXPORTS.step, meta.actions.map((a) => a.stepExport));
  addDispatcher(m, meta, DISPATCH_EXPORTS.check, meta.actions.map((a) => a.checkExport));
  names.push(DISPATCH_EXPORTS.step, DISPATCH_EXPORTS.check);
  addCheckInvariants(m, input, FIXED_EXPORTS.checkInvariants);
  addLiveness(m, input, FIXED_EXPORTS.liveness);
  addGlobalCheck(m, input, FIXED_EXPORTS.globalCheck);
  addGlobalCheckNode(m, input, FIXED_EXPORTS.globalCheckNode);
  addGlobalLiveness(m, input, FIXED_EXPORTS.globalLiveness);
  const afterAgg = addGlobalAggregates(m, input, {
    size: FIXED_EXPORTS.globalAggSize,
    add: FIXED_EXPORTS.globalAggAdd,
    check: FIXED_EXPORTS.globalCheckAgg,
    liveness: FIXED_EXPORTS.globalLivenessAgg,
    fullCheck: FIXED_EXPORTS.globalCheck,
    fullLiveness: FIXED_EXPORTS.globalLiveness,
    after: { name: GLOBAL_AFTER_AGG_EXPORT, liveness: FIXED_EXPORTS.liveness, meta },
  });
  if (afterAgg) names.push(GLOBAL_AFTER_AGG_EXPORT);
  const after = addGlobalAfter(m, meta, {
    name: GLOBAL_AFTER_EXPORT,
    check: FIXED_EXPORTS.globalCheck,
    checkNode: FIXED_EXPORTS.globalCheckNode,
    liveness: FIXED_EXPORTS.liveness,
    globalLiveness: FIXED_EXPORTS.globalLiveness,
  });
  if (after) names.push(GLOBAL_AFTER_EXPORT);
  return names;
}

function optimizeModule(m: binaryen.Module): void {
  const level = binaryen.getOptimizeLevel();
  const shrink = binaryen.getShrinkLevel();
  try {
    binaryen.setOptimizeLevel(3);
    binaryen.setShrinkLevel(1);
    m.optimize();
  } finally {
    binaryen.setOptimizeLevel(level);
    binaryen.setShrinkLevel(shrink);
  }
}

/**
 * Builds the core module of a checked program. `meta` comes from
 * `buildMeta(program, initial)` and supplies the layout, the export names,
 * the initial state and the custom section.
 *
 * @example Build and instantiate
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "../../frontend.ts";
 * import { initialState } from "../../interpreter/interpreter.ts";
 * import { buildMeta } from "../meta_build.ts";
 * import { buildCoreModule } from "./codegen.ts";
 * const program = analyze("spec Toggle\nstate on: bool = false\naction flip\n  on := not on\n").program!;
 * const { wasm } = buildCoreModule(program, buildMeta(program, initialState(program).state));
 * const core = new WebAssembly.Instance(new WebAssembly.Module(wasm as BufferSource)).exports;
 * const create = core["create"] as (count: number) => number;
 * const flip = core["step-flip"] as (inst: number) => number;
 * const inst = create(1);
 * assert.ok(flip(inst) === 0);
 * ```
 */
export function buildCoreModule(
  program: Program,
  meta: SpecMeta,
  options: CoreModuleOptions = {},
): CoreModule {
  if (meta.slots.length !== program.slotCount) {
    throw new RangeError(`Metadata has '${meta.slots.length}' slots, not '${program.slotCount}'`);
  }
  checkMapLayout(program, meta);
  const m = new binaryen.Module();
  try {
    m.setFeatures(CORE_FEATURES);
    const plan = planInstances(program, meta);
    m.setMemory(plan.pages, MAX_PAGES, "memory", [dataSegment(m, plan)]);
    addInstanceFunctions(m, plan, FIXED_EXPORTS);
    const input: CodegenInput = { program, plan, mapBaseOf: mapBaseTable(program) };
    for (const name of addFunctions(m, input, meta)) m.addFunctionExport(name, name);
    if (options.explore ?? false) {
      addExpand(m, plan, meta, EXPAND_EXPORT);
      m.addFunctionExport(EXPAND_EXPORT, EXPAND_EXPORT);
    }
    if (!m.validate()) {
      throw new Error(`Generated module for spec '${program.name}' does not validate`);
    }
    if (options.optimize ?? true) {
      optimizeModule(m);
      if (!m.validate()) {
        throw new Error(`Optimized module for spec '${program.name}' does not validate`);
      }
    }
    m.addCustomSection(META_SECTION, new TextEncoder().encode(JSON.stringify(meta)));
    return { wasm: m.emitBinary(), text: m.emitText() };
  } finally {
    m.dispose();
  }
}
