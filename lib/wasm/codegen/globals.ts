/**
 * The global property exports: `global-check(first, count)` evaluates the
 * global invariants in order over instances `first .. first+count-1` (node
 * quantifiers range over positions `0 .. count-1`) and returns the first
 * failing code; `global-liveness(first, count)` returns the bit mask of the
 * global liveness predicates.
 *
 * @module
 */
import binaryen from "binaryen";
import { FunctionBuilder } from "./func.ts";
import { ExprCompiler } from "./expr.ts";
import { NodesReader } from "./readers.ts";
import { type CodegenInput, livenessMask } from "./actions.ts";

const I32 = binaryen.i32;

/**
 * Adds `global-check(first: u32, count: u32) -> u32`.
 *
 * @example Add the export
 * ```ts ignore
 * // While building a core module, with `input` the spec's `CodegenInput`:
 * addGlobalCheck(module, input, "global-check");
 * ```
 */
export function addGlobalCheck(m: binaryen.Module, input: CodegenInput, name: string): void {
  const fn = new FunctionBuilder(m, [I32, I32]);
  const fail = (code: number) => m.return(m.i32.const(code));
  const compiler = new ExprCompiler({
    fn,
    fail,
    params: [],
    reader: new NodesReader(m, input.plan),
  });
  const body = input.program.globalInvariants.map((inv) =>
    m.if(m.i32.eqz(compiler.cond(inv.expr)), m.return(m.i32.const(inv.code)))
  );
  fn.finish(name, I32, m.block(null, [...body, m.i32.const(0)], I32));
}

/**
 * Adds `global-liveness(first: u32, count: u32) -> u32`.
 *
 * @example Add the export
 * ```ts ignore
 * // While building a core module, with `input` the spec's `CodegenInput`:
 * addGlobalLiveness(module, input, "global-liveness");
 * ```
 */
export function addGlobalLiveness(m: binaryen.Module, input: CodegenInput, name: string): void {
  const fn = new FunctionBuilder(m, [I32, I32]);
  const mask = livenessMask(fn, input.program.globalLiveness, new NodesReader(m, input.plan));
  fn.finish(name, I32, mask);
}
