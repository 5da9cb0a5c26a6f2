/**
 * The ABI of compiled specs: load the jco bindings of a compiled spec,
 * drive its instances through scalar exports, and describe its verdicts.
 * Nothing here imports the compiler, binaryen or jco.
 *
 * @example Load a compiled spec and describe a refused step
 * ```ts ignore
 * import { describeVerdict, formatVerdict, loadCompiled } from "./mod.ts";
 * const lease = await loadCompiled("dist/lease.js");
 * const inst = lease.create();
 * const acquire = lease.actionIndex("acquire");
 * const code = lease.stepFn(acquire)(inst, ...lease.encodeArgs(acquire, { c: 2 }));
 * console.log(formatVerdict(describeVerdict(lease.meta, code), lease.meta.name));
 * ```
 *
 * @module
 */
export { loadCompiled } from "./loader.ts";
export { decodeMeta, resolveBindingsUrl, SpecLoadError } from "./bindings.ts";
export { decodeView, encodeArgs, encodeView, readBlock } from "./state_codec.ts";
export { describeVerdict, formatVerdict, GuardError, OK } from "./verdict.ts";
export { ABI_VERSION, META_SECTION } from "./meta.ts";
export {
  FIRST_SPEC_CODE,
  UNKNOWN_ACTION_INDEX,
  VERDICT_DIVERGENCE,
  VERDICT_OK,
  VERDICT_UNKNOWN_ACTION,
} from "./verdict_codes.ts";

export type { CompiledSpec, DispatchFn, StateView, StepFn } from "./compiled.ts";
export type { SpecLoadReason } from "./bindings.ts";
export type { Verdict } from "./verdict.ts";
export type { ActionMeta, PropertyMeta, SpecMeta, TypeDesc } from "./meta.ts";
export type { VerdictEntry, VerdictKind } from "./verdict_codes.ts";
export type { SlotLayout } from "./slot_layout.ts";
export type { SourceRange } from "./source_range.ts";
