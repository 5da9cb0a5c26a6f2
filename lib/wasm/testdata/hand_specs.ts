/**
 * Two tiny compiled specs written by hand (WAT + SpecMeta), so the component
 * layer and the loader can be tested without the code generator:
 * - `Toggle`: one bool slot `on`; actions `flip` and `turnOn` (require not
 *   on); liveness `Settles` (when on, eventually not on); global invariant
 *   `AtMostOneOn`.
 * - `Dial`: `mode: Mode = enum { off, low, high }`, `level: 0..10`; actions
 *   `set(m: Mode)` and `bump(by: 1..3)` (require mode != off); invariant
 *   `BelowTen` (level < 10).
 *
 * @module
 */
import binaryen from "binaryen";
import type { SpecMeta } from "../../abi/meta.ts";
import { DISPATCH_EXPORTS, META_SECTION } from "../../abi/meta.ts";
import { addDispatcher } from "../codegen/dispatch.ts";
import { DIAL_META, TOGGLE_META } from "../../abi/testdata/hand_metas.ts";

/** A hand-written spec: its metadata and the WAT of its core module. */
export interface HandSpec {
  readonly meta: SpecMeta;
  readonly wat: string;
}

/** Instances start at byte 1024, 8 bytes each; `create` grows memory as needed. */
const COMMON = `
  (memory (export "memory") 1)
  (global $n (mut i32) (i32.const 0))
  (func $ptr (param $i i32) (result i32)
    (i32.add (i32.const 1024) (i32.shl (local.get $i) (i32.const 3))))
  (func (export "create") (param $c i32) (result i32) (local $f i32) (local $end i32) (local $need i32)
    (local.set $f (global.get $n))
    (local.set $end (i32.add (local.get $f) (local.get $c)))
    (local.set $need (i32.shr_u (i32.add (i32.add (i32.const 1024)
      (i32.shl (local.get $end) (i32.const 3))) (i32.const 65535)) (i32.const 16)))
    (if (i32.gt_u (local.get $need) (memory.size))
      (then (drop (memory.grow (i32.sub (local.get $need) (memory.size))))))
    (block $done (loop $l
      (br_if $done (i32.ge_u (global.get $n) (local.get $end)))
      (call $init (global.get $n))
      (global.set $n (i32.add (global.get $n) (i32.const 1)))
      (br $l)))
    (local.get $f))
  (func (export "reset") (param $i i32) (call $init (local.get $i)))
  (func (export "instance-count") (result i32) (global.get $n))
  (func (export "state-ptr") (param $i i32) (result i32) (call $ptr (local.get $i)))
`;

const TOGGLE_WAT = `(module ${COMMON}
  (func $init (param $i i32) (i64.store (call $ptr (local.get $i)) (i64.const 0)))
  (func $on (param $i i32) (result i32) (i32.load8_u (call $ptr (local.get $i))))
  (func (export "read-slot") (param $i i32) (param $s i32) (result i64)
    (i64.extend_i32_u (call $on (local.get $i))))
  (func (export "write-slot") (param $i i32) (param $s i32) (param $v i64) (result i32)
    (if (i64.gt_u (local.get $v) (i64.const 1)) (then (return (i32.const 1))))
    (i64.store8 (call $ptr (local.get $i)) (local.get $v))
    (i32.const 0))
  (func (export "step-flip") (param $i i32) (result i32)
    (i32.store8 (call $ptr (local.get $i)) (i32.xor (call $on (local.get $i)) (i32.const 1)))
    (i32.const 0))
  (func (export "check-flip") (param $i i32) (result i32) (i32.const 0))
  (func (export "step-turn-on") (param $i i32) (result i32)
    (if (call $on (local.get $i)) (then (return (i32.const 3))))
    (i32.store8 (call $ptr (local.get $i)) (i32.const 1))
    (i32.const 0))
  (func (export "check-turn-on") (param $i i32) (result i32)
    (if (result i32) (call $on (local.get $i)) (then (i32.const 3)) (else (i32.const 0))))
  (func (export "check-invariants") (param $i i32) (result i32) (i32.const 0))
  (func $liveness (export "liveness") (param $i i32) (result i32)
    (if (result i32) (call $on (local.get $i)) (then (i32.const 1)) (else (i32.const 2))))
  (func $global (export "global-check") (param $f i32) (param $c i32) (result i32) (local $k i32) (local $sum i32)
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $k) (local.get $c)))
      (local.set $sum (i32.add (local.get $sum) (call $on (i32.add (local.get $f) (local.get $k)))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $l)))
    (if (result i32) (i32.gt_u (local.get $sum) (i32.const 1)) (then (i32.const 2)) (else (i32.const 0))))
  (func (export "global-check-node") (param $f i32) (param $c i32) (param $n i32) (result i32)
    (call $global (local.get $f) (local.get $c)))
  (func (export "global-liveness") (param $f i32) (param $c i32) (result i32) (i32.const 0))
  (func (export "global-agg-size") (result i32) (i32.const 0))
  (func (export "global-agg-add") (param $i i32) (param $cells i32) (param $d i32) (result i32) (i32.const 0))
  (func (export "global-check-agg") (param $f i32) (param $c i32) (param $n i32) (param $cells i32) (result i32)
    (call $global (local.get $f) (local.get $c)))
  (func (export "global-liveness-agg") (param $f i32) (param $c i32) (param $cells i32) (result i32) (i32.const 0))
  (func (export "global-after") (param $f i32) (param $c i32) (param $n i32) (param $p i32) (result i32)
    (i32.or (call $global (local.get $f) (local.get $c))
      (i32.shl (call $liveness (i32.add (local.get $f) (local.get $n))) (i32.const 16))))
  (func (export "global-agg-after") (param $f i32) (param $c i32) (param $n i32) (param $p i32) (param $cells i32) (param $a i32) (result i32)
    (i32.or (call $global (local.get $f) (local.get $c))
      (i32.shl (call $liveness (i32.add (local.get $f) (local.get $n))) (i32.const 16))))
)`;

/** The hand-written `Toggle` spec. */
export const TOGGLE: HandSpec = {
  wat: TOGGLE_WAT,
  meta: TOGGLE_META,
};

const DIAL_WAT = `(module ${COMMON}
  (func $init (param $i i32) (i64.store (call $ptr (local.get $i)) (i64.const 0)))
  (func $mode (param $i i32) (result i32) (i32.load8_u (call $ptr (local.get $i))))
  (func $level (param $i i32) (result i32) (i32.load8_u offset=1 (call $ptr (local.get $i))))
  (func $bad (param $x f64) (param $lo f64) (param $hi f64) (result i32)
    (i32.or (f64.ne (f64.trunc (local.get $x)) (local.get $x))
      (i32.or (f64.lt (local.get $x) (local.get $lo)) (f64.gt (local.get $x) (local.get $hi)))))
  (func (export "read-slot") (param $i i32) (param $s i32) (result i64)
    (i64.extend_i32_u (i32.load8_u (i32.add (call $ptr (local.get $i)) (local.get $s)))))
  (func (export "write-slot") (param $i i32) (param $s i32) (param $v i64) (result i32)
    (if (i64.gt_u (local.get $v) (select (i64.const 2) (i64.const 10) (i32.eqz (local.get $s))))
      (then (return (i32.const 1))))
    (i64.store8 (i32.add (call $ptr (local.get $i)) (local.get $s)) (local.get $v))
    (i32.const 0))
  (func $set (param $i i32) (param $m f64) (param $apply i32) (result i32)
    (if (call $bad (local.get $m) (f64.const 0) (f64.const 2)) (then (return (i32.const 2))))
    (if (i32.ge_u (call $level (local.get $i)) (i32.const 10)) (then (return (i32.const 6))))
    (if (local.get $apply)
      (then (i32.store8 (call $ptr (local.get $i)) (i32.trunc_f64_u (local.get $m)))))
    (i32.const 0))
  (func (export "step-set") (param $i i32) (param $m f64) (result i32)
    (call $set (local.get $i) (local.get $m) (i32.const 1)))
  (func (export "check-set") (param $i i32) (param $m f64) (result i32)
    (call $set (local.get $i) (local.get $m) (i32.const 0)))
  (func $bump (param $i i32) (param $by f64) (param $apply i32) (result i32) (local $new i32)
    (if (call $bad (local.get $by) (f64.const 1) (f64.const 3)) (then (return (i32.const 3))))
    (if (i32.eqz (call $mode (local.get $i))) (then (return (i32.const 4))))
    (local.set $new (i32.add (call $level (local.get $i)) (i32.trunc_f64_u (local.get $by))))
    (if (i32.gt_u (local.get $new) (i32.const 10)) (then (return (i32.const 5))))
    (if (i32.ge_u (local.get $new) (i32.const 10)) (then (return (i32.const 6))))
    (if (local.get $apply)
      (then (i32.store8 offset=1 (call $ptr (local.get $i)) (local.get $new))))
    (i32.const 0))
  (func (export "step-bump") (param $i i32) (param $by f64) (result i32)
    (call $bump (local.get $i) (local.get $by) (i32.const 1)))
  (func (export "check-bump") (param $i i32) (param $by f64) (result i32)
    (call $bump (local.get $i) (local.get $by) (i32.const 0)))
  (func (export "check-invariants") (param $i i32) (result i32)
    (if (result i32) (i32.ge_u (call $level (local.get $i)) (i32.const 10))
      (then (i32.const 6)) (else (i32.const 0))))
  (func (export "liveness") (param $i i32) (result i32) (i32.const 0))
  (func (export "global-check") (param $f i32) (param $c i32) (result i32) (i32.const 0))
  (func (export "global-check-node") (param $f i32) (param $c i32) (param $n i32) (result i32) (i32.const 0))
  (func (export "global-liveness") (param $f i32) (param $c i32) (result i32) (i32.const 0))
  (func (export "global-agg-size") (result i32) (i32.const 0))
  (func (export "global-agg-add") (param $i i32) (param $cells i32) (param $d i32) (result i32) (i32.const 0))
  (func (export "global-check-agg") (param $f i32) (param $c i32) (param $n i32) (param $cells i32) (result i32) (i32.const 0))
  (func (export "global-after") (param $f i32) (param $c i32) (param $n i32) (param $p i32) (result i32) (i32.const 0))
  (func (export "global-agg-after") (param $f i32) (param $c i32) (param $n i32) (param $p i32) (param $cells i32) (param $a i32) (result i32) (i32.const 0))
  (func (export "global-liveness-agg") (param $f i32) (param $c i32) (param $cells i32) (result i32) (i32.const 0))
)`;

/** The hand-written `Dial` spec. */
export const DIAL: HandSpec = {
  wat: DIAL_WAT,
  meta: DIAL_META,
};

/**
 * Assembles a hand spec's core module with binaryen, adds the generated
 * `dispatch-step` and `dispatch-check`, with the `vigil`
 * custom section holding `section` (default: the spec's meta as JSON;
 * `null` for no section).
 */
export function buildHandCore(spec: HandSpec, section?: string | null): Uint8Array {
  const mod = binaryen.parseText(spec.wat);
  try {
    // The dispatchers are generated, as the code generator does.
    const internal = (name: string) => binaryen.getExportInfo(mod.getExport(name)).value;
    for (const [key, name] of Object.entries(DISPATCH_EXPORTS)) {
      const targets = spec.meta.actions.map((a) =>
        internal(key === "step" ? a.stepExport : a.checkExport)
      );
      addDispatcher(mod, spec.meta, name, targets);
      mod.addFunctionExport(name, name);
    }
    if (!mod.validate()) throw new Error(`Hand-written module '${spec.meta.name}' is invalid`);
    const json = section === undefined ? JSON.stringify(spec.meta) : section;
    if (json !== null) mod.addCustomSection(META_SECTION, new TextEncoder().encode(json));
    return mod.emitBinary();
  } finally {
    mod.dispose();
  }
}
