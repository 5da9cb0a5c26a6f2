/**
 * The floor the SDK's step is measured against: the Lease spec's two
 * actions written by hand in WebAssembly text (no compiler involved),
 * assembled by binaryen's text parser, instantiated, and called from
 * JavaScript as raw exports. Same work per step as the compiled spec:
 * the argument checked as an integer client in 0..3, the `require`, the
 * token's overflow, the assignments and both invariants, with the state
 * in the module's memory (one 48-byte block per instance, or 44 bytes when
 * asked: the compiled layout's stride, whose 8-byte slots are then only
 * 4-byte aligned in every other block).
 *
 * Used by `bench/sdk_bench.ts` as the anchor of the step group, which
 * also compares its verdicts with the compiled spec's on random steps
 * before timing anything; {@link rawLease} itself refuses a module whose
 * verdicts differ from the spec's on a short fixed sequence.
 *
 * @module
 */
import binaryen from "binaryen";

/**
 * Block layout: token i64 at 0, granted[0..3] i64 at 8..39, mode u8 at
 * 40 (0 free, 1 held), owner u8 at 41. Verdict codes as the compiled
 * Lease: 0 ok, 2 bad argument (acquire), 3 require of acquire, 5 token
 * overflow, 11 OwnerHasLatestToken, 8 bad argument (release), 9 require
 * of release. The module text is for blocks of `stride` bytes.
 */
const leaseWat = (stride: number) => `
(module
  (memory (export "memory") 1)
  (global $count (mut i32) (i32.const 0))

  ;; Allocates n blocks (zeroed: the initial state) and returns the first index.
  (func (export "create") (param $n i32) (result i32)
    (local $first i32) (local $need i32) (local $have i32)
    (local.set $first (global.get $count))
    (global.set $count (i32.add (global.get $count) (local.get $n)))
    (local.set $need
      (i32.shr_u (i32.add (i32.mul (global.get $count) (i32.const ${stride})) (i32.const 65535)) (i32.const 16)))
    (local.set $have (memory.size))
    (if (i32.gt_u (local.get $need) (local.get $have))
      (then (if (i32.lt_s (memory.grow (i32.sub (local.get $need) (local.get $have))) (i32.const 0))
        (then (unreachable)))))
    (local.get $first))

  (func (export "acquire") (param $inst i32) (param $c f64) (result i32)
    (local $p i32) (local $token i64) (local $next i64) (local $ci i32)
    (local.set $p (i32.mul (local.get $inst) (i32.const ${stride})))
    ;; c: an integer in 0..3
    (if (i32.eqz (i32.and (i32.and (f64.ge (local.get $c) (f64.const 0)) (f64.le (local.get $c) (f64.const 3)))
                          (f64.eq (f64.trunc (local.get $c)) (local.get $c))))
      (then (return (i32.const 2))))
    (local.set $ci (i32.trunc_f64_s (local.get $c)))
    ;; require mode == free
    (if (i32.load8_u offset=40 (local.get $p)) (then (return (i32.const 3))))
    ;; token + 1 must not overflow
    (local.set $token (i64.load (local.get $p)))
    (if (i64.eq (local.get $token) (i64.const 0x7fffffffffffffff)) (then (return (i32.const 5))))
    (local.set $next (i64.add (local.get $token) (i64.const 1)))
    ;; TokenNeverGoesBack: next >= token
    (if (i64.lt_s (local.get $next) (local.get $token)) (then (return (i32.const 10))))
    ;; apply: mode := held, owner := c, token := token + 1, granted[c] := token + 1
    (i32.store8 offset=40 (local.get $p) (i32.const 1))
    (i32.store8 offset=41 (local.get $p) (local.get $ci))
    (i64.store (local.get $p) (local.get $next))
    (i64.store offset=8 (i32.add (local.get $p) (i32.shl (local.get $ci) (i32.const 3))) (local.get $next))
    ;; OwnerHasLatestToken: granted[owner] == token
    (if (i64.ne (i64.load offset=8 (i32.add (local.get $p) (i32.shl (local.get $ci) (i32.const 3))))
                (local.get $next))
      (then (return (i32.const 11))))
    (i32.const 0))

  (func (export "release") (param $inst i32) (param $c f64) (result i32)
    (local $p i32)
    (local.set $p (i32.mul (local.get $inst) (i32.const ${stride})))
    (if (i32.eqz (i32.and (i32.and (f64.ge (local.get $c) (f64.const 0)) (f64.le (local.get $c) (f64.const 3)))
                          (f64.eq (f64.trunc (local.get $c)) (local.get $c))))
      (then (return (i32.const 8))))
    ;; require mode == held and owner == c
    (if (i32.or (i32.ne (i32.load8_u offset=40 (local.get $p)) (i32.const 1))
                (i32.ne (i32.load8_u offset=41 (local.get $p)) (i32.trunc_f64_s (local.get $c))))
      (then (return (i32.const 9))))
    (i32.store8 offset=40 (local.get $p) (i32.const 0))
    (i32.const 0))
)`;

/** The hand-written Lease module's exports. */
export interface RawLease {
  /** Allocates `n` instances in the initial state; the first index. */
  readonly create: (n: number) => number;
  /** `acquire(c)` on instance `inst`: the verdict code (0 applied). */
  readonly acquire: (inst: number, c: number) => number;
  /** `release(c)` on instance `inst`: the verdict code (0 applied). */
  readonly release: (inst: number, c: number) => number;
  /** The module's memory (`stride` bytes per instance). */
  readonly memory: WebAssembly.Memory;
  /** Bytes per instance block. */
  readonly stride: number;
  /** The module's size in bytes. */
  readonly bytes: number;
}

/**
 * Options of {@link rawLease}.
 *
 * @example Blocks of 44 bytes
 * ```ts
 * import assert from "node:assert/strict";
 * import { rawLease, type RawLeaseOptions } from "./raw_lease_wasm.ts";
 * const options: RawLeaseOptions = { stride: 44 };
 * assert.equal(rawLease(options).stride, 44);
 * ```
 */
export interface RawLeaseOptions {
  /** Bytes per instance block: 48 (default, every i64 8-byte aligned) or 44. */
  readonly stride?: 44 | 48;
}

/**
 * Assembles and instantiates the hand-written Lease module, after checking
 * its verdicts on a short sequence against those of the spec.
 *
 * @example Acquire then release by hand-written WebAssembly
 * ```ts
 * import assert from "node:assert/strict";
 * import { rawLease } from "./raw_lease_wasm.ts";
 * const raw = rawLease();
 * const inst = raw.create(1);
 * assert.equal(raw.acquire(inst, 2), 0);
 * assert.equal(raw.acquire(inst, 1), 3);
 * assert.equal(raw.release(inst, 2), 0);
 * ```
 */
export function rawLease(options: RawLeaseOptions = {}): RawLease {
  const stride = options.stride ?? 48;
  if (stride !== 44 && stride !== 48) {
    throw new RangeError(`Option 'stride' must be 44 or 48, got ${stride}`);
  }
  const mod = binaryen.parseText(leaseWat(stride));
  if (!mod.validate()) throw new Error("The hand-written Lease module does not validate");
  const binary = mod.emitBinary();
  mod.dispose();
  const instance = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(binary)), {});
  const raw = instance.exports as unknown as Omit<RawLease, "bytes">;
  const lease: RawLease = {
    create: raw.create,
    acquire: raw.acquire,
    release: raw.release,
    memory: raw.memory,
    stride,
    bytes: binary.length,
  };
  selfTest(lease);
  return lease;
}

/** Refuses a module whose verdicts differ from the compiled Lease's on a short sequence. */
function selfTest(raw: RawLease): void {
  const inst = raw.create(2) + 1; // the second block: 4-byte aligned at stride 44
  const expected: [string, number, number][] = [
    ["acquire", 2.5, 2],
    ["acquire", 4, 2],
    ["release", 1, 9],
    ["acquire", 1, 0],
    ["acquire", 1, 3],
    ["release", 2, 9],
    ["release", -1, 8],
    ["release", 1, 0],
  ];
  for (const [action, c, code] of expected) {
    const got = action === "acquire" ? raw.acquire(inst, c) : raw.release(inst, c);
    if (got !== code) {
      throw new Error(`Hand-written Lease: ${action}(${c}) gave ${got}, expected ${code}`);
    }
  }
  const view = new DataView(raw.memory.buffer, inst * raw.stride, raw.stride);
  if (view.getBigInt64(0, true) !== 1n || view.getBigInt64(16, true) !== 1n) {
    throw new Error("Hand-written Lease: token or granted[1] is not 1 after one acquire");
  }
}
