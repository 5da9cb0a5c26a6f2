/**
 * Code generation of `global-after` (the ABI's contract, with its packed
 * result, is `lib/abi/global_after.ts`): one function calling
 * `global-check-node` or `global-check`, `liveness` and `global-liveness`
 * and packing their answers, so a collector crosses into the module once
 * per applied event instead of three times.
 *
 * @module
 */
import binaryen from "binaryen";
import type { SpecMeta } from "../../abi/meta.ts";
import { AFTER_GLOBAL_SHIFT, AFTER_LOCAL_SHIFT, globalAfterFits } from "../../abi/global_after.ts";
import { FunctionBuilder } from "./func.ts";

const I32 = binaryen.i32;

/** The export names `global-after` calls. */
export interface GlobalAfterExports {
  readonly name: string;
  readonly check: string;
  readonly checkNode: string;
  readonly liveness: string;
  readonly globalLiveness: string;
}

/**
 * Adds `global-after` (see the module documentation) when the spec fits;
 * returns whether it did.
 *
 * @example Add the export
 * ```ts ignore
 * // While building a core module, after global-check, global-check-node, liveness and global-liveness:
 * addGlobalAfter(module, meta, {
 *   name: "global-after", check: "global-check", checkNode: "global-check-node",
 *   liveness: "liveness", globalLiveness: "global-liveness",
 * });
 * ```
 */
export function addGlobalAfter(
  m: binaryen.Module,
  meta: SpecMeta,
  names: GlobalAfterExports,
): boolean {
  if (!globalAfterFits(meta)) return false;
  const fn = new FunctionBuilder(m, [I32, I32, I32, I32]);
  const first = () => m.local.get(0, I32);
  const count = () => m.local.get(1, I32);
  const node = () => m.local.get(2, I32);
  const code = m.if(
    m.local.get(3, I32),
    m.call(names.checkNode, [first(), count(), node()], I32),
    m.call(names.check, [first(), count()], I32),
  );
  const local = m.call(names.liveness, [m.i32.add(first(), node())], I32);
  const global = m.call(names.globalLiveness, [first(), count()], I32);
  fn.finish(
    names.name,
    I32,
    m.i32.or(
      m.i32.or(code, m.i32.shl(local, m.i32.const(AFTER_LOCAL_SHIFT))),
      m.i32.shl(global, m.i32.const(AFTER_GLOBAL_SHIFT)),
    ),
  );
  return true;
}
