/**
 * The ABI of compiled specs: load a compiled spec from a URL, a path,
 * bytes or a `WebAssembly.Module`, drive its instances through scalar
 * exports, and describe its verdicts. Nothing here imports the compiler,
 * binaryen or jco, and no `node:` module is imported statically (a
 * `file:` URL is read with `node:fs/promises`, imported when one is
 * given).
 *
 * @example Load a compiled spec and describe a refused step
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeVerdict, formatVerdict, loadCompiled } from "./mod.ts";
 * const lease = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const inst = lease.create();
 * const acquire = lease.actionIndex("acquire");
 * lease.stepFn(acquire)(inst, ...lease.encodeArgs(acquire, { c: 2 }));
 * const code = lease.stepFn(acquire)(inst, ...lease.encodeArgs(acquire, { c: 3 }));
 * assert.match(
 *   formatVerdict(describeVerdict(lease.meta, code), "lease.vigil"),
 *   /^guard_failed in action acquire: require mode == free \(lease\.vigil:14:\d+\)$/,
 * );
 * ```
 *
 * @module
 */
export { loadCompiled } from "./loader.ts";
export { decodeMeta, SpecLoadError } from "./bindings.ts";
export { resolveSpecUrl } from "./spec_source.ts";
export { decodeView, encodeArgs, encodeView, readBlock } from "./state_codec.ts";
export { describeVerdict, formatVerdict, GuardError, OK } from "./verdict.ts";
export { ABI_VERSION, META_SECTION } from "./meta.ts";
export { globalAfterFits } from "./global_after.ts";
export { convertBlock, convertState, describeType, planConversion } from "./state_convert.ts";
export {
  FIRST_SPEC_CODE,
  UNKNOWN_ACTION_INDEX,
  VERDICT_DIVERGENCE,
  VERDICT_OK,
  VERDICT_UNKNOWN_ACTION,
} from "./verdict_codes.ts";

export type { CompiledSpec, DispatchFn, GlobalAggregates, StateView, StepFn } from "./compiled.ts";
export type { LoadCompiledOptions } from "./loader.ts";
export type { SpecLoadErrorOptions, SpecLoadReason } from "./bindings.ts";
export type { SpecSource } from "./spec_source.ts";
export type { Verdict } from "./verdict.ts";
export type { ActionMeta, PropertyMeta, SpecMeta, TypeDesc } from "./meta.ts";
export type { VerdictEntry, VerdictKind } from "./verdict_codes.ts";
export type { SlotLayout } from "./slot_layout.ts";
export type { SourceRange } from "./source_range.ts";
export type { ConversionProblem, ConvertResult, StateConversion } from "./state_convert.ts";
