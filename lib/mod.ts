/**
 * The Vigil spec language: parse, check, interpret and compile `.vigil` specs.
 *
 * @example Compile a spec and read its diagnostics
 * ```ts
 * import assert from "node:assert/strict";
 * import { compile, LineIndex, renderDiagnostic } from "./mod.ts";
 * const source = "spec Bad\nstate x: nat = 0\n";
 * const result = await compile(source, { fileName: "bad.vigil" });
 * assert.deepEqual(result.diagnostics.map((d) => d.code), ["VIG201"]);
 * const text = renderDiagnostic(result.diagnostics[0]!, new LineIndex(source), "bad.vigil");
 * assert.match(text, /^bad\.vigil:2:10: error VIG201: Unknown type 'nat'/);
 * ```
 *
 * @module
 */
export { compile, COMPILER } from "./compile.ts";
export { analyze } from "./frontend.ts";
export { parse } from "./syntax/parser.ts";
export { check } from "./types/checker.ts";
export {
  check as interpretCheck,
  checkInvariants,
  globalCheck,
  globalLiveness,
  initialState,
  liveness,
  step,
} from "./interpreter/interpreter.ts";
export { renderDiagnostic, sortDiagnostics } from "./syntax/diagnostic.ts";
export { LineIndex, SpanTable } from "./syntax/source.ts";
export { layoutOf } from "./wasm/state_layout.ts";
export { FIRST_SPEC_CODE, VERDICT_OK, VERDICT_UNKNOWN_ACTION } from "./abi/verdict_codes.ts";

export type { CompileOptions, CompileResult } from "./compile.ts";
export type { Diagnostic, Severity } from "./syntax/diagnostic.ts";
export type { Location, Position, Span } from "./syntax/source.ts";
export type {
  FiniteType,
  IAction,
  IAssign,
  IExpr,
  IInvariant,
  ILiveness,
  IParam,
  ITerminal,
  Program,
  ScalarType,
  StateVar,
  Type,
} from "./ir.ts";
export type { VerdictEntry, VerdictKind } from "./abi/verdict_codes.ts";
export type {
  Abandoned,
  Assign,
  BinaryOp,
  Binder,
  Duration,
  Expr,
  Item,
  Param,
  ParseResult,
  Quantifier,
  Require,
  SpecAst,
  TypeExpr,
  UnaryOp,
} from "./syntax/ast.ts";
export type { Analysis } from "./frontend.ts";
export type { CheckResult } from "./types/checker.ts";
export type { StepResult } from "./interpreter/interpreter.ts";
export type { StateLayout } from "./wasm/state_layout.ts";
